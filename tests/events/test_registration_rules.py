"""Registering, continued: each refusal in its order, the waiting list moving in order on every way a
seat comes free, the office's decisions, the signals each write sends and the reads of seats."""

from datetime import timedelta

import pytest
from django.dispatch import receiver
from django.utils import timezone

from events import signals
from events.models import Event, Registration
from events.selectors import registrations as selectors
from events.services import events as event_services
from events.services import registrations as services
from events.states import EventState, RegistrationState
from grants_office.core.errors import Conflict, Invalid
from grants_office.members.models import TeamMembership
from tests.factories import EventFactory, MunicipalityFactory, RegistrationFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db

R = RegistrationState


def _codes(error) -> list[str]:
    return [reason.code for reason in error.value.reasons]


def _states(*registrations) -> list[str]:
    return [Registration.objects.get(pk=r.pk).state for r in registrations]


@pytest.fixture
def listen():
    """listen(signal) -> the list of the keyword arguments of each send, until the test ends."""
    connected = []

    def connect(signal):
        heard = []

        @receiver(signal, weak=False)
        def hear(sender, **kwargs):
            kwargs.pop("signal", None)
            heard.append(kwargs)

        connected.append((signal, hear))
        return heard

    yield connect
    for signal, hear in connected:
        signal.disconnect(hear)


# --- the refusals, in order ------------------------------------------------------------------------
def test_the_window_is_told_in_the_events_zone(member):
    opens = (timezone.now() + timedelta(days=2)).replace(hour=8, minute=0, second=0, microsecond=0)
    event = EventFactory(registration_opens_at=opens, time_zone="Asia/Tokyo")
    with pytest.raises(Conflict) as error:
        services.register(member, event)
    assert _codes(error) == ["outside_registration_window"]
    assert "Asia/Tokyo" in error.value.message


def test_a_closed_window_refuses_even_while_the_event_is_open(member):
    event = EventFactory(registration_closes_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(Conflict) as error:
        services.register(member, event)
    assert _codes(error) == ["outside_registration_window"]


def test_the_state_is_checked_before_the_window(member):
    event = EventFactory(state=EventState.CLOSED, registration_opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(Conflict) as error:
        services.register(member, event)
    assert _codes(error) == ["registration_not_open"]


def test_a_member_registers_herself_only_for_her_own_team(member, make_member):
    elsewhere = make_member("Edirne Belediyesi").team_memberships.get().municipality
    with pytest.raises(Conflict) as error:
        services.register(member, EventFactory(), municipality=elsewhere)
    assert _codes(error) == ["not_permitted"]


def test_the_team_lead_cannot_register_someone_off_the_team(member, make_member):
    stranger = make_member("Enez Belediyesi")
    event = EventFactory()
    with pytest.raises(Invalid) as error:  # for her own municipality: he is not on its team
        services.register(
            member, event, person=stranger, municipality=member.team_memberships.get().municipality
        )
    assert "person" in error.value.fields
    with pytest.raises(Conflict) as refused:  # for his: she does not lead that team
        services.register(member, event, person=stranger)
    assert _codes(refused) == ["not_permitted"]
    assert not Registration.objects.exists()


def test_the_office_registers_anyone_of_a_members_team(office, member):
    registration = services.register(office, EventFactory(), person=member)
    assert (registration.registered_by, registration.state) == (office, R.CONFIRMED)


def test_someone_on_two_teams_chooses_and_the_audience_decides(make_member):
    person = make_member("Vize Belediyesi", province="Kırklareli")
    other = MunicipalityFactory(name="Keşan Belediyesi", province="Edirne")
    TeamMembershipFactory(user=person, municipality=other, role=TeamMembership.Role.LEAD)
    event = EventFactory(audience=Event.Audience.PROVINCES, audience_provinces=["Kırklareli"])
    with pytest.raises(Invalid) as error:
        services.register(person, event)
    assert "municipality" in error.value.fields
    with pytest.raises(Conflict) as error:
        services.register(person, event, municipality=other)
    assert _codes(error) == ["not_in_audience"]
    vize = person.team_memberships.get(municipality__name="Vize Belediyesi").municipality
    assert services.register(person, event, municipality=vize).state == R.CONFIRMED


def test_a_refused_or_cancelled_registration_does_not_block_a_new_one(office, member):
    event = EventFactory()
    first = services.register(member, event)
    services.refuse_registration(office, first, reason="Wrong person.")
    again = services.register(member, event)
    assert again.state == R.CONFIRMED and again.pk != first.pk


def test_the_municipality_limit_counts_waiting_and_pending_places_too(member, colleague):
    event = EventFactory(seats_per_municipality=1, capacity=1)
    RegistrationFactory(event=event, state=R.CONFIRMED)  # someone else holds the one seat
    assert services.register(member, event).state == R.WAITLISTED
    with pytest.raises(Conflict) as error:
        services.register(member, event, person=colleague)
    assert _codes(error) == ["municipality_seats_taken"]
    assert "at most 1" in error.value.message


# --- the waiting list moves in order ---------------------------------------------------------------
def _full(capacity: int, waiting: int, make_member) -> tuple[Event, list, list]:
    event = EventFactory(capacity=capacity)
    seated = [services.register(make_member(f"S{n}"), event) for n in range(capacity)]
    queue = [services.register(make_member(f"W{n}"), event) for n in range(waiting)]
    assert _states(*queue) == [R.WAITLISTED] * waiting
    return event, seated, queue


def test_refusing_a_seat_gives_it_to_the_first_in_the_queue(office, make_member):
    _event, seated, queue = _full(1, 2, make_member)
    services.refuse_registration(office, seated[0], reason="Registered twice.")
    assert _states(*queue) == [R.CONFIRMED, R.WAITLISTED]


def test_moving_someone_away_gives_the_seat_to_the_first_in_the_queue(office, make_member):
    _event, seated, queue = _full(1, 2, make_member)
    services.move_registration(office, seated[0], to_event=EventFactory())
    assert _states(*queue) == [R.CONFIRMED, R.WAITLISTED]


def test_raising_the_capacity_seats_the_queue_in_order(office, make_member):
    event, _seated, queue = _full(1, 3, make_member)
    event_services.update_event(office, event, capacity=3)
    assert _states(*queue) == [R.CONFIRMED, R.CONFIRMED, R.WAITLISTED]
    event_services.update_event(office, event, capacity=None)
    assert _states(*queue) == [R.CONFIRMED] * 3


def test_cancelling_a_waiting_place_moves_nobody_up_but_shortens_the_queue(make_member):
    _event, _seated, queue = _full(1, 3, make_member)
    services.cancel_registration(queue[0].person, queue[0])
    assert _states(*queue[1:]) == [R.WAITLISTED, R.WAITLISTED]
    assert [selectors.waiting_position(Registration.objects.get(pk=r.pk)) for r in queue[1:]] == [1, 2]


def test_a_cancelled_registration_cannot_be_cancelled_again(member):
    registration = services.register(member, EventFactory())
    services.cancel_registration(member, registration)
    with pytest.raises(Conflict) as error:
        services.cancel_registration(member, registration)
    assert _codes(error) == ["not_live"]


def test_the_team_lead_and_whoever_registered_may_cancel(member, colleague):
    event = EventFactory()
    by_lead = services.register(member, event, person=colleague)
    assert services.cancel_registration(member, by_lead).state == R.CANCELLED
    own = services.register(colleague, event)
    assert services.cancel_registration(member, own).state == R.CANCELLED  # the team lead


# --- the office's decisions ------------------------------------------------------------------------
def test_only_a_pending_registration_is_approved(office, member):
    registration = services.register(member, EventFactory())
    with pytest.raises(Conflict) as error:
        services.approve_registration(office, registration)
    assert _codes(error) == ["not_pending"]


def test_a_member_does_not_approve(member, colleague):
    registration = services.register(member, EventFactory(requires_approval=True), person=colleague)
    with pytest.raises(Conflict) as error:
        services.approve_registration(member, registration)
    assert _codes(error) == ["not_permitted"]
    assert _states(registration) == [R.PENDING]


def test_approval_of_a_full_event_without_a_waiting_list_is_refused(office, make_member):
    event = EventFactory(capacity=1, requires_approval=True, waiting_list=False)
    first, second = (services.register(make_member(n), event) for n in ("A", "B"))
    services.approve_registration(office, first)
    with pytest.raises(Conflict) as error:
        services.approve_registration(office, second)
    assert _codes(error) == ["event_full"]
    assert _states(second) == [R.PENDING]


def test_nothing_is_approved_once_the_event_began(office, member):
    registration = services.register(member, EventFactory(requires_approval=True))
    Event.objects.filter(pk=registration.event_id).update(starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(Conflict) as error:
        services.approve_registration(office, registration)
    assert _codes(error) == ["event_started"]


def test_a_move_goes_to_the_waiting_list_when_the_other_date_is_full(office, member, make_member):
    later = EventFactory(capacity=1)
    services.register(make_member("B"), later)
    moved = services.move_registration(office, services.register(member, EventFactory()), to_event=later)
    assert moved.state == R.WAITLISTED and moved.municipality == member.team_memberships.get().municipality


def test_a_move_needs_an_announced_event_still_to_come_without_the_person(office, member):
    registration = services.register(member, EventFactory())
    for target in (EventFactory(state=EventState.DRAFT), EventFactory(state=EventState.HELD)):
        with pytest.raises(Conflict) as error:
            services.move_registration(office, registration, to_event=target)
        assert _codes(error) == ["event_started"]
    there = EventFactory()
    services.register(member, there)
    with pytest.raises(Conflict) as error:
        services.move_registration(office, registration, to_event=there)
    assert _codes(error) == ["already_registered"]
    with pytest.raises(Invalid):
        services.move_registration(office, registration, to_event=registration.event)
    assert _states(registration) == [R.CONFIRMED]


def test_the_office_moves_past_the_audience_and_the_window(office, member):
    elsewhere = EventFactory(
        audience=Event.Audience.PROVINCES,
        audience_provinces=["Edirne"],
        state=EventState.CLOSED,
        registration_closes_at=timezone.now() - timedelta(hours=1),
    )
    moved = services.move_registration(office, services.register(member, EventFactory()), to_event=elsewhere)
    assert (moved.event, moved.state) == (elsewhere, R.CONFIRMED)


# --- the signals -----------------------------------------------------------------------------------
def test_each_write_sends_its_signal(office, member, make_member, listen):
    created, confirmed = listen(signals.registration_created), listen(signals.registration_confirmed)
    cancelled, refused = listen(signals.registration_cancelled), listen(signals.registration_refused)
    moved = listen(signals.registration_moved)
    event = EventFactory(capacity=1)
    first = services.register(member, event)
    other = make_member("B")
    second = services.register(other, event)
    assert [(h["registration"].pk, h["by"]) for h in created] == [(first.pk, member), (second.pk, other)]
    services.cancel_registration(member, first)
    assert [(h["registration"].pk, h["by"]) for h in cancelled] == [(first.pk, member)]
    assert [(h["registration"].pk, h["by"]) for h in confirmed] == [(second.pk, None)]  # off the queue
    third = services.register(make_member("C"), event)
    services.refuse_registration(office, third, reason="No seat for a third.")
    assert [(h["registration"].pk, h["by"], h["reason"]) for h in refused] == [
        (third.pk, office, "No seat for a third.")
    ]
    new = services.move_registration(office, second, to_event=EventFactory())
    assert [(h["registration"].pk, h["by"]) for h in moved] == [(second.pk, office)]
    assert moved[0]["registration"].moved_to == new


def test_approving_tells_the_person_and_a_refusal_tells_nothing_else(office, member, listen):
    confirmed = listen(signals.registration_confirmed)
    registration = services.register(member, EventFactory(requires_approval=True))
    assert confirmed == []
    services.approve_registration(office, registration)
    assert [(h["registration"].pk, h["by"]) for h in confirmed] == [(registration.pk, office)]


def test_a_refusal_changes_nothing_and_sends_nothing(member, listen):
    created = listen(signals.registration_created)
    event = EventFactory(state=EventState.CLOSED)
    with pytest.raises(Conflict):
        services.register(member, event)
    assert created == [] and not Registration.objects.exists()


# --- the reads -------------------------------------------------------------------------------------
def test_seat_counts_in_one_query(make_member, django_assert_num_queries):
    event = EventFactory(capacity=3)
    for state in (R.CONFIRMED, R.CONFIRMED, R.PENDING, R.WAITLISTED, R.REFUSED, R.CANCELLED):
        RegistrationFactory(event=event, state=state)
    with django_assert_num_queries(1):
        seats = selectors.seat_counts(event)
    assert (seats.confirmed, seats.pending, seats.waitlisted, seats.left) == (2, 1, 1, 1)
    unlimited = EventFactory(capacity=None)
    assert selectors.seat_counts(unlimited).left is None


def test_the_annotated_place_matches_the_place_of_one(make_member):
    _event, _seated, queue = _full(1, 3, make_member)
    annotated = {r.pk: r.waiting_place for r in selectors.with_positions(Registration.objects.all())}
    assert [annotated[r.pk] for r in queue] == [1, 2, 3]
    assert [selectors.waiting_position(r) for r in queue] == [1, 2, 3]


def test_who_sees_which_registrations(office, member, colleague, make_member):
    event = EventFactory()
    own = services.register(colleague, event)
    lead_own = services.register(member, event)
    stranger = services.register(make_member("B"), event)

    def seen(user):
        return {r.pk for r in selectors.registrations_visible_to(user, event)}

    assert seen(office) == {own.pk, lead_own.pk, stranger.pk}
    assert seen(member) == {own.pk, lead_own.pk}
    assert seen(colleague) == {own.pk}
    assert [r.pk for r in selectors.my_registrations(colleague)] == [own.pk]
