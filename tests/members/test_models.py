"""The member registry's invariants and the office groups made on migrate."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from grants_office.members import permissions
from grants_office.members.models import Municipality, TeamMembership
from grants_office.members.provinces import (
    PROVINCE_CHOICES,
    PROVINCES,
    ascii_fold,
    match_province,
    turkish_fold,
    turkish_key,
)
from grants_office.members.roles import OFFICE_ADMIN, OFFICE_STAFF, sync_office_groups
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    TeamMembershipFactory,
    UserFactory,
    office_admin,
    office_staff,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def group_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


# Provinces ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "official"),
    [
        ("Tekirdağ", "Tekirdağ"),
        ("TEKİRDAĞ", "Tekirdağ"),
        ("Tekirdag", "Tekirdağ"),
        ("TEKIRDAG", "Tekirdağ"),
        ("  kırklareli ", "Kırklareli"),
        ("ISTANBUL", "İstanbul"),
        ("Iğdır", "Iğdır"),
        ("igdir", "Iğdır"),
        ("Içel", "Mersin"),
        ("Afyon", "Afyonkarahisar"),
    ],
)
def test_match_province_accepts_how_people_type_it(typed, official):
    assert match_province(typed) == official


@pytest.mark.parametrize("typed", ["", "Atlantis", "Tekirdağlı", "Sofia"])
def test_match_province_refuses_what_is_not_a_province(typed):
    assert match_province(typed) is None


def test_there_are_81_provinces_and_no_two_fold_to_the_same_text():
    assert len(set(PROVINCES)) == 81
    assert len({turkish_fold(p) for p in PROVINCES}) == 81
    assert len({ascii_fold(p) for p in PROVINCES}) == 81
    assert all(match_province(p) == p for p in PROVINCES)


def test_turkish_fold_knows_dotted_and_dotless_i():
    assert turkish_fold("IĞDIR") == "ığdır"
    assert turkish_fold("İZMİR") == "izmir"
    assert ascii_fold("Süleymanpaşa  Belediyesi") == "suleymanpasa belediyesi"


# Municipality and organisation -------------------------------------------------------------------------


def test_municipality_name_is_unique_within_its_province_only():
    MunicipalityFactory(name="Merkez", province="Edirne")
    MunicipalityFactory(name="Merkez", province="Tekirdağ")

    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalityFactory(name="Merkez", province="Edirne")


def test_municipality_is_member_follows_membership_status():
    assert MunicipalityFactory(membership_status=Municipality.Membership.MEMBER).is_member
    assert not MunicipalityFactory(membership_status=Municipality.Membership.RESIGNED).is_member


def test_municipality_province_must_be_an_official_name():
    municipality = MunicipalityFactory.build(province="Tekirdag")

    with pytest.raises(ValidationError) as error:
        municipality.full_clean()

    assert "province" in error.value.message_dict


def test_organisation_clean_upper_cases_the_country_code():
    organisation = OrganisationFactory.build(country="bg")

    organisation.full_clean()

    assert organisation.country == "BG"


@pytest.mark.parametrize("country", ["B", "B1", "1G"])
def test_organisation_refuses_a_country_that_is_not_two_letters(country):
    with pytest.raises(ValidationError) as error:
        OrganisationFactory.build(country=country).full_clean()

    assert "country" in error.value.message_dict


# Team membership ---------------------------------------------------------------------------------------


def test_team_membership_of_a_municipality_or_an_organisation_is_valid():
    user = UserFactory()
    TeamMembershipFactory(user=user).full_clean()
    TeamMembershipFactory(user=user, municipality=None, organisation=OrganisationFactory()).full_clean()


def test_team_membership_of_both_parties_is_refused_by_clean_and_database():
    membership = TeamMembershipFactory.build(
        user=UserFactory(),
        municipality=MunicipalityFactory(),
        organisation=OrganisationFactory(),
    )

    with pytest.raises(ValidationError):
        membership.clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_team_membership_of_neither_party_is_refused_by_clean_and_database():
    membership = TeamMembershipFactory.build(user=UserFactory(), municipality=None)

    with pytest.raises(ValidationError):
        membership.clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_team_membership_must_end_after_it_starts():
    membership = TeamMembershipFactory.build(
        user=UserFactory(),
        municipality=MunicipalityFactory(),
        starts_on=TODAY(),
        ends_on=TODAY(),
    )

    with pytest.raises(ValidationError) as error:
        membership.clean()
    assert "ends_on" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_active_memberships_are_those_running_today_of_active_users():
    today = TODAY()
    running = TeamMembershipFactory(starts_on=today - timedelta(days=5))
    ends_today = TeamMembershipFactory(
        starts_on=today - timedelta(days=5), ends_on=today
    )  # the end date is exclusive
    starts_tomorrow = TeamMembershipFactory(starts_on=today + timedelta(days=1))
    inactive_user = TeamMembershipFactory(user=UserFactory(is_active=False))

    active = set(TeamMembership.objects.active())

    assert active == {running}
    assert running.is_active()
    assert not ends_today.is_active()
    assert not starts_tomorrow.is_active()
    assert starts_tomorrow.is_active(on=today + timedelta(days=1))
    assert inactive_user.is_active()  # by date; the queryset also checks the account


# Office groups -----------------------------------------------------------------------------------------


def codenames(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


def test_migrate_creates_the_office_groups():
    assert Group.objects.filter(name__in=[OFFICE_ADMIN, OFFICE_STAFF]).count() == 2


def test_office_admin_may_do_everything_with_the_registry_and_calls():
    admin = codenames(OFFICE_ADMIN)

    for model in ["municipality", "organisation", "teammembership", "expertprofile"]:
        for action in ["add", "change", "delete", "view"]:
            assert f"members.{action}_{model}" in admin
    for model in ["fundingprogramme", "call", "rubric", "criterion", "checklistitem", "theme"]:
        for action in ["add", "change", "delete", "view"]:
            assert f"calls.{action}_{model}" in admin
    assert not any(name.startswith(("auth.", "admin.", "sessions.")) for name in admin)


def test_office_staff_may_view_everything_but_not_keep_the_registry():
    staff = codenames(OFFICE_STAFF)

    assert {"members.view_municipality", "calls.view_call", "calls.view_rubric"} <= staff
    assert not {"members.add_municipality", "members.change_municipality", "calls.delete_call"} & staff
    assert codenames(OFFICE_STAFF) <= codenames(OFFICE_ADMIN)


def test_office_staff_get_the_extra_permissions_apps_declare():
    from django.apps import apps

    declared = {
        perm for config in apps.get_app_configs() for perm in getattr(config, "office_staff_permissions", ())
    }

    assert declared <= codenames(OFFICE_STAFF)


def test_syncing_office_groups_again_restores_a_removed_permission():
    admin_group = Group.objects.get(name=OFFICE_ADMIN)
    before = codenames(OFFICE_ADMIN)
    admin_group.permissions.clear()

    sync_office_groups()
    sync_office_groups()

    assert codenames(OFFICE_ADMIN) == before
    assert Group.objects.filter(name=OFFICE_ADMIN).count() == 1


def test_office_roles_follow_the_groups():
    staff = office_staff()
    admin = office_admin()
    member = TeamMembershipFactory().user
    superuser = UserFactory(is_superuser=True)
    gone = office_admin(is_active=False)

    assert [permissions.is_office_staff(u) for u in (staff, admin, member, superuser, gone)] == [
        True,
        True,
        False,
        True,
        False,
    ]
    assert [permissions.is_office_admin(u) for u in (staff, admin, member, superuser, gone)] == [
        False,
        True,
        False,
        True,
        False,
    ]
    assert staff.has_perm("members.view_municipality")
    assert not staff.has_perm("members.change_municipality")
    assert admin.has_perm("members.change_municipality")


def test_provinces_and_names_sort_in_the_turkish_alphabet():
    names = [name for name, _label in PROVINCE_CHOICES]
    assert names.index("Bursa") < names.index("Çanakkale") < names.index("Çorum") < names.index("Denizli")
    assert names.index("Iğdır") < names.index("İstanbul") < names.index("Zonguldak")
    assert sorted(["Şile", "Sakarya", "Zile", "Çorlu", "Corum"], key=turkish_key) == [
        "Corum",
        "Çorlu",
        "Sakarya",
        "Şile",
        "Zile",
    ]
