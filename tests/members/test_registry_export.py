"""`GET /api/v1/municipalities/export/?format=csv|xlsx`: the member registry as a file, for the office
only (it holds every contact e-mail); the registry page's links export exactly the page's filters."""

import re
from datetime import date, datetime

import pytest
from django.urls import reverse

from grants_office.members.models import Municipality
from tests import nplusone
from tests.exports import BOM, content, csv_dicts, rows_in_csv, rows_in_xlsx, xlsx_rows
from tests.factories import ExpertProfileFactory, MunicipalityFactory, TeamMembershipFactory, office_admin
from tests.querycount import assert_same_query_count

pytestmark = pytest.mark.django_db

URL = "/api/v1/municipalities/export/"


def export(client, query="", fmt="csv", **headers):
    response = client.get(f"{URL}?format={fmt}&{query}", **headers)
    assert response.status_code == 200, (response.status_code, getattr(response, "data", None))
    return response


def names(response) -> list[str]:
    return [row["Name"] for row in csv_dicts(response)]


@pytest.fixture
def registry():
    return [
        MunicipalityFactory(
            name="Süleymanpaşa Belediyesi",
            province="Tekirdağ",
            district="Süleymanpaşa",
            kind=Municipality.Kind.DISTRICT,
            population=211_000,
            membership_date=date(2015, 4, 1),
            contact_email="dis.iliskiler@suleymanpasa.bel.tr",
        ),
        MunicipalityFactory(name="Edirne Belediyesi", province="Edirne", kind=Municipality.Kind.PROVINCIAL),
        MunicipalityFactory(
            name="Keşan Belediyesi",
            province="Edirne",
            district="Keşan",
            membership_status=Municipality.Membership.NON_MEMBER,
        ),
    ]


def test_the_route_is_the_export_and_the_office_gets_every_row(api_client, office_user, registry):
    assert reverse("municipality-export") == URL
    rows = {row["Name"]: row for row in csv_dicts(export(api_client(office_user)))}
    assert set(rows) == {m.name for m in registry}
    row = rows["Süleymanpaşa Belediyesi"]
    assert row["Contact e-mail"] == "dis.iliskiler@suleymanpasa.bel.tr" and row["Population"] == "211000"
    assert row["Membership date"] == "2015-04-01" and row["Province"] == "Tekirdağ"
    assert export(api_client(office_admin()))["Content-Type"] == "text/csv; charset=utf-8"


def test_anyone_but_the_office_is_refused_as_for_the_offices_other_reads(api_client, registry):
    for person in (TeamMembershipFactory().user, ExpertProfileFactory().user):
        for query in ("format=csv", "format=pdf", ""):
            response = api_client(person).get(f"{URL}?{query}")
            assert response.status_code == 409, query
            body = response.json()
            assert body["code"] == "not_permitted" and body["reasons"][0]["code"] == "not_permitted"
            assert "suleymanpasa" not in response.content.decode()
    assert api_client().get(f"{URL}?format=csv").status_code == 401
    assert api_client(TeamMembershipFactory().user).get("/api/v1/municipalities/").status_code == 200


def test_a_format_other_than_csv_or_xlsx_is_400(api_client, office_user):
    response = api_client(office_user).get(f"{URL}?format=pdf")
    assert response.status_code == 400 and response.json()["fields"] == {"format": ["Choose csv or xlsx."]}


def test_the_export_takes_the_lists_filters(api_client, office_user, registry):
    client = api_client(office_user)
    assert set(names(export(client, "province=EDIRNE"))) == {"Edirne Belediyesi", "Keşan Belediyesi"}
    assert names(export(client, "membership_status=non_member")) == ["Keşan Belediyesi"]
    assert names(export(client, "kind=provincial")) == ["Edirne Belediyesi"]
    assert names(export(client, "search=Keşan")) == ["Keşan Belediyesi"]
    assert names(export(client, "population_min=100000")) == ["Süleymanpaşa Belediyesi"]
    assert names(export(client, "ordering=-name")) == sorted((m.name for m in registry), reverse=True)
    assert client.get(f"{URL}?format=csv&province=Atlantis").status_code == 400


def test_the_files_are_for_excel(api_client, office_user, registry):
    raw = content(export(api_client(office_user), "search=Süleymanpaşa", HTTP_ACCEPT_LANGUAGE="tr"))
    assert raw.startswith(BOM) and ";" in raw.decode("utf-8-sig").splitlines()[0]
    header, *rows = xlsx_rows(export(api_client(office_user), "search=Süleymanpaşa", fmt="xlsx"))
    values = dict(zip(header, rows[0], strict=True))
    assert values["Population"] == 211_000 and isinstance(values["Membership date"], datetime)
    assert values["Id"] == registry[0].pk


def test_the_registry_page_links_export_its_own_rows_for_the_office_only(
    client_for, office_user, registry, settings
):
    settings.MIDDLEWARE = [nplusone.MIDDLEWARE, *settings.MIDDLEWARE]
    client = client_for(office_user)
    for query in [
        "",
        "province=Edirne",
        "q=Keşan",
        "kind=provincial&membership_status=member",
        "q=belediyesi",
    ]:
        html = client.get(f"/members/?{query}").content.decode()
        shown = re.findall(r'<th scope="row"><a href="/members/[0-9]+/">([^<]+)</a></th>', html)
        link = re.search(r'href="(/api/v1/municipalities/export/\?format=csv[^"]*)"', html).group(1)
        assert names(client.get(link.replace("&amp;", "&"))) == shown, query
    team_page = client_for(TeamMembershipFactory().user).get("/members/").content.decode()
    assert "/api/v1/municipalities/export/" not in team_page


@pytest.mark.parametrize("fmt, rows_in", [("csv", rows_in_csv), ("xlsx", rows_in_xlsx)])
def test_the_export_costs_the_same_queries_for_one_row_as_for_five(
    api_client, office_user, django_assert_num_queries, fmt, rows_in
):
    queries = assert_same_query_count(
        api_client(office_user),
        f"{URL}?format={fmt}",
        lambda n: MunicipalityFactory.create_batch(n),
        django_assert_num_queries,
        rows_in=rows_in,
    )
    print(f"QUERIES registry export ({fmt})={queries}")
