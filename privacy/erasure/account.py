"""The erased person's own rows: the account renamed to the pseudonym and closed, the ways to act as them
(sessions, API tokens, the calendar feed's address) revoked, what only they used deleted, their expert
profile's texts emptied, and the trail of their own records told without the old values."""

from __future__ import annotations

from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from knox.models import AuthToken

from grants_office.core.models import IdempotencyRecord
from grants_office.core.sessions import end_sessions_of
from grants_office.identity.services import forget_second_factor
from grants_office.members.models import ExpertProfile, TeamMembership
from notifications.models import CalendarFeed, Notification, NotificationPreference
from privacy.holdings.account import own_records
from privacy.models import DataExport
from workflows.models import SavedFilter

# What the trail keeps of the person's own records' values: their names are gone.
MASK = "***"
PERSONAL_FIELDS = {"username", "first_name", "last_name", "email", "title", "bio"}


def _delete_files(names: list[str]) -> None:
    storage = storages["default"]
    for name in names:
        storage.delete(name)


def close_account(user, pseudonym: str, username: str, email: str) -> dict[str, int]:
    """Rename and close the account; `{what: rows}` of what was revoked or deleted."""
    old_username = user.get_username()
    counts = {
        "sessions": end_sessions_of(user),
        "api_tokens": AuthToken.objects.filter(user=user).delete()[0],
        "second_factor": forget_second_factor(user),
        "calendar_feed": CalendarFeed.objects.filter(user=user).delete()[0],
        "notifications": Notification.objects.filter(recipient=user).delete()[0],
        "notification_settings": NotificationPreference.objects.filter(user=user).delete()[0],
        "saved_views": SavedFilter.objects.filter(user=user).delete()[0],
        "idempotency_keys": IdempotencyRecord.objects.filter(user=user).delete()[0],
        "sign_ins": sum(
            model.objects.filter(username__iexact=old_username).delete()[0]
            for model in (AccessLog, AccessAttempt, AccessFailureLog)
        ),
    }
    # The ZIPs of their data hold the old name: deleted once the erasure commits.
    ready = DataExport.objects.filter(subject=user).exclude(storage_name="")
    names = list(ready.values_list("storage_name", flat=True))
    counts["export_files"] = ready.update(state=DataExport.State.EXPIRED, storage_name="")
    transaction.on_commit(lambda: _delete_files(names))

    today = timezone.localdate()
    memberships = TeamMembership.objects.filter(user=user)
    # one that has not begun never took effect; the others end today
    counts["memberships_removed"] = memberships.filter(starts_on__gte=today).delete()[0]
    counts["memberships_ended"] = memberships.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today)).update(
        ends_on=today
    )
    counts["expert_profile"] = ExpertProfile.objects.filter(user=user).update(
        title="", bio="", is_active=False
    )

    first, _space, last = pseudonym.partition(" ")
    model = get_user_model()
    model.objects.filter(pk=user.pk).update(
        username=username,
        first_name=first,
        last_name=last,
        email=email,
        password=make_password(None),  # unusable; a changed hash also ends any session left
        is_active=False,
        is_staff=False,
        is_superuser=False,
    )
    user.user_permissions.clear()
    user.refresh_from_db()
    return counts


def _masked(changes):
    if not isinstance(changes, dict):
        return changes
    return {
        name: [MASK for _value in values] if name in PERSONAL_FIELDS and isinstance(values, list) else values
        for name, values in changes.items()
    }


def mask_own_trail(user) -> int:
    """Entries about the person's own records: named as the records are now, the personal values masked
    (their first name alone is no needle the text rewrite could find)."""
    entries = 0
    names: dict[tuple[int, int], str] = {}
    for entry in LogEntry.objects.filter(own_records(user)).iterator(chunk_size=500):
        key = (entry.content_type_id, entry.object_id)
        if key not in names:
            model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
            row = model._base_manager.filter(pk=entry.object_id).first() if model else None
            names[key] = str(row) if row is not None else entry.object_repr
        LogEntry.objects.filter(pk=entry.pk).update(
            object_repr=names[key],
            changes=_masked(entry.changes),
            changes_text="",
            serialized_data=None,
        )
        entries += 1
    return entries
