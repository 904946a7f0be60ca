"""Reading the event machine: check a step for a person, list what they may do now (with the reasons
for what is blocked), and the log. The machine itself is declared on `Event`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog

from events.models import Event
from events.states import EventState
from grants_office.core.errors import Conflict, NotFound, Reason
from grants_office.core.machine import blocking_reasons


@dataclass
class Option:
    name: str
    label: str
    target: str
    allowed: bool
    reasons: list[Reason] = field(default_factory=list)


def _transitions():
    return list(Event._meta.get_field("state").get_all_transitions(Event))


def _named(name: str) -> list:
    found = [t for t in _transitions() if t.name == name]
    if not found:
        raise NotFound(_("There is no step called %(name)s.") % {"name": name})
    return found


def _from(event: Event, transition) -> bool:
    sources = transition.source if isinstance(transition.source, list | tuple) else [transition.source]
    return event.state in sources or "*" in sources


def check(event: Event, name: str, user):
    """The transition `name` if `user` may run it on the event now; a Conflict that says why otherwise."""
    transition = next((t for t in _named(name) if _from(event, t)), None)
    label = EventState(event.state).label
    if transition is None:
        raise Conflict(
            _("This cannot be done while the event is %(state)s.") % {"state": label},
            reasons=[Reason("wrong_state", _("Not possible from the state %(state)s.") % {"state": label})],
            code="transition_not_allowed",
        )
    if not transition.has_perm(event, user):
        raise Conflict(
            _("You may not do this."),
            reasons=[Reason("not_permitted", _("Only the office runs events."))],
            code="transition_not_allowed",
        )
    reasons = blocking_reasons(transition, event)
    if reasons:
        raise Conflict(_("This is blocked now."), reasons=reasons, code="transition_blocked")
    return transition


def available(event: Event, user) -> list[Option]:
    """The steps this person may take from here, each allowed or blocked with its reasons."""
    options = []
    for transition in _transitions():
        if not _from(event, transition) or not transition.has_perm(event, user):
            continue
        reasons = blocking_reasons(transition, event)
        options.append(
            Option(
                name=transition.name,
                label=str(transition.custom["label"]),
                target=str(transition.target),
                allowed=not reasons,
                reasons=reasons,
            )
        )
    return options


def history(event: Event):
    """The event's moves, oldest first: who, when, from, to, the comment."""
    return StateLog.objects.for_(event).select_related("by").order_by("timestamp", "id")
