"""Every write of the notifications app: notify, read, preferences, e-mail delivery, reminders, digest."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from grants_office.celery import publish
from grants_office.core.errors import Invalid, NotFound
from notifications import emails, kinds, permissions, reminders, selectors
from notifications.events import Event
from notifications.kinds import Channel
from notifications.models import Notification, NotificationPreference

logger = logging.getLogger(__name__)

Status = Notification.EmailStatus
# What a broken or refusing mail server raises: worth retrying.
SMTP_ERRORS = (smtplib.SMTPException, OSError)


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


def _notify_batch(events: list[Event]) -> int:
    wanted = []
    for event in events:
        actor_id = getattr(event.actor, "pk", None)
        candidates = {}
        for user in event.recipients:
            if user is not None and user.pk != actor_id:
                candidates.setdefault(user.pk, user)
        wanted.append(list(candidates.values()))
    allowed = permissions.who_may_be_told(events, wanted)
    told = [(event, people) for event, people in zip(events, allowed, strict=True) if people]
    if not told:
        return 0
    user_ids_of_kind: dict[str, set[int]] = {}
    for event, people in told:
        user_ids_of_kind.setdefault(event.kind, set()).update(user.pk for user in people)
    channels = {kind: selectors.channels_for(ids, kind) for kind, ids in user_ids_of_kind.items()}
    personal = selectors.personal_settings_for({pk for ids in user_ids_of_kind.values() for pk in ids})
    now = timezone.now()
    rows = []  # in the order of ROW_FIELDS
    for event, people in told:
        content_type_id = ContentType.objects.get_for_model(event.target).pk
        actor_id = getattr(event.actor, "pk", None)
        link = event.link
        rendered = {}  # the same text for everyone with the same language and time zone
        for user in people:
            channel = channels[event.kind][user.pk]
            if channel == Channel.OFF:
                continue
            mine = personal[user.pk]
            key = (mine.language, mine.time_zone.key)
            if key not in rendered:
                with translation.override(mine.language):
                    rendered[key] = kinds.render(event.kind, event.context, mine.time_zone)
            title, body = rendered[key]
            if channel == Channel.EMAIL and user.email:
                status = Status.PENDING
            elif channel == Channel.DIGEST and user.email:
                status = Status.DIGEST
            else:
                status = Status.NONE
            rows.append(
                (
                    user.pk,
                    event.kind,
                    content_type_id,
                    event.target.pk,
                    event.occasion,
                    actor_id,
                    title,
                    body,
                    link,
                    mine.language,
                    channel == Channel.DIGEST,
                    str(status),
                    now if status == Status.PENDING else None,
                )
            )
    if not rows:
        return 0
    with transaction.atomic():
        # The unique key makes a repeated occasion (a second scan, a retried task) write nothing.
        _insert_ignoring_repeats(rows, now)
        pending = [row for row in rows if row[11] == Status.PENDING]
        if pending:
            keys = {row[:5] for row in pending}
            # Rows of ours still waiting for their e-mail (a repeated occasion left them as they were).
            candidates = Notification.objects.filter(
                email_status=Status.PENDING,
                kind__in={row[1] for row in pending},
                object_id__in={row[3] for row in pending},
                occasion__in={row[4] for row in pending},
                recipient_id__in={row[0] for row in pending},
            ).values_list("pk", "recipient_id", "kind", "content_type_id", "object_id", "occasion")
            for pk, *key in candidates:
                if tuple(key) in keys:
                    transaction.on_commit(partial(enqueue_email, pk))
    return len(rows)


ROW_FIELDS = [
    "recipient_id",
    "kind",
    "content_type_id",
    "object_id",
    "occasion",
    "actor_id",
    "title",
    "body",
    "link",
    "language",
    "via_digest",
    "email_status",
    "email_next_attempt_at",
]
_ROW_TYPES = (
    ["bigint", "text", "int", "bigint", "text", "bigint"] + ["text"] * 4 + ["bool", "text", "timestamptz"]
)


def _insert_ignoring_repeats(rows: list[tuple], now) -> None:
    """Insert new notification rows; a row whose occasion key exists already is skipped.

    On PostgreSQL one INSERT ... SELECT FROM unnest(one array per column) ON CONFLICT DO NOTHING: a
    scan's hundred thousand reminders cost 13 parameters, not 13 per row, and no model instances
    (bulk_create spent most of a national-scale scan composing its statement, issue 8). Elsewhere
    bulk_create(ignore_conflicts=True), which means the same.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        Notification.objects.bulk_create(
            [Notification(**dict(zip(ROW_FIELDS, row, strict=True)), created_at=now) for row in rows],
            ignore_conflicts=True,
            batch_size=1000,
        )
        return
    table = connection.ops.quote_name(Notification._meta.db_table)
    names = [f"c{i}" for i in range(len(ROW_FIELDS))]
    arrays = ", ".join(f"%s::{kind}[]" for kind in _ROW_TYPES)
    sql = (
        f"INSERT INTO {table} ({', '.join(ROW_FIELDS)}, created_at, email_attempts, email_error) "
        f"SELECT {', '.join(names)}, %s, 0, '' FROM unnest({arrays}) AS v({', '.join(names)}) "
        "ON CONFLICT DO NOTHING"
    )
    columns = [list(column) for column in zip(*rows, strict=True)]
    connection.ensure_connection()
    # psycopg's own cursor binds on the server, sending each array in one piece (Django's client-side
    # cursor would quote a hundred thousand values into the statement text first).
    with connection.connection.cursor() as cursor:
        cursor.execute(sql, [now, *columns])


def enqueue_email(notification_id: int) -> None:
    """Hand one e-mail to the workers. A broker outage leaves the row pending for the sweep."""
    from notifications.tasks import send_notification_email

    publish(send_notification_email, notification_id)


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


# --- e-mail ------------------------------------------------------------------------------------------
# A mail whose task gave up is tried again by the sweep after this long.
PARKED_FOR = timedelta(hours=1)


def _lease() -> timedelta:
    return timedelta(seconds=settings.NOTIFICATIONS_EMAIL_LEASE)


def retry_countdown(retries_done: int) -> int | None:
    """Seconds to wait before the next try (exponential backoff), None when it is time to give up."""
    if retries_done >= settings.NOTIFICATIONS_EMAIL_MAX_RETRIES:
        return None
    # Capped well below Redis' visibility timeout (1 h), past which a waiting retry is handed out again.
    return min(settings.NOTIFICATIONS_EMAIL_RETRY_BASE * 2**retries_done, 1800)


def deliver_email(notification_id: int) -> str:
    """Send one notification's e-mail at most once per claim.

    A conditional UPDATE claims the row (pending, or left "sending" by a worker that died longer than
    the lease ago); only the claimer sends and then marks it sent. A redelivered task whose row is sent
    already does nothing. SMTP errors propagate so the task can retry.
    """
    now = timezone.now()
    claimable = Q(email_status=Status.PENDING) | Q(
        email_status=Status.SENDING, email_claimed_at__lt=now - _lease()
    )
    claimed = Notification.objects.filter(claimable, pk=notification_id, via_digest=False).update(
        email_status=Status.SENDING, email_claimed_at=now, email_attempts=F("email_attempts") + 1
    )
    if not claimed:
        return "skipped"
    notification = selectors.emailable(notification_id)
    if not notification.recipient.is_active or not notification.recipient.email:
        Notification.objects.filter(pk=notification_id, email_status=Status.SENDING).update(
            email_status=Status.NONE
        )
        return "skipped"
    personal = selectors.personal_settings(notification.recipient)
    sent = Notification.objects.filter(pk=notification_id, email_status=Status.SENDING, email_claimed_at=now)
    _send_then_mark(emails.notification_message(notification, personal), sent)
    return "sent"


def _send_then_mark(message, claimed) -> None:
    """Send on a connection we opened, record "sent", then say QUIT: the one window in which a death
    doubles the mail (the server has accepted it, the mark has not committed) is as short as the
    database write, not the QUIT round trip too. The stable Message-ID lets a server drop a repeat."""
    connection = get_connection()
    connection.open()
    try:
        message.connection = connection
        message.send()
        claimed.update(email_status=Status.SENT, email_sent_at=timezone.now(), email_error="")
    finally:
        try:
            connection.close()
        except SMTP_ERRORS:  # the mail is accepted; a failed QUIT changes nothing
            logger.info("SMTP QUIT failed after a sent mail", exc_info=True)


def is_permanent(error: Exception) -> bool:
    """A 5xx answer (no such mailbox, refused content): trying again would get the same answer."""
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code = min((answer[0] for answer in error.recipients.values()), default=None)
    return isinstance(code, int) and 500 <= code < 600


def email_failed(notification_id: int, error: Exception, retries_done: int) -> int | None:
    """Record an SMTP failure: back to pending with the backoff; once the task's retries are spent, the
    row waits an hour for the sweep (an outage longer than the backoff is not the mail's end) until
    NOTIFICATIONS_EMAIL_GIVE_UP_HOURS after it was written; a permanent (5xx) refusal fails at once.
    None means the task stops retrying. The row always stays in the inbox."""
    permanent = is_permanent(error)
    countdown = None if permanent else retry_countdown(retries_done)
    row = Notification.objects.filter(pk=notification_id, email_status=Status.SENDING)
    message = f"{type(error).__name__}: {error}"[:2000]
    now = timezone.now()
    if countdown is None:
        give_up_before = now - timedelta(hours=settings.NOTIFICATIONS_EMAIL_GIVE_UP_HOURS)
        parked = not permanent and row.filter(created_at__gt=give_up_before).update(
            email_status=Status.PENDING, email_error=message, email_next_attempt_at=now + PARKED_FOR
        )
        if parked:
            logger.info("E-mail of notification %s waits for the sweep: %s", notification_id, message)
        elif row.update(email_status=Status.FAILED, email_error=message):
            logger.warning("E-mail of notification %s failed for good: %s", notification_id, message)
    else:
        row.update(
            email_status=Status.PENDING,
            email_error=message,
            email_next_attempt_at=timezone.now() + timedelta(seconds=countdown),
        )
    return countdown


def requeue_stalled_emails(now: datetime | None = None) -> int:
    """Queue again e-mails whose task was lost (broker outage, a worker killed past the lease).

    Safe next to a live task: the claim in `deliver_email` lets only one of them send.
    """
    now = now or timezone.now()
    grace = timedelta(seconds=settings.NOTIFICATIONS_EMAIL_STALL_GRACE)
    stalled = Notification.objects.filter(
        Q(email_status=Status.PENDING, email_next_attempt_at__lt=now - grace)
        | Q(email_status=Status.SENDING, email_claimed_at__lt=now - _lease() - grace),
        via_digest=False,
    ).values_list("pk", flat=True)
    ids = list(stalled[:1000])
    for pk in ids:
        enqueue_email(pk)
    # Digest rows left "sending" by a dead worker go back to wait for the next digest.
    Notification.objects.filter(
        via_digest=True, email_status=Status.SENDING, email_claimed_at__lt=now - _lease() - grace
    ).update(email_status=Status.DIGEST)
    return len(ids)


# --- reminders ---------------------------------------------------------------------------------------
def scan_reminders(now: datetime | None = None) -> int:
    """Create the reminders that are due (each once) and return how many rows were meant."""
    now = now or timezone.now()
    return notify_many(event for source in reminders.SOURCES for event in source(now))


# --- the daily digest --------------------------------------------------------------------------------
DIGEST_LIMIT = 200


def deliver_digest(user_id: int) -> int:
    """One e-mail with the person's waiting digest notifications, then marked sent (claimed first)."""
    user = get_user_model().objects.filter(pk=user_id).first()
    now = timezone.now()
    claimable = Q(email_status=Status.DIGEST) | Q(
        email_status=Status.SENDING, email_claimed_at__lt=now - _lease()
    )
    waiting = Notification.objects.filter(claimable, recipient_id=user_id, via_digest=True)
    if user is None or not user.is_active or not user.email:
        return 0
    ids = list(waiting.order_by("created_at", "id").values_list("pk", flat=True)[:DIGEST_LIMIT])
    if not ids:
        return 0
    Notification.objects.filter(claimable, pk__in=ids).update(
        email_status=Status.SENDING, email_claimed_at=now, email_attempts=F("email_attempts") + 1
    )
    rows = list(
        Notification.objects.filter(pk__in=ids, email_status=Status.SENDING, email_claimed_at=now).order_by(
            "created_at", "id"
        )
    )
    if not rows:
        return 0
    _send_then_mark(
        emails.digest_message(user, rows, selectors.personal_settings(user)),
        Notification.objects.filter(pk__in=[row.pk for row in rows], email_claimed_at=now),
    )
    return len(rows)


def digest_failed(user_id: int, error: Exception, retries_done: int) -> int | None:
    """The digest rows wait again (next try, or tomorrow's digest when retries are spent)."""
    Notification.objects.filter(recipient_id=user_id, via_digest=True, email_status=Status.SENDING).update(
        email_status=Status.DIGEST, email_error=f"{type(error).__name__}: {error}"[:2000]
    )
    return retry_countdown(retries_done)
