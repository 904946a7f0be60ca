"""Notifications of events end to end: the events services send their signals in the transaction of the
change, the receiver writes an outbox row in it, the relay writes the notifications once it commits
(or the sweep, when the relay task was lost), each once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from events import signals
from events.models import Event, Registration
from events.services import events as event_services
from events.services import registrations as services
from events.states import RegistrationState
from grants_office.members.models import TeamMembership
from notifications import kinds, outbox
from notifications.models import Notification, OutboxEvent
from tests.factories import (
    EventFactory,
    MunicipalityFactory,
    RegistrationFactory,
    TeamMembershipFactory,
    UserProfileFactory,
    office_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a service as a request does: its transaction commits, then the outbox row is relayed."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            return action(*args, **kwargs)

    return run


def member(name: str, language: str = "en", role=TeamMembership.Role.LEAD):
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


def test_a_seat_that_comes_free_goes_to_the_waiting_list_and_tells_its_person(run, office):
    event = EventFactory(capacity=1, title_en="Project camp", title_tr="Proje kampı")
    first, second = member("A"), member("B", language="tr")
    run(services.register, office, event, person=first)
    waiting = run(services.register, office, event, person=second)
    assert told(kinds.EVENT_REGISTERED) == [first.username]
    (row,) = Notification.objects.filter(kind=kinds.EVENT_WAITLISTED)
    assert row.recipient == second and row.title == "Bekleme listesi: Proje kampı"  # the Turkish reader's
    assert row.link == f"/events/{event.pk}/"

    run(services.cancel_registration, first, first.event_registrations.get())

    assert told(kinds.EVENT_PROMOTED) == [second.username]
    assert told(kinds.EVENT_REGISTRATION_CANCELLED) == []  # she cancelled it herself
    waiting.refresh_from_db()
    assert waiting.state == RegistrationState.CONFIRMED
    assert OutboxEvent.objects.filter(relayed_at=None).count() == 0


def test_approval_refusal_and_a_move_tell_the_person(run, office):
    event = EventFactory(requires_approval=True, title_en="Training")
    later = EventFactory(title_en="Training, second date")
    person = member("A")
    registration = run(services.register, person, event)
    assert told(kinds.EVENT_PENDING) == []  # she registered herself: the page told her
    run(services.approve_registration, office, registration)
    assert told(kinds.EVENT_PROMOTED) == [person.username]
    run(services.move_registration, office, Registration.objects.get(pk=registration.pk), to_event=later)
    (moved,) = Notification.objects.filter(kind=kinds.EVENT_MOVED)
    assert moved.link == f"/events/{later.pk}/" and "“Training” to “Training, second date”" in moved.body
    other = run(services.register, member("B"), event)
    run(services.refuse_registration, office, other, reason="Only one seat per municipality.")
    assert Notification.objects.get(kind=kinds.EVENT_REFUSED).body.endswith(
        "Reason: Only one seat per municipality."
    )


def test_a_change_and_a_cancellation_tell_everyone_registered(run, office):
    event = EventFactory(place="Vize", title_en="Camp", capacity=1)  # full: nobody moves up
    seated, waiting, gone = member("A"), member("B"), member("C")
    RegistrationFactory(event=event, person=seated)
    RegistrationFactory(event=event, person=waiting, state=RegistrationState.WAITLISTED)
    RegistrationFactory(event=event, person=gone, state=RegistrationState.CANCELLED)

    run(event_services.update_event, office, event, place="Edirne")

    assert told(kinds.EVENT_CHANGED) == sorted([seated.username, waiting.username])
    assert "the place" in Notification.objects.filter(kind=kinds.EVENT_CHANGED).first().body
    run(event_services.transition_event, office, Event.objects.get(pk=event.pk), "cancel", reason="Ill.")
    assert told(kinds.EVENT_CANCELLED) == sorted([seated.username, waiting.username])
    assert len(mail.outbox) == 4  # e-mail by default, once each


def test_a_signal_writes_one_outbox_row_in_the_transaction_and_the_relay_writes_once(
    django_capture_on_commit_callbacks, office
):
    person = member("A")
    registration = RegistrationFactory(person=person)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        signals.registration_cancelled.send(sender=Registration, registration=registration, by=office)
        row = OutboxEvent.objects.get()
        assert row.signal == "registration_cancelled"
        assert row.payload["registration"] == {"model": "events.registration", "pk": registration.pk}
        assert Notification.objects.count() == 0  # nothing before the commit

    row.refresh_from_db()
    assert row.relayed_at is not None and told(kinds.EVENT_REGISTRATION_CANCELLED) == [person.username]
    OutboxEvent.objects.filter(pk=row.pk).update(relayed_at=None)  # as if the mark was lost
    assert outbox.relay(row.pk) is True
    assert Notification.objects.count() == 1  # the occasion names the outbox event: written once


def test_a_change_rolled_back_leaves_no_outbox_row_and_tells_nobody(office):
    registration = RegistrationFactory(person=member("A"))
    with pytest.raises(RuntimeError), transaction.atomic():
        signals.registration_cancelled.send(sender=Registration, registration=registration, by=office)
        raise RuntimeError("the service failed after its signal")
    assert not OutboxEvent.objects.exists() and not Notification.objects.exists()


def test_the_sweep_relays_an_event_whose_task_was_lost(django_capture_on_commit_callbacks, office):
    event = EventFactory(title_en="Camp")
    person = member("A")
    RegistrationFactory(event=event, person=person)
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():  # the task never goes
        signals.event_cancelled.send(sender=Event, event=event, by=office, reason="Snow.")

    assert Notification.objects.count() == 0
    assert outbox.relay_waiting(timezone.now() + timedelta(minutes=1)) == 1
    assert told(kinds.EVENT_CANCELLED) == [person.username]
