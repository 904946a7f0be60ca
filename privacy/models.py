"""A person's data, exported: each request is a row (who asked, for whom, when it was ready), which is
also the record that the request was answered; the ZIP itself lives in the object store until it expires."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataExport(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="data_exports",
        verbose_name=_("person"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    expires_at = models.DateTimeField(_("available until"), null=True, blank=True)
    storage_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    files = models.PositiveIntegerField(_("files"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        constraints = [
            # a second click (or a retried request) while one is being prepared gets that one
            models.UniqueConstraint(
                fields=["subject", "requested_by"],
                condition=Q(state="pending"),
                name="one_pending_export",
            )
        ]
        indexes = [
            models.Index(fields=["subject", "-requested_at"], name="export_subject"),
            models.Index(fields=["state"], condition=Q(state__in=["pending", "ready"]), name="export_open"),
        ]

    def __str__(self):
        return f"{self.subject} – {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def filename(self) -> str:
        return f"personal-data-{self.subject_id}-{timezone.localtime(self.requested_at):%Y%m%d-%H%M}.zip"

    def is_available(self, now=None) -> bool:
        now = now or timezone.now()
        return self.state == self.State.READY and self.expires_at is not None and now < self.expires_at


class Erasure(models.Model):
    """A person erased by anonymisation: their account and what names them now carry `pseudonym`. The
    row is the record KVKK expects (who erased, when, on which request) and what was rewritten; it
    never holds the old name."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="erasure", verbose_name=_("person")
    )
    pseudonym = models.CharField(_("pseudonym"), max_length=40, unique=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erased by"),
    )
    erased_at = models.DateTimeField(_("erased"), default=timezone.now)
    reason = models.TextField(_("request answered"), blank=True)
    counts = models.JSONField(_("records rewritten or removed"), default=dict)

    class Meta:
        ordering = ["-erased_at", "-id"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self):
        return self.pseudonym


class RetentionRun(models.Model):
    """One run of the retention job that destroyed or anonymised something: the destruction log KVKK
    expects. `results` has one entry per kind of record: what was done, the period, the day before
    which records were due, and how many rows."""

    started_at = models.DateTimeField(_("run"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    results = models.JSONField(_("what was done"), default=list)
    rows = models.PositiveIntegerField(_("rows"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.rows})"


class PrivacyNotice(models.Model):
    """The privacy notice (aydınlatma metni), in Turkish and English. A version is never changed: the
    office publishes a new one, and everyone accepts it at their next sign-in."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    text_tr = models.TextField(_("text (Turkish)"))
    text_en = models.TextField(_("text (English)"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")

    def __str__(self):
        return f"v{self.version}"

    def text(self, language: str) -> str:
        """In `language` (tr or en), else in the other."""
        first, other = (
            (self.text_tr, self.text_en) if language.startswith("tr") else (self.text_en, self.text_tr)
        )
        return first or other


class NoticeAcceptance(models.Model):
    """A person accepted a version of the privacy notice, at a time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_acceptances",
        verbose_name=_("person"),
    )
    notice = models.ForeignKey(
        PrivacyNotice, on_delete=models.PROTECT, related_name="acceptances", verbose_name=_("privacy notice")
    )
    accepted_at = models.DateTimeField(_("accepted"), default=timezone.now)

    class Meta:
        ordering = ["-accepted_at", "-id"]
        verbose_name = _("acceptance of the privacy notice")
        verbose_name_plural = _("acceptances of the privacy notice")
        constraints = [models.UniqueConstraint(fields=["user", "notice"], name="one_acceptance_per_version")]

    def __str__(self):
        return f"{self.user} – {self.notice}"
