"""The moments the results count by: the submission that counts (`submitted_at`) and the day of the
funder's decision (`decided_on`, from its letter), recorded by the transitions, validated, on the API."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import CallFactory
from workflows import lifecycle
from workflows.models import Proposal
from workflows.states import State

pytestmark = pytest.mark.django_db


def move(client, proposal, name, **data):
    return client.post(f"/api/v1/proposals/{proposal.pk}/transitions/{name}/", data, format="json")


@pytest.fixture
def ready(make_proposal):
    call = CallFactory(deadline=timezone.now() + timedelta(days=2))
    return make_proposal(
        state=State.READY, call=call, requested_amount=Decimal("100000"), total_budget=Decimal("200000")
    )


@pytest.fixture
def submitted(api_client, people, ready):
    at = timezone.now() - timedelta(days=3)
    response = move(api_client(people["office"]), ready, "submit", funder_reference="R-1", submitted_at=at)
    assert response.status_code == 200, response.content
    return ready, at


def test_the_submission_that_counts_is_kept_on_the_proposal(api_client, people, submitted):
    proposal, first = submitted
    office = api_client(people["office"])
    later = first + timedelta(days=1)
    assert move(office, proposal, "resubmit", funder_reference="R-2", submitted_at=later).status_code == 200
    proposal.refresh_from_db()
    assert proposal.submitted_at == later
    body = office.get(f"/api/v1/proposals/{proposal.pk}/").json()
    assert body["submitted_at"] is not None and body["decided_on"] is None


def test_a_decision_records_the_date_of_the_funders_letter(api_client, people, submitted):
    proposal, at = submitted
    letter = timezone.localdate(at) + timedelta(days=1)
    office = api_client(people["office"])
    response = move(office, proposal, "award", awarded_amount="90000", decided_on=letter.isoformat())
    assert response.status_code == 200, response.content
    assert response.json()["decided_on"] == letter.isoformat()
    assert Proposal.objects.get(pk=proposal.pk).decided_on == letter


def test_without_a_date_the_decision_is_dated_today(api_client, people, submitted):
    proposal, _at = submitted
    assert move(api_client(people["office"]), proposal, "put_on_reserve").status_code == 200
    proposal.refresh_from_db()
    assert proposal.decided_on == timezone.localdate()
    # the final decision later replaces the reserve list's date
    assert move(api_client(people["office"]), proposal, "reject").status_code == 200
    assert Proposal.objects.get(pk=proposal.pk).state == State.REJECTED


@pytest.mark.parametrize(
    ("offset", "code"),
    [(timedelta(days=1), "future"), (timedelta(days=-30), "before_submission")],
)
def test_a_decision_date_in_the_future_or_before_the_submission_is_400(
    api_client, people, submitted, offset, code
):
    proposal, _at = submitted
    day = timezone.localdate() + offset
    response = move(api_client(people["office"]), proposal, "reject", decided_on=day.isoformat())
    assert response.status_code == 400, response.content
    assert "decided_on" in response.json()["fields"]
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decided_on) == (State.SUBMITTED, None)


def test_the_transitions_list_names_the_decision_date_field(api_client, people, submitted):
    proposal, _at = submitted
    body = api_client(people["office"]).get(f"/api/v1/proposals/{proposal.pk}/transitions/").json()
    award = next(t for t in body["transitions"] if t["name"] == "award")
    fields = {field["name"]: field for field in award["fields"]}
    assert fields["decided_on"]["type"] == "date"
    assert fields["decided_on"]["required"] is False
    assert fields["awarded_amount"]["required"] is True


def test_a_garbled_decision_date_is_400(api_client, people, submitted):
    proposal, _at = submitted
    response = move(api_client(people["office"]), proposal, "reject", decided_on="31.02.2026")
    assert response.status_code == 400
    assert Proposal.objects.get(pk=proposal.pk).decided_on is None


def test_the_decisions_are_the_steps_that_take_the_decision_date():
    assert lifecycle.decision_names() == {
        "award",
        "put_on_reserve",
        "reject",
        "declare_ineligible",
        "invite_to_stage2",
    }
