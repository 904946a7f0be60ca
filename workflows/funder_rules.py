"""The funder's rules on a proposal: the call's money rules, who may lead and who may partner.

One implementation answers both questions: the services turn the problems into a 400 with `fields` on
create and edit, and the lifecycle conditions into 409 reasons at sign-off and submission, so the two
can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import prefetch_related_objects
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from grants_office.members import eligibility

# The codes each check may answer with (also the 409 reason codes of the lifecycle conditions).
OUTSIDE_GRANT_RANGE = "requested_outside_grant_range"
ABOVE_COFINANCING = "requested_above_cofinancing"
CURRENCY_MISMATCH = "currency_mismatch"
NO_REQUESTED_AMOUNT = "no_requested_amount"
NO_TOTAL_BUDGET = "no_total_budget"
LEAD_NOT_MEMBER = eligibility.LEAD_NOT_MEMBER  # one code for the rule, wherever it is checked


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


def _not_member(lead) -> Problem:
    return Problem(
        "lead",
        LEAD_NOT_MEMBER,
        _(
            "%(name)s is not a member of the union (%(status)s): only members lead a proposal, unless "
            "the office records an exception."
        )
        % {"name": lead.name, "status": lead.get_membership_status_display()},
    )


def lead_problems(call, lead, *, exception_recorded: bool) -> list[Problem]:
    """Who may lead: the call's eligibility (`grants_office.members.eligibility`: provinces, kinds,
    population and whether only members lead). The office's exception waives membership only: the
    funder's own rules are not the office's to waive."""
    problems = []
    for rule in eligibility.lead_problems(call, lead):
        if rule.code == LEAD_NOT_MEMBER:
            if not exception_recorded:
                problems.append(_not_member(lead))
        else:
            problems.append(Problem("lead", rule.code, f"{lead.name}: {rule.message}"))
    return problems


def lead_problem(call, lead, code: str, *, exception_recorded: bool) -> Problem | None:
    """The lead's problem with one code, or None (what one lifecycle condition asks)."""
    return next(
        (p for p in lead_problems(call, lead, exception_recorded=exception_recorded) if p.code == code), None
    )


def consortium_problems(proposal) -> list[Problem]:
    """What the proposal's partners miss of the call's rules (kinds, countries, the minimum consortium).
    Without rules nothing is read: the partners are asked only when the call has rules."""
    if proposal.call_id is None or eligibility.rules_of(proposal.call) is None:
        return []
    # reuses the partners a selector prefetched (pages); a locked row reads them here
    prefetch_related_objects([proposal], "partners__municipality", "partners__organisation")
    parties = [partner.party for partner in proposal.partners.all()]
    return [
        Problem("partners", rule.code, rule.message)
        for rule in eligibility.consortium_problems(proposal.call, parties)
    ]


def partner_problems(call, parties: list) -> list[Problem]:
    """The partners the call does not admit (country, kind): the 400 on create and edit. The minimum
    consortium is not asked here: partners are found while the proposal is shaped (`mark_ready`)."""
    return [
        Problem("partners", rule.code, rule.message)
        for party in parties
        for rule in eligibility.partner_problems(call, party)
    ]


def as_fields(problems: list[Problem]) -> dict[str, list[str]]:
    """Problems as the `fields` of a 400."""
    fields: dict[str, list[str]] = {}
    for problem in problems:
        fields.setdefault(problem.field, []).append(problem.message)
    return fields
