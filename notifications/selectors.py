"""Read queries: the inbox, preferences, each person's language and time zone, and who is concerned."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from grants_office.members.models import TeamMembership, UserProfile
from grants_office.members.roles import OFFICE_ADMIN, OFFICE_STAFF
from notifications import kinds
from notifications.models import Notification, NotificationPreference

User = get_user_model()

DEFAULT_TIME_ZONE = "Europe/Istanbul"


# --- the inbox ---------------------------------------------------------------------------------------
def inbox(user, *, unread: bool | None = None) -> QuerySet[Notification]:
    """The person's own notifications, newest first; `unread` True/False narrows, None keeps all."""
    rows = Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
    if unread is True:
        rows = rows.filter(read_at__isnull=True)
    elif unread is False:
        rows = rows.filter(read_at__isnull=False)
    return rows


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# --- preferences and personal settings ---------------------------------------------------------------
def preferences_of(user) -> dict[str, str]:
    """Every kind with the person's channel: their choice, else the kind's default."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    return {code: chosen.get(code, kind.default) for code, kind in kinds.KINDS.items()}


def channels_for(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """Each user's channel for one kind (one query)."""
    user_ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "channel"
        )
    )
    default = kinds.default_channel(kind)
    return {pk: chosen.get(pk, default) for pk in user_ids}


@dataclass(frozen=True)
class PersonalSettings:
    language: str
    time_zone: ZoneInfo


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def _settings_from(language: str | None, time_zone: str | None) -> PersonalSettings:
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    return PersonalSettings(language=language, time_zone=_zone(time_zone))


def personal_settings(user) -> PersonalSettings:
    """The person's language and time zone, with the site's defaults when they have no profile."""
    row = UserProfile.objects.filter(user=user).values_list("language", "time_zone").first()
    return _settings_from(*(row or (None, None)))


def personal_settings_for(user_ids: Iterable[int]) -> dict[int, PersonalSettings]:
    """The same for many people in one query."""
    user_ids = list(user_ids)
    rows = {
        pk: (language, zone)
        for pk, language, zone in UserProfile.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "language", "time_zone"
        )
    }
    return {pk: _settings_from(*rows.get(pk, (None, None))) for pk in user_ids}


# --- who is concerned --------------------------------------------------------------------------------
def _active_users() -> QuerySet:
    return User.objects.filter(is_active=True)


def proposal_team(proposal) -> list:
    """Active members of the lead municipality's team and of every partner's team, today."""
    partners = list(proposal.partners.values_list("municipality_id", "organisation_id"))
    municipalities = {proposal.lead_id} | {m for m, _ in partners if m}
    organisations = {o for _, o in partners if o}
    memberships = TeamMembership.objects.active().filter(
        Q(municipality_id__in=municipalities) | Q(organisation_id__in=organisations)
    )
    return list(_active_users().filter(pk__in=memberships.values("user_id")))


def office_staff() -> list:
    """Office coordinators and admins (active)."""
    return list(_active_users().filter(groups__name__in=[OFFICE_STAFF, OFFICE_ADMIN]).distinct())


def proposal_office(proposal) -> list:
    """The office as far as one proposal is concerned: its coordinator, or everyone if it has none."""
    coordinator = proposal.coordinator if proposal.coordinator_id else None
    if coordinator is not None and coordinator.is_active:
        return [coordinator]
    return office_staff()


def users(user_ids: Iterable[int]) -> list:
    return list(_active_users().filter(pk__in=list(user_ids)))


def emailable(notification_id: int) -> Notification | None:
    return Notification.objects.select_related("recipient").filter(pk=notification_id).first()


def digest_recipient_ids() -> list[int]:
    """People with notifications waiting for the daily digest."""
    return list(
        Notification.objects.filter(email_status=Notification.EmailStatus.DIGEST)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
