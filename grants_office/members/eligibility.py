"""A call's structured eligibility, evaluated: who may lead, who may partner, the minimum consortium.

One implementation answers every question, so a list of eligible members, the 400 on creating a
proposal, the 409 at `mark_ready` and call watch can never disagree. Each broken rule is a `Rule` with a
stable code and the sentence that states it in the active language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from grants_office.members.models import EU_MEMBER_STATES, CallEligibility, Municipality, Organisation

# The codes each check may answer with (also 400 and 409 reason codes).
LEAD_PROVINCE = "lead_province_not_eligible"
LEAD_KIND = "lead_kind_not_eligible"
LEAD_POPULATION = "lead_population_not_eligible"
LEAD_NOT_MEMBER = "lead_not_member"
PARTNER_COUNTRY = "partner_country_not_eligible"
PARTNER_KIND = "partner_kind_not_eligible"
TOO_FEW_PARTNERS = "too_few_partners"
TOO_FEW_EU_PARTNERS = "too_few_eu_partners"

HOME_COUNTRY = "TR"


@dataclass(frozen=True)
class Rule:
    """A rule a party breaks: a stable code and the sentence that states the rule."""

    code: str
    message: str


def rules_of(call) -> CallEligibility | None:
    """The call's rules, or None when it has none (then anyone may lead and partner). Reads the reverse
    one-to-one that a selector may have joined."""
    try:
        return call.eligibility
    except CallEligibility.DoesNotExist:
        return None


def membership_required(rules: CallEligibility | None) -> bool:
    """The one membership rule: only members lead, unless the call's rules say otherwise (a call
    without rules keeps the union's standing rule)."""
    return rules is None or rules.lead_membership_required


def _names(values) -> str:
    return ", ".join(str(value) for value in values)


def _population_text(rules: CallEligibility) -> str:
    low, high = rules.lead_population_min, rules.lead_population_max
    if low is not None and high is not None:
        return _("The call is open to municipalities of %(min)s to %(max)s inhabitants.") % {
            "min": low,
            "max": high,
        }
    if low is not None:
        return _("The call is open to municipalities of at least %(min)s inhabitants.") % {"min": low}
    return _("The call is open to municipalities of at most %(max)s inhabitants.") % {"max": high}


def lead_rules(rules: CallEligibility | None) -> list[Rule]:
    """Every lead rule the call sets, as sentences: what an eligibility page states. Without rules only
    the union's standing rule holds: members lead."""
    if rules is None:
        return [_membership_rule()]
    stated = []
    if rules.lead_provinces:
        stated.append(
            Rule(
                LEAD_PROVINCE,
                _("Only municipalities in %(provinces)s may lead.")
                % {"provinces": _names(rules.lead_provinces)},
            )
        )
    if rules.lead_kinds:
        kinds = [Municipality.Kind(kind).label for kind in rules.lead_kinds]
        stated.append(Rule(LEAD_KIND, _("Only these may lead: %(kinds)s.") % {"kinds": _names(kinds)}))
    if rules.lead_population_min is not None or rules.lead_population_max is not None:
        stated.append(Rule(LEAD_POPULATION, _population_text(rules)))
    if membership_required(rules):
        stated.append(_membership_rule())
    return stated


def _membership_rule() -> Rule:
    return Rule(LEAD_NOT_MEMBER, _("Only members of the union may lead."))


def _breaks(code: str, rules: CallEligibility, municipality: Municipality) -> bool:
    if code == LEAD_PROVINCE:
        return municipality.province not in rules.lead_provinces
    if code == LEAD_KIND:
        return municipality.kind not in rules.lead_kinds
    if code == LEAD_POPULATION:
        population = municipality.population
        return population is None or not (
            (rules.lead_population_min is None or population >= rules.lead_population_min)
            and (rules.lead_population_max is None or population <= rules.lead_population_max)
        )
    return not municipality.is_member


def lead_problems(call, municipality: Municipality) -> list[Rule]:
    """The lead rules of the call that this municipality breaks (empty: it may lead)."""
    rules = rules_of(call) if call is not None else None
    return [rule for rule in lead_rules(rules) if _breaks(rule.code, rules, municipality)]


def eligible_leads_q(rules: CallEligibility | None) -> Q:
    """The same lead rules as a query condition on Municipality (for lists at any scale)."""
    condition = Q()
    if membership_required(rules):
        condition &= Q(membership_status=Municipality.Membership.MEMBER)
    if rules is None:
        return condition
    if rules.lead_provinces:
        condition &= Q(province__in=rules.lead_provinces)
    if rules.lead_kinds:
        condition &= Q(kind__in=rules.lead_kinds)
    if rules.lead_population_min is not None:
        condition &= Q(population__gte=rules.lead_population_min)
    if rules.lead_population_max is not None:
        condition &= Q(population__lte=rules.lead_population_max)
    return condition


def eligible_leads(call, municipalities: QuerySet[Municipality] | None = None) -> QuerySet[Municipality]:
    """The municipalities that may lead a proposal on this call. A call without rules admits every
    member (the union's standing rule: only members lead)."""
    municipalities = Municipality.objects.all() if municipalities is None else municipalities
    return municipalities.filter(eligible_leads_q(rules_of(call)))


# --- partners and the consortium -----------------------------------------------------------------------


def party_country(party) -> str:
    return party.country if isinstance(party, Organisation) else HOME_COUNTRY


def party_kind(party) -> str:
    """A Turkish municipality partnering counts as a municipality."""
    return party.kind if isinstance(party, Organisation) else Organisation.Kind.MUNICIPALITY


def partner_rules(rules: CallEligibility | None) -> list[Rule]:
    """Every partner and consortium rule the call sets, as sentences: what an eligibility page states."""
    if rules is None:
        return []
    stated = []
    if rules.partner_countries:
        stated.append(
            Rule(
                PARTNER_COUNTRY,
                _("Partners must come from %(countries)s.") % {"countries": _names(rules.partner_countries)},
            )
        )
    if rules.partner_kinds:
        kinds = [Organisation.Kind(kind).label for kind in rules.partner_kinds]
        stated.append(Rule(PARTNER_KIND, _("Partners must be %(kinds)s.") % {"kinds": _names(kinds)}))
    if rules.min_partners:
        stated.append(
            Rule(
                TOO_FEW_PARTNERS,
                ngettext(
                    "At least %(count)d partner besides the lead.",
                    "At least %(count)d partners besides the lead.",
                    rules.min_partners,
                )
                % {"count": rules.min_partners},
            )
        )
    if rules.min_eu_partners:
        stated.append(
            Rule(
                TOO_FEW_EU_PARTNERS,
                ngettext(
                    "At least %(count)d partner from an EU member state.",
                    "At least %(count)d partners from EU member states.",
                    rules.min_eu_partners,
                )
                % {"count": rules.min_eu_partners},
            )
        )
    return stated


def partner_problems(call, party) -> list[Rule]:
    """The partner rules of the call that this party breaks."""
    rules = rules_of(call) if call is not None else None
    if rules is None:
        return []
    problems = []
    if rules.partner_countries and party_country(party) not in rules.partner_countries:
        problems.append(
            Rule(
                PARTNER_COUNTRY,
                _("%(party)s: partners must come from %(countries)s.")
                % {"party": party, "countries": _names(rules.partner_countries)},
            )
        )
    if rules.partner_kinds and party_kind(party) not in rules.partner_kinds:
        kinds = [Organisation.Kind(kind).label for kind in rules.partner_kinds]
        problems.append(
            Rule(
                PARTNER_KIND,
                _("%(party)s: partners must be %(kinds)s.") % {"party": party, "kinds": _names(kinds)},
            )
        )
    return problems


def consortium_problems(call, parties: list) -> list[Rule]:
    """What the consortium (the partners besides the lead) misses of the call's rules: partners that
    may not partner, and too few partners or too few from EU member states."""
    rules = rules_of(call) if call is not None else None
    if rules is None:
        return []
    problems = [problem for party in parties for problem in partner_problems(call, party)]
    if len(parties) < rules.min_partners:
        problems.append(
            Rule(
                TOO_FEW_PARTNERS,
                ngettext(
                    "The call needs at least %(count)d partner; the proposal has %(have)d.",
                    "The call needs at least %(count)d partners; the proposal has %(have)d.",
                    rules.min_partners,
                )
                % {"count": rules.min_partners, "have": len(parties)},
            )
        )
    from_eu = sum(1 for party in parties if party_country(party) in EU_MEMBER_STATES)
    if from_eu < rules.min_eu_partners:
        problems.append(
            Rule(
                TOO_FEW_EU_PARTNERS,
                ngettext(
                    "The call needs at least %(count)d partner from an EU member state; the proposal has "
                    "%(have)d.",
                    "The call needs at least %(count)d partners from EU member states; the proposal has "
                    "%(have)d.",
                    rules.min_eu_partners,
                )
                % {"count": rules.min_eu_partners, "have": from_eu},
            )
        )
    return problems
