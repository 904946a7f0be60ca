"""Document sets, documents and their immutable versions; pending uploads and the download log.

`documents` knows nothing about what owns a set: a proposal (in workflows) or the office's library.
Who may read or change a set is answered by the owner's policy (see `owners.py`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants_office.calls.models import DocumentKind
from grants_office.members.models import Municipality


class DocumentSet(models.Model):
    class Purpose(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal documents")
        LIBRARY = "library", _("Library")
        AGREEMENT = "agreement", _("Agreement documents")

    class Audience(models.TextChoices):
        ALL_MEMBERS = "all_members", _("All member municipalities")
        CHOSEN = "chosen", _("Chosen municipalities")

    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, db_index=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Library sets only: who may read them (the office always may).
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, blank=True)
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="library_sets", verbose_name=_("municipalities")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["purpose", "title", "id"]
        verbose_name = _("document set")
        verbose_name_plural = _("document sets")
        constraints = [
            models.CheckConstraint(
                # only library sets have an audience (proposal and agreement sets have none)
                condition=(Q(purpose="library") & ~Q(audience="")) | (~Q(purpose="library") & Q(audience="")),
                name="library_sets_have_an_audience",
            )
        ]

    def __str__(self):
        return self.title or f"{self.get_purpose_display()} #{self.pk}"


class Document(models.Model):
    """A slot in a set (e.g. the budget) whose content is its newest version."""

    set = models.ForeignKey(
        DocumentSet, on_delete=models.PROTECT, related_name="documents", verbose_name=_("document set")
    )
    kind = models.CharField(_("kind"), max_length=40, choices=DocumentKind.choices, blank=True)
    title = models.CharField(_("title"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["set", "kind", "title", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["set", "kind"])]

    def __str__(self):
        return self.title


class ImmutableError(Exception):
    """A version is written once and never changed or deleted."""


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveIntegerField(_("version"))
    storage_key = models.CharField(_("storage key"), max_length=500, unique=True)
    original_filename = models.CharField(_("original file name"), max_length=255)
    size = models.BigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=150)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["document", "-number"]
        get_latest_by = "number"
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_version_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
            models.CheckConstraint(condition=Q(size__gt=0), name="version_size_positive"),
        ]

    def __str__(self):
        return f"{self.document} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("A document version cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("A document version cannot be deleted.")


class PendingUpload(models.Model):
    """An upload that was asked for and signed, but not yet verified into a version."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the file")
        COMPLETED = "completed", _("Completed")
        REJECTED = "rejected", _("Rejected")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pending_uploads")
    filename = models.CharField(_("file name"), max_length=255)
    size = models.BigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=150)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = models.TextField(_("note"), blank=True)
    storage_key = models.CharField(_("storage key"), max_length=500, unique=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    version = models.OneToOneField(
        DocumentVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="upload"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pending upload")
        verbose_name_plural = _("pending uploads")

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"


class DownloadLog(models.Model):
    """Who downloaded which version when: access to documents is logged for KVKK."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        indexes = [models.Index(fields=["user", "at"]), models.Index(fields=["version", "at"])]

    def __str__(self):
        return f"{self.user} – {self.version} @ {self.at:%Y-%m-%d %H:%M}"
