"""Edit forms carry the version they show: saving a comment or a review draft that someone (another tab
or window) changed since the page was rendered saves nothing and says so, keeping what was typed."""

import html
import re

import pytest

from tests.factories import CallFactory, ProposalFactory, office_admin
from tests.web.conftest import HTMX
from tests.web.test_funder_rule_pages import _admin_form_data
from tests.web.test_review_pages import (
    _accepted,
    _review_post,
    drafting,
    experts,
    invited,
    review_round,
    themes,
)
from workflows import services
from workflows.discussion import services as discussion
from workflows.discussion.models import Comment
from workflows.models import Proposal
from workflows.review.models import Review
from workflows.states import State

__all__ = ["drafting", "experts", "invited", "review_round", "themes"]

pytestmark = pytest.mark.django_db

STALE = "Someone else changed this since you opened it; reload to see their change."


def seen_version(page: str, form_action: str) -> str:
    """The hidden version of the form posting to `form_action`."""
    form = page[page.index(f'action="{form_action}"') :]
    return html.unescape(re.search(r'name="seen_version" value="([^"]*)"', form).group(1))


def test_a_comment_edited_in_another_tab_is_not_overwritten(client_for, make_proposal, people):
    proposal = make_proposal(state=State.DRAFTING, call=CallFactory())
    comment = discussion.post_comment(proposal, people["lead"], body="Budget is 400k")
    client = client_for(people["lead"])
    url = f"/comments/{comment.pk}/edit/"
    first_tab = seen_version(client.get(f"/proposals/{proposal.pk}/").content.decode(), url)
    second_tab = seen_version(client.get(f"/proposals/{proposal.pk}/").content.decode(), url)
    assert first_tab == second_tab != ""

    saved = client.post(url, {"body": "Budget is 450k", "seen_version": first_tab}, **HTMX)
    assert saved.status_code == 200
    stale = client.post(url, {"body": "Budget is 420k", "seen_version": second_tab}, **HTMX)
    assert stale.status_code == 409
    page = stale.content.decode()
    assert STALE in page
    assert "Budget is 420k" in page  # what they typed is still in the form
    assert Comment.objects.get(pk=comment.pk).body == "Budget is 450k"

    # the form now carries the current version: saving again is a deliberate choice
    again = client.post(url, {"body": "Budget is 420k", "seen_version": seen_version(page, url)}, **HTMX)
    assert again.status_code == 200
    assert Comment.objects.get(pk=comment.pk).body == "Budget is 420k"


def test_a_review_draft_saved_in_another_tab_is_not_overwritten(client_for, invited):
    assignment = _accepted(invited)
    client = client_for(assignment.reviewer)
    url = f"/reviews/{assignment.pk}/review/"
    first_tab = seen_version(client.get(f"/reviews/{assignment.pk}/").content.decode(), url)
    second_tab = seen_version(client.get(f"/reviews/{assignment.pk}/").content.decode(), url)

    saved = client.post(url, {**_review_post(comment="From tab one."), "seen_version": first_tab}, **HTMX)
    assert saved.status_code == 200, saved.content
    fresh = seen_version(saved.content.decode(), url)
    assert fresh != first_tab
    stale = client.post(url, {**_review_post(comment="From tab two."), "seen_version": second_tab}, **HTMX)
    assert stale.status_code == 409
    page = stale.content.decode()
    assert STALE in page
    assert "From tab two." in page
    assert Review.objects.get(assignment=assignment).comment == "From tab one."
    assert seen_version(page, url) == fresh  # saving again replaces tab one's draft knowingly

    # a submit from the stale tab is refused the same way
    submit = client.post(url, {**_review_post(action="submit"), "seen_version": second_tab}, **HTMX)
    assert submit.status_code == 409
    assert not Review.objects.get(assignment=assignment).is_submitted


def test_a_form_without_a_version_saves_as_before(client_for, invited):
    assignment = _accepted(invited)
    response = client_for(assignment.reviewer).post(
        f"/reviews/{assignment.pk}/review/", _review_post(), **HTMX
    )
    assert response.status_code == 200
    assert Review.objects.get(assignment=assignment).comment == "Solid."


def test_an_admin_edit_over_a_version_someone_changed_since_saves_nothing(client_for):
    proposal = ProposalFactory(title="Meriç taşkın", summary="as read")
    client = client_for(office_admin())
    url = f"/admin/workflows/proposal/{proposal.pk}/change/"
    first_tab, second_tab = _admin_form_data(client.get(url)), _admin_form_data(client.get(url))
    assert first_tab["seen_version"] == second_tab["seen_version"] == services.proposal_tag(proposal)

    assert client.post(url, {**first_tab, "summary": "first tab"}).status_code == 302
    stale = client.post(url, {**second_tab, "summary": "second tab"})
    assert stale.status_code == 200  # the form again, with the message and what was typed
    assert stale.context["adminform"].form.non_field_errors() == [STALE]
    assert "second tab" in stale.content.decode()
    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.summary, saved.version) == ("first tab", proposal.version + 1)

    # the form now carries the version it was shown with; an edit elsewhere makes that stale again
    shown = html.unescape(re.search(r'name="seen_version" value="([^"]*)"', stale.content.decode()).group(1))
    assert shown == services.proposal_tag(saved)
    services.update_proposal(saved, office_admin(), title="Renamed")
    again = client.post(url, {**second_tab, "seen_version": shown, "summary": "second tab"})
    assert again.status_code == 200
    assert Proposal.objects.get(pk=proposal.pk).summary == "first tab"

    fresh = _admin_form_data(client.get(url))
    assert client.post(url, {**fresh, "summary": "second tab"}).status_code == 302
    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.title, saved.summary, saved.version) == ("Renamed", "second tab", proposal.version + 3)
