"""A reused proposal carries the feedback of the one it came from: the funder's, and what the office
shared when each review round closed. Only that: never the reviewers, their reviews or open rounds."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.clients import page_client
from tests.querycount import assert_same_query_count
from workflows.models import Proposal
from workflows.review.models import ReviewRound
from workflows.states import State

LIST = "/api/v1/proposals/"
FUNDER = "Score 58/100: the sustainability plan is too thin; the budget of WP3 is not justified."


def _round(proposal, office, number, *, closed=True, feedback=None):
    now = timezone.now()
    return ReviewRound.objects.create(
        proposal=proposal,
        number=number,
        due_at=now,
        rubric_name="EU",
        opened_by=office,
        opened_at=now - timedelta(days=30 - number),
        closed_at=now - timedelta(days=20 - number) if closed else None,
        closed_by=office if closed else None,
        feedback=f"Round {number}: strengthen the impact section." if feedback is None else feedback,
    )


@pytest.fixture
def rejected(make_proposal, people):
    """A rejected proposal with the funder's feedback, one closed round with shared feedback, one closed
    round without any and one still open (not shared yet)."""
    proposal = make_proposal(state=State.REJECTED, funder_feedback=FUNDER)
    _round(proposal, people["office"], 1)
    _round(proposal, people["office"], 2, feedback="")
    _round(proposal, people["office"], 3, closed=False, feedback="Draft note of the office.")
    return proposal


def _reuse(api_client, user, proposal) -> dict:
    response = api_client(user).post(f"{LIST}{proposal.pk}/reuse/")
    assert response.status_code == 201, response.content
    return response.json()


def _page(user, pk) -> tuple[int, str]:
    response = page_client(user).get(f"/proposals/{pk}/")
    return response.status_code, response.content.decode()


@pytest.mark.django_db
def test_the_new_idea_shows_the_funders_and_the_rounds_shared_feedback(api_client, people, rejected):
    created = _reuse(api_client, people["lead"], rejected)
    closed_at = ReviewRound.objects.get(proposal=rejected, number=1).closed_at
    expected = {
        "proposal": rejected.pk,
        "title": rejected.title,
        "acronym": rejected.acronym,
        "state": "rejected",
        "funder_feedback": FUNDER,
        "review_feedback": [(1, closed_at, "Round 1: strengthen the impact section.")],
    }

    def readable(feedback):
        rounds = [
            (r["round"], datetime.fromisoformat(r["closed_at"]), r["feedback"])
            for r in feedback["review_feedback"]
        ]
        return {**feedback, "review_feedback": rounds}

    assert readable(created["reused_from_feedback"]) == expected  # the answer to the reuse itself
    for user in (people["lead"], people["member"], people["partner"], people["office"]):
        body = api_client(user).get(f"{LIST}{created['id']}/").json()
        assert readable(body["reused_from_feedback"]) == expected
        assert "Draft note of the office." not in str(body)  # the open round has shared nothing yet

    status, html = _page(people["lead"], created["id"])
    assert status == 200
    assert f'data-reused-from="{rejected.pk}"' in html
    assert "Feedback on the earlier proposal" in html
    assert "the sustainability plan is too thin" in html
    assert "Round 1: strengthen the impact section." in html
    assert "Draft note of the office." not in html


@pytest.mark.django_db
def test_a_proposal_not_reused_has_null_and_no_section(api_client, people, make_proposal):
    proposal = make_proposal(state=State.IDEA)
    assert api_client(people["lead"]).get(f"{LIST}{proposal.pk}/").json()["reused_from_feedback"] is None
    status, html = _page(people["lead"], proposal.pk)
    assert status == 200 and "reuse-feedback" not in html


@pytest.mark.django_db
def test_the_list_carries_no_feedback(api_client, people, rejected):
    created = _reuse(api_client, people["lead"], rejected)
    rows = api_client(people["lead"]).get(LIST).json()["results"]
    assert created["id"] in [row["id"] for row in rows]
    assert all("reused_from_feedback" not in row for row in rows)


@pytest.mark.django_db
def test_another_municipalitys_team_gets_404(api_client, people, rejected):
    created = _reuse(api_client, people["lead"], rejected)
    assert api_client(people["other_team"]).get(f"{LIST}{created['id']}/").status_code == 404
    assert _page(people["other_team"], created["id"])[0] == 404


@pytest.mark.django_db
def test_a_deleted_origin_brings_nothing(api_client, people, rejected):
    created = _reuse(api_client, people["lead"], rejected)
    Proposal.objects.filter(pk=rejected.pk).update(deleted_at=timezone.now())
    body = api_client(people["lead"]).get(f"{LIST}{created['id']}/").json()
    assert (body["reused_from"], body["reused_from_feedback"]) == (rejected.pk, None)


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["api", "page"])
def test_the_detail_costs_the_same_for_one_and_five_closed_rounds(
    api_client, client_for, people, make_proposal, django_assert_num_queries, where
):
    origin = make_proposal(state=State.REJECTED, funder_feedback=FUNDER)
    new = Proposal.objects.get(pk=_reuse(api_client, people["lead"], origin)["id"])

    def add_rounds(n):
        start = ReviewRound.objects.filter(proposal=origin).count()
        for number in range(start + 1, start + n + 1):
            _round(origin, people["office"], number, feedback=f"Shared feedback {number}.")

    if where == "api":
        client = api_client(people["lead"])
        url = f"{LIST}{new.pk}/"

        def rows(body):
            return len(body["reused_from_feedback"]["review_feedback"])
    else:
        client = client_for(people["lead"], language=None)
        url = f"/proposals/{new.pk}/"

        def rows(html):
            return html.count("Shared feedback ")

    assert_same_query_count(client, url, add_rounds, django_assert_num_queries, rows_in=rows)
