"""The data each transition needs, validated before anything changes (bad data → 400)."""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants_office.calls.models import Call
from grants_office.core.filters import validate_recorded_moment


class TransitionForm(forms.Form):
    """Every transition takes an optional comment for the log."""

    comment = forms.CharField(label=_("Comment"), required=False, max_length=4000, widget=forms.Textarea)

    def __init__(self, *args, proposal=None, **kwargs):
        self.proposal = proposal
        super().__init__(*args, **kwargs)


class ReasonForm(TransitionForm):
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea)


class StartDraftingForm(TransitionForm):
    call = forms.ModelChoiceField(label=_("Call"), queryset=Call.objects.all(), required=False)

    def clean_call(self):
        call = self.cleaned_data.get("call") or (self.proposal.call if self.proposal else None)
        if call is None:
            raise forms.ValidationError(_("Drafting needs a call."), code="required")
        if call.deadline_passed(timezone.now()):
            raise forms.ValidationError(
                _("The call deadline passed at %(deadline)s."),
                params={"deadline": call.deadline_display()},
                code="deadline_passed",
            )
        return call


class SubmissionForm(TransitionForm):
    funder_reference = forms.CharField(label=_("Funder's reference"), max_length=200)
    submitted_at = forms.DateTimeField(label=_("Submitted at"), validators=[validate_recorded_moment])
    note = forms.CharField(label=_("Receipt note"), required=False, max_length=4000, widget=forms.Textarea)

    def clean_submitted_at(self):
        submitted_at = self.cleaned_data["submitted_at"]
        if timezone.is_naive(submitted_at):
            submitted_at = timezone.make_aware(submitted_at)
        if submitted_at > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError(_("The submission time cannot be in the future."), code="future")
        deadline = self.proposal.deadline if self.proposal else None  # stage 2 has its own
        if deadline is not None and submitted_at > deadline:
            message = (
                _("The submission time is after the stage-2 deadline (%(deadline)s).")
                if self.proposal.works_to_stage2
                else _("The submission time is after the call deadline (%(deadline)s).")
            )
            raise forms.ValidationError(
                message, params={"deadline": self.proposal.deadline_display()}, code="after_deadline"
            )
        latest = self.proposal.latest_submission if self.proposal and self.proposal.pk else None
        if latest is not None and submitted_at < latest.submitted_at:
            # the newest submission is the one that counts: a resubmission cannot go back in time
            raise forms.ValidationError(
                _("A resubmission cannot be earlier than the submission it replaces (%(previous)s)."),
                params={"previous": self.proposal.call.in_funder_time(latest.submitted_at)},
                code="before_previous",
            )
        return submitted_at


class FeedbackForm(TransitionForm):
    """A funder's decision: its feedback and the date of its letter (today when left empty), which the
    results count by."""

    funder_feedback = forms.CharField(label=_("Funder's feedback"), required=False, widget=forms.Textarea)
    decided_on = forms.DateField(
        label=_("Date of the decision"),
        required=False,
        help_text=_("As the funder's letter states it; empty for today."),
    )

    def clean_decided_on(self):
        decided_on = self.cleaned_data.get("decided_on")
        if decided_on is None:
            return None
        if decided_on > timezone.localdate():
            raise forms.ValidationError(_("The decision date cannot be in the future."), code="future")
        submitted_at = self.proposal.submitted_at if self.proposal else None
        if submitted_at is not None and decided_on < timezone.localdate(submitted_at):
            raise forms.ValidationError(
                _("The decision cannot be earlier than the submission (%(submitted)s)."),
                params={"submitted": timezone.localdate(submitted_at).isoformat()},
                code="before_submission",
            )
        return decided_on


class AwardForm(FeedbackForm):
    awarded_amount = forms.DecimalField(
        label=_("Awarded amount"), max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    field_order = ["awarded_amount", "funder_feedback", "decided_on", "comment"]
