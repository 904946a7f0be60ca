"""Read queries for the member registry."""

from django.db.models import QuerySet

from grants_office.members.models import Municipality, Organisation, TeamMembership


def municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.all()


def organisations() -> QuerySet[Organisation]:
    return Organisation.objects.all()


def active_memberships(user) -> QuerySet[TeamMembership]:
    """The teams a person is on today; ended memberships grant nothing."""
    return TeamMembership.objects.active().filter(user=user)


def municipalities_led_by_teams_of(user) -> QuerySet[Municipality]:
    """The municipalities on whose team this person is today: where they may register ideas."""
    return Municipality.objects.filter(pk__in=active_memberships(user).values("municipality"))
