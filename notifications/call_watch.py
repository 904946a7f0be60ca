"""Call watch's weekly digest: each team hears of the new calls its municipality may lead, once per call.

For every municipality with a team today, the open and upcoming calls it may lead that share at least
one of its themes (`cooperation.selectors.matches`, the ranking of the API and the page) and that it was
not told of yet (no `cooperation.CallMatchNotice`) make one notification per team member, in their
language and time zone and through their channel for the kind. The notices are written in the same
transaction as the notifications, with the municipality's row locked, so a retried or doubled run, or
one that died half way, tells each call to each municipality once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cooperation.models import CallMatchNotice
from cooperation.selectors import matches
from grants_office.members.models import Municipality, TeamMembership
from notifications import kinds, selectors, services
from notifications.events import Event

# A call is worth telling a team about when it shares at least this many of the municipality's themes
# (the API and the page also list eligible calls that share none).
MIN_SHARED_THEMES = 1


@dataclass(frozen=True)
class CallList:
    """The digest's list of calls, rendered in the recipient's language (active) and time zone."""

    matches: tuple[matches.Match, ...]

    def display_for(self, zone) -> str:
        with timezone.override(zone):
            return "\n\n".join(_line(match) for match in self.matches)


def _line(match: matches.Match) -> str:
    call = match.call
    why = "; ".join(reason.message for reason in matches.reasons(match))
    return f"• {call.reference} – {call.title} ({call.programme}, {call.deadline_display()})\n  {why}"


def _occasion(found: list[matches.Match]) -> str:
    """The same calls to the same municipality are one occasion (a repeat writes nothing)."""
    ids = ",".join(str(pk) for pk in sorted(match.call.pk for match in found))
    return f"call watch {hashlib.sha256(ids.encode()).hexdigest()[:40]}"


def digest_event(municipality: Municipality, found: list[matches.Match], team: list) -> Event:
    return Event(
        kind=kinds.CALL_WATCH,
        target=municipality,
        proposal=None,
        recipients=team,
        occasion=_occasion(found),
        url=f"{reverse('cooperation:call-matches')}?municipality={municipality.pk}",
        context={"municipality": municipality.name, "count": len(found), "calls": CallList(tuple(found))},
    )


def watched_municipalities() -> list[Municipality]:
    """Municipalities with someone on their team today."""
    teams = TeamMembership.objects.active().filter(municipality__isnull=False).values("municipality_id")
    return list(Municipality.objects.filter(pk__in=teams).order_by("pk"))


def _told(call_ids: list[int]) -> set[tuple[int, int]]:
    """(municipality id, call id) of the calls told already (one query)."""
    notices = CallMatchNotice.objects.filter(call_id__in=call_ids)
    return set(notices.values_list("municipality_id", "call_id"))


def send_call_watch(at: datetime | None = None) -> int:
    """Tell every team of the new calls that match its municipality; returns the notifications meant."""
    at = at or timezone.now()
    calls = matches.candidate_calls(at)
    if not calls:
        return 0
    told = _told([call.pk for call in calls])
    interests = matches.interests_of()
    written = 0
    for municipality in watched_municipalities():
        followed = interests.get(municipality.pk)
        if not followed:
            continue  # no themes: nothing to match on
        found = [
            match
            for match in matches.matches_of(municipality, followed, calls, at)
            if match.shared_count >= MIN_SHARED_THEMES and (municipality.pk, match.call.pk) not in told
        ]
        if found:
            written += tell(municipality, found)
    return written


def tell(municipality: Municipality, found: list[matches.Match]) -> int:
    """One municipality's digest and its notices, in one transaction on its locked row; the calls
    another run told meanwhile are left out."""
    with transaction.atomic():
        Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
        known = set(
            CallMatchNotice.objects.filter(
                municipality=municipality, call_id__in=[match.call.pk for match in found]
            ).values_list("call_id", flat=True)
        )
        fresh = [match for match in found if match.call.pk not in known]
        if not fresh:
            return 0
        team = selectors.municipality_teams([municipality.pk]).get(municipality.pk, [])
        written = services.notify_many([digest_event(municipality, fresh, team)])
        now = timezone.now()
        CallMatchNotice.objects.bulk_create(
            [CallMatchNotice(municipality=municipality, call=match.call, sent_at=now) for match in fresh]
        )
    return written
