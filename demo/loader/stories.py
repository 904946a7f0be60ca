"""The proposals' stories (demo/data/proposals/): every idea registered and walked up to its call's
deadline, then the decisions after it. Proposals move only through `workflows.services.perform_transition`
(and the review services, which call it), as the person named in the story, so every state has its
logged history (django-fsm-log StateLog rows)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from demo import data
from demo.loader.documents import complete_checklist, upload
from demo.loader.shared import Demo
from workflows import services
from workflows.discussion import services as discussion
from workflows.models import Proposal
from workflows.review import services as review


def proposals(demo: Demo) -> None:
    """Register every idea and walk its story up to the call deadline."""
    for spec in data.PROPOSALS:
        partners = [
            {
                "municipality" if key in demo.municipalities else "organisation": demo.party(key),
                "role": role,
            }
            for key, role in spec["partners"]
        ]
        fields = {
            name: Decimal(spec[name]) if spec[name] is not None else None
            for name in ("requested_amount", "total_budget")
        }
        if spec.get("call"):
            fields["call"] = demo.calls[spec["call"]]
        by = demo.user(spec["by"])
        proposal = services.create_proposal(
            by,
            lead=demo.municipalities[spec["lead"]],
            title=spec["title"],
            partners=partners,
            acronym=spec["acronym"],
            summary=spec["summary"],
            currency=spec["currency"],
            coordinator=demo.users[data.K],
            lead_exception_reason=spec.get("lead_exception", ""),
            **fields,
        )
        demo.proposals[spec["key"]] = proposal
        for step in spec["before"]:
            run_step(demo, spec["key"], *step)


def decisions(demo: Demo) -> None:
    """After the deadline: the funders' decisions, expiry by the system, reuse of a rejected proposal."""
    for spec in data.PROPOSALS:
        for step in spec.get("after", ()):
            run_step(demo, spec["key"], *step)


# --- one step of a proposal's story ------------------------------------------------------------------
def run_step(demo: Demo, key: str, action: str, username: str | None, values: dict) -> None:
    """A service step by its name (STEPS), else a lifecycle transition of that name."""
    user = demo.user(username)
    values = dict(values)
    step = STEPS.get(action)
    if step is None:
        _transition(demo, key, action, user, values)
    else:
        step(demo, key, demo.proposals[key], user, values)
    if action not in LEAVE_PROPOSAL_AS_IT_WAS:
        demo.proposals[key] = Proposal.objects.get(pk=demo.proposals[key].pk)


def _consultation(demo: Demo, key: str, proposal: Proposal, user, values: dict) -> None:
    services.schedule_consultation(
        proposal,
        user,
        held_at=demo.moment(values["held"]),
        notes=values["notes"],
        agreed_actions=values["actions"],
        office_experts=[demo.users[name] for name in values["experts"]],
        team_participants=[demo.users[name] for name in values["team"]],
    )


def _upload(demo: Demo, key: str, proposal: Proposal, user, values: dict) -> None:
    upload(demo, proposal, user, values["kind"], values.get("note", ""))


def _comment(demo: Demo, key: str, proposal: Proposal, user, values: dict) -> None:
    discussion.post_comment(proposal, user, body=values["body"], visibility=values.get("visibility"))


def _reuse(demo: Demo, key: str, proposal: Proposal, user, values: dict) -> None:
    reused = services.reuse_proposal(proposal, user)
    changes = dict(values.get("changes", {}))
    if "call" in changes:
        changes["call"] = demo.calls[changes["call"]]
    demo.proposals[values["as"]] = services.update_proposal(reused, user, **changes) if changes else reused


def _update(demo: Demo, key: str, proposal: Proposal, user, values: dict) -> None:
    if "call" in values:
        values["call"] = demo.calls[values["call"]]
    demo.proposals[key] = services.update_proposal(proposal, user, **values)


def _open_review(demo: Demo, key: str, proposal: Proposal, user, values: dict) -> None:
    complete_checklist(demo, key)
    demo.rounds[key] = review.open_round(proposal, user, due_at=demo.moment(values["due"]))


def _assign(demo: Demo, key: str, proposal: Proposal, user, values: dict) -> None:
    review.assign_reviewer(demo.rounds[key], user, reviewer=demo.users[values["reviewer"]])


def _accept(demo: Demo, key: str, proposal: Proposal, user, values: dict) -> None:
    assignment = demo.rounds[key].assignments.get(reviewer=user)
    review.transition_assignment(
        assignment,
        "accept",
        user,
        comment=values.get("comment", ""),
        declaration=values["declaration"],
        no_conflict=True,
    )


def _decline(demo: Demo, key: str, proposal: Proposal, user, values: dict) -> None:
    assignment = demo.rounds[key].assignments.get(reviewer=user)
    review.transition_assignment(assignment, "decline", user, comment=values.get("comment", ""))


def _review(demo: Demo, key: str, proposal: Proposal, user, values: dict) -> None:
    assignment = demo.rounds[key].assignments.get(reviewer=user)
    review.save_review(
        assignment,
        user,
        scores={code: {"score": score} for code, score in values["scores"].items()},
        recommendation=values["recommendation"],
        comment=values["comment"],
        submit=True,
    )


def _close_review(demo: Demo, key: str, proposal: Proposal, user, values: dict) -> None:
    review.close_round(demo.rounds.pop(key), user, feedback=values["feedback"])


def _transition(demo: Demo, key: str, name: str, user, values: dict) -> None:
    if name == "mark_ready":
        complete_checklist(demo, key)
    proposal = demo.proposals[key]
    if "call" in values:
        values["call"] = demo.calls[values["call"]].pk
    if "submitted_at" in values:
        values["submitted_at"] = demo.moment(values["submitted_at"], proposal.call)
    if "decided_on" in values:  # the date of the funder's letter
        values["decided_on"] = timezone.localdate(demo.moment(values["decided_on"]))
    services.perform_transition(proposal, name, user, system=user is None, **values)


# The steps that call a service of their name; every other action is a transition.
STEPS = {
    "consultation": _consultation,
    "upload": _upload,
    "comment": _comment,
    "reuse": _reuse,
    "update": _update,
    "open_review": _open_review,
    "assign": _assign,
    "accept": _accept,
    "decline": _decline,
    "review": _review,
    "close_review": _close_review,
}
# Steps that leave the proposal's own row as it was (the others reload it).
LEAVE_PROPOSAL_AS_IT_WAS = ("comment", "consultation", "assign", "accept", "decline", "review", "upload")
