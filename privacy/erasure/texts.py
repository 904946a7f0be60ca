"""Every text that names the person, rewritten to their pseudonym: comments, notes, declarations, file
names, notifications to others, the audit trail and the transition log. The columns are found, not
listed: each text column of the service's models is searched, so a field added later is not missed.

A needle is what names the person: the full name (when it has a surname), the e-mail address, and the
user name (as a mention "@name", or anywhere when it cannot be an ordinary word: "ayse.kaya"). Records'
names that the code wrote (the trail's record names and the lists of a many-to-many change, which name
a person by their user name) are rewritten for the user name alone too, even "deniz". Matches are whole
words, case-insensitive; an e-mail column that held the address is emptied (nobody to write to).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast

# Apps whose rows the erasure handles itself or that hold no one's name: the account and its sessions,
# tokens and sign-in logs are the account's (`privacy.erasure.account`); content types and permissions
# are the code's.
SKIPPED_APPS = {"contenttypes", "sessions", "knox", "axes", "auth"}
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)
# Columns that point at something (a stored file, a token, a row): never names, and a rewrite would break
# the link.
IDENTIFIERS = {
    "storage_key",
    "storage_name",
    "sha256",
    "token",
    "key",
    "uid",
    "fingerprint",
    "cid",
    "object_pk",
}
# Columns whose text the code wrote from records' names (`str()` of a person is their user name).
NAMED_BY_CODE = {"auditlog.logentry": {"object_repr", "changes"}, "admin.logentry": {"object_repr"}}


@dataclass
class Needles:
    """What names the person and what replaces it."""

    pairs: list[tuple[re.Pattern, str]] = field(default_factory=list)
    search: set[str] = field(default_factory=set)  # fragments for the database's first, rough search
    email: str = ""

    def add(self, text: str, replacement: str, *, prefix: str = "") -> None:
        text = (text or "").strip()
        if len(text) < 3:
            return
        pattern = re.compile(rf"(?<![\w.@-]){re.escape(prefix + text)}(?![\w@-]|\.\w)", re.IGNORECASE)
        self.pairs.append((pattern, prefix + replacement))
        self.search.add(prefix + text)
        escaped = json.dumps(prefix + text)[1:-1]  # how a JSON column on SQLite spells "ü"
        self.search.add(escaped)

    def replace(self, text: str) -> str:
        for pattern, replacement in self.pairs:
            text = pattern.sub(replacement, text)
        return text


def needles_for(first_name, last_name, username, email, pseudonym, new_username, new_email):
    """(in people's texts, in the names the code wrote)."""
    needles = Needles(email=(email or "").strip().lower())
    needles.add(email, new_email)
    if first_name and last_name:
        needles.add(f"{first_name} {last_name}", pseudonym)
    if re.search(r"[^\w]|\d|_", username or ""):
        needles.add(username, new_username)
    needles.add(username, new_username, prefix="@")
    by_code = Needles(pairs=list(needles.pairs), search=set(needles.search), email=needles.email)
    by_code.add(username, new_username)
    return needles, by_code


def _columns(model) -> list[models.Field]:
    return [
        column
        for column in model._meta.concrete_fields
        if isinstance(column, TEXT_FIELDS)
        and not column.primary_key
        and not column.choices
        and column.attname not in IDENTIFIERS
    ]


def _matching(model, columns, needles_of):
    """Rows of `model` where a column may hold a needle (the rough search; `replace` decides)."""
    query, annotations = Q(), {}
    for column in columns:
        name = column.attname
        if isinstance(column, models.JSONField):
            name = f"_text_{column.attname}"
            annotations[name] = Cast(column.attname, TextField())
        for text in needles_of(column).search:
            query |= Q(**{f"{name}__icontains": text})
    manager = model._base_manager
    return manager.annotate(**annotations).filter(query) if query else manager.none()


def _rewrite_json(value, needles: Needles):
    if isinstance(value, str):
        return needles.replace(value)
    if isinstance(value, list):
        return [_rewrite_json(item, needles) for item in value]
    if isinstance(value, dict):
        return {needles.replace(key): _rewrite_json(item, needles) for key, item in value.items()}
    return value


def _rewritten(row, column, needles: Needles):
    value = getattr(row, column.attname)
    if value is None:
        return value
    if isinstance(column, models.JSONField):
        return _rewrite_json(value, needles)
    if isinstance(column, models.EmailField) and value.strip().lower() == needles.email:
        return ""
    new = needles.replace(value)
    return new[: column.max_length] if column.max_length else new


def rewrite(needles: Needles, by_code: Needles) -> dict[str, int]:
    """Rewrite every row that names the person, by update (no signal: the trail must not keep the old
    text as a change); `{"app_label.model": rows}`."""
    counts: dict[str, int] = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in SKIPPED_APPS or meta.proxy or not meta.managed:
            continue
        columns = _columns(model)
        if not columns:
            continue
        named_by_code = NAMED_BY_CODE.get(meta.label_lower, set())

        def needles_of(column, named_by_code=named_by_code):
            return by_code if column.attname in named_by_code else needles

        rows = 0
        for row in _matching(model, columns, needles_of).iterator(chunk_size=500):
            changed = {}
            for column in columns:
                new = _rewritten(row, column, needles_of(column))
                if new != getattr(row, column.attname):
                    changed[column.attname] = new
            if changed:
                model._base_manager.filter(pk=row.pk).update(**changed)
                rows += 1
        if rows:
            counts[meta.label_lower] = rows
    return counts
