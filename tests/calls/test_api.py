"""Programmes and calls through the API: list, detail, filters, bad filters, deadlines, query counts."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone, translation
from rest_framework import serializers as drf_serializers

from grants_office.calls import selectors
from grants_office.calls.api import CallSerializer
from grants_office.calls.models import DocumentKind, FundingProgramme
from tests.factories import (
    CallFactory,
    ChecklistItemFactory,
    CriterionFactory,
    ProgrammeFactory,
    RubricFactory,
    ThemeFactory,
    full_call,
)
from tests.querycount import assert_same_query_count

pytestmark = pytest.mark.django_db

PROGRAMMES = "/api/v1/programmes/"
CALLS = "/api/v1/calls/"


def references(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


def bad_request_fields(response) -> list[str]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"code", "detail", "fields"}
    assert body["code"] == "invalid"
    assert isinstance(body["detail"], str)
    return list(body["fields"])


# Programmes --------------------------------------------------------------------------------------------


@pytest.fixture
def programmes():
    return {
        "ipa": ProgrammeFactory(
            name="Interreg VI-A IPA Bulgaria–Türkiye", short_name="IPA BG-TR", kind=FundingProgramme.Kind.EU
        ),
        "trakya": ProgrammeFactory(
            name="Trakya Kalkınma Ajansı Mali Destek Programı",
            funder="Trakya Kalkınma Ajansı",
            kind=FundingProgramme.Kind.NATIONAL,
        ),
        "undp": ProgrammeFactory(
            name="UNDP Climate Fund", funder="UNDP", kind=FundingProgramme.Kind.INTERNATIONAL
        ),
    }


def test_programme_list_and_detail(api_client, team_member, programmes):
    client = api_client(team_member)
    ipa = programmes["ipa"]

    listed = client.get(PROGRAMMES)
    detail = client.get(f"{PROGRAMMES}{ipa.pk}/")

    assert listed.status_code == 200
    assert listed.json()["count"] == 3
    assert detail.json() == {
        "id": ipa.pk,
        "name": "Interreg VI-A IPA Bulgaria–Türkiye",
        "short_name": "IPA BG-TR",
        "funder": "European Commission",
        "kind": "eu",
        "website": "",
        "description": "",
    }


def test_programmes_filter_by_kind(api_client, office_user, programmes):
    response = api_client(office_user).get(PROGRAMMES, {"kind": "national"})

    assert [row["short_name"] or row["name"] for row in response.json()["results"]] == [
        "Trakya Kalkınma Ajansı Mali Destek Programı"
    ]


def test_bad_programme_kind_answers_400(api_client, office_user):
    assert bad_request_fields(api_client(office_user).get(PROGRAMMES, {"kind": "regional"})) == ["kind"]


@pytest.mark.parametrize("url", [PROGRAMMES, f"{PROGRAMMES}1/", CALLS, f"{CALLS}1/"])
def test_programmes_and_calls_are_closed_to_anonymous_requests(api_client, url):
    response = api_client().get(url)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


# Calls: what a call shows ------------------------------------------------------------------------------


def test_call_detail_shows_deadline_in_the_funders_time_zone(api_client, team_member):
    # 17:00 Brussels on 5 March 2027 (winter time, UTC+1) is 16:00 UTC and 19:00 in Istanbul.
    call = full_call(
        reference="IPA-BG-TR-2027-1",
        deadline=datetime(2027, 3, 5, 16, 0, tzinfo=UTC),
        deadline_timezone="Europe/Brussels",
        opens_on=timezone.localdate() - timedelta(days=1),
    )

    body = api_client(team_member).get(f"{CALLS}{call.pk}/").json()

    assert body["deadline_display"] == "2027-03-05 17:00 (Europe/Brussels)"
    assert body["deadline_local"] == "2027-03-05T17:00:00+01:00"
    assert body["deadline"] == "2027-03-05T19:00:00+03:00"
    assert body["deadline_timezone"] == "Europe/Brussels"


def test_call_deadline_display_follows_summer_time(api_client, team_member):
    call = CallFactory(deadline=datetime(2027, 6, 10, 15, 0, tzinfo=UTC))

    body = api_client(team_member).get(f"{CALLS}{call.pk}/").json()

    assert body["deadline_display"] == "2027-06-10 17:00 (Europe/Brussels)"


def test_call_detail_nests_programme_themes_rubric_and_checklist(api_client, team_member):
    call = full_call(is_two_stage=True, grant_min=100_000, grant_max=500_000, cofinancing_rate=85)

    body = api_client(team_member).get(f"{CALLS}{call.pk}/").json()

    assert body["programme"]["id"] == call.programme_id
    assert sorted(theme["code"] for theme in body["themes"]) == sorted(
        call.themes.values_list("code", flat=True)
    )
    assert [c["code"] for c in body["rubric"]["criteria"]] == ["excellence", "impact", "implementation"]
    assert body["rubric"]["criteria"][0] == {
        "code": "excellence",
        "title": "Excellence",
        "description": "",
        "scale_min": "0.00",
        "scale_max": "5.00",
        "step": "0.50",
        "threshold": "3.00",
        "weight": "1.00",
    }
    assert body["checklist"] == [
        {"document_kind": "application_form", "required": True, "notes": ""},
        {"document_kind": "budget", "required": True, "notes": ""},
        {"document_kind": "letter_of_support", "required": False, "notes": ""},
    ]
    assert body["is_two_stage"] is True
    assert body["is_open"] is True
    assert (body["grant_min"], body["grant_max"], body["cofinancing_rate"]) == (
        "100000.00",
        "500000.00",
        "85.00",
    )


def test_call_without_rubric_answers_null_rubric(api_client, team_member):
    call = CallFactory()

    body = api_client(team_member).get(f"{CALLS}{call.pk}/").json()

    assert body["rubric"] is None
    assert body["themes"] == []
    assert body["checklist"] == []


# Calls: filters ----------------------------------------------------------------------------------------


@pytest.fixture
def calls(programmes):
    """Past, open and future calls of an EU and a national programme."""
    now = timezone.now()
    today = timezone.localdate()
    climate = ThemeFactory(code="climate-adaptation")
    tourism = ThemeFactory(code="tourism")
    return {
        "past": CallFactory(
            reference="IPA-2026-1",
            title="Cross-border tourism 2026",
            programme=programmes["ipa"],
            opens_on=today - timedelta(days=200),
            deadline=now - timedelta(days=30),
            themes=[tourism],
        ),
        "open_eu": CallFactory(
            reference="IPA-2027-1",
            title="Flood risk in the Meriç basin",
            programme=programmes["ipa"],
            opens_on=today - timedelta(days=10),
            deadline=now + timedelta(days=20),
            themes=[climate],
            is_two_stage=True,
        ),
        "open_national": CallFactory(
            reference="TRAKYAKA-2027-MDP",
            title="Mali Destek Programı 2027",
            programme=programmes["trakya"],
            opens_on=today - timedelta(days=5),
            deadline=now + timedelta(days=40),
            deadline_timezone="Europe/Istanbul",
            themes=[climate, tourism],
        ),
        "future": CallFactory(
            reference="IPA-2027-2",
            title="Tourism routes of Thrace",
            programme=programmes["ipa"],
            opens_on=today + timedelta(days=30),
            deadline=now + timedelta(days=120),
        ),
    }


def test_call_list_is_ordered_by_deadline(api_client, team_member, calls):
    response = api_client(team_member).get(CALLS)

    assert references(response) == ["IPA-2026-1", "IPA-2027-1", "TRAKYAKA-2027-MDP", "IPA-2027-2"]


def test_calls_filter_by_programme(api_client, office_user, calls, programmes):
    response = api_client(office_user).get(CALLS, {"programme": programmes["trakya"].pk})

    assert references(response) == ["TRAKYAKA-2027-MDP"]


def test_calls_filter_by_programme_kind(api_client, office_user, calls):
    client = api_client(office_user)

    assert references(client.get(CALLS, {"programme_kind": "national"})) == ["TRAKYAKA-2027-MDP"]
    assert references(client.get(CALLS, {"programme_kind": "international"})) == []


@pytest.mark.parametrize("value", ["true", "True", "1"])
def test_calls_filter_open_now(api_client, office_user, calls, value):
    response = api_client(office_user).get(CALLS, {"open": value})

    assert references(response) == ["IPA-2027-1", "TRAKYAKA-2027-MDP"]


@pytest.mark.parametrize("value", ["false", "0"])
def test_calls_filter_closed_includes_past_and_not_yet_opened(api_client, office_user, calls, value):
    response = api_client(office_user).get(CALLS, {"open": value})

    assert references(response) == ["IPA-2026-1", "IPA-2027-2"]


def test_calls_filter_by_deadline_range(api_client, office_user, calls):
    now = timezone.now()
    client = api_client(office_user)

    after = client.get(CALLS, {"deadline_after": (now + timedelta(days=1)).isoformat()})
    between = client.get(
        CALLS,
        {
            "deadline_after": (now + timedelta(days=1)).isoformat(),
            "deadline_before": (now + timedelta(days=60)).isoformat(),
        },
    )
    before = client.get(CALLS, {"deadline_before": now.isoformat()})

    assert references(after) == ["IPA-2027-1", "TRAKYAKA-2027-MDP", "IPA-2027-2"]
    assert references(between) == ["IPA-2027-1", "TRAKYAKA-2027-MDP"]
    assert references(before) == ["IPA-2026-1"]


def test_calls_deadline_filter_accepts_a_plain_date(api_client, office_user, calls):
    day = (timezone.localdate() + timedelta(days=30)).isoformat()

    response = api_client(office_user).get(CALLS, {"deadline_after": day})

    assert references(response) == ["TRAKYAKA-2027-MDP", "IPA-2027-2"]


def test_calls_filter_by_theme_code(api_client, office_user, calls):
    client = api_client(office_user)

    assert references(client.get(CALLS, {"theme": "climate-adaptation"})) == [
        "IPA-2027-1",
        "TRAKYAKA-2027-MDP",
    ]
    assert references(client.get(CALLS, {"theme": "tourism"})) == ["IPA-2026-1", "TRAKYAKA-2027-MDP"]


def test_calls_filter_by_two_stage(api_client, office_user, calls):
    client = api_client(office_user)

    assert references(client.get(CALLS, {"is_two_stage": "true"})) == ["IPA-2027-1"]
    assert references(client.get(CALLS, {"is_two_stage": "false"})) == [
        "IPA-2026-1",
        "TRAKYAKA-2027-MDP",
        "IPA-2027-2",
    ]


def test_calls_search_by_reference_and_title(api_client, office_user, calls):
    client = api_client(office_user)

    assert references(client.get(CALLS, {"search": "TRAKYAKA"})) == ["TRAKYAKA-2027-MDP"]
    assert references(client.get(CALLS, {"search": "tourism"})) == ["IPA-2026-1", "IPA-2027-2"]


def test_call_filters_combine(api_client, office_user, calls):
    response = api_client(office_user).get(
        CALLS, {"open": "true", "theme": "climate-adaptation", "programme_kind": "eu"}
    )

    assert references(response) == ["IPA-2027-1"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"deadline_after": "notadate"}, "deadline_after"),
        ({"deadline_before": "2027-13-45"}, "deadline_before"),
        ({"programme": "abc"}, "programme"),
        ({"programme": "999999"}, "programme"),
        ({"programme": "99999999999999999999"}, "programme"),
        ({"programme_kind": "regional"}, "programme_kind"),
        ({"theme": "no-such-theme"}, "theme"),
        ({"open": "maybe"}, "open"),
        ({"is_two_stage": "yes please"}, "is_two_stage"),
    ],
)
def test_bad_call_filter_answers_400_with_error_body(api_client, office_user, params, field):
    response = api_client(office_user).get(CALLS, params)

    assert bad_request_fields(response) == [field]


def test_several_bad_call_filters_are_all_reported(api_client, office_user):
    response = api_client(office_user).get(CALLS, {"deadline_after": "x", "open": "x", "theme": "x"})

    assert sorted(bad_request_fields(response)) == ["deadline_after", "open", "theme"]


# Calls: writes -----------------------------------------------------------------------------------------
# Calls and programmes are kept in the admin; the API only reads them, for everybody.


@pytest.mark.parametrize("who", ["admin_user_", "office_user", "team_member"])
def test_calls_and_programmes_api_is_read_only_for_everyone(request, api_client, who):
    client = api_client(request.getfixturevalue(who))
    call = CallFactory(title="Unchanged")

    responses = [
        client.post(CALLS, {"title": "New"}),
        client.patch(f"{CALLS}{call.pk}/", {"title": "Changed"}),
        client.delete(f"{CALLS}{call.pk}/"),
        client.post(PROGRAMMES, {"name": "New"}),
        client.delete(f"{PROGRAMMES}{call.programme_id}/"),
    ]

    assert [r.status_code for r in responses] == [405] * 5
    call.refresh_from_db()
    assert call.title == "Unchanged"


# Query counts ------------------------------------------------------------------------------------------


def test_programme_list_query_count_does_not_grow(api_client, office_user, django_assert_num_queries):
    assert_same_query_count(
        api_client(office_user),
        PROGRAMMES,
        lambda n: ProgrammeFactory.create_batch(n),
        django_assert_num_queries,
    )


def test_call_list_query_count_does_not_grow(api_client, office_user, django_assert_num_queries):
    """Each call nests its programme, themes, rubric with criteria and checklist: still no N+1."""
    assert_same_query_count(
        api_client(office_user),
        CALLS,
        lambda n: [full_call() for _ in range(n)],
        django_assert_num_queries,
    )


def test_filtered_call_list_query_count_does_not_grow(api_client, office_user, django_assert_num_queries):
    theme = ThemeFactory(code="energy")
    assert_same_query_count(
        api_client(office_user),
        f"{CALLS}?open=true&theme=energy&programme_kind=eu&search=Call",
        lambda n: [full_call(themes=[theme, ThemeFactory()]) for _ in range(n)],
        django_assert_num_queries,
    )


def test_call_detail_query_count_does_not_grow_with_what_it_nests(
    api_client, office_user, django_assert_num_queries
):
    call = CallFactory(rubric=RubricFactory(criteria=[("relevance", "Relevance")]))
    kinds = iter([kind for kind in DocumentKind if kind != DocumentKind.APPLICATION_FORM])

    def add_nested(n):
        for _ in range(n):
            call.themes.add(ThemeFactory())
            ChecklistItemFactory(call=call, document_kind=next(kinds))
            CriterionFactory(rubric=call.rubric)

    ChecklistItemFactory(call=call)
    assert_same_query_count(
        api_client(office_user),
        f"{CALLS}{call.pk}/",
        add_nested,
        django_assert_num_queries,
        rows_in=lambda body: len(body["checklist"]) - 1,
    )


def test_programme_detail_query_count(api_client, office_user, django_assert_num_queries):
    programme = ProgrammeFactory()
    client = api_client(office_user)
    client.get(f"{PROGRAMMES}{programme.pk}/")  # warm-up

    with django_assert_num_queries(1):
        response = client.get(f"{PROGRAMMES}{programme.pk}/")

    assert response.status_code == 200


@pytest.mark.parametrize("full", [True, False])
@pytest.mark.parametrize("language", ["en", "tr"])
def test_the_written_out_call_equals_the_declared_fields(full, language):
    if full:
        call = full_call(
            is_two_stage=True,
            stage2_deadline=timezone.now() + timedelta(days=90),
            grant_min=100_000,
            grant_max=500_000,
            cofinancing_rate="85.5",
            eligibility_notes="Belediyeler ve birlikler",
            url="https://example.eu/call",
        )
    else:
        call = CallFactory(rubric=None, grant_min=None, grant_max=None, cofinancing_rate=None)
    call = selectors.calls().get(pk=call.pk)
    serializer = CallSerializer(context={})
    with translation.override(language):
        declared = drf_serializers.ModelSerializer.to_representation(serializer, call)
        written = serializer.to_representation(call)
    assert written == dict(declared)
    assert (written["rubric"] is None) is not full
