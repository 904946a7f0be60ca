"""The proposals' sorted copies of their deadlines (`Proposal.sort_deadline`, `sort_call_deadline`),
kept equal to what `Proposal.deadline` and the call say when a call's deadlines change.

`Proposal.save` sets them from the proposal's own call; a call edited anywhere (the admin, an import,
the API) is saved, and then its proposals' copies are rewritten in one UPDATE here. The copy is not an
edit of the proposal: neither its version nor `updated_at` change.
"""

from django.db.models import DateTimeField, Value
from django.db.models.signals import post_save

from grants_office.calls.models import Call
from workflows.models import Proposal, deadline_choice


def refresh_for_call(call: Call) -> int:
    """Every proposal of `call` (deleted ones too: restoring one must not bring back an old copy)."""
    stage2, deadline = (
        Value(moment, output_field=DateTimeField()) for moment in (call.stage2_deadline, call.deadline)
    )
    return Proposal.objects.filter(call=call).update(
        sort_deadline=deadline_choice(stage2, deadline), sort_call_deadline=deadline
    )


def _call_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:  # a new call has no proposals yet; fixtures load rows as they are
        refresh_for_call(instance)


def connect() -> None:
    post_save.connect(_call_saved, sender=Call, dispatch_uid="workflows.deadlines.call_saved")
