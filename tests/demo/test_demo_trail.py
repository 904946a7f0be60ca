"""The demo's audit trail: edits by named people on a proposal's history, and a read of personal data,
on the office's trail page."""

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from demo import data
from tests.clients import page_client
from workflows.models import Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def loaded(disk_storage):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_trail_has_named_edits_and_a_read():
    coordinator = data.K
    edits = LogEntry.objects.filter(action=LogEntry.Action.UPDATE, actor__isnull=False)
    assert edits.filter(actor__username=coordinator).exists()
    assert edits.filter(actor__username="suleymanpasa.lider").exists()
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor__username=coordinator).exists()


def test_the_edited_proposal_shows_its_edits_and_the_trail_page_lists_them():
    office = LogEntry.objects.filter(actor__username=data.K).first().actor
    proposal = Proposal.objects.get(title__endswith="(güncellenmiş)")
    page = page_client(office).get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Edited" in page and "(güncellenmiş)" in page
    trail = page_client(office).get("/privacy/audit/").content.decode()
    assert "(güncellenmiş)" in trail and "export" in trail
