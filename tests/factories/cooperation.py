"""Cooperation: call eligibility, partner profiles, partner requests and responses, agreements."""

from datetime import timedelta

import factory
from django.utils import timezone

from cooperation.models import Cooperation, PartnerProfile, PartnerRequest, PartnerResponse
from grants_office.members.models import CallEligibility
from tests.factories.calls import CallFactory
from tests.factories.members import MunicipalityFactory, OrganisationFactory, UserFactory


class CallEligibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallEligibility

    call = factory.SubFactory(CallFactory)


class PartnerProfileFactory(factory.django.DjangoModelFactory):
    """An organisation's profile unless `municipality` is given.

    Every party gets its profile when it is saved (cooperation's receivers), so this fills in that
    profile with the given values instead of creating a second one."""

    class Meta:
        model = PartnerProfile
        skip_postgeneration_save = True

    organisation = factory.Maybe(
        "municipality", yes_declaration=None, no_declaration=factory.SubFactory(OrganisationFactory)
    )
    municipality = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        party = {"municipality": kwargs.pop("municipality"), "organisation": kwargs.pop("organisation")}
        profile, _ = model_class.objects.update_or_create(**party, defaults=kwargs)
        return profile

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.add(*extracted)


class PartnerRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerRequest
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    call = factory.SubFactory(CallFactory)
    title = factory.Sequence(lambda n: f"Seeking a partner {n}")
    answer_by = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=21))
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.add(*extracted)


class PartnerResponseFactory(factory.django.DjangoModelFactory):
    """On behalf of an organisation unless `municipality` is given."""

    class Meta:
        model = PartnerResponse

    request = factory.SubFactory(PartnerRequestFactory)
    organisation = factory.Maybe(
        "municipality", yes_declaration=None, no_declaration=factory.SubFactory(OrganisationFactory)
    )
    municipality = None
    responder = factory.SubFactory(UserFactory)
    message = "We would like to take part."


class CooperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperation
        skip_postgeneration_save = True

    kind = Cooperation.Kind.SISTER_CITY
    title = factory.Sequence(lambda n: f"Sister cities {n}")
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=400))
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.add(*extracted)

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.add(*extracted)
