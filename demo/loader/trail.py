"""The audit trail's section of the demo: a few edits after the stories, by the people who would make
them, so a proposal's history shows field changes beside its moves and /privacy/audit/ has entries with
names: a team lead sharpens a title and a summary, the coordinator raises the budget and hands the
proposal to a colleague, and the office exports the member registry (a read of personal data).

Made through the services, as on the pages, at the moment of the load: the newest entries."""

from __future__ import annotations

from decimal import Decimal

from demo import data
from demo.loader.shared import Demo
from grants_office.core import audit
from grants_office.members.models import Municipality
from workflows import services
from workflows.models import Proposal
from workflows.states import State


def _editable(lead) -> Proposal | None:
    """The lead's team's first proposal still in preparation, oldest first."""
    municipality = lead.team_memberships.filter(municipality__isnull=False).first().municipality
    return (
        Proposal.objects.alive()
        .filter(lead=municipality, state__in=State.PREPARATION)
        .order_by("created_at", "id")
        .first()
    )


def trail(demo: Demo) -> None:
    office, lead = demo.users[data.K], demo.users["suleymanpasa.lider"]
    proposal = _editable(lead)
    if proposal is None:
        return
    services.update_proposal(proposal, lead, title=f"{proposal.title} (güncellenmiş)")
    services.update_proposal(
        proposal, lead, summary=f"{proposal.summary}\n\nOrtaklarla yapılan toplantıdan sonra güncellendi."
    )
    if proposal.total_budget:  # more co-financing found: the share asked of the funder only falls
        services.update_proposal(proposal, office, total_budget=proposal.total_budget + Decimal("10000"))
    colleague = demo.users.get("admin")
    if colleague is not None:
        services.update_proposal(proposal, office, coordinator=colleague)
    audit.record_access(office, Municipality, "export", file="member-registry.xlsx", query="")
