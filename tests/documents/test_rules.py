"""The rules around documents: who may do what when, the checklist, the freeze, the library, bad input."""

from datetime import timedelta
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from documents import services as document_services
from documents.models import DocumentSet, DocumentVersion, ImmutableError, PendingUpload
from documents.signals import version_created
from grants_office.calls.models import Call, DocumentKind
from grants_office.core.errors import Conflict
from grants_office.members.models import Municipality, TeamMembership
from tests.concurrency import at_once
from tests.documents.conftest import add_document, pdf, put, request_upload, sha256, upload
from tests.factories import (
    CallFactory,
    DocumentVersionFactory,
    LibrarySetFactory,
    MunicipalityFactory,
    TeamMembershipFactory,
    office_staff,
)
from workflows import services
from workflows.document_policy import document_set_for
from workflows.states import State

pytestmark = pytest.mark.django_db


def test_a_new_proposal_gets_its_own_document_set(people, lead_municipality):
    proposal = services.create_proposal(people["lead"], lead=lead_municipality, title="Ergene İzleme")
    assert proposal.document_set.purpose == DocumentSet.Purpose.PROPOSAL
    assert document_set_for(proposal) == proposal.document_set


def test_proposals_made_before_sets_get_one_on_first_use(people, make_proposal):
    proposal = make_proposal()
    assert proposal.document_set_id is None
    created = document_set_for(proposal)
    proposal.refresh_from_db()
    assert proposal.document_set == created
    assert document_set_for(proposal) == created


def test_ready_names_the_missing_kinds_until_they_are_uploaded(api_client, people, make_proposal):
    call = CallFactory(required_documents=[DocumentKind.WORK_PLAN, DocumentKind.BUDGET])
    proposal = make_proposal(state=State.DRAFTING, call=call)
    lead = api_client(people["lead"])
    with pytest.raises(Conflict) as error:
        services.perform_transition(proposal, "mark_ready", people["office"])
    [reason] = error.value.reasons
    assert (reason.code, reason.message) == ("missing_documents", "Ready needs: Budget, Work plan.")
    budget = add_document(lead, proposal, "budget")
    add_document(lead, proposal, "work_plan")  # an empty slot does not count
    assert upload(lead, budget, pdf()).status_code == 201
    with pytest.raises(Conflict) as error:
        services.perform_transition(proposal, "mark_ready", people["office"])
    assert error.value.reasons[0].message == "Ready needs: Work plan."
    listing = lead.get(f"/api/v1/proposals/{proposal.pk}/documents/").json()
    assert listing["missing"] == ["work_plan"]
    assert {item["kind"]: item["present"] for item in listing["checklist"]} == {
        "budget": True,
        "work_plan": False,
    }
    work_plan = next(d["id"] for d in listing["documents"] if d["kind"] == "work_plan")
    assert upload(lead, work_plan, pdf("plan")).status_code == 201
    assert services.perform_transition(proposal, "mark_ready", people["office"]).state == State.READY


def test_submission_freezes_the_latest_versions(api_client, people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING)
    lead = api_client(people["lead"])
    budget = add_document(lead, proposal, "budget")
    annex = add_document(lead, proposal, "annex")
    upload(lead, budget, pdf("v1"))
    latest_budget = upload(lead, budget, pdf("v2")).json()["id"]
    latest_annex = upload(lead, annex, pdf("annex")).json()["id"]
    services.perform_transition(proposal, "mark_ready", people["office"])
    moved = services.perform_transition(
        proposal, "submit", people["lead"], funder_reference="IPA-42", submitted_at=proposal.created_at
    )
    submission = moved.submissions.get()
    assert sorted(submission.versions.values_list("pk", flat=True)) == sorted([latest_budget, latest_annex])
    # later uploads (what the funder sends back) never change what was submitted
    receipt = add_document(lead, proposal, "funder_receipt")
    assert upload(lead, receipt, pdf("receipt")).status_code == 201
    assert sorted(submission.versions.values_list("pk", flat=True)) == sorted([latest_budget, latest_annex])


def test_an_upload_signed_before_the_deadline_cannot_complete_after_it(
    disk_storage, api_client, people, make_proposal
):
    proposal = make_proposal(state=State.READY)
    lead = api_client(people["lead"])
    budget = add_document(lead, proposal, "budget")
    data = pdf()
    signed = request_upload(lead, budget, data).json()
    assert put(signed, data)[0] == 200
    services.perform_transition(
        proposal, "submit", people["lead"], funder_reference="X-1", submitted_at=proposal.created_at
    )
    # the deadline passes while the file is on its way
    Call.objects.filter(pk=proposal.call_id).update(deadline=timezone.now() - timedelta(minutes=1))
    response = lead.post(f"/api/v1/uploads/{signed['id']}/complete/")
    assert response.status_code == 409
    assert response.json()["reasons"][0]["code"] == "documents_locked"
    assert not DocumentVersion.objects.exists()
    assert not any(path.is_file() for path in disk_storage.rglob("*"))


@pytest.mark.parametrize("state", [State.WITHDRAWN, State.EXPIRED, State.DROPPED])
def test_closed_proposals_take_no_documents(api_client, people, make_proposal, state):
    proposal = make_proposal(state=state)
    response = api_client(people["office"]).post(
        f"/api/v1/proposals/{proposal.pk}/documents/", {"kind": "funder_receipt"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["reasons"][0]["code"] == "proposal_closed"


def test_partners_read_but_do_not_upload(api_client, people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING)
    budget = add_document(api_client(people["lead"]), proposal, "budget")
    partner = api_client(people["partner"])
    assert partner.get(f"/api/v1/proposals/{proposal.pk}/documents/").status_code == 200
    response = request_upload(partner, budget, pdf())
    assert response.status_code == 409
    assert response.json()["reasons"][0]["code"] == "not_permitted"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"filename": "../../etc/passwd.pdf"}, "filename"),
        ({"filename": "rapor\x00.pdf"}, "filename"),
        ({"filename": "fdp.exe\u202e.pdf"}, "filename"),
        ({"filename": ""}, "filename"),
        ({"size": 0}, "size"),
        ({"size": 50 * 1024 * 1024 + 1}, "size"),
        ({"content_type": "application/x-msdownload"}, "content_type"),
        ({"sha256": "abc"}, "sha256"),
        ({"sha256": "z" * 64}, "sha256"),
    ],
)
def test_bad_upload_requests_are_400_and_leave_nothing(api_client, people, make_proposal, change, field):
    proposal = make_proposal(state=State.DRAFTING)
    lead = api_client(people["lead"])
    budget = add_document(lead, proposal, "budget")
    response = request_upload(lead, budget, pdf(), **change)
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert not PendingUpload.objects.exists()


def test_a_new_version_is_announced_after_commit(
    api_client, people, make_proposal, django_capture_on_commit_callbacks
):
    proposal = make_proposal(state=State.DRAFTING)
    lead = api_client(people["lead"])
    budget = add_document(lead, proposal, "budget")
    heard = []

    def listen(sender, version, by, **kwargs):
        heard.append((version.number, by))

    version_created.connect(listen, dispatch_uid="test-version-created")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            upload(lead, budget, pdf())
    finally:
        version_created.disconnect(dispatch_uid="test-version-created")
    assert heard == [(1, people["lead"])]


def test_versions_are_immutable():
    version = DocumentVersionFactory()
    version.note = "changed"
    with pytest.raises(ImmutableError):
        version.save()
    with pytest.raises(ImmutableError):
        version.delete()


@pytest.mark.django_db(transaction=True)
def test_concurrent_completes_get_distinct_version_numbers(disk_storage, people, make_proposal):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers")
    proposal = make_proposal(state=State.DRAFTING)
    document = document_services.create_document(document_set_for(proposal), people["lead"], kind="budget")
    pending = []
    for n in range(4):
        data = pdf(f"parallel {n}")
        upload_row, signed = document_services.request_upload(
            document,
            people["lead"],
            filename=f"b{n}.pdf",
            size=len(data),
            content_type="application/pdf",
            sha256=sha256(data),
        )
        assert put({**signed, "url": "http://testserver" + signed["url"]}, data)[0] == 200
        pending.append(upload_row)
    numbers, errors = [], []

    def complete(row):
        try:
            numbers.append(document_services.complete_upload(row, people["lead"]).number)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)

    at_once(*[partial(complete, row) for row in pending])
    assert errors == []
    assert sorted(numbers) == [1, 2, 3, 4]


# --- the library -------------------------------------------------------------------------------------


@pytest.fixture
def library_people(db):
    chosen = MunicipalityFactory(name="Keşan Belediyesi")
    other_member = MunicipalityFactory(name="Uzunköprü Belediyesi")
    outsider = MunicipalityFactory(
        name="Silivri Belediyesi", membership_status=Municipality.Membership.NON_MEMBER
    )
    return {
        "office": office_staff(),
        "chosen": TeamMembershipFactory(municipality=chosen, role=TeamMembership.Role.LEAD).user,
        "other_member": TeamMembershipFactory(municipality=other_member).user,
        "outsider": TeamMembershipFactory(municipality=outsider).user,
        "chosen_municipality": chosen,
    }


def test_the_library_is_read_by_its_audience_and_written_by_the_office(api_client, library_people):
    office = api_client(library_people["office"])
    everyone = office.post(
        "/api/v1/library/", {"title": "AB Proje Rehberi", "audience": "all_members"}, format="json"
    )
    assert everyone.status_code == 201, everyone.content
    chosen = office.post(
        "/api/v1/library/",
        {
            "title": "Trakya Bütçe Şablonları",
            "audience": "chosen",
            "municipalities": [library_people["chosen_municipality"].pk],
        },
        format="json",
    )
    assert chosen.status_code == 201, chosen.content
    template = office.post(
        f"/api/v1/library/{chosen.json()['id']}/documents/", {"kind": "budget", "title": "Model bütçe"}
    )
    assert template.status_code == 201
    version = upload(office, template.json()["id"], pdf("model"), filename="Model_Bütçe.pdf").json()

    def titles(user):
        return [s["title"] for s in api_client(user).get("/api/v1/library/").json()["results"]]

    assert titles(library_people["office"]) == ["AB Proje Rehberi", "Trakya Bütçe Şablonları"]
    assert titles(library_people["chosen"]) == ["AB Proje Rehberi", "Trakya Bütçe Şablonları"]
    assert titles(library_people["other_member"]) == ["AB Proje Rehberi"]
    assert titles(library_people["outsider"]) == []
    reader = api_client(library_people["chosen"])
    assert reader.get(version["download_url"]).status_code == 302
    stranger = api_client(library_people["other_member"])
    assert stranger.get(f"/api/v1/library/{chosen.json()['id']}/documents/").status_code == 404
    assert stranger.get(version["download_url"]).status_code == 404
    # members read, only the office writes
    response = request_upload(reader, template.json()["id"], pdf())
    assert response.status_code == 409
    assert reader.post("/api/v1/library/", {"title": "X", "audience": "all_members"}).status_code == 409


def test_a_chosen_audience_needs_municipalities(api_client, library_people):
    response = api_client(library_people["office"]).post(
        "/api/v1/library/", {"title": "Boş", "audience": "chosen"}, format="json"
    )
    assert response.status_code == 400
    assert "municipalities" in response.json()["fields"]


def test_library_sets_of_nobody_are_seen_only_by_the_office(library_people):
    from documents.selectors import library_sets_visible_to

    LibrarySetFactory(audience=DocumentSet.Audience.CHOSEN)
    assert library_sets_visible_to(library_people["chosen"]).count() == 0
    assert library_sets_visible_to(library_people["office"]).count() == 1
