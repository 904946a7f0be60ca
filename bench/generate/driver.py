"""The run: one `Generator` carries the scale, the seeded random source and the rows each section leaves
for the next; the sections run in order inside one transaction. Imported after `django.setup()`."""

from __future__ import annotations

import random
import sys
import time

from django.db import transaction
from django.utils import timezone

from bench.generate import calls, documents, events, members, notifications, people, proposals, review
from bench.generate.bulk import skip_foreign_key_checks
from bench.scales import SCALES
from workflows.models import Proposal

# In this order: each section reads what the ones before it left on the generator.
SECTIONS = [
    ("members", members.members),
    ("people", people.people),
    ("calls", calls.calls),
    ("proposals", proposals.proposals),
    ("documents", documents.documents),
    ("review", review.review),
    ("notifications", notifications.notifications),
    ("events", events.events),
    ("partner profiles", members.partner_profiles),
]


class Generator:
    """What the sections share. Rows are kept as the instances bulk_create returned (with their keys)."""

    # members
    municipalities: list
    organisations: list
    # people
    office: list
    experts: list
    expert_profiles: list
    team_of_municipality: dict[int, list]
    # calls
    themes: list
    rubrics: list
    calls: list
    open_calls: list
    closed_calls: list
    # proposals
    proposals: list
    partners: list[tuple[int, int | None, int | None]]  # (proposal, municipality, organisation)
    submissions: list
    # documents
    latest_versions: dict[int, list[int]]
    # review
    first_assignment: int
    n_assignments: int

    def __init__(self, scale, rng: random.Random, out=sys.stdout):
        self.scale = scale
        self.rng = rng
        self.now = timezone.now()
        self.out = out
        self.timings: list[tuple[str, float, int]] = []
        self.total_seconds = 0.0

    def step(self, name, func):
        started = time.perf_counter()
        count = func(self)
        elapsed = time.perf_counter() - started
        self.timings.append((name, elapsed, count))
        self.out.write(f"  {name:<28} {count:>10,} rows {elapsed:8.1f} s\n")
        self.out.flush()


def run(scale_name: str, *, seed: int, out=sys.stdout) -> Generator:
    """Load one scale into an empty database (run migrate first). Returns the generator with timings."""
    if Proposal.objects.exists():
        raise SystemExit("The database already holds proposals; generate into an empty database.")
    generator = Generator(SCALES[scale_name], random.Random(seed), out=out)
    out.write(f"Generating the {scale_name} scale\n")
    started = time.perf_counter()
    with transaction.atomic():
        skip_foreign_key_checks()
        for name, section in SECTIONS:
            generator.step(name, section)
    total = time.perf_counter() - started
    out.write(f"  {'total':<28} {'':>10}      {total:8.1f} s\n")
    generator.total_seconds = total
    return generator
