"""Funding programmes, their calls, evaluation rubrics and document checklists."""

import functools
from decimal import Decimal
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class Currency(models.TextChoices):
    EUR = "EUR", "EUR"
    TRY = "TRY", "TRY"


class DocumentKind(models.TextChoices):
    """The kinds of document a proposal's set holds; a call's checklist names the ones it requires."""

    APPLICATION_FORM = "application_form", _("Application form")
    BUDGET = "budget", _("Budget")
    WORK_PLAN = "work_plan", _("Work plan")
    LETTER_OF_SUPPORT = "letter_of_support", _("Letter of support")
    PARTNER_DECLARATION = "partner_declaration", _("Partner declaration")
    ANNEX = "annex", _("Annex")
    FUNDER_RECEIPT = "funder_receipt", _("Funder's receipt")
    EVALUATION_REPORT = "evaluation_report", _("Evaluation report")


class Theme(models.Model):
    """A policy theme shared by calls and experts' expertise (e.g. climate adaptation, tourism)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_tr = models.CharField(_("name (Turkish)"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_tr if translation.get_language() == "tr" else self.name_en


class FundingProgramme(models.Model):
    class Kind(models.TextChoices):
        EU = "eu", _("EU")
        NATIONAL = "national", _("National")
        INTERNATIONAL = "international", _("International")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    funder = models.CharField(_("funder"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")

    def __str__(self):
        return self.short_name or self.name


class DisagreementRule(models.TextChoices):
    """How a rubric judges that two or more assessors disagree enough to call for another one."""

    PER_CRITERION = "per_criterion", _("Per criterion (EU style: spread on any criterion)")
    TOTALS = "totals", _("On totals (agency style: totals apart, or on both sides of the pass mark)")


class Rubric(models.Model):
    """How a funder scores: criteria with their own scale, threshold and weight, and an overall pass mark."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    overall_threshold = models.DecimalField(
        _("overall threshold"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Minimum weighted total to pass; empty for none."),
    )
    is_office_default = models.BooleanField(
        _("office default"),
        default=False,
        help_text=_("Used for the office's own review when a call has no rubric."),
    )
    disagreement_rule = models.CharField(
        _("disagreement rule"),
        max_length=20,
        choices=DisagreementRule.choices,
        default=DisagreementRule.PER_CRITERION,
    )
    disagreement_gap = models.DecimalField(
        _("disagreement gap"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_(
            "The spread that calls for another assessor: points on one criterion (per criterion) or "
            "on the total (on totals). Empty: 2 per criterion, 15 on totals."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        constraints = [
            models.UniqueConstraint(
                fields=["is_office_default"],
                condition=Q(is_office_default=True),
                name="one_office_default_rubric",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def maximum_total(self) -> Decimal:
        return sum((c.scale_max * c.weight for c in self.criteria.all()), Decimal(0))


class Criterion(models.Model):
    rubric = models.ForeignKey(
        Rubric, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("rubric")
    )
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    scale_min = models.DecimalField(_("lowest score"), max_digits=6, decimal_places=2, default=Decimal(0))
    scale_max = models.DecimalField(_("highest score"), max_digits=6, decimal_places=2, default=Decimal(5))
    step = models.DecimalField(
        _("step"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    threshold = models.DecimalField(_("threshold"), max_digits=6, decimal_places=2, null=True, blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        ordering = ["rubric", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="unique_criterion_code"),
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="criterion_scale_ordered"
            ),
            models.CheckConstraint(condition=Q(step__gt=0), name="criterion_step_positive"),
        ]

    def __str__(self):
        return f"{self.rubric}: {self.title}"

    def clean(self):
        if self.scale_min is not None and self.scale_max is not None and self.scale_max <= self.scale_min:
            raise ValidationError({"scale_max": _("The highest score must be above the lowest.")})
        if self.threshold is not None and not (self.scale_min <= self.threshold <= self.scale_max):
            raise ValidationError({"threshold": _("The threshold must lie on the scale.")})

    def score_error(self, score: Decimal) -> str | None:
        """Why a score is not valid on this criterion's scale, or None."""
        if score < self.scale_min or score > self.scale_max:
            return _("Score must be between %(min)s and %(max)s.") % {
                "min": self.scale_min.normalize(),
                "max": self.scale_max.normalize(),
            }
        if (score - self.scale_min) % self.step != 0:
            return _("Score must be in steps of %(step)s.") % {"step": self.step.normalize()}
        return None


@functools.cache
def known_time_zones() -> frozenset[str]:
    """The IANA zone names (read once: listing them walks the tzdata files)."""
    return frozenset(available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in known_time_zones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class CallQuerySet(models.QuerySet):
    def open(self, at=None):
        """Opened on or before today and the deadline not passed (the deadline instant itself counts,
        as in `Call.deadline_passed`: a submission stamped exactly at the deadline is on time)."""
        at = at or timezone.now()
        return self.filter(opens_on__lte=timezone.localdate(at), deadline__gte=at)

    def closed(self, at=None):
        at = at or timezone.now()
        return self.exclude(pk__in=self.open(at).values("pk"))


class Call(models.Model):
    programme = models.ForeignKey(
        FundingProgramme, on_delete=models.PROTECT, related_name="calls", verbose_name=_("programme")
    )
    reference = models.CharField(_("reference"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    opens_on = models.DateField(_("opening date"))
    deadline = models.DateTimeField(_("deadline"), db_index=True)
    deadline_timezone = models.CharField(
        _("funder's time zone"),
        max_length=64,
        default=settings.DEFAULT_FUNDER_TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_("The time zone the funder states the deadline in, e.g. Europe/Brussels."),
    )
    is_two_stage = models.BooleanField(_("two-stage"), default=False)
    stage2_deadline = models.DateTimeField(
        _("stage-2 deadline"),
        null=True,
        blank=True,
        help_text=_("Two-stage calls: the deadline of the full proposal, in the funder's time zone."),
    )
    grant_min = models.DecimalField(
        _("minimum grant"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    grant_max = models.DecimalField(
        _("maximum grant"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR)
    cofinancing_rate = models.DecimalField(
        _("co-financing rate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("The share of eligible costs the funder pays."),
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="calls", verbose_name=_("themes"))
    eligibility_notes = models.TextField(_("eligibility notes"), blank=True)
    url = models.URLField(_("call page"), blank=True)
    rubric = models.ForeignKey(
        Rubric,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("rubric"),
    )

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(
                condition=Q(grant_min__isnull=True)
                | Q(grant_max__isnull=True)
                | Q(grant_max__gte=models.F("grant_min")),
                name="call_grant_range_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.reference} – {self.title}"

    def clean(self):
        if self.grant_min is not None and self.grant_max is not None and self.grant_max < self.grant_min:
            raise ValidationError({"grant_max": _("The maximum grant must not be below the minimum.")})
        if self.deadline and self.opens_on and timezone.localdate(self.deadline) < self.opens_on:
            raise ValidationError({"deadline": _("The deadline must not be before the opening date.")})
        if self.stage2_deadline is not None:
            if not self.is_two_stage:
                raise ValidationError({"stage2_deadline": _("Only a two-stage call has a stage-2 deadline.")})
            if self.deadline and self.stage2_deadline <= self.deadline:
                raise ValidationError(
                    {"stage2_deadline": _("The stage-2 deadline must be after the stage-1 deadline.")}
                )

    @property
    def funder_tz(self) -> ZoneInfo:
        return ZoneInfo(self.deadline_timezone)

    @property
    def deadline_in_funder_tz(self):
        return self.deadline.astimezone(self.funder_tz)

    def deadline_display(self) -> str:
        """The deadline as the funder states it, with its zone: '2027-03-05 17:00 (Europe/Brussels)'."""
        return self.in_funder_time(self.deadline)

    def stage2_deadline_display(self) -> str:
        return self.in_funder_time(self.stage2_deadline) if self.stage2_deadline else ""

    def in_funder_time(self, moment) -> str:
        """Any moment of this call as the funder states it, with the zone."""
        local = moment.astimezone(self.funder_tz)
        return f"{local:%Y-%m-%d %H:%M} ({self.deadline_timezone})"

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_on <= timezone.localdate(at) and not self.deadline_passed(at)

    def deadline_passed(self, at=None) -> bool:
        return (at or timezone.now()) > self.deadline


class ChecklistItem(models.Model):
    """One document kind a call asks for; the `ready` transition needs every required one."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="checklist", verbose_name=_("call"))
    document_kind = models.CharField(_("document kind"), max_length=40, choices=DocumentKind.choices)
    required = models.BooleanField(_("required"), default=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["call", "-required", "document_kind"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(fields=["call", "document_kind"], name="unique_checklist_kind")
        ]

    def __str__(self):
        return f"{self.get_document_kind_display()} ({_('required') if self.required else _('optional')})"
