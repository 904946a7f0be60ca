"""A review round run entirely through the API, as the office, two experts and the team would."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django_fsm_log.models import StateLog

from tests import factories
from workflows.models import Proposal
from workflows.review.models import ReviewAssignment
from workflows.states import State


@pytest.mark.django_db
def test_a_review_round_runs_end_to_end_through_the_api(
    api_client, people, drafting, experts, partner_organisation
):
    office, lead = api_client(people["office"]), api_client(people["lead"])
    ayse, mehmet = api_client(experts["ayse"]), api_client(experts["mehmet"])
    conflicted = factories.ExpertProfileFactory(
        affiliation_organisation=partner_organisation, user__username="haskovo_expert"
    ).user

    # The office opens a round: the proposal goes into review, the rubric and latest versions are fixed.
    response = office.post(f"/api/v1/proposals/{drafting.pk}/review-rounds/", {}, format="json")
    assert response.status_code == 201, response.content
    review_round = response.json()
    assert (review_round["number"], review_round["state"]) == (1, "open")
    assert [c["code"] for c in review_round["rubric"]["criteria"]] == [
        "excellence",
        "impact",
        "implementation",
    ]
    assert [v["number"] for v in review_round["versions"]] == [2]
    assert Proposal.objects.get(pk=drafting.pk).state == State.IN_REVIEW
    round_url = f"/api/v1/review-rounds/{review_round['id']}/"

    # Suggestions: most matching themes first; the partner's expert listed apart with the reason.
    response = office.get(round_url + "suggestions/")
    assert response.status_code == 200
    body = response.json()
    names = [s["user"]["username"] for s in body["suggested"]]
    assert names[:2] == ["ayse", "mehmet"]  # two matching themes, then one
    assert set(names[2:]) == {"elena", people["reviewer"].username}  # none
    assert body["suggested"][0]["matching_themes"] == [
        {"code": "climate-adaptation", "name": "Climate Adaptation"},
        {"code": "water", "name": "Water"},
    ]
    assert [s["user"]["username"] for s in body["conflicted"]] == ["haskovo_expert"]
    assert "Haskovo Municipality, a partner" in body["conflicted"][0]["conflicts"][0]
    response = office.post(round_url + "assignments/", {"reviewer": conflicted.pk}, format="json")
    assert response.status_code == 409
    assert response.json()["reasons"][0]["code"] == "conflict_of_interest"

    # Two experts are invited; until they accept they read only the conflict-check brief.
    assigned = {}
    for name in ("ayse", "mehmet"):
        response = office.post(round_url + "assignments/", {"reviewer": experts[name].pk}, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["state"] == "invited"
        assigned[name] = response.json()["id"]
    assert mehmet.get(f"/api/v1/proposals/{drafting.pk}/").status_code == 404
    brief = mehmet.get(f"/api/v1/review-assignments/{assigned['mehmet']}/").json()["proposal"]
    assert (brief["id"], brief["lead"]["name"]) == (drafting.pk, drafting.lead.name)

    # Mehmet declines and loses even the brief.
    response = mehmet.post(
        f"/api/v1/review-assignments/{assigned['mehmet']}/transitions/decline/", {}, format="json"
    )
    assert (response.status_code, response.json()["state"]) == (200, "declined")
    assert mehmet.get(f"/api/v1/proposals/{drafting.pk}/").status_code == 404
    assert mehmet.get(f"/api/v1/review-assignments/{assigned['mehmet']}/").json()["proposal"] is None

    # Ayşe accepts, but only with the conflict-of-interest declaration.
    accept = f"/api/v1/review-assignments/{assigned['ayse']}/transitions/accept/"
    response = ayse.post(accept, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"declaration", "no_conflict"}
    response = ayse.post(
        accept, {"declaration": "No ties to Süleymanpaşa or Haskovo.", "no_conflict": True}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["declaration"]["no_conflict"] is True

    # She scores: a draft first, an off-step score refused, an incomplete submit refused, then submits.
    review_url = f"/api/v1/review-assignments/{assigned['ayse']}/review/"
    response = ayse.put(
        review_url, {"scores": {"excellence": {"score": "4.5", "comment": "Strong."}}}, format="json"
    )
    assert (response.status_code, response.json()["state"]) == (200, "draft")
    response = ayse.put(review_url, {"scores": {"impact": "3.3"}}, format="json")
    assert response.status_code == 400
    assert "scores.impact" in response.json()["fields"]
    response = ayse.put(review_url, {"submit": True}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"scores.impact", "scores.implementation", "recommendation"}
    response = ayse.put(
        review_url,
        {
            "scores": {"impact": {"score": "3.5", "comment": "Clear."}, "implementation": {"score": 3}},
            "recommendation": "revise",
            "comment": "Tighten the work plan.",
            "submit": True,
        },
        format="json",
    )
    assert (response.status_code, response.json()["state"]) == (200, "submitted"), response.content
    assert ayse.put(review_url, {"comment": "later"}, format="json").status_code == 409

    # The team sees nothing of the reviews while the round is open.
    response = lead.get(round_url)
    assert response.status_code == 200
    assert (response.json()["reviews"], response.json()["aggregate"], response.json()["feedback"]) == (
        [],
        None,
        None,
    )

    # The office sees the aggregate and closes the round with its feedback.
    body = office.get(round_url).json()
    assert body["aggregate"]["total"] == "11.00"
    assert body["aggregate"]["passed"] is True
    response = office.post(
        round_url + "close/", {"feedback": "Good basis; strengthen impact."}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "closed"
    assert Proposal.objects.get(pk=drafting.pk).state == State.DRAFTING

    # The team reads the feedback and the anonymised review.
    body = lead.get(round_url).json()
    assert body["feedback"] == "Good basis; strengthen impact."
    assert [(r["label"], r["reviewer"]) for r in body["reviews"]] == [("Reviewer 1", None)]
    assert body["reviews"][0]["scores"][0] == {
        "criterion": "excellence",
        "title": "Excellence",
        "score": "4.50",
        "comment": "Strong.",
    }
    assert body["aggregate"]["criteria"][0]["mean"] == "4.50"
    assert "ayse" not in str(body) and "Yılmaz" not in str(body)

    # Every assignment step is in the log, with who did it.
    logs = StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(ReviewAssignment), object_id__in=assigned.values()
    ).order_by("id")
    assert [(log.transition, log.by.username) for log in logs] == [
        ("decline", "mehmet"),
        ("accept", "ayse"),
        ("submit", "ayse"),
    ]
    assert ReviewAssignment.objects.get(pk=assigned["ayse"]).declared_at is not None
