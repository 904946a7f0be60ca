"""The registry: member municipalities all over Türkiye and partner organisations abroad."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bench.generate.bulk import bulk
from cooperation.search_documents import ensure_profiles
from grants_office.members.models import Municipality, Organisation
from grants_office.members.provinces import PROVINCE_CHOICES

if TYPE_CHECKING:
    from bench.generate.driver import Generator


def members(gen: Generator) -> int:
    provinces = [code for code, _ in PROVINCE_CHOICES]
    kinds = [Municipality.Kind.DISTRICT] * 7 + [Municipality.Kind.TOWN] * 2 + [Municipality.Kind.PROVINCIAL]
    municipalities = [
        Municipality(
            name=f"Belediye {i:04d}",
            province=provinces[i % len(provinces)],
            district=f"İlçe {i:04d}",
            kind=Municipality.Kind.METROPOLITAN if i < 30 else gen.rng.choice(kinds),
            population=gen.rng.randint(2_000, 900_000),
            membership_status=Municipality.Membership.MEMBER,
            membership_date=gen.now.date() - timedelta(days=gen.rng.randint(30, 3_650)),
            contact_email=f"hibe{i}@belediye.example.org",
        )
        for i in range(gen.scale.municipalities)
    ]
    gen.municipalities = bulk(Municipality, municipalities)
    countries = ["BG", "GR", "RO", "DE", "IT", "ES", "TR", "PL", "HU", "NL"]
    organisations = [
        Organisation(
            name=f"Partner {i:04d}",
            kind=gen.rng.choice([k for k, _ in Organisation.Kind.choices]),
            country=countries[i % len(countries)],
        )
        for i in range(gen.scale.organisations)
    ]
    gen.organisations = bulk(Organisation, organisations)
    return len(municipalities) + len(organisations)


def partner_profiles(gen: Generator) -> int:
    """Every party's cooperation profile with its search document (past projects included, so it runs
    after the proposals): the registry came in bulk, which no post_save sees."""
    return ensure_profiles()
