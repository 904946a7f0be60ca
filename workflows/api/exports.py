"""The columns of the proposals export (`GET /api/v1/proposals/export/`): every row of the list the
reader may see, with what the office's spreadsheet kept. Moments are in the reader's zone, named in the
header; the deadline also as the funder states it, with the funder's zone."""

from __future__ import annotations

from operator import attrgetter
from zoneinfo import ZoneInfo

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grants_office.core.people import display_name
from grants_office.core.tabular import Column
from workflows.states import State


def _partners(proposal) -> str:
    return ", ".join(str(partner.party) for partner in proposal.export_partners)


def _call(field: str):
    return lambda proposal: attrgetter(field)(proposal.call) if proposal.call_id else None


def proposal_columns(zone: ZoneInfo) -> list[Column]:
    def zoned(header: str) -> str:
        return gettext("%(column)s (%(zone)s)") % {"column": header, "zone": str(zone)}

    return [
        Column(_("Id"), attrgetter("pk")),
        Column(_("Acronym"), attrgetter("acronym")),
        Column(_("Title"), attrgetter("title")),
        Column(_("Lead municipality"), attrgetter("lead.name")),
        Column(_("Province"), attrgetter("lead.province")),
        Column(_("Partners"), _partners),
        Column(_("Programme"), _call("programme.name")),
        Column(_("Call"), _call("reference")),
        Column(_("State"), lambda proposal: State(proposal.state).label),
        Column(_("Stage"), attrgetter("stage")),
        Column(zoned(gettext("Deadline")), attrgetter("deadline")),
        Column(_("Deadline as the funder states it"), lambda proposal: proposal.deadline_display() or None),
        Column(_("Requested amount"), attrgetter("requested_amount")),
        Column(_("Total budget"), attrgetter("total_budget")),
        Column(_("Awarded amount"), attrgetter("awarded_amount")),
        Column(_("Currency"), attrgetter("currency")),
        Column(_("Coordinator"), lambda proposal: display_name(proposal.coordinator) or None),
        Column(zoned(gettext("Created")), attrgetter("created_at")),
        Column(zoned(gettext("Submitted")), attrgetter("submitted_at")),
        Column(_("Decided on"), attrgetter("decided_on")),
        Column(zoned(gettext("Updated")), attrgetter("updated_at")),
    ]
