"""Reads of certificates: a person's own (the office sees all) and the public lookup by code."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from events.models import Certificate, normalise_code
from grants_office.core.errors import NotFound
from grants_office.core.people import signed_in
from grants_office.members.permissions import is_office_staff


def _loaded(queryset: QuerySet) -> QuerySet[Certificate]:
    return queryset.select_related(
        "registration__event", "registration__municipality", "registration__person"
    ).order_by("-issued_at", "-id")


def certificates_visible_to(user) -> QuerySet[Certificate]:
    if not signed_in(user):
        return Certificate.objects.none()
    if is_office_staff(user):
        return _loaded(Certificate.objects.all())
    return _loaded(Certificate.objects.filter(registration__person_id=user.pk))


def visible_certificate(user, pk) -> Certificate:
    try:
        return certificates_visible_to(user).get(pk=pk)
    except (Certificate.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None


def certificate_by_code(code: str) -> Certificate:
    """The certificate with this code as anyone may check it; NotFound for a code nobody has."""
    normal = normalise_code(code or "")
    found = (
        Certificate.objects.select_related("registration__event").filter(code=normal).first()
        if normal
        else None
    )
    if found is None:
        raise NotFound(_("No certificate has this code."))
    return found
