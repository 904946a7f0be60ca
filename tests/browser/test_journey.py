"""The proposal journey in a real browser, step by step, as the people of the union do it.

Each step is a function of the journey, in order; the steps of the features still being built are marked
where they go (documents upload, review round, inbox) so they slot in without reshaping the test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import Actor, sign_in
from tests.browser.world import World, build_world
from workflows.models import Proposal, State

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Meriç Havzası Taşkın Erken Uyarı Sistemi"


@dataclass
class Journey:
    world: World
    actors: Callable[..., Actor]  # opens another person's browser
    office: Actor
    lead: Actor
    proposal: Proposal | None = None

    def reload(self) -> Proposal:
        self.proposal = Proposal.objects.get(pk=self.proposal.pk)
        return self.proposal


def card(actor: Actor, state: str):
    return actor.page.locator(f'section[data-state="{state}"] article.card', has_text=TITLE)


def open_moves(actor: Actor, state: str, *, keyboard: bool = False):
    """Open the card's transitions panel (htmx) and wait until the focus lands on it."""
    move = card(actor, state).get_by_role("link", name="Move")
    if keyboard:
        move.focus()
        actor.page.keyboard.press("Enter")
    else:
        move.click()
    heading = actor.page.locator("#move-panel #moves-heading")
    expect(heading).to_be_focused()
    return actor.page.locator("#move-panel")


def run_transition(panel, name: str, **fields) -> None:
    details = panel.locator(f'details[data-transition="{name}"]')
    details.locator("summary").click()
    for field_name, value in fields.items():
        control = details.locator(f'[name="{field_name}"]')
        if control.evaluate("element => element.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
    details.locator("button[type=submit]").click()


# --- the steps ---------------------------------------------------------------------------------------


def team_registers_the_idea(j: Journey) -> None:
    sign_in(j.lead, "ekiplideri", j.world.password)
    expect(j.lead.page.locator("h1")).to_have_text("My proposals")
    j.lead.page.get_by_role("link", name="New idea").first.click()
    form = j.lead.page.locator("main form")
    form.get_by_label("Lead municipality").select_option(label="Süleymanpaşa Belediyesi")
    form.get_by_label("Title").fill(TITLE)
    form.get_by_label("Acronym").fill("MERIC-EWS")
    form.get_by_label("Summary").fill("Sınır ötesi taşkın erken uyarı; Edirne ve Haskovo ile.")
    form.get_by_label("Requested amount").fill("450000")
    form.get_by_label("Total budget").fill("500000")
    j.lead.shot("new idea form")
    form.get_by_role("button", name="Register the idea").click()
    expect(j.lead.page.locator("h1")).to_contain_text(TITLE)
    expect(j.lead.page.locator("#messages")).to_contain_text("is registered")
    j.proposal = Proposal.objects.get(title=TITLE)
    assert j.proposal.state == State.IDEA
    j.lead.shot("idea registered")


def office_sees_the_idea_on_the_board(j: Journey) -> None:
    sign_in(j.office, "koordinator", j.world.password)
    expect(j.office.page.locator("h1")).to_have_text("Pipeline")
    expect(card(j.office, "idea")).to_contain_text("Süleymanpaşa Belediyesi")
    j.office.shot("board with the idea")


def office_starts_consultation(j: Journey) -> None:
    panel = open_moves(j.office, "idea", keyboard=True)
    # only what the office may do from `idea`: no drafting, no submission
    expect(panel.locator('details[data-transition="start_consultation"]')).to_be_visible()
    expect(panel.locator('details[data-transition="submit"]')).to_have_count(0)
    j.office.shot("moves of an idea")
    run_transition(panel, "start_consultation", comment="Fikir ön elemeyi geçti.")
    expect(card(j.office, "consultation")).to_be_visible()
    expect(j.office.page.locator("#messages")).to_contain_text("In consultation")
    assert j.reload().state == State.CONSULTATION


def office_starts_drafting_with_a_call(j: Journey) -> None:
    panel = open_moves(j.office, "consultation")
    run_transition(panel, "start_drafting", call=str(j.world.call))
    drafting = card(j.office, "drafting")
    expect(drafting).to_contain_text("IPA-BG-TR-2027-1")
    expect(drafting).to_contain_text("45 days left")
    expect(drafting).to_contain_text("(Europe/Brussels)")
    assert (j.reload().state, j.proposal.call) == (State.DRAFTING, j.world.call)
    j.office.shot("drafting with a call")


def team_sees_it_in_my_proposals(j: Journey) -> None:
    j.lead.go("/proposals/")
    row = j.lead.page.locator("tbody tr", has_text=TITLE)
    expect(row).to_contain_text("Drafting")
    expect(row).to_contain_text(j.world.call.deadline_display())
    expect(row).to_contain_text("45 days left")
    j.lead.shot("my proposals")


def ready_is_blocked_while_documents_are_missing(j: Journey) -> None:
    panel = open_moves(j.office, "drafting")
    blocked = panel.locator('.blocked [data-transition="mark_ready"]')
    expect(blocked).to_contain_text("Application form, Budget")
    j.office.shot("ready blocked by missing documents")


def ready_is_blocked_after_the_deadline(j: Journey) -> None:
    """Another proposal of the same team, whose call closed: the reason names the deadline and its zone."""
    from tests.factories import ProposalFactory

    late = ProposalFactory(lead=j.world.municipality, call=j.world.late_call, state=State.DRAFTING)
    j.office.go(f"/proposals/{late.pk}/")
    reason = j.office.page.locator('#move-panel .blocked [data-reason="deadline_passed"]')
    expect(reason).to_contain_text(j.world.late_call.deadline_display())
    j.office.shot("ready blocked by the deadline")
    j.office.go("/board/")


def team_uploads_the_draft(j: Journey) -> None:
    """PLACE FOR THE BROWSER UPLOAD (documents page): the team uploads the application form and the budget
    from the proposal page with a progress bar. Until that page exists the versions are arranged here."""
    from grants_office.calls.models import DocumentKind
    from tests.documents.factories import DocumentFactory, DocumentVersionFactory
    from workflows.documents_link import document_set_for

    j.lead.go(f"/proposals/{j.proposal.pk}/")
    documents = j.lead.page.locator("#documents")
    expect(documents).to_contain_text("Still missing for “ready”: Application form, Budget.")
    j.lead.shot("checklist with missing documents")

    document_set = document_set_for(j.reload())
    for kind in (DocumentKind.APPLICATION_FORM, DocumentKind.BUDGET):
        DocumentVersionFactory(
            document=DocumentFactory(set=document_set, kind=kind), number=1, uploaded_by=j.world.lead
        )

    j.lead.go(f"/proposals/{j.proposal.pk}/")
    expect(documents).to_contain_text("Every required document has a version.")
    j.lead.shot("checklist complete")


def expert_review(j: Journey) -> None:
    """PLACE FOR THE REVIEW ROUND (workflows/review): the office opens a round and assigns a reviewer from
    the suggestions, the reviewer accepts with the conflict declaration and scores, the office closes the
    round, the team sees the feedback (and the inbox shows each step)."""


def office_marks_it_ready(j: Journey) -> None:
    j.office.go("/board/")
    panel = open_moves(j.office, "drafting")
    run_transition(panel, "mark_ready", comment="Belgeler tamam.")
    expect(card(j.office, "ready")).to_be_visible()
    assert j.reload().state == State.READY
    j.office.shot("ready")


def office_records_the_submission(j: Journey) -> None:
    j.office.go(f"/proposals/{j.proposal.pk}/")
    submitted_at = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    panel = j.office.page.locator("#move-panel")
    run_transition(panel, "submit", funder_reference="IPA-BG-TR-2027-1-0042", submitted_at=submitted_at)
    expect(j.office.page.locator("#submissions-heading")).to_be_visible()
    expect(j.office.page.locator("main")).to_contain_text("IPA-BG-TR-2027-1-0042")
    expect(j.office.page.locator(".page-header .state")).to_have_text("Submitted")
    history = j.office.page.locator("main .timeline")
    for label in ("Start consultation", "Start drafting", "Mark ready", "Record submission"):
        expect(history).to_contain_text(label)
    assert j.reload().state == State.SUBMITTED
    j.office.shot("submitted")


def another_municipality_sees_no_trace(j: Journey) -> None:
    stranger = j.actors("other")
    sign_in(stranger, "baskaekip", j.world.password)
    expect(stranger.page.locator("h1")).to_have_text("My proposals")
    expect(stranger.page.locator("main")).not_to_contain_text(TITLE)
    stranger.shot("another municipality's proposals")
    assert stranger.go(f"/proposals/{j.proposal.pk}/").status == 404
    expect(stranger.page.locator("main")).not_to_contain_text(TITLE)
    stranger.shot("another municipality gets 404")
    assert stranger.go(f"/proposals/{j.proposal.pk}/moves/").status == 404
    assert stranger.go("/board/").status == 403
    stranger.go("/calls/")
    expect(stranger.page.locator("main")).not_to_contain_text(TITLE)


JOURNEY = [
    team_registers_the_idea,
    office_sees_the_idea_on_the_board,
    office_starts_consultation,
    office_starts_drafting_with_a_call,
    team_sees_it_in_my_proposals,
    ready_is_blocked_while_documents_are_missing,
    ready_is_blocked_after_the_deadline,
    team_uploads_the_draft,
    expert_review,
    office_marks_it_ready,
    office_records_the_submission,
    another_municipality_sees_no_trace,
]


def test_an_idea_goes_from_the_team_through_the_office_to_the_funder(actors):
    journey = Journey(world=build_world(), actors=actors, office=actors("office"), lead=actors("lead"))
    for step in JOURNEY:
        step(journey)
