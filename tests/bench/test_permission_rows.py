"""The generator grants what the services grant. Access is derived from rows (office groups, team
memberships, partners, review assignments: `workflows.access`), and the generator writes those rows in
bulk, not through the services. So for a sample of its people and proposals we write down the facts by
natural keys (usernames, party names, acronyms), the rows and what `workflows.access` answers, roll the
generation back, create the same facts through the services on the empty database and compare.

The sample: the first assignment in each state, each affiliated expert's first assignment, the
assignments where an expert's affiliation meets the proposal's lead or partners (the services refuse
those: there must be none), proposals with partners of each kind; their office coordinators, the first
two people on each of their teams, their reviewers, and one outsider of each kind.
PostgreSQL only: runs when DATABASE_URL is set (as in CI)."""

import io
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from bench.generate import generate
from grants_office.core.errors import DomainError
from grants_office.members.imports import import_municipalities
from grants_office.members.models import ExpertProfile, Municipality, Organisation, TeamMembership
from grants_office.members.roles import OFFICE_STAFF
from tests.factories import CallFactory, RubricFactory
from workflows import services
from workflows.access import can_view, viewers_among_many
from workflows.models import Proposal, ProposalPartner
from workflows.review import services as review
from workflows.review.models import ReviewAssignment
from workflows.selectors import proposals_visible_to
from workflows.states import AssignmentState

pytestmark = [
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="the generator runs on PostgreSQL"),
    pytest.mark.django_db,
]

User = get_user_model()


@dataclass
class World:
    """Facts by natural keys, as the services take them."""

    municipalities: dict[str, dict] = field(default_factory=dict)  # name -> a row of the registry import
    organisations: dict[str, dict] = field(default_factory=dict)  # name -> fields
    office: list[str] = field(default_factory=list)  # the people the generator made office staff
    people: list[str] = field(default_factory=list)
    memberships: list[tuple[str, str, str]] = field(default_factory=list)  # (username, party, role)
    experts: dict[str, str | None] = field(default_factory=dict)  # username -> affiliated municipality
    # acronym, title, lead, partners [(party, role)], coordinator, rounds [(closed, [(reviewer, state)])]
    proposals: list[dict] = field(default_factory=list)

    @property
    def acronyms(self) -> list[str]:
        return [p["acronym"] for p in self.proposals]


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """Generate the tiny scale, write down the sample's facts and what the rows say, roll it all back."""
    with django_db_blocker.unblock(), transaction.atomic(), translation.override("en"):
        generator = generate("tiny", out=io.StringIO())
        world = sample(generator)
        seen = observe(world)
        transaction.set_rollback(True)
    return world, seen


@pytest.fixture(scope="module")
def by_services(generated, django_db_blocker):
    """The sample's facts created through the services on the empty database: what the rows say then,
    and every step a service refused (rolled back too)."""
    world, _seen = generated
    with django_db_blocker.unblock(), transaction.atomic(), translation.override("en"):
        refused = replay(world)
        seen = observe(world)
        transaction.set_rollback(True)
    return seen, refused


def test_the_services_take_every_generated_fact(by_services):
    _seen, refused = by_services
    assert refused == []


@pytest.mark.parametrize("rows", ["groups", "memberships", "partners", "assignments"])
def test_the_generator_writes_the_rows_the_services_write(generated, by_services, rows):
    _world, seen = generated
    assert seen[rows] == by_services[0][rows]


@pytest.mark.parametrize("answer", ["can_view", "visible", "viewers"])
def test_access_answers_for_generated_rows_are_those_for_the_services_rows(generated, by_services, answer):
    _world, seen = generated
    assert seen[answer] == by_services[0][answer]


def test_the_sample_covers_every_assignment_state_and_both_kinds_of_partner(generated):
    world, seen = generated
    assert {state for _, _, _, state, *_ in seen["assignments"]} == set(AssignmentState.values)
    assert seen["can_view"] - {(u, a) for u in world.office for a in world.acronyms}, "only the office sees"
    kinds = {
        party in world.organisations for proposal in world.proposals for party, _role in proposal["partners"]
    }
    assert kinds == {True, False}
    assert any(world.experts.values()), "no affiliated expert in the sample"


# --- the sample, read from the generated rows ---------------------------------------------------------
def sample(generator) -> World:
    world = World()
    people = {u.username for u in generator.office[:2]}
    parties = set()  # ("m" | "o", pk)
    for proposal in _sampled_proposals():
        partners = list(proposal.partners.select_related("municipality", "organisation").order_by("pk"))
        parties.add(("m", proposal.lead_id))
        parties.update(
            ("m", p.municipality_id) if p.municipality_id else ("o", p.organisation_id) for p in partners
        )
        rounds = []
        for review_round in proposal.review_rounds.order_by("number"):
            rows = list(review_round.assignments.order_by("pk").values_list("reviewer__username", "state"))
            rounds.append((review_round.closed_at is not None, rows))
            people.update(username for username, _ in rows)
        world.proposals.append(
            {
                "acronym": proposal.acronym,
                "title": proposal.title,
                "lead": proposal.lead.name,
                "partners": [(p.party.name, p.role) for p in partners],
                "coordinator": proposal.coordinator.username,
                "rounds": rounds,
            }
        )
        people.add(proposal.coordinator.username)
    people |= _teams_and_outsiders(parties, people)
    world.people = sorted(people)
    world.office = sorted(u.username for u in generator.office if u.username in people)
    _people_facts(world)
    return world


def _sampled_proposals():
    assignments = ReviewAssignment.objects.order_by("pk")
    affiliated = assignments.filter(reviewer__expert_profile__affiliation_municipality__isnull=False)
    picked = [assignments.filter(state=state).first() for state in AssignmentState.values]
    reviewers = sorted(set(affiliated.values_list("reviewer", flat=True)))
    picked += [affiliated.filter(reviewer=reviewer).first() for reviewer in reviewers]
    # Where the conflict-of-interest rule bites: the services refuse these, so none may be generated.
    affiliation = F("reviewer__expert_profile__affiliation_municipality")
    picked += affiliated.filter(
        Q(round__proposal__lead=affiliation) | Q(round__proposal__partners__municipality=affiliation)
    )
    ids = {a.round.proposal_id for a in picked if a is not None}
    partners = ProposalPartner.objects.order_by("proposal")
    ids.add(partners.filter(organisation__isnull=False).values_list("proposal", flat=True).first())
    ids.add(partners.filter(municipality__isnull=False).values_list("proposal", flat=True).first())
    return Proposal.objects.filter(pk__in=ids).select_related("lead", "coordinator").order_by("pk")


def _teams_and_outsiders(parties, people) -> set[str]:
    """The first two people on each party's team, someone on another municipality's team and an expert
    who reviews none of the sample."""
    found = set()
    for kind, pk in sorted(parties):
        team = TeamMembership.objects.filter(**{"municipality" if kind == "m" else "organisation": pk})
        found.update(team.order_by("pk").values_list("user__username", flat=True)[:2])
    others = TeamMembership.objects.filter(municipality__isnull=False).exclude(
        municipality__in=[pk for kind, pk in parties if kind == "m"]
    )
    found.add(others.order_by("pk").values_list("user__username", flat=True).first())
    idle = ExpertProfile.objects.exclude(user__username__in=people | found).order_by("pk")
    found.add(idle.values_list("user__username", flat=True).first())
    found.discard(None)
    return found


def _people_facts(world: World) -> None:
    """Their memberships and expert profiles, and the registry rows of every party named."""
    memberships = TeamMembership.objects.filter(user__username__in=world.people)
    for m in memberships.select_related("user", "municipality", "organisation"):
        world.memberships.append((m.user.username, m.party.name, m.role))
    profiles = ExpertProfile.objects.filter(user__username__in=world.people)
    for profile in profiles.select_related("user", "affiliation_municipality"):
        affiliation = profile.affiliation_municipality
        world.experts[profile.user.username] = affiliation.name if affiliation else None
    names = {name for _, name, _ in world.memberships} | {name for name in world.experts.values() if name}
    for p in world.proposals:
        names |= {p["lead"], *(name for name, _ in p["partners"])}
    for m in Municipality.objects.filter(name__in=names):
        world.municipalities[m.name] = {
            "name": m.name,
            "province": m.province,
            "kind": m.kind,
            "membership_status": m.membership_status,
        }
    for o in Organisation.objects.filter(name__in=names):
        world.organisations[o.name] = {"name": o.name, "kind": o.kind, "country": o.country}


# --- the same facts through the services ----------------------------------------------------------------
def replay(world: World) -> list[str]:
    """What people's actions leave: the registry import, the office's groups and team memberships as the
    admin saves them, proposals through `create_proposal`, rounds and assignments through the review
    services, each step by the person who takes it. Returns the steps a service refused (each left
    nothing behind, and what depends on it is skipped)."""
    refused: list[str] = []
    import_municipalities(list(world.municipalities.values()))
    parties = {m.name: m for m in Municipality.objects.filter(name__in=world.municipalities)}
    for name, fields in world.organisations.items():
        parties[name] = Organisation.objects.create(**fields)
    users = {username: User.objects.create_user(username=username) for username in world.people}
    office = Group.objects.get(name=OFFICE_STAFF)
    for username in world.office:
        users[username].groups.add(office)
    for username, party_name, role in world.memberships:
        party = parties[party_name]
        membership = TeamMembership(user=users[username], role=role, **{_kind(party): party})
        membership.full_clean()
        membership.save()
    for username, affiliation in world.experts.items():
        ExpertProfile.objects.create(
            user=users[username], title="Dr.", affiliation_municipality=parties.get(affiliation)
        )
    call = CallFactory(rubric=RubricFactory())
    for spec in world.proposals:
        coordinator = User.objects.get(username=spec["coordinator"])
        with _step(refused, spec["acronym"]) as done:
            proposal = services.create_proposal(
                coordinator,
                lead=parties[spec["lead"]],
                title=spec["title"],
                acronym=spec["acronym"],
                coordinator=coordinator,
                partners=[
                    {_kind(parties[name]): parties[name], "role": role} for name, role in spec["partners"]
                ],
            )
            if spec["rounds"]:
                proposal = services.perform_transition(proposal, "start_consultation", coordinator)
                services.perform_transition(proposal, "start_drafting", coordinator, call=call.pk)
        if not done:
            continue
        for number, (closed, assignments) in enumerate(spec["rounds"], start=1):
            with _step(refused, f"{spec['acronym']} round {number}"):
                _review_round(Proposal.objects.get(pk=proposal.pk), coordinator, closed, assignments, refused)
    return refused


def _kind(party) -> str:
    return "municipality" if isinstance(party, Municipality) else "organisation"


@contextmanager
def _step(refused: list[str], what: str):
    """One step in a savepoint: a refusal (a domain error) is written down and leaves nothing behind."""
    done = []
    try:
        with transaction.atomic():
            yield done
    except DomainError as error:
        refused.append(f"{what}: {error}")
    else:
        done.append(True)


def _review_round(proposal, office, closed: bool, assignments, refused: list[str]) -> None:
    review_round = review.open_round(proposal, office, due_at=timezone.now() + timedelta(days=7))
    scores = {code: {"score": top} for code, top in review_round.criteria.values_list("code", "scale_max")}
    for username, state in assignments:
        reviewer = User.objects.get(username=username)
        with _step(refused, f"{proposal.acronym} round {review_round.number}, {username} {state}"):
            assignment = review.assign_reviewer(review_round, office, reviewer=reviewer)
            if state in AssignmentState.FULL_ACCESS:
                assignment = review.transition_assignment(
                    assignment, "accept", reviewer, declaration="No conflict of interest.", no_conflict=True
                )
            if state == AssignmentState.SUBMITTED:
                review.save_review(assignment, reviewer, scores=scores, recommendation="revise", submit=True)
            elif state == AssignmentState.DECLINED:
                review.transition_assignment(assignment, "decline", reviewer)
            elif state == AssignmentState.WITHDRAWN:
                review.transition_assignment(assignment, "withdraw", office)
    if closed:
        review.close_round(review_round, office, feedback="Thank you; see the reviews.")


# --- what the rows are and what access answers ----------------------------------------------------------
def observe(world: World) -> dict:
    """The rows access is derived from and its answers for the sample, by natural keys (fresh objects:
    nothing cached from an earlier answer)."""
    users = {u.username: u for u in User.objects.filter(username__in=world.people)}
    proposals = {p.acronym: p for p in Proposal.objects.filter(acronym__in=world.acronyms)}
    memberships = TeamMembership.objects.filter(user__username__in=world.people)
    partners = ProposalPartner.objects.filter(proposal__acronym__in=world.acronyms)
    assignments = ReviewAssignment.objects.filter(round__proposal__acronym__in=world.acronyms)
    acronyms = sorted(proposals)
    viewers = viewers_among_many([(proposals[a], list(users.values())) for a in acronyms])
    username = {u.pk: name for name, u in users.items()}
    return {
        "groups": set(
            User.groups.through.objects.filter(user__in=users.values()).values_list(
                "user__username", "group__name"
            )
        ),
        "memberships": {
            (m.user.username, m.party.name, m.role, m.is_active() and m.user.is_active)
            for m in memberships.select_related("user", "municipality", "organisation")
        },
        "partners": {
            (p.proposal.acronym, p.party.name, p.role)
            for p in partners.select_related("proposal", "municipality", "organisation")
        },
        "assignments": sorted(
            (
                a.round.proposal.acronym,
                a.round.number,
                a.reviewer.username,
                a.state,
                a.declared_no_conflict,
                bool(a.declaration),
                a.declared_at is not None,
            )
            for a in assignments.select_related("round__proposal", "reviewer")
        ),
        "can_view": {(u, a) for u in sorted(users) for a in acronyms if can_view(users[u], proposals[a])},
        "visible": {
            (u, a)
            for u in sorted(users)
            for a in proposals_visible_to(users[u])
            .filter(acronym__in=acronyms)
            .values_list("acronym", flat=True)
        },
        "viewers": {(a, username[pk]) for a, seen in zip(acronyms, viewers, strict=True) for pk in seen},
    }
