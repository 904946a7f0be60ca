"""Read queries for the member registry."""

from django.db.models import QuerySet
from django.utils import timezone

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


def memberships_today(user) -> list[tuple[int | None, int | None, str]]:
    """(municipality id, organisation id, role) of the person's memberships active today, in one query
    kept on the user object: a request loads its user afresh, and the date is part of the key, so a
    long-lived object moves on at midnight."""
    today = timezone.localdate()
    cached = user.__dict__.get("_memberships_today")
    if cached is None or cached[0] != today:
        rows = list(
            TeamMembership.objects.active(today)
            .filter(user_id=user.pk)
            .values_list("municipality_id", "organisation_id", "role")
        )
        cached = user.__dict__["_memberships_today"] = (today, rows)
    return cached[1]


def teams_today(user) -> tuple[list[int], list[int]]:
    """The ids of the municipalities and of the organisations on whose team the person is today (from
    `memberships_today`, no query of its own once read)."""
    memberships = memberships_today(user)
    return sorted({m for m, _, _ in memberships if m}), sorted({o for _, o, _ in memberships if o})
