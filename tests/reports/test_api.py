"""The results API and its export: the office's figures as JSON and as files, refused to everyone else."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from tests.factories import UserFactory, counted_proposal, expert
from workflows.states import State

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/results/"
EXPORT = "/api/v1/reports/results/export/"


def test_the_office_gets_the_figures(world, api_client):
    response = api_client(world["office"]).get(URL, {"group_by": "programme", "year": 2025})
    assert response.status_code == 200
    body = response.json()
    assert body["filters"] == {"year": 2025, "year_of": "submission", "group_by": "programme"}
    assert body["period_end"] == "2025-12-31"
    assert [g["label"] for g in body["groups"]] == ["Interreg IPA", "TKA"]
    interreg = body["groups"][0]
    assert interreg["key"] == str(world["programmes"]["interreg"].pk)
    assert interreg["started"] == 4 and interreg["awarded"] == 1 and interreg["pending"] == 1
    assert interreg["success_rate"] == "50.0"
    assert interreg["requested_amounts"] == [{"currency": "EUR", "amount": "530000.00"}]
    tka = body["groups"][1]
    assert tka["requested_amounts"] == [{"currency": "TRY", "amount": "2500000.00"}]
    assert tka["requested_eur"] == "75000.00"  # at 0.03, 2025's rate
    assert tka["awarded_eur"] == "45000.00"
    totals = body["totals"]
    assert totals["started"] == 6 and totals["decided"] == 4 and totals["success_rate"] == "50.0"
    assert totals["requested_eur"] == "605000.00"
    assert totals["median_days_to_submission"] == "65.0"  # 40, 50, 60, 70, 70, 90
    assert body["exchange_rates"] == [
        {"currency": "TRY", "rate": "0.03000000", "valid_on": "2025-01-01", "source": "TCMB 2025-01-01"}
    ]
    assert body["not_converted"] == []
    assert body["members_served"] == 4
    assert [m["name"] for m in body["members_not_served"]] == ["Çerkezköy", "Ergene", "İpsala"]


def test_nothing_decided_is_no_success_rate(world, api_client):
    body = api_client(world["office"]).get(URL, {"year": 2030}).json()
    assert body["totals"]["success_rate"] is None
    assert body["totals"]["started"] == 0
    assert body["groups"] == []


def test_the_api_says_what_it_could_not_convert(world, api_client):
    counted_proposal(
        call=world["calls"]["try"], lead=world["municipalities"]["ergene"], state=State.SUBMITTED,
        submitted=date(2024, 2, 1), requested_amount=1000, currency="TRY",
    )  # fmt: skip
    body = api_client(world["office"]).get(URL, {"year": 2024}).json()
    assert body["totals"]["requested_amounts"] == [
        {"currency": "EUR", "amount": "50000.00"},
        {"currency": "TRY", "amount": "1000.00"},
    ]
    assert body["totals"]["requested_eur"] == "50000.00"
    assert body["not_converted"] == [
        {
            "currency": "TRY",
            "message": "TRY: no exchange rate recorded on or before 12/31/2024; not in the EUR total.",
        }
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "20x5"}, "year"),
        ({"year": "1999"}, "year"),
        ({"year": "2025.5"}, "year"),
        ({"year_of": "birthday"}, "year_of"),
        ({"group_by": "colour"}, "group_by"),
        ({"programme": "999999"}, "programme"),
        ({"programme": "99999999999999999999999"}, "programme"),
        ({"funder_kind": "private"}, "funder_kind"),
        ({"province": "Atlantis"}, "province"),
        ({"municipality": "abc"}, "municipality"),
        ({"coordinator": "-1"}, "coordinator"),
    ],
)
def test_bad_filters_answer_400_with_fields(world, api_client, params, field):
    for url, extra in ((URL, {}), (EXPORT, {"format": "csv"})):
        response = api_client(world["office"]).get(url, {**params, **extra})
        assert response.status_code == 400, (url, response.content)
        assert field in response.json()["fields"]


def test_the_export_needs_a_format(world, api_client):
    response = api_client(world["office"]).get(EXPORT, {"format": "pdf"})
    assert response.status_code == 400
    assert response.json()["fields"] == {"format": ["Choose csv or xlsx."]}


def _people(world):
    return {"team": world["team"], "reviewer": expert(), "stranger": UserFactory()}


def test_everyone_but_the_office_is_refused(world, api_client):
    for name, user in _people(world).items():
        for url, extra in ((URL, {}), (EXPORT, {"format": "csv"})):
            response = api_client(user).get(url, {"year": "not a year", **extra})
            assert response.status_code == 409, (name, url)
            assert response.json()["code"] == "not_permitted"
    assert api_client().get(URL).status_code == 401
    assert api_client().get(f"{EXPORT}?format=csv").status_code == 401


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_csv_has_the_apis_numbers(world, api_client):
    client = api_client(world["office"])
    body = client.get(URL, {"group_by": "province"}).json()
    response = client.get(EXPORT, {"format": "csv", "group_by": "province"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="results-province.csv"' in response["Content-Disposition"]
    header, *rows = _csv_rows(response)
    assert header[:4] == ["Province", "Started", "Submitted", "Awarded"]
    assert header[-6:] == [
        "Requested (EUR)", "Requested (TRY)", "Requested, EUR total",
        "Awarded (EUR)", "Awarded (TRY)", "Awarded, EUR total",
    ]  # fmt: skip
    assert [row[0] for row in rows] == ["Edirne", "Tekirdağ", "Total"]
    column = {name: index for index, name in enumerate(header)}
    for row, group in zip(rows, [*body["groups"], {**body["totals"], "label": "Total"}], strict=True):
        assert row[column["Started"]] == str(group["started"])
        assert row[column["Awarded, EUR total"]] == group["awarded_eur"]
        assert row[column["Success rate (%)"]] == (group["success_rate"] or "")
    assert rows[-1][column["Requested, EUR total"]] == "642500.00"


def test_the_turkish_csv_uses_decimal_commas(world, api_client):
    client = api_client(world["office"])
    with translation.override("tr"):
        response = client.get(EXPORT, {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="tr")
        *_rows, total = _csv_rows(response)
    assert total[-1] == "167500,00"


def test_the_xlsx_has_the_apis_numbers(world, api_client):
    client = api_client(world["office"])
    body = client.get(URL, {"group_by": "programme", "year": 2025}).json()
    response = client.get(EXPORT, {"format": "xlsx", "group_by": "programme", "year": 2025})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    header, *rows = list(workbook.active.iter_rows(values_only=True))
    column = {name: index for index, name in enumerate(header)}
    assert [row[0] for row in rows] == ["Interreg IPA", "TKA", "Total"]
    for row, group in zip(rows, [*body["groups"], body["totals"]], strict=True):
        assert row[column["Submitted"]] == group["submitted"]
        assert Decimal(str(row[column["Requested, EUR total"]])) == Decimal(group["requested_eur"])
    assert rows[-1][column["Requested (TRY)"]] == 2_500_000
