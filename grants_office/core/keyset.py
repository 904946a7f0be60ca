"""Reading a list by cursor (keyset pagination): the page after (or before) a row, found through the
index of the list's order from that row on, at the same cost at any depth (issue 18). Page numbers
still work; a page number far in has to count its way there (`api.CountLimitedPaginator`).

A cursor names the last (or first) row of a page by its values of the list's sort keys and its id, and
which list order it belongs to; it is opaque to clients (URL-safe base64 of JSON). Orderings whose keys
all run one way (each proposal ordering, with its tie by id) can be read by cursor; where only the first
key may be empty (empty last, either way), the non-empty rows come first and then the empty ones.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import decimal
import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Expression, F, OrderBy, QuerySet, Value
from django.utils.translation import gettext as _

from grants_office.core.errors import Invalid


class RowCompare(Expression):
    """`(a, b) > (x, y)` (or `<`): one range of a composite index, where ORs of the terms are not."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, left, right, operator):
        super().__init__()
        self.left, self.right, self.operator = list(left), list(right), operator

    def get_source_expressions(self):
        return [*self.left, *self.right]

    def set_source_expressions(self, expressions):
        half = len(expressions) // 2
        self.left, self.right = expressions[:half], expressions[half:]

    def as_sql(self, compiler, connection):
        sides, params = [], []
        for side in (self.left, self.right):
            parts = []
            for expression in side:
                sql, more = compiler.compile(expression)
                parts.append(sql)
                params.extend(more)
            sides.append(f"({', '.join(parts)})")
        return f"{sides[0]} {self.operator} {sides[1]}", params


@dataclass(frozen=True)
class Key:
    expression: Expression
    descending: bool
    nullable: bool


def keys_of(queryset: QuerySet) -> list[Key] | None:
    """The list's sort keys, last the id; None when a cursor cannot follow them (mixed directions, an
    empty value allowed past the first key, no id to break ties)."""
    if not isinstance(queryset, QuerySet):  # a list built in Python (matches, a round's reviews)
        return None
    terms = queryset.query.order_by or queryset.model._meta.ordering
    keys = []
    for term in terms:
        if isinstance(term, str):
            descending = term.startswith("-")
            expression = F(term.removeprefix("-"))
            keys.append(Key(expression, descending, False))
        elif isinstance(term, OrderBy):
            keys.append(Key(term.expression, term.descending, bool(term.nulls_last)))
        else:
            return None
    if not keys or not isinstance(keys[-1].expression, F) or keys[-1].expression.name not in ("id", "pk"):
        return None
    if len({key.descending for key in keys}) != 1 or any(key.nullable for key in keys[1:]):
        return None
    return keys


def _signature(keys: list[Key]) -> str:
    """Which order a cursor belongs to, so one of another order is refused rather than misread."""
    text = repr([(str(key.expression), key.descending) for key in keys])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def annotated(queryset: QuerySet, keys: list[Key]) -> QuerySet:
    return queryset.annotate(**{f"_cursor_{i}": key.expression for i, key in enumerate(keys)})


class _Encoder(json.JSONEncoder):
    """Moments to the microsecond (Django's encoder keeps milliseconds: a cursor must name its row)."""

    def default(self, o):
        if isinstance(o, datetime.date | datetime.time):
            return o.isoformat()
        if isinstance(o, decimal.Decimal):
            return str(o)
        return super().default(o)


def encode(keys: list[Key], row, backwards: bool) -> str:
    values = [getattr(row, f"_cursor_{i}") for i in range(len(keys))]
    body = json.dumps({"o": _signature(keys), "v": values, "b": backwards}, cls=_Encoder)
    return base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")


def decode(keys: list[Key], queryset: QuerySet, text: str) -> tuple[list, bool]:
    """(values, backwards) of a cursor for this order; `Invalid` (a 400 on `cursor`) otherwise."""
    refused = Invalid(fields={"cursor": [_("This cursor is not one of this list in this order.")]})
    try:
        body = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        if body["o"] != _signature(keys) or len(body["v"]) != len(keys):
            raise refused
        expressions = annotated(queryset.none(), keys).query.annotations
        values = [
            None if raw is None else expressions[f"_cursor_{i}"].output_field.to_python(raw)
            for i, raw in enumerate(body["v"])
        ]
        if values[-1] is None or any(v is None for v in values[1:]):
            raise refused
        return values, bool(body["b"])
    except (ValueError, KeyError, TypeError, binascii.Error, ValidationError, AttributeError) as error:
        raise refused from error


def _beyond(queryset: QuerySet, keys: list[Key], values: list, forward: bool) -> QuerySet:
    """The rows past `values` in the reading direction (forward: the list's order)."""
    names = [f"_cursor_{i}" for i in range(len(keys))]
    later = keys[0].descending != forward  # in the reading direction, does "after" mean greater?
    operator = ">" if later else "<"
    fields = [F(name) for name in names]
    wrapped = [
        Value(v, output_field=queryset.query.annotations[name].output_field)
        for v, name in zip(values, names, strict=True)
    ]
    if values[0] is None:  # among the empty ones, which come last either way: the rest by id
        return queryset.filter(**{f"{names[0]}__isnull": True}).filter(
            RowCompare(fields[1:], wrapped[1:], operator)
        )
    # The first key's bound on its own as well: a key of another table (the lead's name) gets an index
    # range from it, which the planner does not derive from the row comparison.
    bound = {f"{names[0]}__{'gte' if later else 'lte'}": values[0]}
    return queryset.filter(**bound).filter(RowCompare(fields, wrapped, operator))


def page(
    queryset: QuerySet, keys: list[Key], size: int, cursor: str | None
) -> tuple[list, str | None, str | None]:
    """(rows, cursor of the next page or None, cursor of the previous page or None)."""
    rows = annotated(queryset, keys)
    reverse = rows.reverse()
    first_key = "_cursor_0"
    if not cursor:
        found, has_before = list(rows[: size + 1]), False
        has_after = len(found) > size
        found = found[:size]
    else:
        values, backwards = decode(keys, queryset, cursor)
        if not backwards:
            found = list(_beyond(rows, keys, values, True)[: size + 1])
            if keys[0].nullable and values[0] is not None and len(found) <= size:
                found += list(rows.filter(**{f"{first_key}__isnull": True})[: size + 1 - len(found)])
            has_after, has_before = len(found) > size, True
            found = found[:size]
        else:
            found = list(_beyond(reverse, keys, values, False)[: size + 1])
            if keys[0].nullable and values[0] is None and len(found) <= size:
                found += list(reverse.filter(**{f"{first_key}__isnull": False})[: size + 1 - len(found)])
            has_before, has_after = len(found) > size, True
            found = found[:size][::-1]
    following = encode(keys, found[-1], False) if found and has_after else None
    preceding = encode(keys, found[0], True) if found and has_before else None
    return found, following, preceding
