"""The person's account: who they are, where they work, how they sign in and what they were told."""

from __future__ import annotations

from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from grants_office.members.models import ExpertProfile, TeamMembership, UserProfile
from notifications import kinds
from notifications.models import CalendarFeed, Notification, NotificationPreference
from privacy.filters import ACTIONS
from privacy.holdings.section import Section, row
from privacy.models import NoticeAcceptance
from workflows.models import SavedFilter

ACTION_NAMES = {number: name for name, number in ACTIONS.items()}


def _account(user, _person=None) -> dict:
    profile = getattr(user, "profile", None)
    return row(
        id=user.pk,
        username=user.get_username(),
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
        active=user.is_active,
        office_staff=user.is_staff,
        groups=sorted(group.name for group in user.groups.all()),
        joined=user.date_joined,
        last_sign_in=user.last_login,
        language=getattr(profile, "language", ""),
        time_zone=getattr(profile, "time_zone", ""),
    )


def _membership(membership: TeamMembership, _person=None) -> dict:
    return row(
        municipality=str(membership.municipality) if membership.municipality_id else None,
        organisation=str(membership.organisation) if membership.organisation_id else None,
        role=membership.get_role_display(),
        starts_on=membership.starts_on,
        ends_on=membership.ends_on,
    )


def _expert(profile: ExpertProfile, _person=None) -> dict:
    affiliation = profile.affiliation_municipality or profile.affiliation_organisation
    return row(
        title=profile.title,
        bio=profile.bio,
        affiliation=str(affiliation) if affiliation else None,
        board_member=profile.is_board_member,
        active=profile.is_active,
        themes=[str(theme) for theme in profile.themes.all()],
    )


def _kind_label(code: str) -> str:
    kind = kinds.KINDS.get(code)
    return str(kind.label) if kind else code


def _notification(notification: Notification, _person=None) -> dict:
    """Kind, link and times; not the text, which names the people who acted."""
    return row(
        kind=notification.kind,
        about=_kind_label(notification.kind),
        link=notification.link,
        created=notification.created_at,
        read=notification.read_at,
        emailed=notification.email_sent_at,
        language=notification.language,
    )


def _entry_about(entry: LogEntry, _person=None) -> dict:
    """A change of the person's own records, with the values (their data); not who made it."""
    return row(
        at=entry.timestamp,
        action=ACTION_NAMES.get(entry.action, ""),
        record=ContentType.objects.get_for_id(entry.content_type_id).model,
        read=(entry.additional_data or {}).get("read", ""),
        changes=entry.changes_dict if entry.action != LogEntry.Action.ACCESS else {},
    )


# Records that are someone's person: what the person did to another's is told without whose it was.
PERSONAL = (get_user_model(), UserProfile, TeamMembership, ExpertProfile)


def _entry_by(entry: LogEntry, person) -> dict:
    """What the person did: the record and the fields they changed or what they read, not the values
    (others' data), and not which person's record it was unless their own."""
    model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
    is_access = entry.action == LogEntry.Action.ACCESS
    someone_else = model in PERSONAL and not (model is get_user_model() and entry.object_id == person.pk)
    return row(
        at=entry.timestamp,
        action=ACTION_NAMES.get(entry.action, ""),
        record=model._meta.model_name if model else "",
        record_id=None if someone_else else entry.object_id,
        fields=[] if is_access else sorted(entry.changes_dict),
        read=(entry.additional_data or {}).get("read", "") if is_access else "",
        address=entry.remote_addr,
    )


def own_records(user) -> Q:
    """The trail's entries about the person's own records: the account, its settings, memberships and
    expert profile."""
    owned = {
        get_user_model(): [user.pk],
        UserProfile: UserProfile.objects.filter(user=user).values_list("pk", flat=True),
        TeamMembership: TeamMembership.objects.filter(user=user).values_list("pk", flat=True),
        ExpertProfile: ExpertProfile.objects.filter(user=user).values_list("pk", flat=True),
    }
    about = Q(pk__in=[])
    for model, keys in owned.items():
        about |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=keys)
    return about


def _about(user):
    return LogEntry.objects.filter(own_records(user)).order_by("timestamp", "id")


SECTIONS = [
    Section(
        "account",
        _("Account"),
        lambda user: (
            get_user_model().objects.filter(pk=user.pk).select_related("profile").prefetch_related("groups")
        ),
        _account,
    ),
    Section(
        "memberships",
        _("Team memberships"),
        lambda user: TeamMembership.objects.filter(user=user).select_related("municipality", "organisation"),
        _membership,
    ),
    Section(
        "expert_profile",
        _("Expert profile"),
        lambda user: (
            ExpertProfile.objects.filter(user=user)
            .select_related("affiliation_municipality", "affiliation_organisation")
            .prefetch_related("themes")
        ),
        _expert,
    ),
    Section(
        "sign_ins",
        _("Sign-ins"),
        lambda user: AccessLog.objects.filter(username=user.get_username()).order_by("attempt_time"),
        lambda log, _person: row(
            at=log.attempt_time,
            signed_out=log.logout_time,
            address=log.ip_address,
            browser=log.user_agent,
            path=log.path_info,
        ),
    ),
    Section(
        "failed_sign_ins",
        _("Failed sign-in attempts"),
        lambda user: AccessAttempt.objects.filter(username=user.get_username()).order_by("attempt_time"),
        lambda attempt, _person: row(
            at=attempt.attempt_time,
            address=attempt.ip_address,
            browser=attempt.user_agent,
            failures=attempt.failures_since_start,
        ),
    ),
    Section(
        "api_tokens",
        _("API tokens"),
        lambda user: AuthToken.objects.filter(user=user).order_by("created"),
        lambda token, _person: row(created=token.created, expires=token.expiry),
    ),
    Section(
        "authenticator_apps",
        _("Authenticator apps"),
        lambda user: TOTPDevice.objects.filter(user=user).order_by("pk"),
        lambda device, _person: row(
            name=device.name,
            confirmed=device.confirmed,
            added=device.created_at,
            last_code=device.last_used_at,
        ),
    ),
    Section(
        "recovery_codes",
        _("Recovery codes"),
        lambda user: StaticDevice.objects.filter(user=user).prefetch_related("token_set").order_by("pk"),
        # how many are left, never the codes: the export is a file that travels
        lambda device, _person: row(
            made=device.created_at, last_used=device.last_used_at, left=len(device.token_set.all())
        ),
    ),
    Section(
        "notifications",
        _("Notifications"),
        lambda user: Notification.objects.filter(recipient=user).order_by("created_at", "id"),
        _notification,
    ),
    Section(
        "notification_settings",
        _("Notification settings"),
        lambda user: NotificationPreference.objects.filter(user=user),
        lambda preference, _person: row(
            kind=preference.kind, about=_kind_label(preference.kind), channel=preference.channel
        ),
    ),
    Section(
        "calendar_feed",
        _("Calendar feed"),
        lambda user: CalendarFeed.objects.filter(user=user),
        lambda feed, _person: row(created=feed.created_at, renewed=feed.renewed_at),
    ),
    Section(
        "saved_views",
        _("Saved views of the proposals table"),
        lambda user: SavedFilter.objects.filter(user=user).order_by("created_at", "id"),
        lambda saved, _person: row(name=saved.name, query=saved.query, created=saved.created_at),
    ),
    Section(
        "notice_acceptances",
        _("Privacy notice accepted"),
        lambda user: (
            NoticeAcceptance.objects.filter(user=user).select_related("notice").order_by("accepted_at")
        ),
        lambda acceptance, _person: row(version=acceptance.notice.version, accepted=acceptance.accepted_at),
    ),
    Section("trail_about", _("Changes and reads of the person's records"), _about, _entry_about),
    Section(
        "trail_by",
        _("What the person changed and read"),
        lambda user: LogEntry.objects.filter(actor=user).order_by("timestamp", "id"),
        _entry_by,
    ),
]
