"""The events API: a camp from announcement to certificates, the errors clients get, the query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Certificate, Event, Registration
from events.states import EventState
from tests.events.calendar import into_the_past
from tests.factories import (
    CertificateFactory,
    EventFactory,
    RegistrationFactory,
)
from tests.querycount import assert_same_query_count

pytestmark = pytest.mark.django_db


def _moment(days: int, hour: int) -> str:
    day = timezone.localdate() + timedelta(days=days)
    return f"{day:%Y-%m-%d}T{hour:02d}:00:00+03:00"


def _camp_body(capacity: int = 2) -> dict:
    return {
        "kind": "project_camp",
        "title_tr": "Proje kampı",
        "title_en": "Project camp",
        "place": "Kıyıköy",
        "capacity": capacity,
        "registration_opens_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "registration_closes_at": _moment(9, 17),
        "min_attendance_percent": 80,
        "sessions": [
            {"title": f"Day {d}", "starts_at": _moment(9 + d, 9), "ends_at": _moment(9 + d, 17)}
            for d in (1, 2, 3)
        ],
    }


def test_a_camp_end_to_end_through_the_api(api_client, office, make_member):
    office_api = api_client(office)
    created = office_api.post("/api/v1/events/", _camp_body(), format="json")
    assert created.status_code == 201, created.json()
    event_id = created.json()["id"]
    assert created.json()["state"] == "draft" and len(created.json()["sessions"]) == 3
    assert created["ETag"]
    steps = office_api.get(f"/api/v1/events/{event_id}/transitions/").json()
    assert {s["name"] for s in steps["steps"] if s["allowed"]} == {"open_registration", "cancel"}
    assert (
        office_api.post(
            f"/api/v1/events/{event_id}/transitions/open_registration/", {}, format="json"
        ).status_code
        == 200
    )

    people = [make_member(name) for name in ("Vize", "Kıyıköy", "Enez")]
    states = [
        api_client(p).post(f"/api/v1/events/{event_id}/registrations/", {}, format="json").json()["state"]
        for p in people
    ]
    assert states == ["confirmed", "confirmed", "waitlisted"]
    again = api_client(people[0]).post(f"/api/v1/events/{event_id}/registrations/", {}, format="json")
    assert again.status_code == 409 and again.json()["reasons"][0]["code"] == "already_registered"
    mine = api_client(people[2]).get(f"/api/v1/events/{event_id}/").json()["my_registration"]
    assert (mine["state"], mine["position"]) == ("waitlisted", 1)

    first = Registration.objects.get(person=people[1])
    assert (
        api_client(people[1]).post(f"/api/v1/event-registrations/{first.pk}/cancel/").json()["state"]
        == "cancelled"
    )
    assert (
        api_client(people[2]).get(f"/api/v1/events/{event_id}/").json()["my_registration"]["state"]
        == "confirmed"
    )

    office_api.post(f"/api/v1/events/{event_id}/transitions/close_registration/", {}, format="json")
    event = into_the_past(Event.objects.get(pk=event_id))
    seats = {r.person_id: r.pk for r in event.registrations.filter(state="confirmed")}
    for number, session in enumerate(event.sessions.order_by("starts_at"), start=1):
        present = [seats[people[0].pk]] + ([seats[people[2].pk]] if number == 1 else [])
        absent = [pk for pk in seats.values() if pk not in present]
        answer = office_api.post(
            f"/api/v1/events/{event_id}/attendance/",
            {"session": session.pk, "present": present, "absent": absent},
            format="json",
        )
        assert answer.status_code == 200, answer.json()
    below = office_api.post(
        f"/api/v1/events/{event_id}/certificates/", {"registrations": [seats[people[2].pk]]}, format="json"
    )
    assert below.status_code == 409 and below.json()["reasons"][0]["code"] == "event_not_held"
    office_api.post(f"/api/v1/events/{event_id}/transitions/mark_held/", {}, format="json")
    below = office_api.post(
        f"/api/v1/events/{event_id}/certificates/", {"registrations": [seats[people[2].pk]]}, format="json"
    )
    assert below.status_code == 409 and below.json()["reasons"][0]["code"] == "below_attendance_threshold"
    issued = office_api.post(f"/api/v1/events/{event_id}/certificates/", {}, format="json")
    assert issued.status_code == 201 and [c["holder_name"] for c in issued.json()] == [
        Certificate.objects.get().holder_name
    ]
    certificate = issued.json()[0]
    assert certificate["verify_url"].endswith(f"/verify/{certificate['code']}/")
    holder = api_client(people[0])
    assert holder.get("/api/v1/certificates/").json()["count"] == 1
    pdf = holder.get(certificate["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert api_client(people[2]).get(certificate["pdf_url"]).status_code == 404
    revoked = office_api.post(
        f"/api/v1/certificates/{certificate['id']}/revoke/", {"reason": "Wrong person."}, format="json"
    )
    assert revoked.json()["valid"] is False
    history = office_api.get(f"/api/v1/events/{event_id}/history/").json()
    assert [h["target"] for h in history] == ["open", "registration_closed", "held"]


def test_only_the_office_creates_and_edits(api_client, member):
    answer = api_client(member).post("/api/v1/events/", _camp_body(), format="json")
    assert answer.status_code == 409 and answer.json()["reasons"][0]["code"] == "not_permitted"
    event = EventFactory()
    assert (
        api_client(member).patch(f"/api/v1/events/{event.pk}/", {"place": "X"}, format="json").status_code
        == 409
    )


def test_bad_input_names_the_fields(api_client, office):
    body = {
        **_camp_body(),
        "title_tr": "",
        "capacity": 0,
        "sessions": [{"starts_at": _moment(3, 10), "ends_at": _moment(3, 9)}],
    }
    answer = api_client(office).post("/api/v1/events/", body, format="json")
    assert answer.status_code == 400
    assert {"title_tr", "capacity", "sessions"} <= set(answer.json()["fields"])
    assert not Event.objects.exists()


def test_if_match_guards_the_edit(api_client, office):
    event = EventFactory()
    client = api_client(office)
    tag = client.get(f"/api/v1/events/{event.pk}/")["ETag"]
    assert (
        client.patch(
            f"/api/v1/events/{event.pk}/", {"place": "Edirne"}, format="json", HTTP_IF_MATCH=tag
        ).status_code
        == 200
    )
    stale = client.patch(f"/api/v1/events/{event.pk}/", {"place": "Vize"}, format="json", HTTP_IF_MATCH=tag)
    assert stale.status_code == 412
    assert Event.objects.get(pk=event.pk).place == "Edirne"


def test_drafts_and_events_for_others_answer_404(api_client, member):
    draft = EventFactory(state=EventState.DRAFT)
    elsewhere = EventFactory(audience=Event.Audience.PROVINCES, audience_provinces=["Edirne"])
    client = api_client(member)
    assert client.get(f"/api/v1/events/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v1/events/{elsewhere.pk}/").status_code == 404
    assert client.post(f"/api/v1/events/{elsewhere.pk}/registrations/", {}, format="json").status_code == 404
    assert client.get("/api/v1/events/").json()["count"] == 0


def test_a_member_does_not_take_attendance(api_client, member):
    event = EventFactory()
    answer = api_client(member).get(f"/api/v1/events/{event.pk}/attendance/")
    assert answer.status_code == 409


def test_filters(api_client, office):
    EventFactory(kind=Event.Kind.TRAINING)
    past = into_the_past(EventFactory(kind=Event.Kind.INFO_DAY))
    client = api_client(office)
    assert client.get("/api/v1/events/?kind=info_day").json()["count"] == 1
    assert [e["id"] for e in client.get("/api/v1/events/?upcoming=false").json()["results"]] == [past.pk]
    assert client.get("/api/v1/events/?year=99999").json()["count"] == 0  # no such year: none


def test_the_event_list_costs_the_same_for_1_and_5_events(api_client, member, django_assert_num_queries):
    def make(n):
        for _ in range(n):
            event = EventFactory(sessions=2)
            RegistrationFactory(
                event=event, person=member, municipality=member.team_memberships.get().municipality
            )

    assert_same_query_count(api_client(member), "/api/v1/events/", make, django_assert_num_queries)


def test_an_events_registrations_cost_the_same_for_1_and_5(api_client, office, django_assert_num_queries):
    event = EventFactory(capacity=None)
    assert_same_query_count(
        api_client(office),
        f"/api/v1/events/{event.pk}/registrations/",
        lambda n: RegistrationFactory.create_batch(n, event=event),
        django_assert_num_queries,
    )


def test_my_registrations_cost_the_same_for_1_and_5(api_client, member, django_assert_num_queries):
    municipality = member.team_memberships.get().municipality
    assert_same_query_count(
        api_client(member),
        "/api/v1/event-registrations/",
        lambda n: [RegistrationFactory(person=member, municipality=municipality) for _ in range(n)],
        django_assert_num_queries,
    )


def test_certificates_cost_the_same_for_1_and_5(api_client, office, django_assert_num_queries):
    assert_same_query_count(
        api_client(office),
        "/api/v1/certificates/",
        lambda n: CertificateFactory.create_batch(n),
        django_assert_num_queries,
    )


def test_the_team_lead_sees_the_municipalitys_registrations(api_client, member, colleague, make_member):
    event = EventFactory()
    municipality = member.team_memberships.get().municipality
    RegistrationFactory(event=event, person=colleague, municipality=municipality)
    RegistrationFactory(event=event, person=make_member("Other"))
    assert api_client(member).get(f"/api/v1/events/{event.pk}/registrations/").json()["count"] == 1
    assert api_client(colleague).get(f"/api/v1/events/{event.pk}/registrations/").json()["count"] == 1


def test_a_stranger_person_is_bad_input(api_client, member):
    event = EventFactory()
    answer = api_client(member).post(
        f"/api/v1/events/{event.pk}/registrations/", {"person": 999999}, format="json"
    )
    assert answer.status_code == 400 and "person" in answer.json()["fields"]
