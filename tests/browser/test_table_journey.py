"""The proposals table in a browser: the coordinator goes from the board to the table, sorts by the
requested amount, adds a column, saves the view, opens it again and exports exactly its rows as CSV."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.world import build_world
from tests.factories import ProposalFactory
from workflows.states import State

pytestmark = pytest.mark.django_db(transaction=True)


def titles(page) -> list[str]:
    return page.locator("table.proposals-table tbody th[scope=row]").all_inner_texts()


def test_the_coordinator_sorts_saves_a_view_and_exports_its_rows(actors):
    world = build_world()
    for title, amount in (("Kıyı Turizmi", "300000"), ("Ergene Su", "900000"), ("Bisiklet Yolu", "100000")):
        ProposalFactory(
            lead=world.municipality,
            call=world.call,
            state=State.DRAFTING,
            title=title,
            requested_amount=Decimal(amount),
            coordinator=world.office,
        )
    ProposalFactory(lead=world.other_municipality, call=world.call, state=State.DRAFTING, title="Çorlu Park")
    office = actors("office")
    sign_in(office, "koordinator", world.password)
    page = office.page

    office.go("/board/")
    page.locator("#id_municipality").select_option(label="Süleymanpaşa Belediyesi")
    page.locator("#board-filters button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Table").first.click()
    page.wait_for_load_state("networkidle")
    assert sorted(titles(page)) == ["Bisiklet Yolu", "Ergene Su", "Kıyı Turizmi"]  # the board's set

    page.locator("th[data-column=requested_amount] a").click()
    page.wait_for_load_state("networkidle")
    assert titles(page) == ["Bisiklet Yolu", "Kıyı Turizmi", "Ergene Su"]
    page.locator("th[data-column=requested_amount] a").click()  # again: descending
    page.wait_for_load_state("networkidle")
    assert titles(page) == ["Ergene Su", "Kıyı Turizmi", "Bisiklet Yolu"]
    expect(page.locator("th[data-column=requested_amount]")).to_have_attribute("aria-sort", "descending")

    page.locator("details.choices summary", has_text="Columns").click()
    page.locator("input[name=columns][value=coordinator]").check()
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("th[data-column=coordinator]")).to_be_visible()

    page.locator(".saved-views input[name=name]").fill("Süleymanpaşa by amount")
    page.get_by_role("button", name="Save this view").click()
    page.wait_for_load_state("networkidle")
    office.go("/proposals/table/")
    assert len(titles(page)) == 4  # every drafting proposal again
    page.get_by_role("link", name="Süleymanpaşa by amount").click()
    page.wait_for_load_state("networkidle")
    assert titles(page) == ["Ergene Su", "Kıyı Turizmi", "Bisiklet Yolu"]
    expect(page.locator("th[data-column=coordinator]")).to_be_visible()
    office.shot("saved view")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file, delimiter=";"))
    assert [row["Title"] for row in rows] == ["Ergene Su", "Kıyı Turizmi", "Bisiklet Yolu"]
