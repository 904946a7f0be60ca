"""Who sees which reviews, rounds and aggregates: office, reviewer before and after submitting, another
reviewer, the lead team and another municipality's team."""

import pytest

from tests import factories
from tests.factories import review as review_factories
from workflows.review import services
from workflows.states import State

SCORES = {"excellence": 4, "impact": 3, "implementation": 3.5}


@pytest.fixture
def world(open_round, assign, experts, people):
    """Ayşe has submitted; Mehmet has accepted and holds a draft."""
    ayse = review_factories.submitted(assign(experts["ayse"]), SCORES).assignment
    mehmet = review_factories.accepted(assign(experts["mehmet"]))
    services.save_review(mehmet, experts["mehmet"], scores={"excellence": 2}, comment="Draft thoughts")
    return {"round": open_round, "ayse": ayse, "mehmet": mehmet}


def reviews(api_client, user, review_round):
    response = api_client(user).get(f"/api/v1/review-rounds/{review_round.pk}/reviews/")
    if response.status_code != 200:
        return response.status_code
    return [
        (r["label"], r["reviewer"]["username"] if r["reviewer"] else None, r["state"])
        for r in response.json()["results"]
    ]


@pytest.mark.django_db
def test_the_review_matrix_while_the_round_is_open(api_client, world, people, experts):
    review_round = world["round"]
    assert reviews(api_client, people["office"], review_round) == [
        ("Reviewer 1", "ayse", "submitted"),
        (None, "mehmet", "draft"),
    ]
    # Ayşe submitted, but Mehmet's is only a draft: she sees just her own.
    assert reviews(api_client, experts["ayse"], review_round) == [("Reviewer 1", "ayse", "submitted")]
    # Mehmet has not submitted: he sees his draft and nothing of Ayşe's.
    assert reviews(api_client, experts["mehmet"], review_round) == [(None, "mehmet", "draft")]
    assert reviews(api_client, people["lead"], review_round) == []
    assert reviews(api_client, people["partner"], review_round) == []
    assert reviews(api_client, people["other_team"], review_round) == 404
    assert reviews(api_client, experts["elena"], review_round) == 404


@pytest.mark.django_db
def test_after_submitting_a_reviewer_sees_the_others_submitted_reviews_without_names(
    api_client, world, experts
):
    review_factories.submitted(world["mehmet"], SCORES)
    assert reviews(api_client, experts["mehmet"], world["round"]) == [
        ("Reviewer 2", "mehmet", "submitted"),
        ("Reviewer 1", None, "submitted"),
    ]
    assert reviews(api_client, experts["ayse"], world["round"]) == [
        ("Reviewer 1", "ayse", "submitted"),
        ("Reviewer 2", None, "submitted"),
    ]


@pytest.mark.django_db
def test_a_reviewer_cannot_read_another_reviewers_draft_nor_another_proposal(
    api_client, world, experts, people, make_proposal, eu_call
):
    client = api_client(experts["ayse"])
    assert client.get(f"/api/v1/review-assignments/{world['mehmet'].pk}/review/").status_code == 404
    assert (
        api_client(people["lead"]).get(f"/api/v1/review-assignments/{world['ayse'].pk}/review/").status_code
        == 404
    )
    other = make_proposal(state=State.DRAFTING, call=eu_call)
    other_round = services.open_round(other, people["office"])
    assert client.get(f"/api/v1/proposals/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/proposals/{other.pk}/review-rounds/").status_code == 404
    assert client.get(f"/api/v1/review-rounds/{other_round.pk}/").status_code == 404
    assert client.get(f"/api/v1/proposals/{other.pk}/comments/").status_code == 404


@pytest.mark.django_db
def test_the_round_detail_matrix_before_and_after_closing(api_client, world, people, experts):
    url = f"/api/v1/review-rounds/{world['round'].pk}/"

    def seen(user):
        response = api_client(user).get(url)
        if response.status_code != 200:
            return response.status_code
        body = response.json()
        return (body["role"], len(body["reviews"]), body["aggregate"] is not None, body["feedback"])

    assert seen(people["office"]) == ("office", 2, True, "")
    assert seen(experts["ayse"]) == ("reviewer", 1, False, None)
    assert seen(experts["mehmet"]) == ("reviewer", 1, False, None)
    assert seen(people["lead"]) == ("team", 0, False, None)
    assert seen(people["other_team"]) == 404
    services.transition_assignment(world["mehmet"], "withdraw", people["office"])
    services.close_round(world["round"], people["office"], feedback="Revise the impact section.")
    assert seen(people["lead"]) == ("team", 1, True, "Revise the impact section.")
    assert seen(people["member"]) == ("team", 1, True, "Revise the impact section.")
    assert seen(people["office"]) == ("office", 2, True, "Revise the impact section.")
    assert seen(experts["mehmet"]) == 404  # withdrawn: no longer sees the proposal
    assert seen(people["other_team"]) == 404
    body = api_client(people["lead"]).get(url).json()
    assert body["reviews"][0]["label"] == "Reviewer 1" and body["reviews"][0]["reviewer"] is None
    assert body["reviews"][0]["assignment"] is None
    assert body["aggregate"]["total"] == "10.50"


@pytest.mark.django_db
def test_the_office_sees_every_assignment_a_reviewer_only_theirs_and_the_team_none(
    api_client, world, people, experts
):
    url = f"/api/v1/review-rounds/{world['round'].pk}/assignments/"
    names = lambda user: [a["reviewer"]["username"] for a in api_client(user).get(url).json()["results"]]  # noqa: E731
    assert names(people["office"]) == ["ayse", "mehmet"]
    assert names(experts["ayse"]) == ["ayse"]
    assert names(people["lead"]) == []
    assert api_client(people["other_team"]).get(url).status_code == 404


@pytest.mark.django_db
def test_an_expert_without_an_assignment_does_not_see_the_round(api_client, world):
    outsider = factories.ExpertProfileFactory().user
    assert api_client(outsider).get(f"/api/v1/review-rounds/{world['round'].pk}/").status_code == 404
