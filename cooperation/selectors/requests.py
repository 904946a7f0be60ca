"""Reads of partner requests and their answers: the one answer to "which requests and responses may
this person see".

- Open requests: every signed-in person who is office or on a team today (`permissions.takes_part`).
- Filled and closed ones: the requesting team, the office, and the teams of the parties that answered
  (so a responder still sees how their answer ended).
- A request's responses: the requesting team and the office; others only their own party's answer (or
  the one they wrote).
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from cooperation import permissions as can
from cooperation.models import PartnerRequest, PartnerResponse
from grants_office.core.errors import NotFound
from grants_office.core.people import signed_in
from grants_office.members.models import Municipality, Organisation
from grants_office.members.permissions import is_office_staff
from grants_office.members.selectors import teams_today
from workflows import selectors as proposal_selectors
from workflows.models import Proposal
from workflows.states import State


def _answered_by_my_parties(municipalities: list[int], organisations: list[int]) -> Exists:
    return Exists(
        PartnerResponse.objects.filter(request=OuterRef("pk")).filter(
            Q(municipality_id__in=municipalities) | Q(organisation_id__in=organisations)
        )
    )


def requests_visible_to(user) -> QuerySet[PartnerRequest]:
    requests = PartnerRequest.objects.select_related("municipality", "call__programme").prefetch_related(
        "themes"
    )
    if not can.takes_part(user):
        return requests.none()
    if is_office_staff(user):
        return requests
    municipalities, organisations = teams_today(user)
    return requests.filter(
        Q(state=PartnerRequest.State.OPEN)
        | Q(municipality_id__in=municipalities)
        | _answered_by_my_parties(municipalities, organisations)
    )


def with_response_counts(requests: QuerySet[PartnerRequest]) -> QuerySet[PartnerRequest]:
    """Each request's number of answers waiting (shown to whoever manages it)."""
    return requests.annotate(
        pending_count=Count("responses", filter=Q(responses__state=PartnerResponse.State.PENDING))
    )


def visible_request(user, pk) -> PartnerRequest:
    try:
        return requests_visible_to(user).get(pk=pk)
    except (PartnerRequest.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None


def filter_requests(
    requests: QuerySet[PartnerRequest], *, state=None, call=None, country=None, theme=None
) -> QuerySet[PartnerRequest]:
    """The list's filters (API and page). A request that names no country takes partners from any."""
    if state:
        requests = requests.filter(state=state)
    if call:
        requests = requests.filter(call=call)
    if country:
        # the stored list is JSON text: match the quoted code, portable to SQLite and PostgreSQL
        requests = requests.filter(Q(countries=[]) | Q(countries__icontains=f'"{country.upper()}"'))
    if theme:
        requests = requests.filter(themes=theme)
    return requests


def responses_of(user, partner_request: PartnerRequest) -> QuerySet[PartnerResponse]:
    """The answers to a request that this person may read (the request itself is visible to them)."""
    responses = PartnerResponse.objects.filter(request=partner_request).select_related(
        "municipality", "organisation", "responder", "request"
    )
    if can.manages_request(user, partner_request):
        return responses
    if not signed_in(user):
        return responses.none()
    municipalities, organisations = teams_today(user)
    return responses.filter(
        Q(responder_id=user.pk) | Q(municipality_id__in=municipalities) | Q(organisation_id__in=organisations)
    )


def visible_response(user, pk) -> PartnerResponse:
    """A response this person may read, else NotFound."""
    try:
        response = PartnerResponse.objects.select_related(
            "request__municipality", "request__call", "municipality", "organisation", "responder"
        ).get(pk=pk)
    except (PartnerResponse.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None
    if not can.sees_response(user, response):
        raise NotFound(_("Not found."))
    return response


def proposals_for_request(user, municipality_id=None, call=None) -> QuerySet[Proposal]:
    """The proposals a request may be for (or an accepted answer joins): visible to the person, led by
    the municipality (any of the person's teams when not given), still open."""
    proposals = (
        proposal_selectors.proposals_visible_to(user).prefetch_related(None).filter(state__in=State.OPEN)
    )
    if municipality_id is not None:
        proposals = proposals.filter(lead_id=municipality_id)
    elif not is_office_staff(user):
        proposals = proposals.filter(lead_id__in=teams_today(user)[0])
    if call is not None:
        proposals = proposals.filter(call=call)
    return proposals.order_by("title", "id")


def parties_of(user, excluding_municipality_id=None) -> list[Municipality | Organisation]:
    """The municipalities and organisations on whose team this person is today: for whom they may
    answer (never the requesting municipality itself)."""
    municipalities, organisations = teams_today(user)
    return [
        *Municipality.objects.filter(pk__in=municipalities).exclude(pk=excluding_municipality_id),
        *Organisation.objects.filter(pk__in=organisations),
    ]
