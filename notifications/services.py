"""Every write of the notifications app but the e-mails (`notifications.delivery`): notify, read,
preferences, reminders, calendar feeds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import partial
from typing import NamedTuple

import psycopg
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from grants_office.core.errors import Invalid, NotFound
from grants_office.core.people import signed_in
from notifications import delivery, kinds, permissions, reminders, selectors
from notifications.events import Event
from notifications.kinds import Channel
from notifications.models import (
    CalendarEntry,
    CalendarFeed,
    Notification,
    NotificationPreference,
    new_feed_token,
)
from notifications.selectors import PersonalSettings
from notifications.texts import render

Status = Notification.EmailStatus


# --- events -> rows ----------------------------------------------------------------------------------
def notify(event: Event | None) -> int:
    """Write one notification per concerned person, in their language; e-mail after commit.

    The actor is never told of their own action; inactive people and people who cannot see the
    proposal are left out; a kind set to "off" writes nothing. Returns the number of rows meant.
    """
    return notify_many([event])


# Events written together by `notify_many`: its queries are per batch, not per event.
NOTIFY_BATCH = 500


def notify_many(events: Iterable[Event | None]) -> int:
    """`notify` for many events (the reminders of a scan) in a fixed number of queries per batch of
    NOTIFY_BATCH events: who may see which proposal, channels, languages and the insert, each at once."""
    events = [event for event in events if event is not None]
    return sum(
        _notify_batch(events[start : start + NOTIFY_BATCH]) for start in range(0, len(events), NOTIFY_BATCH)
    )


class NotificationRow(NamedTuple):
    """One notification to write; its fields are the columns of the insert, in this order."""

    recipient_id: int
    kind: str
    content_type_id: int
    object_id: int
    occasion: str
    actor_id: int | None
    title: str
    body: str
    link: str
    language: str
    via_digest: bool
    email_status: str
    email_next_attempt_at: datetime | None

    @property
    def occasion_key(self) -> tuple:
        """What the unique constraint compares: the same person told of the same object on one occasion."""
        return (self.recipient_id, self.kind, self.content_type_id, self.object_id, self.occasion)


# The PostgreSQL type of each column of NotificationRow, for the arrays the insert sends.
COLUMN_TYPES = {
    "recipient_id": "bigint",
    "kind": "text",
    "content_type_id": "int",
    "object_id": "bigint",
    "occasion": "text",
    "actor_id": "bigint",
    "title": "text",
    "body": "text",
    "link": "text",
    "language": "text",
    "via_digest": "bool",
    "email_status": "text",
    "email_next_attempt_at": "timestamptz",
}


def _notify_batch(events: list[Event]) -> int:
    """One batch: who is told, how each hears of it, a row per person, and their e-mails after commit."""
    told = _who_is_told(events)
    if not told:
        return 0
    channels, personal = _how_each_hears(told)
    now = timezone.now()
    rows = [
        row for event, people in told for row in _rows_for(event, people, channels[event.kind], personal, now)
    ]
    if not rows:
        return 0
    with transaction.atomic():
        # The unique key makes a repeated occasion (a second scan, a retried task) write nothing.
        _insert_ignoring_repeats(rows, now)
        _email_after_commit([row for row in rows if row.email_status == Status.PENDING])
    return len(rows)


def _concerned(event: Event) -> list:
    """The event's recipients, each once, without the actor: nobody is told of their own action."""
    actor_id = getattr(event.actor, "pk", None)
    people = {}
    for user in event.recipients:
        if user is not None and user.pk != actor_id:
            people.setdefault(user.pk, user)
    return list(people.values())


def _who_is_told(events: list[Event]) -> list[tuple[Event, list]]:
    """Each event with those concerned who may hear of it; events nobody may hear of are left out."""
    allowed = selectors.who_may_be_told(events, [_concerned(event) for event in events])
    return [(event, people) for event, people in zip(events, allowed, strict=True) if people]


def _how_each_hears(told) -> tuple[dict[str, dict[int, str]], dict[int, PersonalSettings]]:
    """Each person's channel per kind (one query per kind) and language and time zone (one query)."""
    user_ids_of_kind: dict[str, set[int]] = {}
    for event, people in told:
        user_ids_of_kind.setdefault(event.kind, set()).update(user.pk for user in people)
    channels = {kind: selectors.channels_for(ids, kind) for kind, ids in user_ids_of_kind.items()}
    personal = selectors.personal_settings_for({pk for ids in user_ids_of_kind.values() for pk in ids})
    return channels, personal


def _rows_for(event: Event, people, channels: dict[int, str], personal, now) -> list[NotificationRow]:
    """One row per person who has not switched the event's kind off."""
    content_type_id = ContentType.objects.get_for_model(event.target).pk
    actor_id = getattr(event.actor, "pk", None)
    link = event.link
    texts = {}  # the same text for everyone with the same language and time zone
    rows = []
    for user in people:
        channel = channels[user.pk]
        if channel == Channel.OFF:
            continue
        mine = personal[user.pk]
        title, body = _text_for(event, mine, texts)
        status = _email_status(channel, user)
        rows.append(
            NotificationRow(
                recipient_id=user.pk,
                kind=event.kind,
                content_type_id=content_type_id,
                object_id=event.target.pk,
                occasion=event.occasion,
                actor_id=actor_id,
                title=title,
                body=body,
                link=link,
                language=mine.language,
                via_digest=channel == Channel.DIGEST,
                email_status=str(status),
                email_next_attempt_at=now if status == Status.PENDING else None,
            )
        )
    return rows


def _text_for(event: Event, personal: PersonalSettings, texts: dict) -> tuple[str, str]:
    """The title and body in the person's language and time zone, rendered once per such pair."""
    key = (personal.language, personal.time_zone.key)
    if key not in texts:
        with translation.override(personal.language):
            texts[key] = render(event.kind, event.context, personal.time_zone)
    return texts[key]


def _email_status(channel: str, user) -> Status:
    """An e-mail at once, one in the digest, or none (in the app only, or no address to write to)."""
    if channel == Channel.EMAIL and user.email:
        return Status.PENDING
    if channel == Channel.DIGEST and user.email:
        return Status.DIGEST
    return Status.NONE


def _insert_ignoring_repeats(rows: list[NotificationRow], now) -> None:
    """Insert new notification rows; a row whose occasion key exists already is skipped.

    On PostgreSQL the rows are copied into a temporary table and inserted from there with one INSERT ...
    SELECT ... ON CONFLICT DO NOTHING: no model instances and no statement composed per row
    (bulk_create spent most of a national-scale scan composing its statement, issue 8). Elsewhere
    bulk_create(ignore_conflicts=True), which means the same.
    """
    if connection.vendor != "postgresql":
        Notification.objects.bulk_create(
            [Notification(**row._asdict(), created_at=now) for row in rows],
            ignore_conflicts=True,
            batch_size=1000,
        )
        return
    table = connection.ops.quote_name(Notification._meta.db_table)
    fields = NotificationRow._fields
    staging = "notification_rows_in"
    columns = ", ".join(f"{field} {COLUMN_TYPES[field]}" for field in fields)
    connection.ensure_connection()
    # COPY into a temporary table, then one INSERT ... SELECT: psycopg writes COPY rows in C, where
    # binding a hundred thousand values as arrays (or quoting them into the text, as Django's
    # client-side cursors do) spent a third of a national backlog's scan in Python (issue 18).
    with transaction.atomic(), psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} ({columns}) ON COMMIT DROP")
        with cursor.copy(f"COPY {staging} ({', '.join(fields)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(fields)}, created_at, email_attempts, email_error) "
            f"SELECT {', '.join(fields)}, %s, 0, '' FROM {staging} ON CONFLICT DO NOTHING",
            [now],
        )
        cursor.execute(f"DROP TABLE {staging}")


def _email_after_commit(pending: list[NotificationRow]) -> None:
    """Queue, once the transaction commits, the e-mail of each row of ours still waiting for it (one
    query: a repeated occasion wrote no row and left the one it found as it was)."""
    if not pending:
        return
    keys = {row.occasion_key for row in pending}
    candidates = Notification.objects.filter(
        email_status=Status.PENDING,
        kind__in={row.kind for row in pending},
        object_id__in={row.object_id for row in pending},
        occasion__in={row.occasion for row in pending},
        recipient_id__in={row.recipient_id for row in pending},
    ).values_list("pk", "recipient_id", "kind", "content_type_id", "object_id", "occasion")
    for pk, *key in candidates:
        if tuple(key) in keys:
            transaction.on_commit(partial(delivery.enqueue_email, pk))


# --- the inbox ---------------------------------------------------------------------------------------
def mark_read(user, notification_id: int) -> Notification:
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or not permissions.owns(user, notification):
        raise NotFound(_("Not found."))
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


# --- preferences -------------------------------------------------------------------------------------
def _clean_preferences(data) -> dict[str, str]:
    if not isinstance(data, dict):
        raise Invalid(
            _("Invalid input."),
            fields={"non_field_errors": [_("Send an object mapping each kind to a delivery choice.")]},
        )
    errors, cleaned = {}, {}
    choices = ", ".join(Channel.values)
    for kind, channel in data.items():
        if kind not in kinds.KINDS:
            errors[str(kind)] = [_("Unknown kind of notification.")]
        elif not isinstance(channel, str) or channel not in Channel.values:
            errors[kind] = [_("Choose one of: %(choices)s.") % {"choices": choices}]
        else:
            cleaned[kind] = channel
    if errors:
        raise Invalid(_("Invalid input."), fields=errors)
    return cleaned


def set_preferences(user, data, *, replace: bool = False) -> dict[str, str]:
    """Set the person's channel per kind. With `replace`, kinds not named go back to their default."""
    cleaned = _clean_preferences(data)
    with transaction.atomic():
        if replace:
            NotificationPreference.objects.filter(user=user).exclude(kind__in=cleaned).delete()
        for kind, channel in cleaned.items():
            if channel == kinds.default_channel(kind):
                NotificationPreference.objects.filter(user=user, kind=kind).delete()
            else:
                NotificationPreference.objects.update_or_create(
                    user=user, kind=kind, defaults={"channel": channel}
                )
    return selectors.preferences_of(user)


# --- reminders ---------------------------------------------------------------------------------------
def scan_reminders(now: datetime | None = None) -> int:
    """Create the reminders that are due (each once) and return how many rows were meant."""
    now = now or timezone.now()
    return notify_many(event for source in reminders.SOURCES for event in source(now))


# --- calendar feeds ----------------------------------------------------------------------------------
def calendar_feed_of(user) -> CalendarFeed:
    """The person's private calendar feed, made the first time it is needed (the account page)."""
    if not signed_in(user):
        raise NotFound(_("Not found."))
    # two first visits at once: get_or_create returns the row the other one wrote
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def renew_calendar_feed(user) -> CalendarFeed:
    """A new secret address for the person's feed: the old one answers 404 from this commit on."""
    if not signed_in(user):
        raise NotFound(_("Not found."))
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        if not created:
            feed.token = new_feed_token()
            feed.renewed_at = timezone.now()
            feed.save(update_fields=["token", "renewed_at"])
    return feed


def calendar_revisions(fingerprints: dict[str, str]) -> dict[str, CalendarEntry]:
    """Each event's revision (`uid` -> its entry) for the fingerprints a feed is about to publish: a new
    event starts at SEQUENCE 0, a changed one counts up and is stamped now. One query when nothing
    changed (the usual answer); then one insert for the new events and one update per changed one,
    made only if nobody counted that change first, so the number never goes back."""
    known = {entry.uid: entry for entry in CalendarEntry.objects.filter(uid__in=list(fingerprints))}
    now = timezone.now()
    new = [
        CalendarEntry(uid=uid, fingerprint=fingerprint, changed_at=now)
        for uid, fingerprint in fingerprints.items()
        if uid not in known
    ]
    changed = [entry for entry in known.values() if entry.fingerprint != fingerprints[entry.uid]]
    if not (new or changed):
        return known
    with transaction.atomic():
        CalendarEntry.objects.bulk_create(new, ignore_conflicts=True)
        for entry in changed:
            CalendarEntry.objects.filter(pk=entry.pk, fingerprint=entry.fingerprint).update(
                fingerprint=fingerprints[entry.uid], sequence=F("sequence") + 1, changed_at=now
            )
            entry.fingerprint, entry.sequence, entry.changed_at = (
                fingerprints[entry.uid],
                entry.sequence + 1,
                now,
            )
    return {**known, **{entry.uid: entry for entry in new}}
