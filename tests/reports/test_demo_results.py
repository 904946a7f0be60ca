"""The demo's results: several years of decisions, TRY converted at the rates it recorded, ideas
registered before their stories."""

from io import StringIO

import pytest
from django.core.management import call_command

from reports.filters import results_filter
from reports.models import ExchangeRate
from reports.results import results

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(disk_storage):
    call_command("load_demo", stdout=StringIO())


def test_the_demo_shows_several_years(demo):
    by_year = results(results_filter({"group_by": "year", "year_of": "decision"}))
    decided_years = [row.key for row in by_year.rows if row.key is not None]
    assert len(decided_years) >= 2
    assert by_year.total.awarded >= 2
    assert by_year.not_converted == []  # every year has its lira rate
    assert {rate.currency for rate in by_year.rates_used} == {"TRY"}
    submitted = results(results_filter({"group_by": "year"}))
    assert len([row for row in submitted.rows if row.key is not None]) >= 2
    assert submitted.total.median_days > 0  # the idea came before its submission
    assert ExchangeRate.objects.filter(recorded_by__username="koordinator").count() >= 4
