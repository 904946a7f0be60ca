"""Call watch: the open and upcoming calls a municipality may lead, ranked by its interests.

One ranking serves the API, the page and the weekly digest: shared themes first (how many, then what
share of the call's themes), then the sooner deadline. Eligibility is `grants_office.members.eligibility`,
evaluated in Python on rows read once, so a list costs the same few queries whatever its length.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cooperation import permissions
from cooperation.models import PartnerProfile
from grants_office.calls.models import Call, Theme
from grants_office.core.errors import NotFound
from grants_office.members.eligibility import lead_problems, rules_of
from grants_office.members.models import Municipality
from grants_office.members.selectors import teams_today

# Calls that open within this many days are shown (and told) before they open.
UPCOMING_DAYS = 90


@dataclass(frozen=True)
class Reason:
    """Why a call matches: a stable code and a sentence in the active language."""

    code: str
    message: str


@dataclass(frozen=True)
class Match:
    call: Call
    municipality: Municipality
    shared_themes: tuple[Theme, ...]
    at: datetime

    @property
    def shared_count(self) -> int:
        return len(self.shared_themes)

    @property
    def share(self) -> float:
        """The part of the call's themes the municipality follows (0 for a call without themes)."""
        themes = len(self.call.themes.all())
        return self.shared_count / themes if themes else 0.0

    @property
    def score(self) -> float:
        """Shared themes plus their share: more shared themes always rank higher, the share breaks ties."""
        return round(self.shared_count + self.share, 3)

    @property
    def is_open(self) -> bool:
        return self.call.opens_on <= timezone.localdate(self.at)

    @property
    def days_left(self) -> int:
        """Calendar days to the deadline in the active time zone (0: it closes today)."""
        return (timezone.localdate(self.call.deadline) - timezone.localdate(self.at)).days

    def sort_key(self) -> tuple:
        return (-self.shared_count, -self.share, self.call.deadline, self.call.pk)


# --- the reads ---------------------------------------------------------------------------------------
def candidate_calls(at: datetime) -> list[Call]:
    """Open calls and those opening within UPCOMING_DAYS, deadline not passed, with what matching reads
    (programme, eligibility, themes): two queries."""
    return list(
        Call.objects.filter(
            deadline__gte=at, opens_on__lte=timezone.localdate(at) + timedelta(days=UPCOMING_DAYS)
        )
        .select_related("programme", "eligibility")
        .prefetch_related("themes")
        .order_by("deadline", "pk")
    )


def interests_of(municipality_ids: Iterable[int] | None = None) -> dict[int, set[int]]:
    """The theme ids each municipality follows (its profile's themes), in one query; None: every
    municipality with a profile. A municipality without a profile follows no theme."""
    links = PartnerProfile.themes.through.objects.filter(partnerprofile__municipality__isnull=False)
    if municipality_ids is not None:
        links = links.filter(partnerprofile__municipality_id__in=list(municipality_ids))
    followed: dict[int, set[int]] = {}
    for municipality_id, theme_id in links.values_list("partnerprofile__municipality_id", "theme_id"):
        followed.setdefault(municipality_id, set()).add(theme_id)
    return followed


def matches_of(
    municipality: Municipality, followed: set[int], calls: list[Call], at: datetime
) -> list[Match]:
    """The calls this municipality may lead, ranked; no query (the calls carry what is read)."""
    found = [
        Match(call, municipality, tuple(t for t in call.themes.all() if t.pk in followed), at)
        for call in calls
        if not lead_problems(call, municipality)
    ]
    return sorted(found, key=Match.sort_key)


def _municipalities_for(user, municipality: int | None) -> QuerySet[Municipality]:
    if municipality is None:
        return Municipality.objects.filter(pk__in=teams_today(user)[0])
    if not permissions.sees_call_matches(user, municipality):
        raise NotFound(_("Not found."))
    return Municipality.objects.filter(pk=municipality)


def call_matches(user, *, municipality: int | None = None, at: datetime | None = None) -> list[Match]:
    """For the municipalities the person is on the team of today (or the one asked for: the office may
    ask for any), the open and upcoming calls each may lead, ranked. Someone who may not see the one
    asked for gets NotFound; a person on no team an empty list."""
    at = at or timezone.now()
    municipalities = list(_municipalities_for(user, municipality).order_by("name", "pk"))
    if municipality is not None and not municipalities:
        raise NotFound(_("Not found."))  # the office asked for one that does not exist
    if not municipalities:
        return []
    calls = candidate_calls(at)
    followed = interests_of(m.pk for m in municipalities)
    found = [
        match
        for item in municipalities
        for match in matches_of(item, followed.get(item.pk, set()), calls, at)
    ]
    return sorted(found, key=lambda match: (*match.sort_key(), match.municipality.name))


# --- why each matches (in the active language and time zone) ----------------------------------------
def _names(values) -> str:
    return ", ".join(str(value) for value in values)


def _population_reason(low, high) -> str:
    if low is not None and high is not None:
        return _("Open to municipalities of %(min)s to %(max)s inhabitants") % {"min": low, "max": high}
    if low is not None:
        return _("Open to municipalities of at least %(min)s inhabitants") % {"min": low}
    return _("Open to municipalities of at most %(max)s inhabitants") % {"max": high}


def eligibility_reasons(call: Call) -> list[Reason]:
    """The lead rules the call states, which a match meets, as reasons."""
    rules = rules_of(call)
    if rules is None:
        return [Reason("lead_membership", _("Open to every member of the union"))]
    reasons = []
    if rules.lead_provinces:
        text = _("Open to municipalities in %(provinces)s") % {"provinces": _names(rules.lead_provinces)}
        reasons.append(Reason("lead_province", text))
    if rules.lead_kinds:
        kinds = [Municipality.Kind(kind).label for kind in rules.lead_kinds]
        reasons.append(Reason("lead_kind", _("Open to: %(kinds)s") % {"kinds": _names(kinds)}))
    if rules.lead_population_min is not None or rules.lead_population_max is not None:
        text = _population_reason(rules.lead_population_min, rules.lead_population_max)
        reasons.append(Reason("lead_population", text))
    if rules.lead_membership_required:
        reasons.append(Reason("lead_membership", _("Open to members of the union")))
    return reasons


def time_reason(match: Match) -> Reason:
    if not match.is_open:
        opens = formats.date_format(match.call.opens_on, "j F")
        return Reason("opens", _("Opens on %(date)s") % {"date": opens})
    days = match.days_left
    if days == 0:
        return Reason("deadline", _("Deadline today"))
    return Reason(
        "deadline", ngettext("Deadline in %(days)s day", "Deadline in %(days)s days", days) % {"days": days}
    )


def reasons(match: Match) -> list[Reason]:
    """Why the call is shown: the lead rules met, the shared themes, the time left."""
    found = eligibility_reasons(match.call)
    if match.shared_themes:
        text = _("Themes you follow: %(themes)s") % {"themes": _names(t.name for t in match.shared_themes)}
        found.append(Reason("themes", text))
    found.append(time_reason(match))
    return found
