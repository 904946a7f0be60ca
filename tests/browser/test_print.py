"""The pages on paper: Chromium prints the proposal page and the board with office.css's print rules
(`page.emulate_media(media="print")`), and the navigation, every button, form, the move panel, the
upload widgets and the comment form stay off the paper while the title and the content remain."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, sign_in
from tests.browser.world import build_world
from tests.factories import ProposalFactory, proposal_set_with_version
from workflows.discussion import services as discussion_services
from workflows.models import Consultation
from workflows.states import State

pytestmark = pytest.mark.django_db(transaction=True)

# What the screen has for working and the paper does not need.
TOOLS = [
    ".skip-link",
    ".site-nav",
    ".site-tools",
    "main button",
    "main .button",
    "main form",
    ".move-panel",
    ".breadcrumb",
]


def only_content_is_printed(page) -> None:
    for selector in TOOLS:
        for element in page.locator(selector).all():
            expect(element).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    width = page.evaluate("document.querySelector('main').getBoundingClientRect().width")
    assert width >= page.viewport_size["width"] - 2, width  # the content takes the whole width


def drafting_proposal(world):
    proposal = ProposalFactory(
        lead=world.municipality,
        call=world.call,
        state=State.DRAFTING,
        title="Ergene Havzası Su Kalitesi İzleme",
        acronym="ERGENE",
        coordinator=world.office,
    )
    proposal_set_with_version(proposal, uploaded_by=world.lead, number=2)
    Consultation.objects.create(
        proposal=proposal,
        held_at=timezone.now(),
        agreed_actions="Ask the governorate for a letter.",
        created_by=world.office,
    )
    discussion_services.post_comment(proposal, world.lead, body="Is the budget table final?")
    return proposal


def test_the_proposal_page_and_the_board_on_paper(actors):
    world = build_world()
    proposal = drafting_proposal(world)
    office = actors("office")
    sign_in(office, "koordinator", world.password)

    office.go(f"/proposals/{proposal.pk}/")
    page = office.page
    expect(page.locator("#move-panel")).to_be_visible()  # on screen, the tools are there
    expect(page.locator(".site-nav")).to_be_visible()
    page.emulate_media(media="print")
    only_content_is_printed(page)
    expect(page.locator("h1")).to_contain_text("Ergene Havzası Su Kalitesi İzleme")
    expect(page.locator("#documents")).to_contain_text("Application form")
    expect(page.locator("#consultations")).to_contain_text("Ask the governorate for a letter.")
    expect(page.locator(".comment").first).to_contain_text("Is the budget table final?")
    assert page.locator(".comment-form").count() >= 1
    for form in page.locator(".comment-form").all():
        expect(form).to_be_hidden()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(office.shots / "proposal-printed.pdf"), format="A4")
    office.shot("proposal page printed")

    page.emulate_media(media="screen")
    office.go("/board/")
    expect(page.locator("#board-filters")).to_be_visible()
    page.emulate_media(media="print")
    only_content_is_printed(page)
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator('section[data-state="drafting"] article.card')).to_contain_text("ERGENE")
    expect(page.locator("#board-filters")).to_be_hidden()
    page.pdf(path=str(office.shots / "board-printed.pdf"), format="A4")
    office.shot("board printed")
