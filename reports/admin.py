from django import forms
from django.contrib import admin

from grants_office.core.errors import Invalid
from reports import services
from reports.models import ExchangeRate


class ExchangeRateAdminForm(forms.ModelForm):
    class Meta:
        model = ExchangeRate
        fields = ["currency", "rate", "valid_on", "source"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                services.cleaned_rate(data["currency"], data["rate"], data["valid_on"], data["source"])
            except Invalid as error:
                for field, problems in error.fields.items():
                    self.add_error(field, problems)
        return data


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    form = ExchangeRateAdminForm
    list_display = ["currency", "rate", "valid_on", "source", "recorded_by", "recorded_at"]
    list_filter = ["currency"]
    search_fields = ["source"]
    date_hierarchy = "valid_on"
    list_select_related = ["recorded_by"]

    def has_change_permission(self, request, obj=None):
        # a rate is a record of what a source said on a day: record a new one rather than edit it
        return False

    def save_model(self, request, obj, form, change):
        """Recorded through the service, as on the rates page (who recorded it is kept)."""
        saved = services.record_exchange_rate(
            request.user, currency=obj.currency, rate=obj.rate, valid_on=obj.valid_on, source=obj.source
        )
        obj.pk, obj.recorded_by, obj.recorded_at = saved.pk, saved.recorded_by, saved.recorded_at
