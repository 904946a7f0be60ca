"""Registrations through the API: an event's, a person's own, and the actions on one."""

import pytest

from events.models import Registration
from events.states import RegistrationState
from tests.factories import EventFactory, RegistrationFactory
from tests.querycount import assert_same_query_count

pytestmark = pytest.mark.django_db

R = RegistrationState


def _register(client, event, **body):
    return client.post(f"/api/v1/events/{event.pk}/registrations/", body, format="json")


def test_registering_answers_201_with_the_place(api_client, member):
    event = EventFactory(capacity=1)
    answer = _register(api_client(member), event)
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["state"], body["person"], body["registered_by"], body["position"]) == (
        "confirmed",
        member.pk,
        member.pk,
        None,
    )
    assert body["municipality_name"] == "Vize Belediyesi" and body["event"] == event.pk


def test_the_team_lead_registers_a_colleague_and_a_colleague_not_the_lead(api_client, member, colleague):
    event = EventFactory()
    assert _register(api_client(member), event, person=colleague.pk).json()["person"] == colleague.pk
    refused = _register(api_client(colleague), EventFactory(), person=member.pk)
    assert refused.status_code == 409 and refused.json()["reasons"][0]["code"] == "not_permitted"


def test_each_refusal_answers_409_with_its_code(api_client, member, make_member):
    full = EventFactory(capacity=1, waiting_list=False)
    _register(api_client(make_member("A")), full)
    answer = _register(api_client(member), full)
    assert answer.status_code == 409 and answer.json()["reasons"][0]["code"] == "event_full"
    assert Registration.objects.filter(event=full).count() == 1


def test_a_municipality_of_another_team_is_not_permitted(api_client, member, make_member):
    other = make_member("Enez").team_memberships.get().municipality
    answer = _register(api_client(member), EventFactory(), municipality=other.pk)
    assert answer.status_code == 409 and answer.json()["code"] == "not_permitted"


def test_the_events_registrations_by_who_reads(api_client, office, member, colleague, make_member):
    event = EventFactory()
    municipality = member.team_memberships.get().municipality
    ours = RegistrationFactory(event=event, person=colleague, municipality=municipality)
    RegistrationFactory(event=event, person=make_member("B"))

    def ids(user):
        return {
            r["id"]
            for r in api_client(user).get(f"/api/v1/events/{event.pk}/registrations/").json()["results"]
        }

    assert len(ids(office)) == 2
    assert ids(member) == {ours.pk}
    assert ids(colleague) == {ours.pk}


def test_my_registrations_with_their_event(api_client, member, make_member):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    mine = RegistrationFactory(
        event=event,
        person=member,
        municipality=member.team_memberships.get().municipality,
        state=R.WAITLISTED,
    )
    RegistrationFactory(person=make_member("B"))
    rows = api_client(member).get("/api/v1/event-registrations/").json()["results"]
    assert [(r["id"], r["event"], r["position"]) for r in rows] == [(mine.pk, event.pk, 1)]
    assert rows[0]["event_title"] in (event.title_tr, event.title_en)
    assert rows[0]["event_starts_at"]


def test_someone_elses_registration_answers_404(api_client, member, make_member):
    registration = RegistrationFactory(person=make_member("B"))
    client = api_client(member)
    assert client.get(f"/api/v1/event-registrations/{registration.pk}/").status_code == 404
    assert client.post(f"/api/v1/event-registrations/{registration.pk}/cancel/").status_code == 404
    assert client.get("/api/v1/event-registrations/１２/").status_code == 404


def test_cancel_promotes_the_waiting_list(api_client, member, make_member):
    event = EventFactory(capacity=1)
    first = _register(api_client(member), event).json()
    other = make_member("B")
    _register(api_client(other), event)
    cancelled = api_client(member).post(f"/api/v1/event-registrations/{first['id']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert Registration.objects.get(person=other).state == R.CONFIRMED
    again = api_client(member).post(f"/api/v1/event-registrations/{first['id']}/cancel/")
    assert again.status_code == 409 and again.json()["reasons"][0]["code"] == "not_live"


def test_the_office_approves_refuses_and_moves(api_client, office, member, make_member):
    event = EventFactory(capacity=1, requires_approval=True)
    pending = _register(api_client(member), event).json()
    assert pending["state"] == "pending"
    client = api_client(office)
    assert client.post(f"/api/v1/event-registrations/{pending['id']}/approve/").json()["state"] == "confirmed"
    second = _register(api_client(make_member("B")), event).json()
    no_reason = client.post(f"/api/v1/event-registrations/{second['id']}/refuse/", {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    refused = client.post(
        f"/api/v1/event-registrations/{second['id']}/refuse/", {"reason": "Full."}, format="json"
    )
    assert (refused.json()["state"], refused.json()["refusal_reason"]) == ("refused", "Full.")
    later = EventFactory()
    moved = client.post(
        f"/api/v1/event-registrations/{pending['id']}/move/", {"event": later.pk}, format="json"
    )
    assert moved.status_code == 200, moved.json()
    assert (moved.json()["event"], moved.json()["state"]) == (later.pk, "confirmed")
    assert Registration.objects.get(pk=pending["id"]).moved_to_id == moved.json()["id"]
    nowhere = client.post(
        f"/api/v1/event-registrations/{moved.json()['id']}/move/", {"event": 0}, format="json"
    )
    assert nowhere.status_code == 400 and "event" in nowhere.json()["fields"]


def test_a_member_does_not_decide(api_client, member):
    registration = _register(api_client(member), EventFactory(requires_approval=True)).json()
    answer = api_client(member).post(f"/api/v1/event-registrations/{registration['id']}/approve/")
    assert answer.status_code == 409 and answer.json()["code"] == "not_permitted"


@pytest.mark.parametrize("who", ["office", "lead"])
def test_an_events_registrations_cost_the_same_for_1_and_5(
    api_client, office, member, who, django_assert_num_queries
):
    event = EventFactory(capacity=2)
    municipality = member.team_memberships.get().municipality
    user = office if who == "office" else member
    assert_same_query_count(
        api_client(user),
        f"/api/v1/events/{event.pk}/registrations/",
        lambda n: RegistrationFactory.create_batch(
            n, event=event, municipality=municipality, state=R.WAITLISTED
        ),
        django_assert_num_queries,
    )


def test_my_registrations_cost_the_same_for_1_and_5(api_client, member, django_assert_num_queries):
    municipality = member.team_memberships.get().municipality
    assert_same_query_count(
        api_client(member),
        "/api/v1/event-registrations/",
        lambda n: [
            RegistrationFactory(person=member, municipality=municipality, state=R.WAITLISTED)
            for _ in range(n)
        ],
        django_assert_num_queries,
    )
