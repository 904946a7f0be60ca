"""The one shape every transition of our state machines takes (proposals, review assignments, events).

Who may run it is a predicate of `permissions.py`, `(user, obj) -> bool` like every predicate there;
django-fsm asks `(instance, user)`, so the declaration adapts it and keeps the predicate itself in
`custom["permission"]` for the tools that read the machine. Each run is logged with its actor and
comment (django-fsm-log).
"""

from collections.abc import Callable

from django_fsm import transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from grants_office.core.errors import Reason


def logged_transition(*, source, target, permission, label, form=None, conditions=(), system=False):
    def asked_by_fsm(instance, user):
        return permission(user, instance)

    def decorate(method):
        method = transition(
            field="state",
            source=source,
            target=target,
            permission=asked_by_fsm,
            conditions=list(conditions),
            custom={"label": label, "form": form, "system": system, "permission": permission},
        )(method)
        # Outside the transition, so the log written on post_transition sees the actor and comment.
        return fsm_log_by(fsm_log_description(method))

    return decorate


class Condition:
    """A condition of a transition: `condition(obj)` answers django-fsm, `condition.reason(obj)` is the
    sentence shown when it fails, so the same code blocks the move and explains it."""

    def __init__(self, code: str, check: Callable, explain: Callable):
        self.code = code
        self._check = check
        self._explain = explain
        self.__name__ = code

    def __call__(self, obj) -> bool:
        return bool(self._check(obj))

    def reason(self, obj) -> Reason:
        return Reason(self.code, self._explain(obj))


def blocking_reasons(transition, obj) -> list[Reason]:
    """Why the transition's conditions block it on `obj` now (empty: they allow it)."""
    return [condition.reason(obj) for condition in transition.conditions if not condition(obj)]
