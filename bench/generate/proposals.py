"""Proposals in every state with the partners, transition logs and submissions their path left behind."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django_fsm_log.models import StateLog

from bench.generate.bulk import bulk, chunks, copy_rows
from workflows.lifecycle import decision_names
from workflows.models import Proposal, ProposalPartner, Submission
from workflows.states import State

if TYPE_CHECKING:
    from bench.generate.driver import Generator

_DRAFT = ["start_consultation", "start_drafting"]
_SENT = [*_DRAFT, "mark_ready", "submit"]
# The share of proposals in each state and the path of transitions that leads there.
STATE_MIX = {
    State.IDEA: (0.10, []),
    State.CONSULTATION: (0.07, ["start_consultation"]),
    State.DROPPED: (0.05, ["start_consultation", "drop"]),
    State.DRAFTING: (0.14, _DRAFT),
    State.IN_REVIEW: (0.04, [*_DRAFT, "start_review"]),
    State.READY: (0.03, [*_DRAFT, "mark_ready"]),
    State.SUBMITTED: (0.10, _SENT),
    State.AWARDED: (0.12, [*_SENT, "award"]),
    State.RESERVE: (0.03, [*_SENT, "put_on_reserve"]),
    State.REJECTED: (0.19, [*_SENT, "reject"]),
    State.INELIGIBLE: (0.03, [*_SENT, "declare_ineligible"]),
    State.INVITED_STAGE2: (0.02, [*_SENT, "invite_to_stage2"]),
    State.WITHDRAWN: (0.04, [*_DRAFT, "withdraw"]),
    State.EXPIRED: (0.04, [*_DRAFT, "expire"]),
}
# Never given a call: still an idea, or dropped before drafting.
NO_CALL = (State.IDEA, State.CONSULTATION, State.DROPPED)
# Where the steps on the way lead; the last step of a path leads to the proposal's state.
_TARGETS = {
    "start_consultation": State.CONSULTATION,
    "start_drafting": State.DRAFTING,
    "start_review": State.IN_REVIEW,
    "mark_ready": State.READY,
    "submit": State.SUBMITTED,
}


def proposals(gen: Generator) -> int:
    states = list(STATE_MIX)
    weights = [STATE_MIX[s][0] for s in states]
    rows = []
    for i in range(gen.scale.proposals):
        state = gen.rng.choices(states, weights)[0]
        lead = gen.municipalities[gen.rng.randrange(len(gen.municipalities))]
        pool = gen.open_calls if state in State.BEFORE_SUBMISSION else gen.closed_calls
        call = None if state in NO_CALL else gen.rng.choice(pool)
        rows.append(
            Proposal(
                lead=lead,
                call=call,
                title=f"Proposal {i} {gen.rng.choice(['su', 'enerji', 'göç', 'kültür', 'tarım'])}",
                acronym=f"P{i}",
                requested_amount=Decimal(gen.rng.randint(50, 2_000)) * 1_000,
                total_budget=Decimal(gen.rng.randint(2_000, 2_500)) * 1_000,
                coordinator=gen.rng.choice(gen.office),
                stage=1,
                state=state,
                awarded_amount=Decimal(500_000) if state == State.AWARDED else None,
            )
        )
    for proposal in rows:
        proposal.refresh_sort_keys()
    gen.proposals = bulk(Proposal, rows)
    partners = _partners(gen)
    logs, submissions = _history(gen)
    return len(gen.proposals) + partners + logs + submissions


def _partners(gen: Generator) -> int:
    """Up to three partners each, municipalities or organisations, never the lead and never twice (the
    rules of `workflows.services.create_proposal`)."""
    partners = []  # (proposal, municipality, organisation)
    for proposal in gen.proposals:
        taken = {("m", proposal.lead_id)}
        for _ in range(gen.rng.choice([0, 1, 1, 2, 3])):
            if gen.rng.random() < 0.5:
                party = gen.rng.choice(gen.organisations)
                if ("o", party.pk) in taken:
                    continue
                taken.add(("o", party.pk))
                partners.append((proposal.pk, None, party.pk))
            else:
                party = gen.rng.choice(gen.municipalities)
                if ("m", party.pk) in taken:
                    continue
                taken.add(("m", party.pk))
                partners.append((proposal.pk, party.pk, None))
    copy_rows(
        ProposalPartner,
        ["proposal", "municipality", "organisation", "role"],
        ((p, m, o, ProposalPartner.Role.PARTNER) for p, m, o in partners),
    )
    gen.partners = partners
    return len(partners)


def _history(gen: Generator) -> tuple[int, int]:
    """A StateLog row per step of each proposal's path, and a submission where the path submits."""
    content_type = ContentType.objects.get_for_model(Proposal)
    logs, submissions, moments = [], [], []
    decisions = decision_names()
    for proposal in gen.proposals:
        source = State.IDEA
        at = gen.now - timedelta(days=gen.rng.randint(30, 3_000))
        created, submitted, decided = at, None, None
        for name in STATE_MIX[proposal.state][1]:
            target = _TARGETS.get(name, proposal.state)
            at += timedelta(days=gen.rng.randint(1, 20))
            logs.append(
                (
                    at,
                    None if name == "expire" else proposal.coordinator_id,
                    source,
                    target,
                    name,
                    content_type.pk,
                    proposal.pk,
                )
            )
            if name in decisions:  # the day of the last one is the proposal's `decided_on`
                decided = at.date()
            if name == "submit":
                submitted = min(at, proposal.call.deadline if proposal.call else at)
                submissions.append(
                    Submission(
                        proposal=proposal,
                        stage=proposal.stage,
                        funder_reference=f"REF-{proposal.pk}",
                        submitted_at=submitted,
                        recorded_by=proposal.coordinator,
                    )
                )
            source = target
        moments.append((proposal.pk, created, submitted, decided))
    copy_rows(
        StateLog,
        ["timestamp", "by", "source_state", "state", "transition", "content_type", "object_id"],
        logs,
    )
    gen.submissions = bulk(Submission, submissions)
    _set_moments(moments)
    return len(logs), len(submissions)


def _set_moments(moments) -> None:
    """When each proposal began (its path's first day, not the generator's), was submitted and decided:
    what the results and the annual report count by."""
    table = connection.ops.quote_name(Proposal._meta.db_table)
    for part in chunks(moments):
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET created_at = %s, submitted_at = %s, decided_on = %s WHERE id = %s",
                [(min(c, s) if s else c, s, d, pk) for pk, c, s, d in part],
            )
