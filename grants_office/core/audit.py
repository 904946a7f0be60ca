"""The audit trail (django-auditlog): who changed which field when, and who read whose personal data.

Which models are tracked is declared in one place, `privacy/tracked.py`. This module is what every app
below it needs: the request's person on each entry (pages through `core.middleware.AuditMiddleware`,
API tokens as soon as they are authenticated), entries a service writes for changes that bypass model
signals (a bulk replace), reads of personal data, and the changes of an entry as a person reads them.
"""

from __future__ import annotations

from contextlib import contextmanager, suppress
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from grants_office.core.people import display_name

# What the changes of an entry hold for "no value" (auditlog writes values as text).
EMPTY = ("None", "")


def attribute_to(user) -> None:
    """Entries written from now on in this request are `user`'s: called once an API token is authenticated,
    which happens in the view, after the middleware has read the (anonymous) session."""
    with suppress(LookupError):
        context = auditlog_value.get()
        context["actor"] = user


@contextmanager
def acting(user):
    """Entries written in the block are `user`'s: a service that knows who acts says so, for the paths
    without a request (a command, a task, the demo's load). The request's context (its address) comes
    back afterwards; auditlog's own leaves its inner context behind."""
    previous = auditlog_value.get(None)
    address = (previous or {}).get("remote_addr")
    try:
        with set_actor(user if getattr(user, "is_authenticated", False) else None, remote_addr=address):
            yield
    finally:
        if previous is not None:
            auditlog_value.set(previous)


# The step whose writes are being logged ("transition": "award"), so a reader can show a transition's
# field changes with the transition rather than as an edit of their own.
_step: ContextVar[dict | None] = ContextVar("audit_step", default=None)


@contextmanager
def part_of(**step):
    """Entries written inside the block carry `step` in their additional data."""
    token = _step.set(step)
    try:
        yield
    finally:
        _step.reset(token)


def mark_step(sender, instance, **kwargs) -> None:
    """pre_save of LogEntry (connected in CoreConfig.ready): the step in progress, if any."""
    step = _step.get()
    if step:
        instance.additional_data = {**(instance.additional_data or {}), **step}


def record_change(instance, changes: dict[str, tuple[str, str]], actor=None) -> LogEntry | None:
    """An entry for changes that no model signal sees (a list replaced in bulk): `{field: (old, new)}`,
    values as text; nothing when nothing changed."""
    changed = {name: [old, new] for name, (old, new) in changes.items() if old != new}
    if not changed:
        return None
    return LogEntry.objects.log_create(instance, action=LogEntry.Action.UPDATE, changes=changed, actor=actor)


def record_access(user, subject, what: str, **details) -> LogEntry:
    """A read of personal data: whose (`subject`, a row, or a model for a list of them), what (`what`, a
    short code such as `export`), and what tells the read apart (the file, the list's filters)."""
    is_row = not isinstance(subject, type)
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_pk=str(subject.pk) if is_row else "",
        object_id=subject.pk if is_row and isinstance(subject.pk, int) else None,
        object_repr=str(subject) if is_row else str(subject._meta.verbose_name_plural),
        action=LogEntry.Action.ACCESS,
        actor=user if getattr(user, "is_authenticated", False) else None,
        additional_data={"read": what, **details},
    )


def record_export(request, subject, filename: str) -> LogEntry:
    """A file of a list (or of one row's parts) taken away: who, which file, with which filters."""
    return record_access(request.user, subject, "export", file=filename, query=request.GET.urlencode())


def model_of(entry: LogEntry):
    """The entry's model, from the content types' cache (no query per entry)."""
    return ContentType.objects.get_for_id(entry.content_type_id).model_class()


def _field(model, name: str):
    try:
        return model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None


def _pairs(entry: LogEntry):
    """(field name, old, new) of an entry; a many-to-many change is a list of objects added or removed."""
    for name, values in (entry.changes or {}).items():
        if isinstance(values, dict):
            objects = ", ".join(values.get("objects", []))
            yield (name, "", objects) if values.get("operation") == "add" else (name, objects, "")
        else:
            yield name, values[0], values[1]


def _related(entries: list[LogEntry]) -> dict:
    """The rows that the entries' foreign keys name, read once per related model: auditlog keeps the key,
    not the name, so a renamed (or anonymised) person shows as they are now."""
    wanted: dict = {}
    for entry in entries:
        model = model_of(entry)
        for name, old, new in _pairs(entry):
            field = _field(model, name)
            if field is not None and field.many_to_one:
                keys = wanted.setdefault(field.related_model, set())
                keys.update(value for value in (old, new) if value not in EMPTY)
    return {
        model: {str(row.pk): row for row in model._base_manager.filter(pk__in=keys)}
        for model, keys in wanted.items()
    }


def _label(field, name: str) -> str:
    if field is None:
        return name.replace("_", " ")
    if not field.concrete:  # a list of related rows logged as one change (a proposal's partners)
        return str(field.related_model._meta.verbose_name_plural)
    return str(field.verbose_name)


def _shown(field, value, related: dict) -> str:
    if value in EMPTY or value is None:
        return "—"
    if field is None or not field.concrete:
        return str(value)
    if field.many_to_one:
        row = related.get(field.related_model, {}).get(str(value))
        if row is None:
            return _("deleted (%(key)s)") % {"key": value}
        return display_name(row) if isinstance(row, AbstractBaseUser) else str(row)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.get_internal_type() == "BooleanField":
        return _("yes") if value == "True" else _("no")
    return _localized(field, str(value))


def _localized(field, value: str) -> str:
    """Numbers and moments as the reader's language writes them (Turkish grouping and decimal comma,
    the reader's time zone); a value that does not parse is shown as it was written."""
    kind = field.get_internal_type()
    try:
        if kind == "DecimalField":
            return formats.number_format(Decimal(value), field.decimal_places, force_grouping=True)
        if kind == "DateField":
            return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        if kind == "DateTimeField":
            moment = timezone.localtime(datetime.fromisoformat(value))
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    except (ValueError, ArithmeticError):
        return value
    return value


def described(entries: list[LogEntry]) -> dict[int, list[dict]]:
    """Each entry's changes as rows a person reads: the field's name in their language, the old and the
    new value (a related row by its name, choices by their label, yes and no, a dash for nothing); one
    query per related model for all the entries."""
    related = _related(entries)
    rows = {}
    for entry in entries:
        model = model_of(entry)
        rows[entry.pk] = []
        for name, old, new in _pairs(entry):
            field = _field(model, name)
            label = _label(field, name)
            rows[entry.pk].append(
                {
                    "field": name,
                    "label": label,
                    "old": _shown(field, old, related),
                    "new": _shown(field, new, related),
                }
            )
    return rows
