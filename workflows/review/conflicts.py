"""Conflicts of interest and reviewer suggestions.

Nobody reviews a proposal whose lead or partner they work for: an active membership of the lead's or a
partner's team, or an expert affiliation with the lead municipality or a partner (municipality or
organisation). Suggestions rank active experts by the call's themes in their expertise, then by their
open load, and list the conflicted apart; they cost a fixed number of queries whatever the pool size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from grants_office.calls.models import Theme
from grants_office.members.models import ExpertProfile, TeamMembership
from workflows.review.models import OPEN_STATES, ReviewAssignment


@dataclass
class Parties:
    """Who is on the proposal's side: the lead municipality and the partners."""

    lead_id: int
    lead_name: str
    municipalities: dict[int, str] = field(default_factory=dict)  # partner municipalities
    organisations: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, proposal) -> Parties:
        parties = cls(lead_id=proposal.lead_id, lead_name=str(proposal.lead.name))
        for partner in proposal.partners.select_related("municipality", "organisation"):
            if partner.municipality_id:
                parties.municipalities[partner.municipality_id] = str(partner.municipality.name)
            else:
                parties.organisations[partner.organisation_id] = str(partner.organisation.name)
        return parties

    def municipality_reason(self, municipality_id: int, *, team: bool) -> str | None:
        if municipality_id == self.lead_id:
            text = (
                _("On the team of %(party)s, the lead municipality.")
                if team
                else _("Affiliated with %(party)s, the lead municipality.")
            )
            return text % {"party": self.lead_name}
        if municipality_id in self.municipalities:
            text = (
                _("On the team of %(party)s, a partner.")
                if team
                else _("Affiliated with %(party)s, a partner.")
            )
            return text % {"party": self.municipalities[municipality_id]}
        return None

    def organisation_reason(self, organisation_id: int, *, team: bool) -> str | None:
        if organisation_id in self.organisations:
            text = (
                _("On the team of %(party)s, a partner.")
                if team
                else _("Affiliated with %(party)s, a partner.")
            )
            return text % {"party": self.organisations[organisation_id]}
        return None


def _team_reasons(parties: Parties, user_ids) -> dict[int, list[str]]:
    """Active memberships of the proposal's parties, per user (one query)."""
    memberships = (
        TeamMembership.objects.active()
        .filter(user_id__in=user_ids)
        .filter(
            Q(municipality_id__in=[parties.lead_id, *parties.municipalities])
            | Q(organisation_id__in=list(parties.organisations))
        )
        .values_list("user_id", "municipality_id", "organisation_id")
        .distinct()
    )
    reasons = defaultdict(list)
    for user_id, municipality_id, organisation_id in memberships:
        reason = (
            parties.municipality_reason(municipality_id, team=True)
            if municipality_id
            else parties.organisation_reason(organisation_id, team=True)
        )
        if reason and reason not in reasons[user_id]:
            reasons[user_id].append(reason)
    return reasons


def _affiliation_reasons(parties: Parties, profile) -> list[str]:
    reasons = []
    if profile is None:
        return reasons
    if profile.affiliation_municipality_id:
        reason = parties.municipality_reason(profile.affiliation_municipality_id, team=False)
        if reason:
            reasons.append(reason)
    if profile.affiliation_organisation_id:
        reason = parties.organisation_reason(profile.affiliation_organisation_id, team=False)
        if reason:
            reasons.append(reason)
    return reasons


def conflicts_of(user, proposal, *, parties: Parties | None = None) -> list[str]:
    """Why `user` may not review `proposal` (empty: no conflict)."""
    parties = parties or Parties.of(proposal)
    profile = ExpertProfile.objects.filter(user=user).first()
    return _team_reasons(parties, [user.pk]).get(user.pk, []) + _affiliation_reasons(parties, profile)


@dataclass
class Suggestion:
    profile: ExpertProfile
    matching_themes: list[Theme]
    open_assignments: int
    already_assigned: bool
    conflicts: list[str]

    @property
    def user(self):
        return self.profile.user


def suggestions(review_round) -> tuple[list[Suggestion], list[Suggestion]]:
    """(suggested, conflicted) for a round: active experts ranked by matching call themes (most first),
    then open assignments (fewest first), then name; the conflicted apart, in the same order."""
    proposal = review_round.proposal
    parties = Parties.of(proposal)
    call_theme_ids = (
        set(proposal.call.themes.values_list("pk", flat=True)) if proposal.call_id is not None else set()
    )
    open_filter = Q(user__review_assignments__state__in=OPEN_STATES)
    profiles = list(
        ExpertProfile.objects.filter(is_active=True, user__is_active=True)
        .select_related("user")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("code")))
        .annotate(
            matching=Count("themes", filter=Q(themes__in=call_theme_ids), distinct=True),
            open_assignments=Count("user__review_assignments", filter=open_filter, distinct=True),
        )
        .order_by("-matching", "open_assignments", "user__last_name", "user__first_name", "user__username")
    )
    user_ids = [p.user_id for p in profiles]
    assigned = set(
        ReviewAssignment.objects.active()
        .filter(round=review_round, reviewer_id__in=user_ids)
        .values_list("reviewer_id", flat=True)
    )
    team = _team_reasons(parties, user_ids)
    suggested, conflicted = [], []
    for profile in profiles:
        entry = Suggestion(
            profile=profile,
            matching_themes=[t for t in profile.themes.all() if t.pk in call_theme_ids],
            open_assignments=profile.open_assignments,
            already_assigned=profile.user_id in assigned,
            conflicts=team.get(profile.user_id, []) + _affiliation_reasons(parties, profile),
        )
        (conflicted if entry.conflicts else suggested).append(entry)
    return suggested, conflicted
