"""Reads of the audit trail (newest first), of people and of the exports of their data."""

from __future__ import annotations

from datetime import datetime

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy

from documents.models import DocumentVersion
from grants_office.core import audit
from grants_office.core.errors import NotFound
from grants_office.core.people import display_name
from grants_office.members.models import TeamMembership
from privacy import retention
from privacy.erasure import holds
from privacy.filters import ACTION_CHOICES, ACTIONS, model_key
from privacy.models import DataExport, NoticeAcceptance, PrivacyNotice, RetentionRun

ACTION_NAMES = {number: name for name, number in ACTIONS.items()}
ACTION_LABELS = dict(ACTION_CHOICES)
# What a read entry says was read, as the trail's page names it (the API gives the code).
READ_LABELS = {
    "export": _lazy("a file of a list"),
    "person": _lazy("the person's page"),
    "data_export": _lazy("the person's data, asked for"),
    "data_export_download": _lazy("the person's data, downloaded"),
}


def _read(entry: LogEntry) -> str:
    """What a read entry says was read (`export`, `person`); empty for a change."""
    if entry.action != LogEntry.Action.ACCESS:
        return ""
    return (entry.additional_data or {}).get("read", "")


def trail() -> QuerySet[LogEntry]:
    """Every entry with its author; the order is the cursor's (`?cursor=`), by time and then id."""
    return LogEntry.objects.select_related("actor").order_by("-timestamp", "-id")


def rows(entries: list[LogEntry]) -> list[dict]:
    """The entries as the page and the API show them: who, when, what happened to which record, each
    changed field's old and new value (one query per kind of related row for the whole page)."""
    changes = audit.described(entries)
    shown = []
    for entry in entries:
        model = audit.model_of(entry)
        shown.append(
            {
                "id": entry.pk,
                "at": entry.timestamp,
                "action": ACTION_NAMES.get(entry.action, ""),
                "action_label": ACTION_LABELS.get(ACTION_NAMES.get(entry.action), ""),
                "actor": entry.actor,
                "actor_name": display_name(entry.actor) or None,
                "model": model_key(model) if model else "",
                "model_label": str(model._meta.verbose_name) if model else "",
                "object_id": entry.object_id,
                "object": entry.object_repr,
                "changes": changes[entry.pk],
                "read": _read(entry),
                "read_label": READ_LABELS.get(_read(entry), _read(entry)),
                "address": entry.remote_addr,
            }
        )
    return shown


# --- people and the exports of their data -----------------------------------------------------------


def uploaded_bytes(person) -> int:
    """The size of every file the person uploaded: what their export's files/ will hold."""
    return DocumentVersion.objects.filter(uploaded_by=person).aggregate(total=Sum("size"))["total"] or 0


def exports_for(user) -> QuerySet[DataExport]:
    """The exports a person may see: of their data, and those they asked for (the office's requests)."""
    return (
        DataExport.objects.filter(Q(subject=user) | Q(requested_by=user))
        .select_related("subject", "requested_by")
        .order_by("-requested_at", "-id")
    )


def exports_of(person) -> QuerySet[DataExport]:
    return (
        DataExport.objects.filter(subject=person)
        .select_related("requested_by")
        .order_by("-requested_at", "-id")
    )


_TR_UPPER = str.maketrans({"i": "İ", "ı": "I"})
_TR_LOWER = str.maketrans({"İ": "i", "I": "ı"})


def _spellings(word: str) -> set[str]:
    """The word as typed, in Turkish capitals, small letters and capitalised: SQLite folds the case of
    ASCII letters only, and names are written capitalised ("şahin" finds "Şahin", "ıŞIK" finds "Işık")."""
    lower = word.translate(_TR_LOWER).lower()
    return {
        word,
        lower,
        word.translate(_TR_UPPER).upper(),
        lower[:1].translate(_TR_UPPER).upper() + lower[1:],
    }


def people(query: str = "") -> QuerySet:
    """Every account, for the office's list of people, by name; each word of `query` is found in the
    name, user name or e-mail."""
    found = get_user_model().objects.order_by("last_name", "first_name", "username", "id")
    for word in query.split():
        matches = Q()
        for spelling in _spellings(word):
            for field in ("first_name", "last_name", "username", "email"):
                matches |= Q(**{f"{field}__icontains": spelling})
        found = found.filter(matches)
    return found


def memberships_of(person) -> QuerySet[TeamMembership]:
    return TeamMembership.objects.filter(user=person).select_related("municipality", "organisation")


def person(person_id) -> object:
    people = get_user_model().objects.select_related("erasure")
    found = people.filter(pk=person_id).first() if str(person_id).isdigit() else None
    if found is None:
        raise NotFound(_("No such person."))
    return found


METHOD_LABELS = {
    "deleted": pgettext_lazy("retention", "deleted"),
    "anonymised": pgettext_lazy("retention", "anonymised"),
}


def retention_rules(now=None) -> list[dict]:
    """Each kind of record with its period and how many rows are due now (what a dry run would do)."""
    now = now or timezone.now()
    rows = []
    for rule in retention.RULES:
        cutoff = rule.cutoff(now)
        rows.append(
            {
                "kind": rule.kind,
                "label": rule.label,
                "method": rule.method,
                "method_label": METHOD_LABELS[rule.method],
                "months": rule.months,
                "before": cutoff,
                "due": rule.count(cutoff),
            }
        )
    return rows


def retention_runs():
    return RetentionRun.objects.select_related("by").order_by("-started_at", "-id")


def run_rows(runs) -> list[dict]:
    """A run's results as people read them: each kind's label and what was done."""
    labels = {rule.kind: rule.label for rule in retention.RULES}
    return [
        {
            "run": run,
            "results": [
                {
                    **result,
                    "before": datetime.fromisoformat(result["before"]),
                    "label": labels.get(result["kind"], result["kind"]),
                    "method_label": METHOD_LABELS.get(result["method"], result["method"]),
                }
                for result in run.results
                if result["rows"]
            ],
        }
        for run in runs
    ]


def current_notice():
    return PrivacyNotice.objects.order_by("-version").first()


def pending_notice(user, current=None):
    """The current notice when `user` has not accepted it; None when there is none or they have.
    `current`: the current notice, when the caller read it already."""
    current = current or current_notice()
    if current is None or NoticeAcceptance.objects.filter(user=user, notice=current).exists():
        return None
    return current


def erasure_holds(actor, person) -> list:
    """Why `person` cannot be erased now (empty: they can)."""
    return holds.holds(person, actor)


def notice_versions():
    return (
        PrivacyNotice.objects.select_related("published_by")
        .annotate(accepted=Count("acceptances"))
        .order_by("-version")
    )
