"""Capacity building in the results: events held in a year by kind, participants, certificates per
member, members without a project team reached; on the dashboard, in the annual PDF and workbook."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F
from openpyxl import load_workbook
from pypdf import PdfReader

from events.models import Event, Session
from events.states import EventState
from reports.capacity import capacity_year
from tests.factories import (
    AttendanceFactory,
    CertificateFactory,
    EventFactory,
    MunicipalityFactory,
    RegistrationFactory,
    office_staff,
)

pytestmark = pytest.mark.django_db
ISTANBUL = ZoneInfo("Europe/Istanbul")


def _held(kind, start: datetime, sessions: int = 1) -> Event:
    event = EventFactory(kind=kind, sessions=sessions, state=EventState.HELD)
    shift = start - event.starts_at
    Session.objects.filter(event=event).update(starts_at=F("starts_at") + shift, ends_at=F("ends_at") + shift)
    Event.objects.filter(pk=event.pk).update(starts_at=F("starts_at") + shift, ends_at=F("ends_at") + shift)
    return Event.objects.get(pk=event.pk)


@pytest.fixture
def year_2025():
    vize = MunicipalityFactory(name="Vize", has_project_team=False)
    corlu = MunicipalityFactory(name="Çorlu", has_project_team=True)
    camp = _held(Event.Kind.PROJECT_CAMP, datetime(2025, 5, 5, 9, tzinfo=ISTANBUL), sessions=3)
    training = _held(Event.Kind.TRAINING, datetime(2025, 11, 3, 9, tzinfo=ISTANBUL))
    _held(Event.Kind.TRAINING, datetime(2024, 12, 31, 23, tzinfo=ISTANBUL))  # another year
    EventFactory(state=EventState.OPEN)  # not held
    people = []
    for municipality, event, count in ((vize, camp, 2), (corlu, camp, 1), (vize, training, 1)):
        for _ in range(count):
            registration = RegistrationFactory(event=event, municipality=municipality)
            AttendanceFactory(registration=registration, session=event.sessions.first())
            people.append(registration)
    RegistrationFactory(event=camp, municipality=corlu)  # registered, never came
    CertificateFactory(registration=people[0])
    CertificateFactory(registration=people[2])
    revoked = CertificateFactory(registration=people[1])
    revoked.revoked_at, revoked.revocation_reason = revoked.issued_at + timedelta(days=1), "Wrong person."
    revoked.save()
    return {"vize": vize, "corlu": corlu}


def test_the_year_in_figures(year_2025, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        found = capacity_year(2025)
    assert (found.events, found.participants, found.certificates) == (2, 4, 2)
    assert [(str(label), count) for label, count in found.by_kind] == [
        ("Project-preparation camp", 1),
        ("Training", 1),
    ]
    lines = {line.name: line for line in found.members}
    assert (lines["Vize"].events, lines["Vize"].participants, lines["Vize"].certificates) == (2, 3, 1)
    assert (lines["Çorlu"].participants, lines["Çorlu"].certificates) == (1, 1)
    assert found.reached_without_team == 1
    assert [line.name for line in found.members] == ["Çorlu", "Vize"]  # Turkish order: Ç after C, before D


def test_on_the_dashboard_and_in_the_annual_report(year_2025, client_for):
    client = client_for(office_staff())
    page = client.get("/reports/?year=2025")
    assert 'data-capacity="2-4-2"' in page.text
    pdf = client.get("/reports/annual/2025.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Capacity building" in text and "2 events held, 4 participants, 2 certificates." in text
    response = client.get("/reports/annual/2025.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    header, *rows = list(workbook["Capacity building"].iter_rows(values_only=True))
    assert header[0] == "Municipality"
    assert {row[0]: row[5] for row in rows} == {"Çorlu": 1, "Vize": 1}
    summary = {row[0]: row[-1] for row in workbook["Summary"].iter_rows(values_only=True)}
    assert summary["Participants"] == 4
