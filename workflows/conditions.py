"""Conditions of lifecycle transitions. Each is a callable that blocks the move and explains why.

`condition(proposal)` answers True/False for django-fsm; `condition.reason(proposal)` is the sentence
shown when it fails, so the same code blocks the move and explains it.
"""

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from grants_office.core.errors import Reason


class Condition:
    def __init__(self, code: str, check: Callable, explain: Callable):
        self.code = code
        self._check = check
        self._explain = explain
        self.__name__ = code

    def __call__(self, proposal) -> bool:
        return bool(self._check(proposal))

    def reason(self, proposal) -> Reason:
        return Reason(self.code, self._explain(proposal))


def _deadline_text(call) -> str:
    return call.deadline_display()


has_call = Condition(
    "no_call",
    lambda p: p.call_id is not None,
    lambda p: _("The proposal is not linked to a call."),
)

deadline_not_passed = Condition(
    "deadline_passed",
    lambda p: p.call_id is None or not p.call.deadline_passed(timezone.now()),
    lambda p: _("The call deadline passed at %(deadline)s.") % {"deadline": _deadline_text(p.call)},
)

deadline_passed = Condition(
    "deadline_not_passed",
    lambda p: p.call_id is not None and p.call.deadline_passed(timezone.now()),
    lambda p: _("The call deadline has not passed yet."),
)

two_stage_call = Condition(
    "single_stage_call",
    lambda p: p.call_id is not None and p.call.is_two_stage,
    lambda p: _("The call has a single stage."),
)

in_first_stage = Condition(
    "already_stage2",
    lambda p: p.stage == 1,
    lambda p: _("The proposal is already in stage 2."),
)


def _missing_document_kinds(proposal) -> list[str]:
    from workflows.documents_link import missing_required_kinds

    return missing_required_kinds(proposal)


required_documents_present = Condition(
    "missing_documents",
    lambda p: not _missing_document_kinds(p),
    lambda p: _("Ready needs: %(kinds)s.") % {"kinds": ", ".join(str(k) for k in _missing_document_kinds(p))},
)
