"""Attendance per session: who takes it and when, what it accepts, corrections, the sheet and its
thresholds, and the API over them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from events.models import Attendance, Event
from events.selectors.attendance import attendance_sheet, qualifies
from events.services import attendance as services
from events.states import EventState, RegistrationState
from grants_office.core.errors import Conflict, Invalid
from tests.concurrency import at_once
from tests.events.calendar import into_the_past
from tests.factories import CertificateFactory, EventFactory, RegistrationFactory, UserFactory, office_staff
from tests.querycount import assert_same_query_count

pytestmark = pytest.mark.django_db


def _codes(error) -> list[str]:
    return [reason.code for reason in error.value.reasons]


def _held_days(sessions: int = 3, state=EventState.CLOSED, **event) -> Event:
    """An event of `sessions` days, all of them over, registration closed."""
    return into_the_past(EventFactory(sessions=sessions, state=state, **event))


@pytest.fixture
def camp():
    """A three-day camp that took place, with three confirmed participants."""
    event = _held_days(3)
    people = [
        RegistrationFactory(event=event, person=UserFactory(first_name=name, last_name="Yılmaz"))
        for name in ("Ayşe", "Mehmet", "Derya")
    ]
    return event, people


def _sessions(event):
    return list(event.sessions.order_by("starts_at"))


def _mark(office, event, days: dict) -> None:
    """days: registration -> the days present (1-based); absent on the others."""
    for number, session in enumerate(_sessions(event), start=1):
        present = [r.pk for r, on in days.items() if number in on]
        absent = [r.pk for r, on in days.items() if number not in on]
        services.record_attendance(office, event, session=session, present=present, absent=absent)


# --- the service ---------------------------------------------------------------------------------


def test_the_office_marks_present_and_absent_at_a_session(office, camp):
    event, (ayse, mehmet, derya) = camp
    first = _sessions(event)[0]
    marks = services.record_attendance(
        office, event, session=first, present=[ayse.pk, mehmet.pk], absent=[derya.pk]
    )
    assert [(m.registration_id, m.present) for m in marks] == [
        (ayse.pk, True),
        (mehmet.pk, True),
        (derya.pk, False),
    ]
    assert {m.marked_by for m in Attendance.objects.all()} == {office}


def test_a_second_call_corrects_the_first_and_leaves_the_others(office, camp):
    event, (ayse, mehmet, _derya) = camp
    first = _sessions(event)[0]
    services.record_attendance(office, event, session=first, present=[ayse.pk, mehmet.pk])
    before = Attendance.objects.get(registration=ayse).marked_at
    corrector = office_staff(username="ofis2")
    services.record_attendance(corrector, event, session=first, absent=[ayse.pk])
    ayse_mark = Attendance.objects.get(registration=ayse)
    assert (ayse_mark.present, ayse_mark.marked_by) == (False, corrector)
    assert ayse_mark.marked_at >= before
    assert Attendance.objects.get(registration=mehmet).present is True  # not named: unchanged
    assert Attendance.objects.count() == 2


def test_only_the_office_takes_attendance(camp, member):
    event, (ayse, *_rest) = camp
    for person in (member, ayse.person):
        with pytest.raises(Conflict) as error:
            services.record_attendance(person, event, session=_sessions(event)[0], present=[ayse.pk])
        assert _codes(error) == ["not_permitted"]
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "state", [EventState.DRAFT, EventState.OPEN, EventState.ARCHIVED, EventState.CANCELLED]
)
def test_attendance_waits_for_registration_to_close_and_ends_with_the_archive(office, state):
    event = _held_days(1, state=state)
    seat = RegistrationFactory(event=event)
    with pytest.raises(Conflict) as error:
        services.record_attendance(office, event, session=_sessions(event)[0], present=[seat.pk])
    assert _codes(error) == ["wrong_state"]
    assert "once registration has closed" in error.value.message
    assert not Attendance.objects.exists()


def test_attendance_may_be_corrected_once_the_event_is_held(office):
    event = _held_days(1, state=EventState.HELD)
    seat = RegistrationFactory(event=event)
    services.record_attendance(office, event, session=_sessions(event)[0], present=[seat.pk])
    assert Attendance.objects.get().present is True


def test_the_session_must_be_one_of_the_event(office, camp):
    event, (ayse, *_rest) = camp
    other = _held_days(1)
    for session in (_sessions(other)[0], None):
        with pytest.raises(Invalid) as error:
            services.record_attendance(office, event, session=session, present=[ayse.pk])
        assert list(error.value.fields) == ["session"]


def test_a_session_that_has_not_started_takes_no_attendance(office):
    event = EventFactory(sessions=2, state=EventState.CLOSED)
    seat = RegistrationFactory(event=event)
    with pytest.raises(Conflict) as error:
        services.record_attendance(office, event, session=_sessions(event)[0], present=[seat.pk])
    assert _codes(error) == ["session_not_started"]
    # the first day has begun, the second not yet
    start = timezone.now() - timedelta(hours=1)
    first, second = _sessions(event)
    type(first).objects.filter(pk=first.pk).update(starts_at=start, ends_at=start + timedelta(hours=7))
    first.refresh_from_db()
    services.record_attendance(office, event, session=first, present=[seat.pk])
    with pytest.raises(Conflict):
        services.record_attendance(office, event, session=second, present=[seat.pk])
    assert Attendance.objects.count() == 1


def test_only_confirmed_registrations_of_the_event_are_marked_and_they_are_named(office, camp):
    event, (ayse, *_rest) = camp
    elsewhere = RegistrationFactory()
    waiting = RegistrationFactory(event=event, state=RegistrationState.WAITLISTED)
    cancelled = RegistrationFactory(event=event, state=RegistrationState.CANCELLED)
    with pytest.raises(Invalid) as error:
        services.record_attendance(
            office,
            event,
            session=_sessions(event)[0],
            present=[ayse.pk, elsewhere.pk, waiting.pk],
            absent=[cancelled.pk, 999999],
        )
    first, second = sorted([elsewhere.pk, waiting.pk])
    assert error.value.fields == {
        "present": [f"Not registered for this event: {first}, {second}."],
        "absent": [f"Not registered for this event: {cancelled.pk}, 999999."],
    }
    assert not Attendance.objects.exists()  # nothing, not even Ayşe's mark


def test_a_registration_both_present_and_absent_is_refused(office, camp):
    event, (ayse, mehmet, _derya) = camp
    with pytest.raises(Invalid) as error:
        services.record_attendance(
            office, event, session=_sessions(event)[0], present=[ayse.pk, mehmet.pk], absent=[ayse.pk]
        )
    assert error.value.fields["present"] == [f"Both present and absent: {ayse.pk}."]
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("value", ["abc", -3, True, 10**30, "²"])
def test_what_is_no_registration_id_is_400(office, camp, value):
    event, _people = camp
    with pytest.raises(Invalid) as error:
        services.record_attendance(office, event, session=_sessions(event)[0], present=[value])
    assert list(error.value.fields) == ["present"]


# --- the sheet and its thresholds ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attended", "total", "percent", "expected"),
    [
        (3, 3, 80, True),
        (2, 3, 80, False),  # 80 % of three sessions needs all three
        (2, 3, 66, True),  # 66.7 % makes 66 %
        (2, 3, 67, False),
        (1, 3, 66, False),
        (4, 5, 80, True),
        (1, 1, 100, True),
        (0, 0, 1, False),  # no sessions: nobody qualifies
    ],
)
def test_the_threshold_is_a_share_of_the_sessions(attended, total, percent, expected):
    assert qualifies(attended, total, percent) is expected


def test_the_sheet_has_a_mark_per_session_the_share_the_hours_and_who_qualifies(office, camp):
    event, (ayse, mehmet, derya) = camp
    _mark(office, event, {ayse: [1, 2, 3], mehmet: [1, 2]})
    services.record_attendance(office, event, session=_sessions(event)[0], absent=[derya.pk])
    sheet = attendance_sheet(event)
    assert [s.pk for s in sheet.sessions] == [s.pk for s in _sessions(event)]
    lines = {line.registration.pk: line for line in sheet}
    assert lines[ayse.pk].session_marks == [True, True, True]
    assert lines[mehmet.pk].session_marks == [True, True, False]
    assert lines[derya.pk].session_marks == [False, None, None]
    assert [lines[r.pk].attended for r in (ayse, mehmet, derya)] == [3, 2, 0]
    assert [lines[r.pk].share for r in (ayse, mehmet, derya)] == [
        Decimal("100.0"),
        Decimal("66.7"),
        Decimal("0.0"),
    ]
    assert [lines[r.pk].hours for r in (ayse, mehmet, derya)] == [
        Decimal("21.0"),
        Decimal("14.0"),
        Decimal("0.0"),
    ]
    assert [lines[r.pk].qualifies for r in (ayse, mehmet, derya)] == [True, False, False]  # 80 %
    assert lines[ayse.pk].person == ayse.person and lines[ayse.pk].municipality == ayse.municipality

    Event.objects.filter(pk=event.pk).update(min_attendance_percent=66)
    lines = {line.registration.pk: line for line in attendance_sheet(Event.objects.get(pk=event.pk))}
    assert [lines[r.pk].qualifies for r in (ayse, mehmet, derya)] == [True, True, False]


def test_the_sheet_lists_confirmed_registrations_only_with_their_certificate(office, camp):
    event, (ayse, *_rest) = camp
    RegistrationFactory(event=event, state=RegistrationState.WAITLISTED)
    RegistrationFactory(event=event, state=RegistrationState.CANCELLED)
    certificate = CertificateFactory(registration=ayse)
    sheet = attendance_sheet(event)
    assert len(sheet) == 3
    lines = {line.registration.pk: line for line in sheet}
    assert lines[ayse.pk].has_certificate and lines[ayse.pk].certificate == certificate
    assert sum(line.has_certificate for line in sheet) == 1


@pytest.mark.parametrize(("people", "days"), [(1, 1), (6, 4)])
def test_the_sheet_costs_three_queries_whatever_its_size(office, people, days, django_assert_num_queries):
    event = _held_days(days)
    seats = RegistrationFactory.create_batch(people, event=event)
    _mark(office, event, {seat: range(1, days + 1) for seat in seats})
    CertificateFactory(registration=seats[0])
    with django_assert_num_queries(3):
        sheet = attendance_sheet(event)
        assert sum(line.attended for line in sheet) == people * days
        assert all(line.certificate is not None or not line.has_certificate for line in sheet)
        assert [line.person.username for line in sheet]
        assert [line.municipality.name for line in sheet]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks race for real on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_two_marks_of_one_session_at_once_leave_one_mark(office):
    event = _held_days(1)
    seat = RegistrationFactory(event=event)
    session = _sessions(event)[0]

    def mark(present: bool):
        chosen = {"present": [seat.pk]} if present else {"absent": [seat.pk]}
        return lambda: len(services.record_attendance(office, event, session=session, **chosen))

    assert at_once(mark(True), mark(False)) == [1, 1]
    assert Attendance.objects.filter(registration=seat).count() == 1


# --- the API ---------------------------------------------------------------------------------------


def test_the_api_takes_attendance_and_answers_the_sheet(api_client, office, camp):
    event, (ayse, mehmet, derya) = camp
    first, second, _third = _sessions(event)
    client = api_client(office)
    answer = client.post(
        f"/api/v1/events/{event.pk}/attendance/",
        {"session": first.pk, "present": [ayse.pk, mehmet.pk], "absent": [derya.pk]},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    client.post(
        f"/api/v1/events/{event.pk}/attendance/", {"session": second.pk, "present": [ayse.pk]}, format="json"
    )
    sheet = client.get(f"/api/v1/events/{event.pk}/attendance/").json()
    assert sheet["event"] == event.pk and sheet["min_attendance_percent"] == 80
    assert [s["id"] for s in sheet["sessions"]] == [s.pk for s in _sessions(event)]
    lines = {line["registration"]: line for line in sheet["lines"]}
    assert [m["present"] for m in lines[ayse.pk]["marks"]] == [True, True, None]
    assert [m["present"] for m in lines[derya.pk]["marks"]] == [False, None, None]
    assert lines[ayse.pk]["person_name"] == "Ayşe Yılmaz"
    assert (lines[ayse.pk]["attended"], lines[ayse.pk]["hours"], lines[ayse.pk]["qualifies"]) == (
        2,
        "14.0",
        False,
    )
    assert lines[ayse.pk]["share"] == "66.7" and lines[ayse.pk]["certificate"] is None


def test_the_api_answers_400_with_the_fields_and_409_with_the_reason(api_client, office, camp):
    event, (ayse, *_rest) = camp
    client = api_client(office)
    url = f"/api/v1/events/{event.pk}/attendance/"
    stranger = RegistrationFactory()
    answer = client.post(url, {"session": _sessions(event)[0].pk, "present": [stranger.pk]}, format="json")
    assert answer.status_code == 400
    assert answer.json()["fields"] == {"present": [f"Not registered for this event: {stranger.pk}."]}
    other_session = _sessions(_held_days(1))[0]
    answer = client.post(url, {"session": other_session.pk, "present": [ayse.pk]}, format="json")
    assert answer.status_code == 400 and list(answer.json()["fields"]) == ["session"]
    for body in (
        {"present": [ayse.pk]},
        {"session": "x"},
        {"session": 10**30},
        {"session": 1, "present": "x"},
    ):
        assert client.post(url, body, format="json").status_code == 400
    upcoming = EventFactory(state=EventState.CLOSED)
    answer = client.post(
        f"/api/v1/events/{upcoming.pk}/attendance/",
        {"session": _sessions(upcoming)[0].pk, "present": [RegistrationFactory(event=upcoming).pk]},
        format="json",
    )
    assert answer.status_code == 409 and answer.json()["reasons"][0]["code"] == "session_not_started"
    assert not Attendance.objects.exists()


def test_the_sheet_is_the_offices(api_client, member, camp):
    event, (ayse, *_rest) = camp
    # the team lead sees the event (it is for every member): 409; a draft she does not see: 404
    for method, body in (("get", None), ("post", {"session": _sessions(event)[0].pk, "present": [ayse.pk]})):
        answer = getattr(api_client(member), method)(
            f"/api/v1/events/{event.pk}/attendance/", body, format="json"
        )
        assert answer.status_code == 409 and answer.json()["reasons"][0]["code"] == "not_permitted"
    draft = EventFactory(state=EventState.DRAFT)
    assert api_client(member).get(f"/api/v1/events/{draft.pk}/attendance/").status_code == 404
    assert api_client(member).get("/api/v1/events/999999/attendance/").status_code == 404
    assert not Attendance.objects.exists()


def test_the_sheet_in_the_api_costs_the_same_for_1_and_5(api_client, office, django_assert_num_queries):
    event = _held_days(2)

    def make(n):
        for seat in RegistrationFactory.create_batch(n, event=event):
            for session in _sessions(event):
                Attendance.objects.create(session=session, registration=seat, present=True, marked_by=office)

    assert_same_query_count(
        api_client(office),
        f"/api/v1/events/{event.pk}/attendance/",
        make,
        django_assert_num_queries,
        rows_in=lambda body: len(body["lines"]),
    )
