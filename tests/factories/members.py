"""People and who they belong to: users (office staff and admins), municipalities, organisations,
team memberships, expert profiles and personal settings."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from grants_office.members.models import (
    ExpertProfile,
    Municipality,
    Organisation,
    TeamMembership,
    UserProfile,
)
from grants_office.members.roles import OFFICE_ADMIN, OFFICE_STAFF

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


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class UserProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserProfile
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    language = "tr"
    time_zone = "Europe/Istanbul"
