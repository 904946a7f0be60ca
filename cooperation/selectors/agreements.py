"""Reads of the cooperation registry: visible to every signed-in member (the office, municipal teams,
partner contacts)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cooperation import permissions as can
from cooperation.models import Cooperation
from grants_office.core.errors import NotFound
from grants_office.members.models import Municipality, Organisation


def _registry() -> QuerySet[Cooperation]:
    return Cooperation.objects.prefetch_related("municipalities", "organisations")


def cooperations_visible_to(user) -> QuerySet[Cooperation]:
    return _registry() if can.takes_part(user) else Cooperation.objects.none()


def visible_cooperation(user, pk) -> Cooperation:
    try:
        return cooperations_visible_to(user).get(pk=pk)
    except (Cooperation.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None


def filter_cooperations(
    cooperations: QuerySet[Cooperation], *, kind=None, municipality=None, organisation=None
):
    if kind:
        cooperations = cooperations.filter(kind=kind)
    if municipality:
        cooperations = cooperations.filter(municipalities=municipality)
    if organisation:
        cooperations = cooperations.filter(organisations=organisation)
    return cooperations


def cooperations_of(party: Municipality | Organisation) -> QuerySet[Cooperation]:
    """The agreements and network memberships that name this municipality or organisation (for its
    page; a union-wide membership names the union, not each member)."""
    if isinstance(party, Municipality):
        return _registry().filter(municipalities=party)
    return _registry().filter(organisations=party)
