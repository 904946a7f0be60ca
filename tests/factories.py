"""Factories for real objects; tests build exactly the world they need."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from grants_office.calls.models import Call, ChecklistItem, Criterion, FundingProgramme, Rubric, Theme
from grants_office.members.models import ExpertProfile, Municipality, Organisation, TeamMembership
from grants_office.members.roles import OFFICE_ADMIN, OFFICE_STAFF
from workflows.models import Proposal

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*[Group.objects.get(name=name) for name in extracted])
        if create:
            self.save()


def office_staff(**kwargs):
    return UserFactory(groups=[OFFICE_STAFF], **kwargs)


def office_admin(**kwargs):
    return UserFactory(groups=[OFFICE_ADMIN], is_staff=True, **kwargs)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Belediye {n}")
    province = "Tekirdağ"
    kind = Municipality.Kind.DISTRICT
    population = 50_000
    membership_status = Municipality.Membership.MEMBER


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.MUNICIPALITY
    country = "BG"


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    """A person on a team since a month ago: they see the team's proposals from the moment it is saved."""

    class Meta:
        model = TeamMembership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = TeamMembership.Role.MEMBER
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"theme-{n}")
    name_en = factory.LazyAttribute(lambda t: t.code.replace("-", " ").title())
    name_tr = factory.LazyAttribute(lambda t: t.code.replace("-", " ").title())


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


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
