"""The forms of the events pages. Times are typed as wall-clock times in the event's own zone (the
person's zone plays no part), as a call's deadline is typed in the funder's."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.models import DocumentSet
from events.models import RELATIONS, Event
from grants_office.calls.forms import NonExistentTime, funder_moment
from grants_office.calls.models import FundingProgramme, Theme, known_time_zones
from grants_office.core.filters import EARLIEST_RECORDED, LATEST
from grants_office.members.models import ExpertProfile, Municipality
from grants_office.members.provinces import PROVINCE_CHOICES

WALL_CLOCK = "%Y-%m-%dT%H:%M"


class WallClockField(forms.DateTimeField):
    """A datetime-local input read without a zone; the form places it in the event's zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=WALL_CLOCK)
    input_formats = [WALL_CLOCK, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        for pattern in self.input_formats:
            try:
                moment = datetime.strptime(str(value).strip(), pattern)
            except ValueError:
                continue
            if not EARLIEST_RECORDED.replace(tzinfo=None) <= moment <= LATEST.replace(tzinfo=None):
                break
            return moment
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


def in_zone(form: forms.Form, names, zone: ZoneInfo) -> dict:
    """The form's wall-clock fields as instants in `zone`; a time the clocks skip is an error."""
    moments = {}
    for name in names:
        value = form.cleaned_data.get(name)
        if value is None:
            moments[name] = None
            continue
        try:
            moments[name] = funder_moment(value, zone)
        except NonExistentTime:
            form.add_error(
                name, _("This time does not exist in %(zone)s (the clocks change).") % {"zone": zone}
            )
    return moments


def wall_clock(moment, zone_name: str):
    return moment.astimezone(ZoneInfo(zone_name)).replace(tzinfo=None) if moment else None


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    title_tr = forms.CharField(label=_("Title (Turkish)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300)
    description_tr = forms.CharField(
        label=_("Description (Turkish)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    programmes = forms.ModelMultipleChoiceField(
        label=_("Programmes"), queryset=FundingProgramme.objects.all(), required=False
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), initial="Europe/Istanbul")
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Online link"), max_length=500, required=False, assume_scheme="https")
    capacity = forms.IntegerField(
        label=_("Capacity"), min_value=1, required=False, help_text=_("Seats in all; empty for no limit.")
    )
    seats_per_municipality = forms.IntegerField(
        label=_("Seats per municipality"), min_value=1, required=False
    )
    waiting_list = forms.BooleanField(label=_("Waiting list when full"), required=False, initial=True)
    requires_approval = forms.BooleanField(
        label=_("Registrations need the office's approval"), required=False
    )
    registration_opens_at = WallClockField(label=_("Registration opens"), required=False)
    registration_closes_at = WallClockField(label=_("Registration closes"), required=False)
    audience = forms.ChoiceField(label=_("Audience"), choices=Event.Audience.choices)
    audience_provinces = forms.MultipleChoiceField(
        label=_("Provinces of the audience"), choices=PROVINCE_CHOICES, required=False
    )
    audience_municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities of the audience"),
        queryset=Municipality.objects.filter(membership_status=Municipality.Membership.MEMBER),
        required=False,
    )
    trainers = forms.ModelMultipleChoiceField(
        label=_("Trainers and experts"),
        queryset=ExpertProfile.objects.select_related("user"),
        required=False,
    )
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    materials = forms.ModelMultipleChoiceField(
        label=_("Materials from the library"),
        queryset=DocumentSet.objects.filter(purpose=DocumentSet.Purpose.LIBRARY),
        required=False,
    )
    min_attendance_percent = forms.IntegerField(
        label=_("Share of sessions a certificate needs (%)"), min_value=1, max_value=100, initial=80
    )
    trains_project_managers = forms.BooleanField(
        label=_("Counts as project-manager training"), required=False
    )

    MOMENTS = ("registration_opens_at", "registration_closes_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(zone, zone) for zone in sorted(known_time_zones())]

    @classmethod
    def initial_of(cls, event: Event) -> dict:
        initial = {name: getattr(event, name) for name in cls.base_fields if name not in RELATIONS}
        for name in RELATIONS:
            initial[name] = list(getattr(event, name).all())
        for name in cls.MOMENTS:
            initial[name] = wall_clock(getattr(event, name), event.time_zone)
        return initial

    def service_arguments(self) -> dict:
        values = dict(self.cleaned_data)
        values.update(in_zone(self, self.MOMENTS, ZoneInfo(values["time_zone"])))
        return values


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Session"), max_length=200, required=False)
    starts_at = WallClockField(label=_("Starts"))
    ends_at = WallClockField(label=_("Ends"))


SessionFormSet = forms.formset_factory(SessionForm, extra=3, max_num=60, validate_max=True)


def sessions_of(formset, zone_name: str) -> list[dict]:
    """The sessions typed in the formset (blank rows left out) as instants in the event's zone."""
    zone = ZoneInfo(zone_name)
    sessions = []
    for form in formset.forms:
        if not form.has_changed() or not form.is_valid():
            continue
        moments = in_zone(form, ("starts_at", "ends_at"), zone)
        sessions.append({"title": form.cleaned_data.get("title", ""), **moments})
    return sessions


class RegisterForm(forms.Form):
    """Whom to register, and for which municipality: oneself, or (a team lead) a colleague on the
    municipality's team today (`events.selectors.people.registrable`)."""

    person = forms.ChoiceField(label=_("Register"))

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {option.key: option for option in options}
        self.fields["person"].choices = [(option.key, option.label) for option in options]

    def service_arguments(self) -> dict:
        option = self.options[self.cleaned_data["person"]]
        return {"person": option.person, "municipality": option.municipality}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
