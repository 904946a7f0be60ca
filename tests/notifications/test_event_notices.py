"""Notifications of events: registrations, the waiting list, changes, cancellations, certificates (the
events services send their signals, the relay writes the notifications), the day-before reminder and the
events in a person's calendar feed."""

from datetime import timedelta

import icalendar
import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from events.models import Event
from events.services import events as event_services
from events.services import registrations as services
from events.states import EventState, RegistrationState
from grants_office.members.models import TeamMembership
from notifications import kinds, reminders
from notifications import services as notification_services
from notifications.models import Notification
from tests.factories import (
    EventFactory,
    ExpertProfileFactory,
    MunicipalityFactory,
    RegistrationFactory,
    TeamMembershipFactory,
    UserProfileFactory,
    office_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a service as a request would: its transaction commits, then the outbox is relayed."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            return action(*args, **kwargs)

    return run


def _person(name: str, language: str = "en", role=TeamMembership.Role.LEAD):
    user = TeamMembershipFactory(municipality=MunicipalityFactory(name=name), role=role).user
    UserProfileFactory(user=user, language=language)
    return user


def told(kind) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def office():
    user = office_staff(username="ofis")
    UserProfileFactory(user=user, language="en")
    return user


def test_the_waiting_list_is_told_when_a_place_comes_free(run, office):
    event = EventFactory(capacity=1, title_en="Project camp", title_tr="Proje kampı")
    first, second = _person("A"), _person("B", language="tr")
    run(services.register, office, event, person=first)
    waiting = run(services.register, office, event, person=second)
    assert told(kinds.EVENT_REGISTERED) == [first.username]
    (row,) = Notification.objects.filter(kind=kinds.EVENT_WAITLISTED)
    assert row.recipient == second and "Proje kampı" in row.title  # Turkish reader, Turkish title
    assert row.link == f"/events/{event.pk}/"
    run(services.cancel_registration, first, first.event_registrations.get())
    assert told(kinds.EVENT_PROMOTED) == [second.username]
    assert told(kinds.EVENT_REGISTRATION_CANCELLED) == []  # she cancelled it herself
    waiting.refresh_from_db()
    assert waiting.state == RegistrationState.CONFIRMED


def test_registering_oneself_tells_nobody_and_a_refusal_gives_the_reason(run, office):
    event = EventFactory(requires_approval=True, title_en="Training")
    person = _person("A")
    registration = run(services.register, person, event)
    assert Notification.objects.filter(kind=kinds.EVENT_PENDING).count() == 0  # the page told her
    run(services.refuse_registration, office, registration, reason="Only one seat per municipality.")
    (row,) = Notification.objects.filter(kind=kinds.EVENT_REFUSED)
    assert "Only one seat per municipality." in row.body


def test_a_change_and_a_cancellation_tell_everyone_registered(run, office):
    event = EventFactory(place="Vize", title_en="Camp")
    seated, waiting, gone = _person("A"), _person("B"), _person("C")
    RegistrationFactory(event=event, person=seated)
    RegistrationFactory(event=event, person=waiting, state=RegistrationState.WAITLISTED)
    RegistrationFactory(event=event, person=gone, state=RegistrationState.CANCELLED)
    run(event_services.update_event, office, event, place="Edirne")
    assert told(kinds.EVENT_CHANGED) == sorted([seated.username, waiting.username])
    assert "Edirne" in Notification.objects.filter(kind=kinds.EVENT_CHANGED).first().body
    run(
        event_services.transition_event,
        office,
        Event.objects.get(pk=event.pk),
        "cancel",
        reason="The trainer is ill.",
    )
    assert told(kinds.EVENT_CANCELLED) == sorted([seated.username, waiting.username])
    assert "The trainer is ill." in Notification.objects.filter(kind=kinds.EVENT_CANCELLED).first().body


def test_the_day_before_reminder_goes_once_to_those_confirmed(office):
    event = EventFactory(state=EventState.CLOSED)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() + timedelta(hours=20))
    seated, waiting = _person("A"), _person("B")
    RegistrationFactory(event=event, person=seated)
    RegistrationFactory(event=event, person=waiting, state=RegistrationState.WAITLISTED)
    notification_services.notify_many(reminders.event_reminders(timezone.now()))
    notification_services.notify_many(reminders.event_reminders(timezone.now()))
    assert told(kinds.EVENT_REMINDER) == [seated.username]
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() + timedelta(hours=22))
    notification_services.notify_many(reminders.event_reminders(timezone.now()))
    assert told(kinds.EVENT_REMINDER) == [seated.username, seated.username]  # moved: a new occasion


def test_the_reminder_scan_costs_the_same_for_1_and_5_events(django_assert_num_queries):
    def make(n):
        for _ in range(n):
            event = EventFactory(state=EventState.CLOSED)
            Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() + timedelta(hours=5))
            RegistrationFactory(event=event, person=_person(f"P{Event.objects.count()}"))

    make(1)
    with django_assert_num_queries(2):
        assert len(list(reminders.event_reminders(timezone.now()))) == 1
    make(4)
    with django_assert_num_queries(2):
        assert len(list(reminders.event_reminders(timezone.now()))) == 5


def test_the_calendar_feed_holds_registered_events_and_marks_a_cancelled_one(office):
    person = _person("A")
    trainer = ExpertProfileFactory()
    UserProfileFactory(user=trainer.user, language="en")
    camp = EventFactory(sessions=3, title_en="Camp", place="Kıyıköy")
    camp.trainers.add(trainer)
    RegistrationFactory(event=camp, person=person)
    off = EventFactory(title_en="Info day")
    RegistrationFactory(event=off, person=person)
    Event.objects.filter(pk=off.pk).update(state=EventState.CANCELLED)
    EventFactory(title_en="Not mine")

    def feed(user) -> dict:
        token = notification_services.calendar_feed_of(user).token
        calendar = icalendar.Calendar.from_ical(Client().get(f"/feeds/{token}/calendar.ics").content)
        return {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}

    mine = feed(person)
    sessions = [uid for uid in mine if uid.startswith(f"event-{camp.pk}-")]
    assert len(sessions) == 3 and str(mine[sessions[0]]["LOCATION"]) == "Kıyıköy"
    (cancelled,) = [e for uid, e in mine.items() if uid.startswith(f"event-{off.pk}-")]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert not any("Not mine" in str(e["SUMMARY"]) for e in mine.values())
    assert len([uid for uid in feed(trainer.user) if uid.startswith("event-")]) == 3
    Event.objects.filter(pk=camp.pk).update(place="Edirne")
    assert int(feed(person)[sessions[0]]["SEQUENCE"]) == int(mine[sessions[0]]["SEQUENCE"]) + 1
