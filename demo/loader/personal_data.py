"""The personal-data section of the demo: answered requests, so /account/data/ and the office's person
pages show exports to download. A team lead downloads their own data; an expert asked the office for
theirs, and the coordinator prepared it from the expert's page (a read, in the trail)."""

from __future__ import annotations

from demo import data
from demo.loader.shared import Demo
from privacy import services


def _answered(requester, subject) -> None:
    export = services.request_export(requester, subject)
    services.build_export(export.pk)  # now, not after the load's commit: the demo shows it ready


def personal_data(demo: Demo) -> None:
    office = demo.users[data.K]
    lead, expert = demo.users.get("suleymanpasa.lider"), demo.users.get("hakem.aydemir")
    if lead is not None:
        _answered(lead, lead)
    if expert is not None:
        services.record_person_read(office, expert)
        _answered(office, expert)
