"""Forms of the expert review pages. They only carry what people type: every rule (due dates in the
future, the declaration, scores on the criterion's scale and step) is checked by the services, whose
`Invalid` errors `add_service_errors` puts next to the field they concern."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grants_office.core import concurrency
from grants_office.core.filters import validate_recorded_moment
from workflows.review import due_dates
from workflows.review.models import Recommendation

User = get_user_model()

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


class ServiceErrorsMixin:
    """Put a service's `Invalid.fields` on the form: known fields next to the input, others on top."""

    service_field_names: dict[str, str] = {}

    def add_service_errors(self, error) -> None:
        for name, problems in (error.fields or {}).items():
            field = self.service_field_names.get(name, name)
            for problem in problems:
                self.add_error(field if field in self.fields else None, problem)
        if not error.fields:
            self.add_error(None, error.message)


class OpenRoundForm(ServiceErrorsMixin, forms.Form):
    due_at = forms.DateTimeField(
        label=_("Reviews due"),
        required=False,
        validators=[validate_recorded_moment],
        widget=_datetime_input(),
        help_text=_(
            "Leave empty for two weeks from now, or a few working days before the deadline when that "
            "comes sooner."
        ),
    )
    confirm_after_deadline = forms.BooleanField(
        label=_("Yes, the reviews may be due after the deadline"),
        required=False,
    )

    def __init__(self, *args, default_due_at=None, **kwargs):
        """`default_due_at`: what the service would choose (`due_dates.default_due_at`), shown to edit."""
        kwargs.setdefault("auto_id", "id_open_%s")
        super().__init__(*args, **kwargs)
        initial = default_due_at or timezone.now() + timedelta(days=due_dates.DEFAULT_REVIEW_DAYS)
        self.fields["due_at"].initial = timezone.localtime(initial)


class CloseRoundForm(ServiceErrorsMixin, forms.Form):
    feedback = forms.CharField(
        label=_("Feedback for the team"),
        required=False,  # the service says when it is missing, in its own words
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shared with the team together with the reviews, without the reviewers' names."),
    )

    def __init__(self, *args, review_round=None, **kwargs):
        prefix = f"id_close_{review_round.pk}_%s" if review_round is not None else "id_close_%s"
        kwargs.setdefault("auto_id", prefix)
        super().__init__(*args, **kwargs)


class AssignForm(ServiceErrorsMixin, forms.Form):
    """One suggested expert's "assign" button: the person and, optionally, a due date of their own."""

    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=User.objects.filter(is_active=True))
    due_at = forms.DateTimeField(
        label=_("Due"), required=False, widget=_datetime_input(), validators=[validate_recorded_moment]
    )


class AcceptForm(ServiceErrorsMixin, forms.Form):
    declaration = forms.CharField(
        label=_("Conflict-of-interest declaration"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "In your own words: you have no personal, professional or financial link with the lead "
            "municipality, its partners or the people who wrote the proposal."
        ),
    )
    no_conflict = forms.BooleanField(
        label=_(
            "I declare that I have no conflict of interest with this proposal and will keep it confidential."
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_accept_%s")
        super().__init__(*args, **kwargs)
        self.fields["declaration"].initial = _(
            "I have no link with the lead municipality, its partners or the authors of this proposal."
        )

    def service_data(self) -> dict:
        return {
            "declaration": self.data.get("declaration", ""),
            "no_conflict": self.data.get("no_conflict") in ("on", "true", "1"),
        }


class DeclineForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why you decline"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The office reads it when it looks for another reviewer."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_decline_%s")
        super().__init__(*args, **kwargs)


class WithdrawForm(forms.Form):
    comment = forms.CharField(label=_("Why the assignment is withdrawn"), required=False, max_length=4000)


def _number(value) -> str:
    return format(value.normalize(), "f") if value is not None else ""


def scale_text(criterion) -> str:
    """'From 0 to 5 in steps of 0.5; threshold 3.' – what a reviewer needs to know to score."""
    text = gettext("From %(min)s to %(max)s in steps of %(step)s.") % {
        "min": _number(criterion.scale_min),
        "max": _number(criterion.scale_max),
        "step": _number(criterion.step),
    }
    if criterion.threshold is not None:
        text += " " + gettext("Threshold: %(threshold)s.") % {"threshold": _number(criterion.threshold)}
    return text


class ReviewForm(ServiceErrorsMixin, forms.Form):
    """A score and a comment per criterion of the round, the recommendation and an overall comment.

    Scores stay text here: the service parses them and checks the scale and the step (one rule for the
    API and the page); the min/max/step attributes only help the browser's number input."""

    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        required=False,
        choices=[("", _("Not chosen yet")), *Recommendation.choices],
    )
    comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    # The draft's version when the page was rendered (`services.review_tag`): saving from a page that
    # another tab or window has saved since is refused, so neither silently overwrites the other.
    seen_version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, criteria, review=None, seen_version: str = "", **kwargs):
        kwargs.setdefault("auto_id", "id_review_%s")
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = seen_version
        self.criteria = list(criteria)
        scores = {s.criterion_id: s for s in review.scores.all()} if review is not None else {}
        self.service_field_names = {"recommendation": "recommendation"}
        for criterion in self.criteria:
            score_name, comment_name = f"score-{criterion.code}", f"comment-{criterion.code}"
            saved = scores.get(criterion.pk)
            self.fields[score_name] = forms.CharField(
                label=_("Score"),
                required=False,
                help_text=scale_text(criterion),
                initial=_number(saved.score) if saved and saved.score is not None else "",
                widget=forms.NumberInput(
                    attrs={
                        "min": _number(criterion.scale_min),
                        "max": _number(criterion.scale_max),
                        "step": _number(criterion.step),
                        "inputmode": "decimal",
                    }
                ),
            )
            self.fields[comment_name] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=20_000,
                initial=saved.comment if saved else "",
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.service_field_names[f"scores.{criterion.code}"] = score_name
        if review is not None:
            self.fields["recommendation"].initial = review.recommendation
            self.fields["comment"].initial = review.comment

    def rows(self) -> list[dict]:
        """What the template needs per criterion: the criterion and its two bound fields."""
        return [
            {
                "criterion": criterion,
                "score": self[f"score-{criterion.code}"],
                "comment": self[f"comment-{criterion.code}"],
            }
            for criterion in self.criteria
        ]

    def service_data(self) -> dict:
        """The raw values as the service takes them (it validates and parses)."""
        return {
            "scores": {
                c.code: {
                    "score": (self.data.get(f"score-{c.code}") or "").strip(),
                    "comment": self.data.get(f"comment-{c.code}", ""),
                }
                for c in self.criteria
            },
            "recommendation": self.data.get("recommendation", ""),
            "comment": self.data.get("comment", ""),
            "precondition": concurrency.from_form(self.data.get("seen_version")),
        }
