"""A proposal's history as people read it: its transitions (django-fsm-log) beside the changes of its
fields and partners (the audit trail), oldest first."""

from __future__ import annotations

from collections import defaultdict

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from grants_office.core import audit
from workflows import lifecycle, selectors
from workflows.models import Proposal
from workflows.services import LEAD_EXCEPTION_LOG
from workflows.states import State


def _transition_labels() -> dict[str, str]:
    labels = {t.name: str(t.custom.get("label", t.name)) for t in lifecycle.all_transitions()}
    # not a move, but logged with the moves
    labels[LEAD_EXCEPTION_LOG] = _("Lead exception recorded")
    return labels


def _state_label(value) -> str:
    try:
        return State(value).label
    except ValueError:
        return value or ""


def field_changes(proposal: Proposal) -> QuerySet[LogEntry]:
    """The audit trail's changes of the proposal's own fields (its creation and transitions are told
    apart: the idea's registration and the transition log)."""
    return (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Proposal),
            object_id=proposal.pk,
            action=LogEntry.Action.UPDATE,
        )
        .select_related("actor")
        .order_by("timestamp", "id")
    )


def _move(log, labels: dict, changes: list[dict]) -> dict:
    return {
        "kind": "transition",
        "at": log.timestamp,
        "by": log.by,
        "name": log.transition,
        "transition": labels.get(log.transition, log.transition),
        "source_state": log.source_state,
        "target_state": log.state,
        "source": _state_label(log.source_state),
        "target": _state_label(log.state),
        "comment": log.description or "",
        "changes": changes,
    }


def _made_by(entry: LogEntry, logs: list) -> object | None:
    """The transition whose save wrote `entry` (`audit.part_of`): the last one of that name before it."""
    step = (entry.additional_data or {}).get("transition")
    if not step:
        return None
    earlier = [log for log in logs if log.transition == step and log.timestamp <= entry.timestamp]
    return earlier[-1] if earlier else None


def transitions(proposal: Proposal) -> list[dict]:
    """The transition log as the summary PDF shows it: who moved it when, from and to."""
    labels = _transition_labels()
    return [_move(log, labels, []) for log in selectors.history(proposal)]


def timeline(proposal: Proposal) -> list[dict]:
    """Transitions and edits in the order they happened; the fields a transition set (an awarded amount,
    the decision's date) are its `changes`, each edit's are its own. Three queries and one per kind of
    related row the changes name."""
    labels = _transition_labels()
    logs = list(selectors.history(proposal))
    entries = list(field_changes(proposal))
    rows = audit.described(entries)
    folded: dict[int, list[dict]] = defaultdict(list)
    edits = []
    for entry in entries:
        log = _made_by(entry, logs)
        if log is not None:
            folded[log.pk].extend(rows[entry.pk])
        else:
            edits.append(
                {"kind": "change", "at": entry.timestamp, "by": entry.actor, "changes": rows[entry.pk]}
            )
    moves = [_move(log, labels, folded[log.pk]) for log in logs]
    return sorted([*moves, *edits], key=lambda item: item["at"])
