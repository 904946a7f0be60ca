"""Funding programmes and their calls, with everything a call nests: rubric criteria, themes and a
document checklist."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from grants_office.calls.models import (
    Call,
    ChecklistItem,
    Criterion,
    DocumentKind,
    FundingProgramme,
    Rubric,
    Theme,
)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"theme-{n}")
    name_en = factory.LazyAttribute(lambda t: t.code.replace("-", " ").title())
    name_tr = factory.LazyAttribute(lambda t: t.code.replace("-", " ").title())


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingProgramme

    name = factory.Sequence(lambda n: f"Programme {n}")
    funder = "European Commission"
    kind = FundingProgramme.Kind.EU


class RubricFactory(factory.django.DjangoModelFactory):
    """The EU rubric: three criteria on 0-5 in half points, threshold 3 each and 10 overall."""

    class Meta:
        model = Rubric
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"EU rubric {n}")
    overall_threshold = Decimal(10)

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if not create:
            return
        for position, (code, title) in enumerate(
            extracted
            or [("excellence", "Excellence"), ("impact", "Impact"), ("implementation", "Implementation")]
        ):
            Criterion.objects.create(
                rubric=self,
                code=code,
                title=title,
                position=position,
                scale_min=0,
                scale_max=5,
                step=Decimal("0.5"),
                threshold=3,
                weight=1,
            )


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    reference = factory.Sequence(lambda n: f"CALL-2027-{n:04d}")
    title = factory.Sequence(lambda n: f"Call for proposals {n}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=60))
    deadline_timezone = "Europe/Brussels"
    currency = "EUR"

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def required_documents(self, create, extracted, **kwargs):
        if create and extracted:
            for kind in extracted:
                ChecklistItem.objects.create(call=self, document_kind=kind, required=True)


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    call = factory.SubFactory(CallFactory)
    document_kind = DocumentKind.APPLICATION_FORM
    required = True


class CriterionFactory(factory.django.DjangoModelFactory):
    """A criterion on the EU scale: 0-5 in half points."""

    class Meta:
        model = Criterion

    rubric = factory.SubFactory(RubricFactory)
    code = factory.Sequence(lambda n: f"criterion-{n}")
    title = factory.LazyAttribute(lambda c: c.code.replace("-", " ").title())
    scale_min = Decimal(0)
    scale_max = Decimal(5)
    step = Decimal("0.5")
    threshold = Decimal(3)
    weight = Decimal(1)


def full_call(**kwargs):
    """A call as an office registers it: an EU rubric, two themes, two required documents and an optional
    one (each unless given)."""
    kwargs.setdefault("rubric", RubricFactory())
    kwargs.setdefault("themes", [ThemeFactory(), ThemeFactory()])
    kwargs.setdefault("required_documents", [DocumentKind.APPLICATION_FORM, DocumentKind.BUDGET])
    call = CallFactory(**kwargs)
    ChecklistItemFactory(call=call, document_kind=DocumentKind.LETTER_OF_SUPPORT, required=False)
    return call
