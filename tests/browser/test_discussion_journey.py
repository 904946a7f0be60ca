"""The discussion in a real browser: a team member asks the coordinator something on the proposal page,
the coordinator hears of it through the unread badge and the inbox, answers internally, and turns off
one kind of notification. The team member works on a 360 px wide phone screen."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from notifications import kinds, selectors
from tests import factories
from tests.browser.conftest import Actor, sign_in
from tests.browser.world import World, build_world
from workflows.discussion.models import Comment, Visibility
from workflows.models import Proposal
from workflows.states import State

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION = "Bütçe ekte. @koordinator eş finansman oranını kontrol eder misiniz?"
INTERNAL = "Co-financing looks short by 5 %; discuss with the reviewers first."


@dataclass
class Discussion:
    world: World
    actors: Callable[..., Actor]
    lead: Actor
    office: Actor
    proposal: Proposal

    @property
    def url(self) -> str:
        return f"/proposals/{self.proposal.pk}/"


def _fits_the_screen(actor: Actor) -> None:
    width = actor.page.evaluate("() => document.documentElement.scrollWidth")
    viewport = actor.page.evaluate("() => window.innerWidth")
    assert width <= viewport, f"{actor.name}: the page is {width}px wide on a {viewport}px screen"


# --- the steps ---------------------------------------------------------------------------------------


def team_member_posts_a_shared_comment_mentioning_the_coordinator(d: Discussion) -> None:
    sign_in(d.lead, "ekiplideri", d.world.password)
    d.lead.go(d.url)
    section = d.lead.page.locator("#comments")
    expect(section).to_contain_text("No comments yet.")
    # a team member has one audience: said in words, no choice to make
    expect(section.locator('input[type="radio"][name="visibility"]')).to_have_count(0)
    expect(section.locator("#comment-form")).to_contain_text("Shared with the team")

    section.get_by_label("Your comment").fill("")
    section.get_by_role("button", name="Post the comment").click()
    # htmx swaps the section: the error sits next to the text, focus goes there
    textarea = section.locator("#comment-body-new")
    expect(textarea).to_have_attribute("aria-invalid", "true")
    expect(section.locator("#comment-body-new-error")).to_have_text("Write something.")
    expect(textarea).to_be_focused()
    # the 400 is the designed answer (htmx swaps it in); the browser logs it as a failed resource
    d.lead.problems[:] = [p for p in d.lead.problems if "status of 400" not in p]

    textarea.fill(QUESTION)
    section.get_by_role("button", name="Post the comment").click()
    expect(d.lead.page.locator("#comments-status")).to_have_text("Your comment is posted.")
    comment = section.locator("article.comment", has_text="eş finansman")
    expect(comment).to_be_focused()
    expect(comment.locator(".comment-badge")).to_have_text("Shared with the team")
    expect(comment.locator("a.mention")).to_have_text("@koordinator")
    expect(textarea).to_have_value("")
    assert Comment.objects.get().visibility == Visibility.SHARED
    _fits_the_screen(d.lead)
    d.lead.shot("shared comment posted at 360 px")


def coordinator_sees_the_unread_badge(d: Discussion) -> None:
    sign_in(d.office, "koordinator", d.world.password)
    unread = selectors.unread_count(d.world.office)
    assert unread >= 1
    badge = d.office.page.locator("#inbox-badge")
    expect(badge).to_have_text(str(unread))
    inbox_link = d.office.page.get_by_role(
        "link", name=re.compile(rf"Inbox.*{unread} unread notifications?", re.IGNORECASE)
    )
    expect(inbox_link).to_be_visible()
    d.office.shot("badge with unread notifications")


def coordinator_follows_the_mention_from_the_inbox(d: Discussion) -> None:
    before = selectors.unread_count(d.world.office)
    d.office.page.locator("#inbox-nav a").click()
    d.office.page.wait_for_load_state("networkidle")
    expect(d.office.page.locator("h1")).to_have_text("Inbox")
    mention = d.office.page.locator(f'li.notification--unread[data-kind="{kinds.MENTION}"]')
    expect(mention).to_be_visible()
    d.office.shot("inbox")

    mention.get_by_role("link").first.click()
    d.office.page.wait_for_load_state("networkidle")
    assert d.office.page.url.endswith(d.url)
    after = selectors.unread_count(d.world.office)
    assert after == before - 1
    if after:
        expect(d.office.page.locator("#inbox-badge")).to_have_text(str(after))
    else:
        expect(d.office.page.locator("#inbox-badge")).to_have_count(0)


def coordinator_replies_internally(d: Discussion) -> None:
    thread = d.office.page.locator("li.thread", has_text="eş finansman")
    thread.locator("details.reply > summary").click()
    reply_form = thread.locator("form.comment-form")
    reply_form.get_by_label("Internal (office and reviewers)").check()
    reply_form.get_by_label("Your reply").fill(INTERNAL)
    reply_form.get_by_role("button", name="Send the reply").click()
    expect(d.office.page.locator("#comments-status")).to_have_text("Your reply is posted.")
    reply = d.office.page.locator("ol.replies article.comment", has_text="Co-financing looks short")
    expect(reply.locator(".comment-badge").first).to_have_text("Internal (office and reviewers)")
    assert Comment.objects.get(parent__isnull=False).visibility == Visibility.INTERNAL
    d.office.shot("internal reply")


def team_member_does_not_see_the_internal_reply(d: Discussion) -> None:
    d.lead.go(d.url)
    section = d.lead.page.locator("#comments")
    expect(section).to_contain_text("eş finansman")
    expect(section).not_to_contain_text("Co-financing looks short")
    expect(section).not_to_contain_text("Internal (office and reviewers)")
    _fits_the_screen(d.lead)


def coordinator_turns_a_kind_off(d: Discussion) -> None:
    d.office.go("/inbox/")
    d.office.page.get_by_role("link", name="Notification preferences").click()
    d.office.page.wait_for_load_state("networkidle")
    expect(d.office.page.locator("h1")).to_have_text("Notification preferences")
    group = d.office.page.get_by_role("group", name=str(kinds.get(kinds.COMMENT_SHARED).label))
    group.get_by_label("Off").check()
    d.office.page.get_by_role("button", name="Save the preferences").click()
    d.office.page.wait_for_load_state("networkidle")
    expect(d.office.page.locator("#messages")).to_contain_text("Your notification preferences are saved.")
    expect(
        d.office.page.get_by_role("group", name=str(kinds.get(kinds.COMMENT_SHARED).label)).get_by_label(
            "Off"
        )
    ).to_be_checked()
    assert selectors.preferences_of(d.world.office)[kinds.COMMENT_SHARED] == kinds.Channel.OFF
    d.office.shot("preferences saved")


STEPS = [
    team_member_posts_a_shared_comment_mentioning_the_coordinator,
    coordinator_sees_the_unread_badge,
    coordinator_follows_the_mention_from_the_inbox,
    coordinator_replies_internally,
    team_member_does_not_see_the_internal_reply,
    coordinator_turns_a_kind_off,
]


def test_a_question_reaches_the_coordinator_and_the_internal_answer_stays_internal(actors):
    world = build_world()
    proposal = factories.ProposalFactory(
        lead=world.municipality, call=world.call, state=State.DRAFTING, coordinator=world.office
    )
    discussion = Discussion(
        world=world,
        actors=actors,
        lead=actors("lead", width=360, height=780),
        office=actors("office"),
        proposal=proposal,
    )
    for step in STEPS:
        step(discussion)
