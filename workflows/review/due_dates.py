"""When reviews are due: the office's default, the working-day margin before the call's deadline, and
the rules a due date the office names must follow (in the future; after the deadline only when
confirmed). Rounds and assignments share them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from grants_office.core.errors import Invalid

DEFAULT_REVIEW_DAYS = 14
MIN_REVIEW_DAYS = 2  # less time than this for a review: keep the usual two weeks (`default_due_at`)


def working_days_before(moment: datetime, days: int, zone) -> datetime:
    """`days` working days (Monday to Friday) before `moment`, at the same wall-clock time in `zone`."""
    local = moment.astimezone(zone)
    day, left = local.date(), days
    while left > 0:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=zone)


def default_due_at(proposal, now: datetime | None = None) -> datetime:
    """When a round's reviews are due if the office names no date.

    Two weeks from now, or `REVIEW_DUE_MARGIN_WORKING_DAYS` working days before the deadline that
    applies to the proposal (`Proposal.deadline`, in the funder's calendar) when that is sooner, so the
    team still has days to act on the reviews. The two weeks stand when there is no call or deadline,
    and when the margin date is less than MIN_REVIEW_DAYS away or already past: a review squeezed into
    hours helps nobody, and such a round is flagged `due_after_deadline` so the office sees it.
    """
    now = now or timezone.now()
    usual = now + timedelta(days=DEFAULT_REVIEW_DAYS)
    deadline = proposal.deadline
    if deadline is None:
        return usual
    margin = working_days_before(deadline, settings.REVIEW_DUE_MARGIN_WORKING_DAYS, proposal.call.funder_tz)
    if margin < now + timedelta(days=MIN_REVIEW_DAYS):
        return usual
    return min(usual, margin)


def in_the_future(value, field: str):
    """A due date the office names (None: none named), made aware; a 400 on `field` unless it lies ahead."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value <= timezone.now():
        raise Invalid(_("Invalid input."), fields={field: [_("The due date must be in the future.")]})
    return value


def after_deadline(proposal, due_at: datetime, *, confirmed: bool) -> bool:
    """Whether `due_at` (named by the office) falls after the proposal's deadline; that needs the
    office's explicit confirmation, else a 400 on the due date."""
    deadline = proposal.deadline
    if deadline is None or due_at <= deadline:
        return False
    if not confirmed:
        raise Invalid(
            _("Invalid input."),
            fields={
                "due_at": [
                    _(
                        "The reviews would be due after the deadline (%(deadline)s). Confirm the due date "
                        "after the deadline to keep it."
                    )
                    % {"deadline": proposal.deadline_display()}
                ]
            },
        )
    return True
