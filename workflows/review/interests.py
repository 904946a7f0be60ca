"""Conflicts of interest (not HTTP 409s) and reviewer suggestions.

Nobody reviews a proposal whose lead or partner they work for: an active membership of the lead's or a
partner's team, or an expert affiliation with the lead municipality or a partner (municipality or
organisation). Suggestions rank active experts by the call's themes in their expertise, then by their
open load, and list the conflicted apart; they cost a fixed number of queries whatever the pool size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from grants_office.calls.models import Theme
from grants_office.members.models import ExpertProfile, TeamMembership
from workflows.review.models import ReviewAssignment
from workflows.states import AssignmentState


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


def affiliation_reasons(parties: Parties, profile) -> list[str]:
    if profile is None:
        return []
    return _affiliations(parties, profile.affiliation_municipality_id, profile.affiliation_organisation_id)


def _affiliations(parties: Parties, municipality_id: int | None, organisation_id: int | None) -> list[str]:
    reasons = []
    if municipality_id:
        reason = parties.municipality_reason(municipality_id, team=False)
        if reason:
            reasons.append(reason)
    if organisation_id:
        reason = parties.organisation_reason(organisation_id, team=False)
        if reason:
            reasons.append(reason)
    return reasons


def conflicts_of(user, proposal, *, parties: Parties | None = None) -> list[str]:
    """Why `user` may not review `proposal` (empty: no conflict)."""
    parties = parties or Parties.of(proposal)
    profile = ExpertProfile.objects.filter(user=user).first()
    return _team_reasons(parties, [user.pk]).get(user.pk, []) + affiliation_reasons(parties, profile)


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


def _count(rows):
    """COUNT(*) of a correlated subquery as an integer annotation (a Func, so no GROUP BY)."""
    return Coalesce(Subquery(rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")), 0)


@dataclass
class Suggestions:
    """A slice of the ranked pool (`offset`, up to `limit` experts) with how many there are in all, and
    every conflicted expert."""

    suggested: list[Suggestion]
    conflicted: list[Suggestion]
    suggested_count: int
    offset: int = 0


def suggestions(review_round, *, limit: int | None = None, offset: int = 0) -> Suggestions:
    """Active experts ranked by matching call themes (most first), then open assignments (fewest
    first), then name; the conflicted apart, in the same order. The whole pool is ranked as light rows
    (ids, counts, affiliations); experts, users and themes are read for the slice and the conflicted
    only: a thousand whole entries were most of the answer's time (issue 18)."""
    proposal = review_round.proposal
    parties = Parties.of(proposal)
    call_theme_ids = (
        set(proposal.call.themes.values_list("pk", flat=True)) if proposal.call_id is not None else set()
    )
    # Two correlated counts, not two joins: joining themes and assignments together multiplied the rows
    # (themes x assignments per expert, hundreds of thousands at national scale) before counting.
    themes = ExpertProfile.themes.through.objects.filter(expertprofile_id=OuterRef("pk"))
    open_load = ReviewAssignment.objects.filter(
        reviewer_id=OuterRef("user_id"), state__in=AssignmentState.AWAITING
    )
    pool = ExpertProfile.objects.filter(is_active=True, user__is_active=True)
    ranked = (
        pool.annotate(
            matching=_count(themes.filter(theme_id__in=call_theme_ids)),
            open_assignments=_count(open_load),
        )
        .order_by("-matching", "open_assignments", "user__last_name", "user__first_name", "user__username")
        .values_list(
            "pk", "user_id", "affiliation_municipality_id", "affiliation_organisation_id", "open_assignments"
        )
    )
    team = _team_reasons(parties, pool.values("user_id"))
    free, conflicted = [], []
    for pk, user_id, municipality_id, organisation_id, load in ranked:
        conflicts = team.get(user_id, []) + _affiliations(parties, municipality_id, organisation_id)
        (conflicted if conflicts else free).append((pk, user_id, load, conflicts))
    shown = free[offset : None if limit is None else offset + limit]
    profiles = ExpertProfile.objects.select_related("user").in_bulk([row[0] for row in shown + conflicted])
    # the round and the shown experts as a subquery and a short list: a thousand ids cost more
    assigned = set(
        ReviewAssignment.objects.active().filter(round=review_round).values_list("reviewer_id", flat=True)
    )
    # Only the call's themes are shown: read those pairs for the experts shown, not every expert's themes.
    matching: dict[int, list[Theme]] = defaultdict(list)
    for pair in (
        ExpertProfile.themes.through.objects.filter(
            theme_id__in=call_theme_ids, expertprofile_id__in=list(profiles)
        )
        .select_related("theme")
        .order_by("theme__code")
    ):
        matching[pair.expertprofile_id].append(pair.theme)

    def entry(row) -> Suggestion:
        pk, user_id, load, conflicts = row
        return Suggestion(profiles[pk], matching.get(pk, []), load, user_id in assigned, conflicts)

    return Suggestions([entry(row) for row in shown], [entry(row) for row in conflicted], len(free), offset)
