"""Expert review: expertise themes; closed rounds on proposals past drafting and an open one on each
proposal in review; `scale.assignments` assignments with reviews and scores (a reviewer past the
declaration sees the proposal through the assignment itself, `workflows.access`)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from bench.generate.bulk import copy_rows, reserve_ids
from grants_office.members.models import ExpertProfile
from workflows.review.interests import Parties, affiliation_reasons
from workflows.review.models import (
    Recommendation,
    Review,
    ReviewAssignment,
    ReviewRound,
    ReviewScore,
    RoundCriterion,
)
from workflows.states import AssignmentState, State

if TYPE_CHECKING:
    from bench.generate.driver import Generator

# Proposals whose path went through drafting with a call and on: reviewed before, their rounds closed.
REVIEWED = (State.READY, *State.AFTER_SUBMISSION, State.INVITED_STAGE2, State.WITHDRAWN, State.EXPIRED)
_CLOSED_MIX = [AssignmentState.SUBMITTED] * 16 + [AssignmentState.DECLINED] * 3 + [AssignmentState.WITHDRAWN]
_OPEN_MIX = (
    [AssignmentState.INVITED] * 6
    + [AssignmentState.ACCEPTED] * 7
    + [AssignmentState.SUBMITTED] * 5
    + [AssignmentState.DECLINED] * 2
)


def review(gen: Generator) -> int:
    rng = gen.rng
    through = ExpertProfile.themes.through
    written = copy_rows(
        through,
        ["expertprofile", "theme"],
        (
            (profile.pk, theme.pk)
            for profile in gen.expert_profiles
            for theme in rng.sample(gen.themes, rng.randint(2, 5))
        ),
    )
    rounds, sizes = _plan(gen)
    round_info, in_rounds = _rounds(gen, rounds)
    review_rows, in_assignments = _assignments(gen, round_info, sizes)
    return written + in_rounds + in_assignments + _reviews(gen, review_rows)


def _plan(gen: Generator) -> tuple[list, list[int]]:
    """The rounds [(proposal, number, is_open)] and their sizes, adding up to `scale.assignments`."""
    rng = gen.rng
    in_review = [p for p in gen.proposals if p.state == State.IN_REVIEW]
    eligible = [p for p in gen.proposals if p.state in REVIEWED and p.call_id]
    wanted_rounds = max(len(in_review), round(gen.scale.assignments / 3))
    closed_on = [rng.choice(eligible) for _ in range(wanted_rounds - len(in_review))]
    closed_on += [p for p in in_review if rng.random() < 0.3]  # reviewed before, in review again
    numbers: dict[int, int] = {}
    rounds = []  # (proposal, number, is_open)
    for proposal in sorted(closed_on, key=lambda p: p.pk):
        numbers[proposal.pk] = numbers.get(proposal.pk, 0) + 1
        rounds.append((proposal, numbers[proposal.pk], False))
    for proposal in in_review:
        numbers[proposal.pk] = numbers.get(proposal.pk, 0) + 1
        rounds.append((proposal, numbers[proposal.pk], True))
    sizes = [rng.choice([2, 3, 4]) for _ in rounds]
    total = sum(sizes)
    while total != gen.scale.assignments:
        i = rng.randrange(len(sizes))
        if total > gen.scale.assignments and sizes[i] > 1:
            sizes[i] -= 1
            total -= 1
        elif total < gen.scale.assignments and sizes[i] < 6:
            sizes[i] += 1
            total += 1
    return rounds, sizes


def _rounds(gen: Generator, rounds: list) -> tuple[list, int]:
    """The rounds with the rubric copied (as `open_round` does) and the latest versions fixed; returns
    [(round pk, proposal, is_open, opened_at, due_at, [(criterion pk, criterion)])] and the rows written."""
    rng = gen.rng
    criteria = {r.pk: list(r.criteria.order_by("position", "id")) for r in gen.rubrics}
    rubric_of_call = {c.pk: c.rubric_id for c in gen.calls}
    rubric_by_pk = {r.pk: r for r in gen.rubrics}
    first_round = reserve_ids(ReviewRound, len(rounds))
    round_rows, round_criteria, round_versions = [], [], []
    criterion_pk = reserve_ids(
        RoundCriterion, sum(len(criteria[rubric_of_call[p.call_id]]) for p, _, _ in rounds)
    )
    round_info = []
    for i, (proposal, number, is_open) in enumerate(rounds):
        pk = first_round + i
        rubric = rubric_by_pk[rubric_of_call[proposal.call_id]]
        if is_open:
            opened = gen.now - timedelta(days=rng.randint(1, 20))
            due = gen.now + timedelta(days=rng.randint(-4, 14), hours=rng.randint(0, 23))
            closed = None
        else:
            opened = gen.now - timedelta(days=rng.randint(60, 3_000) + 30 * (3 - number))
            due = opened + timedelta(days=14)
            closed = due + timedelta(days=rng.randint(0, 7))
        round_rows.append(
            (
                pk,
                proposal.pk,
                number,
                due,
                rubric.name,
                rubric.overall_threshold,
                rubric.disagreement_rule,
                rubric.disagreement_gap,
                False,
                "" if is_open else "Thank you; see the reviews.",
                proposal.coordinator.pk,
                opened,
                None if is_open else proposal.coordinator.pk,
                closed,
            )
        )
        mine = []
        for c in criteria[rubric.pk]:
            round_criteria.append(
                (
                    criterion_pk,
                    pk,
                    c.code,
                    c.title,
                    "",
                    c.position,
                    c.scale_min,
                    c.scale_max,
                    c.step,
                    c.threshold,
                    c.weight,
                )
            )
            mine.append((criterion_pk, c))
            criterion_pk += 1
        round_versions.extend((pk, v) for v in gen.latest_versions.get(proposal.pk, []))
        round_info.append((pk, proposal, is_open, opened, due, mine))
    written = copy_rows(
        ReviewRound,
        [
            "id",
            "proposal",
            "number",
            "due_at",
            "rubric_name",
            "overall_threshold",
            "disagreement_rule",
            "disagreement_gap",
            "due_after_deadline",
            "feedback",
            "opened_by",
            "opened_at",
            "closed_by",
            "closed_at",
        ],
        round_rows,
    )
    written += copy_rows(
        RoundCriterion,
        [
            "id",
            "round",
            "code",
            "title",
            "description",
            "position",
            "scale_min",
            "scale_max",
            "step",
            "threshold",
            "weight",
        ],
        round_criteria,
    )
    written += copy_rows(ReviewRound.versions.through, ["reviewround", "documentversion"], round_versions)
    return round_info, written


def _assignments(gen: Generator, round_info: list, sizes: list[int]) -> tuple[list, int]:
    """Each round's reviewers, none with a conflict of interest, in the states a round of its kind holds;
    returns the assignments that have a review [(assignment pk, state, invited_at, criteria)] and the
    rows written."""
    rng = gen.rng
    experts = gen.expert_profiles
    parties = _parties(gen, {proposal.pk for _, proposal, *_ in round_info})
    assignments, review_rows = [], []
    assignment_pk = reserve_ids(ReviewAssignment, gen.scale.assignments)
    for (pk, proposal, is_open, opened, due, mine), size in zip(round_info, sizes, strict=True):
        taken = set()
        while len(taken) < min(size, len(experts)):
            profile = experts[rng.randrange(len(experts))]
            # The rule `assign_reviewer` applies (experts are on no team here, so only affiliations count).
            if not affiliation_reasons(parties[proposal.pk], profile):
                taken.add(profile.user_id)
        for user_id in sorted(taken):
            state = rng.choice(_OPEN_MIX if is_open else _CLOSED_MIX)
            invited = opened + timedelta(hours=rng.randint(1, 48))
            declared = state in AssignmentState.FULL_ACCESS  # accepted with the declaration
            assignments.append(
                (
                    assignment_pk,
                    pk,
                    user_id,
                    state,
                    due,
                    proposal.coordinator.pk,
                    invited,
                    "I declare no conflict of interest." if declared else "",
                    declared,
                    invited + timedelta(days=1) if declared else None,
                )
            )
            if state == AssignmentState.SUBMITTED or (
                state == AssignmentState.ACCEPTED and rng.random() < 0.6
            ):
                review_rows.append((assignment_pk, state, invited, mine))
            assignment_pk += 1
    written = copy_rows(
        ReviewAssignment,
        [
            "id",
            "round",
            "reviewer",
            "state",
            "due_at",
            "invited_by",
            "invited_at",
            "declaration",
            "declared_no_conflict",
            "declared_at",
        ],
        assignments,
    )
    gen.first_assignment = assignment_pk - len(assignments)
    gen.n_assignments = len(assignments)
    return review_rows, written


def _parties(gen: Generator, proposal_ids: set[int]) -> dict[int, Parties]:
    """The reviewed proposals' lead and partners as `workflows.review.interests` holds them, from memory."""
    municipalities = {m.pk: m.name for m in gen.municipalities}
    organisations = {o.pk: o.name for o in gen.organisations}
    parties = {
        p.pk: Parties(lead_id=p.lead_id, lead_name=municipalities[p.lead_id])
        for p in gen.proposals
        if p.pk in proposal_ids
    }
    for proposal_id, municipality_id, organisation_id in gen.partners:
        if proposal_id not in parties:
            continue
        if municipality_id:
            parties[proposal_id].municipalities[municipality_id] = municipalities[municipality_id]
        else:
            parties[proposal_id].organisations[organisation_id] = organisations[organisation_id]
    return parties


def _reviews(gen: Generator, review_rows: list) -> int:
    """Submitted reviews with every score; drafts of accepted ones with some."""
    rng = gen.rng
    reviews, scores = [], []
    review_pk = reserve_ids(Review, len(review_rows))
    recommendations = [r for r, _ in Recommendation.choices]
    for i, (a_pk, state, invited, mine) in enumerate(review_rows):
        submitted = state == AssignmentState.SUBMITTED
        at = invited + timedelta(days=rng.randint(2, 12))
        reviews.append(
            (
                review_pk + i,
                a_pk,
                rng.choice(recommendations) if submitted else "",
                "Sound proposal; tighten the work plan." if submitted else "",
                invited + timedelta(days=2),
                at,
                at if submitted else None,
            )
        )
        for criterion_pk, c in mine:
            if submitted or rng.random() < 0.5:
                score = Decimal(rng.randint(int(c.scale_min), int(c.scale_max)))
                scores.append((review_pk + i, criterion_pk, score, ""))
    written = copy_rows(
        Review,
        ["id", "assignment", "recommendation", "comment", "created_at", "updated_at", "submitted_at"],
        reviews,
    )
    written += copy_rows(ReviewScore, ["review", "criterion", "score", "comment"], scores)
    return written
