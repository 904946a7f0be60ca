"""The one shape every transition of the workflows' machines takes (proposals, review assignments).

Who may run it is a predicate of `permissions.py`, `(user, obj) -> bool` like every predicate there;
django-fsm asks `(instance, user)`, so the declaration adapts it and keeps the predicate itself in
`custom["permission"]` for the tools that read the machine. Each run is logged with its actor and
comment (django-fsm-log).
"""

from django_fsm import transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description


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
