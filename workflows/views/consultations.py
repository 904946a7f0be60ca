"""Consultations on the proposal page: the office schedules (or records) a meeting with the team.

Thin: the list comes from `selectors.consultations`, the write is `services.schedule_consultation`
(which decides who may and in which states). The section answers htmx in place: 400 with the form's
errors, 409 with the reason; a browser without JavaScript gets a redirect or a page of its own.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from grants_office.core.pages import perform
from grants_office.core.people import display_name
from workflows import sections, selectors, services

User = get_user_model()


class PeopleField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return display_name(obj)


class MeetingField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # The day in the meeting's own zone: the one its invitation named.
        day = timezone.localtime(obj.starts_at, ZoneInfo(obj.time_zone))
        return f"{obj.title} – {day:%Y-%m-%d}"


class ConsultationForm(forms.Form):
    event = MeetingField(
        label=gettext_lazy("Held at the programme meeting"),
        queryset=services.programme_meetings(),
        required=False,
        help_text=gettext_lazy(
            "A meeting with the experts of a grant programme where several proposals are discussed."
        ),
    )
    held_at = forms.DateTimeField(
        label=gettext_lazy("Date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    office_experts = PeopleField(
        label=gettext_lazy("Office and experts"), queryset=User.objects.none(), required=False
    )
    team_participants = PeopleField(
        label=gettext_lazy("Team members"), queryset=User.objects.none(), required=False
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The agenda of a planned meeting, or what was discussed."),
    )
    agreed_actions = forms.CharField(
        label=gettext_lazy("Agreed actions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, proposal, **kwargs):
        kwargs.setdefault("auto_id", "id_consultation_%s")
        super().__init__(*args, **kwargs)
        self.fields["held_at"].help_text = _(
            "In your time zone (%(zone)s). A time ahead plans the meeting; a past one records it. "
            "Empty at a programme meeting: its start."
        ) % {"zone": timezone.get_current_timezone_name()}
        self.fields["office_experts"].queryset = selectors.consultation_office_people()
        self.fields["team_participants"].queryset = selectors.consultation_team_people(proposal)


def section_context(request, proposal, *, form=None, problem=None, notice: str = "") -> dict:
    """The form of the consultations section for those who may schedule one now (the list itself is
    the page's `consultations`)."""
    may_schedule = services.consultation_blocked(proposal, request.user) is None
    if may_schedule and form is None:
        form = ConsultationForm(proposal=proposal)
    return {
        "consultation_section": {
            "proposal": proposal,
            "form": form if may_schedule else None,
            "problem": problem,
            "notice": notice,
            "now": timezone.now(),
        }
    }


def _answer(request, proposal, *, status=200, **kwargs):
    context = {
        "consultations": list(selectors.consultations(proposal)),
        **section_context(request, proposal, **kwargs),
    }
    return sections.answer(
        request,
        proposal,
        context,
        status=status,
        section_template="workflows/consultations/section.html",
        page_template="workflows/consultations/page.html",
        anchor="consultations",
    )


@login_required
@require_POST
def schedule(request, pk):
    """The office schedules a consultation (or records one that was held) on the proposal."""
    proposal = sections.visible_proposal(request, pk)
    blocked = services.consultation_blocked(proposal, request.user)
    if blocked is not None:
        return _answer(request, proposal, status=409, problem=blocked)
    form = ConsultationForm(request.POST, proposal=proposal)
    if not form.is_valid():
        return _answer(request, proposal, status=400, form=form)
    outcome = perform(form, services.schedule_consultation, proposal, request.user, **form.cleaned_data)
    if not outcome.ok:
        bound = form if outcome.status == 400 else None  # a refusal (409) offers a fresh form, as before
        return _answer(request, proposal, status=outcome.status, form=bound, problem=outcome.problem)
    consultation = outcome.result
    held_at = timezone.localtime(consultation.held_at)
    notice = _("The consultation of %(when)s is recorded.") % {"when": f"{held_at:%Y-%m-%d %H:%M}"}
    if not request.htmx:
        messages.success(request, notice)
    return _answer(request, proposal, notice=notice)
