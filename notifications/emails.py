"""E-mail messages for notifications, written in the recipient's language and time zone."""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.selectors import PersonalSettings


def _domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "localhost"


def absolute(link: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{link}" if link else settings.SITE_URL


def _message(subject, template, context, recipient, personal: PersonalSettings, message_id: str):
    with translation.override(personal.language), timezone.override(personal.time_zone):
        context = {
            **context,
            "recipient": recipient,
            "site_url": settings.SITE_URL,
            "time_zone": personal.time_zone.key,
        }
        subject = str(subject() if callable(subject) else subject)
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:250],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={
            # Stable per notification: a receiving server may drop a duplicate after a redelivery.
            "Message-ID": f"<{message_id}@{_domain()}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def notification_message(notification, personal: PersonalSettings) -> EmailMultiAlternatives:
    return _message(
        notification.title,
        "notification",
        {"notification": notification, "url": absolute(notification.link)},
        notification.recipient,
        personal,
        f"notification.{notification.pk}",
    )


def digest_message(recipient, notifications, personal: PersonalSettings) -> EmailMultiAlternatives:
    count = len(notifications)
    items = [{"notification": n, "url": absolute(n.link)} for n in notifications]
    first, last = notifications[0].pk, notifications[-1].pk
    return _message(
        lambda: (
            ngettext(
                "Your daily summary: %(count)s notification",
                "Your daily summary: %(count)s notifications",
                count,
            )
            % {"count": count}
        ),
        "digest",
        {"items": items, "count": count, "inbox_url": absolute("/"), "heading": _("Your daily summary")},
        recipient,
        personal,
        f"digest.{recipient.pk}.{first}-{last}",
    )
