"""A review round's due date falls before the proposal's deadline, by a margin of working days; a date
after it needs the office's explicit confirmation and flags the round."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests import factories
from tests.web.conftest import HTMX
from workflows.models import Proposal
from workflows.review.models import ReviewRound
from workflows.states import State

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
MONDAY, TUESDAY, WEDNESDAY, FRIDAY = 0, 1, 2, 4


def next_weekday_at_17(weekday: int, at_least_days: int) -> datetime:
    """17:00 Brussels on the first `weekday` at least `at_least_days` from today."""
    day = timezone.now().astimezone(BRUSSELS).date() + timedelta(days=at_least_days)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return datetime.combine(day, datetime.min.time().replace(hour=17), tzinfo=BRUSSELS)


def drafting_on(make_proposal, deadline, **call):
    call = factories.CallFactory(
        deadline=deadline, deadline_timezone="Europe/Brussels", rubric=factories.RubricFactory(), **call
    )
    return make_proposal(state=State.DRAFTING, call=call)


def open_round(api_client, user, proposal, **payload):
    return api_client(user).post(f"/api/v1/proposals/{proposal.pk}/review-rounds/", payload, format="json")


def due_of(response) -> datetime:
    return datetime.fromisoformat(response.json()["due_at"])


# --- the default ------------------------------------------------------------------------------------
def test_default_due_date_is_three_working_days_before_a_near_deadline(api_client, people, make_proposal):
    deadline = next_weekday_at_17(FRIDAY, 6)  # the LIFE case: two weeks would be long after it
    proposal = drafting_on(make_proposal, deadline)
    response = open_round(api_client, people["office"], proposal)
    assert response.status_code == 201
    due = due_of(response).astimezone(BRUSSELS)
    assert (due.weekday(), due.hour, due.minute) == (TUESDAY, 17, 0)
    assert due.date() == (deadline - timedelta(days=3)).date()
    assert response.json()["due_after_deadline"] is False


def test_the_margin_counts_working_days_over_a_weekend(api_client, people, make_proposal):
    deadline = next_weekday_at_17(MONDAY, 8)
    proposal = drafting_on(make_proposal, deadline)
    due = due_of(open_round(api_client, people["office"], proposal)).astimezone(BRUSSELS)
    assert (due.weekday(), due.date()) == (WEDNESDAY, (deadline - timedelta(days=5)).date())


def test_the_margin_is_a_setting(api_client, people, make_proposal, settings):
    settings.REVIEW_DUE_MARGIN_WORKING_DAYS = 5
    # ten days at least: the Friday before then lies 3 to 9 days ahead, past MIN_REVIEW_DAYS on any weekday
    deadline = next_weekday_at_17(FRIDAY, 10)
    proposal = drafting_on(make_proposal, deadline)
    due = due_of(open_round(api_client, people["office"], proposal)).astimezone(BRUSSELS)
    assert due.date() == (deadline - timedelta(days=7)).date()  # the Friday before


def test_a_far_deadline_keeps_two_weeks(api_client, people, make_proposal):
    proposal = drafting_on(make_proposal, timezone.now() + timedelta(days=60))
    before = timezone.now()
    response = open_round(api_client, people["office"], proposal)
    assert abs(due_of(response) - (before + timedelta(days=14))) < timedelta(minutes=1)
    assert response.json()["due_after_deadline"] is False


def test_without_a_call_the_default_is_two_weeks(api_client, people, make_proposal):
    factories.RubricFactory(is_office_default=True)
    proposal = make_proposal(state=State.DRAFTING, call=None)
    before = timezone.now()
    response = open_round(api_client, people["office"], proposal)
    assert response.status_code == 201
    assert abs(due_of(response) - (before + timedelta(days=14))) < timedelta(minutes=1)
    assert response.json()["due_after_deadline"] is False


def test_no_room_before_the_deadline_keeps_two_weeks_and_flags_the_round(api_client, people, make_proposal):
    proposal = drafting_on(make_proposal, timezone.now() + timedelta(days=2))
    before = timezone.now()
    response = open_round(api_client, people["office"], proposal)
    assert response.status_code == 201
    assert abs(due_of(response) - (before + timedelta(days=14))) < timedelta(minutes=1)
    assert response.json()["due_after_deadline"] is True


def test_a_stage2_proposal_counts_back_from_the_stage2_deadline(api_client, people, make_proposal):
    stage2 = next_weekday_at_17(FRIDAY, 6)
    call = factories.CallFactory(
        is_two_stage=True,
        deadline=timezone.now() - timedelta(days=30),
        stage2_deadline=stage2,
        rubric=factories.RubricFactory(),
    )
    proposal = make_proposal(state=State.DRAFTING, call=call, stage=2)
    due = due_of(open_round(api_client, people["office"], proposal)).astimezone(BRUSSELS)
    assert due.date() == (stage2 - timedelta(days=3)).date()


# --- a date named by the office -----------------------------------------------------------------------
def test_a_due_date_after_the_deadline_needs_confirmation(api_client, people, make_proposal):
    deadline = timezone.now() + timedelta(days=5)
    proposal = drafting_on(make_proposal, deadline)
    late = (deadline + timedelta(days=4)).isoformat()

    response = open_round(api_client, people["office"], proposal, due_at=late)
    assert response.status_code == 400
    assert "after the deadline" in " ".join(response.json()["fields"]["due_at"])
    assert Proposal.objects.get(pk=proposal.pk).state == State.DRAFTING
    assert not ReviewRound.objects.exists()

    response = open_round(api_client, people["office"], proposal, due_at=late, confirm_after_deadline=True)
    assert response.status_code == 201
    assert response.json()["due_after_deadline"] is True
    listed = api_client(people["office"]).get(f"/api/v1/proposals/{proposal.pk}/review-rounds/").json()
    assert [r["due_after_deadline"] for r in listed["results"]] == [True]


def test_a_due_date_before_the_deadline_needs_no_confirmation(api_client, people, make_proposal):
    deadline = timezone.now() + timedelta(days=5)
    proposal = drafting_on(make_proposal, deadline)
    response = open_round(
        api_client, people["office"], proposal, due_at=(deadline - timedelta(hours=1)).isoformat()
    )
    assert response.status_code == 201
    assert response.json()["due_after_deadline"] is False


def test_an_assignment_due_after_the_deadline_needs_confirmation_and_flags_the_round(
    api_client, people, make_proposal
):
    from tests.factories import review as review_factories

    deadline = timezone.now() + timedelta(days=20)
    proposal = drafting_on(make_proposal, deadline)
    round_id = open_round(api_client, people["office"], proposal).json()["id"]
    reviewer = review_factories.expert()
    url = f"/api/v1/review-rounds/{round_id}/assignments/"
    late = (deadline + timedelta(days=2)).isoformat()
    office = api_client(people["office"])

    response = office.post(url, {"reviewer": reviewer.pk, "due_at": late}, format="json")
    assert response.status_code == 400 and "due_at" in response.json()["fields"]
    assert not ReviewRound.objects.get(pk=round_id).assignments.exists()

    payload = {"reviewer": reviewer.pk, "due_at": late, "confirm_after_deadline": True}
    assert office.post(url, payload, format="json").status_code == 201
    assert office.get(f"/api/v1/review-rounds/{round_id}/").json()["due_after_deadline"] is True


# --- the page -----------------------------------------------------------------------------------------
@pytest.fixture
def office_page(client_for, people):
    return client_for(people["office"])


def test_page_offers_the_default_and_asks_to_confirm_a_late_date(office_page, make_proposal):
    deadline = next_weekday_at_17(FRIDAY, 6)
    proposal = drafting_on(make_proposal, deadline)
    section = office_page.get(f"/proposals/{proposal.pk}/review/", **HTMX).content.decode()
    margin = timezone.localtime(deadline - timedelta(days=3))
    assert f'value="{margin:%Y-%m-%dT%H:%M}"' in section
    assert 'name="confirm_after_deadline"' in section

    late = timezone.localtime(deadline + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    url = f"/proposals/{proposal.pk}/review/open/"
    response = office_page.post(url, {"due_at": late}, **HTMX)
    assert response.status_code == 400
    assert "after the deadline" in response.content.decode()
    assert not ReviewRound.objects.exists()

    response = office_page.post(url, {"due_at": late, "confirm_after_deadline": "on"}, **HTMX)
    assert response.status_code == 200
    review_round = ReviewRound.objects.get(proposal=proposal)
    assert review_round.due_after_deadline is True
    section = office_page.get(f"/proposals/{proposal.pk}/review/", **HTMX).content.decode()
    assert "due-after-deadline" in section
