"""/api/v1/events/: what a client reads and sends, the filters, the ETag, the steps and the log."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from rest_framework import serializers as drf_serializers

from events.api.serializers import EventSerializer
from events.models import RELATIONS, Event
from events.selectors import listing
from events.states import EventState, RegistrationState
from tests.events.calendar import into_the_past
from tests.factories import (
    EventFactory,
    ExpertProfileFactory,
    LibrarySetFactory,
    MunicipalityFactory,
    ProgrammeFactory,
    RegistrationFactory,
    ThemeFactory,
)
from tests.querycount import assert_same_query_count

pytestmark = pytest.mark.django_db


def _body(**fields) -> dict:
    start = (timezone.now() + timedelta(days=20)).replace(microsecond=0)
    return {
        "kind": "training",
        "title_tr": "Hibe yazımı",
        "title_en": "Grant writing",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=6)).isoformat(),
        "registration_opens_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "registration_closes_at": (start - timedelta(days=1)).isoformat(),
        **fields,
    }


def _ids(answer) -> list[int]:
    assert answer.status_code == 200, answer.json()
    return [row["id"] for row in answer.json()["results"]]


def test_the_office_creates_a_draft_with_its_one_session(api_client, office):
    programme, theme = ProgrammeFactory(), ThemeFactory()
    answer = api_client(office).post(
        "/api/v1/events/", _body(programmes=[programme.pk], themes=[theme.pk], capacity=12), format="json"
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert answer["ETag"] == f'"event{body["id"]}.v1"'
    assert (body["state"], body["kind_label"], body["title"]) == ("draft", "Training", "Grant writing")
    assert [s["hours"] for s in body["sessions"]] == ["6.0"]
    assert body["seats"] == {"confirmed": 0, "pending": 0, "waitlisted": 0, "left": 12}
    assert (body["programmes"], body["themes"], body["my_registration"]) == ([programme.pk], [theme.pk], None)
    assert Event.objects.get().created_by == office


def test_a_member_is_not_permitted_to_create(api_client, member):
    answer = api_client(member).post("/api/v1/events/", _body(), format="json")
    assert answer.status_code == 409 and answer.json()["code"] == "not_permitted"
    assert not Event.objects.exists()


def test_bad_input_answers_400_with_every_field(api_client, office):
    answer = api_client(office).post(
        "/api/v1/events/",
        _body(kind="online_session", audience="chosen", registration_closes_at=_body()["ends_at"]),
        format="json",
    )
    assert answer.status_code == 400
    assert set(answer.json()["fields"]) == {"online_url", "audience_municipalities", "registration_closes_at"}


def test_moments_before_1980_are_bad_input_and_nothing_changes(api_client, office):
    event = EventFactory(state=EventState.DRAFT)
    before = Event.objects.values().get(pk=event.pk)
    answer = api_client(office).patch(
        f"/api/v1/events/{event.pk}/",
        {"registration_opens_at": "0420-12-25T01:25:06+02:00", "starts_at": "1979-12-31T23:00:00Z"},
        format="json",
    )
    assert answer.status_code == 400
    assert set(answer.json()["fields"]) == {"registration_opens_at", "starts_at"}
    assert Event.objects.values().get(pk=event.pk) == before


def test_an_unknown_province_is_bad_input(api_client, office):
    answer = api_client(office).post(
        "/api/v1/events/", _body(audience="provinces", audience_provinces=["Atlantis"]), format="json"
    )
    assert answer.status_code == 400 and "audience_provinces" in answer.json()["fields"]


def test_drafts_are_the_offices_and_other_audiences_are_hidden(api_client, office, member):
    draft = EventFactory(state=EventState.DRAFT)
    elsewhere = EventFactory(audience=Event.Audience.PROVINCES, audience_provinces=["Edirne"])
    ours = EventFactory(audience=Event.Audience.PROVINCES, audience_provinces=["Kırklareli"])
    client = api_client(member)
    assert _ids(client.get("/api/v1/events/")) == [ours.pk]
    for hidden in (draft, elsewhere):
        assert client.get(f"/api/v1/events/{hidden.pk}/").status_code == 404
        assert client.get(f"/api/v1/events/{hidden.pk}/history/").status_code == 404
    assert set(_ids(api_client(office).get("/api/v1/events/"))) == {draft.pk, elsewhere.pk, ours.pk}


def test_the_filters(api_client, office, member):
    programme, theme = ProgrammeFactory(), ThemeFactory()
    camp = EventFactory(kind=Event.Kind.PROJECT_CAMP, title_en="B camp")
    camp.programmes.add(programme)
    camp.themes.add(theme)
    info = EventFactory(kind=Event.Kind.INFO_DAY, title_en="A info day", state=EventState.CLOSED)
    past = into_the_past(EventFactory(title_en="C past"))
    RegistrationFactory(event=info, person=member, municipality=member.team_memberships.get().municipality)
    RegistrationFactory(
        event=past, person=member, municipality=member.team_memberships.get().municipality, state="cancelled"
    )
    client = api_client(office)
    assert _ids(client.get("/api/v1/events/?kind=project_camp")) == [camp.pk]
    assert _ids(client.get("/api/v1/events/?state=registration_closed")) == [info.pk]
    assert _ids(client.get(f"/api/v1/events/?programme={programme.pk}")) == [camp.pk]
    assert _ids(client.get(f"/api/v1/events/?theme={theme.pk}")) == [camp.pk]
    assert set(_ids(client.get("/api/v1/events/?upcoming=true"))) == {camp.pk, info.pk}
    far = EventFactory(
        starts_at=datetime(2031, 6, 2, 6, tzinfo=UTC), ends_at=datetime(2031, 6, 2, 14, tzinfo=UTC)
    )
    assert _ids(client.get("/api/v1/events/?year=2031")) == [far.pk]
    assert _ids(client.get("/api/v1/events/?year=99999")) == []
    far.delete()
    assert _ids(client.get("/api/v1/events/?ordering=-starts_at"))[-1] == past.pk
    assert _ids(client.get("/api/v1/events/?ordering=title")) == [info.pk, camp.pk, past.pk]
    assert _ids(client.get("/api/v1/events/?ordering=-title")) == [past.pk, camp.pk, info.pk]
    assert _ids(client.get("/api/v1/events/"))[0] == past.pk  # soonest first
    # mine: live registrations only (the cancelled one at the past event does not count)
    assert _ids(api_client(member).get("/api/v1/events/?registered=true")) == [info.pk]
    assert client.get("/api/v1/events/?ordering=id").status_code == 400
    assert client.get("/api/v1/events/?kind=party").status_code == 400


def test_my_place_on_the_waiting_list_is_shown(api_client, member):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, state=RegistrationState.WAITLISTED)
    mine = RegistrationFactory(
        event=event,
        person=member,
        municipality=member.team_memberships.get().municipality,
        state=RegistrationState.WAITLISTED,
    )
    listed = api_client(member).get("/api/v1/events/").json()["results"][0]
    assert listed["my_registration"] == {"id": mine.pk, "state": "waitlisted", "position": 2}
    assert listed["seats"] == {"confirmed": 1, "pending": 0, "waitlisted": 2, "left": 0}


def test_an_edit_with_the_tag_read_wins_and_a_stale_one_answers_412(api_client, office):
    event = EventFactory()
    client = api_client(office)
    tag = client.get(f"/api/v1/events/{event.pk}/")["ETag"]
    edited = client.patch(f"/api/v1/events/{event.pk}/", {"capacity": 40}, format="json", HTTP_IF_MATCH=tag)
    assert edited.status_code == 200 and edited["ETag"] != tag and edited.json()["capacity"] == 40
    stale = client.patch(f"/api/v1/events/{event.pk}/", {"capacity": 50}, format="json", HTTP_IF_MATCH=tag)
    assert stale.status_code == 412 and stale.json()["code"] == "precondition_failed"
    anyway = client.patch(f"/api/v1/events/{event.pk}/", {"capacity": 50}, format="json", HTTP_IF_MATCH="*")
    assert anyway.status_code == 200
    assert Event.objects.get(pk=event.pk).capacity == 50


def test_a_held_event_answers_409_to_an_edit(api_client, office):
    event = EventFactory(state=EventState.HELD)
    answer = api_client(office).patch(f"/api/v1/events/{event.pk}/", {"place": "Edirne"}, format="json")
    assert answer.status_code == 409 and answer.json()["reasons"][0]["code"] == "wrong_state"


def test_the_steps_the_office_may_take_and_a_member_none(api_client, office, member):
    event = EventFactory(state=EventState.CLOSED)
    steps = api_client(office).get(f"/api/v1/events/{event.pk}/transitions/").json()
    assert steps["state"] == "registration_closed"
    by_name = {step["name"]: step for step in steps["steps"]}
    assert by_name["mark_held"]["allowed"] is False
    assert [r["code"] for r in by_name["mark_held"]["reasons"]] == ["not_over_yet"]
    assert api_client(member).get(f"/api/v1/events/{event.pk}/transitions/").json()["steps"] == []


def test_running_steps_through_the_api(api_client, office, member):
    event = EventFactory(state=EventState.DRAFT)
    client = api_client(office)
    opened = client.post(f"/api/v1/events/{event.pk}/transitions/open_registration/", {"comment": "Go"})
    assert opened.status_code == 200 and opened.json()["state"] == "open" and opened["ETag"]
    refused = api_client(member).post(f"/api/v1/events/{event.pk}/transitions/close_registration/", {})
    assert refused.status_code == 409 and refused.json()["reasons"][0]["code"] == "not_permitted"
    no_reason = client.post(f"/api/v1/events/{event.pk}/transitions/cancel/", {})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    assert client.post(f"/api/v1/events/{event.pk}/transitions/explode/", {}).status_code == 404
    cancelled = client.post(f"/api/v1/events/{event.pk}/transitions/cancel/", {"reason": "Flood."})
    assert (cancelled.json()["state"], cancelled.json()["cancellation_reason"]) == ("cancelled", "Flood.")
    history = client.get(f"/api/v1/events/{event.pk}/history/").json()
    assert [(h["source"], h["target"], h["transition"], h["by"]) for h in history] == [
        ("draft", "open", "open_registration", office.pk),
        ("open", "cancelled", "cancel", office.pk),
    ]
    assert history[0]["description"] == "Go"


@pytest.mark.parametrize("who", ["office", "member"])
def test_the_event_list_costs_the_same_for_1_and_5(
    api_client, office, member, who, django_assert_num_queries
):
    user = {"office": office, "member": member}[who]
    municipality = member.team_memberships.get().municipality

    def make(n):
        for _ in range(n):
            event = EventFactory(sessions=2, capacity=1)
            event.programmes.add(ProgrammeFactory())
            RegistrationFactory(event=event)
            RegistrationFactory(
                event=event, person=member, municipality=municipality, state=RegistrationState.WAITLISTED
            )

    assert_same_query_count(api_client(user), "/api/v1/events/", make, django_assert_num_queries)


@pytest.mark.parametrize("full", [True, False])
@pytest.mark.parametrize("language", ["en", "tr"])
def test_the_written_out_event_equals_the_declared_fields(full, language):
    event = EventFactory(sessions=2 if full else 0, capacity=20 if full else None)
    if full:
        event.programmes.set([ProgrammeFactory(), ProgrammeFactory()])
        event.themes.set([ThemeFactory(), ThemeFactory(), ThemeFactory()])
        event.audience_municipalities.set([MunicipalityFactory(), MunicipalityFactory()])
        event.trainers.set([ExpertProfileFactory(), ExpertProfileFactory()])
        event.materials.set([LibrarySetFactory()])
        Event.objects.filter(pk=event.pk).update(
            audience_provinces=["34", "59"], cancellation_reason="", agenda="09:00 Açılış"
        )
        RegistrationFactory(event=event)
    listed = listing.with_seats(Event.objects.filter(pk=event.pk)).prefetch_related(*RELATIONS, "sessions")
    (event,) = listing.attach_related_ids(list(listed))
    serializer = EventSerializer(context={"mine": {}})
    with translation.override(language):
        declared = dict(drf_serializers.ModelSerializer.to_representation(serializer, event))
        written = serializer.to_representation(event)
    for relation in RELATIONS:  # a set of ids: the written-out answer gives them in ascending order
        declared[relation] = sorted(declared[relation])
    declared["sessions"] = [dict(session) for session in declared["sessions"]]
    assert written == declared
    assert len(written["themes"]) == (3 if full else 0)
    assert written["seats"]["confirmed"] == (1 if full else 0)


def test_one_event_reads_its_relations_as_ids_without_building_them(api_client, office):
    """The detail (and every answer of a write) gives programmes, themes, municipalities, trainers and
    materials as ids from the link tables: none of their own tables is read."""
    event = EventFactory(sessions=1)
    programmes, themes = [ProgrammeFactory(), ProgrammeFactory()], [ThemeFactory()]
    event.programmes.add(*programmes)
    event.themes.add(*themes)
    event.trainers.add(ExpertProfileFactory())
    with CaptureQueriesContext(connection) as captured:
        body = api_client(office).get(f"/api/v1/events/{event.pk}/").json()
    assert body["programmes"] == sorted(p.pk for p in programmes)
    assert body["themes"] == [themes[0].pk]
    assert len(body["trainers"]) == 1
    related_tables = [Event._meta.get_field(relation).related_model._meta.db_table for relation in RELATIONS]
    read = " ".join(query["sql"] for query in captured.captured_queries)
    assert [table for table in related_tables if f'FROM "{table}"' in read] == []
