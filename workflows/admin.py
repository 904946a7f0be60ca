from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from grants_office.core import concurrency
from grants_office.core.errors import DomainError, PreconditionFailed
from workflows import funder_rules, services
from workflows.models import Consultation, Proposal, ProposalPartner, Submission


class PartnerInline(admin.TabularInline):
    model = ProposalPartner
    extra = 0
    autocomplete_fields = ["municipality", "organisation"]


class SubmissionInline(admin.TabularInline):
    model = Submission
    extra = 0
    can_delete = False
    readonly_fields = ["stage", "funder_reference", "submitted_at", "note", "recorded_by", "recorded_at"]

    def has_add_permission(self, request, obj=None):
        return False


class ProposalAdminForm(forms.ModelForm):
    """The funder's rules hold here too, checked as the edit service does (on what the edit changes);
    and like the API and the pages, the form saves only over the version it showed."""

    seen_version = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Proposal
        fields = "__all__"  # noqa: DJ007 - the admin decides which fields show

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault(concurrency.FORM_FIELD, services.proposal_tag(self.instance))

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # The admin saves inside its own transaction: the row stays locked until the save commits.
            try:
                locked = services.lock_for_edit(
                    self.instance, concurrency.from_form(cleaned.get(concurrency.FORM_FIELD))
                )
            except PreconditionFailed as error:
                # shown again with what was typed and the version loaded now: saving again is deliberate
                self.data = self.data.copy()
                self.data[concurrency.FORM_FIELD] = services.proposal_tag(self.instance)
                raise forms.ValidationError(error.message, code=error.code) from error
            self.instance.version = locked.version  # the save counts on from the stored version
        problems = []
        if services.MONEY_FIELDS & set(self.changed_data):
            problems += funder_rules.money_problems(
                cleaned.get("call"),
                requested=cleaned.get("requested_amount"),
                total=cleaned.get("total_budget"),
                currency=cleaned.get("currency"),
            )
        if cleaned.get("lead") and "lead" in self.changed_data:
            recorded = self.instance.lead_exception_at is not None
            problems += funder_rules.lead_problems(
                cleaned.get("call"), cleaned["lead"], exception_recorded=recorded
            )
        for problem in problems:
            self.add_error(problem.field if problem.field in self.fields else None, problem.message)
        return cleaned


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """The state is never edited here: actions go through the lifecycle service like everywhere else."""

    form = ProposalAdminForm

    list_display = ["title", "acronym", "lead", "call", "state", "stage", "coordinator", "updated_at"]
    list_filter = ["state", "stage", "call__programme"]
    search_fields = ["title", "acronym", "lead__name"]
    list_select_related = ["lead", "call", "coordinator"]
    autocomplete_fields = ["lead", "call", "coordinator", "reused_from"]
    # the lead exception is recorded (and logged) through services.record_lead_exception only
    readonly_fields = [
        "state",
        "stage",
        "created_by",
        "created_at",
        "updated_at",
        "deleted_at",
        "lead_exception_reason",
        "lead_exception_by",
        "lead_exception_at",
    ]
    inlines = [PartnerInline, SubmissionInline]
    actions = ["start_consultation", "mark_ready", "reopen"]

    def _run(self, request, queryset, name):
        done = 0
        for proposal in queryset:
            try:
                services.perform_transition(proposal, name, request.user)
                done += 1
            except DomainError as error:
                reasons = "; ".join(str(r.message) for r in getattr(error, "reasons", [])) or error.message
                self.message_user(request, f"{proposal}: {reasons}", messages.WARNING)
        if done:
            self.message_user(
                request,
                ngettext("%(count)d proposal moved.", "%(count)d proposals moved.", done) % {"count": done},
            )

    @admin.action(description=_("Start consultation"))
    def start_consultation(self, request, queryset):
        self._run(request, queryset, "start_consultation")

    @admin.action(description=_("Mark ready"))
    def mark_ready(self, request, queryset):
        self._run(request, queryset, "mark_ready")

    @admin.action(description=_("Reopen for drafting"))
    def reopen(self, request, queryset):
        self._run(request, queryset, "reopen")


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["proposal", "held_at", "created_by"]
    list_select_related = ["proposal", "created_by"]
    autocomplete_fields = ["proposal"]
    filter_horizontal = ["office_experts", "team_participants"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["proposal", "funder_reference", "submitted_at", "stage", "recorded_by"]
    list_select_related = ["proposal", "recorded_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Expert review and discussion register their own admin pages.
from workflows.discussion import admin as _discussion_admin  # noqa: E402,F401
from workflows.review import admin as _review_admin  # noqa: E402,F401
