"""Call watch's matches: the open and upcoming calls a team's municipality may lead, ranked, with reasons
(`GET /api/v1/call-matches/` and the page `/calls/matches/`)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cooperation.selectors.matches import UPCOMING_DAYS, call_matches
from grants_office.members.models import Municipality
from tests.factories import (
    CallEligibilityFactory,
    CallFactory,
    MunicipalityFactory,
    PartnerProfileFactory,
    TeamMembershipFactory,
    ThemeFactory,
    UserFactory,
)
from tests.querycount import assert_same_query_count

pytestmark = pytest.mark.django_db

URL = "/api/v1/call-matches/"
PAGE = "/calls/matches/"


def in_days(days: int):
    return timezone.now() + timedelta(days=days)


@pytest.fixture
def themes():
    return {
        "tourism": ThemeFactory(code="tourism", name_en="Tourism", name_tr="Turizm"),
        "culture": ThemeFactory(code="culture", name_en="Culture", name_tr="Kültür"),
        "energy": ThemeFactory(code="energy", name_en="Energy", name_tr="Enerji"),
        "health": ThemeFactory(code="health", name_en="Health", name_tr="Sağlık"),
    }


@pytest.fixture
def kesan(themes):
    """A member in Edirne that follows tourism and culture, with its team."""
    municipality = MunicipalityFactory(name="Keşan Belediyesi", province="Edirne")
    PartnerProfileFactory(municipality=municipality, themes=[themes["tourism"], themes["culture"]])
    return municipality


@pytest.fixture
def member(kesan):
    return TeamMembershipFactory(municipality=kesan, user=UserFactory(username="kesan.team")).user


def interreg(**kwargs):
    """Open only to Edirne and Kırklareli."""
    call = CallFactory(**kwargs)
    CallEligibilityFactory(call=call, lead_provinces=["Edirne", "Kırklareli"])
    return call


def references(body) -> list[str]:
    return [row["reference"] for row in body["results"]]


def test_calls_are_ranked_by_shared_themes_then_share_then_deadline(api_client, member, themes):
    t = themes
    CallFactory(reference="HALF", themes=[t["tourism"], t["culture"], t["energy"], t["health"]])
    interreg(reference="FULL", themes=[t["tourism"], t["culture"]], deadline=in_days(80))
    CallFactory(reference="ONE-SOON", themes=[t["tourism"]], deadline=in_days(10))
    CallFactory(reference="ONE-LATE", themes=[t["tourism"]], deadline=in_days(40))
    CallFactory(reference="NONE", themes=[t["energy"]], deadline=in_days(5))

    body = api_client(member).get(URL).json()

    assert references(body) == ["FULL", "HALF", "ONE-SOON", "ONE-LATE", "NONE"]
    scores = {row["reference"]: row["score"] for row in body["results"]}
    assert scores == {"FULL": 3.0, "HALF": 2.5, "ONE-SOON": 2.0, "ONE-LATE": 2.0, "NONE": 0.0}


def test_a_row_says_what_call_for_whom_and_why(api_client, member, kesan, themes):
    call = interreg(reference="IPA-BG-TR", themes=[themes["tourism"], themes["culture"]])
    call.deadline = timezone.now().replace(hour=12) + timedelta(days=12)
    call.save()

    [row] = api_client(member).get(URL).json()["results"]

    assert row["call"] == call.pk
    assert row["municipality"] == {"id": kesan.pk, "name": "Keşan Belediyesi"}
    assert row["is_open"] is True
    assert row["days_left"] == (timezone.localdate(call.deadline) - timezone.localdate()).days
    assert [theme["code"] for theme in row["shared_themes"]] == ["culture", "tourism"]
    assert {r["code"]: r["message"] for r in row["reasons"]} == {
        "lead_province": "Open to municipalities in Edirne, Kırklareli",
        "lead_membership": "Open to members of the union",
        "themes": "Themes you follow: Culture, Tourism",
        "deadline": f"Deadline in {row['days_left']} days",
    }


def test_calls_the_municipality_may_not_lead_never_appear(api_client, member, themes):
    CallEligibilityFactory(call=CallFactory(reference="TEKIRDAG-ONLY"), lead_provinces=["Tekirdağ"])
    CallEligibilityFactory(call=CallFactory(reference="METROPOLITAN"), lead_kinds=["metropolitan"])
    CallEligibilityFactory(call=CallFactory(reference="BIG-CITIES"), lead_population_min=500_000)
    interreg(reference="IPA")

    assert references(api_client(member).get(URL).json()) == ["IPA"]


def test_a_non_member_sees_only_calls_open_to_non_members(api_client, themes):
    outsider = MunicipalityFactory(province="Edirne", membership_status=Municipality.Membership.NON_MEMBER)
    person = TeamMembershipFactory(municipality=outsider).user
    CallFactory(reference="STANDING-RULE")  # no rules: members only
    CallEligibilityFactory(call=CallFactory(reference="OPEN-TO-ALL"), lead_membership_required=False)

    assert references(api_client(person).get(URL).json()) == ["OPEN-TO-ALL"]


def test_upcoming_calls_appear_with_their_opening_date_and_later_ones_do_not(api_client, member):
    today = timezone.localdate()
    soon = CallFactory(reference="SOON", opens_on=today + timedelta(days=30), deadline=in_days(120))
    CallFactory(reference="LATER", opens_on=today + timedelta(days=UPCOMING_DAYS + 1), deadline=in_days(200))

    [row] = api_client(member).get(URL).json()["results"]

    assert row["reference"] == "SOON" and row["is_open"] is False
    opens = soon.opens_on
    assert row["reasons"][-1] == {"code": "opens", "message": f"Opens on {opens.day} {opens:%B}"}


def test_a_passed_deadline_takes_the_call_out(api_client, member):
    CallFactory(reference="PASSED", opens_on=timezone.localdate() - timedelta(days=90), deadline=in_days(-1))
    CallFactory(reference="OPEN")

    assert references(api_client(member).get(URL).json()) == ["OPEN"]


def test_reasons_follow_the_readers_language(api_client, member, themes):
    CallFactory(themes=[themes["tourism"]])

    response = api_client(member).get(URL, HTTP_ACCEPT_LANGUAGE="tr")

    [row] = response.json()["results"]
    assert [theme["name"] for theme in row["shared_themes"]] == ["Turizm"]
    assert any("Turizm" in reason["message"] for reason in row["reasons"])


def test_the_office_asks_for_any_municipality(api_client, office_user, kesan):
    CallFactory(reference="ANY")

    assert api_client(office_user).get(URL).json()["count"] == 0  # on no team
    body = api_client(office_user).get(URL, {"municipality": kesan.pk}).json()
    assert references(body) == ["ANY"]
    assert body["results"][0]["municipality"]["id"] == kesan.pk


def test_a_municipality_of_another_team_answers_404(api_client, member):
    other = MunicipalityFactory()
    CallFactory()

    response = api_client(member).get(URL, {"municipality": other.pk})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_office_asking_for_a_municipality_that_does_not_exist_gets_404(api_client, office_user):
    assert api_client(office_user).get(URL, {"municipality": 999_999}).status_code == 404


def test_a_municipality_that_is_not_an_id_answers_400(api_client, member):
    response = api_client(member).get(URL, {"municipality": "Keşan"})

    assert response.status_code == 400
    assert "municipality" in response.json()["fields"]


def test_a_person_on_no_team_gets_an_empty_list(api_client):
    CallFactory()

    body = api_client(UserFactory()).get(URL).json()

    assert body["count"] == 0 and body["results"] == []


def test_an_ended_membership_shows_nothing(api_client, kesan):
    today = timezone.localdate()
    left = TeamMembershipFactory(municipality=kesan, starts_on=today - timedelta(days=60), ends_on=today).user
    CallFactory()

    assert api_client(left).get(URL).json()["count"] == 0
    assert api_client(left).get(URL, {"municipality": kesan.pk}).status_code == 404


def test_someone_on_two_teams_sees_both_municipalities(api_client, member, themes):
    other = MunicipalityFactory(name="Lüleburgaz Belediyesi", province="Kırklareli")
    TeamMembershipFactory(municipality=other, user=member)
    interreg()

    body = api_client(member).get(URL).json()

    assert sorted(row["municipality"]["name"] for row in body["results"]) == [
        "Keşan Belediyesi",
        "Lüleburgaz Belediyesi",
    ]
    one = api_client(member).get(URL, {"municipality": other.pk}).json()
    assert [row["municipality"]["name"] for row in one["results"]] == ["Lüleburgaz Belediyesi"]


def test_the_selector_takes_the_moment_to_judge_at(member):
    call = CallFactory(deadline=in_days(3))

    assert [m.call for m in call_matches(member)] == [call]
    assert call_matches(member, at=in_days(4)) == []


def _calls_with_rules_and_themes(themes):
    def make(count):
        for _ in range(count):
            interreg(themes=[themes["tourism"], themes["energy"]])

    return make


def test_the_list_costs_the_same_queries_for_one_call_and_five(
    api_client, member, themes, django_assert_num_queries
):
    queries = assert_same_query_count(
        api_client(member), URL, _calls_with_rules_and_themes(themes), django_assert_num_queries
    )
    # memberships (cached on the user after the warm-up), municipalities, calls, their themes, interests
    assert queries == 4


def test_the_office_list_for_a_municipality_costs_the_same_queries(
    api_client, office_user, kesan, themes, django_assert_num_queries
):
    assert_same_query_count(
        api_client(office_user),
        f"{URL}?municipality={kesan.pk}",
        _calls_with_rules_and_themes(themes),
        django_assert_num_queries,
    )


# --- the page ------------------------------------------------------------------------------------------
def test_the_page_lists_the_calls_with_reasons_and_links(client_for, member, kesan, themes):
    call = interreg(reference="IPA-BG-TR", themes=[themes["tourism"]])

    response = client_for(member).get(PAGE)

    assert response.status_code == 200
    text = response.content.decode()
    assert "Calls for us" in text
    assert f'href="/calls/{call.pk}/"' in text
    assert f'href="/proposals/new/?lead={kesan.pk}&amp;call={call.pk}"' in text
    assert "Open to municipalities in Edirne, Kırklareli" in text
    assert "Themes you follow: Tourism" in text

    form = client_for(member).get(f"/proposals/new/?lead={kesan.pk}&call={call.pk}").context["form"]
    assert form["lead"].value() == str(kesan.pk) and form["call"].value() == str(call.pk)


def test_the_page_for_another_municipality_is_404(client_for, member):
    other = MunicipalityFactory()

    assert client_for(member).get(PAGE, {"municipality": other.pk}).status_code == 404


def test_the_page_refuses_a_municipality_that_is_not_a_number(client_for, member):
    assert client_for(member).get(PAGE, {"municipality": "x"}).status_code == 400


def test_the_page_for_a_person_on_no_team_says_so(client_for):
    response = client_for(UserFactory()).get(PAGE)

    assert response.status_code == 200
    assert "No open or upcoming call fits" in response.content.decode()


def test_the_page_costs_the_same_queries_for_one_call_and_five(
    client_for, member, themes, django_assert_num_queries
):
    queries = assert_same_query_count(
        client_for(member),
        PAGE,
        _calls_with_rules_and_themes(themes),
        django_assert_num_queries,
        rows_in=lambda text: text.count('data-reason="deadline"'),
    )
    # the frame (session, user, profile, groups, inbox badge), the choices, then what the API reads
    assert queries == 11
