"""Read queries: the inbox, preferences, each person's language and time zone, and who is concerned."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from grants_office.members.models import TeamMembership, UserProfile
from grants_office.members.roles import OFFICE_ADMIN, OFFICE_STAFF
from notifications import kinds
from notifications.models import Notification, NotificationPreference
from workflows.access import viewers_among_many
from workflows.models import ProposalPartner
from workflows.review.permissions import is_live_reviewer

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
def id_list(ids: list[int]):
    """Ids for an `__in` filter. On PostgreSQL a long list goes as one array parameter: the thousands of
    people of a reminder scan as separate parameters cost more to compose than the query to run."""
    if connection.vendor == "postgresql" and len(ids) > 100:
        return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])
    return ids


def preferences_of(user) -> dict[str, str]:
    """Every kind with the person's channel: their choice, else the kind's default."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    return {code: chosen.get(code, kind.default) for code, kind in kinds.KINDS.items()}


def channels_for(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """Each user's channel for one kind (one query)."""
    user_ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=id_list(user_ids), kind=kind).values_list(
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
        for pk, language, zone in UserProfile.objects.filter(user_id__in=id_list(user_ids)).values_list(
            "user_id", "language", "time_zone"
        )
    }
    made: dict[tuple, PersonalSettings] = {}  # a few pairs of language and zone for thousands of people
    answer = {}
    for pk in user_ids:
        pair = rows.get(pk, (None, None))
        if pair not in made:
            made[pair] = _settings_from(*pair)
        answer[pk] = made[pair]
    return answer


# --- who is concerned --------------------------------------------------------------------------------
def _active_users() -> QuerySet:
    return User.objects.filter(is_active=True)


def proposal_team(proposal) -> list:
    """Active members of the lead municipality's team and of every partner's team, today."""
    return proposal_teams([proposal])[proposal.pk]


def proposal_teams(proposals) -> dict[int, list]:
    """The team of each proposal (its lead's and partners' active members, today) in two queries,
    whatever the number of proposals (the reminders of a scan): {proposal pk: users}."""
    proposals = list(proposals)
    if not proposals:
        return {}
    municipalities = {p.pk: {p.lead_id} for p in proposals}
    organisations = {p.pk: set() for p in proposals}
    for proposal_id, municipality_id, organisation_id in ProposalPartner.objects.filter(
        proposal_id__in=list(municipalities)
    ).values_list("proposal_id", "municipality_id", "organisation_id"):
        if municipality_id:
            municipalities[proposal_id].add(municipality_id)
        if organisation_id:
            organisations[proposal_id].add(organisation_id)
    memberships = (
        TeamMembership.objects.active()
        .filter(user__is_active=True)
        .filter(
            Q(municipality_id__in={m for ms in municipalities.values() for m in ms})
            | Q(organisation_id__in={o for os in organisations.values() for o in os})
        )
        .select_related("user")
        .order_by("user_id")
    )
    of_municipality, of_organisation = {}, {}
    for membership in memberships:
        if membership.municipality_id:
            of_municipality.setdefault(membership.municipality_id, {})[membership.user_id] = membership.user
        else:
            of_organisation.setdefault(membership.organisation_id, {})[membership.user_id] = membership.user
    teams = {}
    for pk in municipalities:
        people = {}
        for m in municipalities[pk]:
            people.update(of_municipality.get(m, {}))
        for o in organisations[pk]:
            people.update(of_organisation.get(o, {}))
        teams[pk] = list(people.values())
    return teams


def municipality_teams(municipality_ids: Iterable[int]) -> dict[int, list]:
    """The active members of each municipality's team today, in one query: {municipality pk: users}."""
    teams: dict[int, dict[int, object]] = {}
    memberships = (
        TeamMembership.objects.active()
        .filter(municipality_id__in=id_list(list(municipality_ids)))
        .select_related("user")
        .order_by("municipality_id", "user_id")
    )
    for membership in memberships:
        teams.setdefault(membership.municipality_id, {})[membership.user_id] = membership.user
    return {pk: list(people.values()) for pk, people in teams.items()}


def who_may_be_told(events, wanted) -> list[list]:
    """For each event, those of its wanted people who may hear of it: nobody hears about a proposal
    they cannot see or that was deleted; inactive people hear nothing. A reviewer hears about their
    own assignment while it is live, before accepting too (they see its conflict-check brief then).
    An event about no proposal with a page of its own (`Event.url`: call watch, partner requests) goes
    to the active people its builder chose.
    Four queries for any number of events."""
    answers: list[list | None] = []
    by_proposal = []  # the events that access to their proposal decides
    for event, users in zip(events, wanted, strict=True):
        if event.proposal is None and event.url:
            answers.append([u for u in users if u.is_active])  # chosen by the builder's own rule
        elif event.proposal is None or event.proposal.deleted_at is not None:
            answers.append([])
        elif event.assignment is not None:
            answers.append([u for u in users if is_live_reviewer(u, event.assignment)])
        else:
            answers.append(None)
            by_proposal.append((event.proposal, users))
    allowed = iter(zip(by_proposal, viewers_among_many(by_proposal), strict=True))
    for index, answer in enumerate(answers):
        if answer is None:
            (_, users), ids = next(allowed)
            answers[index] = [user for user in users if user.pk in ids]
    return answers


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


def email_status(notification_id: int) -> str:
    statuses = Notification.objects.filter(pk=notification_id).values_list("email_status", flat=True)
    return statuses.first() or ""
