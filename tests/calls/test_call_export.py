"""`GET /api/v1/calls/export/?format=csv|xlsx`: every call of the list, with its filters, for everyone
signed in; and the calls page's export links give exactly the page's calls."""

import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from grants_office.calls.models import FundingProgramme
from tests import nplusone
from tests.exports import BOM, content, csv_dicts, rows_in_csv, rows_in_xlsx, xlsx_rows
from tests.factories import CallFactory, ProgrammeFactory, TeamMembershipFactory, ThemeFactory, full_call
from tests.querycount import assert_same_query_count

pytestmark = pytest.mark.django_db

URL = "/api/v1/calls/export/"


def export(client, query="", fmt="csv", **headers):
    response = client.get(f"{URL}?format={fmt}&{query}", **headers)
    assert response.status_code == 200, (response.status_code, getattr(response, "data", None))
    return response


def references(response) -> list[str]:
    return [row["Reference"] for row in csv_dicts(response)]


def listed(client, query="") -> list[str]:
    refs, url = [], f"/api/v1/calls/?page_size=3&{query}"
    while url:
        body = client.get(url).json()
        refs += [row["reference"] for row in body["results"]]
        url = body["next"]
    return refs


@pytest.fixture
def calls():
    now = timezone.now()
    national = ProgrammeFactory(
        name="Kalkınma Ajansı", kind=FundingProgramme.Kind.NATIONAL, funder="Trakyaka"
    )
    return {
        "open": full_call(reference="HORIZON-2027", deadline=now + timedelta(days=20)),
        "two_stage": CallFactory(
            reference="LIFE-2027",
            programme=national,
            deadline=now + timedelta(days=40),
            is_two_stage=True,
            stage2_deadline=now + timedelta(days=140),
            grant_min=Decimal("50000"),
            grant_max=Decimal("1500000.50"),
            cofinancing_rate=Decimal("60"),
        ),
        "future": CallFactory(
            reference="CERV-2028",
            opens_on=timezone.localdate() + timedelta(days=10),
            deadline=now + timedelta(days=90),
        ),
        "closed": CallFactory(
            reference="INTERREG-2025",
            opens_on=timezone.localdate() - timedelta(days=200),
            deadline=now - timedelta(days=3),
        ),
    }


def test_the_route_is_the_export_for_everyone_signed_in(api_client, calls):
    assert reverse("call-export") == URL
    team = TeamMembershipFactory().user
    assert export(api_client(team))["Content-Type"] == "text/csv; charset=utf-8"
    assert api_client().get(f"{URL}?format=csv").status_code == 401
    response = api_client(team).get(f"{URL}?format=pdf")
    assert response.status_code == 400 and response.json()["fields"] == {"format": ["Choose csv or xlsx."]}


def test_the_export_is_every_call_of_the_list_with_its_filters(api_client, office_user, calls):
    client = api_client(office_user)
    national = calls["two_stage"].programme
    for query in [
        "",
        "open=true",
        "open=false",
        f"programme={national.pk}",
        "programme_kind=national",
        "is_two_stage=true",
        f"theme={calls['open'].themes.first().code}",
        "search=LIFE",
        "ordering=-reference",
        f"deadline_after={timezone.now().isoformat().replace('+', '%2B')}",
    ]:
        assert references(export(client, query)) == listed(client, query), query
    assert references(export(client)) == ["INTERREG-2025", "HORIZON-2027", "LIFE-2027", "CERV-2028"]
    assert references(export(client, "open=true")) == ["HORIZON-2027", "LIFE-2027"]
    assert api_client(office_user).get(f"{URL}?format=csv&open=maybe").status_code == 400


def test_the_csv_and_the_xlsx_hold_what_a_call_is(api_client, office_user, calls):
    call = calls["two_stage"]
    rows = {row["Reference"]: row for row in csv_dicts(export(api_client(office_user)))}
    row = rows["LIFE-2027"]
    assert row["Deadline as the funder states it"] == call.deadline_display()
    local = call.deadline.astimezone(ZoneInfo("Europe/Istanbul"))
    assert row["Deadline (Europe/Istanbul)"] == f"{local:%Y-%m-%d %H:%M}"
    assert row["Stage-2 deadline as the funder states it"] == call.stage2_deadline_display()
    assert row["Maximum grant"] == "1500000.50" and row["Kind of funder"] == "National"
    assert row["Two-stage"] == "yes" and row["Funder"] == "Trakyaka"
    assert rows["HORIZON-2027"]["Themes"] == ", ".join(t.name for t in calls["open"].themes.all())
    turkish = content(export(api_client(office_user), "is_two_stage=true", HTTP_ACCEPT_LANGUAGE="tr"))
    assert turkish.startswith(BOM)
    assert "1500000,50" in turkish.decode("utf-8-sig") and "Başlık" in turkish.decode("utf-8-sig")
    header, *cells = xlsx_rows(export(api_client(office_user), "is_two_stage=true", fmt="xlsx"))
    values = dict(zip(header, cells[0], strict=True))
    assert values["Maximum grant"] == pytest.approx(1500000.5) and isinstance(values["Opens on"], datetime)
    assert isinstance(values["Deadline (Europe/Istanbul)"], datetime)


def test_the_calls_page_links_export_its_own_calls(client_for, office_user, calls, settings):
    settings.MIDDLEWARE = [nplusone.MIDDLEWARE, *settings.MIDDLEWARE]
    client = client_for(office_user)
    programme = calls["two_stage"].programme
    for query in ["", "show=open", "show=upcoming", "show=all", f"show=all&programme={programme.pk}"]:
        html = client.get(f"/calls/?{query}").content.decode()
        shown = re.findall(r'<th scope="row"><a href="/calls/\d+/">([^<]+)</a>', html)
        link = re.search(r'href="(/api/v1/calls/export/\?format=csv[^"]*)"', html).group(1)
        assert references(client.get(link.replace("&amp;", "&"))) == shown, query
        assert re.search(r'href="/api/v1/calls/export/\?format=xlsx', html)


@pytest.mark.parametrize("fmt, rows_in", [("csv", rows_in_csv), ("xlsx", rows_in_xlsx)])
def test_the_export_costs_the_same_queries_for_one_call_as_for_five(
    api_client, django_assert_num_queries, fmt, rows_in
):
    team = TeamMembershipFactory().user
    queries = assert_same_query_count(
        api_client(team),
        f"{URL}?format={fmt}",
        lambda n: [full_call(themes=[ThemeFactory(), ThemeFactory()]) for _ in range(n)],
        django_assert_num_queries,
        rows_in=rows_in,
    )
    print(f"QUERIES calls export ({fmt})={queries}")
