"""The board's yearly question in a browser: the coordinator opens Results (one click), asks for the
year's submissions by member (the second), reads the figures, exports them as XLSX, prints the page and
opens the annual report. Chromium from Debian, as every browser test."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import sign_in
from tests.browser.test_print import only_content_is_printed
from tests.browser.world import build_world
from tests.factories import counted_proposal
from workflows.states import State

pytestmark = pytest.mark.django_db(transaction=True)


def the_year_2025(world) -> None:
    """Three proposals submitted in 2025: one awarded, one rejected, one still waiting."""
    common = {"call": world.call, "coordinator": world.office, "currency": "EUR"}
    counted_proposal(
        lead=world.municipality,
        state=State.AWARDED,
        title="Ergene Havzası Su Kalitesi İzleme",
        requested_amount=Decimal("400000"),
        awarded_amount=Decimal("380000"),
        created=date(2025, 1, 10),
        submitted=date(2025, 3, 1),
        decided=date(2025, 7, 1),
        **common,
    )
    counted_proposal(
        lead=world.other_municipality,
        state=State.REJECTED,
        title="Çorlu Bisiklet Yolları",
        requested_amount=Decimal("150000"),
        created=date(2025, 2, 1),
        submitted=date(2025, 3, 2),
        decided=date(2025, 8, 1),
        **common,
    )
    counted_proposal(
        lead=world.municipality,
        state=State.SUBMITTED,
        title="Kıyı Turizmi Rotası",
        requested_amount=Decimal("200000"),
        created=date(2025, 4, 1),
        submitted=date(2025, 5, 2),
        **common,
    )


def test_the_coordinator_answers_the_yearly_question_exports_and_prints_it(actors):
    world = build_world()
    the_year_2025(world)
    office = actors("office")
    sign_in(office, "koordinator", world.password)
    page = office.page

    page.locator(".site-nav").get_by_role("link", name="Results").click()  # first click
    page.locator("#id_year").fill("2025")
    page.locator("#id_group_by").select_option("municipality")
    page.get_by_role("button", name="Show").click()  # second click
    page.wait_for_load_state("networkidle")
    expect(page.locator("h2#figures-heading")).to_contain_text("2025")
    table = page.locator("table").filter(has_text="Süleymanpaşa Belediyesi").first
    expect(table).to_contain_text("Çorlu Belediyesi")
    expect(table.locator("tr.total")).to_contain_text("50.0 %")  # one awarded of two decided
    awarded = page.locator(".result-card--good").filter(has_text="Awarded amount")
    expect(awarded).to_contain_text("380,000.00 EUR")
    expect(awarded).not_to_contain_text("in EUR")  # every amount is in EUR: the total alone
    office.shot("results 2025 by member")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as file:
        sheet = load_workbook(io.BytesIO(file.read()), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, *members, total = rows
    assert sorted(str(row[0]).split(" (")[0] for row in members) == [
        "Süleymanpaşa Belediyesi",
        "Çorlu Belediyesi",
    ]
    assert total[0] == "Total"
    assert total[header.index("Submitted")] == 3
    assert total[header.index("Awarded")] == 1

    page.emulate_media(media="print")
    only_content_is_printed(page)
    expect(page.locator("h2#figures-heading")).to_be_visible()
    office.shot("results printed")
    page.emulate_media(media="screen")

    report = page.request.get(office.base_url + "/reports/annual/2025.pdf")
    assert report.status == 200 and report.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(report.body())).pages)
    assert "Süleymanpaşa" in text and "Annual activity report 2025" in text  # names wrap in cells
