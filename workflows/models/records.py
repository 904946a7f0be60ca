"""What a proposal records along the way: its submissions to the funder and its consultations."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.models.proposals import Proposal


class Submission(models.Model):
    """One submission to the funder; the newest before the deadline is the one that counts."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="submissions")
    stage = models.PositiveSmallIntegerField(_("stage"))
    funder_reference = models.CharField(_("funder's reference"), max_length=200)
    submitted_at = models.DateTimeField(_("submitted at"))
    note = models.TextField(_("receipt note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    versions = models.ManyToManyField(
        "documents.DocumentVersion",
        blank=True,
        related_name="submissions",
        verbose_name=_("submitted document versions"),
    )

    class Meta:
        ordering = ["proposal", "-submitted_at", "-id"]
        get_latest_by = ["submitted_at", "id"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self):
        return f"{self.funder_reference} @ {self.submitted_at:%Y-%m-%d %H:%M}"


class Consultation(models.Model):
    """A meeting of the office's experts and the team on a proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="consultations")
    held_at = models.DateTimeField(_("date and time"))
    office_experts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("office experts present")
    )
    team_participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("team members present")
    )
    # Held at a programme meeting with the experts of a grant programme, where several proposals were
    # discussed: the meeting shows up on each of them.
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("programme meeting"),
    )
    notes = models.TextField(_("notes"), blank=True)
    agreed_actions = models.TextField(_("agreed actions"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "-held_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self):
        return f"{self.proposal} – {self.held_at:%Y-%m-%d}"
