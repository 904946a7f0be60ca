"""Consultations on the proposal page: the office schedules (or records) one; the team reads them."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.factories import ExpertProfileFactory, TeamMembershipFactory, office_staff
from tests.querycount import assert_same_query_count
from tests.web.conftest import HTMX
from workflows.models import Consultation
from workflows.states import State

pytestmark = pytest.mark.django_db


def url(proposal) -> str:
    return f"/proposals/{proposal.pk}/consultations/"


def page(client, proposal) -> str:
    return client.get(f"/proposals/{proposal.pk}/").content.decode()


@pytest.fixture
def expert(db):
    return ExpertProfileFactory(user__first_name="Deniz", user__last_name="Aydemir").user


def test_the_office_schedules_a_consultation_with_the_team(client_for, people, make_proposal, expert):
    proposal = make_proposal(state=State.CONSULTATION)
    client = client_for(people["office"])
    html = page(client, proposal)
    assert 'id="id_consultation_held_at"' in html and 'type="datetime-local"' in html
    assert "Deniz Aydemir" in html  # the expert pool is offered with the office

    response = client.post(
        url(proposal),
        {
            "held_at": "2026-12-03T10:30",
            "office_experts": [people["office"].pk, expert.pk],
            "team_participants": [people["lead"].pk, people["partner"].pk],
            "notes": "Ortaklık protokolü konuşulacak.",
            "agreed_actions": "",
        },
        **HTMX,
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    body = response.content.decode()
    consultation = Consultation.objects.get(proposal=proposal)
    # entered in the person's time zone (Europe/Istanbul by default), stored in UTC
    assert consultation.held_at == timezone.datetime(2026, 12, 3, 10, 30, tzinfo=ZoneInfo("Europe/Istanbul"))
    assert set(consultation.office_experts.all()) == {people["office"], expert}
    assert set(consultation.team_participants.all()) == {people["lead"], people["partner"]}
    assert consultation.created_by == people["office"]
    assert body.lstrip().startswith('<section aria-labelledby="consultations-heading"')
    assert "The consultation of 2026-12-03 10:30 is recorded." in body
    assert "Ortaklık protokolü konuşulacak." in body


def test_without_javascript_the_office_is_sent_back_to_the_list(client_for, people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING)
    response = client_for(people["office"]).post(url(proposal), {"held_at": "2026-12-03T10:30"})
    assert response.status_code == 302
    assert response["Location"] == f"/proposals/{proposal.pk}/#consultations"
    assert Consultation.objects.filter(proposal=proposal).count() == 1


def test_a_planned_consultation_is_marked_as_planned(client_for, people, make_proposal):
    proposal = make_proposal(state=State.CONSULTATION)
    Consultation.objects.create(
        proposal=proposal, held_at=timezone.now() + timedelta(days=3), created_by=people["office"]
    )
    assert 'class="tag tag--planned"' in page(client_for(people["lead"]), proposal)


@pytest.mark.parametrize(
    "data, field",
    [
        ({"held_at": ""}, "held_at"),
        ({"held_at": "next tuesday"}, "held_at"),
        ({"held_at": "2026-12-03T10:30", "team_participants": ["other_team"]}, "team_participants"),
        ({"held_at": "2026-12-03T10:30", "office_experts": ["nobody"]}, "office_experts"),
    ],
)
def test_bad_input_is_400_with_the_errors_and_records_nothing(client_for, people, make_proposal, data, field):
    proposal = make_proposal(state=State.CONSULTATION)
    data = {
        name: [people[value].pk for value in values] if isinstance(values, list) else values
        for name, values in data.items()
    }
    response = client_for(people["office"]).post(url(proposal), data, **HTMX)
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        f'id="id_consultation_{field}_error"' in body and '<details class="consultation-form" open>' in body
    )
    assert not Consultation.objects.exists()


@pytest.mark.parametrize("role", ["lead", "member", "partner"])
def test_the_team_reads_consultations_but_may_not_schedule_them(client_for, people, make_proposal, role):
    proposal = make_proposal(state=State.CONSULTATION)
    client = client_for(people[role])
    assert "id_consultation_held_at" not in page(client, proposal)
    response = client.post(url(proposal), {"held_at": "2026-12-03T10:30"}, **HTMX)
    assert response.status_code == 409
    assert 'data-reason="not_permitted"' in response.content.decode()
    assert not Consultation.objects.exists()


def test_after_drafting_no_consultation_is_scheduled(client_for, people, make_proposal):
    proposal = make_proposal(state=State.SUBMITTED)
    client = client_for(people["office"])
    assert "id_consultation_held_at" not in page(client, proposal)
    response = client.post(url(proposal), {"held_at": "2026-12-03T10:30"}, **HTMX)
    assert response.status_code == 409
    assert 'data-reason="wrong_state"' in response.content.decode()
    assert not Consultation.objects.exists()


@pytest.mark.parametrize("role", ["other_team", "nobody"])
def test_people_without_access_get_404(client_for, people, make_proposal, role):
    proposal = make_proposal(state=State.CONSULTATION)
    response = client_for(people[role]).post(url(proposal), {"held_at": "2026-12-03T10:30"}, **HTMX)
    assert response.status_code == 404
    assert not Consultation.objects.exists()


def test_only_post_is_accepted(client_for, people, make_proposal):
    proposal = make_proposal(state=State.CONSULTATION)
    assert client_for(people["office"]).get(url(proposal)).status_code == 405


def test_the_proposal_page_with_the_form_costs_the_same_for_one_and_five_consultations(
    client_for, people, make_proposal, django_assert_num_queries
):
    proposal = make_proposal(state=State.CONSULTATION, document_set=None)

    def add(n):
        for _ in range(n):
            consultation = Consultation.objects.create(
                proposal=proposal, held_at=timezone.now(), created_by=people["office"]
            )
            consultation.office_experts.set([office_staff()])
            consultation.team_participants.set([TeamMembershipFactory(municipality=proposal.lead).user])

    measured = assert_same_query_count(
        client_for(people["office"]),
        f"/proposals/{proposal.pk}/",
        add,
        django_assert_num_queries,
        rows_in=lambda html: html.count("data-consultation="),
    )
    assert measured > 0
