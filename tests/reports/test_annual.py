"""The annual activity report: its figures, the PDF the council receives and the workbook."""

import io
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.annual import annual_report
from tests.factories import RubricFactory, expert, proposal_set_with_version, submitted
from workflows.models import Consultation
from workflows.review import services as review_services
from workflows.review.models import Review

pytestmark = pytest.mark.django_db


def held(proposal, when, office):
    return Consultation.objects.create(proposal=proposal, held_at=when, notes="Budget.", created_by=office)


@pytest.fixture
def year_of_work(world):
    """world, plus the office's consultations (two in 2025 on live proposals) and one expert review
    submitted in 2025."""
    office, p = world["office"], world["proposals"]
    held(p["awarded_eur"], datetime(2025, 2, 3, 9, tzinfo=UTC), office)  # Süleymanpaşa, partner Çorlu
    held(p["reserve"], datetime(2025, 3, 31, 22, 30, tzinfo=UTC), office)  # 1 April in Istanbul
    held(p["rejected"], datetime(2024, 12, 1, 9, tzinfo=UTC), office)  # another year
    held(p["deleted"], datetime(2025, 5, 1, 9, tzinfo=UTC), office)  # a deleted proposal
    RubricFactory(is_office_default=True)
    proposal_set_with_version(p["drafting"], uploaded_by=office)
    review_round = review_services.open_round(p["drafting"], office)
    assignment = review_services.assign_reviewer(review_round, office, reviewer=expert())
    submitted(assignment, {"excellence": 4, "impact": 3, "implementation": 4})
    Review.objects.update(submitted_at=datetime(2025, 7, 1, 9, tzinfo=UTC))
    return world


def test_the_years_figures(year_of_work):
    report = annual_report(2025)
    assert report.submitted.total.submitted == 6
    assert report.submitted.total.requested_eur.eur == Decimal("605000.00")
    assert report.decided.total.decided == 5  # awarded 3, rejected, ineligible (the reserve is not)
    assert report.decided.total.awarded_eur.eur == Decimal("175000.00")  # 130,000 EUR + 1,500,000 TRY at 0.03
    lines = {line.name: line for line in report.members}
    assert list(lines) == ["Çerkezköy", "Çorlu", "Edirne Merkez", "Ergene", "İpsala", "Keşan", "Süleymanpaşa"]
    suleymanpasa = lines["Süleymanpaşa"]
    assert (suleymanpasa.led, suleymanpasa.partnered, suleymanpasa.submitted, suleymanpasa.awarded) == (
        3,
        0,
        2,
        1,
    )
    assert suleymanpasa.awarded_eur.eur == Decimal("90000.00")
    assert suleymanpasa.consultations == 1
    corlu = lines["Çorlu"]
    assert (corlu.led, corlu.partnered, corlu.submitted, corlu.awarded, corlu.consultations) == (
        2,
        1,
        1,
        1,
        1,
    )
    edirne = lines["Edirne Merkez"]
    assert edirne.awarded_amount == {"TRY": Decimal("1500000.00")}
    assert edirne.awarded_eur.eur == Decimal("45000.00")
    assert lines["İpsala"].partnered == 0  # only on the deleted proposal
    assert report.members_total.awarded_eur.eur == Decimal("175000.00")
    assert report.consultations == 2
    assert report.consulted_members == 3
    assert [count for _month, count in report.consultations_by_month] == [0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    assert report.reviews == {"reviews": 1, "reviewers": 1, "proposals": 1}
    assert [(bar.label, bar.value) for bar in report.awarded_chart.bars] == [("2025", Decimal("175000.00"))]


def test_the_pdf(year_of_work, client_for):
    response = client_for(year_of_work["office"]).get("/reports/annual/2025.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="annual-report-2025.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) > 1
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "Annual activity report 2025" in text
    assert "Trakya Belediyeler Birliği" in text
    for name in ("Süleymanpaşa", "Çorlu", "Edirne Merkez", "Keşan", "Çerkezköy", "İpsala"):
        assert name in text
    assert "in EUR: 175,000.00" in text  # awarded in the year (EUR and TRY), the EUR total
    assert "in EUR: 605,000.00" in text  # requested by the year's submissions
    assert "Interreg IPA" in text and "TKA" in text
    assert "The office held 2 consultations in the year, on proposals of 3 member municipalities." in text
    assert "Reviews submitted in the year 1" in text


def test_the_workbook(year_of_work, client_for):
    response = client_for(year_of_work["office"]).get("/reports/annual/2025.xlsx")
    assert response.status_code == 200
    assert 'filename="annual-report-2025.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert workbook.sheetnames == [
        "Summary",
        "Submitted by programme",
        "Decided by programme",
        "Members",
        "Consultations",
        "Capacity building",
        "Awarded by year",
    ]
    summary = dict(list(workbook["Summary"].iter_rows(values_only=True))[1:])
    assert summary["Submitted in the year"] == 6
    assert Decimal(str(summary["Awarded, EUR total"])) == Decimal("175000")
    assert summary["Consultations held"] == 2
    header, *members = list(workbook["Members"].iter_rows(values_only=True))
    column = {name: index for index, name in enumerate(header)}
    rows = {row[0]: row for row in members}
    assert rows["Süleymanpaşa"][column["Proposals led"]] == 3
    assert rows["Edirne Merkez"][column["Awarded (TRY)"]] == 1_500_000
    assert rows["Total"][column["Awarded, EUR total"]] == 175_000
    decided = list(workbook["Decided by programme"].iter_rows(values_only=True))
    assert [row[0] for row in decided[1:]] == ["Interreg IPA", "TKA", "Total"]
    assert list(workbook["Awarded by year"].iter_rows(values_only=True))[1] == (2025, 175000)


def test_a_year_outside_the_range_is_not_found(world, client_for):
    client = client_for(world["office"])
    for url in ("/reports/annual/1999.pdf", "/reports/annual/2101.xlsx", "/reports/annual/99999999999.pdf"):
        assert client.get(url).status_code == 404


def test_an_empty_year(world, client_for):
    response = client_for(world["office"]).get("/reports/annual/2010.pdf")
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Ergene" in text  # every member has its line
