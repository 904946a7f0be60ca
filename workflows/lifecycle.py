"""Reading the proposal state machine: find a transition, check it, explain it, clean its data.

The machine itself is declared on `Proposal`; this module only asks it questions, so the API, the UI,
the admin and the diagram command all see the same lifecycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from grants_office.core.errors import Conflict, Invalid, NotFound, Reason
from grants_office.core.machine import blocking_reasons
from workflows.models import Proposal
from workflows.states import State
from workflows.transition_forms import FeedbackForm, TransitionForm


@dataclass
class Option:
    """A transition as one user sees it now: allowed, or blocked with reasons."""

    name: str
    label: str
    target: str
    allowed: bool
    reasons: list[Reason] = field(default_factory=list)
    form: type[TransitionForm] = TransitionForm


def all_transitions():
    """Every (name, source, target, transition) of the machine, declaration order."""
    return list(Proposal._meta.get_field("state").get_all_transitions(Proposal))


def decision_names() -> frozenset[str]:
    """The steps that record a funder's decision: those whose data is the decision and its date."""
    return frozenset(
        t.name
        for t in all_transitions()
        if t.custom.get("form") is not None and issubclass(t.custom["form"], FeedbackForm)
    )


def transitions_named(name: str) -> list:
    found = [t for t in all_transitions() if t.name == name]
    if not found:
        raise NotFound(_("There is no transition called %(name)s.") % {"name": name})
    return found


def _from_here(proposal: Proposal, name: str):
    for candidate in transitions_named(name):
        if candidate.source in (proposal.state, "*") or (
            candidate.source == "+" and proposal.state != candidate.target
        ):
            return candidate
    return None


def form_class(transition) -> type[TransitionForm]:
    return transition.custom.get("form") or TransitionForm


def check(proposal: Proposal, name: str, user, *, allow_system: bool = False):
    """The transition `name` if `user` may run it on `proposal` now; otherwise a Conflict that says why."""
    transitions_named(name)  # unknown name: NotFound
    transition = _from_here(proposal, name)
    state_label = State(proposal.state).label
    if transition is None:
        raise Conflict(
            _("This cannot be done while the proposal is %(state)s.") % {"state": state_label},
            reasons=[
                Reason("wrong_state", _("Not possible from the state %(state)s.") % {"state": state_label})
            ],
            code="transition_not_allowed",
        )
    if transition.custom.get("system") and not allow_system:
        raise Conflict(
            _("This step is done by the system, not by hand."),
            reasons=[Reason("system_only", _("This step happens automatically."))],
            code="transition_not_allowed",
        )
    if not transition.has_perm(proposal, user):
        raise Conflict(
            _("You may not do this."),
            reasons=[Reason("not_permitted", _("Your role does not allow this step."))],
            code="transition_not_allowed",
        )
    reasons = blocking_reasons(transition, proposal)
    if reasons:
        raise Conflict(_("This is blocked now."), reasons=reasons, code="transition_blocked")
    return transition


def clean(transition, proposal: Proposal, data: dict) -> dict:
    """The transition's data, validated; bad input raises Invalid with messages per field."""
    form = form_class(transition)(data=data, proposal=proposal)
    if not form.is_valid():
        raise Invalid(_("Invalid input."), fields={k: [str(m) for m in v] for k, v in form.errors.items()})
    return form.cleaned_data


def available(proposal: Proposal, user) -> list[Option]:
    """What this user may do now, and what is blocked and why. Steps of other roles are not listed."""
    options = []
    for transition in proposal.get_all_state_transitions():
        if transition.source not in (proposal.state, "*") or transition.custom.get("system"):
            continue
        if not transition.has_perm(proposal, user):
            continue
        reasons = blocking_reasons(transition, proposal)
        options.append(
            Option(
                name=transition.name,
                label=str(transition.custom["label"]),
                target=str(transition.target),
                allowed=not reasons,
                reasons=reasons,
                form=form_class(transition),
            )
        )
    return options
