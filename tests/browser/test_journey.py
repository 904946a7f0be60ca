"""The proposal journey in a real browser, step by step, as the people of the union do it (issue 7).

The team registers an idea, the office screens it and starts drafting on a call, the team uploads the
draft from the browser (progress bar, straight into S3: SeaweedFS here), the office opens a review round
and assigns a suggested expert, the expert, in Turkish, accepts with the declaration, reads the draft and
scores, the office closes the round, the team reads the feedback without the reviewer's name, the office
marks the proposal ready and records the submission. The key pages are seen in Turkish too, and a user of
another municipality finds no trace of it. Screenshots: test-artifacts/browser/ (not committed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override
from playwright.sync_api import expect

from documents.models import DocumentVersion
from grants_office.calls.models import DocumentKind
from tests.browser.conftest import Actor, sign_in
from tests.browser.pages import (
    a_pdf,
    add_a_document,
    office_assigns_the_first_suggestion,
    office_closes_the_round,
    office_opens_a_round,
    office_reads_the_aggregate,
    review_section,
    reviewer_accepts,
    reviewer_fills_the_scores,
    reviewer_opens_my_reviews,
    reviewer_submits,
    sha256,
    team_reads_the_feedback,
    tr,
    upload_a_version,
)
from tests.browser.world import World, build_world, with_reviewers
from tests.factories import ProposalFactory
from tests.s3_server import S3Server
from workflows.models import Proposal
from workflows.review.models import ReviewAssignment, ReviewRound
from workflows.states import AssignmentState, State

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Meriç Havzası Taşkın Erken Uyarı Sistemi"
ACRONYM = "MERIC-EWS"
# What the team uploads for each kind the call asks for: (document title, file name, bytes).
DRAFT = {
    DocumentKind.APPLICATION_FORM: ("Başvuru formu", "Başvuru formu taslak.pdf", a_pdf("Basvuru formu", 1)),
    DocumentKind.BUDGET: ("Bütçe", "Bütçe taslağı.pdf", a_pdf("Butce", 0.5)),
}
SCORES = {"excellence": "4", "impact": "3.5", "implementation": "4.5"}
FEEDBACK = "Güçlü bir taslak; bütçe gerekçesini netleştirin."


@dataclass
class Journey:
    world: World
    actors: Callable[..., Actor]  # opens another person's browser
    office: Actor
    lead: Actor
    s3: S3Server
    proposal: Proposal | None = None

    def reload(self) -> Proposal:
        self.proposal = Proposal.objects.get(pk=self.proposal.pk)
        return self.proposal

    @property
    def path(self) -> str:
        return f"/proposals/{self.proposal.pk}/"

    def versions(self):
        return DocumentVersion.objects.filter(document__set=self.reload().document_set_id).order_by("pk")


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
    form.get_by_label("Acronym").fill(ACRONYM)
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
    late = ProposalFactory(lead=j.world.municipality, call=j.world.late_call, state=State.DRAFTING)
    j.office.go(f"/proposals/{late.pk}/")
    reason = j.office.page.locator('#move-panel .blocked [data-reason="deadline_passed"]')
    expect(reason).to_contain_text(j.world.late_call.deadline_display())
    j.office.shot("ready blocked by the deadline")
    j.office.go("/board/")


def team_uploads_the_draft(j: Journey) -> None:
    """The lead adds a document for each kind the call asks for and uploads its file from the proposal
    page, with the progress bar; the bytes go straight from the browser to the SeaweedFS bucket."""
    j.lead.go(j.path)
    documents = j.lead.page.locator("#documents")
    expect(documents).to_contain_text("Still missing for “ready”: Application form, Budget.")
    j.lead.shot("checklist with missing documents")

    required = list(j.world.call.checklist.filter(required=True).values_list("document_kind", flat=True))
    assert set(required) == set(DRAFT), required
    for kind in required:
        title, filename, content = DRAFT[kind]
        document = add_a_document(j.lead, kind, title)
        upload_a_version(j.lead, document, filename=filename, content=content, note="İlk taslak.")
        expect(documents.locator(f'[data-kind="{kind}"]')).to_contain_text("uploaded")
    expect(documents).to_contain_text("Every required document has a version.")
    j.lead.shot("checklist complete")

    stored = {version.original_filename: version for version in j.versions()}
    for _title, filename, content in DRAFT.values():
        version = stored[filename]
        assert version.sha256 == sha256(content) and version.uploaded_by == j.world.lead
        in_bucket = j.s3.client().head_object(Bucket=j.s3.bucket, Key=version.storage_key)
        assert in_bucket["ContentLength"] == len(content)


def office_opens_a_review_round_and_assigns_a_suggested_expert(j: Journey) -> None:
    review = office_opens_a_round(j.office, j.path)
    expect(j.office.page.locator("#messages")).to_contain_text("Review round 1 is open")
    # the round holds the versions just uploaded; the expert of the lead municipality cannot be assigned
    for _title, filename, _content in DRAFT.values():
        expect(review.locator(".review-versions")).to_contain_text(filename)
    expect(review.locator(".conflicted")).to_contain_text(
        "Kemal Yerel: Affiliated with Süleymanpaşa Belediyesi"
    )
    office_assigns_the_first_suggestion(j.office, "Elif Kaya", theme="Water")
    j.office.shot("review round with the expert invited")
    assert j.reload().state == State.IN_REVIEW
    j.office.go("/board/")
    expect(card(j.office, "in_review")).to_be_visible()


def expert_accepts_reads_the_draft_and_scores_in_turkish(j: Journey) -> None:
    """The expert's browser speaks Turkish: every label and message on the way is the catalogue's."""
    expert = j.actors("expert", language="tr")
    sign_in(expert, "bilirkisi", j.world.password)
    expect(expert.page.locator("html")).to_have_attribute("lang", "tr")
    reviewer_opens_my_reviews(expert, language="tr")
    row = expert.page.locator("tbody tr", has_text=ACRONYM)
    with override("tr"):
        expect(row).to_contain_text(str(AssignmentState.INVITED.label))
    expert.shot("my reviews in Turkish")
    reviewer_accepts(expert, f"{ACRONYM} – {TITLE}", language="tr")

    # the draft under review: the link hands over the very bytes the team uploaded, from the bucket
    _title, filename, content = DRAFT[DocumentKind.APPLICATION_FORM]
    href = expert.page.get_by_role("link", name=filename).get_attribute("href")
    download = expert.page.request.get(expert.base_url + href)
    assert download.ok and download.url.startswith(j.s3.endpoint_url), download.url
    assert sha256(download.body()) == sha256(content)

    criteria = list(ReviewRound.objects.get(proposal=j.proposal).criteria.values_list("code", flat=True))
    assert sorted(criteria) == sorted(SCORES)  # every criterion of the rubric gets a score
    reviewer_fills_the_scores(expert, SCORES, recommendation="Revise before submitting", language="tr")
    expert.shot("scores in Turkish")
    reviewer_submits(expert, language="tr")
    expert.shot("review submitted in Turkish")
    assert ReviewAssignment.objects.get(reviewer=j.world.reviewer).state == AssignmentState.SUBMITTED


def office_closes_the_round_with_feedback(j: Journey) -> None:
    aggregate = office_reads_the_aggregate(j.office, j.path)
    expect(aggregate.locator('tr[data-criterion="implementation"]')).to_contain_text("4.50")
    expect(aggregate.locator("tr[data-total]")).to_contain_text("12.00")
    office_closes_the_round(j.office, feedback=FEEDBACK)
    assert j.reload().state == State.DRAFTING  # back to the team
    assert not ReviewRound.objects.get(proposal=j.proposal).is_open


def team_reads_the_feedback_without_names(j: Journey) -> None:
    review = team_reads_the_feedback(j.lead, j.path, feedback=FEEDBACK, hidden=["Elif", "Kaya"])
    expect(review.locator(".review-card")).to_contain_text("About impact.")
    expect(j.lead.page.locator(".page-header .state")).to_have_text("Drafting")
    j.lead.shot("feedback for the team")


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
    for label in (
        "Start consultation",
        "Start drafting",
        "Start expert review",
        "End expert review",
        "Mark ready",
        "Record submission",
    ):
        expect(history).to_contain_text(label)
    assert j.reload().state == State.SUBMITTED
    j.office.shot("submitted")


def the_key_pages_in_turkish(j: Journey) -> None:
    """The lead and the office switch to Turkish on the page and see the journey's key pages in it."""
    with override("tr"):
        submitted = str(State.SUBMITTED.label)
    j.lead.go(j.path)
    j.lead.page.locator(".language-switch button[value=tr]").click()
    j.lead.page.wait_for_load_state("networkidle")
    expect(j.lead.page.locator("html")).to_have_attribute("lang", "tr")
    page = j.lead.page
    expect(page.locator(".page-header .state")).to_have_text(submitted)
    expect(page.locator("#documents-heading")).to_have_text(tr("Documents"))
    for _title, filename, _content in DRAFT.values():
        expect(page.locator("#documents")).to_contain_text(filename)
    expect(page.locator("#review-heading")).to_have_text(tr("Expert review"))
    review = review_section(j.lead)
    expect(review.locator(".feedback")).to_contain_text(FEEDBACK)
    expect(review.locator(".review-card")).to_contain_text(tr("Reviewer %(number)d") % {"number": 1})
    expect(review).not_to_contain_text("Elif")
    expect(page.locator("#history-heading")).to_have_text(tr("History"))
    expect(page.locator("main .timeline")).to_contain_text(tr("Record submission"))
    j.lead.shot("proposal page in Turkish")

    j.lead.go("/proposals/")
    expect(page.locator("h1")).to_have_text(tr("My proposals"))
    expect(page.locator("tbody tr", has_text=TITLE)).to_contain_text(submitted)
    j.lead.shot("my proposals in Turkish")

    j.office.go("/board/")
    j.office.page.locator(".language-switch button[value=tr]").click()
    j.office.page.wait_for_load_state("networkidle")
    expect(j.office.page.locator("h1")).to_have_text(tr("Pipeline"))
    expect(j.office.page.locator('section[data-state="submitted"] h2')).to_contain_text(submitted)
    expect(card(j.office, "submitted")).to_contain_text(ACRONYM)
    j.office.shot("board in Turkish")


def another_municipality_sees_no_trace(j: Journey) -> None:
    stranger = j.actors("other")
    sign_in(stranger, "baskaekip", j.world.password)
    expect(stranger.page.locator("h1")).to_have_text("My proposals")
    expect(stranger.page.locator("main")).not_to_contain_text(TITLE)
    stranger.shot("another municipality's proposals")
    assert stranger.go(j.path).status == 404
    expect(stranger.page.locator("main")).not_to_contain_text(TITLE)
    stranger.shot("another municipality gets 404")
    assert stranger.go(f"{j.path}moves/").status == 404
    assert stranger.go(f"{j.path}review/").status == 404
    review_round = ReviewRound.objects.get(proposal=j.proposal)
    assert stranger.go(f"/review-rounds/{review_round.pk}/").status == 404
    assert stranger.go("/board/").status == 403
    stranger.go("/calls/")
    expect(stranger.page.locator("main")).not_to_contain_text(TITLE)
    # nor the draft in the bucket: no download link is handed out
    for version in j.versions():
        response = stranger.page.request.get(
            f"{stranger.base_url}/api/v1/document-versions/{version.pk}/download/"
        )
        assert response.status == 404, (version.original_filename, response.status)


JOURNEY = [
    team_registers_the_idea,
    office_sees_the_idea_on_the_board,
    office_starts_consultation,
    office_starts_drafting_with_a_call,
    team_sees_it_in_my_proposals,
    ready_is_blocked_while_documents_are_missing,
    ready_is_blocked_after_the_deadline,
    team_uploads_the_draft,
    office_opens_a_review_round_and_assigns_a_suggested_expert,
    expert_accepts_reads_the_draft_and_scores_in_turkish,
    office_closes_the_round_with_feedback,
    team_reads_the_feedback_without_names,
    office_marks_it_ready,
    office_records_the_submission,
    the_key_pages_in_turkish,
    another_municipality_sees_no_trace,
]


def test_an_idea_goes_from_the_team_through_the_office_to_the_funder(actors, s3_for_browsers):
    journey = Journey(
        world=with_reviewers(build_world()),
        actors=actors,
        office=actors("office"),
        lead=actors("lead"),
        s3=s3_for_browsers,
    )
    for step in JOURNEY:
        step(journey)
