"""The events pages: the list, one event (registering, cancelling), the office's forms, registrations,
attendance and certificates; "My certificates" and the public verification page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Certificate, Event, Registration
from events.states import EventState, RegistrationState
from tests.events.calendar import into_the_past
from tests.factories import CertificateFactory, EventFactory, RegistrationFactory, UserFactory
from tests.querycount import assert_same_query_count

pytestmark = pytest.mark.django_db


def test_a_member_registers_on_the_page_and_cancels(client_for, member):
    event = EventFactory(title_en="Project camp")
    client = client_for(member)
    page = client.get("/events/")
    assert "Project camp" in page.text
    page = client.get(f"/events/{event.pk}/")
    option = f"{member.pk}:{member.team_memberships.get().municipality_id}"
    answer = client.post(f"/events/{event.pk}/register/", {"person": option})
    assert answer.status_code == 302
    registration = Registration.objects.get()
    assert registration.state == RegistrationState.CONFIRMED
    page = client.get(f"/events/{event.pk}/")
    assert 'data-state="confirmed"' in page.text
    client.post(f"/events/registrations/{registration.pk}/cancel/", {"next": "event"})
    registration.refresh_from_db()
    assert registration.state == RegistrationState.CANCELLED


def test_a_refused_registration_shows_the_reasons_with_409(client_for, member):
    event = EventFactory(registration_opens_at=timezone.now() + timedelta(days=1))
    option = f"{member.pk}:{member.team_memberships.get().municipality_id}"
    answer = client_for(member).post(f"/events/{event.pk}/register/", {"person": option})
    assert answer.status_code == 409
    assert 'data-reason="outside_registration_window"' in answer.text


def test_the_office_creates_a_camp_with_three_days_and_opens_it(client_for, office):
    client = client_for(office)
    assert client.get("/events/new/").status_code == 200
    day = timezone.localdate() + timedelta(days=20)
    data = {
        "kind": "project_camp",
        "title_tr": "Kamp",
        "title_en": "Camp",
        "time_zone": "Europe/Istanbul",
        "audience": "all_members",
        "min_attendance_percent": "80",
        "capacity": "10",
        "waiting_list": "on",
        "registration_opens_at": f"{timezone.localdate():%Y-%m-%d}T00:00",
        "registration_closes_at": f"{day - timedelta(days=1):%Y-%m-%d}T17:00",
        "sessions-TOTAL_FORMS": "3",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "60",
    }
    for n in range(3):
        data[f"sessions-{n}-starts_at"] = f"{day + timedelta(days=n):%Y-%m-%d}T09:00"
        data[f"sessions-{n}-ends_at"] = f"{day + timedelta(days=n):%Y-%m-%d}T17:00"
    answer = client.post("/events/new/", data)
    assert answer.status_code == 302, answer.text
    event = Event.objects.get()
    assert event.sessions.count() == 3
    assert timezone.localtime(event.starts_at, event.tz).hour == 9
    client.post(f"/events/{event.pk}/steps/open_registration/")
    assert Event.objects.get(pk=event.pk).state == EventState.OPEN
    edit = client.get(f"/events/{event.pk}/edit/")
    assert edit.status_code == 200 and "T09:00" in edit.text


def test_a_bad_form_answers_400_with_the_errors(client_for, office):
    answer = client_for(office).post(
        "/events/new/",
        {
            "kind": "training",
            "title_tr": "",
            "title_en": "",
            "audience": "all_members",
            "time_zone": "Europe/Istanbul",
            "min_attendance_percent": "80",
            "sessions-TOTAL_FORMS": "0",
            "sessions-INITIAL_FORMS": "0",
        },
    )
    assert answer.status_code == 400
    assert not Event.objects.exists()


def test_a_member_may_not_open_the_office_pages(client_for, member):
    event = EventFactory()
    client = client_for(member)
    assert client.get("/events/new/").status_code == 403
    assert client.get(f"/events/{event.pk}/attendance/").status_code == 403
    assert client.get(f"/events/{EventFactory(state=EventState.DRAFT).pk}/").status_code == 404


def test_attendance_on_the_page_and_certificates_issued(client_for, office):
    event = EventFactory(sessions=2, state=EventState.CLOSED)
    registration = RegistrationFactory(event=event, person=UserFactory(first_name="Ayşe", last_name="Kaya"))
    event = into_the_past(event)
    client = client_for(office)
    for session in event.sessions.all():
        answer = client.post(
            f"/events/{event.pk}/attendance/",
            {"session": session.pk, "listed": [registration.pk], "present": [registration.pk]},
        )
        assert answer.status_code == 302
    page = client.get(f"/events/{event.pk}/attendance/")
    assert 'data-qualifies="yes"' in page.text
    client.post(f"/events/{event.pk}/steps/mark_held/")
    client.post(f"/events/{event.pk}/certificates/issue/")
    assert Certificate.objects.get().holder_name == "Ayşe Kaya"


def test_the_office_refuses_and_moves_on_the_registrations_page(client_for, office, make_member):
    event, later = EventFactory(capacity=1), EventFactory()
    seated = RegistrationFactory(event=event, person=make_member("A"))
    waiting = RegistrationFactory(event=event, person=make_member("B"), state=RegistrationState.WAITLISTED)
    client = client_for(office)
    assert client.get(f"/events/{event.pk}/registrations/").status_code == 200
    client.post(f"/events/registrations/{seated.pk}/move/", {"event": later.pk})
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert seated.state == RegistrationState.CANCELLED and seated.moved_to.event == later
    assert waiting.state == RegistrationState.CONFIRMED
    answer = client.post(f"/events/registrations/{waiting.pk}/refuse/", {"reason": ""})
    assert answer.status_code == 400


def test_my_certificates_and_the_pdf(client_for):
    certificate = CertificateFactory()
    holder = certificate.registration.person
    page = client_for(holder).get("/certificates/")
    assert certificate.display_code in page.text
    pdf = client_for(holder).get(f"/certificates/{certificate.pk}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert client_for(UserFactory()).get(f"/certificates/{certificate.pk}.pdf").status_code == 404


def test_the_public_page_verifies_a_code_and_tells_nothing_else(client_for):
    client = client_for(None)
    certificate = CertificateFactory(holder_name="Ayşe Kaya", registration__event__title_en="Project camp")
    person = certificate.registration.person
    page = client.get(f"/verify/{certificate.display_code.lower()}/")
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert 'data-valid="yes"' in page.text and "Ayşe Kaya" in page.text and "Project camp" in page.text
    assert person.email not in page.text and certificate.registration.municipality.name not in page.text
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=timezone.now(), revocation_reason="Wrong person."
    )
    page = client.get(f"/verify/{certificate.code}/")
    assert 'data-valid="no"' in page.text and "Wrong person." not in page.text
    assert client.get("/verify/AAAA-BBBB-CCCC/").status_code == 404
    assert client.get("/verify/%00%27--/").status_code == 404
    assert client.get(f"/verify/?code={certificate.display_code}").status_code == 302


def test_the_verification_page_is_rate_limited_per_client(client, settings):
    settings.VERIFY_RATE_LIMIT = 3
    for _ in range(3):
        assert client.get("/verify/AAAABBBBCCCC/").status_code == 404
    limited = client.get("/verify/AAAABBBBCCCC/")
    assert limited.status_code == 429 and limited["Retry-After"]
    assert client.get("/verify/AAAABBBBCCCC/", REMOTE_ADDR="10.0.0.9").status_code == 404


def test_the_event_list_page_costs_the_same_for_1_and_5(client_for, member, django_assert_num_queries):
    assert_same_query_count(
        client_for(member),
        "/events/",
        lambda n: EventFactory.create_batch(n),
        django_assert_num_queries,
        rows_in=lambda text: text.count("data-event="),
    )


def test_the_registrations_page_costs_the_same_for_1_and_5(client_for, office, django_assert_num_queries):
    event = EventFactory(capacity=None)
    assert_same_query_count(
        client_for(office),
        f"/events/{event.pk}/registrations/",
        lambda n: RegistrationFactory.create_batch(n, event=event),
        django_assert_num_queries,
        rows_in=lambda text: text.count("data-registration="),
    )


def test_the_attendance_page_costs_the_same_for_1_and_5(client_for, office, django_assert_num_queries):
    event = EventFactory(sessions=3, state=EventState.CLOSED)
    assert_same_query_count(
        client_for(office),
        f"/events/{event.pk}/attendance/",
        lambda n: RegistrationFactory.create_batch(n, event=event),
        django_assert_num_queries,
        rows_in=lambda text: text.count("data-line="),
    )


def test_my_certificates_cost_the_same_for_1_and_5(client_for, office, django_assert_num_queries):
    assert_same_query_count(
        client_for(office),
        "/certificates/",
        lambda n: CertificateFactory.create_batch(n),
        django_assert_num_queries,
        rows_in=lambda text: text.count("data-certificate="),
    )


def test_the_event_page_costs_the_same_for_1_and_5_sessions(client_for, member, django_assert_num_queries):
    event = EventFactory(sessions=0)

    def sessions(n):
        last = event.sessions.order_by("-starts_at").first()
        start = last.ends_at + timedelta(hours=1) if last else event.starts_at
        for day in range(n):
            event.sessions.create(
                starts_at=start + timedelta(days=day), ends_at=start + timedelta(days=day, hours=2)
            )

    assert_same_query_count(
        client_for(member),
        f"/events/{event.pk}/",
        sessions,
        django_assert_num_queries,
        rows_in=lambda text: text.count("data-session="),
    )
