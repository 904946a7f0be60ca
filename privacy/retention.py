"""How long each kind of record is kept, and what happens to it then: the rules of the retention job
(`privacy.services.apply_retention`). Each rule counts what is due before a day and destroys or
anonymises it; the periods are settings (`PRIVACY_RETENTION_MONTHS`, RETENTION_<KIND>_MONTHS).

What stays as long as the union exists is not here: the audit trail's entries (the accountability of
every change; their client addresses go), the proposals and their documents (the union's results), and
erasures and retention runs themselves (the record of what was destroyed).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from documents.models import DownloadLog
from notifications.models import Notification
from privacy import conf
from privacy.models import DataExport
from workflows.models import Comment, CommentRevision, Consultation, Mention
from workflows.states import State

DELETED, ANONYMISED = "deleted", "anonymised"
BATCH = 2000
# What a retired comment says; its thread, author and time stay.
REMOVED = "—"
# Proposals that ended without an award: their discussion has served its purpose.
CLOSED_WITHOUT_AWARD = (State.DROPPED, State.REJECTED, State.INELIGIBLE, State.WITHDRAWN, State.EXPIRED)


def months_before(moment: datetime, months: int) -> datetime:
    """The same wall-clock moment (or day) `months` earlier, later for a negative count; the month's last
    day where the day does not exist."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass(frozen=True)
class Rule:
    kind: str
    label: str
    method: str
    count: Callable[[datetime], int]
    apply: Callable[[datetime], int]

    def cutoff(self, now: datetime) -> datetime:
        return months_before(now, self.months)

    @property
    def months(self) -> int:
        return conf.retention_months(self.kind)


def _delete(querysets: Callable[[datetime], list[QuerySet]]):
    """count and apply for rows deleted in batches (a first run on years of notifications is big)."""

    def count(cutoff) -> int:
        return sum(queryset.count() for queryset in querysets(cutoff))

    def apply(cutoff) -> int:
        done = 0
        for queryset in querysets(cutoff):
            while keys := list(queryset.values_list("pk", flat=True)[:BATCH]):
                done += (
                    queryset.model._base_manager.filter(pk__in=keys)
                    .delete()[1]
                    .get(queryset.model._meta.label, 0)
                )
        return done

    return count, apply


def _sign_ins(cutoff):
    return [
        model.objects.filter(attempt_time__lt=cutoff)
        for model in (AccessLog, AccessAttempt, AccessFailureLog)
    ]


def _addresses(cutoff):
    return LogEntry.objects.filter(timestamp__lt=cutoff, remote_addr__isnull=False)


def _clear_addresses(cutoff) -> int:
    return _addresses(cutoff).update(remote_addr=None, remote_port=None)


def _closed(cutoff) -> Q:
    return Q(proposal__state__in=CLOSED_WITHOUT_AWARD, proposal__updated_at__lt=cutoff)


def _discussions(cutoff):
    comments = Comment.objects.filter(_closed(cutoff)).exclude(body=REMOVED)
    consultations = Consultation.objects.filter(_closed(cutoff)).exclude(notes="", agreed_actions="")
    return comments, consultations


def _count_discussions(cutoff) -> int:
    comments, consultations = _discussions(cutoff)
    return comments.count() + consultations.count()


def _retire_discussions(cutoff) -> int:
    """The texts of the discussion go: comments say "—", their earlier texts and mentions are deleted,
    consultations keep who met when but not the notes (also in the trail's values of their edits)."""
    comments, consultations = _discussions(cutoff)
    comment_keys = list(comments.values_list("pk", flat=True))
    consultation_keys = list(consultations.values_list("pk", flat=True))
    CommentRevision.objects.filter(comment_id__in=comment_keys).delete()
    Mention.objects.filter(comment_id__in=comment_keys).delete()
    Comment.objects.filter(pk__in=comment_keys).update(body=REMOVED)
    Consultation.objects.filter(pk__in=consultation_keys).update(notes="", agreed_actions="")
    kind = ContentType.objects.get_for_model(Consultation)
    for entry in LogEntry.objects.filter(content_type=kind, object_id__in=consultation_keys).iterator():
        changes = {
            name: ([REMOVED for _value in values] if name in ("notes", "agreed_actions") else values)
            for name, values in (entry.changes or {}).items()
        }
        LogEntry.objects.filter(pk=entry.pk).update(changes=changes, changes_text="")
    return len(comment_keys) + len(consultation_keys)


RULES = [
    Rule(
        "notifications",
        _("Notifications"),
        DELETED,
        *_delete(lambda cutoff: [Notification.objects.filter(created_at__lt=cutoff)]),
    ),
    Rule("sign_ins", _("Sign-ins and failed sign-in attempts"), DELETED, *_delete(_sign_ins)),
    Rule(
        "downloads",
        _("Records of file downloads"),
        DELETED,
        *_delete(lambda cutoff: [DownloadLog.objects.filter(at__lt=cutoff)]),
    ),
    Rule(
        "trail_addresses",
        _("Client addresses in the audit trail"),
        ANONYMISED,
        lambda cutoff: _addresses(cutoff).count(),
        _clear_addresses,
    ),
    Rule(
        "data_exports",
        _("Answered requests for a person's data (expired or failed exports)"),
        DELETED,
        *_delete(
            lambda cutoff: [
                DataExport.objects.filter(
                    requested_at__lt=cutoff, state__in=(DataExport.State.EXPIRED, DataExport.State.FAILED)
                )
            ]
        ),
    ),
    Rule(
        "closed_discussions",
        _("Comments and consultation notes of proposals that ended without an award"),
        ANONYMISED,
        _count_discussions,
        _retire_discussions,
    ),
]


def expired_sessions(now: datetime) -> QuerySet:
    """Sessions past their expiry (not a period: they are of no use once expired)."""
    return Session.objects.filter(expire_date__lt=now)
