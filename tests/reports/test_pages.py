"""The results dashboard and the exchange-rate page: what the office reads, and who is refused."""

import re
from datetime import date
from decimal import Decimal

import pytest

from grants_office.core.errors import Conflict, Invalid
from reports import services
from reports.models import ExchangeRate
from tests import nplusone
from tests.factories import UserFactory, expert

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_n_plus_one_in_pages(settings):
    settings.MIDDLEWARE = [nplusone.MIDDLEWARE, *settings.MIDDLEWARE]


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_office_reads_the_figures(world, client_for):
    response = client_for(world["office"]).get("/reports/", {"year": 2025, "group_by": "programme"})
    assert response.status_code == 200
    page = text(response)
    assert "Figures for 2025" in page
    assert "<dt>Submitted</dt><dd>6</dd>" in page
    assert "<dt>Success rate</dt><dd>50.0 %</dd>" in page
    assert "in EUR: 605,000.00" in page  # requested, EUR total
    assert "1 TRY = 0.03 EUR (valid on 01/01/2025, TCMB 2025-01-01)" in page
    assert re.search(r'<tfoot><tr class="total"><th scope="row">Total</th><td class="number">6</td>', page)
    assert '<th scope="row">Interreg IPA</th>' in page and '<th scope="row">TKA</th>' in page
    # the charts: SVG with a title, the numbers beside them
    assert page.count('role="img"') == 2
    assert (
        '<title id="awarded-chart-title">Awarded amount (EUR) by year of decision: 2025 135,000 EUR' in page
    )
    assert '<th scope="row">TKA</th><td class="number">50.0 %</td>' in page
    # exports with the same filters, the annual reports
    assert (
        "/api/v1/reports/results/export/?format=csv&amp;year=2025&amp;group_by=programme&amp;year_of=submission"
        in page
    )
    assert 'href="/reports/annual/2025.pdf"' in page and 'href="/reports/annual/2024.xlsx"' in page
    assert "3 members not served in this selection" in page
    assert "Çerkezköy" in page


def test_nothing_decided_shows_a_dash(world, client_for):
    page = text(client_for(world["office"]).get("/reports/", {"year": 2031}))
    assert "<dt>Success rate</dt><dd>–</dd>" in page
    assert "No proposal matches these filters." in page


def test_turkish_numbers(world, client_for):
    page = text(client_for(world["office"], language="tr").get("/reports/", {"year": 2025}))
    assert "EUR karşılığı: 605.000,00" in page
    assert "%50,0" in page
    assert "1 TRY = 0,03 EUR" in page and "01 Oca 2025" in page  # Django's Turkish short date
    assert 'x="' in page and not re.search(
        r'(x|y|width|height)="\d+,\d', page
    )  # SVG geometry stays unlocalised


def test_a_missing_rate_is_said(world, client_for):
    ExchangeRate.objects.all().delete()
    page = text(client_for(world["office"]).get("/reports/", {"year": 2025}))
    assert "TRY: no exchange rate recorded on or before 12/31/2025; not in the EUR total." in page
    assert "in EUR: 530,000.00" in page  # the EUR ones only


def test_bad_filters_show_the_form_with_errors(world, client_for):
    response = client_for(world["office"]).get("/reports/", {"year": "1850", "group_by": "colour"})
    assert response.status_code == 400
    page = text(response)
    assert "Ensure this value is greater than or equal to 2000." in page
    assert "Select a valid choice." in page
    assert "Figures for" not in page


def test_others_are_refused_as_on_the_board(world, client_for):
    for user in (world["team"], expert(), UserFactory()):
        assert client_for(user).get("/reports/").status_code == 403
        assert client_for(user).get("/reports/rates/").status_code == 403
        assert client_for(user).post("/reports/rates/", {}).status_code == 403
        assert client_for(user).get("/reports/annual/2025.pdf").status_code == 403
        assert client_for(user).get("/reports/annual/2025.xlsx").status_code == 403
    for url in ("/reports/", "/reports/rates/", "/reports/annual/2025.pdf"):
        response = client_for(None).get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_nav_links_the_results_for_the_office_only(world, client_for):
    assert 'href="/reports/"' in client_for(world["office"]).get("/calls/").content.decode()
    assert 'href="/reports/"' not in client_for(world["team"]).get("/calls/").content.decode()


def test_the_rates_page_lists_and_records(world, client_for):
    client = client_for(world["office"])
    page = text(client.get("/reports/rates/"))
    assert "TCMB 2026-01-01" in page and "0.025" in page
    response = client.post(
        "/reports/rates/",
        {"currency": "TRY", "rate": "0.0268", "valid_on": "2026-12-01", "source": "TCMB 2026-12-01"},
    )
    assert response.status_code == 302
    rate = ExchangeRate.objects.get(valid_on=date(2026, 12, 1))
    assert (rate.rate, rate.source, rate.recorded_by) == (
        Decimal("0.0268"),
        "TCMB 2026-12-01",
        world["office"],
    )
    assert "The exchange rate is recorded." in text(client.get("/reports/rates/"))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"currency": "EUR", "rate": "1", "valid_on": "2026-12-01", "source": "x"}, "currency"),
        ({"currency": "TRY", "rate": "0", "valid_on": "2026-12-01", "source": "x"}, "rate"),
        ({"currency": "TRY", "rate": "-0.1", "valid_on": "2026-12-01", "source": "x"}, "rate"),
        ({"currency": "TRY", "rate": "abc", "valid_on": "2026-12-01", "source": "x"}, "rate"),
        ({"currency": "TRY", "rate": "0.03", "valid_on": "1890-01-01", "source": "x"}, "valid_on"),
        ({"currency": "TRY", "rate": "0.03", "valid_on": "2026-12-01", "source": ""}, "source"),
        (
            {"currency": "TRY", "rate": "0.04", "valid_on": "2026-01-01", "source": "again"},
            "valid_on",
        ),  # taken
    ],
)
def test_bad_rates_answer_400_and_record_nothing(world, client_for, data, field):
    before = ExchangeRate.objects.count()
    response = client_for(world["office"]).post("/reports/rates/", data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert ExchangeRate.objects.count() == before


def test_the_service_refuses_others_and_checks_its_data(world):
    with pytest.raises(Conflict):
        services.record_exchange_rate(
            world["team"], currency="TRY", rate="0.03", valid_on=date(2026, 2, 1), source="TCMB"
        )
    with pytest.raises(Invalid) as refused:
        services.record_exchange_rate(
            world["office"], currency="USD", rate="NaN", valid_on="tomorrow", source=" "
        )
    assert set(refused.value.fields) == {"currency", "rate", "valid_on", "source"}
    assert ExchangeRate.objects.count() == 2


def test_the_admin_records_through_the_service(world, client_for):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = client_for(admin)
    data = {"currency": "TRY", "rate": "0.0268", "valid_on": "2026-12-01", "source": "TCMB 2026-12-01"}
    assert client.post("/admin/reports/exchangerate/add/", data).status_code == 302
    assert ExchangeRate.objects.get(valid_on=date(2026, 12, 1)).recorded_by == admin
    response = client.post("/admin/reports/exchangerate/add/", {**data, "valid_on": "1999-01-01"})
    assert response.status_code == 200 and "between 2000 and 2100" in response.content.decode()
    assert client.get("/admin/reports/exchangerate/").status_code == 200


def test_the_first_visit_shows_every_year(world, client_for):
    """The nav link opens the page without parameters: figures over all years, not a form error."""
    response = client_for(world["office"]).get("/reports/")
    assert response.status_code == 200
    assert "Figures, all years" in text(response)
