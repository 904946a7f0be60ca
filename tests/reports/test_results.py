"""The figures of the results on the small union of conftest.py, exactly, for each filter and grouping."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from reports.filters import results_filter
from reports.results import COUNTS, results
from tests.factories import ExchangeRateFactory, counted_proposal
from workflows.states import State

pytestmark = pytest.mark.django_db


def report(**params):
    return results(results_filter({key: str(value) for key, value in params.items()}))


def counts(figures) -> dict:
    return {name: getattr(figures, name) for name in COUNTS}


def by_label(found) -> dict:
    return {row.label: row.figures for row in found.rows}


def test_by_programme_without_filters(world):
    found = report(group_by="programme")
    rows = by_label(found)
    assert list(rows) == ["Interreg IPA", "TKA", "No programme"]
    assert counts(rows["Interreg IPA"]) == {
        "started": 6, "submitted": 5, "awarded": 2, "rejected": 1, "ineligible": 0, "reserve": 1,
        "pending": 1, "stopped": 1,
    }  # fmt: skip
    assert rows["Interreg IPA"].success_rate == Decimal("66.7")
    assert rows["Interreg IPA"].requested == {"EUR": Decimal("580000.00")}
    assert rows["Interreg IPA"].awarded_amount == {"EUR": Decimal("130000.00")}
    assert rows["Interreg IPA"].median_days == Decimal("70.0")
    assert rows["Interreg IPA"].members_served == 3  # Süleymanpaşa, Çorlu, Edirne Merkez (not Uzunköprü)
    assert counts(rows["TKA"]) == {
        "started": 3, "submitted": 2, "awarded": 1, "rejected": 0, "ineligible": 1, "reserve": 0,
        "pending": 0, "stopped": 0,
    }  # fmt: skip
    assert rows["TKA"].success_rate == Decimal("50.0")
    assert rows["TKA"].requested == {"TRY": Decimal("2500000.00")}  # the draft is not submitted
    assert rows["TKA"].median_days == Decimal("50.0")
    # today's period converts at the newest rate (0.025 from 2026-01-01)
    assert rows["TKA"].requested_eur.eur == Decimal("62500.00")
    assert rows["TKA"].awarded_eur.eur == Decimal("37500.00")
    assert rows["No programme"].started == 1
    assert rows["No programme"].success_rate is None
    total = found.total
    assert counts(total) == {
        "started": 10, "submitted": 7, "awarded": 3, "rejected": 1, "ineligible": 1, "reserve": 1,
        "pending": 1, "stopped": 1,
    }  # fmt: skip
    assert total.success_rate == Decimal("60.0")
    assert total.median_days == Decimal("70.0")
    assert total.requested == {"EUR": Decimal("580000.00"), "TRY": Decimal("2500000.00")}
    assert total.requested_eur.eur == Decimal("642500.00")
    assert total.awarded_eur.eur == Decimal("167500.00")
    assert [(r.currency, r.rate, r.valid_on) for r in found.rates_used] == [
        ("TRY", Decimal("0.025"), date(2026, 1, 1))
    ]
    assert found.not_converted == []
    assert found.members_served == 4
    assert [(m["name"], m["province"]) for m in found.members_not_served] == [
        ("Çerkezköy", "Tekirdağ"),
        ("Ergene", "Tekirdağ"),
        ("İpsala", "Edirne"),
    ]


def test_the_total_row_is_the_sum_of_the_rows(world):
    for group_by in ("programme", "call", "municipality", "province", "coordinator", "year"):
        found = report(group_by=group_by)
        for name in COUNTS:
            assert sum(getattr(row.figures, name) for row in found.rows) == getattr(found.total, name), (
                group_by,
                name,
            )
        assert sum(row.figures.requested_eur.eur for row in found.rows) == found.total.requested_eur.eur
        assert sum(row.figures.awarded_eur.eur for row in found.rows) == found.total.awarded_eur.eur


def test_a_year_of_submission_converts_at_the_years_end(world):
    found = report(year=2025, group_by="programme")
    assert found.total.started == 6  # old_award was submitted in 2024; unsubmitted ones have no year
    rows = by_label(found)
    assert rows["TKA"].requested_eur.eur == Decimal("75000.00")  # 2,500,000 at 0.03 (2025's rate)
    assert [(r.rate, r.valid_on) for r in found.rates_used] == [(Decimal("0.03"), date(2025, 1, 1))]
    assert found.applied == {"year": 2025, "year_of": "submission", "group_by": "programme"}


def test_a_year_of_decision_and_of_the_idea(world):
    decided = report(year=2025, year_of="decision")
    assert decided.total.started == 6  # includes old_award, decided in 2025
    assert decided.total.awarded == 3
    assert decided.total.pending == 0
    started = report(year=2025, year_of="start")
    assert started.total.started == 9  # everything but old_award (2023)
    assert report(year=2024, year_of="start").total.started == 0


def test_the_year_is_the_unions_year(world):
    """A submission on 31 December at 23:30 in Istanbul (20:30 UTC) is in that year, one at 01:30 on
    1 January (22:30 UTC the day before) in the next."""
    call = world["calls"]["eur"]
    lead = world["municipalities"]["ergene"]
    counted_proposal(
        call=call, lead=lead, state=State.SUBMITTED, submitted=datetime(2026, 12, 31, 20, 30, tzinfo=UTC)
    )
    counted_proposal(
        call=call, lead=lead, state=State.SUBMITTED, submitted=datetime(2026, 12, 31, 22, 30, tzinfo=UTC)
    )
    assert report(year=2026).total.submitted == 1
    assert report(year=2027).total.submitted == 1


def test_without_a_rate_the_amount_is_left_out_of_the_eur_total(world):
    found = report(year=2024, year_of="decision")  # nothing: no rows at all
    assert found.total.started == 0
    assert found.total.success_rate is None
    counted_proposal(
        call=world["calls"]["try"], lead=world["municipalities"]["ergene"], state=State.AWARDED,
        submitted=date(2024, 2, 1), decided=date(2024, 6, 1), requested_amount=1000, awarded_amount=800,
        currency="TRY",
    )  # fmt: skip
    found = report(year=2024, year_of="decision")
    assert found.total.awarded_amount == {"TRY": Decimal("800.00")}
    assert found.total.awarded_eur.eur == Decimal("0.00")
    assert found.total.awarded_eur.missing == {"TRY"}
    assert found.not_converted == [
        ("TRY", "TRY: no exchange rate recorded on or before 12/31/2024; not in the EUR total.")
    ]
    ExchangeRateFactory(currency="TRY", rate=Decimal("0.05"), valid_on=date(2024, 12, 31))
    assert report(year=2024, year_of="decision").total.awarded_eur.eur == Decimal("40.00")


@pytest.mark.parametrize(
    ("params", "started"),
    [
        ({"programme": "interreg"}, 6),
        ({"funder_kind": "national"}, 3),
        ({"funder_kind": "eu"}, 6),
        ({"call": "try"}, 3),
        ({"province": "Edirne"}, 5),  # awarded_try, ineligible, reserve, drafting, withdrawn
        ({"province": "EDİRNE"}, 5),  # as people type it
        ({"municipality": "suleymanpasa"}, 3),
        ({"coordinator": "other_coordinator"}, 1),
    ],
)
def test_each_filter(world, params, started):
    objects = {
        "programme": world["programmes"],
        "call": world["calls"],
        "municipality": world["municipalities"],
    }
    values = {}
    for name, value in params.items():
        if name in objects:
            value = objects[name][value].pk
        elif name == "coordinator":
            value = world[value].pk
        values[name] = value
    assert report(**values).total.started == started


def test_each_grouping(world):
    def labels(group_by, **params):
        return {row.label: row.figures.started for row in report(group_by=group_by, **params).rows}

    assert labels("call") == {
        "IPA-2025-01 – Cross-border": 6,
        "TKA-2025 – Financial support": 3,
        "No call": 1,
    }
    assert list(labels("municipality")) == [
        "Çorlu (Tekirdağ)",
        "Edirne Merkez (Edirne)",
        "Keşan (Edirne)",
        "Süleymanpaşa (Tekirdağ)",
        "Uzunköprü (Edirne)",
    ]
    assert labels("province") == {"Edirne": 5, "Tekirdağ": 5}
    assert labels("coordinator") == {"Ayşe Yılmaz": 9, "Mehmet Demir": 1}
    assert labels("year") == {"2024": 1, "2025": 6, "No year": 3}
    assert labels("year", year_of="decision") == {"2025": 6, "No year": 4}
    assert labels("year", year_of="start") == {"2023": 1, "2025": 9}


def test_grouped_by_year_each_year_converts_at_its_end(world):
    found = report(group_by="year", year_of="decision")
    rows = {row.label: row.figures for row in found.rows}
    assert rows["2025"].awarded_eur.eur == Decimal("175000.00")  # 130,000 EUR + 1,500,000 TRY at 0.03
    assert found.total.awarded_eur.eur == Decimal("175000.00")


def test_members_served_follow_the_filters(world):
    found = report(municipality=world["municipalities"]["corlu"].pk)
    assert found.members_served == 1  # Çorlu leads two; it partners awarded_eur (not in the set)
    found = report(municipality=world["municipalities"]["suleymanpasa"].pk)
    assert found.members_served == 2  # Süleymanpaşa, and Çorlu as partner
    assert [m["name"] for m in found.members_not_served] == [
        "Çerkezköy", "Edirne Merkez", "Ergene", "İpsala", "Keşan",
    ]  # fmt: skip
