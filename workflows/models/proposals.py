"""Proposals and what moves them: the lifecycle state machine and the partners.

Transition methods stay small: who may run them, their conditions and the data they need are declared
here and in `conditions.py` / `transition_forms.py`; `services.perform_transition` is the only caller.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from grants_office.calls.models import Call, Currency
from grants_office.core.machine import logged_transition
from grants_office.members.models import Municipality
from workflows import conditions
from workflows import permissions as can
from workflows import transition_forms as forms
from workflows.states import State


def deadline_expression(prefix: str = ""):
    """`Proposal.deadline` as a query expression (`prefix` e.g. "round__proposal__"): the two must agree."""
    return deadline_choice(
        models.F(f"{prefix}call__stage2_deadline"), models.F(f"{prefix}call__deadline"), prefix
    )


def deadline_choice(stage2, deadline, prefix: str = ""):
    """The stage-2 deadline in stage 2 (and once invited to it), else the call's: the rule of
    `Proposal.deadline`, for any two expressions (the call's columns, or a saved call's values)."""
    return models.Case(
        models.When(Q(**{f"{prefix}stage": 2}) | Q(**{f"{prefix}state__in": State.STAGE2}), then=stage2),
        default=deadline,
    )


SORT_KEYS = ("sort_deadline", "sort_call_deadline")


class ProposalQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def with_deadline(self):
        """Annotates `applicable_deadline`, the deadline that applies to each proposal (may be null)."""
        return self.annotate(applicable_deadline=deadline_expression())


class Proposal(ConcurrentTransitionMixin, models.Model):
    lead = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("lead municipality")
    )
    call = models.ForeignKey(
        Call,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("call"),
    )
    title = models.CharField(_("title"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    requested_amount = models.DecimalField(
        _("requested amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    total_budget = models.DecimalField(
        _("total budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_proposals",
        verbose_name=_("office coordinator"),
    )
    stage = models.PositiveSmallIntegerField(_("stage"), default=1)
    state = FSMField(_("state"), default=State.IDEA, choices=State.choices, protected=True, db_index=True)
    awarded_amount = models.DecimalField(
        _("awarded amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    funder_feedback = models.TextField(_("funder's feedback"), blank=True)
    # The moments the results count by (issue 13): the submission that counts, and the date of the
    # funder's decision as its letter states it (recorded with the decision, possibly after the fact).
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    decided_on = models.DateField(_("decided on"), null=True, blank=True, editable=False)
    # The office may let a lead that is not (or no longer) a member lead this one proposal; who, when
    # and why are kept with it.
    lead_exception_reason = models.TextField(_("reason for the lead exception"), blank=True)
    lead_exception_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead exception recorded by"),
    )
    lead_exception_at = models.DateTimeField(_("lead exception recorded at"), null=True, blank=True)
    reused_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reuses",
        verbose_name=_("reused from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # One more on every save of the row (`save` below): the API's ETag and the edit forms' hidden
    # version, so an edit of what someone changed meanwhile is refused instead of overwriting it.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, db_index=True)
    # Copies kept equal to `deadline` and the call's own deadline by `save` and, when a call's deadlines
    # change, by `workflows.deadlines`: the list's orderings by them read an index on this table
    # instead of sorting every proposal joined with its call (issue 18).
    sort_deadline = models.DateTimeField(null=True, editable=False)
    sort_call_deadline = models.DateTimeField(null=True, editable=False)
    document_set = models.OneToOneField(
        "documents.DocumentSet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("document set"),
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(fields=["lead", "state"]),
            models.Index(fields=["call", "state"]),
            models.Index(fields=["coordinator", "state"]),
            # Every proposal list's order over the live rows: the office's first page reads 25 index
            # entries instead of sorting 100,000 proposals (issue 8), and the page count stops early.
            models.Index(
                fields=["-updated_at", "-id"],
                condition=Q(deleted_at__isnull=True),
                name="proposal_live_list_order",
            ),
        ]
        constraints = [models.CheckConstraint(condition=Q(stage__in=[1, 2]), name="proposal_stage_1_or_2")]

    def __str__(self):
        return f"{self.acronym} – {self.title}" if self.acronym else self.title

    def save(self, *args, **kwargs):
        """Every write of a stored row is a new version. The services save only rows they locked
        (`select_for_update`), so counting up from the loaded value cannot repeat a version."""
        self.refresh_sort_keys()
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version", *SORT_KEYS}
        super().save(*args, **kwargs)

    def refresh_sort_keys(self) -> None:
        """The sorted copies of the deadlines, from the call as it is (`bulk_create` skips `save`)."""
        self.sort_deadline = self.deadline
        self.sort_call_deadline = self.call.deadline if self.call_id else None

    @property
    def latest_submission(self):
        """The submission that counts: the newest one recorded."""
        return self.submissions.order_by("-submitted_at", "-id").first()

    @property
    def is_open(self) -> bool:
        return self.state in State.OPEN

    # --- the deadline that applies (with `deadline_expression` for queries) --------------------------
    @property
    def works_to_stage2(self) -> bool:
        return self.stage == 2 or self.state in State.STAGE2

    @property
    def deadline(self):
        """The call's deadline, or in stage 2 (and once invited to it) the stage-2 deadline, which may be
        unset (then nothing is blocked or expired by a deadline); None without a call."""
        if self.call_id is None:
            return None
        return self.call.stage2_deadline if self.works_to_stage2 else self.call.deadline

    def deadline_display(self) -> str:
        """The applicable deadline as the funder states it, with its zone; empty when there is none."""
        deadline = self.deadline
        return self.call.in_funder_time(deadline) if deadline is not None else ""

    @property
    def deadline_timezone(self) -> str:
        return self.call.deadline_timezone if self.call_id else ""

    def deadline_passed(self, at=None) -> bool:
        deadline = self.deadline
        return deadline is not None and (at or timezone.now()) > deadline

    def _record_decision(self, funder_feedback: str, decided_on) -> None:
        """What the funder's letter says, and its date (today when not given)."""
        if funder_feedback:
            self.funder_feedback = funder_feedback
        self.decided_on = decided_on or timezone.localdate()

    # --- the lifecycle -------------------------------------------------------------------------------
    @logged_transition(
        source=State.IDEA, target=State.CONSULTATION, permission=can.office, label=_("Start consultation")
    )
    def start_consultation(self, *, by=None, description=None, **data):
        """The office has screened the idea and takes it into consultation."""

    @logged_transition(
        source=[State.IDEA, State.CONSULTATION],
        target=State.DROPPED,
        permission=can.office,
        label=_("Drop"),
        form=forms.ReasonForm,
    )
    def drop(self, *, by=None, description=None, reason):
        """The office decides not to pursue the idea; the reason goes into the log."""

    @logged_transition(
        source=State.CONSULTATION,
        target=State.DRAFTING,
        permission=can.office,
        label=_("Start drafting"),
        form=forms.StartDraftingForm,
    )
    def start_drafting(self, *, by=None, description=None, call):
        """Consultation agreed on a call: the team starts writing."""
        self.call = call

    @logged_transition(
        source=State.DRAFTING,
        target=State.IN_REVIEW,
        permission=can.office,
        label=_("Start expert review"),
        system=True,
    )
    def start_review(self, *, by=None, description=None, **data):
        """Moved by opening a review round, never directly."""

    @logged_transition(
        source=State.IN_REVIEW,
        target=State.DRAFTING,
        permission=can.office,
        label=_("End expert review"),
        system=True,
    )
    def end_review(self, *, by=None, description=None, **data):
        """Moved by closing the review round, never directly."""

    @logged_transition(
        source=State.DRAFTING,
        target=State.READY,
        permission=can.office,
        label=_("Mark ready"),
        conditions=[
            conditions.has_call,
            conditions.required_documents_present,
            conditions.deadline_not_passed,
            *conditions.FUNDER_RULES,
        ],
    )
    def mark_ready(self, *, by=None, description=None, **data):
        """The office signs the draft off for submission."""

    @logged_transition(
        source=State.READY,
        target=State.DRAFTING,
        permission=can.office_or_team_lead,
        label=_("Reopen for drafting"),
    )
    def reopen(self, *, by=None, description=None, **data):
        """Something must change after sign-off."""

    @logged_transition(
        source=State.READY,
        target=State.SUBMITTED,
        permission=can.office_or_team_lead,
        label=_("Record submission"),
        form=forms.SubmissionForm,
        conditions=[conditions.has_call, *conditions.FUNDER_RULES],
    )
    def submit(self, *, by=None, description=None, funder_reference, submitted_at, note=""):
        """The proposal went to the funder. It may be recorded after the fact; the recorded time must be no
        later than the deadline (checked with the data), as the funder portals close at the deadline."""
        self.submitted_at = submitted_at

    @logged_transition(
        source=State.SUBMITTED,
        target=State.SUBMITTED,
        permission=can.office_or_team_lead,
        label=_("Record resubmission"),
        form=forms.SubmissionForm,
        conditions=[conditions.has_call, conditions.deadline_not_passed],
    )
    def resubmit(self, *, by=None, description=None, funder_reference, submitted_at, note=""):
        """A newer submission before the deadline replaces the earlier one, as on the funder portals."""
        self.submitted_at = submitted_at

    @logged_transition(
        source=[State.SUBMITTED, State.RESERVE],
        target=State.AWARDED,
        permission=can.office,
        label=_("Record award"),
        form=forms.AwardForm,
    )
    def award(self, *, by=None, description=None, awarded_amount, funder_feedback="", decided_on=None):
        self.awarded_amount = awarded_amount
        self._record_decision(funder_feedback, decided_on)

    @logged_transition(
        source=State.SUBMITTED,
        target=State.RESERVE,
        permission=can.office,
        label=_("Record reserve list"),
        form=forms.FeedbackForm,
    )
    def put_on_reserve(self, *, by=None, description=None, funder_feedback="", decided_on=None):
        self._record_decision(funder_feedback, decided_on)

    @logged_transition(
        source=[State.SUBMITTED, State.RESERVE],
        target=State.REJECTED,
        permission=can.office,
        label=_("Record rejection"),
        form=forms.FeedbackForm,
    )
    def reject(self, *, by=None, description=None, funder_feedback="", decided_on=None):
        self._record_decision(funder_feedback, decided_on)

    @logged_transition(
        source=State.SUBMITTED,
        target=State.INELIGIBLE,
        permission=can.office,
        label=_("Record ineligibility"),
        form=forms.FeedbackForm,
    )
    def declare_ineligible(self, *, by=None, description=None, funder_feedback="", decided_on=None):
        self._record_decision(funder_feedback, decided_on)

    @logged_transition(
        source=State.SUBMITTED,
        target=State.INVITED_STAGE2,
        permission=can.office,
        label=_("Record invitation to stage 2"),
        form=forms.FeedbackForm,
        conditions=[
            conditions.two_stage_call,
            conditions.in_first_stage,
            conditions.has_stage2_deadline,
        ],
    )
    def invite_to_stage2(self, *, by=None, description=None, funder_feedback="", decided_on=None):
        self._record_decision(funder_feedback, decided_on)

    @logged_transition(
        source=State.INVITED_STAGE2,
        target=State.DRAFTING,
        permission=can.office_or_team_lead,
        label=_("Start drafting stage 2"),
    )
    def start_stage2(self, *, by=None, description=None, **data):
        self.stage = 2

    @logged_transition(
        source=State.OPEN,
        target=State.WITHDRAWN,
        permission=can.office_or_team_lead,
        label=_("Withdraw"),
        form=forms.ReasonForm,
    )
    def withdraw(self, *, by=None, description=None, reason):
        """The team or the office stops; the reason goes into the log."""

    @logged_transition(
        source=State.EXPIRABLE,
        target=State.EXPIRED,
        permission=can.system,
        label=_("Expire"),
        conditions=[conditions.deadline_passed],
        system=True,
    )
    def expire(self, *, by=None, description=None, **data):
        """Done by the system when the deadline that applies (stage 2: its own) passed without a
        submission."""
