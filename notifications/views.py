"""The inbox and the notification preferences as web pages. Thin: reads through `notifications.selectors`,
writes through `notifications.services`; another person's notification answers 404 (the service's
`NotFound`, answered by `grants_office.core.middleware.DomainErrorMiddleware`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grants_office.core.pages import perform
from notifications import kinds, selectors, services

PAGE_SIZE = 25


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def _inbox_context(request) -> dict:
    """One page of the inbox: one row more than shown tells whether an older page exists, so the whole
    inbox is never counted."""
    unread_only = request.GET.get("unread") in {"1", "true"}
    page = _page_number(request.GET.get("page"))
    start = (page - 1) * PAGE_SIZE
    rows = list(
        selectors.inbox(request.user, unread=True if unread_only else None)[start : start + PAGE_SIZE + 1]
    )
    return {
        "notifications": rows[:PAGE_SIZE],
        "page": page,
        "has_older": len(rows) > PAGE_SIZE,
        "has_newer": page > 1,
        "unread_only": unread_only,
        "query": f"?{request.GET.urlencode()}" if request.GET else "",
        "nav_active": "inbox",
    }


def _answer(request, notice: str = ""):
    """htmx: the list again, the badge updated out of band; otherwise back to the inbox page."""
    if request.htmx:
        context = {**_inbox_context(request), "notice": notice, "oob": True}
        return render(request, "notifications/pages/inbox_swap.html", context)
    if notice:
        messages.success(request, notice)
    query = request.GET.urlencode()
    return redirect(reverse("notifications:inbox") + (f"?{query}" if query else ""))


@login_required
@require_GET
def inbox(request):
    """The person's own notifications, newest first, unread ones marked."""
    return render(request, "notifications/pages/inbox.html", _inbox_context(request))


@login_required
@require_GET
def open_notification(request, pk):
    """Follow a notification's link; opening it marks it read."""
    notification = services.mark_read(request.user, pk)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(
        link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read(request, pk):
    services.mark_read(request.user, pk)
    return _answer(request, _("The notification is marked read."))


@login_required
@require_POST
def mark_all_read(request):
    marked = services.mark_all_read(request.user)
    return _answer(
        request,
        _("Nothing was unread.") if not marked else _("All notifications are marked read."),
    )


class PreferencesForm(forms.Form):
    """One radio group per kind of notification; the choices are the delivery channels."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        channels = dict(kinds.Channel.choices)
        for code, kind in kinds.KINDS.items():
            self.fields[code] = forms.ChoiceField(
                label=kind.label,
                choices=kinds.Channel.choices,
                initial=current.get(code, kind.default),
                widget=forms.RadioSelect,
                help_text=gettext_lazy("Default: %(channel)s") % {"channel": channels[kind.default]},
                error_messages={"required": gettext_lazy("Choose how to hear about this.")},
            )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """How each kind of notification reaches this person: in the app, by e-mail, in the digest, or not."""
    current = selectors.preferences_of(request.user)
    form = PreferencesForm(request.POST if request.method == "POST" else None, current=current)
    status = 200
    if request.method == "POST":
        if (
            form.is_valid()
            and perform(form, services.set_preferences, request.user, form.cleaned_data, replace=True).ok
        ):
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("notifications:preferences")
        status = 400
    return render(
        request, "notifications/pages/preferences.html", {"form": form, "nav_active": "inbox"}, status=status
    )
