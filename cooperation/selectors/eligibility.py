"""Reads of a call's eligibility: the members that may lead a call (with, for the office, whether each
has a proposal on it yet: the list to phone) and the open calls a municipality may lead.

The lead rules are `grants_office.members.eligibility` (one implementation): as a query condition for
the members of a call (`eligible_leads`), evaluated in Python over the open calls for one municipality
(each call's rules are joined in the same query), so both lists cost a fixed number of queries.
"""

from __future__ import annotations

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When
from django.utils.translation import gettext as _

from grants_office.calls.models import Call
from grants_office.core.errors import NotFound
from grants_office.members.eligibility import eligible_leads, lead_problems
from grants_office.members.models import Municipality
from grants_office.members.provinces import PROVINCE_CHOICES
from workflows.models import Proposal
from workflows.selectors import turkish_text


def call_for_eligibility(pk) -> Call:
    """Any signed-in person may read a call and its rules; an unknown call is NotFound."""
    try:
        return Call.objects.select_related("programme", "eligibility").get(pk=pk)
    except (Call.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None


def _province_position():
    """Provinces in Turkish alphabetical order (Çanakkale after Bursa, İstanbul after Isparta), the
    same on SQLite and PostgreSQL."""
    return Case(
        *[When(province=name, then=Value(index)) for index, (name, _label) in enumerate(PROVINCE_CHOICES)],
        output_field=IntegerField(),
    )


def eligible_members(call: Call, *, with_proposals: bool, without_proposal: bool = False) -> QuerySet:
    """The municipalities that may lead a proposal on `call`, by province then name in Turkish order.

    `with_proposals` (the office) annotates `has_proposal`: a proposal of that member on the call that
    is not deleted; `without_proposal` keeps only those without one."""
    members = eligible_leads(call).order_by(_province_position(), turkish_text("name"), "id")
    if with_proposals or without_proposal:
        proposals = Proposal.objects.alive().filter(call=call, lead=OuterRef("pk"))
        members = members.annotate(has_proposal=Exists(proposals))
    if without_proposal:
        members = members.filter(has_proposal=False)
    return members


def open_calls_for(municipality: Municipality, at=None) -> list[Call]:
    """The open calls this municipality may lead, the nearest deadline first: one query, the rules
    joined."""
    calls = Call.objects.open(at).select_related("programme", "eligibility").order_by("deadline", "id")
    return [call for call in calls if not lead_problems(call, municipality)]


def municipality_for_eligibility(pk) -> Municipality:
    try:
        return Municipality.objects.get(pk=pk)
    except (Municipality.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None
