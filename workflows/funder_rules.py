"""The funder's rules on a proposal: the call's money rules and who may lead.

One implementation answers both questions: the services turn the problems into a 400 with `fields` on
create and edit, and the lifecycle conditions into 409 reasons at sign-off and submission, so the two
can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

# The codes each check may answer with (also the 409 reason codes of the lifecycle conditions).
OUTSIDE_GRANT_RANGE = "requested_outside_grant_range"
ABOVE_COFINANCING = "requested_above_cofinancing"
CURRENCY_MISMATCH = "currency_mismatch"
NO_REQUESTED_AMOUNT = "no_requested_amount"
NO_TOTAL_BUDGET = "no_total_budget"
LEAD_NOT_MEMBER = "lead_not_member"


@dataclass(frozen=True)
class Problem:
    """A broken rule: the field to fix, a stable code and the sentence that states the limit."""

    field: str
    code: str
    message: str


def amount_text(value: Decimal) -> str:
    """An amount in the active language: 100.000 in Turkish, 100,000 in English; cents only if any."""
    return floatformat(value, "-2g")


def _grant_range_text(call) -> str:
    values = {
        "min": amount_text(call.grant_min) if call.grant_min is not None else "",
        "max": amount_text(call.grant_max) if call.grant_max is not None else "",
        "currency": call.currency,
    }
    if call.grant_min is not None and call.grant_max is not None:
        return _("The call grants between %(min)s and %(max)s %(currency)s.") % values
    if call.grant_max is not None:
        return _("The call grants at most %(max)s %(currency)s.") % values
    return _("The call grants at least %(min)s %(currency)s.") % values


def _cofinancing_text(call, total) -> str:
    limit = (total * call.cofinancing_rate / 100).quantize(Decimal("0.01"))
    return _("The call pays at most %(rate)s%% of the total budget: %(limit)s %(currency)s of %(total)s.") % {
        "rate": amount_text(call.cofinancing_rate),
        "limit": amount_text(limit),
        "total": amount_text(total),
        "currency": call.currency,
    }


def money_problems(call, *, requested, total, currency, complete: bool = False) -> list[Problem]:
    """What breaks the call's grant range, co-financing rate and currency; [] without a call.

    Amounts may be missing while a proposal is shaped; `complete` (sign-off and submission) requires
    the amounts that the call's rules need: the requested amount for a grant range or a co-financing
    rate, and the total budget as well for a co-financing rate.
    """
    if call is None:
        return []
    requested = None if requested is None else Decimal(requested)
    total = None if total is None else Decimal(total)
    has_range = call.grant_min is not None or call.grant_max is not None
    problems = []
    if currency != call.currency:
        problems.append(
            Problem(
                "currency",
                CURRENCY_MISMATCH,
                _("The call grants in %(currency)s.") % {"currency": call.currency},
            )
        )
    if requested is None:
        if complete and (has_range or call.cofinancing_rate is not None):
            message = _grant_range_text(call) if has_range else ""
            problems.append(
                Problem(
                    "requested_amount",
                    NO_REQUESTED_AMOUNT,
                    " ".join(filter(None, [_("The requested amount is missing."), message])),
                )
            )
        return problems
    # The range is in the call's currency: with another currency only the currency is worth saying.
    below = call.grant_min is not None and requested < call.grant_min
    above = call.grant_max is not None and requested > call.grant_max
    if currency == call.currency and (below or above):
        problems.append(Problem("requested_amount", OUTSIDE_GRANT_RANGE, _grant_range_text(call)))
    if call.cofinancing_rate is not None:
        if total is None:
            if complete:
                problems.append(
                    Problem(
                        "total_budget",
                        NO_TOTAL_BUDGET,
                        _("The total budget is missing: the call co-finances %(rate)s%% of it.")
                        % {"rate": amount_text(call.cofinancing_rate)},
                    )
                )
        elif requested * 100 > total * call.cofinancing_rate:
            problems.append(Problem("requested_amount", ABOVE_COFINANCING, _cofinancing_text(call, total)))
    return problems


def proposal_money_problems(proposal) -> list[Problem]:
    """The money rules on a proposal as it stands, complete: what sign-off and submission check."""
    return money_problems(
        proposal.call,
        requested=proposal.requested_amount,
        total=proposal.total_budget,
        currency=proposal.currency,
        complete=True,
    )


def lead_problem(lead, *, exception_recorded: bool) -> Problem | None:
    """Only a member municipality leads, unless the office recorded an exception for this proposal."""
    if lead.is_member or exception_recorded:
        return None
    return Problem(
        "lead",
        LEAD_NOT_MEMBER,
        _(
            "%(name)s is not a member of the union (%(status)s): only members lead a proposal, unless "
            "the office records an exception."
        )
        % {"name": lead.name, "status": lead.get_membership_status_display()},
    )


def as_fields(problems: list[Problem]) -> dict[str, list[str]]:
    """Problems as the `fields` of a 400."""
    fields: dict[str, list[str]] = {}
    for problem in problems:
        fields.setdefault(problem.field, []).append(problem.message)
    return fields
