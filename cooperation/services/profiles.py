"""Editing a party's partner profile: its team lead today or the office."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cooperation import permissions
from cooperation.languages import ISO_639_1
from cooperation.models import PartnerProfile
from grants_office.calls.models import Theme
from grants_office.core import concurrency
from grants_office.core.errors import Invalid, NotFound, not_permitted

TEXT_FIELDS = ("pic", "priorities", "description", "contact_name", "contact_email")
EDITABLE_FIELDS = (*TEXT_FIELDS, "languages", "themes")
MAX_LANGUAGES = 20


def profile_tag(profile: PartnerProfile) -> str:
    """The profile's entity tag: a digest of exactly what its edit changes (its themes included)."""
    codes = sorted(theme.code for theme in profile.themes.all())
    values = [getattr(profile, name) for name in TEXT_FIELDS]
    return concurrency.content_tag(
        "partner", profile.pk, *values, json.dumps(profile.languages), ",".join(codes)
    )


def clean_languages(value) -> tuple[list[str], list[str]]:
    """The codes, in order and once each, and the problems."""
    if not isinstance(value, list | tuple) or not all(isinstance(code, str) for code in value):
        return [], [_('Give a list of language codes, e.g. ["tr", "en"].')]
    codes = list(dict.fromkeys(code.strip() for code in value))
    unknown = [code for code in codes if code not in ISO_639_1]
    if unknown:
        return [], [
            _("Not a lower-case ISO 639-1 language code: %(codes)s (e.g. tr, en, bg).")
            % {"codes": ", ".join(unknown)}
        ]
    if len(codes) > MAX_LANGUAGES:
        return [], [_("At most %(count)d languages.") % {"count": MAX_LANGUAGES}]
    return codes, []


def _themes(value) -> tuple[list[Theme], list[str]]:
    if not isinstance(value, list | tuple):
        return [], [_("Give a list of theme codes.")]
    given = [item for item in value if isinstance(item, Theme)]
    codes = {item for item in value if isinstance(item, str)}
    if len(given) + len(codes) != len(value):
        return [], [_("Give a list of theme codes.")]
    found = list(Theme.objects.filter(code__in=codes)) if codes else []
    unknown = sorted(codes - {theme.code for theme in found})
    if unknown:
        return [], [_("Unknown themes: %(codes)s.") % {"codes": ", ".join(unknown)}]
    return given + found, []


def _clean(profile: PartnerProfile, fields: dict) -> list[Theme] | None:
    """Apply the edit to the (locked) profile in memory; `Invalid` with every problem at once."""
    problems: dict[str, list[str]] = {
        name: [_("This field cannot be edited.")] for name in fields if name not in EDITABLE_FIELDS
    }
    for name in TEXT_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(profile, name, value.strip() if isinstance(value, str) else value)
    if "languages" in fields:
        profile.languages, language_problems = clean_languages(fields["languages"])
        if language_problems:
            problems["languages"] = language_problems
    themes = None
    if "themes" in fields:
        themes, theme_problems = _themes(fields["themes"])
        if theme_problems:
            problems["themes"] = theme_problems
    try:
        profile.clean_fields(exclude=["municipality", "organisation", "search_document", "languages"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            problems.setdefault(name, []).extend(messages)
    if problems:
        raise Invalid(_("The profile was not saved."), fields=problems)
    return themes


def update_profile(
    user, profile: PartnerProfile, *, precondition: concurrency.Precondition | None = None, **fields
) -> PartnerProfile:
    """Edit a party's cooperation profile (PIC, languages, themes, priorities, description, contact).

    The party's team lead today or the office; with a `precondition` (the client's `If-Match`) only
    the version the editor read (else 412). The search document follows (cooperation's receivers)."""
    if not permissions.sees_partner_profiles(user, profile):
        raise NotFound(_("Not found."))
    if not permissions.edits_profile(user, profile):
        raise not_permitted(_("Only the office and the party's team lead edit its profile."))
    with transaction.atomic():
        locked = PartnerProfile.objects.select_for_update().get(pk=profile.pk)
        if precondition is not None:
            precondition.ensure(profile_tag(locked))
        themes = _clean(locked, fields)
        locked.save()
        if themes is not None:
            locked.themes.set(themes)
    return locked
