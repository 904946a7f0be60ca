"""The proposal summary as a PDF (`/proposals/<id>/summary.pdf`): what the proposal page shows the reader,
on paper, in their language; 404 for whoever may not see the proposal; a fixed number of queries."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import override
from django_fsm_log.models import StateLog
from pypdf import PdfReader

from tests.factories import (
    CallFactory,
    DocumentFactory,
    DocumentVersionFactory,
    MunicipalityFactory,
    ProgrammeFactory,
    ProposalSetFactory,
    RubricFactory,
    accepted,
    expert,
)
from tests.querycount import assert_same_query_count
from workflows import services
from workflows.discussion import services as discussion_services
from workflows.discussion.models import Visibility
from workflows.models import Consultation, ProposalPartner
from workflows.review import services as review_services
from workflows.states import State
from workflows.views.printouts import file_stem

pytestmark = pytest.mark.django_db


def url(proposal) -> str:
    return f"/proposals/{proposal.pk}/summary.pdf"


def pdf_text(data) -> str:
    """The text of a PDF (an answer, or its bytes), its line breaks and runs of spaces made single spaces."""
    if not isinstance(data, bytes):
        assert data["Content-Type"] == "application/pdf"
        data = data.content
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def reviewed_call():
    return CallFactory(rubric=RubricFactory())


@pytest.fixture
def awarded(make_proposal, people):
    """Submitted a week ago, awarded on a letter of yesterday; two documents (one in three versions), a
    consultation with agreed actions, an office coordinator and amounts that need grouping."""
    call = CallFactory(
        programme=ProgrammeFactory(name="Interreg IPA Bulgaria–Türkiye", funder="European Commission"),
        reference="IPA-BG-TR-2027-1",
        title="Cross-border cooperation",
        deadline=timezone.now() + timedelta(days=2),
    )
    proposal = make_proposal(
        state=State.READY,
        call=call,
        title="Meriç taşkın erken uyarı sistemi",
        acronym="MERİÇ",
        summary="Sensors along the Meriç and a shared alert room.",
        requested_amount=Decimal("1234567.50"),
        total_budget=Decimal("2000000"),
        coordinator=people["office"],
        document_set=ProposalSetFactory(),
    )
    form = DocumentFactory(set=proposal.document_set, title="Application form", kind="application_form")
    for number in (1, 2, 3):
        DocumentVersionFactory(
            document=form,
            number=number,
            original_filename=f"basvuru-v{number}.pdf",
            uploaded_by=people["lead"],
        )
    budget = DocumentFactory(set=proposal.document_set, title="Budget", kind="budget")
    DocumentVersionFactory(
        document=budget, number=1, original_filename="butce.xlsx", uploaded_by=people["lead"]
    )
    Consultation.objects.create(
        proposal=proposal,
        held_at=timezone.now() - timedelta(days=20),
        notes="Internal notes of the meeting.",
        agreed_actions="Letter of support from the governorate.",
        created_by=people["office"],
    )
    office = people["office"]
    office.first_name, office.last_name = "Deniz", "Aydın"
    office.save()
    submitted_at = timezone.now() - timedelta(days=7)
    services.perform_transition(
        proposal, "submit", office, funder_reference="IPA-2027-0042", submitted_at=submitted_at
    )
    letter = timezone.localdate() - timedelta(days=1)
    proposal = services.perform_transition(
        proposal, "award", office, awarded_amount=Decimal("1100000"), decided_on=letter
    )
    return proposal


def test_the_summary_holds_what_the_proposal_page_shows(client_for, people, awarded):
    response = client_for(people["lead"]).get(url(awarded))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="MERIC-summary.pdf"'
    text = pdf_text(response)
    for expected in [
        "Meriç taşkın erken uyarı sistemi",
        "MERİÇ",
        "Süleymanpaşa Belediyesi",  # the lead
        "Haskovo Municipality (BG)",  # the partner, its country and its role
        "Partner",
        "IPA-BG-TR-2027-1 – Cross-border cooperation",
        "Interreg IPA Bulgaria–Türkiye (European Commission)",
        awarded.deadline_display(),  # in the funder's zone
        "1,234,567.50 EUR",
        "2,000,000.00 EUR",
        "1,100,000.00 EUR",  # awarded
        "Awarded",
        "Office coordinator Deniz Aydın",
        "Sensors along the Meriç and a shared alert room.",
        "IPA-2027-0042",  # the submission that counts
        f"Decided on {awarded.decided_on:%Y-%m-%d}",
        "basvuru-v3.pdf",  # the latest version only
        "butce.xlsx",
        "Letter of support from the governorate.",
        "Record award",
        "Submitted → Awarded",
        "Ready to submit → Submitted",
    ]:
        assert expected in text, expected
    assert "basvuru-v2.pdf" not in text and "basvuru-v1.pdf" not in text
    submitted_at = timezone.localtime(awarded.submitted_at)
    assert f"{submitted_at:%Y-%m-%d %H:%M} (Europe/Istanbul)" in text


def test_the_summary_reads_in_turkish_with_turkish_numbers(client_for, people, awarded):
    response = client_for(people["lead"], language="tr").get(url(awarded))
    text = pdf_text(response)
    with override("tr"):
        awarded_label, lead_label = str(State.AWARDED.label), "Başvuru sahibi belediye"
    assert "1.234.567,50 EUR" in text and "1.100.000,00 EUR" in text
    assert awarded_label in text and lead_label in text
    assert "1,234,567.50" not in text


def test_a_team_reads_no_internal_comment_nor_a_reviewer_name(client_for, people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING, title="Ergene su kalitesi", call=reviewed_call())
    reviewer = expert(user__first_name="Hakem", user__last_name="Gizlioğlu")
    review_round = review_services.open_round(proposal, people["office"])
    assignment = accepted(review_services.assign_reviewer(review_round, people["office"], reviewer=reviewer))
    discussion_services.post_comment(
        proposal, reviewer, body="Zayıf etki bölümü.", visibility=Visibility.INTERNAL
    )
    discussion_services.post_comment(proposal, people["lead"], body="Bütçe hazır mı?")
    for user in (people["lead"], people["partner"], people["office"], assignment.reviewer):
        text = pdf_text(client_for(user).get(url(proposal)))
        assert "Ergene su kalitesi" in text
        assert "Zayıf etki bölümü." not in text and "Bütçe hazır mı?" not in text  # no discussion at all
        assert "Gizlioğlu" not in text


def test_who_gets_the_summary(client_for, people, make_proposal):
    """The proposal's own and partner teams, the office, a reviewer past the declaration; else 404."""
    proposal = make_proposal(state=State.DRAFTING, call=reviewed_call())
    reviewer = expert()
    review_round = review_services.open_round(proposal, people["office"])
    assignment = review_services.assign_reviewer(review_round, people["office"], reviewer=reviewer)

    def status(user):
        return client_for(user).get(url(proposal)).status_code

    assert status(people["lead"]) == 200
    assert status(people["member"]) == 200
    assert status(people["partner"]) == 200
    assert status(people["office"]) == 200
    assert status(people["other_team"]) == 404
    assert status(people["reviewer"]) == 404  # an expert with no assignment here
    assert status(reviewer) == 404  # invited: only the brief, on the assignment page
    assignment = accepted(assignment)
    assert status(reviewer) == 200
    review_services.transition_assignment(assignment, "withdraw", people["office"])
    assert status(reviewer) == 404
    assert client_for(None).get(url(proposal)).status_code == 302  # to the sign-in page
    assert client_for(people["office"]).post(url(proposal)).status_code == 405


def test_a_deleted_proposal_has_no_summary(client_for, people, make_proposal):
    proposal = make_proposal(state=State.IDEA)
    type(proposal).objects.filter(pk=proposal.pk).update(deleted_at=timezone.now())
    assert client_for(people["office"]).get(url(proposal)).status_code == 404


def test_the_file_name_is_the_acronym_in_ascii_or_the_id(make_proposal):
    assert file_stem(make_proposal(acronym="IŞIK-2027")) == "ISIK-2027"
    assert file_stem(make_proposal(acronym='"; x=y')) == "x-y"
    nameless = make_proposal(acronym="")
    assert file_stem(nameless) == str(nameless.pk)


def test_the_proposal_page_links_to_the_summary(client_for, people, make_proposal):
    proposal = make_proposal(state=State.IDEA)
    html = client_for(people["lead"]).get(f"/proposals/{proposal.pk}/").content.decode()
    assert f'href="/proposals/{proposal.pk}/summary.pdf"' in html and "Summary (PDF)" in html


@pytest.mark.parametrize("role", ["office", "lead"])
def test_the_summary_costs_the_same_queries_at_one_and_five_rows(
    client_for, people, make_proposal, django_assert_num_queries, role
):
    """Documents (two versions each), partners, consultations and transitions grow; the queries do not."""
    proposal = make_proposal(
        state=State.SUBMITTED, document_set=ProposalSetFactory(), coordinator=people["office"]
    )
    made = []

    def add(count):
        for _ in range(count):
            i = len(made)
            document = DocumentFactory(set=proposal.document_set, title=f"Annex {i}")
            for number in (1, 2):
                DocumentVersionFactory(
                    document=document, number=number, original_filename=f"annex-{i}-v{number}.pdf"
                )
            ProposalPartner.objects.create(
                proposal=proposal, municipality=MunicipalityFactory(name=f"Partner {i}")
            )
            Consultation.objects.create(
                proposal=proposal,
                held_at=timezone.now(),
                agreed_actions=f"Action {i}",
                created_by=people["office"],
            )
            StateLog.objects.create(
                content_object=proposal,
                transition="submit",
                source_state="ready",
                state="submitted",
                by=people["lead"],
            )
            made.append(i)

    def shown(body) -> int:
        text = pdf_text(body)
        count = text.count("Ready to submit → Submitted")
        assert all(f"annex-{i}-v2.pdf" in text and f"Action {i}" in text for i in range(count))
        return count

    queries = assert_same_query_count(
        client_for(people[role]), url(proposal), add, django_assert_num_queries, rows_in=shown
    )
    assert queries <= 14, queries


def test_an_idea_without_a_call_prints_what_it_has(client_for, people, make_proposal):
    proposal = make_proposal(state=State.IDEA, call=None, acronym="", title="Kent bostanları")
    response = client_for(people["lead"]).get(url(proposal))
    assert response["Content-Disposition"] == f'inline; filename="{proposal.pk}-summary.pdf"'
    text = pdf_text(response)
    assert "Kent bostanları" in text and "not chosen yet" in text
    assert "Not submitted yet." in text and "No decision yet." in text and "No documents yet." in text
