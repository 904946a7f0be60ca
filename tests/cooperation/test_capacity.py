"""A member's capacity on its page and in the API: its project team, trained project managers, the events
its people attended and the proposals it submitted since; names only for the office and its own team."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from cooperation.selectors.capacity import municipality_capacity
from events.models import Event, Session
from events.states import EventState
from tests.factories import (
    AttendanceFactory,
    CertificateFactory,
    EventFactory,
    MunicipalityFactory,
    ProposalFactory,
    RegistrationFactory,
    TeamMembershipFactory,
    UserFactory,
    office_staff,
)
from tests.querycount import assert_same_query_count
from workflows.models import Proposal

pytestmark = pytest.mark.django_db


def _held_event(days_ago: int, **fields) -> Event:
    event = EventFactory(state=EventState.HELD, **fields)
    shift = timezone.now() - timedelta(days=days_ago) - event.starts_at
    Session.objects.filter(event=event).update(starts_at=F("starts_at") + shift, ends_at=F("ends_at") + shift)
    Event.objects.filter(pk=event.pk).update(starts_at=F("starts_at") + shift, ends_at=F("ends_at") + shift)
    return Event.objects.get(pk=event.pk)


@pytest.fixture
def vize():
    """Vize has no project team; Ayşe took the project-manager training and holds its certificate."""
    vize = MunicipalityFactory(name="Vize Belediyesi", has_project_team=False)
    training = _held_event(100, title_en="Project-manager training", trains_project_managers=True)
    info = _held_event(50, title_en="Info day")
    ayse = RegistrationFactory(
        event=training, municipality=vize, person=UserFactory(first_name="Ayşe", last_name="Kaya")
    )
    AttendanceFactory(registration=ayse)
    CertificateFactory(registration=ayse, holder_name="Ayşe Kaya")
    AttendanceFactory(registration=RegistrationFactory(event=info, municipality=vize))
    RegistrationFactory(event=_held_event(10), municipality=vize)  # registered, not there: not attended
    before, since = ProposalFactory(lead=vize), ProposalFactory(lead=vize)
    Proposal.objects.filter(pk=before.pk).update(submitted_at=timezone.now() - timedelta(days=200))
    Proposal.objects.filter(pk=since.pk).update(submitted_at=timezone.now() - timedelta(days=20))
    return vize


def test_the_capacity_in_figures(vize, django_assert_num_queries):
    with django_assert_num_queries(4):
        capacity = municipality_capacity(vize)
    assert not capacity.has_project_team
    assert [manager.name for manager in capacity.trained_managers] == ["Ayşe Kaya"]
    assert [event.title for event in capacity.events] == ["Info day", "Project-manager training"]
    assert (capacity.submitted_since, capacity.submitted_before) == (1, 1)


def test_the_page_shows_names_to_its_team_and_the_office_only(vize, client_for):
    team = TeamMembershipFactory(municipality=vize).user
    outsider = TeamMembershipFactory(municipality=MunicipalityFactory()).user
    for reader in (team, office_staff()):
        page = client_for(reader).get(f"/members/{vize.pk}/")
        assert "Ayşe Kaya" in page.text and 'data-events-attended="2"' in page.text
        assert 'data-submitted-since="1"' in page.text
    page = client_for(outsider).get(f"/members/{vize.pk}/")
    assert 'data-project-team="no"' in page.text and 'data-events-attended="2"' in page.text
    assert "Ayşe Kaya" not in page.text


def test_the_api_answers_the_same_rule(vize, api_client):
    team = TeamMembershipFactory(municipality=vize).user
    body = api_client(team).get(f"/api/v1/municipalities/{vize.pk}/capacity/").json()
    assert body["details"] and body["trained_project_managers"][0]["name"] == "Ayşe Kaya"
    assert body["events_attended"] == 2 and body["submitted_since"] == 1
    outsider = TeamMembershipFactory(municipality=MunicipalityFactory()).user
    body = api_client(outsider).get(f"/api/v1/municipalities/{vize.pk}/capacity/").json()
    assert not body["details"] and body["trained_project_managers"] == [] and body["events_attended"] == 2
    assert api_client(team).get("/api/v1/municipalities/999999/capacity/").status_code == 404


def test_the_capacity_query_count_does_not_grow(api_client, django_assert_num_queries):
    """More events, trained people and proposals: the same reads (the API and the selector under it)."""
    vize = MunicipalityFactory(name="Vize Belediyesi")
    team = TeamMembershipFactory(municipality=vize).user

    def more(count):
        for _ in range(count):
            seat = RegistrationFactory(event=_held_event(30, trains_project_managers=True), municipality=vize)
            AttendanceFactory(registration=seat)
            CertificateFactory(registration=seat)
            since = ProposalFactory(lead=vize)
            Proposal.objects.filter(pk=since.pk).update(submitted_at=timezone.now() - timedelta(days=5))

    queries = assert_same_query_count(
        api_client(team),
        f"/api/v1/municipalities/{vize.pk}/capacity/",
        more,
        django_assert_num_queries,
        rows_in=lambda body: len(body["events"]),
    )
    body = api_client(team).get(f"/api/v1/municipalities/{vize.pk}/capacity/").json()
    assert len(body["trained_project_managers"]) == 5 and body["submitted_since"] == 5
    assert queries == 5  # the municipality and capacity's four (the person's teams are warm)
