"""Partner search at national scale: 1,400 municipalities and 5,000 organisations with profiles.

    python -m bench.partner_search [--partners-database-url postgres://...] [--no-write]

Builds its own database (`grants_office_bench_partners`, created and filled when missing or short):
the parties with themes, descriptions in Turkish and English, funded projects as past projects and a
few agreements of the asker's municipality. Measures p50/p95 of typical searches through the selector
(the page's rows and the count, as the paginator asks) and through the API (a signed-in member), and
shows PostgreSQL's plan of a word search, which must read the GIN index of `0002_partners_profiles`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import timedelta
from urllib.parse import urlencode

from bench import snapshot
from bench.generate import setup_django
from bench.page import write_section

URL = "postgres://postgres@127.0.0.1:5432/grants_office_bench_partners"
MUNICIPALITIES, ORGANISATIONS, THEMES, FUNDED = 1_400, 5_000, 40, 3_000
REPEAT, WARMUP = 30, 3
SEED = 20261201

TURKISH = [
    "kırsal turizmi geliştirme",
    "kültür mirasının korunması",
    "enerji verimliliği ve güneş enerjisi",
    "taşkın riskinin azaltılması",
    "gençlik istihdamı",
    "akıllı şehir hizmetleri",
    "sınır ötesi işbirliği",
    "tarım ve gıda güvenliği",
    "göç ve sosyal uyum",
    "atık yönetimi ve döngüsel ekonomi",
]
ENGLISH = [
    "rural tourism development",
    "cultural heritage of the cities",
    "energy efficiency in public buildings",
    "flood risk management",
    "youth employment and skills",
    "smart city services for citizens",
    "cross-border cooperation",
    "agriculture and food safety",
    "migration and social inclusion",
    "waste management and the circular economy",
]
THEME_NAMES = [
    (english.split()[0].title(), turkish.split()[0].title())
    for english, turkish in zip(ENGLISH, TURKISH, strict=True)
]

CASES = [
    ("a word: tourism", {"q": "tourism"}),
    ("two words: energy efficiency", {"q": "energy efficiency"}),
    ("Turkish with a suffix: belediyesi", {"q": "belediyesi"}),
    ("Turkish stem: turizm", {"q": "turizm"}),
    ("English plural: cities", {"q": "cities"}),
    ("a word and country BG", {"q": "heritage", "country": "BG"}),
    ("a word and kind university", {"q": "flood", "kind": "university"}),
    ("no words, theme", {"theme": "theme-3"}),
    ("no words, country TR", {"country": "TR"}),
    ("no words, programme", {"programme": "{programme}"}),
]


def _build(rng: random.Random) -> None:
    """The parties (bulk), their profiles and themes, funded projects, agreements of municipality 0."""
    # app ready: the product's models
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from cooperation.models import Cooperation, PartnerProfile
    from cooperation.search_documents import ensure_profiles, rebuild_documents
    from grants_office.calls.models import Call, FundingProgramme, Theme
    from grants_office.members.models import Municipality, Organisation, TeamMembership
    from grants_office.members.provinces import PROVINCE_CHOICES
    from workflows.models import Proposal, ProposalPartner
    from workflows.states import State

    provinces = [code for code, _ in PROVINCE_CHOICES]
    Municipality.objects.bulk_create(
        Municipality(
            name=f"Merkez {i:04d} Belediyesi",
            province=provinces[i % len(provinces)],
            district=f"İlçe {i:04d}",
            kind=rng.choice(list(Municipality.Kind.values)),
            population=rng.randint(2_000, 900_000),
        )
        for i in range(MUNICIPALITIES)
    )
    countries = ["BG", "GR", "RO", "DE", "IT", "ES", "TR", "PL", "HU", "NL"]
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Partner {i:04d}",
            kind=rng.choice(list(Organisation.Kind.values)),
            country=countries[i % len(countries)],
            city=f"City {i % 300}",
        )
        for i in range(ORGANISATIONS)
    )
    themes = Theme.objects.bulk_create(
        Theme(
            code=f"theme-{i}",
            name_en=f"{THEME_NAMES[i % 10][0]} {i}",
            name_tr=f"{THEME_NAMES[i % 10][1]} {i}",
        )
        for i in range(THEMES)
    )
    ensure_profiles()
    profiles = list(PartnerProfile.objects.order_by("pk"))
    for profile in profiles:
        picks = rng.sample(range(10), 2)
        profile.description = f"{TURKISH[picks[0]]}. {ENGLISH[picks[1]]}."
        profile.priorities = TURKISH[rng.randrange(10)]
        profile.languages = ["tr", "en"] if profile.municipality_id else ["en"]
    PartnerProfile.objects.bulk_update(profiles, ["description", "priorities", "languages"], batch_size=1000)
    Through = PartnerProfile.themes.through
    Through.objects.bulk_create(
        Through(partnerprofile_id=profile.pk, theme_id=theme.pk)
        for profile in profiles
        for theme in rng.sample(themes, rng.randint(1, 4))
    )
    programme = FundingProgramme.objects.create(name="Interreg IPA Bulgaria–Türkiye (bench)", funder="EU")
    now = timezone.now()
    call = Call.objects.create(
        programme=programme,
        reference="BENCH-PARTNERS-1",
        title="Bench call",
        opens_on=now.date(),
        deadline=now,
    )
    leads = list(Municipality.objects.values_list("pk", flat=True))
    organisations = list(Organisation.objects.values_list("pk", flat=True))
    funded = [
        Proposal(
            lead_id=rng.choice(leads),
            call=call,
            title=f"{rng.choice(ENGLISH).title()} {i}",
            state=State.AWARDED,
        )
        for i in range(FUNDED)
    ]
    for proposal in funded:
        proposal.refresh_sort_keys()
    proposals = Proposal.objects.bulk_create(funded)
    ProposalPartner.objects.bulk_create(
        ProposalPartner(proposal=proposal, organisation_id=org)
        for proposal in proposals
        for org in rng.sample(organisations, 2)
    )
    asker = get_user_model().objects.create_user("bench-partners", password="x")
    TeamMembership.objects.create(
        user=asker, municipality_id=leads[0], role="lead", starts_on=now.date() - timedelta(days=10)
    )
    for i in range(5):
        agreement = Cooperation.objects.create(kind="sister_city", title=f"Twinning {i}", created_by=asker)
        agreement.municipalities.add(leads[0])
        agreement.organisations.add(*rng.sample(organisations, 3))
    rebuild_documents()


def _prepare() -> None:
    # app ready
    from django.core.management import call_command
    from django.db import connection

    from cooperation.models import PartnerProfile

    call_command("migrate", verbosity=0)
    if PartnerProfile.objects.count() < MUNICIPALITIES + ORGANISATIONS:
        started = time.perf_counter()
        _build(random.Random(SEED))
        print(f"built the partners in {time.perf_counter() - started:.1f} s", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _timed(run) -> tuple[float, float]:
    times = []
    for i in range(WARMUP + REPEAT):
        started = time.perf_counter()
        run()
        if i >= WARMUP:
            times.append((time.perf_counter() - started) * 1000)
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _cases():
    # app ready
    from django.contrib.auth import get_user_model
    from django.test import Client

    from cooperation.partner_filters import PartnerFilter
    from cooperation.selectors.partners import search_partners
    from grants_office.calls.models import FundingProgramme

    asker = get_user_model().objects.get(username="bench-partners")
    programme = FundingProgramme.objects.get(name__endswith="(bench)").pk
    client = Client()
    client.force_login(asker)
    rows = []
    for name, raw in CASES:
        params = {key: value.format(programme=programme) for key, value in raw.items()}
        search = PartnerFilter(params, request=type("Request", (), {"user": asker})())
        assert search.is_valid(), search.errors
        cleaned = {key: value for key, value in search.form.cleaned_data.items() if value not in (None, "")}

        def selector(cleaned=cleaned):
            found = search_partners(asker, **cleaned)
            list(found[:25])
            return found.order_by()[:1025].count()  # as the paginator counts: no sort

        url = f"/api/v1/partners/?{urlencode(params)}"

        def api(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.content[:300]

        hits = selector()
        selector_ms = _timed(selector)
        api_ms = _timed(api)
        rows.append((name, hits, *selector_ms, *api_ms))
        print(rows[-1], flush=True)
    return rows, asker


def _plan(asker, q: str) -> str:
    # app ready
    from django.db import connection

    from cooperation.selectors.partners import search_partners

    sql, params = search_partners(asker, q=q)[:25].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {sql}", params)
        lines = [row[0] for row in cursor.fetchall()]
    # the scan of the profiles and the totals; the subplans of agreements and past projects are the same
    return "\n".join(line for line in lines if "cooperation_partnerprofile" in line or "Time:" in line)


def table(rows) -> str:
    lines = [
        "| search | matches | selector p50 ms | selector p95 ms | API p50 ms | API p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, hits, s50, s95, a50, a95 in rows:
        shown = f"{hits:,}" if hits <= 1024 else "> 1,024"
        lines.append(f"| {name} | {shown} | {s50:.1f} | {s95:.1f} | {a50:.1f} | {a95:.1f} |")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners-database-url", default=os.environ.get("BENCH_PARTNERS_DATABASE_URL", URL))
    parser.add_argument("--no-write", action="store_true")
    args, _others = parser.parse_known_args(argv)  # `make bench` passes the bench's own BENCH_ARGS too
    snapshot.ensure_database(args.partners_database_url)
    os.environ["DATABASE_URL"] = args.partners_database_url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    setup_django()
    _prepare()
    rows, asker = _cases()
    selective, common = _plan(asker, "0042"), _plan(asker, "turizm")
    text = (
        f"{table(rows)}\n\nThe plans of the profiles' scan (first page). A selective word (`q=0042`) reads "
        f"the GIN index:\n\n```\n{selective}\n```\n\nA word in a fifth of the profiles (`q=turizm`): "
        f"PostgreSQL reads the table, whose stored vector costs nothing to test:\n\n```\n{common}\n```"
    )
    print(text)
    if "cooperation_partnerprofile_search" not in selective:
        raise SystemExit("a selective word search does not use the GIN index")
    if not args.no_write:
        write_section(
            "partner-search",
            "Partner search (`python -m bench.partner_search`)",
            f": {MUNICIPALITIES:,} municipalities and {ORGANISATIONS:,} organisations with profiles, "
            f"{THEMES} themes, {FUNDED:,} funded projects; {REPEAT} runs after {WARMUP} warm-ups; the "
            "selector reads the first page and the count (up to 1,025, as the paginator does), the API "
            "answers a signed-in member.",
            text,
        )


if __name__ == "__main__":
    main()
