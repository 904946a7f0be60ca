"""The office creates, edits and moves an event: its fields checked at once, its steps logged, the
blocked ones with their reasons."""

from datetime import timedelta

import pytest
from django.dispatch import receiver
from django.utils import timezone

from events import lifecycle, signals
from events.models import Event
from events.services import events as services
from events.services import registrations as registration_services
from events.states import EventState
from grants_office.core.concurrency import Precondition
from grants_office.core.errors import Conflict, Invalid, PreconditionFailed
from tests.events.calendar import into_the_past
from tests.factories import AttendanceFactory, EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _days(n: int, first_in: int = 10) -> list[dict]:
    start = (timezone.now() + timedelta(days=first_in)).replace(hour=6, minute=0, second=0, microsecond=0)
    return [
        {
            "title": f"Day {d + 1}",
            "starts_at": start + timedelta(days=d),
            "ends_at": start + timedelta(days=d, hours=8),
        }
        for d in range(n)
    ]


def _camp(office, **fields) -> Event:
    sessions = fields.pop("sessions", _days(3))
    values = {
        "kind": Event.Kind.PROJECT_CAMP,
        "title_tr": "Proje kampı",
        "title_en": "Project camp",
        "registration_opens_at": timezone.now() - timedelta(hours=1),
        "registration_closes_at": sessions[0]["starts_at"] - timedelta(days=1),
        "capacity": 20,
        **fields,
    }
    return services.create_event(office, sessions=sessions, **values)


def test_a_three_day_camp_spans_its_sessions_and_starts_as_a_draft(office):
    event = _camp(office)
    sessions = list(event.sessions.order_by("starts_at"))
    assert event.state == EventState.DRAFT and len(sessions) == 3
    assert (event.starts_at, event.ends_at) == (sessions[0].starts_at, sessions[-1].ends_at)
    assert sessions[0].hours == 8


def test_every_bad_field_is_named_at_once(office):
    start = timezone.now() + timedelta(days=5)
    with pytest.raises(Invalid) as error:
        services.create_event(
            office,
            kind="party",
            title_tr="",
            title_en="X",
            capacity=0,
            sessions=[{"starts_at": start, "ends_at": start - timedelta(hours=1)}],
            audience=Event.Audience.PROVINCES,
            audience_provinces=["Atlantis"],
        )
    assert set(error.value.fields) >= {"kind", "title_tr", "capacity", "sessions", "audience_provinces"}
    assert not Event.objects.exists()


def test_only_the_office_creates(member):
    with pytest.raises(Conflict):
        _camp(member)


def test_the_machine_from_draft_to_archived_is_logged(office):
    event = _camp(office)
    for name in ("open_registration", "close_registration"):
        event = services.transition_event(office, event, name, comment=name)
    with pytest.raises(Conflict) as error:
        services.transition_event(office, event, "mark_held")
    assert [r.code for r in error.value.reasons] == ["not_over_yet"]
    into_the_past(event)
    for name in ("mark_held", "archive"):
        event = services.transition_event(office, event, name)
    assert event.state == EventState.ARCHIVED
    log = list(lifecycle.history(event))
    assert [entry.state for entry in log] == ["open", "registration_closed", "held", "archived"]
    assert log[0].by == office and log[0].description == "open_registration"


def test_a_draft_without_a_window_cannot_open_and_says_why(office):
    event = _camp(office, registration_opens_at=None, registration_closes_at=None)
    options = {option.name: option for option in lifecycle.available(event, office)}
    assert not options["open_registration"].allowed
    assert [r.code for r in options["open_registration"].reasons] == ["no_registration_window"]
    with pytest.raises(Conflict):
        services.transition_event(office, event, "open_registration")


def test_cancelling_needs_a_reason_and_tells_everyone_registered(office, member):
    event = EventFactory()
    registration_services.register(member, event)
    told = []

    @receiver(signals.event_cancelled, weak=False)
    def listen(sender, event, by, reason, **kwargs):
        told.append((event.pk, reason))

    try:
        with pytest.raises(Invalid):
            services.transition_event(office, event, "cancel")
        event = services.transition_event(office, event, "cancel", reason="The trainer is ill.")
    finally:
        signals.event_cancelled.disconnect(listen)
    assert event.state == EventState.CANCELLED and event.cancellation_reason == "The trainer is ill."
    assert told == [(event.pk, "The trainer is ill.")]
    assert event.registrations.get().state == "confirmed"  # kept: who was registered stays known


def test_moving_a_published_event_tells_who_is_registered(office):
    event = EventFactory()
    told = []

    @receiver(signals.event_changed, weak=False)
    def listen(sender, event, by, changes: list, **kwargs):
        told.append(changes)

    try:
        services.update_event(office, event, place="Edirne")
        services.update_event(office, event, agenda="Coffee at ten.")
    finally:
        signals.event_changed.disconnect(listen)
    assert told == [["place"]]


def test_a_stale_version_changes_nothing(office):
    event = EventFactory(place="Vize")
    seen = services.etag(event)
    services.update_event(office, event, place="Edirne", precondition=Precondition(frozenset([seen])))
    with pytest.raises(PreconditionFailed):
        services.update_event(office, event, place="Kırklareli", precondition=Precondition(frozenset([seen])))
    assert Event.objects.get(pk=event.pk).place == "Edirne"


def test_sessions_stay_once_attendance_is_taken(office):
    event = EventFactory(state=EventState.CLOSED)
    AttendanceFactory(registration=RegistrationFactory(event=event))
    with pytest.raises(Conflict) as error:
        services.update_event(office, event, sessions=_days(1, first_in=30))
    assert [r.code for r in error.value.reasons] == ["attendance_taken"]


def test_a_held_event_no_longer_changes(office):
    event = EventFactory(state=EventState.HELD)
    with pytest.raises(Conflict) as error:
        services.update_event(office, event, place="Edirne")
    assert [r.code for r in error.value.reasons] == ["wrong_state"]
