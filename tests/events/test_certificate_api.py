"""Certificates in the API: issuing under an event, the list with its filters, one, revoking, the PDF."""

import pytest

from events.models import Certificate, Event
from events.services import attendance as attendance_services
from events.states import EventState
from tests.events.calendar import into_the_past
from tests.factories import (
    CertificateFactory,
    EventFactory,
    MunicipalityFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.querycount import assert_same_query_count

pytestmark = pytest.mark.django_db

FIELDS = {
    "id",
    "code",
    "holder_name",
    "event",
    "event_title_tr",
    "event_title_en",
    "kind",
    "starts_at",
    "ends_at",
    "municipality",
    "hours",
    "sessions_attended",
    "sessions_total",
    "issued_at",
    "valid",
    "revoked_at",
    "revocation_reason",
    "verify_url",
    "pdf_url",
}


@pytest.fixture
def held(office):
    """A two-day training that was held: Ayşe came both days, Mehmet one."""
    event = into_the_past(
        EventFactory(sessions=2, state=EventState.CLOSED, title_tr="Eğitim", title_en="Training")
    )
    ayse = RegistrationFactory(event=event, person=UserFactory(first_name="Ayşe", last_name="Kaya"))
    mehmet = RegistrationFactory(event=event, person=UserFactory(first_name="Mehmet", last_name="Demir"))
    first, second = event.sessions.order_by("starts_at")
    attendance_services.record_attendance(office, event, session=first, present=[ayse.pk, mehmet.pk])
    attendance_services.record_attendance(
        office, event, session=second, present=[ayse.pk], absent=[mehmet.pk]
    )
    Event.objects.filter(pk=event.pk).update(state=EventState.HELD)
    return event, ayse, mehmet


def test_the_office_issues_and_gets_the_new_ones(api_client, office, held):
    event, _ayse, mehmet = held
    client = api_client(office)
    url = f"/api/v1/events/{event.pk}/certificates/"
    below = client.post(url, {"registrations": [mehmet.pk]}, format="json")
    assert below.status_code == 409
    assert below.json()["code"] == "below_attendance_threshold"
    assert "Mehmet Demir attended 1 of 2 sessions" in below.json()["reasons"][0]["message"]
    stranger = client.post(url, {"registrations": [RegistrationFactory().pk]}, format="json")
    assert stranger.status_code == 400 and list(stranger.json()["fields"]) == ["registrations"]
    assert client.post(url, {"registrations": ["x"]}, format="json").status_code == 400
    assert client.post(url, {"registrations": [10**30]}, format="json").status_code == 400
    assert not Certificate.objects.exists()

    issued = client.post(url, {}, format="json")
    assert issued.status_code == 201
    (body,) = issued.json()
    certificate = Certificate.objects.get()
    assert set(body) == FIELDS
    assert body["code"] == certificate.display_code and body["holder_name"] == "Ayşe Kaya"
    assert (body["event"], body["event_title_tr"], body["event_title_en"]) == (event.pk, "Eğitim", "Training")
    assert (body["sessions_attended"], body["sessions_total"], body["hours"]) == (2, 2, "14.0")
    assert body["valid"] is True and body["revoked_at"] is None
    assert body["verify_url"] == f"http://testserver/verify/{certificate.display_code}/"
    assert body["pdf_url"] == f"http://testserver/api/v1/certificates/{certificate.pk}/pdf/"
    again = client.post(url, {}, format="json")
    assert again.status_code == 201 and again.json() == []


def test_issuing_is_the_offices_after_the_event(api_client, office, member, held):
    event, *_seats = held
    answer = api_client(member).post(f"/api/v1/events/{event.pk}/certificates/", {}, format="json")
    assert answer.status_code == 409 and answer.json()["reasons"][0]["code"] == "not_permitted"
    draft = EventFactory(state=EventState.DRAFT)
    assert (
        api_client(member).post(f"/api/v1/events/{draft.pk}/certificates/", {}, format="json").status_code
        == 404
    )
    answer = api_client(office).post(f"/api/v1/events/{draft.pk}/certificates/", {}, format="json")
    assert answer.status_code == 409 and answer.json()["reasons"][0]["code"] == "event_not_held"
    assert not Certificate.objects.exists()


def test_a_person_lists_their_own_and_the_office_all(api_client, office, member):
    mine = CertificateFactory(registration__person=member)
    CertificateFactory()
    assert [c["id"] for c in api_client(member).get("/api/v1/certificates/").json()["results"]] == [mine.pk]
    assert api_client(office).get("/api/v1/certificates/").json()["count"] == 2
    assert api_client().get("/api/v1/certificates/").status_code == 401


def test_the_filters(api_client, office):
    vize = MunicipalityFactory(name="Vize")
    first = CertificateFactory(registration__municipality=vize)
    second = CertificateFactory(revoked_at=first.issued_at, revocation_reason="Wrong person.")
    client = api_client(office)

    def ids(**query):
        answer = client.get("/api/v1/certificates/", query)
        assert answer.status_code == 200, answer.json()
        return [c["id"] for c in answer.json()["results"]]

    assert ids(event=first.registration.event_id) == [first.pk]
    assert ids(municipality=vize.pk) == [first.pk]
    assert ids(valid="false") == [second.pk] and ids(valid="true") == [first.pk]
    assert sorted(ids(year=first.issued_at.year)) == sorted([first.pk, second.pk])
    assert ids(year=first.issued_at.year + 1) == []
    assert ids(event=999999) == []
    for query in ({"year": 99999}, {"year": "x"}, {"event": "1.5"}, {"event": 10**30}, {"municipality": -1}):
        assert client.get("/api/v1/certificates/", query).status_code == 400, query


def test_one_certificate_for_its_holder_and_the_office(api_client, office, member):
    certificate = CertificateFactory(registration__person=member)
    for reader in (member, office):
        answer = api_client(reader).get(f"/api/v1/certificates/{certificate.pk}/")
        assert answer.status_code == 200 and answer.json()["id"] == certificate.pk
    assert api_client(UserFactory()).get(f"/api/v1/certificates/{certificate.pk}/").status_code == 404


def test_revoking(api_client, office, member):
    certificate = CertificateFactory(registration__person=member)
    url = f"/api/v1/certificates/{certificate.pk}/revoke/"
    holder = api_client(member).post(url, {"reason": "Mine."}, format="json")
    assert holder.status_code == 409 and holder.json()["reasons"][0]["code"] == "not_permitted"
    assert api_client(UserFactory()).post(url, {"reason": "x"}, format="json").status_code == 404
    missing = api_client(office).post(url, {}, format="json")
    assert missing.status_code == 400 and list(missing.json()["fields"]) == ["reason"]
    revoked = api_client(office).post(url, {"reason": "Issued to the wrong person."}, format="json")
    assert revoked.status_code == 200
    assert (revoked.json()["valid"], revoked.json()["revocation_reason"]) == (
        False,
        "Issued to the wrong person.",
    )
    assert revoked.json()["revoked_at"] is not None
    again = api_client(office).post(url, {"reason": "Again."}, format="json")
    assert again.status_code == 409 and again.json()["reasons"][0]["code"] == "already_revoked"
    # the holder reads the reason too
    assert api_client(member).get(f"/api/v1/certificates/{certificate.pk}/").json()["valid"] is False


def test_the_pdf(api_client, office, member):
    certificate = CertificateFactory(registration__person=member)
    url = f"/api/v1/certificates/{certificate.pk}/pdf/"
    for reader in (member, office):
        pdf = api_client(reader).get(url)
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
    asked = api_client(member).get(url, HTTP_ACCEPT="application/pdf")
    assert asked.status_code == 200 and asked["Content-Type"] == "application/pdf"
    other = api_client(UserFactory()).get(url, HTTP_ACCEPT="application/pdf")
    assert other.status_code == 404 and other["Content-Type"] == "application/json"
    assert other.json()["code"] == "not_found"


@pytest.mark.parametrize("as_office", [False, True])
def test_the_list_costs_the_same_for_1_and_5(
    api_client, office, member, as_office, django_assert_num_queries
):
    assert_same_query_count(
        api_client(office if as_office else member),
        "/api/v1/certificates/?valid=true",
        lambda n: CertificateFactory.create_batch(n, registration__person=member),
        django_assert_num_queries,
    )


def test_the_schema_declares_the_pdf_as_a_file(api_client, office):
    schema = api_client(office).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/certificates/{id}/pdf/"]["get"]
    assert operation["responses"]["200"]["content"]["application/pdf"]["schema"] == {
        "type": "string",
        "format": "binary",
    }
    assert "404" in operation["responses"]
    sheet = schema["paths"]["/api/v1/events/{id}/attendance/"]["get"]
    assert "409" in sheet["responses"]
