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
from grants_office.core.errors import Conflict, Invalid, NotFound, PreconditionFailed
from tests.events.calendar import into_the_past
from tests.factories import (
    AttendanceFactory,
    EventFactory,
    LibrarySetFactory,
    MunicipalityFactory,
    ProposalSetFactory,
    RegistrationFactory,
)

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
        "registration_closes_at": sessions[0]["starts_at"] - timedelta(days=1) if sessions else None,
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


# --- every step, and the reasons that block them -----------------------------------------------------
def _codes(error) -> list[str]:
    return [reason.code for reason in error.value.reasons]


def test_registration_closes_and_reopens_while_the_window_lasts(office):
    event = EventFactory()
    event = services.transition_event(office, event, "close_registration")
    assert event.state == EventState.CLOSED
    event = services.transition_event(office, event, "reopen_registration", comment="Two more seats.")
    assert event.state == EventState.OPEN and event.version == 3
    assert list(lifecycle.history(event))[-1].description == "Two more seats."


def test_reopening_is_blocked_once_the_window_passed_or_the_event_began(office):
    event = EventFactory(state=EventState.CLOSED, registration_closes_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(Conflict) as error:
        services.transition_event(office, event, "reopen_registration")
    assert _codes(error) == ["registration_window_passed"]
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(Conflict) as error:
        services.transition_event(office, Event.objects.get(pk=event.pk), "reopen_registration")
    assert _codes(error) == ["registration_window_passed", "event_started"]
    assert Event.objects.get(pk=event.pk).state == EventState.CLOSED


def test_an_event_over_cannot_be_opened(office):
    event = into_the_past(EventFactory(state=EventState.DRAFT))
    with pytest.raises(Conflict) as error:
        services.transition_event(office, event, "open_registration")
    assert _codes(error) == ["event_over"]


@pytest.mark.parametrize("state", [EventState.DRAFT, EventState.OPEN, EventState.CLOSED])
def test_cancel_from_each_state_still_to_come(office, state):
    event = services.transition_event(office, EventFactory(state=state), "cancel", reason="No trainer.")
    assert event.state == EventState.CANCELLED
    entry = list(lifecycle.history(event))[-1]
    assert (entry.source_state, entry.state, entry.by, entry.description) == (
        state,
        EventState.CANCELLED,
        office,
        "No trainer.",
    )


@pytest.mark.parametrize("state", [EventState.HELD, EventState.ARCHIVED, EventState.CANCELLED])
def test_what_is_over_cannot_be_cancelled(office, state):
    event = EventFactory(state=state)
    with pytest.raises(Conflict) as error:
        services.transition_event(office, event, "cancel", reason="Late.")
    assert _codes(error) == ["wrong_state"]
    assert Event.objects.get(pk=event.pk).state == state


def test_a_member_runs_no_step_and_is_offered_none(member):
    event = EventFactory()
    with pytest.raises(Conflict) as error:
        services.transition_event(member, event, "close_registration")
    assert _codes(error) == ["not_permitted"]
    assert lifecycle.available(event, member) == []


def test_an_unknown_step_is_not_found(office):
    with pytest.raises(NotFound):
        lifecycle.check(EventFactory(), "explode", office)


def test_the_office_is_offered_the_steps_from_here_with_reasons(office):
    event = EventFactory(state=EventState.CLOSED)
    options = {o.name: o for o in lifecycle.available(event, office)}
    assert set(options) == {"reopen_registration", "mark_held", "cancel"}
    assert (options["reopen_registration"].allowed, options["cancel"].allowed) == (True, True)
    assert [r.code for r in options["mark_held"].reasons] == ["not_over_yet"]
    assert options["mark_held"].target == EventState.HELD


def test_no_step_but_cancel_sends_a_signal(office):
    heard = []

    def hear(sender, **kwargs):
        heard.append(kwargs["signal"])

    for signal in (signals.event_changed, signals.event_cancelled):
        signal.connect(hear, weak=False)
    try:
        event = services.transition_event(office, EventFactory(), "close_registration")
        services.transition_event(office, event, "reopen_registration")
    finally:
        for signal in (signals.event_changed, signals.event_cancelled):
            signal.disconnect(hear)
    assert heard == []


# --- creating: every rule of the fields ---------------------------------------------------------------
def _fields_of(office, **fields) -> set[str]:
    with pytest.raises(Invalid) as error:
        _camp(office, **fields)
    assert not Event.objects.exists()
    return set(error.value.fields)


def test_without_sessions_the_start_and_end_make_one(office):
    start = timezone.now() + timedelta(days=7)
    event = _camp(office, sessions=[], starts_at=start, ends_at=start + timedelta(hours=3))
    assert [(s.starts_at, s.ends_at) for s in event.sessions.all()] == [(start, start + timedelta(hours=3))]
    assert event.created_by == office


def test_neither_sessions_nor_a_start_is_refused(office):
    assert _fields_of(office, sessions=[], registration_closes_at=None) == {"sessions"}


def test_overlapping_sessions_are_refused(office):
    days = _days(2)
    days[1]["starts_at"] = days[0]["ends_at"] - timedelta(minutes=30)
    assert _fields_of(office, sessions=days) == {"sessions"}


def test_a_session_without_its_end_is_refused(office):
    days = _days(2)
    del days[1]["ends_at"]
    assert _fields_of(office, sessions=days) == {"sessions"}


def test_registration_may_stay_open_until_the_last_session_starts_not_later(office):
    days = _days(3)
    assert _fields_of(
        office, sessions=days, registration_closes_at=days[-1]["starts_at"] + timedelta(minutes=1)
    ) == {"registration_closes_at"}
    event = _camp(office, sessions=days, registration_closes_at=days[-1]["starts_at"])
    assert event.registration_closes_at == days[-1]["starts_at"]


def test_registration_closes_after_it_opens(office):
    opens = timezone.now() + timedelta(days=2)
    assert _fields_of(office, registration_opens_at=opens, registration_closes_at=opens) == {
        "registration_closes_at"
    }


def test_both_titles_are_required(office):
    assert _fields_of(office, title_en="  ") == {"title_en"}


def test_an_online_session_needs_its_link(office):
    assert _fields_of(office, kind=Event.Kind.ONLINE_SESSION) == {"online_url"}
    assert _camp(office, kind=Event.Kind.ONLINE_SESSION, online_url="https://meet.example.org/x").online_url


def test_the_audience_needs_what_it_names(office):
    assert _fields_of(office, audience=Event.Audience.CHOSEN) == {"audience_municipalities"}
    assert _fields_of(office, audience=Event.Audience.PROVINCES) == {"audience_provinces"}
    event = _camp(office, audience=Event.Audience.PROVINCES, audience_provinces=["Edirne", "Edirne"])
    assert event.audience_provinces == ["Edirne"]


def test_an_unknown_time_zone_is_refused(office):
    assert _fields_of(office, time_zone="Mars/Olympus") == {"time_zone"}


def test_materials_come_from_the_library(office):
    assert _fields_of(office, materials=[ProposalSetFactory()]) == {"materials"}
    library = LibrarySetFactory()
    assert list(_camp(office, materials=[library]).materials.all()) == [library]


def test_the_share_a_certificate_needs_is_between_1_and_100(office):
    assert _fields_of(office, min_attendance_percent=0) == {"min_attendance_percent"}
    assert _fields_of(office, min_attendance_percent=101) == {"min_attendance_percent"}


# --- editing -----------------------------------------------------------------------------------------
def test_each_edit_counts_the_version(office):
    event = EventFactory()
    assert services.update_event(office, event, agenda="09:00 coffee").version == event.version + 1


def test_a_member_does_not_edit(member):
    with pytest.raises(Conflict) as error:
        services.update_event(member, EventFactory(), place="Edirne")
    assert _codes(error) == ["not_permitted"]


def test_an_edit_checks_the_audience_as_it_will_be(office):
    event = EventFactory()
    with pytest.raises(Invalid) as error:
        services.update_event(office, event, audience=Event.Audience.CHOSEN)
    assert set(error.value.fields) == {"audience_municipalities"}
    chosen = MunicipalityFactory()
    edited = services.update_event(
        office, event, audience=Event.Audience.CHOSEN, audience_municipalities=[chosen]
    )
    assert list(edited.audience_municipalities.all()) == [chosen]
    assert services.update_event(office, edited, place="Edirne").audience == Event.Audience.CHOSEN


def test_the_capacity_does_not_drop_below_who_holds_a_seat(office):
    event = EventFactory(capacity=5)
    RegistrationFactory.create_batch(3, event=event)
    with pytest.raises(Invalid) as error:
        services.update_event(office, event, capacity=2)
    assert set(error.value.fields) == {"capacity"}
    assert services.update_event(office, event, capacity=3).capacity == 3


def test_a_new_start_moves_the_one_session(office):
    event = EventFactory()
    later = event.starts_at + timedelta(days=1)
    edited = services.update_event(office, event, starts_at=later, ends_at=later + timedelta(hours=2))
    assert [(s.starts_at, s.ends_at) for s in edited.sessions.all()] == [(later, later + timedelta(hours=2))]
    assert (edited.starts_at, edited.ends_at) == (later, later + timedelta(hours=2))


def test_an_event_of_several_sessions_is_moved_by_its_sessions(office):
    event = EventFactory(sessions=2)
    with pytest.raises(Invalid) as error:
        services.update_event(office, event, starts_at=event.starts_at + timedelta(days=1))
    assert set(error.value.fields) == {"starts_at"}


def test_new_sessions_tell_who_is_registered_what_moved(office):
    event = EventFactory()
    told = []

    def listen(sender, changes, **kwargs):
        told.append(changes)

    signals.event_changed.connect(listen, weak=False)
    try:
        services.update_event(office, event, sessions=_days(2, first_in=30))
        draft = EventFactory(state=EventState.DRAFT)
        services.update_event(office, draft, place="Edirne")  # nobody to tell of a draft
    finally:
        signals.event_changed.disconnect(listen)
    assert told == [["starts_at", "ends_at", "sessions"]]
    assert Event.objects.get(pk=event.pk).sessions.count() == 2


def test_sessions_may_change_before_attendance_is_taken(office):
    event = EventFactory(state=EventState.CLOSED)
    RegistrationFactory(event=event)
    edited = services.update_event(office, event, sessions=_days(3, first_in=30))
    assert edited.sessions.count() == 3
