"""Forms that take a call's deadlines: the time is typed as the funder states it, in the call's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.utils.translation import gettext_lazy as _

from grants_office.calls.models import Call, known_time_zones
from grants_office.core.filters import EARLIEST_RECORDED, LATEST, validate_recorded_moment

DEADLINE_FIELDS = ("deadline", "stage2_deadline")


class NonExistentTime(ValueError):
    """The wall-clock time is skipped by the zone's clock change (e.g. 02:30 on the last Sunday of March)."""


def funder_moment(wall_clock: datetime, zone: ZoneInfo) -> datetime:
    """The instant a naive wall-clock time means in `zone`.

    A time that occurs twice (the hour the clocks go back) is the earlier one, so a deadline is never
    later than the funder meant; a time that does not occur raises NonExistentTime.
    """
    moment = wall_clock.replace(tzinfo=zone, fold=0)
    if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall_clock:
        raise NonExistentTime(wall_clock)
    return moment


class WallClockSplitDateTimeField(forms.SplitDateTimeField):
    """Date and time as typed, without a zone (Django would read them in the admin user's zone)."""

    def compress(self, data_list):
        if data_list and data_list[0] is not None and data_list[1] is not None:
            wall_clock = datetime.combine(*data_list)
            # a year no zone can convert (or no database keeps) is refused before it is read in a zone
            if not EARLIEST_RECORDED.replace(tzinfo=None) <= wall_clock <= LATEST.replace(tzinfo=None):
                raise validate_recorded_moment.error()
            return wall_clock
        return super().compress(data_list)


class CallDeadlinesForm(forms.ModelForm):
    """A call's deadlines are read and shown in the call's own zone (`deadline_timezone`), also when the
    zone changes in the same save; the person's own zone plays no part."""

    deadline = WallClockSplitDateTimeField(
        label=Call._meta.get_field("deadline").verbose_name, widget=admin_widgets.AdminSplitDateTime
    )
    stage2_deadline = WallClockSplitDateTimeField(
        label=Call._meta.get_field("stage2_deadline").verbose_name,
        required=False,
        widget=admin_widgets.AdminSplitDateTime,
    )

    class Meta:
        model = Call
        fields = "__all__"  # noqa: DJ007 - the admin lays out the fields; this form only adds the zone

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone_name = self.instance.deadline_timezone if self.instance.pk else None
        for name in DEADLINE_FIELDS:
            value = getattr(self.instance, name, None)
            if zone_name and value is not None:
                # Naive and already in the funder's zone: the widget shows it as it is.
                self.initial[name] = value.astimezone(ZoneInfo(zone_name)).replace(tzinfo=None)
        zone_text = (
            _("Wall-clock time in the funder's time zone (%(zone)s).") % {"zone": zone_name}
            if zone_name
            else _("Wall-clock time in the funder's time zone (the field below).")
        )
        self.fields["deadline"].help_text = zone_text
        self.fields["stage2_deadline"].help_text = " ".join(
            [str(zone_text), str(_("Two-stage calls only; needed to invite proposals to stage 2."))]
        )

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("deadline_timezone")
        if zone_name not in known_time_zones():
            for name in DEADLINE_FIELDS:  # the zone's own error says what to fix
                cleaned.pop(name, None)
            return cleaned
        zone = ZoneInfo(zone_name)
        for name in DEADLINE_FIELDS:
            value = cleaned.get(name)
            if value is None:
                continue
            if value.tzinfo is not None:  # not typed in this form (e.g. set by code): keep the instant
                continue
            try:
                cleaned[name] = funder_moment(value, zone)
            except NonExistentTime:
                self.add_error(
                    name,
                    _("%(time)s does not exist in %(zone)s: the clocks skip it. Choose another time.")
                    % {"time": f"{value:%Y-%m-%d %H:%M}", "zone": zone_name},
                )
                cleaned.pop(name, None)
        return cleaned
