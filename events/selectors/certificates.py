"""Reads of certificates: a person's own (the office sees every one), one of them, and the public lookup
by code, which anyone may make and which loads only what the verification page shows."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from events.models import CODE_LENGTH, Certificate, normalise_code
from grants_office.core.errors import NotFound
from grants_office.core.people import signed_in
from grants_office.members.permissions import is_office_staff


def _loaded(queryset: QuerySet) -> QuerySet[Certificate]:
    return queryset.select_related(
        "registration__event", "registration__municipality", "registration__person"
    ).order_by("-issued_at", "-id")


def certificates_visible_to(user) -> QuerySet[Certificate]:
    """The office: every certificate; anyone else: those they hold (revoked ones too, marked so)."""
    if not signed_in(user):
        return Certificate.objects.none()
    if is_office_staff(user):
        return _loaded(Certificate.objects.all())
    return _loaded(Certificate.objects.filter(registration__person_id=user.pk))


def filter_certificates(
    certificates: QuerySet[Certificate],
    *,
    event=None,
    municipality=None,
    year: int | None = None,
    valid: bool | None = None,
) -> QuerySet[Certificate]:
    """The filters of the list page (event, municipality: a row or its id; year issued; still valid)."""
    if event is not None:
        certificates = certificates.filter(registration__event=event)
    if municipality is not None:
        certificates = certificates.filter(registration__municipality=municipality)
    if year is not None:
        certificates = certificates.filter(issued_at__year=year)
    if valid is not None:
        certificates = certificates.filter(revoked_at__isnull=valid)
    return certificates


def visible_certificate(user, pk) -> Certificate:
    """The certificate `pk` if this person holds it or is the office; NotFound otherwise."""
    try:
        return certificates_visible_to(user).get(pk=pk)
    except (Certificate.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(_("Not found.")) from None


def certificate_by_code(code: str) -> Certificate:
    """The certificate with this code as typed (any case, dashes or spaces), with its event; NotFound
    for a code nobody has, or that cannot be one (no query then)."""
    normal = normalise_code(code or "")
    found = None
    if len(normal) == CODE_LENGTH:
        found = Certificate.objects.select_related("registration__event").filter(code=normal).first()
    if found is None:
        raise NotFound(_("No certificate has this code."))
    return found
