"""Cooperation: partner profiles, partner requests and their answers, agreements and network memberships."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grants_office.calls.models import Call, Theme
from grants_office.members.models import Municipality, Organisation
from workflows.models import Proposal, ProposalPartner

PIC_FORMAT = re.compile(r"^[0-9]{9}$")


def validate_pic(value: str) -> None:
    """The EU Participant Identification Code: nine digits."""
    if value and not PIC_FORMAT.match(value):
        raise ValidationError(_("A PIC has nine digits, e.g. 999999999."), code="invalid_pic")


def one_party_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(municipality__isnull=False) & Q(organisation__isnull=True))
        | (Q(municipality__isnull=True) & Q(organisation__isnull=False)),
        name=name,
    )


class PartnerProfile(models.Model):
    """A municipality's or an organisation's cooperation profile: what partner search finds.

    A member municipality's themes and priorities are also its interests, which call watch matches.
    `search_document` is the text search reads (name, place, themes in both languages, description,
    past projects), rebuilt by the services whenever one of its parts changes.
    """

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partner_profile",
        verbose_name=_("municipality"),
    )
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partner_profile",
        verbose_name=_("organisation"),
    )
    pic = models.CharField(
        _("PIC"),
        max_length=9,
        blank=True,
        validators=[validate_pic],
        help_text=_("The EU Participant Identification Code (nine digits)."),
    )
    languages = models.JSONField(
        _("working languages"), default=list, blank=True, help_text=_("ISO 639-1 codes, e.g. tr, en, bg.")
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="partner_profiles", verbose_name=_("themes")
    )
    priorities = models.TextField(_("priorities"), blank=True)
    description = models.TextField(_("description"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    search_document = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("partner profile")
        verbose_name_plural = _("partner profiles")
        constraints = [one_party_constraint("profile_of_exactly_one_party")]

    def __str__(self):
        return str(self.party)

    @property
    def party(self):
        return self.municipality or self.organisation


class PartnerRequest(models.Model):
    """A team's "seeking a partner" notice, for one of its proposals or for a call it means to apply to."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        FILLED = "filled", _("Partner found")
        CLOSED = "closed", _("Closed")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="partner_requests",
        verbose_name=_("municipality"),
    )
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partner_requests",
        verbose_name=_("proposal"),
    )
    call = models.ForeignKey(
        Call,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_requests",
        verbose_name=_("call"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what the partner would do"), blank=True)
    role_wanted = models.CharField(
        _("role wanted"),
        max_length=20,
        choices=ProposalPartner.Role.choices,
        default=ProposalPartner.Role.PARTNER,
    )
    countries = models.JSONField(
        _("countries"), default=list, blank=True, help_text=_("ISO codes; empty: any.")
    )
    kinds = models.JSONField(_("kinds of organisation"), default=list, blank=True, help_text=_("Empty: any."))
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="partner_requests", verbose_name=_("themes")
    )
    answer_by = models.DateField(_("answer by"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["answer_by", "id"]
        verbose_name = _("partner request")
        verbose_name_plural = _("partner requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False) | Q(call__isnull=False),
                name="partner_request_for_something",
            ),
        ]
        indexes = [models.Index(fields=["state", "answer_by"])]

    def __str__(self):
        return self.title


class PartnerResponse(models.Model):
    """An expression of interest in a partner request, on behalf of an organisation or a municipality."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", pgettext_lazy("partner answer", "Accepted")
        DECLINED = "declined", pgettext_lazy("partner answer", "Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    request = models.ForeignKey(
        PartnerRequest, on_delete=models.CASCADE, related_name="responses", verbose_name=_("partner request")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("responder")
    )
    message = models.TextField(_("message"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["request", "created_at", "id"]
        verbose_name = _("partner response")
        verbose_name_plural = _("partner responses")
        constraints = [
            one_party_constraint("response_of_exactly_one_party"),
            models.UniqueConstraint(fields=["request", "municipality"], name="one_response_per_municipality"),
            models.UniqueConstraint(fields=["request", "organisation"], name="one_response_per_organisation"),
        ]

    def __str__(self):
        return f"{self.party} → {self.request}"

    @property
    def party(self):
        return self.municipality or self.organisation


class Cooperation(models.Model):
    """A sister-city or cooperation agreement between parties, or membership of a network.

    A network membership names the network as an organisation (UCLG-MEWA, CEMR) and the members that
    joined; `union_wide` says the union itself is the member.
    """

    class Kind(models.TextChoices):
        SISTER_CITY = "sister_city", _("Sister-city agreement")
        AGREEMENT = "agreement", _("Cooperation agreement")
        NETWORK = "network", _("Network membership")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="cooperations", verbose_name=_("municipalities")
    )
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="cooperations", verbose_name=_("organisations")
    )
    union_wide = models.BooleanField(_("the union itself is a party"), default=False)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    scope = models.TextField(_("scope"), blank=True)
    document_set = models.OneToOneField(
        "documents.DocumentSet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cooperation",
        verbose_name=_("documents"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-signed_on", "title", "id"]
        verbose_name = _("cooperation")
        verbose_name_plural = _("cooperations")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(ends_on__gt=models.F("signed_on")),
                name="cooperation_ends_after_signing",
            ),
        ]

    def __str__(self):
        return self.title


class CallMatchNotice(models.Model):
    """A call that a municipality's team was told about in call watch's digest: each call goes out once."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "call"], name="one_notice_per_call")]

    def __str__(self):
        return f"{self.call} → {self.municipality}"
