"""A small union whose results are known by heart: two programmes (one in EUR, one in TRY), members in
two provinces, every outcome, a deleted proposal, a proposal without a call, and TRY rates for 2025 and
2026 (EUR per lira: 0.03 from 2025-01-01, 0.025 from 2026-01-01).

What each proposal is (created / submitted / decided; amounts requested / awarded):

    awarded_eur P1 EUR Süleymanpaşa (+Çorlu)    2025-01-10 2025-03-01 2025-09-01 100,000 / 90,000
    awarded_try P2 TRY Edirne Merkez            2025-02-01 2025-04-02 2025-10-01 2,000,000 / 1,500,000
    rejected    P1 EUR Çorlu                    2025-01-01 2025-03-12 2025-08-01 200,000
    ineligible  P2 TRY Keşan                    2025-03-01 2025-04-10 2025-06-01 500,000
    reserve     P1 EUR Edirne Merkez            2025-02-01 2025-05-02 2025-09-15 150,000
    pending     P1 EUR Süleymanpaşa             2025-04-01 2025-06-10 -          80,000
    drafting    P2 TRY Keşan                    2025-05-01 -          -          300,000
    withdrawn   P1 EUR Uzunköprü (non-member)   2025-01-05 -          -
    old_award   P1 EUR Çorlu                    2023-11-01 2024-01-31 2025-02-01 50,000 / 40,000
    idea        -      Süleymanpaşa             2025-06-01 -          -
    deleted     P1 EUR Keşan (+İpsala), deleted 2025-01-01 2025-03-01 2025-09-01 999,999 / 999,999

Members never served: Çerkezköy, Ergene, İpsala (in the Turkish alphabet's order).
"""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from grants_office.calls.models import FundingProgramme
from grants_office.members.models import Municipality
from tests.factories import (
    CallFactory,
    ExchangeRateFactory,
    MunicipalityFactory,
    ProgrammeFactory,
    TeamMembershipFactory,
    counted_proposal,
    office_staff,
)
from workflows.models import ProposalPartner
from workflows.states import State


@pytest.fixture
def world(db):
    office = office_staff(username="koordinator", first_name="Ayşe", last_name="Yılmaz")
    other_coordinator = office_staff(username="ikinci", first_name="Mehmet", last_name="Demir")
    interreg = ProgrammeFactory(name="Interreg IPA Bulgaria–Türkiye", short_name="Interreg IPA")
    agency = ProgrammeFactory(
        name="Trakya Kalkınma Ajansı",
        short_name="TKA",
        funder="TRAKYAKA",
        kind=FundingProgramme.Kind.NATIONAL,
    )
    eur_call = CallFactory(programme=interreg, reference="IPA-2025-01", title="Cross-border", currency="EUR")
    try_call = CallFactory(programme=agency, reference="TKA-2025", title="Financial support", currency="TRY")
    m = {
        key: MunicipalityFactory(name=name, province=province)
        for key, name, province in [
            ("suleymanpasa", "Süleymanpaşa", "Tekirdağ"),
            ("corlu", "Çorlu", "Tekirdağ"),
            ("cerkezkoy", "Çerkezköy", "Tekirdağ"),
            ("ergene", "Ergene", "Tekirdağ"),
            ("edirne", "Edirne Merkez", "Edirne"),
            ("kesan", "Keşan", "Edirne"),
            ("ipsala", "İpsala", "Edirne"),
        ]
    }
    m["uzunkopru"] = MunicipalityFactory(
        name="Uzunköprü", province="Edirne", membership_status=Municipality.Membership.NON_MEMBER
    )

    def make(key, call, lead, state, created, submitted=None, decided=None, requested=None, awarded=None):
        return counted_proposal(
            title=key,
            call=call,
            lead=m[lead],
            state=state,
            currency=call.currency if call else "EUR",
            coordinator=other_coordinator if key == "idea" else office,
            created=created,
            submitted=submitted,
            decided=decided,
            requested_amount=None if requested is None else Decimal(requested),
            awarded_amount=None if awarded is None else Decimal(awarded),
        )

    d = date
    p = {
        "awarded_eur": make(
            "awarded_eur",
            eur_call,
            "suleymanpasa",
            State.AWARDED,
            d(2025, 1, 10),
            d(2025, 3, 1),
            d(2025, 9, 1),
            100_000,
            90_000,
        ),
        "awarded_try": make(
            "awarded_try",
            try_call,
            "edirne",
            State.AWARDED,
            d(2025, 2, 1),
            d(2025, 4, 2),
            d(2025, 10, 1),
            2_000_000,
            1_500_000,
        ),
        "rejected": make(
            "rejected",
            eur_call,
            "corlu",
            State.REJECTED,
            d(2025, 1, 1),
            d(2025, 3, 12),
            d(2025, 8, 1),
            200_000,
        ),
        "ineligible": make(
            "ineligible",
            try_call,
            "kesan",
            State.INELIGIBLE,
            d(2025, 3, 1),
            d(2025, 4, 10),
            d(2025, 6, 1),
            500_000,
        ),
        "reserve": make(
            "reserve",
            eur_call,
            "edirne",
            State.RESERVE,
            d(2025, 2, 1),
            d(2025, 5, 2),
            d(2025, 9, 15),
            150_000,
        ),
        "pending": make(
            "pending", eur_call, "suleymanpasa", State.SUBMITTED, d(2025, 4, 1), d(2025, 6, 10), None, 80_000
        ),
        "drafting": make("drafting", try_call, "kesan", State.DRAFTING, d(2025, 5, 1), requested=300_000),
        "withdrawn": make("withdrawn", eur_call, "uzunkopru", State.WITHDRAWN, d(2025, 1, 5)),
        "old_award": make(
            "old_award",
            eur_call,
            "corlu",
            State.AWARDED,
            d(2023, 11, 1),
            d(2024, 1, 31),
            d(2025, 2, 1),
            50_000,
            40_000,
        ),
        "idea": make("idea", None, "suleymanpasa", State.IDEA, d(2025, 6, 1)),
        "deleted": make(
            "deleted",
            eur_call,
            "kesan",
            State.AWARDED,
            d(2025, 1, 1),
            d(2025, 3, 1),
            d(2025, 9, 1),
            999_999,
            999_999,
        ),
    }
    p["deleted"].deleted_at = timezone.now()
    p["deleted"].save(update_fields=["deleted_at"])
    ProposalPartner.objects.create(proposal=p["awarded_eur"], municipality=m["corlu"])
    ProposalPartner.objects.create(proposal=p["deleted"], municipality=m["ipsala"])
    ExchangeRateFactory(currency="TRY", rate=Decimal("0.03"), valid_on=d(2025, 1, 1), recorded_by=office)
    ExchangeRateFactory(currency="TRY", rate=Decimal("0.025"), valid_on=d(2026, 1, 1), recorded_by=office)
    team = TeamMembershipFactory(municipality=m["suleymanpasa"]).user
    return {
        "office": office,
        "other_coordinator": other_coordinator,
        "team": team,
        "programmes": {"interreg": interreg, "agency": agency},
        "calls": {"eur": eur_call, "try": try_call},
        "municipalities": m,
        "proposals": p,
    }
