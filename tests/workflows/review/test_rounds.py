"""Opening and closing review rounds: state, rubric copy, frozen versions, one open round, closing rules."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from grants_office.calls.models import Criterion
from grants_office.core.errors import Conflict, Invalid, NotFound
from tests import factories
from tests.factories import review as review_factories
from workflows.models import Proposal
from workflows.review import services
from workflows.review.models import ReviewRound
from workflows.states import State


def codes(error):
    return [r.code for r in error.reasons]


@pytest.mark.django_db
def test_opening_fixes_the_rubric_and_the_latest_versions_and_moves_the_proposal(drafting, people):
    latest = review_factories.proposal_set_with_version(drafting, uploaded_by=people["lead"], title="Budget")
    review_round = services.open_round(drafting, people["office"])
    assert Proposal.objects.get(pk=drafting.pk).state == State.IN_REVIEW
    assert (review_round.number, review_round.rubric_name, review_round.overall_threshold) == (
        1,
        "Interreg IPA BG–TR",
        Decimal(10),
    )
    criteria = list(review_round.criteria.values_list("code", "scale_max", "step", "threshold", "weight"))
    assert criteria == [
        ("excellence", Decimal(5), Decimal("0.5"), Decimal(3), Decimal(1)),
        ("impact", Decimal(5), Decimal("0.5"), Decimal(3), Decimal(1)),
        ("implementation", Decimal(5), Decimal("0.5"), Decimal(3), Decimal(1)),
    ]
    assert sorted(v.number for v in review_round.versions.all()) == [1, 2]  # latest of each document
    assert latest in review_round.versions.all()
    assert review_round.due_at - timezone.now() > timedelta(days=13)
    # Later changes to the call's rubric or new uploads do not touch the round.
    Criterion.objects.filter(rubric=drafting.call.rubric).update(threshold=4)
    review_factories.proposal_set_with_version(drafting, uploaded_by=people["lead"], title="Annex")
    assert list(review_round.criteria.values_list("threshold", flat=True)) == [Decimal(3)] * 3
    assert review_round.versions.count() == 2


@pytest.mark.django_db
def test_without_a_call_rubric_the_office_default_is_used(make_proposal, people):
    default = factories.RubricFactory(name="Office default", is_office_default=True)
    proposal = make_proposal(state=State.DRAFTING, call=factories.CallFactory(rubric=None))
    review_round = services.open_round(proposal, people["office"])
    assert review_round.rubric_name == default.name
    assert review_round.versions.count() == 0  # no document set yet: nothing to freeze


@pytest.mark.django_db
def test_no_rubric_at_all_is_409_and_nothing_changes(api_client, make_proposal, people):
    proposal = make_proposal(state=State.DRAFTING, call=factories.CallFactory(rubric=None))
    response = api_client(people["office"]).post(
        f"/api/v1/proposals/{proposal.pk}/review-rounds/", {}, format="json"
    )
    assert response.status_code == 409
    assert [r["code"] for r in response.json()["reasons"]] == ["no_rubric"]
    assert Proposal.objects.get(pk=proposal.pk).state == State.DRAFTING
    assert not ReviewRound.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("state", [State.IDEA, State.READY, State.IN_REVIEW])
def test_a_round_opens_only_on_a_drafting_proposal(make_proposal, eu_call, people, state):
    proposal = make_proposal(state=state, call=eu_call)
    with pytest.raises(Conflict) as error:
        services.open_round(proposal, people["office"])
    assert codes(error.value) == ["wrong_state"]
    assert not ReviewRound.objects.exists()


@pytest.mark.django_db
def test_only_one_round_is_open_per_proposal_even_past_the_service(open_round, drafting, people):
    with pytest.raises(Conflict):
        services.open_round(Proposal.objects.get(pk=drafting.pk), people["office"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRound.objects.create(
            proposal=drafting, number=2, due_at=timezone.now(), rubric_name="x", opened_by=people["office"]
        )


@pytest.mark.django_db
def test_rounds_are_numbered_per_proposal(open_round, drafting, people):
    services.close_round(open_round, people["office"], feedback="Fine.")
    second = services.open_round(Proposal.objects.get(pk=drafting.pk), people["office"])
    assert second.number == 2


@pytest.mark.django_db
def test_the_team_cannot_open_a_round_and_another_team_does_not_see_the_proposal(
    api_client, drafting, people
):
    url = f"/api/v1/proposals/{drafting.pk}/review-rounds/"
    response = api_client(people["lead"]).post(url, {}, format="json")
    assert response.status_code == 409
    assert response.json()["reasons"][0]["code"] == "not_permitted"
    assert api_client(people["other_team"]).post(url, {}, format="json").status_code == 404
    assert api_client(people["other_team"]).get(url).status_code == 404
    assert not ReviewRound.objects.exists()


@pytest.mark.django_db
def test_a_due_date_in_the_past_is_400(api_client, drafting, people):
    response = api_client(people["office"]).post(
        f"/api/v1/proposals/{drafting.pk}/review-rounds/",
        {"due_at": (timezone.now() - timedelta(days=1)).isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert "due_at" in response.json()["fields"]
    assert Proposal.objects.get(pk=drafting.pk).state == State.DRAFTING


@pytest.mark.django_db
def test_closing_with_open_assignments_is_409_listing_them(api_client, open_round, assign, experts, people):
    assign(experts["ayse"])
    review_factories.accepted(assign(experts["mehmet"]))
    response = api_client(people["office"]).post(
        f"/api/v1/review-rounds/{open_round.pk}/close/", {"feedback": "Done."}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "assignments_open"
    assert [r["code"] for r in body["reasons"]] == ["assignment_open", "assignment_open"]
    assert "Ayşe Yılmaz" in body["reasons"][0]["message"] and "Invited" in body["reasons"][0]["message"]
    assert "Accepted" in body["reasons"][1]["message"]
    open_round.refresh_from_db()
    assert open_round.is_open and open_round.feedback == ""
    assert Proposal.objects.get(pk=open_round.proposal_id).state == State.IN_REVIEW


@pytest.mark.django_db
def test_closing_needs_feedback_and_the_office(api_client, open_round, people):
    url = f"/api/v1/review-rounds/{open_round.pk}/close/"
    assert api_client(people["office"]).post(url, {"feedback": "  "}, format="json").status_code == 400
    response = api_client(people["lead"]).post(url, {"feedback": "We are done"}, format="json")
    assert response.status_code == 409
    assert response.json()["reasons"][0]["code"] == "not_permitted"
    with pytest.raises(NotFound):
        services.close_round(open_round, people["other_team"], feedback="x")
    with pytest.raises(Invalid):
        services.close_round(open_round, people["office"], feedback="")


@pytest.mark.django_db
def test_closing_ends_the_review_and_a_closed_round_stays_closed(open_round, assign, experts, people):
    review_factories.submitted(assign(experts["ayse"]), {"excellence": 4, "impact": 4, "implementation": 4})
    services.transition_assignment(assign(experts["mehmet"]), "withdraw", people["office"])
    closed = services.close_round(open_round, people["office"], feedback="Well done.")
    assert (closed.is_open, closed.closed_by, closed.feedback) == (False, people["office"], "Well done.")
    assert Proposal.objects.get(pk=open_round.proposal_id).state == State.DRAFTING
    with pytest.raises(Conflict) as error:
        services.close_round(closed, people["office"], feedback="again")
    assert codes(error.value) == ["round_closed"]
    with pytest.raises(Conflict) as error:
        services.assign_reviewer(closed, people["office"], reviewer=experts["elena"])
    assert codes(error.value) == ["round_closed"]


@pytest.mark.django_db
def test_a_proposal_withdrawn_during_review_still_lets_the_round_close(open_round, people):
    from workflows.services import perform_transition

    perform_transition(open_round.proposal, "withdraw", people["lead"], reason="No co-financing.")
    closed = services.close_round(open_round, people["office"], feedback="Stopped.")
    assert not closed.is_open
    assert Proposal.objects.get(pk=open_round.proposal_id).state == State.WITHDRAWN
