"""The documents section of the proposal page: who sees which upload forms, adding a document, the
section that htmx refreshes after an upload, the session calling the documents API with its CSRF
token, and the Content-Security-Policy that lets the browser reach the storage."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from documents.models import Document, DocumentVersion, PendingUpload
from documents.storage import object_store
from grants_office.calls.models import ChecklistItem, DocumentKind
from tests.documents.conftest import pdf, put, sha256
from tests.factories import (
    CallFactory,
    DocumentFactory,
    DocumentVersionFactory,
    ProposalSetFactory,
    UserFactory,
)
from tests.querycount import assert_same_query_count
from tests.web.conftest import HTMX
from workflows.states import State

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def disk_storage(disk_storage):
    """Embedded mode in a private directory (the repository's var/ stays untouched)."""
    return disk_storage


@pytest.fixture
def drafting(make_proposal):
    """A proposal being drafted for a call that asks for a budget and a work plan; the budget slot exists."""
    call = CallFactory(required_documents=[DocumentKind.BUDGET, DocumentKind.WORK_PLAN])
    proposal = make_proposal(state=State.DRAFTING, call=call, document_set=ProposalSetFactory())
    budget = DocumentFactory(set=proposal.document_set, kind=DocumentKind.BUDGET, title="Bütçe")
    return proposal, budget


def section_url(proposal) -> str:
    return f"/proposals/{proposal.pk}/documents/"


def add_url(proposal) -> str:
    return f"/proposals/{proposal.pk}/documents/add/"


def upload_forms(html: str) -> list[str]:
    return re.findall(r'data-upload-url="/api/v1/documents/(\d+)/uploads/"', html)


# --- who sees what -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["lead", "member", "office"])
def test_the_lead_team_and_the_office_get_an_upload_form_per_document(client_for, people, drafting, role):
    proposal, budget = drafting
    page = client_for(people[role]).get(f"/proposals/{proposal.pk}/").content.decode()
    assert upload_forms(page) == [str(budget.pk)]
    # the client-side texts come from the template (translated there), the script from a file
    assert 'data-msg-choose="Choose a file first."' in page
    assert 'data-msg-too-large="The file is larger than the limit of 50 MB."' in page
    assert '<script src="/static/core/upload.js" defer></script>' in page
    assert 'aria-live="polite"' in page and "<progress" in page
    assert f'for="upload-{budget.pk}-file"' in page and f'id="upload-{budget.pk}-file"' in page
    assert 'id="id_document_kind"' in page  # add a document
    # the select offers the call's checklist, the missing work plan first
    assert re.search(r'<option value="work_plan" selected>', page)


def test_a_partner_reads_the_documents_but_gets_no_forms(client_for, people, drafting):
    proposal, budget = drafting
    DocumentVersionFactory(document=budget, number=1, original_filename="butce.pdf")
    page = client_for(people["partner"]).get(section_url(proposal)).content.decode()
    assert "butce.pdf" in page
    assert upload_forms(page) == []
    assert "id_document_kind" not in page


@pytest.mark.parametrize("role", ["other_team", "nobody"])
def test_people_without_access_get_404_and_change_nothing(client_for, people, drafting, role):
    proposal, _budget = drafting
    client = client_for(people[role])
    assert client.get(section_url(proposal)).status_code == 404
    assert client.post(add_url(proposal), {"kind": "annex"}, **HTMX).status_code == 404
    assert Document.objects.filter(set=proposal.document_set).count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client_for, drafting):
    proposal, _budget = drafting
    response = client_for(None).get(section_url(proposal))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_partner_adding_a_document_gets_409_with_the_reason(client_for, people, drafting):
    proposal, _budget = drafting
    response = client_for(people["partner"]).post(add_url(proposal), {"kind": "annex"}, **HTMX)
    assert response.status_code == 409
    assert 'data-reason="not_permitted"' in response.content.decode()
    assert Document.objects.filter(set=proposal.document_set).count() == 1


# --- locked after the deadline of a submitted proposal (before it: tests/web/test_submission_pages.py) -


def test_after_the_deadline_the_set_is_locked_except_what_the_funder_sends(client_for, people, make_proposal):
    call = CallFactory(required_documents=[DocumentKind.BUDGET], deadline=timezone.now() - timedelta(hours=1))
    proposal = make_proposal(state=State.SUBMITTED, call=call, document_set=ProposalSetFactory())
    budget = DocumentFactory(set=proposal.document_set, kind=DocumentKind.BUDGET)
    receipt = DocumentFactory(set=proposal.document_set, kind=DocumentKind.FUNDER_RECEIPT, title="Alındı")
    client = client_for(people["lead"])

    page = client.get(section_url(proposal)).content.decode()
    assert upload_forms(page) == [str(receipt.pk)]  # not the budget
    options = re.findall(r'<option value="([a-z_]+)"', page)
    assert options == ["funder_receipt", "evaluation_report"]
    assert 'data-reason="documents_locked"' in page and "The deadline passed at" in page
    assert 'data-hint="resubmission_open"' not in page

    response = client.post(add_url(proposal), {"kind": "budget", "title": "Yeni bütçe"}, **HTMX)
    assert response.status_code == 409
    assert 'data-reason="documents_locked"' in response.content.decode()
    assert not Document.objects.filter(title="Yeni bütçe").exists()

    api = client.post(
        f"/api/v1/documents/{budget.pk}/uploads/",
        {"filename": "b.pdf", "size": 10, "content_type": "application/pdf", "sha256": "a" * 64},
        content_type="application/json",
    )
    assert api.status_code == 409

    response = client.post(add_url(proposal), {"kind": "evaluation_report"}, **HTMX)
    assert response.status_code == 200
    assert Document.objects.filter(set=proposal.document_set, kind="evaluation_report").exists()


def test_a_closed_proposal_says_why_nothing_changes(client_for, people, make_proposal):
    proposal = make_proposal(state=State.WITHDRAWN, document_set=ProposalSetFactory())
    DocumentFactory(set=proposal.document_set, kind=DocumentKind.BUDGET)
    page = client_for(people["lead"]).get(section_url(proposal)).content.decode()
    assert upload_forms(page) == [] and "id_document_kind" not in page
    assert 'data-reason="proposal_closed"' in page


# --- adding a document -------------------------------------------------------------------------------


def test_adding_a_document_with_htmx_answers_the_section_with_the_new_slot(client_for, people, drafting):
    proposal, _budget = drafting
    response = client_for(people["member"]).post(
        add_url(proposal), {"kind": "work_plan", "title": "Çalışma planı"}, **HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    document = Document.objects.get(set=proposal.document_set, kind="work_plan")
    assert document.title == "Çalışma planı" and document.created_by == people["member"]
    assert str(document.pk) in upload_forms(body)
    assert "“Çalışma planı” is added; upload its first version." in body
    assert body.lstrip().startswith('<section aria-labelledby="documents-heading"')
    assert "<script" not in body  # the page has upload.js already; htmx does not run scripts


def test_adding_a_document_without_javascript_redirects_to_the_section(client_for, people, drafting):
    proposal, _budget = drafting
    client = client_for(people["lead"])
    response = client.post(add_url(proposal), {"kind": "annex", "title": ""})
    assert response.status_code == 302
    assert response["Location"] == f"/proposals/{proposal.pk}/#documents"
    assert Document.objects.get(set=proposal.document_set, kind="annex").title == "Annex"  # the kind's label


@pytest.mark.parametrize(
    "data, field",
    [({"kind": "spaceship"}, "kind"), ({"kind": "annex", "title": "x" * 301}, "title"), ({}, "kind")],
)
def test_bad_input_is_400_with_the_errors_and_adds_nothing(client_for, people, drafting, data, field):
    proposal, _budget = drafting
    response = client_for(people["lead"]).post(add_url(proposal), data, **HTMX)
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_document_{field}_error"' in body and '<details class="add-document" open>' in body
    assert Document.objects.filter(set=proposal.document_set).count() == 1


def test_bad_input_without_javascript_is_a_page_with_the_errors(client_for, people, drafting):
    proposal, _budget = drafting
    response = client_for(people["lead"]).post(add_url(proposal), {"kind": "spaceship"})
    assert response.status_code == 400
    assert "<h1>" in response.content.decode() and 'id="id_document_kind_error"' in response.content.decode()


def test_the_section_answers_only_get_and_adding_only_post(client_for, people, drafting):
    proposal, _budget = drafting
    client = client_for(people["lead"])
    assert client.post(section_url(proposal)).status_code == 405
    assert client.get(add_url(proposal)).status_code == 405


# --- the browser's flow, as upload.js runs it --------------------------------------------------------


def csrf_from(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_the_session_uploads_through_the_api_with_its_csrf_token(client_for, people, drafting):
    """What upload.js does: the page's CSRF token on the API calls, the bytes to the signed URL, then
    the section with the new version and the notice."""
    proposal, budget = drafting
    client = client_for(people["member"], enforce_csrf_checks=True)
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    token = csrf_from(page)
    data = pdf("taslak")
    body = {"filename": "Bütçe v1.pdf", "size": len(data), "content_type": "application/pdf"}
    body["sha256"] = sha256(data)
    url = f"/api/v1/documents/{budget.pk}/uploads/"

    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 403  # SessionAuthentication needs the CSRF header

    response = client.post(url, body, content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 201, response.content
    signed = response.json()
    assert put(signed, data)[0] == 200
    complete = client.post(f"/api/v1/uploads/{signed['id']}/complete/", headers={"X-CSRFToken": token})
    assert complete.status_code == 201, complete.content
    version = complete.json()

    section = client.get(f"{section_url(proposal)}?uploaded={version['id']}", **HTMX).content.decode()
    assert "“Bütçe v1.pdf” is now version 1 of “Bütçe”." in section
    assert "autofocus>" in section and "Bütçe v1.pdf" in section
    assert 'data-kind="budget"' in section and "checklist__item--present" in section
    assert DocumentVersion.objects.get().uploaded_by == people["member"]


def test_api_errors_come_back_in_the_persons_language(client_for, people, drafting):
    """upload.js shows the server's messages as they are: they must already be in the user's language."""
    _proposal, budget = drafting
    client = client_for(people["lead"], language="tr")
    response = client.post(
        f"/api/v1/documents/{budget.pk}/uploads/",
        {"filename": "a.exe", "size": 0, "content_type": "application/x-msdownload", "sha256": "xyz"},
        content_type="application/json",
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"size", "content_type", "sha256"}
    english = client_for(people["lead"]).post(
        f"/api/v1/documents/{budget.pk}/uploads/",
        {"filename": "a.exe", "size": 0, "content_type": "application/x-msdownload", "sha256": "xyz"},
        content_type="application/json",
    )
    assert english.json()["fields"]["size"] == ["The file is empty."]
    assert fields["size"] != ["The file is empty."]


# --- query counts ------------------------------------------------------------------------------------


def test_the_section_costs_the_same_queries_for_one_and_five_documents(
    client_for, people, make_proposal, django_assert_num_queries
):
    kinds = [k for k in DocumentKind.values if k not in ("funder_receipt", "evaluation_report")]
    call = CallFactory()
    proposal = make_proposal(state=State.DRAFTING, call=call, document_set=ProposalSetFactory())
    added = []

    def add(n):
        for _ in range(n):
            kind = kinds[len(added) % len(kinds)]
            ChecklistItem.objects.get_or_create(call=call, document_kind=kind, defaults={"required": True})
            document = DocumentFactory(set=proposal.document_set, kind=kind)
            for number in (1, 2):
                DocumentVersionFactory(document=document, number=number, uploaded_by=UserFactory())
            added.append(document)

    measured = assert_same_query_count(
        client_for(people["lead"], language=None),
        section_url(proposal),
        add,
        django_assert_num_queries,
        rows_in=lambda html: html.count("data-document="),
    )
    assert measured <= 9, measured  # session, user, profile, groups, proposal, checklist, documents,
    # versions, the person's team roles


# --- the Content-Security-Policy lets the browser reach the storage ----------------------------------


def connect_src(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    directive = next(part.strip() for part in policy.split(";") if part.strip().startswith("connect-src"))
    return directive.split()[1:]


def s3(settings, **options):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "grants", "access_key": "k", "secret_key": "s", **options},
        },
    }


def test_embedded_mode_connects_only_to_our_own_origin(client_for, people, drafting):
    proposal, _budget = drafting
    response = client_for(people["lead"]).get(f"/proposals/{proposal.pk}/")
    assert connect_src(response) == ["'self'"]


def test_an_s3_endpoint_is_allowed_for_connect_src(settings, client_for, people, drafting):
    proposal, _budget = drafting
    s3(settings, endpoint_url="https://s3.example.org:9000/", region_name="eu-central-1")
    response = client_for(people["lead"]).get(f"/proposals/{proposal.pk}/")
    assert connect_src(response) == ["'self'", "https://s3.example.org:9000"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_virtual_host_addressing_allows_the_bucket_host(settings, client_for, people, drafting):
    proposal, _budget = drafting
    s3(settings, endpoint_url="https://s3.example.org", addressing_style="virtual")
    response = client_for(people["lead"]).get(f"/proposals/{proposal.pk}/")
    assert connect_src(response) == ["'self'", "https://s3.example.org", "https://grants.s3.example.org"]


def test_aws_allows_the_hosts_boto_signs_for(settings, client_for, people, drafting):
    """boto signs us-east-1 (the default region) and "auto" addressing for the global s3.amazonaws.com,
    which the policy before this one left out."""
    proposal, budget = drafting
    s3(settings, region_name="us-east-1", addressing_style="path")
    response = client_for(people["lead"]).get(f"/proposals/{proposal.pk}/")
    sources = connect_src(response)
    assert "https://s3.amazonaws.com" in sources and "https://grants.s3.amazonaws.com" in sources
    assert "https://s3.us-east-1.amazonaws.com" in sources
    pending = PendingUpload(document=budget, size=1, content_type="text/plain", sha256="a" * 64)
    pending.storage_key = "documents/check"
    url, _headers = object_store().presign_upload(pending, timezone.now(), 60)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" in sources
