"""What people do on the pages, shared by the browser journeys: upload a document version with the
progress bar, run an expert review round. Each helper takes the page's language (`language="tr"` for a
Turkish page) and finds buttons and labels by the catalogue's words for them, as a person would."""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext, override
from playwright.sync_api import expect

from tests.browser.conftest import Actor


def tr(text: str, language: str = "tr") -> str:
    """The words of a message in `language` as the catalogue has them (the English until translated)."""
    with override(language):
        return gettext(text)


def a_pdf(label: str, megabytes: float) -> bytes:
    """A PDF of about `megabytes`: big enough for the upload to report progress on its way."""
    filler = b"0123456789abcdef" * int(megabytes * 1024 * 1024 // 16)
    return b"%PDF-1.7\n% " + label.encode() + b"\n" + filler + b"\n%%EOF\n"


def fits_the_screen(actor: Actor) -> None:
    overflow = actor.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{actor.name}: the page is {overflow}px wider than the screen"


# --- documents ---------------------------------------------------------------------------------------


def add_a_document(actor: Actor, kind: str, title: str, *, language: str = "en"):
    """Add a document slot from the documents section (answered in place by htmx); its list item."""
    documents = actor.page.locator("#documents")
    documents.locator("details.add-document summary").click()
    documents.get_by_label(tr("Kind of document", language)).select_option(kind)
    documents.get_by_label(tr("Title", language)).fill(title)
    documents.get_by_role("button", name=tr("Add the document", language)).click()
    notice = documents.locator("p.message--success")
    expect(notice).to_contain_text(f"“{title}”")
    expect(notice).to_be_focused()
    return documents.locator("li[data-document]").filter(has=actor.page.locator("strong", has_text=title))


def upload_a_version(
    actor: Actor,
    document,
    *,
    filename: str,
    content: bytes,
    note: str = "",
    keyboard: bool = False,
    language: str = "en",
) -> list:
    """Upload a version of `document` (its list item) through the page; waits until the new version is
    listed and the progress bar went up to 100 %. Returns the progress as the page reported it."""
    page = actor.page
    page.evaluate(
        """() => {
            window.uploadProgress = [];
            if (!window.uploadProgressWatched) {
                window.uploadProgressWatched = true;
                document.addEventListener("upload:progress", (event) => window.uploadProgress.push(
                    [event.detail.value, event.target.querySelector(".upload__status").textContent]));
            }
        }"""
    )
    document_id = document.get_attribute("data-document")
    versions_before = document.locator("li[data-version]").count()
    form = document.locator("form[data-upload]")
    expect(form).to_have_count(1)
    form.get_by_label(tr("File", language), exact=True).set_input_files(
        {"name": filename, "mimeType": "application/pdf", "buffer": content}
    )
    if note:
        form.get_by_label(tr("Note (optional)", language)).fill(note)
    button = form.get_by_role("button", name=tr("Upload", language), exact=True)
    if keyboard:
        button.focus()
        page.keyboard.press("Enter")
    else:
        button.click()
    # the section is swapped in anew once the upload is verified: find the document again by its id
    line = page.locator(
        f'#documents li[data-document="{document_id}"] li[data-version="{versions_before + 1}"]'
    )
    expect(line).to_contain_text(filename, timeout=30_000)
    if note:
        expect(line).to_contain_text(note)
    progress = page.evaluate("() => window.uploadProgress")
    values = [value for value, _text in progress]
    assert values and values[-1] == 100 and values == sorted(values), progress
    assert progress[-1][1].endswith("100%"), progress  # the live region's last words
    return progress


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- expert review -----------------------------------------------------------------------------------


def review_section(actor: Actor):
    """The review section of the proposal page, once htmx has loaded it."""
    region = actor.page.locator("#review-section")
    expect(region.locator(".review-round, .review-open").first).to_be_visible()
    return region


def office_opens_a_round(office: Actor, proposal_path: str):
    """On the proposal page: open the next review round; the section, now with the suggestions."""
    office.go(proposal_path)
    review_section(office).get_by_role("button", name="Open the review round").click()
    expect(office.page.locator("#messages")).to_contain_text("is open: assign the reviewers")
    return review_section(office)


def office_assigns_the_first_suggestion(office: Actor, name: str, *, theme: str | None = None):
    """Assign the first suggested expert, who must be `name` (matching `theme`, if given)."""
    review = review_section(office)
    first = review.locator(".suggestion").first
    expect(first).to_contain_text(name)
    if theme:
        expect(first).to_contain_text(theme)
    first.get_by_role("button", name=f"Assign {name}").click()
    expect(review.locator('.assignment[data-state="invited"]')).to_contain_text(name)
    expect(office.page.locator("#messages")).to_contain_text(f"{name} is invited to review.")
    return review


def reviewer_opens_my_reviews(reviewer: Actor, *, language: str = "en") -> None:
    reviewer.page.get_by_role("link", name=tr("My reviews", language)).first.click()
    expect(reviewer.page.locator("h1")).to_have_text(tr("My reviews", language))


def reviewer_accepts(reviewer: Actor, proposal_link: str, *, language: str = "en") -> None:
    """From My reviews to the invitation; accept with the conflict-of-interest declaration."""
    reviewer.page.get_by_role("link", name=proposal_link).click()
    declaration = tr(
        "I declare that I have no conflict of interest with this proposal and will keep it confidential.",
        language,
    )
    reviewer.page.get_by_label(declaration).check()
    reviewer.shot("invitation")
    reviewer.page.get_by_role("button", name=tr("Accept the review", language)).click()
    expect(reviewer.page.locator("#messages")).to_contain_text(
        tr("Thank you: the review is yours to write.", language)
    )


def reviewer_fills_the_scores(
    reviewer: Actor, scores: dict[str, str], *, recommendation: str, language: str = "en"
) -> None:
    """Score and comment every criterion given (code: score), choose the recommendation."""
    form = reviewer.page.locator("form.review-form")
    for code, score in scores.items():
        criterion = form.locator(f'fieldset[data-criterion="{code}"]')
        criterion.get_by_label(tr("Score", language)).fill(score)
        criterion.get_by_label(tr("Comment", language)).fill(f"About {code}.")
    form.get_by_label(tr("Recommendation", language)).select_option(label=tr(recommendation, language))


def reviewer_submits(reviewer: Actor, *, language: str = "en") -> None:
    reviewer.page.locator("form.review-form").get_by_role(
        "button", name=tr("Submit the review", language)
    ).click()
    expect(reviewer.page.locator("#messages")).to_contain_text(
        tr("Your review is submitted. Thank you.", language)
    )
    expect(reviewer.page.locator("[data-assignment-state]")).to_have_text(tr("Review submitted", language))


def office_reads_the_aggregate(office: Actor, proposal_path: str, *, reviews: int = 1):
    """The proposal page with the round's aggregate of the submitted reviews; the aggregate."""
    office.go(proposal_path)
    aggregate = review_section(office).locator(".aggregate")
    expect(aggregate).to_contain_text(f"Aggregate of {reviews} submitted review")
    office.shot("aggregate")
    return aggregate


def office_closes_the_round(office: Actor, *, feedback: str) -> None:
    """On the proposal page: close the round, sharing the feedback with the team."""
    review = review_section(office)
    review.get_by_label("Feedback for the team").fill(feedback)
    review.get_by_role("button", name="Close the round and share the feedback").click()
    expect(office.page.locator("#messages")).to_contain_text("is closed")


def team_reads_the_feedback(team: Actor, proposal_path: str, *, feedback: str, hidden: list[str]):
    """The team's proposal page: the office's feedback and the reviews, without the reviewers' names."""
    team.go(proposal_path)
    review = review_section(team)
    expect(review.locator(".feedback")).to_contain_text(feedback)
    expect(review.locator(".review-card").first).to_contain_text("Reviewer 1")
    for name in hidden:
        expect(review).not_to_contain_text(name)
    return review
