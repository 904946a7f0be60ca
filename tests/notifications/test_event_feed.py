"""Events in a person's private calendar feed: one VEVENT per session of the events they hold a live
registration for or train at (no drafts), at its times in the event's zone, a cancelled one marked so,
and SEQUENCE counted up when what it says changes."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.models import Event
from events.states import EventState, RegistrationState
from notifications import services
from tests.factories import (
    EventFactory,
    ExpertProfileFactory,
    ProgrammeFactory,
    RegistrationFactory,
    UserFactory,
    UserProfileFactory,
)

pytestmark = pytest.mark.django_db


def reader(language="en", **user):
    return UserProfileFactory(user=UserFactory(**user), language=language).user


def fetch(user) -> icalendar.Calendar:
    """The person's feed as a calendar app reads it: no session, no cookie."""
    response = Client().get(f"/feeds/{services.calendar_feed_of(user).token}/calendar.ics")
    assert response.status_code == 200, response.content[:300]
    return icalendar.Calendar.from_ical(response.content)


def sessions(user) -> dict[str, icalendar.Event]:
    """The feed's event sessions by UID (without the host)."""
    found = {str(event["UID"]): event for event in fetch(user).events}
    return {uid.split("@")[0]: event for uid, event in found.items() if uid.startswith("event-")}


def set_state(event: Event, state: str) -> None:
    Event.objects.filter(pk=event.pk).update(state=state)  # the machine is the events services' matter


def test_a_registered_person_gets_every_session_at_its_times_in_the_events_zone():
    person = reader()
    camp = EventFactory(
        sessions=3,
        title_en="Project camp",
        kind=Event.Kind.PROJECT_CAMP,
        place="Kıyıköy",
        online_url="https://meet.example/kamp",
        time_zone="Europe/Brussels",
    )
    camp.programmes.add(ProgrammeFactory(name="Erasmus+"))
    RegistrationFactory(event=camp, person=person, state=RegistrationState.WAITLISTED)

    mine = sessions(person)

    days = list(camp.sessions.order_by("starts_at"))
    assert sorted(mine) == sorted(f"event-{camp.pk}-session-{day.pk}" for day in days)
    first = mine[f"event-{camp.pk}-session-{days[0].pk}"]
    assert str(first["UID"]) == f"event-{camp.pk}-session-{days[0].pk}@testserver"
    assert first["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert first.start == days[0].starts_at and first.start.tzinfo == ZoneInfo("Europe/Brussels")
    assert first.end == days[0].ends_at
    assert str(first["SUMMARY"]) == "Project camp – 1"
    assert str(first["LOCATION"]) == "Kıyıköy" and str(first["TRANSP"]) == "OPAQUE"
    assert "STATUS" not in first
    description = str(first["DESCRIPTION"]).splitlines()
    assert description[:4] == [
        "Project-preparation camp",
        "Erasmus+",
        "Your registration: On the waiting list",
        "https://meet.example/kamp",
    ]
    assert description[-1] == f"http://testserver/events/{camp.pk}/"


def test_a_trainer_gets_the_sessions_of_the_events_they_train_at():
    trainer = ExpertProfileFactory(user=reader())
    event = EventFactory(sessions=2, place="", online_url="https://meet.example/w")
    event.trainers.add(trainer)
    mine = sessions(trainer.user)
    assert len(mine) == 2
    first = next(iter(mine.values()))
    assert str(first["LOCATION"]) == "https://meet.example/w"
    assert "You train at this event." in str(first["DESCRIPTION"])


def test_only_live_registrations_of_announced_events_are_in_the_feed():
    person = reader()
    for state in (RegistrationState.REFUSED, RegistrationState.CANCELLED):
        RegistrationFactory(person=person, state=state)
    RegistrationFactory(person=person, event=EventFactory(state=EventState.DRAFT))
    RegistrationFactory(person=reader())  # someone else's
    assert sessions(person) == {}


def test_a_cancelled_event_stays_marked_cancelled_with_its_sequence_counted_up():
    person = reader()
    event = EventFactory()
    Event.objects.filter(pk=event.pk).update(cancellation_reason="The trainer is ill.")
    RegistrationFactory(event=event, person=person)
    (before,) = sessions(person).values()

    set_state(event, EventState.CANCELLED)

    (after,) = sessions(person).values()
    assert str(after["STATUS"]) == "CANCELLED"
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert "Cancelled: The trainer is ill." in str(after["DESCRIPTION"])


@pytest.mark.parametrize(
    "change",
    [
        {"place": "Edirne"},
        {"title_en": "Project camp, new name"},
        {"online_url": "https://meet.example/new"},
    ],
)
def test_a_change_of_what_a_session_says_counts_its_sequence_up(change):
    person = reader()
    event = EventFactory()
    RegistrationFactory(event=event, person=person)
    (before,) = sessions(person).values()
    (again,) = sessions(person).values()
    assert int(again["SEQUENCE"]) == int(before["SEQUENCE"])  # nothing changed

    Event.objects.filter(pk=event.pk).update(**change)

    (after,) = sessions(person).values()
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1


def test_a_moved_session_counts_its_sequence_up():
    person = reader()
    event = EventFactory()
    RegistrationFactory(event=event, person=person)
    (before,) = sessions(person).values()
    session = event.sessions.get()
    session.starts_at += timedelta(hours=1)
    session.ends_at += timedelta(hours=1)
    session.save()
    (after,) = sessions(person).values()
    assert after.start == session.starts_at
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1


def test_readers_of_two_languages_each_read_their_title_and_share_one_sequence():
    turkish, english = reader("tr"), reader("en")
    event = EventFactory(title_tr="Proje kampı", title_en="Project camp")
    for person in (turkish, english):
        RegistrationFactory(event=event, person=person)

    (in_turkish,) = sessions(turkish).values()
    (in_english,) = sessions(english).values()
    (in_turkish_again,) = sessions(turkish).values()

    assert str(in_turkish["SUMMARY"]).startswith("Proje kampı")
    assert str(in_english["SUMMARY"]).startswith("Project camp")
    # what the session says is the same in both languages: reading it in another counts nothing up
    assert int(in_turkish["SEQUENCE"]) == int(in_english["SEQUENCE"]) == int(in_turkish_again["SEQUENCE"])


def test_the_feed_says_it_holds_the_events():
    calendar = fetch(reader())
    assert "the events you are registered for or train at" in str(calendar["X-WR-CALDESC"])


def feed_queries(user) -> tuple[int, int]:
    """(the queries of a fetch, the number of event sessions), after a fetch that records new ones."""
    fetch(user)
    with CaptureQueriesContext(connection) as captured:
        found = sessions(user)
    return len(captured), len(found)


def test_the_events_cost_the_same_queries_for_one_and_five_events():
    person = ExpertProfileFactory(user=reader()).user

    def add(count):
        for _index in range(count):
            registered = EventFactory(sessions=2)
            registered.programmes.add(ProgrammeFactory(), ProgrammeFactory())
            RegistrationFactory(event=registered, person=person)
            EventFactory().trainers.add(person.expert_profile)

    none = feed_queries(person)
    add(1)
    one = feed_queries(person)
    add(4)
    five = feed_queries(person)
    assert (none[1], one[1], five[1]) == (0, 3, 15)
    assert one[0] == five[0], f"{one[0]} queries for one event of each, {five[0]} for five"
    # the sessions are read always; once there are some, their programmes and the feed's revisions too
    assert one[0] == none[0] + 2
