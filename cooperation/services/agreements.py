"""The cooperation registry: the office records sister-city and cooperation agreements and network
memberships; each has a document set (purpose AGREEMENT) for the signed texts."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from cooperation import permissions as can
from cooperation.models import Cooperation
from documents.models import DocumentSet
from grants_office.core.errors import Invalid, not_permitted

FIELDS = ("kind", "title", "union_wide", "signed_on", "ends_on", "scope")


def parties_problem(kind: str, municipalities: list, organisations: list, union_wide: bool) -> str | None:
    if kind == Cooperation.Kind.NETWORK:
        if len(organisations) != 1:
            return _("A network membership names one organisation: the network.")
        if not municipalities and not union_wide:
            return _("Name the members that joined the network, or the union itself.")
        return None
    parties = len(municipalities) + len(organisations)
    if parties >= 2 or (parties == 1 and union_wide):
        return None
    return _("An agreement needs at least two parties, or one party and the union itself.")


def _validate(values: dict, municipalities: list, organisations: list) -> None:
    errors: dict[str, list[str]] = {}
    if values["kind"] not in Cooperation.Kind.values:
        errors["kind"] = [_("Choose a kind of cooperation.")]
    if not (values["title"] or "").strip():
        errors["title"] = [_("A title is required.")]
    problem = parties_problem(values["kind"], municipalities, organisations, bool(values["union_wide"]))
    if problem and "kind" not in errors:
        errors["municipalities"] = [problem]
    signed_on: date | None = values["signed_on"]
    ends_on: date | None = values["ends_on"]
    if signed_on and ends_on and ends_on <= signed_on:
        errors["ends_on"] = [_("The end must be after the signing.")]
    if errors:
        raise Invalid(_("Invalid input."), fields=errors)


def _ensure_office(user) -> None:
    if not can.records_cooperations(user):
        raise not_permitted(_("Only the office records agreements and network memberships."))


def record_cooperation(
    user,
    *,
    kind: str,
    title: str,
    municipalities=(),
    organisations=(),
    union_wide: bool = False,
    signed_on: date | None = None,
    ends_on: date | None = None,
    scope: str = "",
) -> Cooperation:
    """The office records an agreement or a network membership, with an empty set for its documents."""
    _ensure_office(user)
    municipalities, organisations = list(municipalities or []), list(organisations or [])
    values = {
        "kind": kind,
        "title": (title or "").strip(),
        "union_wide": bool(union_wide),
        "signed_on": signed_on,
        "ends_on": ends_on,
        "scope": scope or "",
    }
    _validate(values, municipalities, organisations)
    with transaction.atomic():
        document_set = DocumentSet.objects.create(
            purpose=DocumentSet.Purpose.AGREEMENT, title=values["title"][:300], created_by=user
        )
        cooperation = Cooperation.objects.create(document_set=document_set, created_by=user, **values)
        cooperation.municipalities.set(municipalities)
        cooperation.organisations.set(organisations)
    return cooperation


def update_cooperation(
    user, cooperation: Cooperation, *, municipalities=None, organisations=None, **changes
) -> Cooperation:
    """The office corrects a record; the parties are replaced when given."""
    _ensure_office(user)
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise Invalid(
            _("Invalid input."), fields={name: [_("This field cannot change.")] for name in unknown}
        )
    with transaction.atomic():
        locked = Cooperation.objects.select_for_update().get(pk=cooperation.pk)
        values = {name: changes.get(name, getattr(locked, name)) for name in FIELDS}
        values["title"] = (values["title"] or "").strip()
        municipalities = list(locked.municipalities.all()) if municipalities is None else list(municipalities)
        organisations = list(locked.organisations.all()) if organisations is None else list(organisations)
        _validate(values, municipalities, organisations)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save()
        locked.municipalities.set(municipalities)
        locked.organisations.set(organisations)
    return locked
