"""Themes, programmes, the two rubrics (EU and agency) and calls over ten years, a tenth still open."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from bench.generate.bulk import bulk
from grants_office.calls.models import (
    Call,
    ChecklistItem,
    Criterion,
    DisagreementRule,
    DocumentKind,
    FundingProgramme,
    Rubric,
    Theme,
)

if TYPE_CHECKING:
    from bench.generate.driver import Generator

# Every call asks for these, so a proposal's documents follow its call's checklist.
REQUIRED_KINDS = (DocumentKind.APPLICATION_FORM, DocumentKind.BUDGET, DocumentKind.WORK_PLAN)


def calls(gen: Generator) -> int:
    themes = bulk(
        Theme, [Theme(code=f"t{i:02d}", name_en=f"Theme {i}", name_tr=f"Tema {i}") for i in range(24)]
    )
    programmes = bulk(
        FundingProgramme,
        [
            FundingProgramme(
                name=f"Programme {i:02d}",
                funder="European Commission" if i % 3 else "Kalkınma Ajansı",
                kind=FundingProgramme.Kind.EU if i % 3 else FundingProgramme.Kind.NATIONAL,
            )
            for i in range(30)
        ],
    )
    eu, agency = _rubrics()
    gen.rubrics = [eu, agency]
    rows = []
    for i in range(gen.scale.calls):
        # Deadlines spread over ten years, a tenth still open.
        days = gen.rng.randint(1, 120) if i % 10 == 0 else -gen.rng.randint(1, 3_650)
        programme = programmes[i % len(programmes)]
        rows.append(
            Call(
                programme=programme,
                reference=f"CALL-{i:05d}",
                title=f"Call {i}",
                opens_on=(gen.now + timedelta(days=days - 90)).date(),
                deadline=gen.now + timedelta(days=days),
                is_two_stage=i % 7 == 0,
                rubric=eu if programme.kind == FundingProgramme.Kind.EU else agency,
            )
        )
    gen.calls = bulk(Call, rows)
    gen.open_calls = [c for c in gen.calls if c.deadline > gen.now]
    gen.closed_calls = [c for c in gen.calls if c.deadline <= gen.now]
    through = Call.themes.through
    bulk(
        through,
        [through(call_id=c.pk, theme_id=t.pk) for c in gen.calls for t in gen.rng.sample(themes, 3)],
    )
    checklist = [
        ChecklistItem(call=c, document_kind=kind, required=True) for c in gen.calls for kind in REQUIRED_KINDS
    ]
    bulk(ChecklistItem, checklist)
    gen.themes = themes
    return len(gen.calls) + len(checklist)


def _rubrics() -> tuple[Rubric, Rubric]:
    """The EU scale (0–5 per criterion) and an agency's 100 points (a third assessor on totals)."""
    eu = Rubric.objects.create(name="Bench EU rubric", overall_threshold=Decimal(10))
    agency = Rubric.objects.create(
        name="Bench agency rubric",
        overall_threshold=Decimal(65),
        disagreement_rule=DisagreementRule.TOTALS,
        disagreement_gap=Decimal(15),
    )
    Criterion.objects.bulk_create(
        [
            Criterion(rubric=eu, code=c, title=c.title(), position=i, threshold=Decimal(3))
            for i, c in enumerate(["excellence", "impact", "implementation"])
        ]
        + [
            Criterion(
                rubric=agency, code=c, title=c.title(), position=i, scale_max=Decimal(w), step=Decimal(1)
            )
            for i, (c, w) in enumerate([("relevance", 30), ("method", 40), ("sustainability", 30)])
        ]
    )
    return eu, agency
