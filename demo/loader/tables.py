"""Saved views of the proposals table (`/proposals/table/`): the coordinator's and a team lead's, so
the table opens with views worth clicking. Saved through `workflows.services.save_filter`, as a person
saves them on the page."""

from __future__ import annotations

from urllib.parse import urlencode

from demo import data
from demo.loader.shared import Demo
from workflows import services
from workflows.states import State

RESULT_COLUMNS = ["lead", "programme", "call", "state", "requested_amount", "awarded_amount", "decided_on"]


def saved_filters(demo: Demo) -> None:
    office = demo.users[data.K]
    views = [
        (
            office,
            "Interreg: en yakın son tarih",
            {"programme": demo.programmes["ipa"].pk, "sort": "deadline"},
        ),
        (office, "Koordine ettiklerim", {"coordinator": office.pk, "sort": "deadline"}),
        (
            office,
            "Sonuçlananlar",
            {
                "state": [State.AWARDED, State.RESERVE, State.REJECTED, State.INELIGIBLE],
                "columns": RESULT_COLUMNS,
                "sort": "-awarded_amount",
            },
        ),
        (demo.users["suleymanpasa.lider"], "Bütün tekliflerimiz", {"closed": "on", "sort": "title"}),
    ]
    for user, name, parameters in views:
        services.save_filter(user, name, urlencode(parameters, doseq=True))
