"""Exchange rates, and proposals as the results count them: with their moments set (the idea's
`created_at`, the submission, the decision), which the services stamp with the time of the call."""

from datetime import UTC, date, datetime
from decimal import Decimal

import factory

from reports.models import ExchangeRate
from tests.factories.members import UserFactory
from tests.factories.workflows import ProposalFactory
from workflows.models import Proposal


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate

    currency = "TRY"
    rate = Decimal("0.0268")
    valid_on = factory.LazyFunction(lambda: date(2026, 1, 1))
    source = factory.LazyAttribute(lambda r: f"TCMB {r.valid_on:%Y-%m-%d}")
    recorded_by = factory.SubFactory(UserFactory)


def _moment(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, 9, 0, tzinfo=UTC)


def counted_proposal(*, created=None, submitted=None, decided=None, **kwargs) -> Proposal:
    """A proposal in any state (`state=`), its idea registered on `created` (a date or moment),
    submitted at `submitted` and decided on `decided` (a date)."""
    proposal = ProposalFactory(submitted_at=_moment(submitted), decided_on=decided, **kwargs)
    if created is not None:  # auto_now_add stamps the insert: set the idea's day afterwards
        Proposal.objects.filter(pk=proposal.pk).update(created_at=_moment(created))
        proposal.created_at = _moment(created)
    return proposal
