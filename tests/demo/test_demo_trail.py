"""The demo's audit trail: edits by named people on a proposal's history, and a read of personal data,
on the office's trail page."""

import io
import json

import pytest
from auditlog.models import LogEntry
from axes.models import AccessLog
from django.contrib.auth.models import User
from django.core.management import call_command

from demo import data
from privacy.models import DataExport, Erasure, PrivacyNotice, RetentionRun
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
    assert "(güncellenmiş)" in trail and "a file of a list" in trail


def test_the_demo_has_answered_requests_for_personal_data():
    lead = DataExport.objects.get(subject__username="suleymanpasa.lider")
    expert = DataExport.objects.get(subject__username="hakem.aydemir")
    assert (lead.state, expert.state, expert.requested_by.username) == ("ready", "ready", data.K)
    assert lead.files > 0  # the lead's uploaded documents are in it
    assert page_client(lead.subject).get(f"/privacy/exports/{lead.pk}/file/").status_code == 200
    person_page = page_client(expert.requested_by).get(f"/privacy/people/{expert.subject_id}/")
    assert f"/privacy/exports/{expert.pk}/file/" in person_page.content.decode()


def test_the_demo_has_an_erased_former_team_member_named_nowhere():
    erasure = Erasure.objects.select_related("person").get()
    assert erasure.person.get_full_name() == erasure.pseudonym and not erasure.person.is_active
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    everything = json.dumps(json.loads(out.getvalue()), ensure_ascii=False)
    assert "Orhan Yıldız" not in everything and "corlu.eski" not in everything
    assert f"@{erasure.person.username}" in everything  # the lead's reply names the pseudonym
    office = User.objects.get(username="admin")
    page = page_client(office).get(f"/privacy/people/{erasure.person.pk}/").content.decode()
    assert erasure.pseudonym in page and "KVKK-2026-03" in page


def test_the_demo_has_a_destruction_log_and_records_due():
    run = RetentionRun.objects.get()
    assert {r["kind"]: r["rows"] for r in run.results}["sign_ins"] == 6
    assert AccessLog.objects.filter(username=data.K).count() == 3  # one due now, two recent
    office = User.objects.get(username=data.K)
    page = page_client(office).get("/privacy/retention/").content.decode()
    assert "Sign-ins and failed sign-in attempts: 6 deleted" in page


def test_the_demo_has_two_notices_and_one_person_to_read_the_second():
    assert list(PrivacyNotice.objects.values_list("version", flat=True)) == [2, 1]
    pending = page_client(User.objects.get(username="hakem.erdem")).get("/board/")
    assert pending.status_code == 302 and pending["Location"].startswith("/privacy/notice/")
    assert page_client(User.objects.get(username=data.K)).get("/board/").status_code == 200
