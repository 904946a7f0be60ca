"""Resubmission as on the funder portals: a submitted proposal is corrected and resubmitted until the
deadline, each submission keeps the versions it froze, and after the deadline only what the funder sends
back may still be added. Everything goes through the API, uploads included (request, PUT, complete)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from documents.models import Document, DocumentVersion, PendingUpload
from grants_office.calls.models import Call
from tests.documents.conftest import add_document, pdf, put, request_upload, sha256, upload
from tests.factories import (
    CallFactory,
    DocumentFactory,
    DocumentVersionFactory,
    ProposalSetFactory,
    office_staff,
)
from tests.querycount import assert_same_query_count
from workflows.models import Submission
from workflows.states import State

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def embedded_storage(disk_storage):
    return disk_storage


@pytest.fixture
def ready(make_proposal):
    """A signed-off proposal on a call whose deadline is two days away, with amounts the call accepts."""
    call = CallFactory(deadline=timezone.now() + timedelta(days=2))
    return make_proposal(
        state=State.READY,
        call=call,
        requested_amount=Decimal("100000"),
        total_budget=Decimal("200000"),
    )


def move(client, proposal, name, **data):
    return client.post(f"/api/v1/proposals/{proposal.pk}/transitions/{name}/", data, format="json")


def submit(client, proposal, name, reference, at):
    response = move(client, proposal, name, funder_reference=reference, submitted_at=at.isoformat())
    assert response.status_code == 200, response.content
    return response


def submissions(client, proposal):
    response = client.get(f"/api/v1/proposals/{proposal.pk}/submissions/")
    assert response.status_code == 200, response.content
    return response.json()


def frozen(submission) -> set[tuple[str, int]]:
    return {(version["kind"], version["number"]) for version in submission["versions"]}


def pass_the_deadline(proposal):
    Call.objects.filter(pk=proposal.call_id).update(deadline=timezone.now() - timedelta(minutes=1))


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00+14:00", "0001-01-01 00:00", "1899-12-31T12:00:00Z"])
def test_a_submission_time_out_of_range_is_400_and_records_nothing(api_client, people, ready, at):
    response = move(api_client(people["lead"]), ready, "submit", funder_reference="IPA-1", submitted_at=at)
    assert response.status_code == 400, response.content
    assert list(response.json()["fields"]) == ["submitted_at"]
    ready.refresh_from_db()
    assert (ready.state, ready.submissions.count()) == (State.READY, 0)


def test_each_submission_keeps_the_latest_versions_it_froze(api_client, people, ready):
    lead = api_client(people["lead"])
    budget, annex = add_document(lead, ready, "budget"), add_document(lead, ready, "annex")
    budget_v1 = upload(lead, budget, pdf("budget v1"), filename="Bütçe-1.pdf").json()
    annex_v1 = upload(lead, annex, pdf("annex v1"), filename="Ek.pdf").json()
    submit(lead, ready, "submit", "IPA-1", timezone.now() - timedelta(hours=1))

    # submitted, before the deadline: a new version and a new document, as in drafting
    budget_v2 = upload(lead, budget, pdf("budget v2"), filename="Bütçe-2.pdf")
    assert budget_v2.status_code == 201, budget_v2.content
    assert budget_v2.json()["number"] == 2
    work_plan = add_document(lead, ready, "work_plan")
    assert upload(lead, work_plan, pdf("plan"), filename="Plan.pdf").status_code == 201
    submit(lead, ready, "resubmit", "IPA-2", timezone.now())

    newest, earlier = submissions(api_client(people["partner"]), ready)
    assert (newest["funder_reference"], newest["counts"]) == ("IPA-2", True)
    assert (earlier["funder_reference"], earlier["counts"]) == ("IPA-1", False)
    assert frozen(newest) == {("budget", 2), ("annex", 1), ("work_plan", 1)}
    assert frozen(earlier) == {("budget", 1), ("annex", 1)}  # unchanged by the resubmission
    first_budget = next(v for v in earlier["versions"] if v["kind"] == "budget")
    assert first_budget == {
        "id": budget_v1["id"],
        "document": budget,
        "document_title": "Budget",
        "kind": "budget",
        "kind_label": "Budget",
        "number": 1,
        "filename": "Bütçe-1.pdf",
        "size": len(pdf("budget v1")),
        "sha256": sha256(pdf("budget v1")),
        "download_url": f"/api/v1/document-versions/{budget_v1['id']}/download/",
    }
    assert annex_v1["id"] in {v["id"] for v in newest["versions"]}
    assert newest["stage"] == 1 and newest["recorded_by"]["id"] == people["lead"].pk
    assert newest["recorded_by"]["name"]


def test_after_the_deadline_a_budget_is_refused_and_nothing_changes(api_client, people, ready):
    lead = api_client(people["lead"])
    budget = add_document(lead, ready, "budget")
    upload(lead, budget, pdf("v1"))
    submit(lead, ready, "submit", "IPA-1", timezone.now() - timedelta(minutes=5))
    pass_the_deadline(ready)
    counts = (Document.objects.count(), DocumentVersion.objects.count(), PendingUpload.objects.count())

    response = request_upload(lead, budget, pdf("v2"))
    assert response.status_code == 409
    [reason] = response.json()["reasons"]
    assert reason["code"] == "documents_locked"
    assert "deadline passed" in reason["message"] and "(Europe/Brussels)" in reason["message"]
    refused = lead.post(f"/api/v1/proposals/{ready.pk}/documents/", {"kind": "annex"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["reasons"][0]["code"] == "documents_locked"
    late = move(lead, ready, "resubmit", funder_reference="IPA-2", submitted_at=timezone.now().isoformat())
    assert late.status_code == 409

    assert (
        Document.objects.count(),
        DocumentVersion.objects.count(),
        PendingUpload.objects.count(),
    ) == counts
    [only] = submissions(lead, ready)
    assert (only["funder_reference"], frozen(only)) == ("IPA-1", {("budget", 1)})


@pytest.mark.parametrize("kind", ["funder_receipt", "evaluation_report"])
def test_after_the_deadline_the_funders_documents_are_accepted(api_client, people, ready, kind):
    lead = api_client(people["lead"])
    submit(lead, ready, "submit", "IPA-1", timezone.now() - timedelta(minutes=5))
    pass_the_deadline(ready)
    document = add_document(lead, ready, kind)
    response = upload(lead, document, pdf("from the funder"), filename="Alındı.pdf")
    assert response.status_code == 201, response.content
    [only] = submissions(lead, ready)
    assert only["versions"] == []  # what the funder sends back is not part of what was submitted


def test_an_upload_in_flight_at_the_deadline_is_refused_unless_the_funder_sent_it(api_client, people, ready):
    lead = api_client(people["lead"])
    budget, receipt = add_document(lead, ready, "budget"), add_document(lead, ready, "funder_receipt")
    submit(lead, ready, "submit", "IPA-1", timezone.now() - timedelta(minutes=5))
    signed = {}
    for name, document in (("budget", budget), ("receipt", receipt)):
        data = pdf(name)
        signed[name] = request_upload(lead, document, data).json()
        assert put(signed[name], data)[0] == 200
    pass_the_deadline(ready)  # the rule is asked again when the upload completes

    refused = lead.post(f"/api/v1/uploads/{signed['budget']['id']}/complete/")
    assert refused.status_code == 409
    assert refused.json()["reasons"][0]["code"] == "documents_locked"
    assert not DocumentVersion.objects.filter(document_id=budget).exists()
    accepted = lead.post(f"/api/v1/uploads/{signed['receipt']['id']}/complete/")
    assert accepted.status_code == 201, accepted.content


def test_stage_two_is_corrected_until_the_stage_two_deadline(api_client, people, make_proposal):
    call = CallFactory(
        is_two_stage=True,
        deadline=timezone.now() - timedelta(days=30),
        stage2_deadline=timezone.now() + timedelta(days=5),
    )
    proposal = make_proposal(state=State.SUBMITTED, call=call, stage=2)
    lead = api_client(people["lead"])
    budget = add_document(lead, proposal, "budget")
    assert upload(lead, budget, pdf()).status_code == 201


def test_the_documents_api_says_what_may_be_added_now(api_client, people, ready):
    lead, partner = api_client(people["lead"]), api_client(people["partner"])
    url = f"/api/v1/proposals/{ready.pk}/documents/"
    submit(lead, ready, "submit", "IPA-1", timezone.now() - timedelta(minutes=5))

    before = lead.get(url).json()["changes"]
    assert before["resubmission_open"] is True and before["reason"] is None
    assert {"budget", "work_plan", "funder_receipt"} <= set(before["kinds"])
    assert before["resubmission_until"]

    pass_the_deadline(ready)
    after = lead.get(url).json()["changes"]
    assert after["kinds"] == ["funder_receipt", "evaluation_report"]
    assert (after["resubmission_open"], after["resubmission_until"]) == (False, None)
    assert after["reason"]["code"] == "documents_locked"
    assert partner.get(url).json()["changes"]["reason"]["code"] == "not_permitted"


def test_submissions_of_a_proposal_you_do_not_see_are_404(api_client, people, ready):
    submit(api_client(people["lead"]), ready, "submit", "IPA-1", timezone.now() - timedelta(minutes=5))
    response = api_client(people["other_team"]).get(f"/api/v1/proposals/{ready.pk}/submissions/")
    assert response.status_code == 404
    assert "IPA-1" not in response.content.decode()


def test_submissions_cost_the_same_for_one_and_five(
    api_client, people, make_proposal, django_assert_num_queries
):
    proposal = make_proposal(state=State.SUBMITTED, document_set=ProposalSetFactory())

    def add(rows):
        for _ in range(rows):
            submission = Submission.objects.create(
                proposal=proposal,
                stage=1,
                funder_reference="REF",
                submitted_at=timezone.now(),
                recorded_by=office_staff(),
            )
            for kind in ("budget", "work_plan"):
                document = DocumentFactory(set=proposal.document_set, kind=kind)
                submission.versions.add(DocumentVersionFactory(document=document, number=1))

    assert_same_query_count(
        api_client(people["lead"]),
        f"/api/v1/proposals/{proposal.pk}/submissions/",
        add,
        django_assert_num_queries,
        rows_in=len,
    )
