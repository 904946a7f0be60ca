"""Calls with everything their API nests: rubric criteria, themes and a document checklist."""

from decimal import Decimal

import factory

from grants_office.calls.models import ChecklistItem, Criterion, DocumentKind
from tests import factories


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    call = factory.SubFactory(factories.CallFactory)
    document_kind = DocumentKind.APPLICATION_FORM
    required = True


class CriterionFactory(factory.django.DjangoModelFactory):
    """A criterion on the EU scale: 0-5 in half points."""

    class Meta:
        model = Criterion

    rubric = factory.SubFactory(factories.RubricFactory)
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
    kwargs.setdefault("rubric", factories.RubricFactory())
    kwargs.setdefault("themes", [factories.ThemeFactory(), factories.ThemeFactory()])
    kwargs.setdefault("required_documents", [DocumentKind.APPLICATION_FORM, DocumentKind.BUDGET])
    call = factories.CallFactory(**kwargs)
    ChecklistItemFactory(call=call, document_kind=DocumentKind.LETTER_OF_SUPPORT, required=False)
    return call
