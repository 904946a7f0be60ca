"""The same key pages in Turkish (switched from the page) and on a phone-sized screen."""

from __future__ import annotations

import pytest
from django.utils.dates import MONTHS
from django.utils.translation import override
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.pages import tr
from tests.browser.world import build_world
from workflows import services
from workflows.states import State

pytestmark = pytest.mark.django_db(transaction=True)


def drafting_proposal(world):
    proposal = services.create_proposal(
        world.lead, lead=world.municipality, title="Ergene Havzası Su Kalitesi İzleme", acronym="ERGENE"
    )
    services.perform_transition(proposal, "start_consultation", world.office)
    return services.perform_transition(proposal, "start_drafting", world.office, call=world.call.pk)


def test_the_key_pages_in_turkish(actors):
    world = build_world()
    proposal = drafting_proposal(world)
    office = actors("office", language="en")
    sign_in(office, "koordinator", world.password)
    expect(office.page.locator("html")).to_have_attribute("lang", "en")
    office.page.locator(".language-switch button[value=tr]").click()
    office.page.wait_for_load_state("networkidle")
    expect(office.page.locator("html")).to_have_attribute("lang", "tr")
    expect(office.page.locator(".language-switch button[value=tr]")).to_have_attribute("aria-pressed", "true")

    # the board: navigation and the columns' state labels in Turkish; the states' identifiers never change
    expect(office.page.locator("h1")).to_have_text(tr("Pipeline"))
    with override("tr"):
        drafting_label = str(State.DRAFTING.label)
    expect(office.page.locator('section[data-state="drafting"] h2')).to_contain_text(drafting_label)
    expect(office.page.locator('section[data-state="drafting"] article.card')).to_contain_text("ERGENE")
    office.shot("board in Turkish")

    # moving a card, in Turkish
    office.page.locator('section[data-state="drafting"] article.card a.button').click()
    expect(office.page.locator("#move-panel #moves-heading")).to_be_focused()
    expect(office.page.locator('#move-panel details[data-transition="withdraw"] summary')).to_contain_text(
        tr("Withdraw")
    )
    office.shot("moves in Turkish")

    office.go(f"/proposals/{proposal.pk}/")
    expect(office.page.locator("#history-heading")).to_have_text(tr("History"))
    expect(office.page.locator("main")).to_contain_text(world.call.deadline_display())
    office.shot("proposal page in Turkish")

    office.go("/calls/")
    expect(office.page.locator("h1")).to_have_text(tr("Calls"))
    office.shot("calls in Turkish")

    month = world.call.deadline.astimezone().strftime("%Y-%m")
    office.go(f"/calls/calendar/?month={month}")
    with override("tr"):
        month_name = str(MONTHS[int(month[5:])])
    expect(office.page.locator("table.calendar caption")).to_contain_text(month_name)  # Django's own Turkish
    expect(office.page.locator("table.calendar")).to_contain_text(world.call.reference)
    office.shot("calendar in Turkish")

    office.go("/members/")
    expect(office.page.locator("main")).to_contain_text("Süleymanpaşa Belediyesi")
    office.shot("members in Turkish")

    # the team lead, in a Turkish browser that never chose a language here
    lead = actors("lead", language=None, locale="tr-TR")
    sign_in(lead, "ekiplideri", world.password)
    expect(lead.page.locator("html")).to_have_attribute("lang", "tr")
    expect(lead.page.locator("h1")).to_have_text(tr("My proposals"))
    expect(lead.page.locator("tbody tr", has_text="ERGENE")).to_contain_text(world.call.deadline_display())
    lead.shot("my proposals in Turkish")


def test_a_phone_sized_screen_and_the_keyboard(actors):
    world = build_world()
    proposal = drafting_proposal(world)
    lead = actors("lead-phone", width=390, height=844)
    lead.go("/accounts/login/")
    # the first Tab reaches the skip link, which jumps to the main content
    lead.page.keyboard.press("Tab")
    expect(lead.page.locator(".skip-link")).to_be_focused()
    sign_in(lead, "ekiplideri", world.password)
    row = lead.page.locator("tbody tr", has_text="ERGENE")
    expect(row).to_be_visible()
    # nothing is wider than the screen
    assert lead.page.evaluate("document.documentElement.scrollWidth") <= 390
    lead.shot("my proposals on a phone")
    lead.go(f"/proposals/{proposal.pk}/")
    assert lead.page.evaluate("document.documentElement.scrollWidth") <= 390
    lead.shot("proposal on a phone")

    office = actors("office-phone", width=390, height=844)
    sign_in(office, "koordinator", world.password)
    assert office.page.evaluate("document.documentElement.scrollWidth") <= 390
    office.page.locator('section[data-state="drafting"] article.card a.button').click()
    expect(office.page.locator("#move-panel #moves-heading")).to_be_focused()
    office.shot("board on a phone")
