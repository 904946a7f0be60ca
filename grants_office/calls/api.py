from operator import attrgetter

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters import filters as plain_filters
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from grants_office.calls import selectors
from grants_office.calls.models import Call, ChecklistItem, Criterion, FundingProgramme, Rubric, Theme
from grants_office.core.export_schema import list_export
from grants_office.core.filters import MomentFilter
from grants_office.core.representation import plain
from grants_office.core.tabular import Column, export_format, export_response


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundingProgramme
        fields = ["id", "name", "short_name", "funder", "kind", "website", "description"]


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["code", "name"]


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["code", "title", "description", "scale_min", "scale_max", "step", "threshold", "weight"]


class RubricSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Rubric
        fields = ["id", "name", "overall_threshold", "disagreement_rule", "disagreement_gap", "criteria"]


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["document_kind", "required", "notes"]


def _once(built: dict, instance, represent) -> dict:
    key = (type(instance), instance.pk)
    if key not in built:
        built[key] = represent(instance)
    return built[key]


def _programme(programme) -> dict:
    return plain(programme, ProgrammeSerializer.Meta.fields)


def _rubric(rubric) -> dict:
    own = [name for name in RubricSerializer.Meta.fields if name != "criteria"]
    criteria = [plain(criterion, CriterionSerializer.Meta.fields) for criterion in rubric.criteria.all()]
    return {**plain(rubric, own), "criteria": criteria}


class CallSerializer(serializers.ModelSerializer):
    programme = ProgrammeSerializer(read_only=True)
    themes = ThemeSerializer(many=True, read_only=True)
    rubric = RubricSerializer(read_only=True)
    checklist = ChecklistItemSerializer(many=True, read_only=True)
    deadline_local = serializers.SerializerMethodField(
        help_text=_("The deadline in the funder's time zone, as the funder states it.")
    )
    deadline_display = serializers.SerializerMethodField(
        help_text=_("The deadline for people: '2027-03-05 17:00 (Europe/Brussels)'.")
    )
    stage2_deadline_local = serializers.SerializerMethodField(
        help_text=_("Two-stage calls: the stage-2 deadline in the funder's time zone.")
    )
    stage2_deadline_display = serializers.SerializerMethodField(
        help_text=_("The stage-2 deadline for people, with the funder's time zone.")
    )
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "id",
            "reference",
            "title",
            "programme",
            "opens_on",
            "deadline",
            "deadline_timezone",
            "deadline_local",
            "deadline_display",
            "is_open",
            "is_two_stage",
            "stage2_deadline",
            "stage2_deadline_local",
            "stage2_deadline_display",
            "grant_min",
            "grant_max",
            "currency",
            "cofinancing_rate",
            "themes",
            "eligibility_notes",
            "url",
            "rubric",
            "checklist",
        ]

    def to_representation(self, call):
        """The declared fields, written out, the programme and rubric built once per answer: DRF's walk
        over 23 fields and four nested serializers (the criteria of every call's rubric) was most of
        the calls list's time, and building the nested fields half of that (issue 18). Same output,
        pinned by tests/calls/test_api.py::test_the_written_out_call_equals_the_declared_fields."""
        built = self.root.__dict__.setdefault("_built_once", {})  # (kind, pk) -> representation
        programme, rubric = call.programme, call.rubric
        composed = {
            "programme": None if programme is None else _once(built, programme, _programme),
            "deadline_local": self.get_deadline_local(call),
            "deadline_display": self.get_deadline_display(call),
            "is_open": self.get_is_open(call),
            "stage2_deadline_local": self.get_stage2_deadline_local(call),
            "stage2_deadline_display": self.get_stage2_deadline_display(call),
            "themes": [plain(theme, ThemeSerializer.Meta.fields) for theme in call.themes.all()],
            "rubric": None if rubric is None else _once(built, rubric, _rubric),
            "checklist": [plain(item, ChecklistItemSerializer.Meta.fields) for item in call.checklist.all()],
        }
        written = plain(call, [name for name in self.Meta.fields if name not in composed])
        return {name: composed[name] if name in composed else written[name] for name in self.Meta.fields}

    def get_deadline_local(self, call) -> str:
        return call.deadline_in_funder_tz.isoformat()

    def get_deadline_display(self, call) -> str:
        return call.deadline_display()

    def get_stage2_deadline_local(self, call) -> str | None:
        if call.stage2_deadline is None:
            return None
        return call.stage2_deadline.astimezone(call.funder_tz).isoformat()

    def get_stage2_deadline_display(self, call) -> str | None:
        return call.stage2_deadline_display() or None

    def get_is_open(self, call) -> bool:
        return call.is_open(self.context.get("now"))


class StrictBooleanField(forms.Field):
    """true/false (or 1/0); anything else is a 400, where django-filter would silently not filter."""

    TRUE = ("true", "1")
    FALSE = ("false", "0")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValidationError(_("Use true or false."), code="invalid")


class StrictBooleanFilter(plain_filters.BooleanFilter):
    field_class = StrictBooleanField


class ProgrammeFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=FundingProgramme.Kind.choices)

    class Meta:
        model = FundingProgramme
        fields = ["kind"]


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """Funding programmes: EU, national and international."""

    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilter
    search_fields = ["name", "short_name", "funder"]
    ordering_fields = ["name"]

    def get_queryset(self):
        return selectors.programmes()


class CallFilter(filters.FilterSet):
    programme = filters.ModelChoiceFilter(queryset=FundingProgramme.objects.all())
    programme_kind = filters.ChoiceFilter(field_name="programme__kind", choices=FundingProgramme.Kind.choices)
    open = StrictBooleanFilter(method="filter_open", label=_("open now"))
    deadline_after = MomentFilter(field_name="deadline", lookup_expr="gte")
    deadline_before = MomentFilter(field_name="deadline", lookup_expr="lte")
    theme = filters.ModelChoiceFilter(
        field_name="themes", to_field_name="code", queryset=Theme.objects.all(), label=_("theme code")
    )
    is_two_stage = StrictBooleanFilter()

    class Meta:
        model = Call
        fields = ["programme", "is_two_stage"]

    def filter_open(self, queryset, name, value):
        now = timezone.now()
        return queryset.open(now) if value else queryset.closed(now)


def call_columns(zone) -> list[Column]:
    """The calls export: the deadline in `zone` (named in the header) and as the funder states it."""
    in_zone = gettext("Deadline (%(zone)s)") % {"zone": str(zone)}
    return [
        Column(_("Id"), attrgetter("pk")),
        Column(_("Reference"), attrgetter("reference")),
        Column(_("Title"), attrgetter("title")),
        Column(_("Programme"), attrgetter("programme.name")),
        Column(_("Funder"), attrgetter("programme.funder")),
        Column(_("Kind of funder"), lambda call: call.programme.get_kind_display()),
        Column(_("Opens on"), attrgetter("opens_on")),
        Column(in_zone, attrgetter("deadline")),
        Column(_("Deadline as the funder states it"), lambda call: call.deadline_display()),
        Column(_("Two-stage"), lambda call: gettext("yes") if call.is_two_stage else gettext("no")),
        Column(
            _("Stage-2 deadline as the funder states it"), lambda call: call.stage2_deadline_display() or None
        ),
        Column(_("Minimum grant"), attrgetter("grant_min")),
        Column(_("Maximum grant"), attrgetter("grant_max")),
        Column(_("Currency"), attrgetter("currency")),
        Column(_("Co-financing rate (%)"), attrgetter("cofinancing_rate")),
        Column(_("Themes"), lambda call: ", ".join(theme.name for theme in call.themes.all())),
        Column(_("Call page"), attrgetter("url")),
    ]


class CallViewSet(viewsets.ReadOnlyModelViewSet):
    """Calls for proposals, with deadlines in the funder's time zone, rubric and document checklist."""

    serializer_class = CallSerializer
    filterset_class = CallFilter
    search_fields = ["reference", "title"]
    ordering_fields = ["deadline", "opens_on", "reference"]

    def get_queryset(self):
        return selectors.calls()

    @list_export(_("Every call of the list, with the list's filters, search and ordering."))
    def export(self, request):
        """The list as a file (`format=csv` or `xlsx`): every call, not one page; headers in the
        request's language, the deadline in the current zone (named in the header) and the funder's."""
        fmt = export_format(request.query_params)
        calls = selectors.calls_for_export(self.filter_queryset(self.get_queryset()))
        zone = timezone.get_current_timezone()
        return export_response(
            calls.iterator(chunk_size=2000),
            call_columns(zone),
            fmt=fmt,
            filename=f"calls-{timezone.localdate():%Y-%m-%d}",
            zone=zone,
        )
