"""Member municipalities, partner organisations, the people on their teams, and experts."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants_office.calls.models import Theme, validate_time_zone
from grants_office.core.people import display_name
from grants_office.members.provinces import PROVINCE_CHOICES


class Municipality(models.Model):
    class Kind(models.TextChoices):
        METROPOLITAN = "metropolitan", _("Metropolitan municipality")
        PROVINCIAL = "provincial", _("Provincial municipality")
        DISTRICT = "district", _("District municipality")
        TOWN = "town", _("Town municipality")

    class Membership(models.TextChoices):
        MEMBER = "member", _("Member")
        NON_MEMBER = "non_member", _("Non-member")
        RESIGNED = "resigned", _("Resigned")

    name = models.CharField(_("name"), max_length=200)
    province = models.CharField(_("province"), max_length=40, choices=PROVINCE_CHOICES, db_index=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    membership_status = models.CharField(
        _("membership status"),
        max_length=20,
        choices=Membership.choices,
        default=Membership.MEMBER,
        db_index=True,
    )
    membership_date = models.DateField(
        _("membership date"), null=True, blank=True, help_text=_("When it joined, or when it resigned.")
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    has_project_team = models.BooleanField(
        _("has a project team"),
        default=False,
        db_default=False,  # rows written by code that predates the field (an old migration's model)
        help_text=_(
            "Staff of its own who prepare EU and national proposals. Members without one are the first "
            "audience of the office's trainings."
        ),
    )

    class Meta:
        ordering = ["province", "name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="unique_municipality_in_province")
        ]

    def __str__(self):
        return self.name

    @property
    def is_member(self) -> bool:
        return self.membership_status == self.Membership.MEMBER


class Organisation(models.Model):
    """A partner outside the union: a foreign municipality, a university, an NGO, an agency."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality abroad")
        UNIVERSITY = "university", _("University or research body")
        NGO = "ngo", _("Non-governmental organisation")
        DEVELOPMENT_AGENCY = "development_agency", _("Development agency")
        PUBLIC_BODY = "public_body", _("Public body")
        COMPANY = "company", _("Company")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. BG, TR.")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["country", "name"], name="unique_organisation_in_country")
        ]

    def __str__(self):
        return f"{self.name} ({self.country})"

    def clean(self):
        self.country = (self.country or "").upper()
        if len(self.country) != 2 or not self.country.isalpha():
            raise ValidationError({"country": _("Use the two-letter country code, e.g. BG.")})


class TeamMembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(
            Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gt=on), user__is_active=True
        )


class TeamMembership(models.Model):
    """A person on the project team of a municipality or, for partner contacts, of an organisation."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Team lead")
        MEMBER = "member", _("Team member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="team_memberships",
        verbose_name=_("user"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="team_memberships",
        verbose_name=_("municipality"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="team_memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "organisation", "role", "user"]
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.CheckConstraint(
                condition=(Q(municipality__isnull=False) & Q(organisation__isnull=True))
                | (Q(municipality__isnull=True) & Q(organisation__isnull=False)),
                name="membership_of_exactly_one_party",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="membership_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["user", "ends_on"])]

    def __str__(self):
        return f"{self.user} – {self.party} ({self.get_role_display()})"

    @property
    def party(self):
        return self.municipality or self.organisation

    def clean(self):
        if bool(self.municipality_id) == bool(self.organisation_id):
            raise ValidationError(_("Choose either a municipality or an organisation."))
        if self.ends_on and self.starts_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("The end must be after the start.")})

    def is_active(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on > on)


class ExpertProfile(models.Model):
    """An expert reviewer (scientific board or external) with expertise themes and an affiliation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="expert_profile",
        verbose_name=_("user"),
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="experts", verbose_name=_("expertise themes")
    )
    affiliation_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="affiliated_experts",
        verbose_name=_("affiliated municipality"),
    )
    affiliation_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="affiliated_experts",
        verbose_name=_("affiliated organisation"),
    )
    title = models.CharField(_("title"), max_length=100, blank=True, help_text=_("e.g. Prof. Dr."))
    bio = models.TextField(_("short biography"), blank=True)
    is_board_member = models.BooleanField(_("scientific board member"), default=False)
    is_active = models.BooleanField(_("available for review"), default=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")

    def __str__(self):
        name = display_name(self.user)
        return f"{self.title} {name}".strip()


class UserProfile(models.Model):
    """A person's own settings: the language and time zone of their pages, e-mails and notifications."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Istanbul", validators=[validate_time_zone]
    )

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self):
        return f"{self.user} ({self.language}, {self.time_zone})"


# EU member states (ISO 3166-1 alpha-2; Greece is GR here, as in ISO, not EL).
EU_MEMBER_STATES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()  # noqa: SIM905
)


class CallEligibility(models.Model):
    """Who may lead a call's proposals and who may partner in them, as rules the service checks.

    Empty lists mean "any". The call's free-text `eligibility_notes` keep what rules can't say. It lives
    with the members because its rules are about municipalities and organisations (calls never reads
    members); `grants_office.members.eligibility` evaluates it.
    """

    call = models.OneToOneField(
        "calls.Call", on_delete=models.CASCADE, related_name="eligibility", verbose_name=_("call")
    )
    lead_provinces = models.JSONField(
        _("provinces that may lead"), default=list, blank=True, help_text=_("Official names; empty: any.")
    )
    lead_kinds = models.JSONField(
        _("municipality types that may lead"), default=list, blank=True, help_text=_("Empty: any.")
    )
    lead_population_min = models.PositiveIntegerField(_("lead's population at least"), null=True, blank=True)
    lead_population_max = models.PositiveIntegerField(_("lead's population at most"), null=True, blank=True)
    lead_membership_required = models.BooleanField(
        _("only members of the union lead"),
        default=True,
        help_text=_("Off for calls the office helps non-members with; then no exception is needed."),
    )
    partner_countries = models.JSONField(
        _("countries partners may come from"), default=list, blank=True, help_text=_("ISO codes; empty: any.")
    )
    partner_kinds = models.JSONField(
        _("kinds of organisation that may partner"),
        default=list,
        blank=True,
        help_text=_("A Turkish municipality partnering counts as a municipality. Empty: any."),
    )
    min_partners = models.PositiveSmallIntegerField(_("partners at least"), default=0)
    min_eu_partners = models.PositiveSmallIntegerField(
        _("partners from EU member states at least"), default=0
    )

    class Meta:
        verbose_name = _("call eligibility")
        verbose_name_plural = _("call eligibility")
        constraints = [
            models.CheckConstraint(
                condition=Q(lead_population_min__isnull=True)
                | Q(lead_population_max__isnull=True)
                | Q(lead_population_max__gte=models.F("lead_population_min")),
                name="eligibility_population_range_ordered",
            ),
        ]

    def __str__(self):
        return str(self.call)

    def clean(self):
        errors = {}
        unknown = [p for p in self.lead_provinces or [] if p not in dict(PROVINCE_CHOICES)]
        if unknown:
            errors["lead_provinces"] = _("Not a province of Türkiye: %(names)s.") % {
                "names": ", ".join(unknown)
            }
        kinds = [k for k in self.lead_kinds or [] if k not in Municipality.Kind.values]
        if kinds:
            errors["lead_kinds"] = _("Unknown municipality type: %(kinds)s.") % {"kinds": ", ".join(kinds)}
        kinds = [k for k in self.partner_kinds or [] if k not in Organisation.Kind.values]
        if kinds:
            errors["partner_kinds"] = _("Unknown kind: %(kinds)s.") % {"kinds": ", ".join(kinds)}
        countries = [
            c for c in self.partner_countries or [] if len(c) != 2 or not c.isalpha() or not c.isupper()
        ]
        if countries:
            errors["partner_countries"] = _("Use two-letter country codes, e.g. BG.")
        if (
            self.lead_population_min is not None
            and self.lead_population_max is not None
            and self.lead_population_max < self.lead_population_min
        ):
            errors["lead_population_max"] = _("The maximum must not be below the minimum.")
        if errors:
            raise ValidationError(errors)
