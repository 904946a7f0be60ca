"""The member registry through the API: list, detail, filters, bad filters, who may write, query counts."""

import pytest

from grants_office.members.models import Municipality, Organisation
from tests.factories import MunicipalityFactory, OrganisationFactory
from tests.querycount import assert_same_query_count

pytestmark = pytest.mark.django_db

MUNICIPALITIES = "/api/v1/municipalities/"
ORGANISATIONS = "/api/v1/organisations/"


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


@pytest.fixture
def registry():
    """A small union: members and non-members in Edirne and Tekirdağ."""
    return {
        "kesan": MunicipalityFactory(
            name="Keşan", province="Edirne", kind=Municipality.Kind.DISTRICT, population=80_000
        ),
        "edirne": MunicipalityFactory(
            name="Edirne", province="Edirne", kind=Municipality.Kind.PROVINCIAL, population=190_000
        ),
        "tekirdag": MunicipalityFactory(
            name="Tekirdağ Büyükşehir",
            province="Tekirdağ",
            kind=Municipality.Kind.METROPOLITAN,
            population=1_140_000,
        ),
        "marmaraereglisi": MunicipalityFactory(
            name="Marmaraereğlisi",
            province="Tekirdağ",
            kind=Municipality.Kind.DISTRICT,
            population=27_000,
            membership_status=Municipality.Membership.NON_MEMBER,
        ),
        "kumbag": MunicipalityFactory(
            name="Kumbağ",
            province="Tekirdağ",
            kind=Municipality.Kind.TOWN,
            population=None,
            membership_status=Municipality.Membership.RESIGNED,
        ),
    }


# Municipalities ----------------------------------------------------------------------------------------


def test_municipality_list_shows_the_registry_to_a_signed_in_user(api_client, team_member, registry):
    response = api_client(team_member).get(MUNICIPALITIES)

    assert response.status_code == 200
    body = response.json()
    # The team member's own municipality (from the fixture) is in the registry too.
    assert body["count"] == 6
    assert set(body) == {"count", "next", "previous", "results"}
    assert set(body["results"][0]) == {
        "id",
        "name",
        "province",
        "district",
        "kind",
        "population",
        "membership_status",
        "membership_date",
        "contact_email",
        "has_project_team",
    }


def test_municipality_detail_answers_the_fields(api_client, team_member, registry):
    kesan = registry["kesan"]
    kesan.contact_email = "proje@kesan.bel.tr"
    kesan.save()

    response = api_client(team_member).get(f"{MUNICIPALITIES}{kesan.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": kesan.pk,
        "name": "Keşan",
        "province": "Edirne",
        "district": "",
        "kind": "district",
        "population": 80_000,
        "membership_status": "member",
        "membership_date": None,
        "contact_email": "proje@kesan.bel.tr",
        "has_project_team": False,
    }


def test_unknown_municipality_answers_404_with_error_body(api_client, team_member):
    response = api_client(team_member).get(f"{MUNICIPALITIES}999999/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("url", [MUNICIPALITIES, f"{MUNICIPALITIES}1/", ORGANISATIONS, f"{ORGANISATIONS}1/"])
def test_registry_is_closed_to_anonymous_requests(api_client, url):
    response = api_client().get(url)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_municipalities_filter_by_province(api_client, office_user, registry):
    response = api_client(office_user).get(MUNICIPALITIES, {"province": "Edirne"})

    assert sorted(names(response)) == ["Edirne", "Keşan"]


@pytest.mark.parametrize("typed", ["Tekirdağ", "TEKİRDAĞ", "tekirdag", "TEKIRDAG"])
def test_municipalities_province_filter_ignores_case_and_turkish_letters(
    api_client, office_user, registry, typed
):
    response = api_client(office_user).get(MUNICIPALITIES, {"province": typed})

    assert sorted(names(response)) == ["Kumbağ", "Marmaraereğlisi", "Tekirdağ Büyükşehir"]


def test_municipalities_filter_by_membership_status(api_client, office_user, registry):
    client = api_client(office_user)

    assert names(client.get(MUNICIPALITIES, {"membership_status": "non_member"})) == ["Marmaraereğlisi"]
    assert names(client.get(MUNICIPALITIES, {"membership_status": "resigned"})) == ["Kumbağ"]


def test_municipalities_filter_by_kind(api_client, office_user, registry):
    response = api_client(office_user).get(MUNICIPALITIES, {"kind": "metropolitan"})

    assert names(response) == ["Tekirdağ Büyükşehir"]


def test_municipalities_filter_by_population_min_leaves_out_unknown_populations(
    api_client, office_user, registry
):
    response = api_client(office_user).get(MUNICIPALITIES, {"population_min": "80000"})

    assert sorted(names(response)) == ["Edirne", "Keşan", "Tekirdağ Büyükşehir"]


def test_municipality_filters_combine(api_client, office_user, registry):
    response = api_client(office_user).get(
        MUNICIPALITIES, {"province": "Tekirdağ", "membership_status": "member", "kind": "metropolitan"}
    )

    assert names(response) == ["Tekirdağ Büyükşehir"]


def test_municipalities_search_by_name(api_client, office_user, registry):
    response = api_client(office_user).get(MUNICIPALITIES, {"search": "Keşan"})

    assert names(response) == ["Keşan"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"population_min": "abc"}, "population_min"),
        ({"population_min": "1.5"}, "population_min"),
        ({"population_min": "-1"}, "population_min"),
        ({"province": "Atlantis"}, "province"),
        ({"membership_status": "honorary"}, "membership_status"),
        ({"kind": "village"}, "kind"),
        ({"province": "Edi\x00rne"}, "province"),
    ],
)
def test_bad_municipality_filter_answers_400_with_error_body(api_client, office_user, params, field):
    response = api_client(office_user).get(MUNICIPALITIES, params)

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "detail", "fields"}
    assert body["code"] == "invalid"
    assert list(body["fields"]) == [field]
    assert all(isinstance(message, str) for message in body["fields"][field])


def test_municipality_search_with_a_nul_character_answers_400(api_client, office_user):
    response = api_client(office_user).get(MUNICIPALITIES, {"search": "a\x00b"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


# Organisations -----------------------------------------------------------------------------------------


@pytest.fixture
def partners():
    return [
        OrganisationFactory(name="Obshtina Haskovo", country="BG", city="Haskovo"),
        OrganisationFactory(
            name="Trakia University", country="BG", kind=Organisation.Kind.UNIVERSITY, city="Stara Zagora"
        ),
        OrganisationFactory(
            name="Trakya Kalkınma Ajansı", country="TR", kind=Organisation.Kind.DEVELOPMENT_AGENCY
        ),
    ]


def test_organisation_list_and_detail(api_client, team_member, partners):
    client = api_client(team_member)

    listed = client.get(ORGANISATIONS)
    detail = client.get(f"{ORGANISATIONS}{partners[1].pk}/")

    assert listed.status_code == 200
    assert listed.json()["count"] == 3
    assert detail.status_code == 200
    assert detail.json() == {
        "id": partners[1].pk,
        "name": "Trakia University",
        "kind": "university",
        "country": "BG",
        "city": "Stara Zagora",
        "website": "",
    }


def test_organisations_filter_by_kind_and_country(api_client, office_user, partners):
    client = api_client(office_user)

    assert names(client.get(ORGANISATIONS, {"kind": "university"})) == ["Trakia University"]
    assert names(client.get(ORGANISATIONS, {"country": "tr"})) == ["Trakya Kalkınma Ajansı"]
    assert sorted(names(client.get(ORGANISATIONS, {"country": "BG"}))) == [
        "Obshtina Haskovo",
        "Trakia University",
    ]


def test_bad_organisation_kind_answers_400_with_error_body(api_client, office_user):
    response = api_client(office_user).get(ORGANISATIONS, {"kind": "club"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == ["kind"]


# Writes ------------------------------------------------------------------------------------------------
# The registry is kept in the admin (and by the CSV import); the API only reads it, for everybody.


@pytest.mark.parametrize("who", ["admin_user_", "office_user", "team_member"])
@pytest.mark.parametrize("base", [MUNICIPALITIES, ORGANISATIONS])
def test_registry_api_is_read_only_for_everyone(request, api_client, who, base):
    user = request.getfixturevalue(who)
    municipality = MunicipalityFactory()
    organisation = OrganisationFactory()
    target = municipality if base == MUNICIPALITIES else organisation
    client = api_client(user)

    responses = [
        client.post(base, {"name": "New"}, format="json"),
        client.put(f"{base}{target.pk}/", {"name": "Changed"}, format="json"),
        client.patch(f"{base}{target.pk}/", {"name": "Changed"}, format="json"),
        client.delete(f"{base}{target.pk}/"),
    ]

    assert [r.status_code for r in responses] == [405] * 4
    assert {r.json()["code"] for r in responses} == {"method_not_allowed"}
    target.refresh_from_db()
    assert target.name != "Changed"


def test_anonymous_write_answers_401_not_405(api_client):
    response = api_client().post(MUNICIPALITIES, {"name": "New"}, format="json")

    assert response.status_code == 401


# Query counts ------------------------------------------------------------------------------------------


def test_municipality_list_query_count_does_not_grow(api_client, office_user, django_assert_num_queries):
    assert_same_query_count(
        api_client(office_user),
        MUNICIPALITIES,
        lambda n: MunicipalityFactory.create_batch(n),
        django_assert_num_queries,
    )


def test_organisation_list_query_count_does_not_grow(api_client, office_user, django_assert_num_queries):
    assert_same_query_count(
        api_client(office_user),
        ORGANISATIONS,
        lambda n: OrganisationFactory.create_batch(n),
        django_assert_num_queries,
    )


def test_filtered_municipality_list_query_count_does_not_grow(
    api_client, office_user, django_assert_num_queries
):
    MunicipalityFactory.create_batch(3, province="Edirne")
    assert_same_query_count(
        api_client(office_user),
        f"{MUNICIPALITIES}?province=Tekirdag&membership_status=member&population_min=1",
        lambda n: MunicipalityFactory.create_batch(n, province="Tekirdağ"),
        django_assert_num_queries,
    )


@pytest.mark.parametrize(
    ("url", "factory"),
    [(MUNICIPALITIES, MunicipalityFactory), (ORGANISATIONS, OrganisationFactory)],
)
def test_registry_detail_query_count(api_client, office_user, django_assert_num_queries, url, factory):
    obj = factory()
    client = api_client(office_user)
    client.get(f"{url}{obj.pk}/")  # warm-up

    with django_assert_num_queries(1):
        response = client.get(f"{url}{obj.pk}/")

    assert response.status_code == 200
