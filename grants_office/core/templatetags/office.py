"""Template helpers shared by every page: deadlines with the funder's time zone and a countdown."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from grants_office.core.people import display_name

register = template.Library()

URGENT_DAYS = 7
SOON_DAYS = 30


def countdown(deadline: datetime, now: datetime | None = None) -> tuple[str, str]:
    """('5 days left', 'urgent') – the words for people and a class for the eye."""
    seconds = (deadline - (now or timezone.now())).total_seconds()
    if seconds <= 0:
        return _("deadline passed"), "passed"
    days = int(seconds // 86400)
    if days >= 1:
        text = ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}
    else:
        hours = int(seconds // 3600)
        if hours >= 1:
            text = ngettext("%(hours)d hour left", "%(hours)d hours left", hours) % {"hours": hours}
        else:
            text = _("less than an hour left")
    if days < URGENT_DAYS:
        return text, "urgent"
    return text, "soon" if days < SOON_DAYS else "later"


@register.inclusion_tag("core/includes/deadline.html")
def deadline(subject, show_local=True):
    """A deadline as the funder states it (with its zone), the person's local time, a countdown.

    `subject` is a call, or a proposal (the deadline that applies to it: stage 2 has its own); both
    answer `deadline`, `deadline_display()` and `deadline_timezone`."""
    moment = subject.deadline if subject is not None else None
    if moment is None:
        # a proposal with a call but no deadline yet: stage 2 before the stage-2 deadline is set
        has_call = subject is not None and getattr(subject, "call_id", None) is not None
        return {"call": None, "no_deadline": has_call}
    text, urgency = countdown(moment)
    return {
        "call": subject,
        "moment": moment,
        "funder_time": subject.deadline_display(),
        "local_time": timezone.localtime(moment),
        "local_zone": timezone.get_current_timezone_name(),
        "show_local": show_local and subject.deadline_timezone != timezone.get_current_timezone_name(),
        "countdown": text,
        "urgency": urgency,
    }


@register.simple_tag
def countdown_text(moment):
    return countdown(moment)[0]


@register.filter
def person(user):
    """A person's name as the pages show it."""
    return display_name(user)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (pagination, month navigation)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def percent(value, digits=1):
    """A share in percent as the language writes it: "50.0 %" in English, "%50,0" in Turkish; "–" for
    none (nothing to divide by)."""
    if value is None or value == "":
        return "–"
    number = formats.number_format(value, decimal_pos=int(digits), use_l10n=True)
    return _("%(number)s %%") % {"number": number}
