"""The audit trail's filters: one FilterSet for the office's page and the API. Dates are the union's days
(Europe/Istanbul), both ends included."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters

from privacy.tracked import tracked_models

OFFICE_ZONE = ZoneInfo(settings.TIME_ZONE)

ACTIONS = {
    "create": LogEntry.Action.CREATE,
    "update": LogEntry.Action.UPDATE,
    "delete": LogEntry.Action.DELETE,
    "access": LogEntry.Action.ACCESS,
}
ACTION_CHOICES = [
    ("create", pgettext_lazy("audit action", "created")),
    ("update", pgettext_lazy("audit action", "changed")),
    ("delete", pgettext_lazy("audit action", "deleted")),
    ("access", pgettext_lazy("audit action", "read")),
]


def model_key(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _model_choices():
    return sorted(
        ((model_key(model), str(model._meta.verbose_name).capitalize()) for model in tracked_models()),
        key=lambda choice: choice[1],
    )


def _start_of(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=OFFICE_ZONE)


class TrailFilter(filters.FilterSet):
    actor = filters.NumberFilter(field_name="actor_id", label=_("By person (user id)"))
    person = filters.CharFilter(method="by_person", label=_("By person"), max_length=150)
    about = filters.NumberFilter(method="about_person", label=_("About person (user id)"))
    model = filters.ChoiceFilter(choices=_model_choices, method="of_model", label=_("Kind of record"))
    object = filters.NumberFilter(field_name="object_id", label=_("Record (id)"))
    action = filters.ChoiceFilter(choices=ACTION_CHOICES, method="of_action", label=_("What happened"))
    since = filters.DateFilter(method="from_day", label=_("From"))
    until = filters.DateFilter(method="to_day", label=_("To"))

    class Meta:
        model = LogEntry
        fields: list[str] = []

    def by_person(self, queryset, name, value):
        """Entries made by anyone whose user name, name or e-mail holds the text."""
        text = value.strip()
        if not text:
            return queryset
        people = get_user_model().objects.filter(
            Q(username__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
            | Q(email__icontains=text)
        )
        return queryset.filter(actor__in=people.values("pk"))

    def about_person(self, queryset, name, value: int):
        """Entries whose record is the person's account (their sign-in data, groups and grants)."""
        return queryset.filter(
            content_type=ContentType.objects.get_for_model(get_user_model()), object_id=value
        )

    def of_model(self, queryset, name, value: str):
        app_label, model_name = value.split(".")
        return queryset.filter(content_type=ContentType.objects.get_by_natural_key(app_label, model_name))

    def of_action(self, queryset, name, value: str):
        return queryset.filter(action=ACTIONS[value])

    def from_day(self, queryset, name, value):
        return queryset.filter(timestamp__gte=_start_of(value))

    def to_day(self, queryset, name, value):
        return queryset.filter(timestamp__lt=_start_of(value + timedelta(days=1)))
