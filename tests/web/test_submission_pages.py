"""The proposal page's "Submissions" section: every submission with the versions it froze, the newest
marked as the one that counts; and the documents section's hint while a submission may be corrected."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from grants_office.calls.models import DocumentKind
from tests.factories import (
    CallFactory,
    DocumentFactory,
    DocumentVersionFactory,
    ProposalSetFactory,
    office_staff,
)
from tests.querycount import page_queries
from workflows.models import Submission
from workflows.states import State

pytestmark = pytest.mark.django_db


def page_url(proposal) -> str:
    return f"/proposals/{proposal.pk}/"


def submissions_section(page: str) -> str:
    match = re.search(r'<section aria-labelledby="submissions-heading".*?</section>', page, re.S)
    assert match, "no submissions section"
    return match.group(0)


def record(proposal, reference, versions, *, hours_ago):
    submission = Submission.objects.create(
        proposal=proposal,
        stage=1,
        funder_reference=reference,
        submitted_at=timezone.now() - timedelta(hours=hours_ago),
        recorded_by=office_staff(first_name="Ayşe", last_name="Kaya"),
    )
    submission.versions.set(versions)
    return submission


@pytest.fixture
def submitted(make_proposal):
    call = CallFactory(deadline=timezone.now() + timedelta(days=2))
    return make_proposal(state=State.SUBMITTED, call=call, document_set=ProposalSetFactory())


def test_each_submission_lists_its_frozen_versions_and_the_newest_counts(client_for, people, submitted):
    budget = DocumentFactory(set=submitted.document_set, kind=DocumentKind.BUDGET, title="Bütçe")
    v1 = DocumentVersionFactory(document=budget, number=1, original_filename="Bütçe-1.pdf", sha256="a" * 64)
    v2 = DocumentVersionFactory(document=budget, number=2, original_filename="Bütçe-2.pdf", sha256="b" * 64)
    first = record(submitted, "IPA-1", [v1], hours_ago=3)
    newest = record(submitted, "IPA-2", [v2], hours_ago=1)

    section = submissions_section(client_for(people["partner"]).get(page_url(submitted)).content.decode())
    rows = re.findall(r'<li data-submission="(\d+)"( data-counts="true")?>(.*?)</li>', section, re.S)
    assert [(int(pk), bool(counts)) for pk, counts, _body in rows] == [(newest.pk, True), (first.pk, False)]
    newest_body, first_body = rows[0][2], rows[1][2]
    assert f'href="/api/v1/document-versions/{v2.pk}/download/">Bütçe-2.pdf</a>' in newest_body
    assert "Bütçe-1.pdf" not in newest_body
    assert f'href="/api/v1/document-versions/{v1.pk}/download/">Bütçe-1.pdf</a>' in first_body
    assert "<td>1</td>" in first_body and "<td>2</td>" in newest_body
    assert f'title="{"b" * 64}">{"b" * 12}…</code>' in newest_body
    assert "counts" in newest_body and "counts" not in first_body
    assert "Ayşe Kaya" in newest_body


def test_before_the_deadline_the_team_may_upload_and_is_told_so(client_for, people, submitted):
    DocumentFactory(set=submitted.document_set, kind=DocumentKind.BUDGET)
    page = client_for(people["lead"]).get(f"/proposals/{submitted.pk}/documents/").content.decode()
    assert 'data-hint="resubmission_open"' in page
    assert "(Europe/Brussels)" in page and "the latest submission counts" in page
    assert "New version of" in page  # the budget takes a new version
    assert 'data-reason="documents_locked"' not in page
    options = re.findall(r'<option value="([a-z_]+)"', page)
    assert "budget" in options and "funder_receipt" in options


def test_partners_read_the_submissions_but_get_no_upload_hint(client_for, people, submitted):
    DocumentFactory(set=submitted.document_set, kind=DocumentKind.BUDGET)
    page = client_for(people["partner"]).get(page_url(submitted)).content.decode()
    assert 'data-hint="resubmission_open"' not in page
    assert "Not submitted yet." in submissions_section(page)


def test_the_page_costs_the_same_for_one_and_five_submissions(client_for, people, submitted):
    def add(rows):
        for index in range(rows):
            document = DocumentFactory(set=submitted.document_set, kind=DocumentKind.ANNEX)
            versions = [DocumentVersionFactory(document=document, number=n) for n in (1, 2)]
            record(submitted, f"REF-{index}", versions, hours_ago=index + 1)

    add(1)
    one = page_queries(people["lead"], page_url(submitted))
    add(4)
    five = page_queries(people["lead"], page_url(submitted))
    assert one == five
    section = submissions_section(client_for(people["lead"]).get(page_url(submitted)).content.decode())
    assert section.count("<li data-submission=") == 5
    assert section.count("<tr data-version=") == 10
