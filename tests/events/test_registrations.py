"""Registering: who may, the window, the audience, the limits, the waiting list and how it moves."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from events.models import Event, Registration
from events.services import events as event_services
from events.services import registrations as services
from events.states import EventState, RegistrationState
from grants_office.core.errors import Conflict, Invalid, NotFound
from tests.concurrency import at_once
from tests.factories import EventFactory, MunicipalityFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


def _codes(error) -> list[str]:
    return [reason.code for reason in error.value.reasons]


def test_a_member_registers_and_the_seat_is_confirmed(member):
    event = EventFactory(capacity=2)
    registration = services.register(member, event)
    assert registration.state == RegistrationState.CONFIRMED
    assert registration.municipality.name == "Vize Belediyesi"
    assert registration.registered_by == member


def test_the_full_event_puts_people_on_the_waiting_list_and_cancelling_moves_it_in_order(make_member):
    event = EventFactory(capacity=1)
    first, second, third = (make_member(name) for name in ("A", "B", "C"))
    services.register(first, event)
    waiting = [services.register(second, event), services.register(third, event)]
    assert [r.state for r in waiting] == [RegistrationState.WAITLISTED] * 2
    services.cancel_registration(first, Registration.objects.get(person=first))
    states = dict(Registration.objects.values_list("person__username", "state"))
    assert states[second.username] == RegistrationState.CONFIRMED
    assert states[third.username] == RegistrationState.WAITLISTED


def test_without_a_waiting_list_a_full_event_refuses(make_member):
    event = EventFactory(capacity=1, waiting_list=False)
    services.register(make_member("A"), event)
    with pytest.raises(Conflict) as error:
        services.register(make_member("B"), event)
    assert _codes(error) == ["event_full"]


def test_outside_the_window_registration_is_refused(member):
    event = EventFactory(registration_opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(Conflict) as error:
        services.register(member, event)
    assert _codes(error) == ["outside_registration_window"]
    assert not Registration.objects.exists()


def test_a_draft_or_closed_event_takes_no_registration(member):
    closed = EventFactory(state=EventState.CLOSED)
    with pytest.raises(Conflict) as error:
        services.register(member, closed)
    assert _codes(error) == ["registration_not_open"]
    with pytest.raises(NotFound):
        services.register(member, EventFactory(state=EventState.DRAFT))


def test_double_registration_is_refused(member):
    event = EventFactory()
    services.register(member, event)
    with pytest.raises(Conflict) as error:
        services.register(member, event)
    assert _codes(error) == ["already_registered"]


def test_the_municipality_limit_counts_its_live_registrations(member, colleague):
    event = EventFactory(seats_per_municipality=1)
    services.register(member, event)
    with pytest.raises(Conflict) as error:
        services.register(member, event, person=colleague)
    assert _codes(error) == ["municipality_seats_taken"]


def test_the_team_lead_registers_a_colleague_and_a_member_may_not(member, colleague):
    event = EventFactory()
    registration = services.register(member, event, person=colleague)
    assert (registration.person, registration.registered_by) == (colleague, member)
    other = EventFactory()
    with pytest.raises(Conflict) as error:
        services.register(colleague, other, person=member)
    assert _codes(error) == ["not_permitted"]


def test_the_audience_decides_who_may_register(member, make_member):
    with_team = make_member("Çorlu Belediyesi", has_project_team=True)
    event = EventFactory(audience=Event.Audience.WITHOUT_PROJECT_TEAM)
    assert services.register(member, event).state == RegistrationState.CONFIRMED
    with pytest.raises(NotFound):  # not for them: they don't see it at all
        services.register(with_team, event)
    provinces = EventFactory(audience=Event.Audience.PROVINCES, audience_provinces=["Edirne"])
    with pytest.raises(NotFound):
        services.register(member, provinces)


def test_approval_holds_the_seat_until_the_office_decides(office, make_member):
    event = EventFactory(capacity=1, requires_approval=True)
    first = services.register(make_member("A"), event)
    second = services.register(make_member("B"), event)
    assert (first.state, second.state) == (RegistrationState.PENDING, RegistrationState.PENDING)
    assert services.approve_registration(office, first).state == RegistrationState.CONFIRMED
    assert services.approve_registration(office, second).state == RegistrationState.WAITLISTED
    with pytest.raises(Invalid):
        services.refuse_registration(office, second, reason=" ")
    refused = services.refuse_registration(office, second, reason="Only one seat per province.")
    assert (refused.state, refused.refusal_reason) == (
        RegistrationState.REFUSED,
        "Only one seat per province.",
    )


def test_refusing_a_seat_promotes_the_waiting_list(office, make_member):
    event = EventFactory(capacity=1)
    seated = services.register(make_member("A"), event)
    waiting = services.register(make_member("B"), event)
    services.refuse_registration(office, seated, reason="Registered twice by mistake.")
    waiting.refresh_from_db()
    assert waiting.state == RegistrationState.CONFIRMED


def test_the_office_moves_a_person_to_the_next_date(office, make_member):
    first_date, next_date = EventFactory(capacity=1), EventFactory(capacity=5)
    person = make_member("A")
    seated = services.register(person, first_date)
    waiting = services.register(make_member("B"), first_date)
    moved = services.move_registration(office, seated, to_event=next_date)
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert (moved.event, moved.person, moved.state) == (next_date, person, RegistrationState.CONFIRMED)
    assert (seated.state, seated.moved_to) == (RegistrationState.CANCELLED, moved)
    assert waiting.state == RegistrationState.CONFIRMED


def test_raising_the_capacity_promotes_the_waiting_list(office, make_member):
    event = EventFactory(capacity=1)
    services.register(make_member("A"), event)
    waiting = services.register(make_member("B"), event)
    event_services.update_event(office, event, capacity=2)
    waiting.refresh_from_db()
    assert waiting.state == RegistrationState.CONFIRMED


def test_nobody_cancels_once_the_event_began(member):
    event = EventFactory()
    registration = services.register(member, event)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(Conflict) as error:
        services.cancel_registration(member, registration)
    assert _codes(error) == ["event_started"]


def test_someone_else_may_not_cancel_a_registration(member, colleague, make_member):
    registration = services.register(member, EventFactory())
    for stranger in (make_member("B"), colleague):  # a colleague who is not the team lead neither
        with pytest.raises(Conflict) as error:
            services.cancel_registration(stranger, registration)
        assert _codes(error) == ["not_permitted"]
    registration.refresh_from_db()
    assert registration.state == RegistrationState.CONFIRMED


def test_a_person_on_no_members_team_cannot_be_registered(office):
    event = EventFactory()
    outsider = TeamMembershipFactory(municipality=MunicipalityFactory(membership_status="non_member")).user
    with pytest.raises(Invalid) as error:
        services.register(office, event, person=outsider)
    assert "municipality" in error.value.fields


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks race for real on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_two_people_racing_for_the_last_seat_get_one_seat_and_one_waiting_place(make_member):
    event = EventFactory(capacity=1)
    first, second = make_member("A"), make_member("B")

    def register(person):
        return lambda: services.register(person, event).state

    assert sorted(at_once(register(first), register(second))) == ["confirmed", "waitlisted"]
    assert Registration.objects.filter(state=RegistrationState.CONFIRMED).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks race for real on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_one_person_registering_twice_at_once_gets_one_place(member):
    event = EventFactory()

    def register():
        try:
            return services.register(member, event).state
        except Conflict as refused:
            return refused.reasons[0].code

    assert sorted(at_once(register, register)) == ["already_registered", "confirmed"]
