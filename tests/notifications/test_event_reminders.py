"""The day-before reminder of an event (`reminders.event_reminders`, one of the scan's SOURCES): to each
confirmed registration's person, once per start, again when the event moves, in a fixed number of
queries."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from events.models import Event
from events.states import EventState, RegistrationState
from notifications import kinds, reminders, services
from notifications.models import Notification
from tests.factories import EventFactory, RegistrationFactory, UserFactory, UserProfileFactory

pytestmark = pytest.mark.django_db


def reader(language="en", **user):
    return UserProfileFactory(user=UserFactory(**user), language=language).user


def starting_in(hours: float, **fields) -> Event:
    """An event whose (first session's) start is `hours` away; registration closed by default."""
    event = EventFactory(**{"state": EventState.CLOSED, **fields})
    starts = (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)
    Event.objects.filter(pk=event.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=3))
    return Event.objects.get(pk=event.pk)  # a protected state field is not refreshed


def reminded() -> list[str]:
    rows = Notification.objects.filter(kind=kinds.EVENT_REMINDER)
    return sorted(rows.values_list("recipient__username", flat=True))


def test_the_scan_reminds_those_confirmed_once_the_day_before():
    event = starting_in(20, title_en="Project camp", place="Kıyıköy")
    for state in RegistrationState.values:
        RegistrationFactory(event=event, person=reader(username=state), state=state)
    RegistrationFactory(event=event, person=reader(username="inactive", is_active=False))

    services.scan_reminders()
    services.scan_reminders()  # the next scan: nothing twice

    assert reminded() == ["confirmed"]  # not waitlisted, pending, refused, cancelled or inactive
    row = Notification.objects.get(kind=kinds.EVENT_REMINDER)
    assert row.title == "Tomorrow: Project camp" and row.link == f"/events/{event.pk}/"
    assert row.body.startswith("Tomorrow: “Project camp” at ")
    assert row.body.endswith("(Europe/Istanbul time) in Kıyıköy.")
    start = event.starts_at.astimezone(UTC)
    assert row.occasion == f"starts {start:%Y-%m-%dT%H:%MZ} -1d"


def test_a_moved_event_is_reminded_again_and_the_same_start_never_twice():
    event = starting_in(20)
    RegistrationFactory(event=event, person=reader(username="selin"))
    services.scan_reminders()
    Event.objects.filter(pk=event.pk).update(starts_at=event.starts_at + timedelta(hours=2))
    services.scan_reminders()
    services.scan_reminders()
    assert reminded() == ["selin", "selin"]


@pytest.mark.parametrize(
    ("hours", "state"),
    [
        (30, EventState.CLOSED),  # more than a day away
        (-1, EventState.CLOSED),  # begun
        (20, EventState.CANCELLED),
        (20, EventState.DRAFT),
        (20, EventState.HELD),
    ],
)
def test_events_not_starting_within_a_day_or_not_to_come_are_not_reminded(hours, state):
    RegistrationFactory(event=starting_in(hours, state=state), person=reader())
    services.scan_reminders()
    assert reminded() == []


def test_an_open_event_is_reminded_too_in_the_persons_language():
    event = starting_in(10, state=EventState.OPEN, title_tr="Proje kampı", title_en="Project camp")
    RegistrationFactory(event=event, person=reader("tr", username="ayse"))
    services.scan_reminders()
    assert Notification.objects.get(kind=kinds.EVENT_REMINDER).title == "Yarın: Proje kampı"


def test_the_source_is_in_the_scan():
    assert reminders.event_reminders in reminders.SOURCES


def test_the_reminders_cost_the_same_queries_for_one_and_five_events(django_assert_num_queries):
    def add(count):
        for _index in range(count):
            event = starting_in(5)
            for _person in range(count):
                RegistrationFactory(event=event, person=reader())

    now = timezone.now()
    add(1)
    list(reminders.event_reminders(now))  # warm: the content type is cached once per process
    with django_assert_num_queries(2):  # the registrations with event and person, those reminded
        assert len(list(reminders.event_reminders(now))) == 1
    add(5)
    with django_assert_num_queries(2):
        assert len(list(reminders.event_reminders(now))) == 1 + 25
