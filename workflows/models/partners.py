"""The parties of a proposal besides its lead: partner municipalities and organisations."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grants_office.members.models import Municipality, Organisation
from workflows.models.proposals import Proposal


class ProposalPartner(models.Model):
    class Role(models.TextChoices):
        LEAD_PARTNER = "lead_partner", _("Lead partner / coordinator")
        PARTNER = "partner", _("Partner")
        ASSOCIATED = "associated", _("Associated partner")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="partners")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)

    class Meta:
        ordering = ["proposal", "role", "id"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.CheckConstraint(
                condition=(Q(municipality__isnull=False) & Q(organisation__isnull=True))
                | (Q(municipality__isnull=True) & Q(organisation__isnull=False)),
                name="partner_is_exactly_one_party",
            ),
            models.UniqueConstraint(fields=["proposal", "municipality"], name="unique_partner_municipality"),
            models.UniqueConstraint(fields=["proposal", "organisation"], name="unique_partner_organisation"),
        ]

    def __str__(self):
        return f"{self.party} ({self.get_role_display()})"

    @property
    def party(self):
        return self.municipality or self.organisation
