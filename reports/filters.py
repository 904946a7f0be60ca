"""The results' filters: one FilterSet for the dashboard's GET form, the API and the exports.

`year` counts by `year_of`: the year of submission (the default; `submitted_at` in Europe/Istanbul), of
the funder's decision (`decided_on`) or of the idea (`created_at`). The lead municipality is the one a
proposal is counted for (`province`, `municipality`).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from grants_office.calls.models import Call, FundingProgramme
from grants_office.core.errors import Invalid
from grants_office.members.api import ProvinceFilter
from grants_office.members.models import Municipality
from grants_office.members.provinces import PROVINCE_CHOICES
from workflows.forms import office_people
from workflows.models import Proposal

OFFICE_ZONE = ZoneInfo(settings.TIME_ZONE)  # the union's year, whatever the reader's zone
FIRST_YEAR, LAST_YEAR = 2000, 2100


class YearOf:
    SUBMISSION = "submission"
    DECISION = "decision"
    START = "start"
    CHOICES = [
        (SUBMISSION, _("Year of submission")),
        (DECISION, _("Year of decision")),
        (START, _("Year of the idea")),
    ]


class GroupBy:
    PROGRAMME = "programme"
    CALL = "call"
    MUNICIPALITY = "municipality"
    PROVINCE = "province"
    COORDINATOR = "coordinator"
    YEAR = "year"
    CHOICES = [
        (PROGRAMME, _("Programme")),
        (CALL, _("Call")),
        (MUNICIPALITY, _("Municipality")),
        (PROVINCE, _("Province")),
        (COORDINATOR, _("Coordinator")),
        (YEAR, _("Year")),
    ]


def year_start(year: int) -> datetime:
    return datetime(year, 1, 1, tzinfo=OFFICE_ZONE)


def year_q(year_of: str, year: int) -> Q:
    """A proposal's moment of `year_of` falls in `year` (a range, so indexes serve it)."""
    if year_of == YearOf.DECISION:
        return Q(decided_on__gte=date(year, 1, 1), decided_on__lte=date(year, 12, 31))
    field = "created_at" if year_of == YearOf.START else "submitted_at"
    return Q(**{f"{field}__gte": year_start(year), f"{field}__lt": year_start(year + 1)})


def in_year(queryset, year_of: str, year: int):
    """The proposals whose moment of `year_of` falls in `year`."""
    return queryset.filter(year_q(year_of, year))


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(filters.NumberFilter):
    """A whole year (django-filter's NumberFilter takes any decimal)."""

    field_class = forms.IntegerField


class ResultsFilter(filters.FilterSet):
    year = YearFilter(method="filter_year", min_value=FIRST_YEAR, max_value=LAST_YEAR, label=_("Year"))
    year_of = filters.ChoiceFilter(
        choices=YearOf.CHOICES, method="keep", empty_label=None, label=_("Count the year by")
    )
    programme = filters.ModelChoiceFilter(
        field_name="call__programme",
        queryset=FundingProgramme.objects.order_by("name"),
        label=_("Programme"),
        empty_label=_("All"),
    )
    funder_kind = filters.ChoiceFilter(
        field_name="call__programme__kind",
        choices=FundingProgramme.Kind.choices,
        label=_("Funder kind"),
        empty_label=_("All"),
    )
    call = filters.ModelChoiceFilter(
        queryset=Call.objects.order_by("-deadline"), label=_("Call"), empty_label=_("All")
    )
    province = ProvinceFilter(field_name="lead__province", label=_("Province"))
    municipality = filters.ModelChoiceFilter(
        field_name="lead",
        queryset=Municipality.objects.order_by("name"),
        label=_("Municipality"),
        empty_label=_("All"),
    )
    coordinator = filters.ModelChoiceFilter(
        queryset=lambda request: office_people(), label=_("Coordinator"), empty_label=_("All")
    )
    group_by = filters.ChoiceFilter(
        choices=GroupBy.CHOICES, method="keep", empty_label=None, label=_("Group by")
    )

    class Meta:
        model = Proposal
        fields = ["year", "year_of", "programme", "funder_kind", "call", "province", "municipality"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.form.fields["year"].widget.attrs.update({"inputmode": "numeric"})
        self.form.fields["province"].widget = forms.Select(choices=[("", _("All")), *PROVINCE_CHOICES])

    def keep(self, queryset, name, value):
        """`year_of` and `group_by` shape the report, not the set."""
        return queryset

    def filter_year(self, queryset, name, value):
        return in_year(queryset, self.counted_by, int(value))

    @property
    def counted_by(self) -> str:
        return self.form.cleaned_data.get("year_of") or YearOf.SUBMISSION

    @property
    def grouped_by(self) -> str:
        return self.form.cleaned_data.get("group_by") or GroupBy.PROGRAMME

    @property
    def chosen_year(self) -> int | None:
        value = self.form.cleaned_data.get("year")
        return None if value is None else int(value)

    def period_end(self) -> date:
        """The day the amounts are converted on: the year's 31 December, else today."""
        return date(self.chosen_year, 12, 31) if self.chosen_year else timezone.localdate()

    def applied(self) -> dict:
        """The filters as given (ids for objects), for the API's answer and the export links."""
        values = {}
        for name, value in self.form.cleaned_data.items():
            if value in (None, ""):
                continue
            values[name] = getattr(value, "pk", value)
        values["year_of"], values["group_by"] = self.counted_by, self.grouped_by
        if "year" in values:
            values["year"] = int(values["year"])
        return values


def results_filterset(params, *, request=None) -> ResultsFilter:
    """The filters of a request over the live proposals, bound even without parameters (every year)."""
    return ResultsFilter(params, queryset=Proposal.objects.alive(), request=request)


def results_filter(params, *, request=None) -> ResultsFilter:
    """The filters of a request, validated (`Invalid` with `fields` otherwise)."""
    filterset = results_filterset(params, request=request)
    if not filterset.is_valid():
        raise Invalid(
            str(_("Invalid input.")),
            fields={name: list(messages) for name, messages in filterset.errors.items()},
        )
    return filterset
