"""Attendance per session and the certificates it earns: the threshold, issuing, revoking, the PDF."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from events.certificate_pdf import certificate_pdf, qr_data_uri
from events.models import Certificate
from events.selectors.attendance import attendance_sheet
from events.services import attendance as services
from events.services import certificates as certificate_services
from events.services import events as event_services
from events.states import EventState
from grants_office.core.errors import Conflict, Invalid
from tests.events.calendar import into_the_past
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def camp(office):
    """A three-day camp that took place, with three participants."""
    event = EventFactory(sessions=3, state=EventState.CLOSED, title_en="Project camp", title_tr="Proje kampı")
    event = into_the_past(event)
    people = [
        RegistrationFactory(event=event, person=UserFactory(first_name=name, last_name="Yılmaz"))
        for name in ("Ayşe", "Mehmet", "Derya")
    ]
    return event, people


def _mark(office, event, days: dict) -> None:
    """days: registration -> the days present (1-based)."""
    for number, session in enumerate(event.sessions.order_by("starts_at"), start=1):
        present = [r.pk for r, present_on in days.items() if number in present_on]
        absent = [r.pk for r, present_on in days.items() if number not in present_on]
        services.record_attendance(office, event, session=session, present=present, absent=absent)


def test_the_share_of_sessions_decides_who_qualifies(office, camp):
    event, (ayse, mehmet, derya) = camp
    _mark(office, event, {ayse: [1, 2, 3], mehmet: [1, 2], derya: [1]})
    lines = {line.registration.pk: line for line in attendance_sheet(event)}
    assert [lines[r.pk].attended for r in (ayse, mehmet, derya)] == [3, 2, 1]
    assert [lines[r.pk].qualifies for r in (ayse, mehmet, derya)] == [True, False, False]  # 80 %
    assert lines[ayse.pk].hours == Decimal("21.0")
    type(event).objects.filter(pk=event.pk).update(min_attendance_percent=66)
    event = type(event).objects.get(pk=event.pk)
    lines = {line.registration.pk: line for line in attendance_sheet(event)}
    assert [lines[r.pk].qualifies for r in (ayse, mehmet, derya)] == [True, True, False]  # 2/3 is 66.7 %


def test_a_second_mark_corrects_the_first(office, camp):
    event, (ayse, *_rest) = camp
    session = event.sessions.first()
    services.record_attendance(office, event, session=session, present=[ayse.pk])
    services.record_attendance(office, event, session=session, absent=[ayse.pk])
    assert [m.present for m in ayse.attendance.all()] == [False]


def test_attendance_only_for_those_registered_and_for_sessions_begun(office, camp):
    event, people = camp
    stranger = RegistrationFactory()
    with pytest.raises(Invalid) as error:
        services.record_attendance(office, event, session=event.sessions.first(), present=[stranger.pk])
    assert "present" in error.value.fields
    upcoming = EventFactory(state=EventState.CLOSED)
    seat = RegistrationFactory(event=upcoming)
    with pytest.raises(Conflict) as error:
        services.record_attendance(office, upcoming, session=upcoming.sessions.first(), present=[seat.pk])
    assert [r.code for r in error.value.reasons] == ["session_not_started"]
    with pytest.raises(Conflict):
        services.record_attendance(people[0].person, event, session=event.sessions.first(), present=[])


def test_certificates_go_to_those_who_qualify_once(office, camp):
    event, (ayse, mehmet, derya) = camp
    _mark(office, event, {ayse: [1, 2, 3], mehmet: [1, 2, 3], derya: [1]})
    with pytest.raises(Conflict) as error:
        certificate_services.issue_certificates(office, event)
    assert [r.code for r in error.value.reasons] == ["event_not_held"]
    event = event_services.transition_event(office, event, "mark_held")
    with pytest.raises(Conflict) as error:
        certificate_services.issue_certificates(office, event, registrations=[derya.pk])
    assert [r.code for r in error.value.reasons] == ["below_attendance_threshold"]
    assert not Certificate.objects.exists()
    issued = certificate_services.issue_certificates(office, event)
    assert sorted(c.holder_name for c in issued) == ["Ayşe Yılmaz", "Mehmet Yılmaz"]
    assert certificate_services.issue_certificates(office, event) == []
    assert issued[0].sessions_attended == 3 and issued[0].hours == Decimal("21.0")


def test_revoking_needs_a_reason_and_happens_once(office, camp):
    event, (ayse, *_rest) = camp
    _mark(office, event, {ayse: [1, 2, 3]})
    event = event_services.transition_event(office, event, "mark_held")
    (certificate,) = certificate_services.issue_certificates(office, event)
    with pytest.raises(Invalid):
        certificate_services.revoke_certificate(office, certificate, reason="")
    revoked = certificate_services.revoke_certificate(
        office, certificate, reason="Issued to the wrong person."
    )
    assert not revoked.is_valid
    with pytest.raises(Conflict) as error:
        certificate_services.revoke_certificate(office, revoked, reason="Again.")
    assert [r.code for r in error.value.reasons] == ["already_revoked"]


def test_the_pdf_is_in_turkish_and_english_with_the_code_and_its_qr(office, camp):
    event, (ayse, *_rest) = camp
    _mark(office, event, {ayse: [1, 2, 3]})
    event = event_services.transition_event(office, event, "mark_held")
    (certificate,) = certificate_services.issue_certificates(office, event)
    address = f"https://office.example.org/verify/{certificate.display_code}/"
    text = " ".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(certificate_pdf(certificate, verify_url=address))).pages
    )
    for expected in ("Ayşe Yılmaz", "Proje kampı", "Project camp", certificate.display_code, address, "21.0"):
        assert expected in text
    assert "Certificate of participation" in text
    assert qr_data_uri(address).startswith("data:image/svg+xml")
