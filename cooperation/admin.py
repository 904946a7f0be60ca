"""The admin of cooperation's records."""

from django import forms
from django.contrib import admin

from cooperation.models import Cooperation, PartnerProfile, PartnerRequest, PartnerResponse
from cooperation.services.agreements import parties_problem
from cooperation.services.profiles import clean_languages
from documents.models import DocumentSet

# -- partners --


class PartnerProfileForm(forms.ModelForm):
    class Meta:
        model = PartnerProfile
        fields = [
            "municipality",
            "organisation",
            "pic",
            "languages",
            "themes",
            "priorities",
            "description",
            "contact_name",
            "contact_email",
        ]

    def clean_languages(self):
        codes, problems = clean_languages(self.cleaned_data["languages"] or [])
        if problems:
            raise forms.ValidationError(problems)
        return codes


@admin.register(PartnerProfile)
class PartnerProfileAdmin(admin.ModelAdmin):
    """The office's view of every profile; saving rebuilds the search document (the receivers)."""

    form = PartnerProfileForm
    list_display = ["__str__", "pic", "contact_name", "updated_at"]
    list_select_related = ["municipality", "organisation"]
    search_fields = ["municipality__name", "organisation__name", "pic"]
    list_filter = ["themes", "organisation__kind", "organisation__country"]
    raw_id_fields = ["municipality", "organisation"]
    filter_horizontal = ["themes"]
    readonly_fields = ["search_document", "updated_at"]


# -- partner requests and cooperations --


class PartnerResponseInline(admin.TabularInline):
    model = PartnerResponse
    extra = 0
    fields = ["municipality", "organisation", "responder", "state", "created_at", "decided_at"]
    readonly_fields = fields  # answers change through the services (accepting adds the partner)
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PartnerRequest)
class PartnerRequestAdmin(admin.ModelAdmin):
    """The office reads requests and their answers; the state moves only through the services."""

    list_display = ["title", "municipality", "call", "role_wanted", "answer_by", "state"]
    list_select_related = ["municipality", "call"]
    list_filter = ["state", "role_wanted"]
    search_fields = ["title", "municipality__name", "call__reference"]
    raw_id_fields = ["municipality", "proposal", "call", "created_by"]
    filter_horizontal = ["themes"]
    readonly_fields = ["state", "created_by", "created_at", "closed_at"]
    inlines = [PartnerResponseInline]


class CooperationAdminForm(forms.ModelForm):
    class Meta:
        model = Cooperation
        fields = [
            "kind",
            "title",
            "municipalities",
            "organisations",
            "union_wide",
            "signed_on",
            "ends_on",
            "scope",
        ]

    def clean(self):
        data = super().clean()
        problem = parties_problem(
            data.get("kind"),
            list(data.get("municipalities") or []),
            list(data.get("organisations") or []),
            bool(data.get("union_wide")),
        )
        if problem:
            raise forms.ValidationError(problem)
        return data


@admin.register(Cooperation)
class CooperationAdmin(admin.ModelAdmin):
    """The registry, also from the admin (the page's form and the API use the service)."""

    form = CooperationAdminForm
    list_display = ["title", "kind", "union_wide", "signed_on", "ends_on"]
    list_filter = ["kind", "union_wide"]
    search_fields = ["title", "municipalities__name", "organisations__name"]
    filter_horizontal = ["municipalities", "organisations"]

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        if obj.document_set_id is None:  # every record has a set for its signed texts
            obj.document_set = DocumentSet.objects.create(
                purpose=DocumentSet.Purpose.AGREEMENT, title=obj.title[:300], created_by=request.user
            )
        super().save_model(request, obj, form, change)
