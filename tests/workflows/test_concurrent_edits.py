"""Versioned edits: proposals, comments and review drafts answer with an `ETag`; an edit with an
`If-Match` that no longer names the current version answers 412 and changes nothing, so two people who
edit what they both read cannot silently overwrite each other. Without the header (or with `*`) edits
apply as before."""

from functools import partial

import pytest

from tests.concurrency import at_once
from tests.factories import accepted
from tests.notifications.processes import require_postgres
from tests.workflows.review.conftest import assign, drafting, eu_call, experts, open_round, themes
from workflows import services
from workflows.discussion import services as discussion
from workflows.discussion.models import Comment, CommentRevision
from workflows.models import Proposal
from workflows.review.models import Review
from workflows.states import State

__all__ = ["assign", "drafting", "eu_call", "experts", "open_round", "themes"]


def detail(proposal) -> str:
    return f"/api/v1/proposals/{proposal.pk}/"


# --- proposals ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_proposal_answers_with_an_etag_and_each_edit_gives_a_new_one(api_client, people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING)
    client = api_client(people["lead"])
    read = client.get(detail(proposal))
    tag = read["ETag"]
    assert tag.startswith('"') and tag.endswith('"')
    edited = client.patch(detail(proposal), {"title": "Flood warning"}, format="json", HTTP_IF_MATCH=tag)
    assert edited.status_code == 200, edited.content
    assert edited["ETag"] != tag
    assert client.get(detail(proposal))["ETag"] == edited["ETag"]


@pytest.mark.django_db
def test_an_edit_of_a_version_someone_changed_since_is_412_and_changes_nothing(
    api_client, people, make_proposal
):
    proposal = make_proposal(state=State.DRAFTING, summary="as read")
    lead, member = api_client(people["lead"]), api_client(people["member"])
    tag = lead.get(detail(proposal))["ETag"]
    assert member.get(detail(proposal))["ETag"] == tag
    assert (
        lead.patch(detail(proposal), {"summary": "lead's"}, format="json", HTTP_IF_MATCH=tag).status_code
        == 200
    )
    late = member.patch(detail(proposal), {"summary": "member's"}, format="json", HTTP_IF_MATCH=tag)
    assert late.status_code == 412
    assert late.json()["code"] == "precondition_failed"
    assert "Someone else changed this" in late.json()["detail"]
    proposal.refresh_from_db()
    assert proposal.summary == "lead's"


@pytest.mark.django_db
def test_a_move_answers_with_the_tag_of_the_version_it_made(api_client, people, make_proposal):
    proposal = make_proposal(state=State.READY)
    client = api_client(people["lead"])
    read = client.get(detail(proposal))["ETag"]
    moved = client.post(f"{detail(proposal)}transitions/reopen/", {"comment": "New budget"}, format="json")
    assert moved.status_code == 200, moved.content
    assert moved["ETag"] not in ("", read)
    assert client.get(detail(proposal))["ETag"] == moved["ETag"]
    # the tag read before the move is stale; the move's own tag edits
    stale = client.patch(detail(proposal), {"summary": "old view"}, format="json", HTTP_IF_MATCH=read)
    assert stale.status_code == 412
    fresh = client.patch(detail(proposal), {"summary": "new"}, format="json", HTTP_IF_MATCH=moved["ETag"])
    assert fresh.status_code == 200, fresh.content


@pytest.mark.django_db
@pytest.mark.parametrize("header", [None, "*"])
def test_without_if_match_or_with_a_star_the_edit_applies_as_before(
    api_client, people, make_proposal, header
):
    proposal = make_proposal(state=State.DRAFTING)
    client = api_client(people["lead"])
    client.patch(detail(proposal), {"summary": "first"}, format="json")
    extra = {"HTTP_IF_MATCH": header} if header else {}
    assert client.patch(detail(proposal), {"summary": "second"}, format="json", **extra).status_code == 200
    proposal.refresh_from_db()
    assert proposal.summary == "second"


@pytest.mark.django_db
def test_a_weak_or_foreign_tag_never_matches(api_client, people, make_proposal):
    proposal, other = make_proposal(state=State.DRAFTING), make_proposal(state=State.DRAFTING)
    client = api_client(people["lead"])
    tag = client.get(detail(proposal))["ETag"]
    weak = client.patch(detail(proposal), {"summary": "x"}, format="json", HTTP_IF_MATCH=f"W/{tag}")
    assert weak.status_code == 412
    foreign = client.get(detail(other))["ETag"]  # same version number, another proposal
    assert (
        client.patch(detail(proposal), {"summary": "x"}, format="json", HTTP_IF_MATCH=foreign).status_code
        == 412
    )
    # one of several listed tags is enough
    listed = client.patch(detail(proposal), {"summary": "y"}, format="json", HTTP_IF_MATCH=f'"stale", {tag}')
    assert listed.status_code == 200


@pytest.mark.django_db
def test_every_write_of_a_proposal_is_a_new_version(people, make_proposal):
    proposal = make_proposal(state=State.IDEA)
    versions = [Proposal.objects.get(pk=proposal.pk).version]

    def now():
        versions.append(Proposal.objects.get(pk=proposal.pk).version)

    services.update_proposal(proposal, people["lead"], summary="edited")
    now()
    services.perform_transition(proposal, "start_consultation", people["office"])
    now()
    services.record_lead_exception(proposal, people["office"], reason="a former member")  # update_fields
    now()
    services.update_proposal(proposal, people["office"], partners=[])
    now()
    assert versions == sorted(set(versions)) and len(versions) == 5


@pytest.mark.django_db
def test_a_transition_in_between_makes_the_edit_412(api_client, people, make_proposal):
    proposal = make_proposal(state=State.IDEA)
    tag = api_client(people["lead"]).get(detail(proposal))["ETag"]
    services.perform_transition(proposal, "start_consultation", people["office"])
    late = api_client(people["lead"]).patch(
        detail(proposal), {"title": "x"}, format="json", HTTP_IF_MATCH=tag
    )
    assert late.status_code == 412


def _race(api_client, proposal, users_and_titles, with_if_match: bool):
    """Both read the proposal, then PATCH it at the same moment; returns the status codes."""
    tags = {user.pk: api_client(user).get(detail(proposal))["ETag"] for user, _title in users_and_titles}

    def edit(user, title):
        extra = {"HTTP_IF_MATCH": tags[user.pk]} if with_if_match else {}
        return api_client(user).patch(detail(proposal), {"title": title}, format="json", **extra)

    return at_once(*[partial(edit, user, title) for user, title in users_and_titles])


@pytest.mark.django_db(transaction=True)
def test_two_people_editing_the_same_version_one_wins_and_no_edit_is_lost(api_client, people, make_proposal):
    require_postgres()
    proposal = make_proposal(state=State.DRAFTING)
    rounds, lost = 20, 0
    for number in range(rounds):
        pair = [(people["lead"], f"lead {number}"), (people["member"], f"member {number}")]
        answers = _race(api_client, proposal, pair, with_if_match=True)
        assert sorted(a.status_code for a in answers) == [200, 412]
        winner = next(a for a in answers if a.status_code == 200).json()["title"]
        proposal.refresh_from_db()
        lost += proposal.title != winner
    assert lost == 0


@pytest.mark.django_db(transaction=True)
def test_without_if_match_the_last_writer_wins_as_before(api_client, people, make_proposal):
    """The behaviour the header exists for: both edits succeed and one overwrites the other unseen."""
    require_postgres()
    proposal = make_proposal(state=State.DRAFTING)
    answers = _race(api_client, proposal, [(people["lead"], "lead"), (people["member"], "member")], False)
    assert [a.status_code for a in answers] == [200, 200]


# --- comments ----------------------------------------------------------------------------------------
@pytest.fixture
def comment(make_proposal, people):
    proposal = make_proposal(state=State.DRAFTING)
    return discussion.post_comment(proposal, people["lead"], body="Budget annex attached.")


@pytest.mark.django_db
def test_a_comment_edit_over_a_newer_text_is_412_and_keeps_it(api_client, people, comment):
    client = api_client(people["lead"])
    url = f"/api/v1/comments/{comment.pk}/"
    tag = client.get(url)["ETag"]
    first = client.patch(url, {"body": "Budget annex v2 attached."}, format="json", HTTP_IF_MATCH=tag)
    assert first.status_code == 200
    assert first["ETag"] != tag
    late = client.patch(url, {"body": "Typo fixed."}, format="json", HTTP_IF_MATCH=tag)
    assert late.status_code == 412
    assert late.json()["code"] == "precondition_failed"
    assert Comment.objects.get(pk=comment.pk).body == "Budget annex v2 attached."
    assert CommentRevision.objects.filter(comment=comment).count() == 1
    assert (
        client.patch(url, {"body": "Typo fixed."}, format="json", HTTP_IF_MATCH=first["ETag"]).status_code
        == 200
    )


@pytest.mark.django_db(transaction=True)
def test_two_tabs_editing_one_comment_one_wins(api_client, people, comment):
    require_postgres()
    url = f"/api/v1/comments/{comment.pk}/"
    tag = api_client(people["lead"]).get(url)["ETag"]

    def edit(body):
        return api_client(people["lead"]).patch(url, {"body": body}, format="json", HTTP_IF_MATCH=tag)

    codes = at_once(partial(edit, "tab one"), partial(edit, "tab two"))
    assert sorted(a.status_code for a in codes) == [200, 412]
    winner = next(a for a in codes if a.status_code == 200).json()["body"]
    assert Comment.objects.get(pk=comment.pk).body == winner


# --- review drafts -----------------------------------------------------------------------------------
@pytest.fixture
def reviewing(assign, experts):
    return accepted(assign(experts["ayse"]))


@pytest.mark.django_db
def test_a_review_draft_saved_over_a_newer_one_is_412_and_keeps_it(api_client, experts, reviewing):
    client = api_client(experts["ayse"])
    url = f"/api/v1/review-assignments/{reviewing.pk}/review/"
    blank = client.get(url)["ETag"]
    saved = client.put(url, {"comment": "Strong partnership."}, format="json", HTTP_IF_MATCH=blank)
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] != blank
    assert client.get(url)["ETag"] == saved["ETag"]
    other_tab = client.put(url, {"comment": "Weak budget."}, format="json", HTTP_IF_MATCH=blank)
    assert other_tab.status_code == 412
    assert Review.objects.get(assignment=reviewing).comment == "Strong partnership."
    scored = client.put(
        url, {"scores": {"impact": {"score": "4"}}}, format="json", HTTP_IF_MATCH=saved["ETag"]
    )
    assert scored.status_code == 200
    assert scored["ETag"] != saved["ETag"]


@pytest.mark.django_db
def test_the_review_tag_follows_the_scores(experts, reviewing):
    from workflows.review import services as review

    before = review.review_tag(reviewing)
    review.save_review(reviewing, experts["ayse"], scores={"impact": {"score": "3"}})
    after = review.review_tag(reviewing)
    assert after != before
    loaded = Review.objects.prefetch_related("scores").get(assignment=reviewing)
    assert review.review_tag(reviewing, loaded) == after


@pytest.mark.django_db
def test_the_schema_names_if_match_and_412_on_the_three_edits(api_client, office_user):
    schema = (
        api_client(office_user).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    )
    for where, method in [
        ("/api/v1/proposals/{id}/", "patch"),
        ("/api/v1/comments/{id}/", "patch"),
        ("/api/v1/review-assignments/{id}/review/", "put"),
    ]:
        operation = schema["paths"][where][method]
        assert "If-Match" in {p["name"] for p in operation["parameters"] if p["in"] == "header"}, where
        assert "412" in operation["responses"], where
        assert "ETag" in operation["responses"]["200"]["headers"], where
        assert "ETag" in schema["paths"][where]["get"]["responses"]["200"]["headers"], where
