"""Moving a proposal through its lifecycle: `perform_transition` is the one way to change its state."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grants_office.core import audit
from grants_office.core.errors import Conflict, NotFound
from workflows import access, lifecycle, selectors, signals
from workflows.document_policy import freeze_submitted_versions
from workflows.models import Proposal, Submission
from workflows.states import State


def perform_transition(proposal: Proposal, name: str, user, *, system: bool = False, **data) -> Proposal:
    """The one way to change a proposal's state.

    Locks the row, checks the move for this user now, validates its data, runs it, logs it and, after
    commit, tells whoever listens. On any failure nothing changes. Returns the proposal as it now is,
    with what its page shows (`selectors.with_detail`).
    """
    if user is not None and not access.can_view(user, proposal):
        raise NotFound(_("Not found."))
    with transaction.atomic():
        # what the conditions read (and the answer shows: the caller need not read it again)
        locked = (
            selectors.with_detail(Proposal.objects.all())
            .select_related("document_set")
            .select_for_update(of=("self",))
            .get(pk=proposal.pk)
        )
        transition = lifecycle.check(locked, name, user, allow_system=system)
        cleaned = lifecycle.clean(transition, locked, data)
        comment = cleaned.pop("comment", "")
        source = locked.state
        description = "\n\n".join(part for part in (cleaned.get("reason", ""), comment) if part)
        getattr(locked, name)(by=user, description=description, **cleaned)
        with audit.part_of(transition=name), audit.acting(user):  # the fields it sets show with it
            locked.save()
        if name in ("submit", "resubmit"):
            _record_submission(locked, user, cleaned)
        signals.proposal_transitioned.send(
            sender=Proposal,
            proposal=locked,
            transition=name,
            source=source,
            target=locked.state,
            by=user,
            comment=comment,
        )
    return locked


def _record_submission(proposal: Proposal, user, cleaned: dict) -> Submission:

    submission = Submission.objects.create(
        proposal=proposal,
        stage=proposal.stage,
        funder_reference=cleaned["funder_reference"],
        submitted_at=cleaned["submitted_at"],
        note=cleaned.get("note", ""),
        recorded_by=user,
    )
    freeze_submitted_versions(submission)
    return submission


def expire_overdue(now=None) -> list[int]:
    """Move drafting and ready proposals whose deadline passed (stage 2: the stage-2 deadline) to
    `expired`. Safe to run again."""
    now = now or timezone.now()
    due = (
        Proposal.objects.alive()
        .with_deadline()
        .filter(state__in=State.EXPIRABLE, applicable_deadline__lt=now)
        .values_list("pk", flat=True)
    )
    expired = []
    for pk in due:
        try:
            perform_transition(Proposal(pk=pk), "expire", None, system=True)
        except Conflict:
            continue  # moved on by someone else in the meantime
        expired.append(pk)
    return expired
