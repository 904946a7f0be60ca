"""Who may see a proposal, and whom a reader may be shown: derived from domain rows at request time.

Nothing is granted and kept in step. A person sees a proposal when, at the moment of the request,
- they are office staff or an office admin (or a superuser), or
- they hold a membership active today (`TeamMembership.objects.active()`: started, not ended, the
  account active) on the team of its lead municipality or of one of its partners, or
- they are its reviewer past the conflict-of-interest gate: an assignment accepted with the
  declaration, or submitted, in one of its rounds.
A membership saved, ended or deleted anywhere (admin, API, shell, an import) and an end date that
passes change the answer at once, because every check reads the rows themselves.

An expert whose invitation is still open sees only the conflict-check brief of the assignment
(`workflows.review`), never the proposal itself.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, Q, QuerySet

from grants_office.core.people import signed_in
from grants_office.members.models import TeamMembership
from grants_office.members.permissions import is_office_staff
from grants_office.members.roles import OFFICE_ADMIN, OFFICE_STAFF
from grants_office.members.selectors import memberships_today
from workflows.models import Proposal, ProposalPartner, ReviewAssignment
from workflows.states import AssignmentState


def _office_q() -> Q:
    return Q(is_superuser=True) | Q(groups__name__in=[OFFICE_STAFF, OFFICE_ADMIN])


def visible_proposal_ids(user):
    """Ids of the proposals a person outside the office sees, as one subquery: a UNION ALL of index
    scans by the ids of their teams today (read first: given as values, the planner scans the lead and
    partner indexes directly; nested as a subquery, it hashed and ran parallel workers, 4x slower at
    national scale) and of their reviews past the gate."""

    memberships = memberships_today(user)
    municipalities = sorted({m for m, _, _ in memberships if m})
    organisations = sorted({o for _, o, _ in memberships if o})
    parts = [
        ReviewAssignment.objects.filter(reviewer_id=user.pk, state__in=AssignmentState.FULL_ACCESS)
        .order_by()
        .values("round__proposal_id")
    ]
    if municipalities:
        parts.append(Proposal.objects.filter(lead_id__in=municipalities).order_by().values("pk"))
        parts.append(
            ProposalPartner.objects.filter(municipality_id__in=municipalities)
            .order_by()
            .values("proposal_id")
        )
    if organisations:
        parts.append(
            ProposalPartner.objects.filter(organisation_id__in=organisations).order_by().values("proposal_id")
        )
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def found_visible(user, proposal) -> None:
    """`proposal` was loaded through `proposals_visible_to(user)` for this request: the question is
    answered, and `can_view` passes the answer on instead of asking the database again. Only objects
    that live for one request are marked (a view's, an API call's), never a long-lived one."""
    proposal.__dict__.setdefault("_visible_to", set()).add(user.pk)


def can_view(user, proposal) -> bool:
    if not signed_in(user):
        return False
    if is_office_staff(user) or user.pk in proposal.__dict__.get("_visible_to", ()):
        return True
    if any(m == proposal.lead_id for m, _, _ in memberships_today(user)):
        return True  # the lead's team: nothing to ask beyond the memberships
    return Proposal.objects.filter(pk=proposal.pk, pk__in=visible_proposal_ids(user)).exists()


def _parties(proposal_ids) -> dict[int, tuple[set[int], set[int]]]:
    """Each proposal's lead and partner municipalities, and its partner organisations (one query)."""

    parties = {pk: (set(), set()) for pk in proposal_ids}
    rows = Proposal.objects.filter(pk__in=proposal_ids).values_list(
        "pk", "lead_id", "partners__municipality_id", "partners__organisation_id"
    )
    for pk, lead, municipality, organisation in rows:
        municipalities, organisations = parties[pk]
        municipalities.add(lead)
        if municipality:
            municipalities.add(municipality)
        if organisation:
            organisations.add(organisation)
    return parties


def viewers_among_many(pairs) -> list[set[int]]:
    """For each (proposal, users) pair, the ids of its people who may see its proposal: the same answer
    as `can_view` per person, in four queries however many pairs and people (a reminder scan's
    thousands of people are never sent as parameters: questions go by proposal)."""

    pairs = [(proposal, [user for user in users if signed_in(user)]) for proposal, users in pairs]
    ids = {user.pk for _, users in pairs for user in users}
    if not ids:
        return [set() for _ in pairs]
    # The office is a few dozen people; a few people (one event) narrow the question to themselves.
    staff = get_user_model().objects.filter(_office_q())
    if len(ids) <= 200:
        staff = staff.filter(pk__in=ids)
    office = set(staff.values_list("pk", flat=True))
    proposal_ids = sorted({proposal.pk for proposal, users in pairs if users})
    parties = _parties(proposal_ids)
    all_municipalities = sorted({m for ms, _ in parties.values() for m in ms})
    all_organisations = sorted({o for _, os in parties.values() for o in os})
    on_team: dict[tuple[str, int], set[int]] = {}
    for user_id, municipality, organisation in (
        TeamMembership.objects.active()
        .filter(Q(municipality_id__in=all_municipalities) | Q(organisation_id__in=all_organisations))
        .values_list("user_id", "municipality_id", "organisation_id")
    ):
        key = ("m", municipality) if municipality else ("o", organisation)
        on_team.setdefault(key, set()).add(user_id)
    reviewing = set(
        ReviewAssignment.objects.filter(
            round__proposal_id__in=proposal_ids, state__in=AssignmentState.FULL_ACCESS
        ).values_list("round__proposal_id", "reviewer_id")
    )
    answers = []
    for proposal, users in pairs:
        municipalities, organisations = parties.get(proposal.pk, (set(), set()))
        team = set().union(
            *(on_team.get(("m", m), set()) for m in municipalities),
            *(on_team.get(("o", o), set()) for o in organisations),
        )
        answers.append(
            {
                user.pk
                for user in users
                if user.pk in office or user.pk in team or (proposal.pk, user.pk) in reviewing
            }
        )
    return answers


def viewers_among(proposal, users) -> set[int]:
    return viewers_among_many([(proposal, users)])[0]


# --- whom a reader may be shown -------------------------------------------------------------------
def _known_q(reader, proposal) -> Q | None:
    """The people `reader` may be shown in the context of `proposal`, as a filter on users; None means
    anyone (the office). Outside the office: the office, oneself and today's lead and partner teams;
    a reviewer past the gate also the proposal's other such reviewers, whom the internal discussion
    shows. Whether someone reviews the proposal never widens what a team is shown, so no answer (a
    mention, a name, a count) can tell a team who its reviewers are."""
    if is_office_staff(reader):
        return None

    partners = ProposalPartner.objects.filter(proposal_id=proposal.pk)
    teams = TeamMembership.objects.active().filter(
        Q(municipality_id=proposal.lead_id)
        | Q(municipality_id__in=partners.values("municipality_id"))
        | Q(organisation_id__in=partners.values("organisation_id"))
    )
    reviewers = ReviewAssignment.objects.filter(
        round__proposal_id=proposal.pk, state__in=AssignmentState.FULL_ACCESS
    )
    # One query whatever the reader: "is the reader one of them" is a subquery too.
    co_reviewers = Q(pk__in=reviewers.values("reviewer_id")) & Q(
        Exists(reviewers.filter(reviewer_id=reader.pk))
    )
    return _office_q() | Q(pk=reader.pk) | Q(pk__in=teams.values("user_id")) | co_reviewers


def people_known_to(reader, proposal, people: QuerySet) -> QuerySet:
    """Of `people` (users), those whom `reader` may be shown for `proposal`. The one rule for mentions,
    "mentioned" lists and lists of participants (no query of its own: it narrows `people` by
    subqueries)."""
    if not signed_in(reader):
        return people.none()
    known = _known_q(reader, proposal)
    if known is None:
        return people
    return people.filter(pk__in=get_user_model().objects.filter(known).values("pk"))
