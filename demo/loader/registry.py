"""The member registry and the office's reference data, matched by their natural keys: a registry that
was imported before is reused, not duplicated."""

from __future__ import annotations

from decimal import Decimal

from demo import data
from demo.loader.shared import Demo, bulk_create
from grants_office.calls.models import Criterion, FundingProgramme, Rubric, Theme
from grants_office.members.models import Municipality, Organisation


def registry(demo: Demo) -> None:
    existing = {(m.province, m.name): m for m in Municipality.objects.all()}
    new = []
    for key, name, province, district, kind, population, status, since in data.MUNICIPALITIES:
        municipality = existing.get((province, name))
        if municipality is None:
            municipality = Municipality(
                name=name,
                province=province,
                district=district,
                kind=kind,
                population=population,
                membership_status=status,
                membership_date=since,
                contact_email=f"abofisi.{key}@example.org",
            )
            new.append(municipality)
        demo.municipalities[key] = municipality
    bulk_create(Municipality, new)

    existing = {(o.country, o.name): o for o in Organisation.objects.all()}
    new = []
    for key, name, kind, country, city in data.ORGANISATIONS:
        organisation = existing.get((country, name))
        if organisation is None:
            organisation = Organisation(name=name, kind=kind, country=country, city=city)
            new.append(organisation)
        demo.organisations[key] = organisation
    bulk_create(Organisation, new)


def reference(demo: Demo) -> None:
    """Themes, programmes and rubrics: the office's reference data."""
    for code, name_en, name_tr in data.THEMES:
        demo.themes[code], _ = Theme.objects.get_or_create(
            code=code, defaults={"name_en": name_en, "name_tr": name_tr}
        )
    for key, name, short, funder, kind, description in data.PROGRAMMES:
        demo.programmes[key], _ = FundingProgramme.objects.get_or_create(
            name=name,
            defaults={"short_name": short, "funder": funder, "kind": kind, "description": description},
        )
    has_default = Rubric.objects.filter(is_office_default=True).exists()
    for name, description, threshold, office_default, (rule, gap), criteria in data.RUBRICS:
        rubric, created = Rubric.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "overall_threshold": Decimal(threshold),
                "is_office_default": office_default and not has_default,
                "disagreement_rule": rule,
                "disagreement_gap": Decimal(gap),
            },
        )
        if not created and rubric.disagreement_gap is None and rubric.disagreement_rule == "per_criterion":
            # Loaded before rubrics had a rule (both still the defaults): give it the funder's.
            Rubric.objects.filter(pk=rubric.pk).update(disagreement_rule=rule, disagreement_gap=Decimal(gap))
        if created:
            Criterion.objects.bulk_create(
                Criterion(
                    rubric=rubric,
                    code=code,
                    title=title,
                    description=text,
                    position=position,
                    scale_min=Decimal(low),
                    scale_max=Decimal(high),
                    step=Decimal(step),
                    threshold=None if limit is None else Decimal(limit),
                    weight=Decimal(weight),
                )
                for position, (code, title, text, low, high, step, limit, weight) in enumerate(criteria)
            )
        demo.rubrics[name] = rubric
