"""Writing a review: scale and step, drafts, submission, immutability, and who may write."""

import pytest

from grants_office.core.errors import Invalid
from tests import factories
from tests.factories import review as review_factories
from workflows.review import services
from workflows.review.models import Review, ReviewScore
from workflows.states import AssignmentState, State


@pytest.fixture
def reviewing(assign, experts):
    return review_factories.accepted(assign(experts["ayse"]))


def put(api_client, user, assignment, data):
    return api_client(user).put(f"/api/v1/review-assignments/{assignment.pk}/review/", data, format="json")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "score, message",
    [
        ("5.5", "between 0 and 5"),
        ("-0.5", "between 0 and 5"),
        ("3.25", "steps of 0.5"),
        ("abc", "number"),
        (True, "number"),
    ],
)
def test_a_score_off_the_scale_or_step_is_400_and_nothing_is_saved(
    api_client, reviewing, experts, score, message
):
    response = put(
        api_client, experts["ayse"], reviewing, {"scores": {"impact": {"score": score}}, "comment": "x"}
    )
    assert response.status_code == 400
    assert message in response.json()["fields"]["scores.impact"][0]
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_an_unknown_criterion_or_recommendation_is_400(api_client, reviewing, experts):
    response = put(
        api_client, experts["ayse"], reviewing, {"scores": {"budget": 3}, "recommendation": "maybe"}
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"scores.budget", "recommendation"}
    response = put(api_client, experts["ayse"], reviewing, {"scores": [3, 4]})
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_hundred_point_scale_takes_whole_points(make_proposal, people, experts):
    proposal = make_proposal(
        state=State.DRAFTING, call=factories.CallFactory(rubric=review_factories.agency_rubric())
    )
    review_round = services.open_round(proposal, people["office"])
    assignment = review_factories.accepted(
        services.assign_reviewer(review_round, people["office"], reviewer=experts["ayse"])
    )
    with pytest.raises(Invalid) as error:
        services.save_review(assignment, experts["ayse"], scores={"relevance": "65.5"})
    assert "scores.relevance" in error.value.fields
    review = services.save_review(assignment, experts["ayse"], scores={"relevance": 65})
    assert review.scores.get().score == 65


@pytest.mark.django_db
def test_drafts_save_partially_and_keep_what_was_not_sent(api_client, reviewing, experts):
    put(
        api_client, experts["ayse"], reviewing, {"scores": {"excellence": {"score": "4", "comment": "Good."}}}
    )
    response = put(
        api_client, experts["ayse"], reviewing, {"scores": {"excellence": {"comment": "Very good."}}}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "draft"
    assert [(s["code"], s["score"], s["comment"]) for s in body["scores"]] == [
        ("excellence", "4.00", "Very good."),
        ("impact", None, ""),
        ("implementation", None, ""),
    ]
    response = put(api_client, experts["ayse"], reviewing, {"recommendation": "ready_to_submit"})
    assert response.json()["scores"][0]["score"] == "4.00"
    assert response.json()["recommendation"] == "ready_to_submit"


@pytest.mark.django_db
def test_submitting_needs_every_criterion_and_a_recommendation(api_client, reviewing, experts):
    put(api_client, experts["ayse"], reviewing, {"scores": {"excellence": 4}})
    response = put(api_client, experts["ayse"], reviewing, {"scores": {"impact": 3}, "submit": True})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"scores.implementation", "recommendation"}
    reviewing.refresh_from_db()
    assert reviewing.state == AssignmentState.ACCEPTED
    assert not ReviewScore.objects.filter(criterion__code="impact").exists()  # the whole request rolled back


@pytest.mark.django_db
def test_a_submitted_review_never_changes(api_client, reviewing, experts):
    review = review_factories.submitted(reviewing, {"excellence": 4, "impact": 3, "implementation": 3.5})
    reviewing.refresh_from_db()
    assert reviewing.state == AssignmentState.SUBMITTED and review.submitted_at is not None
    for data in ({"comment": "late"}, {"scores": {"impact": 5}}, {"submit": True}):
        response = put(api_client, experts["ayse"], reviewing, data)
        assert response.status_code == 409
        assert response.json()["reasons"][0]["code"] == "review_submitted"
    assert Review.objects.get().comment == "" and ReviewScore.objects.get(criterion__code="impact").score == 3


@pytest.mark.django_db
def test_only_the_accepted_reviewer_writes(api_client, assign, experts, people):
    invited = assign(experts["ayse"])
    response = put(api_client, experts["ayse"], invited, {"comment": "early"})
    assert (response.status_code, response.json()["reasons"][0]["code"]) == (409, "wrong_state")
    review_factories.accepted(invited)
    response = put(api_client, people["office"], invited, {"comment": "on her behalf"})
    assert (response.status_code, response.json()["reasons"][0]["code"]) == (409, "not_permitted")
    assert put(api_client, experts["mehmet"], invited, {"comment": "x"}).status_code == 404
    assert put(api_client, people["lead"], invited, {"comment": "x"}).status_code == 404
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_reading_a_review_before_it_is_started_lists_the_criteria(api_client, reviewing, experts):
    body = api_client(experts["ayse"]).get(f"/api/v1/review-assignments/{reviewing.pk}/review/").json()
    assert (body["id"], body["state"]) == (None, "not_started")
    assert [(s["code"], s["scale_max"], s["step"], s["score"]) for s in body["scores"]] == [
        ("excellence", "5.00", "0.50", None),
        ("impact", "5.00", "0.50", None),
        ("implementation", "5.00", "0.50", None),
    ]
