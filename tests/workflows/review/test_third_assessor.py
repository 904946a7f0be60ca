"""A development agency's round through the API and the page: two assessors' totals on both sides of the
pass mark call for a third assessor, and the suggestions offer one. The rule comes from the rubric."""

from decimal import Decimal

import pytest

from tests import factories
from tests.clients import page_client
from tests.factories import review as review_factories
from workflows.review.models import ReviewRound
from workflows.states import State

DECLARATION = {"declaration": "No ties to the applicants.", "no_conflict": True}


@pytest.fixture
def agency_drafting(make_proposal, people, themes):
    """A drafting proposal on a development agency's call: 100 points, pass mark 65, judged on totals."""
    rubric = review_factories.agency_rubric(disagreement_rule="totals", disagreement_gap=Decimal(15))
    call = factories.CallFactory(rubric=rubric, themes=[themes["water"]])
    proposal = make_proposal(state=State.DRAFTING, call=call)
    review_factories.proposal_set_with_version(proposal, uploaded_by=people["lead"])
    return proposal


def _review_through_the_api(api_client, office, round_url, expert, scores: dict) -> int:
    response = office.post(round_url + "assignments/", {"reviewer": expert.pk}, format="json")
    assert response.status_code == 201, response.content
    assignment = response.json()["id"]
    client = api_client(expert)
    response = client.post(
        f"/api/v1/review-assignments/{assignment}/transitions/accept/", DECLARATION, format="json"
    )
    assert response.status_code == 200, response.content
    response = client.put(
        f"/api/v1/review-assignments/{assignment}/review/",
        {"scores": scores, "recommendation": "revise", "submit": True},
        format="json",
    )
    assert (response.status_code, response.json()["state"]) == (200, "submitted"), response.content
    return assignment


def _open(office, proposal) -> str:
    response = office.post(f"/api/v1/proposals/{proposal.pk}/review-rounds/", {}, format="json")
    assert response.status_code == 201, response.content
    return f"/api/v1/review-rounds/{response.json()['id']}/"


@pytest.mark.django_db
def test_totals_on_both_sides_of_the_pass_mark_call_for_a_third_assessor(
    api_client, people, agency_drafting, experts
):
    office = api_client(people["office"])
    round_url = _open(office, agency_drafting)
    rubric = office.get(round_url).json()["rubric"]
    assert (rubric["disagreement_rule"], rubric["disagreement_gap"]) == ("totals", "15.00")

    # 80×0.3 + 70×0.4 + 60×0.3 = 70 and 70×0.3 + 50×0.4 + 66×0.3 = 60.8: 9.2 apart, across 65.
    _review_through_the_api(
        api_client,
        office,
        round_url,
        experts["ayse"],
        {"relevance": 80, "methodology": 70, "sustainability": 60},
    )
    _review_through_the_api(
        api_client,
        office,
        round_url,
        experts["mehmet"],
        {"relevance": 70, "methodology": 50, "sustainability": 66},
    )

    aggregate = office.get(round_url).json()["aggregate"]
    assert aggregate["disagreement_rule"] == "totals"
    assert (aggregate["total_min"], aggregate["total_max"]) == ("60.80", "70.00")
    assert aggregate["third_assessor_needed"] is True
    assert aggregate["third_assessor_reasons"] == [
        {
            "code": "straddles_pass_mark",
            "criterion": None,
            "message": "The totals 60.8 and 70 are on both sides of the pass mark 65.",
        }
    ]
    assert not any(c["disagreement"] for c in aggregate["criteria"])  # methodology 20 apart: not the rule

    body = office.get(round_url + "suggestions/").json()
    assert body["third_assessor_needed"] is True
    assert [r["code"] for r in body["third_assessor_reasons"]] == ["straddles_pass_mark"]
    candidates = [s["user"]["username"] for s in body["suggested"] if not s["already_assigned"]]
    assert "elena" in candidates and not {"ayse", "mehmet"} & set(candidates)

    # The office's page says so next to the suggestions, and the third assessor can be assigned.
    page = page_client(people["office"])
    html = page.get(f"/proposals/{agency_drafting.pk}/review/").content.decode()
    assert "data-third-assessor-hint" in html and "a third assessor is needed" in html
    assert "The totals 60.8 and 70 are on both sides of the pass mark 65." in html
    assert 'data-disagreement-rule="totals"' in html
    elena = next(s for s in body["suggested"] if s["user"]["username"] == "elena")
    response = office.post(round_url + "assignments/", {"reviewer": elena["user"]["id"]}, format="json")
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_totals_close_enough_on_the_same_side_need_no_third_assessor(
    api_client, people, agency_drafting, experts
):
    office = api_client(people["office"])
    round_url = _open(office, agency_drafting)
    # 80 and 72: methodology is 20 points apart, which the per-criterion rule would have flagged.
    _review_through_the_api(
        api_client,
        office,
        round_url,
        experts["ayse"],
        {"relevance": 80, "methodology": 80, "sustainability": 80},
    )
    _review_through_the_api(
        api_client,
        office,
        round_url,
        experts["mehmet"],
        {"relevance": 80, "methodology": 60, "sustainability": 80},
    )
    aggregate = office.get(round_url).json()["aggregate"]
    assert (aggregate["third_assessor_needed"], aggregate["third_assessor_reasons"]) == (False, [])
    assert office.get(round_url + "suggestions/").json()["third_assessor_needed"] is False


@pytest.mark.django_db
def test_a_round_keeps_the_rule_it_opened_with(api_client, people, agency_drafting):
    response = api_client(people["office"]).post(
        f"/api/v1/proposals/{agency_drafting.pk}/review-rounds/", {}, format="json"
    )
    review_round = ReviewRound.objects.get(pk=response.json()["id"])
    agency_drafting.call.rubric.__class__.objects.filter(pk=agency_drafting.call.rubric_id).update(
        disagreement_rule="per_criterion", disagreement_gap=None
    )
    review_round.refresh_from_db()
    assert (review_round.disagreement_rule, review_round.disagreement_gap) == ("totals", Decimal(15))


@pytest.mark.django_db
def test_the_calls_api_shows_the_rubrics_rule(api_client, people, agency_drafting):
    response = api_client(people["office"]).get(f"/api/v1/calls/{agency_drafting.call_id}/")
    assert response.status_code == 200, response.content
    rubric = response.json()["rubric"]
    assert (rubric["disagreement_rule"], rubric["disagreement_gap"]) == ("totals", "15.00")
