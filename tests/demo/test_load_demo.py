"""The demo loader: a realistic union reached only through the services, and safe to run twice."""

import hashlib
from io import StringIO
from itertools import pairwise

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_fsm_log.models import StateLog
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from demo import data
from demo.loader import counts
from documents.models import DocumentVersion
from documents.sniff import detect
from events.models import Event
from events.states import EventState, RegistrationState
from grants_office.calls.models import Call
from tests.clients import page_client
from tests.factories.identity import app_code
from workflows.models import Proposal
from workflows.review.models import ReviewRound
from workflows.states import State

pytestmark = pytest.mark.django_db


def run_load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def disk_storage(disk_storage):
    """The demo's files go to a private directory, not the repository's var/media."""
    return disk_storage


@pytest.fixture
def output():
    return run_load_demo()


def test_load_demo_on_an_empty_database_creates_the_union(output):
    assert counts() == {
        "municipalities": len(data.MUNICIPALITIES),
        "organisations": len(data.ORGANISATIONS),
        "programmes": len(data.PROGRAMMES),
        "calls": len(data.CALLS),
        "users": len(data.USERS) + 1,  # and a former team member, erased
        "proposals": len(data.PROPOSALS) + 1,  # and the reuse of a rejected one
        "events": len(data.EVENTS),
        "certificates": 9,  # the camp's 7 (Kıyıköy came two days of three) and the meeting's 2
    }
    states = set(Proposal.objects.values_list("state", flat=True))
    assert states == set(State.values)
    assert ReviewRound.objects.filter(closed_at__isnull=True).count() == 1


def test_load_demo_has_open_closing_and_closed_calls(output):
    open_calls = Call.objects.open()
    assert open_calls.exists() and Call.objects.closed().exists()
    closing = min(open_calls, key=lambda call: call.deadline)
    assert closing.deadline_display().endswith("17:00 (Europe/Brussels)")
    assert Call.objects.filter(is_two_stage=True).exists()
    assert all(call.checklist.filter(required=True).exists() for call in Call.objects.all())


def test_load_demo_reaches_every_state_through_logged_transitions(output):
    for proposal in Proposal.objects.all():
        logs = list(StateLog.objects.for_(proposal).order_by("timestamp", "id"))
        if proposal.state == State.IDEA:
            assert logs == []
            continue
        assert logs, proposal
        assert logs[0].source_state == State.IDEA
        for earlier, later in pairwise(logs):
            assert later.source_state == earlier.state
        assert logs[-1].state == proposal.state
        # people act, except the system's expiry
        assert all(log.by_id is not None for log in logs if log.transition != "expire")


def test_every_demo_user_signs_in_with_the_demo_password(output):
    cache.clear()  # the token endpoint's throttle counts per address
    client = APIClient(REMOTE_ADDR="10.9.8.7")
    for spec in data.USERS:
        credentials = {"username": spec["username"], "password": data.PASSWORD}
        if spec.get("office"):  # the office's accounts give their app's code too: the demo's key
            device = TOTPDevice.objects.get(user__username=spec["username"], confirmed=True)
            assert device.key == data.SECOND_FACTOR_KEY
            credentials["otp_code"] = app_code(device)
        response = client.post("/api/v1/auth/token/", credentials, format="json")
        assert response.status_code == 200, (spec["username"], response.content)
        assert response.json()["token"]


def _visible_ids(username: str) -> set[int]:
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username=username))
    ids, url = set(), "/api/v1/proposals/"
    while url:
        response = client.get(url)
        assert response.status_code == 200
        body = response.json()
        ids |= {row["id"] for row in body["results"]}
        url = body["next"]
    return ids


def test_team_lead_sees_own_and_partnered_proposals_and_the_coordinator_sees_all(output):
    everything = set(Proposal.objects.values_list("pk", flat=True))
    assert _visible_ids("koordinator") == everything

    corlu = {p.pk for p in Proposal.objects.filter(lead__name="Çorlu Belediyesi")}
    partnered = {p.pk for p in Proposal.objects.filter(partners__municipality__name="Çorlu Belediyesi")}
    assert corlu
    assert _visible_ids("corlu.lider") == corlu | partnered

    haskovo = set(
        Proposal.objects.filter(partners__organisation__name="Haskovo Municipality").values_list(
            "pk", flat=True
        )
    )
    assert haskovo
    assert _visible_ids("haskovo.ortak") == haskovo


def test_load_demo_twice_changes_nothing(output):
    before = counts()
    logs = StateLog.objects.count()
    again = run_load_demo()
    assert "already loaded" in again
    assert counts() == before
    assert StateLog.objects.count() == logs
    assert "koordinator" in again


def test_load_demo_prints_the_logins_and_urls(output):
    for spec in data.USERS:
        assert spec["username"] in output
    assert data.PASSWORD in output
    for url in (
        "http://127.0.0.1:8000/admin/",
        "http://127.0.0.1:8000/api/docs/",
        "http://127.0.0.1:8000/api/v1/",
    ):
        assert url in output


def test_load_demo_refuses_a_database_with_its_users_but_not_the_demo():
    get_user_model().objects.create_user("admin", password="something-else")
    with pytest.raises(CommandError, match="admin"):
        run_load_demo()
    assert counts()["proposals"] == 0


@pytest.mark.django_db(transaction=True)
def test_load_demo_commits_and_notifies_the_people_concerned():
    from notifications.models import Notification

    run_load_demo()
    assert Notification.objects.filter(recipient__username="edirne.lider").exists()


def test_proposals_past_drafting_have_their_checklist_documents_with_stored_versions(output, disk_storage):
    past_drafting = Proposal.objects.exclude(
        state__in=[
            State.IDEA,
            State.CONSULTATION,
            State.DRAFTING,
            State.DROPPED,
            State.WITHDRAWN,
            State.EXPIRED,
        ]
    ).select_related("call", "document_set")
    assert past_drafting.count() >= 8
    for proposal in past_drafting:
        required = set(proposal.call.checklist.filter(required=True).values_list("document_kind", flat=True))
        present = set(
            DocumentVersion.objects.filter(document__set=proposal.document_set).values_list(
                "document__kind", flat=True
            )
        )
        assert required <= present, (proposal.acronym, required - present)
    for version in DocumentVersion.objects.all():
        content = (disk_storage / version.storage_key).read_bytes()
        assert len(content) == version.size and hashlib.sha256(content).hexdigest() == version.sha256
        assert (
            detect(content[:4096], content[-4096:]) == version.content_type
            or version.content_type == "text/csv"
        )


def test_the_demo_tells_documents_stories_and_shows_them_on_the_page(output):
    meric = Proposal.objects.get(acronym="MERIC-FLOOD")
    budget = meric.document_set.documents.get(kind="budget")
    assert list(budget.versions.order_by("number").values_list("number", "uploaded_by__username")) == [
        (1, "edirne.uye"),
        (2, "edirne.lider"),
    ]
    assert meric.document_set.documents.filter(kind__in=["funder_receipt", "evaluation_report"]).count() == 2
    # what went to the funder is frozen with the submission: the second budget
    submission = meric.submissions.get()
    assert budget.versions.get(number=2) in submission.versions.all()
    # a proposal still in drafting shows what it misses
    corlu = Proposal.objects.get(acronym="NBS-CORLU")
    client = page_client(get_user_model().objects.get(username="corlu.uye"))
    page = client.get(f"/proposals/{corlu.pk}/").content.decode()
    assert "Still missing for “ready”: Budget, Partner declaration." in page
    assert "NBS-CORLU_Basvuru_formu_v1.pdf" in page
    assert 'data-upload-url="/api/v1/documents/' in page


def test_the_demo_rubrics_judge_disagreement_as_their_funders_do(output):
    from grants_office.calls.models import Rubric

    rules = {
        r.name: (r.disagreement_rule, r.disagreement_gap, r.overall_threshold) for r in Rubric.objects.all()
    }
    assert rules["Trakya Kalkınma Ajansı 100 puan"] == ("totals", 15, 65)
    assert rules["Horizon Europe / LIFE (0–5, threshold 3 and 10)"] == ("per_criterion", 2, 10)
    office_default = Rubric.objects.get(is_office_default=True)
    assert (office_default.disagreement_rule, office_default.disagreement_gap) == ("per_criterion", 2)


def test_the_demo_coordinator_opens_saved_table_views_that_hold_rows(output):
    coordinator = get_user_model().objects.get(username=data.K)
    views = list(coordinator.saved_filters.order_by("name"))
    assert len(views) >= 2
    client = page_client(coordinator)
    for view in views:
        response = client.get(f"/proposals/table/?{view.query}")
        assert response.status_code == 200, view.name
        assert response.context["page"].object_list, view.name


def test_load_demo_has_a_held_camp_with_certificates_and_an_upcoming_training_with_a_waiting_list(output):
    camp = Event.objects.get(kind=Event.Kind.PROJECT_CAMP)
    assert camp.state == EventState.HELD and camp.sessions.count() == 3
    assert camp.ends_at < timezone.now()
    holders = set(
        camp.registrations.filter(certificate__isnull=False).values_list("person__username", flat=True)
    )
    assert "vize.personel" in holders and "kiyikoy.personel" not in holders
    training = Event.objects.get(kind=Event.Kind.TRAINING)
    assert training.state == EventState.OPEN and training.starts_at > timezone.now()
    states = dict(training.registrations.values_list("person__username", "state"))
    assert states["enez.personel"] == RegistrationState.WAITLISTED
    meeting = Event.objects.get(kind=Event.Kind.PROGRAMME_MEETING)
    assert meeting.consultations.count() == 2
