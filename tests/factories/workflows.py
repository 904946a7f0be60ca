"""Proposals."""

import factory

from tests.factories.calls import CallFactory
from tests.factories.members import MunicipalityFactory
from workflows.models import Proposal


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal in any state; its lead's team sees it (access follows memberships)."""

    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    lead = factory.SubFactory(MunicipalityFactory)
    call = factory.SubFactory(CallFactory)
    title = factory.Sequence(lambda n: f"Proposal {n}")
    acronym = factory.Sequence(lambda n: f"PRP{n}")
    summary = "Cross-border flood early warning for the Meriç basin."
    currency = "EUR"
