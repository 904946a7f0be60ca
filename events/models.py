"""Capacity building: events (camps, trainings, info days, programme meetings, study visits, online
sessions) with their sessions, the registrations of members' staff, attendance per session and the
participation certificates anyone can verify from their code.

Events sit below workflows: a consultation on a proposal may name the programme meeting it was held at
(`workflows.Consultation.event`); the member pages, notifications and reports read events.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from documents.models import DocumentSet
from events import conditions
from events import permissions as can
from events.states import EventState, RegistrationState
from grants_office.calls.models import FundingProgramme, Theme, validate_time_zone
from grants_office.core.machine import logged_transition
from grants_office.members.models import ExpertProfile, Municipality

# The event's many-to-many fields: set after the row is saved, left out of its full_clean.
RELATIONS = ("programmes", "themes", "audience_municipalities", "trainers", "materials")


class Event(models.Model):
    class Kind(models.TextChoices):
        PROJECT_CAMP = "project_camp", _("Project-preparation camp")
        TRAINING = "training", _("Training")
        INFO_DAY = "info_day", _("Info day")
        PROGRAMME_MEETING = "programme_meeting", _("Programme meeting with experts")
        STUDY_VISIT = "study_visit", _("Study visit")
        ONLINE_SESSION = "online_session", _("Online session")

    class Audience(models.TextChoices):
        ALL_MEMBERS = "all_members", _("All member municipalities")
        CHOSEN = "chosen", _("Chosen member municipalities")
        PROVINCES = "provinces", _("Member municipalities of chosen provinces")
        WITHOUT_PROJECT_TEAM = "without_project_team", _("Member municipalities without a project team")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    title_tr = models.CharField(_("title (Turkish)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    description_tr = models.TextField(_("description (Turkish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    programmes = models.ManyToManyField(
        FundingProgramme, blank=True, related_name="events", verbose_name=_("programmes")
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="events", verbose_name=_("themes"))
    # The first session's start and the last one's end (kept so by the services).
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Istanbul", validators=[validate_time_zone]
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True, max_length=500)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Seats in all; empty for no limit.")
    )
    seats_per_municipality = models.PositiveSmallIntegerField(
        _("seats per municipality"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    waiting_list = models.BooleanField(_("waiting list when full"), default=True)
    requires_approval = models.BooleanField(_("registrations need the office's approval"), default=False)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    audience = models.CharField(
        _("audience"), max_length=30, choices=Audience.choices, default=Audience.ALL_MEMBERS
    )
    audience_provinces = models.JSONField(_("provinces of the audience"), default=list, blank=True)
    audience_municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="+", verbose_name=_("municipalities of the audience")
    )
    trainers = models.ManyToManyField(
        ExpertProfile, blank=True, related_name="events", verbose_name=_("trainers and experts")
    )
    agenda = models.TextField(_("agenda"), blank=True)
    materials = models.ManyToManyField(
        DocumentSet,
        blank=True,
        related_name="events",
        limit_choices_to={"purpose": DocumentSet.Purpose.LIBRARY},
        verbose_name=_("materials from the library"),
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("share of sessions a certificate needs (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    trains_project_managers = models.BooleanField(
        _("counts as project-manager training"),
        default=False,
        help_text=_("Its certificate holders count as their municipality's trained project managers."),
    )
    state = FSMField(_("state"), default=EventState.DRAFT, choices=EventState.choices, protected=True)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    # One more on every save: the ETag of the event's edits.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["state", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="registration_closes_after_it_opens",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return self.title_tr if translation.get_language() == "tr" else self.title_en

    @property
    def description(self) -> str:
        return self.description_tr if translation.get_language() == "tr" else self.description_en

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def registration_window_open(self, at=None) -> bool:
        at = at or timezone.now()
        return (
            self.registration_opens_at is not None
            and self.registration_closes_at is not None
            and self.registration_opens_at <= at < self.registration_closes_at
        )

    # --- the machine (docs/events.md) ---------------------------------------------------------------
    @logged_transition(
        source=EventState.DRAFT,
        target=EventState.OPEN,
        permission=can.manages_events,
        label=_("Open registration"),
        conditions=[conditions.has_sessions, conditions.has_registration_window, conditions.not_over],
    )
    def open_registration(self, *, by=None, description=None):
        """Announce it: the audience sees it and may register within the window."""

    @logged_transition(
        source=EventState.OPEN,
        target=EventState.CLOSED,
        permission=can.manages_events,
        label=_("Close registration"),
    )
    def close_registration(self, *, by=None, description=None):
        """No more registrations; the list of participants is final (cancellations still promote)."""

    @logged_transition(
        source=EventState.CLOSED,
        target=EventState.OPEN,
        permission=can.manages_events,
        label=_("Reopen registration"),
        conditions=[conditions.window_not_passed, conditions.not_started],
    )
    def reopen_registration(self, *, by=None, description=None):
        """Take registrations again (the window is still open and the event has not begun)."""

    @logged_transition(
        source=EventState.CLOSED,
        target=EventState.HELD,
        permission=can.manages_events,
        label=_("Mark as held"),
        conditions=[conditions.last_session_ended],
    )
    def mark_held(self, *, by=None, description=None):
        """It took place: attendance is complete and certificates may be issued."""

    @logged_transition(
        source=EventState.HELD,
        target=EventState.ARCHIVED,
        permission=can.manages_events,
        label=_("Archive"),
    )
    def archive(self, *, by=None, description=None):
        """Put away: attendance and certificates are final (a certificate may still be revoked)."""

    @logged_transition(
        source=list(EventState.EDITABLE),
        target=EventState.CANCELLED,
        permission=can.manages_events,
        label=_("Cancel the event"),
    )
    def cancel(self, *, by=None, description=None, reason=""):
        """Called off; everyone registered is told, with the reason."""
        self.cancellation_reason = reason


class Session(models.Model):
    """One part of an event that attendance is taken for (a camp has one per day)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["event", "starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.UniqueConstraint(fields=["event", "starts_at"], name="one_session_per_start"),
        ]

    def __str__(self):
        return self.title or f"{self.event} – {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> Decimal:
        seconds = (self.ends_at - self.starts_at).total_seconds()
        return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.1"))


class Registration(models.Model):
    """A person's place at an event, for the member municipality whose staff they are."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_registrations"
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="event_registrations",
        verbose_name=_("municipality"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    state = models.CharField(_("state"), max_length=20, choices=RegistrationState.choices, db_index=True)
    # The order of the waiting list: who registered first is promoted first.
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    refusal_reason = models.TextField(_("reason for refusing"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    moved_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moved_from",
        verbose_name=_("moved to"),
    )

    class Meta:
        ordering = ["event", "created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [
            models.Index(fields=["event", "state", "created_at"]),
            models.Index(fields=["person", "state"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(state__in=["pending", "confirmed", "waitlisted"]),
                name="one_live_registration_per_person",
            )
        ]

    def __str__(self):
        return f"{self.person} – {self.event}"

    @property
    def is_live(self) -> bool:
        return self.state in RegistrationState.LIVE


class Attendance(models.Model):
    """Whether a registered person was there for one session; marked (and corrected) by the office."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendance")
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="attendance")
    present = models.BooleanField(_("present"))
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(_("marked"), default=timezone.now)

    class Meta:
        ordering = ["session", "registration"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "registration"], name="one_mark_per_session")
        ]

    def __str__(self):
        return f"{self.registration} @ {self.session}: {self.present}"


# Codes are read off paper and typed: no 0/O or 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def new_code() -> str:
    """A verification code: 12 characters (about 59 bits), shown as XXXX-XXXX-XXXX."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """A code as typed (any case, with dashes or spaces) as it is stored."""
    return "".join(ch for ch in str(text).upper() if ch.isalnum())


class Certificate(models.Model):
    """A participation certificate: issued once per registration to someone who attended enough; its
    code is public (the QR code on the PDF), and revoking it keeps the row with the reason."""

    registration = models.OneToOneField(Registration, on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField(_("verification code"), max_length=CODE_LENGTH, unique=True, default=new_code)
    # As printed: the name at the time of issue, the sessions attended and their hours.
    holder_name = models.CharField(_("holder's name"), max_length=300)
    sessions_attended = models.PositiveSmallIntegerField(_("sessions attended"))
    sessions_total = models.PositiveSmallIntegerField(_("sessions"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        # the list's order: a page of the office's list reads the index, not every certificate sorted
        indexes = [models.Index(fields=["-issued_at", "-id"], name="certificate_list_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="revocation_has_a_reason",
            )
        ]

    def __str__(self):
        return self.display_code

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
