"""Review rounds, their frozen rubric, reviewer assignments (a state machine of their own) and reviews.

A round copies the rubric when it opens, so later edits of the call's rubric never change how a round
already under way is scored; it also fixes the document versions the reviewers read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from grants_office.calls.models import Criterion, DisagreementRule
from grants_office.core.machine import logged_transition
from workflows.review import permissions as can
from workflows.states import AssignmentState

__all__ = [
    "Recommendation",
    "Review",
    "ReviewAssignment",
    "ReviewRound",
    "ReviewScore",
    "RoundCriterion",
]


class ReviewRoundQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class ReviewRound(models.Model):
    proposal = models.ForeignKey(
        "workflows.Proposal",
        on_delete=models.PROTECT,
        related_name="review_rounds",
        verbose_name=_("proposal"),
    )
    number = models.PositiveSmallIntegerField(_("round"))
    due_at = models.DateTimeField(_("reviews due"))
    rubric_name = models.CharField(_("rubric"), max_length=200)
    overall_threshold = models.DecimalField(
        _("overall threshold"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    # Copied from the rubric with its criteria, so a later edit never changes a round under way.
    disagreement_rule = models.CharField(
        _("disagreement rule"),
        max_length=20,
        choices=DisagreementRule.choices,
        default=DisagreementRule.PER_CRITERION,
    )
    disagreement_gap = models.DecimalField(
        _("disagreement gap"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    due_after_deadline = models.BooleanField(
        _("due after the call deadline"),
        default=False,
        help_text=_("The office confirmed a due date after the call deadline."),
    )
    versions = models.ManyToManyField(
        "documents.DocumentVersion",
        blank=True,
        related_name="review_rounds",
        verbose_name=_("document versions under review"),
    )
    feedback = models.TextField(_("feedback shared with the team"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = ReviewRoundQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "-number"]
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="unique_review_round_number"),
            models.UniqueConstraint(
                fields=["proposal"], condition=Q(closed_at__isnull=True), name="one_open_review_round"
            ),
        ]

    def __str__(self):
        return _("%(proposal)s – review round %(number)s") % {
            "proposal": self.proposal,
            "number": self.number,
        }

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class RoundCriterion(models.Model):
    """A criterion of the rubric as it was when the round opened."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    scale_min = models.DecimalField(_("lowest score"), max_digits=6, decimal_places=2)
    scale_max = models.DecimalField(_("highest score"), max_digits=6, decimal_places=2)
    step = models.DecimalField(_("step"), max_digits=6, decimal_places=2)
    threshold = models.DecimalField(_("threshold"), max_digits=6, decimal_places=2, null=True, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)

    # Same fields, same rule: one validation for the call's rubric and the round's copy.
    score_error = Criterion.score_error

    class Meta:
        ordering = ["round", "position", "id"]
        verbose_name = _("round criterion")
        verbose_name_plural = _("round criteria")
        constraints = [models.UniqueConstraint(fields=["round", "code"], name="unique_round_criterion_code")]

    def __str__(self):
        return self.title


class ReviewAssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state__in=AssignmentState.ACTIVE)


class ReviewAssignment(ConcurrentTransitionMixin, models.Model):
    round = models.ForeignKey(
        ReviewRound, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("review round")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("reviewer"),
    )
    state = FSMField(
        _("state"), default=AssignmentState.INVITED, choices=AssignmentState.choices, protected=True
    )
    due_at = models.DateTimeField(_("due"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    declaration = models.TextField(_("conflict-of-interest declaration"), blank=True)
    declared_no_conflict = models.BooleanField(_("declared no conflict of interest"), default=False)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)

    objects = ReviewAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["round", "id"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        indexes = [
            models.Index(fields=["reviewer", "state"]),
            # Each expert's open workload, counted for every expert of the pool when suggestions are
            # ranked: read from the index alone, not from the assignments' rows (issue 18).
            models.Index(
                fields=["reviewer", "id"],
                condition=Q(state__in=list(AssignmentState.AWAITING)),
                name="assignment_awaiting_reviewer",
            ),
        ]
        constraints = [
            # A reviewer holds one live place per round; a declined or withdrawn one may be invited again.
            models.UniqueConstraint(
                fields=["round", "reviewer"],
                condition=Q(state__in=["invited", "accepted", "submitted"]),
                name="one_active_assignment_per_reviewer",
            ),
            models.CheckConstraint(
                condition=Q(declared_no_conflict=False) | Q(declared_at__isnull=False),
                name="declaration_has_a_time",
            ),
        ]

    def __str__(self):
        return f"{self.reviewer} – {self.round}"

    @property
    def proposal(self):
        return self.round.proposal

    @property
    def is_open(self) -> bool:
        return self.state in AssignmentState.AWAITING

    @logged_transition(
        source=AssignmentState.INVITED,
        target=AssignmentState.ACCEPTED,
        permission=can.invited_reviewer,
        label=_("Accept"),
    )
    def accept(self, *, by=None, description=None, declaration, no_conflict):
        """The reviewer takes it on, declaring no conflict of interest; the time is kept with it."""
        self.declaration = declaration
        self.declared_no_conflict = no_conflict
        self.declared_at = timezone.now()

    @logged_transition(
        source=AssignmentState.INVITED,
        target=AssignmentState.DECLINED,
        permission=can.invited_reviewer,
        label=_("Decline"),
    )
    def decline(self, *, by=None, description=None):
        """The reviewer says no; access to the proposal goes with it (done by the service)."""

    @logged_transition(
        source=AssignmentState.AWAITING,
        target=AssignmentState.WITHDRAWN,
        permission=can.office,
        label=_("Withdraw"),
    )
    def withdraw(self, *, by=None, description=None):
        """The office takes the assignment back."""

    @logged_transition(
        source=AssignmentState.ACCEPTED,
        target=AssignmentState.SUBMITTED,
        permission=can.invited_reviewer,
        label=_("Submit review"),
        system=True,
    )
    def submit(self, *, by=None, description=None):
        """Reached by submitting the review, never on its own."""


class Recommendation(models.TextChoices):
    READY = "ready_to_submit", _("Ready to submit")
    REVISE = "revise", _("Revise before submitting")
    DO_NOT_SUBMIT = "do_not_submit", _("Do not submit")


class Review(models.Model):
    """One reviewer's scores and recommendation; a draft until submitted, then never changed."""

    assignment = models.OneToOneField(ReviewAssignment, on_delete=models.PROTECT, related_name="review")
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    comment = models.TextField(_("overall comment"), blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["assignment"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self):
        return str(self.assignment)

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RoundCriterion, on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["review", "criterion__position", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"
