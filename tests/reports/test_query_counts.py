"""The results cost a fixed number of queries whatever the number of proposals, programmes, members and
consultations: the page, the API, the export and the annual report, each at two sizes."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.clients import page_client, script_client
from tests.factories import (
    CallFactory,
    ExchangeRateFactory,
    MunicipalityFactory,
    ProgrammeFactory,
    counted_proposal,
    office_staff,
)
from tests.querycount import measure
from workflows.models import Consultation, ProposalPartner
from workflows.states import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(db):
    return office_staff(username="koordinator")


@pytest.fixture
def add_rows(office):
    """add_rows(n): n more programmes, each with a call in TRY, a member leading an awarded proposal
    with a member partner, a rejected one, and a consultation in 2025."""

    def add(n):
        for _ in range(n):
            call = CallFactory(programme=ProgrammeFactory(), currency="TRY")
            lead, partner = MunicipalityFactory(), MunicipalityFactory(province="Edirne")
            awarded = counted_proposal(
                call=call, lead=lead, state=State.AWARDED, currency="TRY", coordinator=office,
                created=date(2025, 1, 5), submitted=date(2025, 3, 1), decided=date(2025, 9, 1),
                requested_amount=1000, awarded_amount=900,
            )  # fmt: skip
            counted_proposal(
                call=call, lead=partner, state=State.REJECTED, created=date(2025, 2, 1),
                submitted=date(2025, 4, 1), decided=date(2025, 8, 1), requested_amount=500,
            )  # fmt: skip
            ProposalPartner.objects.create(proposal=awarded, municipality=partner)
            Consultation.objects.create(
                proposal=awarded, held_at=datetime(2025, 2, 1, 9, tzinfo=UTC), created_by=office
            )

    return add


def _queries(client, url: str, **params) -> tuple[int, object]:
    client.get(url, params)  # warm-up
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
        content = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, content[:300]
    return len([q for q in captured.captured_queries if q["sql"] != "SELECT 1"]), content


@pytest.mark.parametrize("group_by", ["programme", "municipality", "year"])
def test_the_page(office, add_rows, group_by):
    add_rows(1)
    one = measure(office, f"/reports/?year=2025&group_by={group_by}")
    add_rows(4)
    five = measure(office, f"/reports/?year=2025&group_by={group_by}")
    assert "Total" in five.body and five.body.count('class="number"') > one.body.count('class="number"')
    assert one.queries == five.queries, (one.queries, five.queries)
    print(f"QUERIES reports page group_by={group_by}: {one.queries}")


@pytest.mark.parametrize("group_by", ["programme", "call", "municipality", "province", "coordinator", "year"])
def test_the_api(office, add_rows, group_by):
    url = f"/api/v1/reports/results/?year=2025&group_by={group_by}"
    add_rows(1)
    one = measure(office, url, api=True)
    add_rows(4)
    five = measure(office, url, api=True)
    assert (one.body["totals"]["started"], five.body["totals"]["started"]) == (2, 10)
    assert one.queries == five.queries, (one.queries, five.queries)
    print(f"QUERIES reports API group_by={group_by}: {one.queries}")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export(office, add_rows, fmt):
    client = script_client(office)
    add_rows(1)
    one, small = _queries(client, "/api/v1/reports/results/export/", format=fmt, year=2025)
    add_rows(4)
    five, large = _queries(client, "/api/v1/reports/results/export/", format=fmt, year=2025)
    assert len(large) > len(small)
    assert one == five, (one, five)
    print(f"QUERIES reports export {fmt}: {one}")


@pytest.mark.parametrize("kind", ["pdf", "xlsx"])
def test_the_annual_report(office, add_rows, kind):
    client = page_client(office)
    add_rows(1)
    one, small = _queries(client, f"/reports/annual/2025.{kind}")
    add_rows(4)
    five, large = _queries(client, f"/reports/annual/2025.{kind}")
    assert len(large) > len(small)
    assert one == five, (one, five)
    print(f"QUERIES annual report {kind}: {one}")


def test_the_rates_page(office):
    ExchangeRateFactory(valid_on=date(2025, 1, 1), recorded_by=office)
    one = measure(office, "/reports/rates/")
    for day in range(2, 6):
        ExchangeRateFactory(valid_on=date(2025, 1, day), recorded_by=office_staff())
    five = measure(office, "/reports/rates/")
    assert five.body.count("TCMB 2025") == 5
    assert one.queries == five.queries
    print(f"QUERIES reports rates page: {one.queries}")
