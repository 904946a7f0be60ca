"""Domain happenings turned into events: the kind, what it is about, who is concerned, what to say.

Each function reads the objects a signal carries and returns an `Event`; `services.notify` filters the
recipients (actor, access, preferences) and writes the rows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import models
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from grants_office.core.people import display_name
from notifications import kinds, selectors
from workflows.states import State

EXCERPT_LENGTH = 280


@dataclass
class Event:
    kind: str
    target: models.Model
    proposal: object  # workflows.Proposal: access is checked against it
    recipients: list
    context: dict
    actor: object = None
    occasion: str = field(default_factory=lambda: f"event {uuid.uuid4().hex}")
    # Told to the reviewer about their own assignment: checked against the assignment, not the
    # proposal (an invited expert sees only the conflict-check brief), and linked to its page.
    assignment: object = None
    # Not about a proposal (call watch, partner requests): the builder chose the recipients by a rule of
    # its own (a team today, the person who wrote a request) and names the page to link to.
    url: str = ""

    @property
    def link(self) -> str:
        if self.url:
            return self.url
        if self.assignment is not None:
            return page_of("workflows:review-assignment", self.assignment.pk)
        return page_of("workflows:proposal", self.proposal.pk) if self.proposal else ""


# Stands for the object's id while a page's path is reversed once; no path of ours holds it otherwise.
_ID = 987654321987654321


@lru_cache(maxsize=64)
def _path_of(name: str, prefix: str) -> str:
    return reverse(name, args=[_ID])


def page_of(name: str, pk: int) -> str:
    """`reverse(name, args=[pk])`, the pattern reversed once per name and script prefix (a reminder
    scan links a hundred thousand pages)."""
    return _path_of(name, get_script_prefix()).replace(str(_ID), str(int(pk)))


def person(user):
    """How a person is named in a notification; the system when nobody acted."""
    if user is None:
        return _("The system")
    return display_name(user)


def _state(value: str):
    try:
        return State(value).label
    except ValueError:
        return value


def excerpt(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


def _team_and_office(proposal) -> list:
    return selectors.proposal_team(proposal) + selectors.proposal_office(proposal)


# --- the lifecycle -----------------------------------------------------------------------------------
def proposal_transitioned(proposal, *, transition, source, target, by=None, comment="") -> Event:
    return Event(
        kind=kinds.PROPOSAL_TRANSITIONED,
        target=proposal,
        proposal=proposal,
        recipients=_team_and_office(proposal),
        actor=by,
        context={
            "proposal": str(proposal),
            "source": _state(source),
            "target": _state(target),
            "transition": transition,
            "actor": person(by),
            "comment": comment,
        },
    )


def proposal_created(proposal, *, by=None) -> Event:
    return Event(
        kind=kinds.PROPOSAL_CREATED,
        target=proposal,
        proposal=proposal,
        recipients=selectors.office_staff(),
        actor=by,
        context={"proposal": str(proposal), "actor": person(by), "municipality": str(proposal.lead)},
    )


def consultation_scheduled(consultation, *, by=None) -> Event:
    proposal = consultation.proposal
    recipients = [
        *consultation.office_experts.filter(is_active=True),
        *consultation.team_participants.filter(is_active=True),
        *_team_and_office(proposal),
    ]
    return Event(
        kind=kinds.CONSULTATION_SCHEDULED,
        target=consultation,
        proposal=proposal,
        recipients=recipients,
        actor=by,
        context={"proposal": str(proposal), "held_at": consultation.held_at, "actor": person(by)},
    )


# --- documents ---------------------------------------------------------------------------------------
def proposal_of_version(version):
    """The proposal owning a version's document set, or None (e.g. the office's library)."""
    document = version.document
    document_set = getattr(document, "set", None) or getattr(document, "document_set", None)
    return getattr(document_set, "proposal", None) if document_set is not None else None


def version_created(version, *, by=None) -> Event | None:
    proposal = proposal_of_version(version)
    if proposal is None:
        return None
    by = by or getattr(version, "uploaded_by", None)
    return Event(
        kind=kinds.DOCUMENT_VERSION_CREATED,
        target=version,
        proposal=proposal,
        recipients=_team_and_office(proposal),
        actor=by,
        context={
            "proposal": str(proposal),
            "document": str(version.document),
            "number": version.number,
            "actor": person(by),
        },
    )


# --- reminders ---------------------------------------------------------------------------------------
def call_deadline(proposal, *, days: int, occasion: str, team: list | None = None) -> Event:
    """`team`: the proposal's team when the caller read it already (a scan reads all teams at once)."""
    call = proposal.call
    return Event(
        kind=kinds.CALL_DEADLINE,
        target=proposal,
        proposal=proposal,
        # the coordinator only: without one, the whole office would get every proposal's reminders
        recipients=(selectors.proposal_team(proposal) if team is None else list(team))
        + ([proposal.coordinator] if proposal.coordinator else []),
        occasion=occasion,
        context={
            "proposal": str(proposal),
            "call": call.reference,
            "deadline": proposal.deadline,  # stage 2: the stage-2 deadline
            "funder_deadline": proposal.deadline_display(),
            "state": _state(proposal.state),
            "days": days,
        },
    )


# --- expert review and discussion (see the signal contract in kinds.py) ------------------------------
def review_assigned(assignment, *, by=None) -> Event:
    proposal = assignment.proposal
    return Event(
        kind=kinds.REVIEW_ASSIGNED,
        target=assignment,
        proposal=proposal,
        assignment=assignment,
        recipients=[assignment.reviewer],
        actor=by,
        context={"proposal": str(proposal), "due": getattr(assignment, "due_at", None), "actor": person(by)},
    )


ASSIGNMENT_KINDS = {
    "accepted": kinds.ASSIGNMENT_ACCEPTED,
    "declined": kinds.ASSIGNMENT_DECLINED,
    "submitted": kinds.REVIEW_SUBMITTED,
}


def assignment_transitioned(assignment, *, target, by=None, comment="", **_ignored) -> Event | None:
    kind = ASSIGNMENT_KINDS.get(str(target))
    if kind is None:
        return None
    proposal = assignment.proposal
    return Event(
        kind=kind,
        target=assignment,
        proposal=proposal,
        recipients=selectors.proposal_office(proposal),
        actor=by,
        context={
            "proposal": str(proposal),
            "reviewer": person(assignment.reviewer),
            "due": getattr(assignment, "due_at", None),
            "comment": comment,
        },
    )


def review_round_completed(review_round, *, by=None) -> Event:
    proposal = review_round.proposal
    return Event(
        kind=kinds.ALL_REVIEWS_IN,
        target=review_round,
        proposal=proposal,
        recipients=selectors.proposal_office(proposal),
        actor=by,
        context={"proposal": str(proposal)},
    )


def review_due(assignment, *, days: int, occasion: str) -> Event:
    proposal = assignment.proposal
    return Event(
        kind=kinds.REVIEW_DUE,
        target=assignment,
        proposal=proposal,
        assignment=assignment,
        recipients=[assignment.reviewer],
        occasion=occasion,
        context={"proposal": str(proposal), "due": assignment.due_at, "days": days},
    )


def review_overdue(assignment, *, occasion: str) -> Event:
    proposal = assignment.proposal
    return Event(
        kind=kinds.REVIEW_OVERDUE,
        target=assignment,
        proposal=proposal,
        recipients=selectors.proposal_office(proposal),
        occasion=occasion,
        context={
            "proposal": str(proposal),
            "reviewer": person(assignment.reviewer),
            "due": assignment.due_at,
        },
    )


def _is_shared(comment) -> bool:
    if hasattr(comment, "is_shared"):
        return bool(comment.is_shared)
    return getattr(comment, "visibility", "") == "shared"


def comment_posted(comment, *, by=None) -> list[Event]:
    """A shared comment tells the team and the office. Mentioned people are told by `comment_mentioned`
    (one signal each), so they are left out here: nobody hears of the same comment twice."""
    if not _is_shared(comment):
        return []
    proposal = comment.proposal
    context = {"proposal": str(proposal), "actor": person(by), "excerpt": excerpt(comment.body)}
    mentioned_ids = {user.pk for user in getattr(comment, "mentioned_users", None) or [] if user is not None}
    audience = [user for user in _team_and_office(proposal) if user.pk not in mentioned_ids]
    return [Event(kinds.COMMENT_SHARED, comment, proposal, audience, context, actor=by)]


def comment_mentioned(comment, *, user, by=None) -> Event:
    proposal = comment.proposal
    return Event(
        kind=kinds.MENTION,
        target=comment,
        proposal=proposal,
        recipients=[user],
        actor=by,
        context={"proposal": str(proposal), "actor": person(by), "excerpt": excerpt(comment.body)},
    )


# --- cooperation: partner requests (see the signal contract in kinds.py) ------------------------------
def request_link(partner_request) -> str:
    """The request's page, where every one of these notifications leads."""
    return reverse("cooperation:partner-request", args=[partner_request.pk])


def partner_response_received(response, *, by=None) -> Event:
    """The requesting municipality's team today hears of a new expression of interest."""
    partner_request = response.request
    team = selectors.municipality_teams([partner_request.municipality_id])
    return Event(
        kind=kinds.PARTNER_RESPONSE_RECEIVED,
        target=response,
        proposal=None,
        recipients=team.get(partner_request.municipality_id, []),
        actor=by,
        url=request_link(partner_request),
        context={
            "request": partner_request.title,
            "actor": person(by or response.responder),
            "party": str(response.party),
            "excerpt": excerpt(response.message),
        },
    )


RESPONSE_KINDS = {
    "accepted": kinds.PARTNER_RESPONSE_ACCEPTED,
    "declined": kinds.PARTNER_RESPONSE_DECLINED,
}


def partner_response_decided(response, *, by=None, reason: str = "") -> Event | None:
    """The person who answered hears whether the requester accepted or declined (and why, if said)."""
    kind = RESPONSE_KINDS.get(str(response.state))
    if kind is None:
        return None
    partner_request = response.request
    return Event(
        kind=kind,
        target=response,
        proposal=None,
        recipients=[response.responder],
        actor=by,
        url=request_link(partner_request),
        context={
            "request": partner_request.title,
            "municipality": str(partner_request.municipality),
            "party": str(response.party),
            "comment": reason,
        },
    )


def partner_request_closed(partner_request, *, by=None) -> Event | None:
    """A request that closed itself after its date tells the person who wrote it; one closed by a
    person tells nobody (they did it, or the office did it with the team)."""
    if by is not None:
        return None
    return Event(
        kind=kinds.PARTNER_REQUEST_CLOSED,
        target=partner_request,
        proposal=None,
        recipients=[partner_request.created_by],
        url=request_link(partner_request),
        context={
            "request": partner_request.title,
            "answer_by": partner_request.answer_by,
            "count": partner_request.responses.count(),
        },
    )
