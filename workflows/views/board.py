"""The office's pipeline board: a column per state, filtered like the proposal lists."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from grants_office.members.permissions import is_office_staff
from workflows import selectors
from workflows.forms import BoardFilterForm
from workflows.states import State
from workflows.views import table


@dataclass
class Column:
    state: str
    label: str
    cards: list


@login_required
@require_GET
def board(request):
    """A column per state; each card moves through the transitions panel (lifecycle.available)."""
    if not is_office_staff(request.user):
        raise PermissionDenied
    filters = BoardFilterForm(request.GET or None)
    states = filters.states()
    proposals = selectors.board_proposals(request.user, states=states, **filters.filters())
    columns = {state: Column(state, State(state).label, []) for state in states}
    for proposal in proposals:
        columns[proposal.state].cards.append(proposal)
    context = {
        "filters": filters,
        "columns": list(columns.values()),
        "total": sum(len(column.cards) for column in columns.values()),
        "nav_active": "board",
        # the same proposals in the table, and as a file (soonest deadline first, as here)
        "exports": table.export_links(filters, sort="deadline"),
    }
    if request.htmx and request.htmx.target == "board":
        return render(request, "workflows/includes/board_columns.html", context)
    return render(request, "workflows/board.html", context)
