"""The ways the results are grouped: the key each proposal is counted under and how a group is named.

Every proposal falls in exactly one group (a proposal without a call, a programme or a coordinator falls
in the group "none"), so the groups add up to the total. `key(prefix)` is the key as a query expression
from the proposal (`prefix` "" ) or from a row that reaches it (`prefix` "proposal__").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from grants_office.core.people import name_of
from grants_office.members.provinces import turkish_key
from reports.filters import OFFICE_ZONE, GroupBy, YearOf


@dataclass(frozen=True)
class Grouping:
    key: Callable[[str], object]
    label_fields: tuple[str, ...]  # read with the key (one grouped query names the groups too)
    label: Callable[[dict], str]
    none_label: str
    numeric: bool = False  # sorted by key (years), else by label the Turkish way


def _year_key(year_of: str) -> Callable[[str], object]:
    if year_of == YearOf.DECISION:
        return lambda prefix: ExtractYear(f"{prefix}decided_on")
    field = "created_at" if year_of == YearOf.START else "submitted_at"
    return lambda prefix: ExtractYear(f"{prefix}{field}", tzinfo=OFFICE_ZONE)


def _call_label(row: dict) -> str:
    return f"{row['call__reference']} – {row['call__title']}"


def grouping(group_by: str, year_of: str = YearOf.SUBMISSION) -> Grouping:
    if group_by == GroupBy.YEAR:
        return Grouping(_year_key(year_of), (), lambda row: str(row["group_key"]), _("No year"), numeric=True)
    return {
        GroupBy.PROGRAMME: Grouping(
            lambda prefix: F(f"{prefix}call__programme_id"),
            ("call__programme__name", "call__programme__short_name"),
            lambda row: row["call__programme__short_name"] or row["call__programme__name"],
            _("No programme"),
        ),
        GroupBy.CALL: Grouping(
            lambda prefix: F(f"{prefix}call_id"),
            ("call__reference", "call__title"),
            _call_label,
            _("No call"),
        ),
        GroupBy.MUNICIPALITY: Grouping(
            lambda prefix: F(f"{prefix}lead_id"),
            ("lead__name", "lead__province"),
            lambda row: f"{row['lead__name']} ({row['lead__province']})",
            _("No municipality"),
        ),
        GroupBy.PROVINCE: Grouping(
            lambda prefix: F(f"{prefix}lead__province"), (), lambda row: row["group_key"], _("No province")
        ),
        GroupBy.COORDINATOR: Grouping(
            lambda prefix: F(f"{prefix}coordinator_id"),
            ("coordinator__first_name", "coordinator__last_name", "coordinator__username"),
            lambda row: name_of(
                row["coordinator__first_name"], row["coordinator__last_name"], row["coordinator__username"]
            ),
            _("No coordinator"),
        ),
    }[group_by]


def sort_key(spec: Grouping):
    """Groups in order, the group "none" last."""

    def key(row) -> tuple:
        if row.key is None:
            return (1, ())
        return (0, row.key) if spec.numeric else (0, turkish_key(row.label))

    return key
