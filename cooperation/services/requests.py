"""Partner requests: a team publishes "seeking a partner", other parties answer, the requester accepts
one (the partner joins the proposal) or declines; requests close by hand or after their date.

The rule for "filled": a request seeks one partner in one role, so the first accepted answer fills it
(to seek another partner, publish another request). Answers come until `answer_by` (that day still
counts); the next day the request closes itself. Declining is possible in any state of the request,
accepting only while it is open.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation import permissions as can
from cooperation import signals
from cooperation.models import PartnerRequest, PartnerResponse
from grants_office.calls.models import Call
from grants_office.core.errors import Conflict, Invalid, NotFound, not_permitted, refused
from grants_office.members.models import Municipality, Organisation
from workflows import access
from workflows import services as proposal_services
from workflows.models import Proposal, ProposalPartner
from workflows.states import State


def _request_closed() -> Conflict:
    return refused("request_closed", _("This request no longer takes answers."))


def _clean_countries(countries) -> tuple[list[str], list[str]]:
    cleaned = [str(code).strip().upper() for code in countries or [] if str(code).strip()]
    bad = [code for code in cleaned if len(code) != 2 or not code.isascii() or not code.isalpha()]
    return sorted(set(cleaned)), bad


def _proposal_problem(user, municipality: Municipality, proposal: Proposal) -> str | None:
    if proposal.deleted_at is not None or not access.can_view(user, proposal):
        return _("Choose one of your municipality's proposals.")
    if proposal.lead_id != municipality.pk:
        return _("The proposal is led by another municipality.")
    if proposal.state not in State.OPEN:
        return _("The proposal is %(state)s: it no longer seeks partners.") % {
            "state": State(proposal.state).label
        }
    return None


def _validate_request(user, values: dict) -> dict[str, list[str]]:
    """The fields of a new request, each with its messages (empty: valid)."""
    errors: dict[str, list[str]] = {}
    municipality, proposal, call = values["municipality"], values["proposal"], values["call"]
    if not values["title"]:
        errors["title"] = [_("A title is required.")]
    if proposal is not None:
        problem = _proposal_problem(user, municipality, proposal)
        if problem:
            errors["proposal"] = [problem]
        elif call is not None and proposal.call_id not in (None, call.pk):
            errors["call"] = [_("The proposal is for another call.")]
    elif call is None:
        errors["call"] = [_("Give a proposal or a call.")]
    if values["answer_by"] is None or values["answer_by"] <= timezone.localdate():
        errors["answer_by"] = [_("The date to answer by must be in the future.")]
    if values["role_wanted"] not in ProposalPartner.Role.values:
        errors["role_wanted"] = [_("Choose a partner role.")]
    if values["bad_countries"]:
        errors["countries"] = [_("Use two-letter country codes, e.g. BG.")]
    unknown = [kind for kind in values["kinds"] if kind not in Organisation.Kind.values]
    if unknown:
        errors["kinds"] = [_("Unknown kind: %(kinds)s.") % {"kinds": ", ".join(map(str, unknown))}]
    return errors


def publish_request(
    user,
    *,
    municipality: Municipality,
    title: str,
    answer_by: date,
    proposal: Proposal | None = None,
    call: Call | None = None,
    description: str = "",
    role_wanted: str = ProposalPartner.Role.PARTNER,
    countries=(),
    kinds=(),
    themes=(),
) -> PartnerRequest:
    """A team (or the office for it) seeks a partner for one of its open proposals, or for a call it
    means to apply to; a proposal's request is for its call unless told otherwise."""
    if not can.publishes_for(user, municipality):
        raise Invalid(
            _("Invalid input."),
            fields={
                "municipality": [_("You publish requests only for a municipality whose team you are on.")]
            },
        )
    countries, bad_countries = _clean_countries(countries)
    values = {
        "municipality": municipality,
        "proposal": proposal,
        "call": call,
        "title": (title or "").strip(),
        "answer_by": answer_by,
        "role_wanted": role_wanted or ProposalPartner.Role.PARTNER,
        "bad_countries": bad_countries,
        "kinds": sorted(set(kinds or [])),
    }
    errors = _validate_request(user, values)
    if errors:
        raise Invalid(_("Invalid input."), fields=errors)
    with transaction.atomic():
        partner_request = PartnerRequest.objects.create(
            municipality=municipality,
            proposal=proposal,
            call=call or (proposal.call if proposal else None),
            title=values["title"],
            description=description or "",
            role_wanted=values["role_wanted"],
            countries=countries,
            kinds=values["kinds"],
            answer_by=answer_by,
            created_by=user,
        )
        partner_request.themes.set(themes or [])
    return partner_request


def _party_fields(municipality, organisation) -> dict:
    if (municipality is None) == (organisation is None):
        raise Invalid(
            _("Invalid input."),
            fields={"municipality": [_("Answer for either a municipality or an organisation.")]},
        )
    return {"municipality": municipality, "organisation": organisation}


def respond(
    user,
    partner_request: PartnerRequest,
    *,
    message: str,
    municipality: Municipality | None = None,
    organisation: Organisation | None = None,
) -> PartnerResponse:
    """An expression of interest on behalf of a party whose team the person is on. One answer per
    party (409 `already_responded`); a withdrawn answer may be given again."""
    if not can.takes_part(user):
        raise NotFound(_("Not found."))
    party = _party_fields(municipality, organisation)
    field = "municipality" if municipality is not None else "organisation"
    if not can.on_team_of(user, municipality or organisation):
        raise Invalid(
            _("Invalid input."), fields={field: [_("You answer only for a party whose team you are on.")]}
        )
    if municipality is not None and municipality.pk == partner_request.municipality_id:
        raise Invalid(
            _("Invalid input."), fields={field: [_("The requesting municipality does not answer itself.")]}
        )
    message = (message or "").strip()
    if not message:
        raise Invalid(_("Invalid input."), fields={"message": [_("Say why you would like to take part.")]})
    with transaction.atomic():
        locked = PartnerRequest.objects.select_for_update().get(pk=partner_request.pk)
        if locked.state != PartnerRequest.State.OPEN or locked.answer_by < timezone.localdate():
            raise _request_closed()
        response = _write_response(locked, party, user, message)
        signals.partner_response_received.send(sender=PartnerResponse, response=response, by=user)
    return response


def _already_responded() -> Conflict:
    return refused("already_responded", _("This party has already answered the request."))


def _write_response(partner_request, party: dict, user, message: str) -> PartnerResponse:
    existing = PartnerResponse.objects.select_for_update().filter(request=partner_request, **party).first()
    if existing is not None and existing.state != PartnerResponse.State.WITHDRAWN:
        raise _already_responded()
    if existing is not None:  # given again after a withdrawal: the same row, waiting again
        existing.responder, existing.message = user, message
        existing.state, existing.created_at, existing.decided_at = (
            PartnerResponse.State.PENDING,
            timezone.now(),
            None,
        )
        existing.save()
        return existing
    try:
        with transaction.atomic():  # the unique constraint decides a race: 409, not 500
            return PartnerResponse.objects.create(
                request=partner_request, responder=user, message=message, **party
            )
    except IntegrityError:
        raise _already_responded() from None


def _lock_pending(user, response: PartnerResponse) -> tuple[PartnerRequest, PartnerResponse]:
    """The request and then the answer, locked (one order everywhere), for the requester's decision."""
    if not can.sees_response(user, response):
        raise NotFound(_("Not found."))
    if not can.manages_request(user, response.request):
        raise not_permitted(_("Only the requesting team and the office decide on answers."))
    partner_request = PartnerRequest.objects.select_for_update().get(pk=response.request_id)
    locked = PartnerResponse.objects.select_for_update().get(pk=response.pk)
    if locked.state != PartnerResponse.State.PENDING:
        raise refused(
            "not_pending",
            _("This answer is already %(state)s.") % {"state": PartnerResponse.State(locked.state).label},
        )
    locked.request = partner_request
    return partner_request, locked


def _proposal_to_join(user, partner_request: PartnerRequest, proposal: Proposal | None) -> Proposal:
    """The proposal the accepted party joins: the request's own, or (a request for a call) one of the
    requester's open proposals on that call, given on accepting."""
    if partner_request.proposal_id is not None:
        if proposal is not None and proposal.pk != partner_request.proposal_id:
            raise Invalid(
                _("Invalid input."), fields={"proposal": [_("The request is for another proposal.")]}
            )
        return Proposal.objects.get(pk=partner_request.proposal_id)
    if (
        proposal is None
        or proposal.lead_id != partner_request.municipality_id
        or proposal.call_id != partner_request.call_id
        or proposal.deleted_at is not None
        or not access.can_view(user, proposal)
    ):
        raise refused(
            "no_proposal",
            _("Choose the requesting municipality's proposal on this call that the partner joins."),
        )
    return proposal


def accept_response(user, response: PartnerResponse, *, proposal: Proposal | None = None) -> PartnerResponse:
    """Accept an answer: the party joins the proposal in the role the request seeks, its team sees the
    proposal at once, and the request is filled."""
    with transaction.atomic():
        partner_request, response = _lock_pending(user, response)
        if partner_request.state != PartnerRequest.State.OPEN:
            raise _request_closed()
        target = _proposal_to_join(user, partner_request, proposal)
        proposal_services.add_partner(target, response.party, partner_request.role_wanted, user)
        now = timezone.now()
        response.state, response.decided_at = PartnerResponse.State.ACCEPTED, now
        response.save(update_fields=["state", "decided_at"])
        partner_request.proposal = target
        partner_request.state, partner_request.closed_at = PartnerRequest.State.FILLED, now
        partner_request.save(update_fields=["proposal", "state", "closed_at"])
        signals.partner_response_decided.send(sender=PartnerResponse, response=response, by=user)
    return response


def decline_response(user, response: PartnerResponse, reason: str = "") -> PartnerResponse:
    """Decline an answer (in any state of the request); the reason goes to the responder."""
    with transaction.atomic():
        _, response = _lock_pending(user, response)
        response.state, response.decided_at = PartnerResponse.State.DECLINED, timezone.now()
        response.save(update_fields=["state", "decided_at"])
        signals.partner_response_decided.send(
            sender=PartnerResponse, response=response, by=user, reason=(reason or "").strip()
        )
    return response


def withdraw_response(user, response: PartnerResponse) -> PartnerResponse:
    """The responder takes back an answer still waiting."""
    if not can.sees_response(user, response):
        raise NotFound(_("Not found."))
    if not can.withdraws_response(user, response):
        raise not_permitted(_("Only the person who answered withdraws the answer."))
    with transaction.atomic():
        PartnerRequest.objects.select_for_update().get(pk=response.request_id)
        locked = PartnerResponse.objects.select_for_update().get(pk=response.pk)
        if locked.state != PartnerResponse.State.PENDING:
            raise refused(
                "not_pending",
                _("This answer is already %(state)s.") % {"state": PartnerResponse.State(locked.state).label},
            )
        locked.state, locked.decided_at = PartnerResponse.State.WITHDRAWN, timezone.now()
        locked.save(update_fields=["state", "decided_at"])
    return locked


def _close(partner_request_pk: int, by) -> PartnerRequest | None:
    locked = PartnerRequest.objects.select_for_update().get(pk=partner_request_pk)
    if locked.state != PartnerRequest.State.OPEN:
        return None
    locked.state, locked.closed_at = PartnerRequest.State.CLOSED, timezone.now()
    locked.save(update_fields=["state", "closed_at"])
    signals.partner_request_closed.send(sender=PartnerRequest, partner_request=locked, by=by)
    return locked


def close_request(user, partner_request: PartnerRequest) -> PartnerRequest:
    """The requesting team or the office stops taking answers."""
    if not can.manages_request(user, partner_request):
        raise not_permitted(_("Only the requesting team and the office close a request."))
    with transaction.atomic():
        closed = _close(partner_request.pk, user)
        if closed is None:
            raise _request_closed()
    return closed


def close_expired_requests(today: date | None = None) -> list[int]:
    """Close every open request whose date to answer by has passed (each in its own transaction; safe
    to run again)."""
    today = today or timezone.localdate()
    due = PartnerRequest.objects.filter(state=PartnerRequest.State.OPEN, answer_by__lt=today).values_list(
        "pk", flat=True
    )
    closed = []
    for pk in list(due):
        with transaction.atomic():
            if _close(pk, None) is not None:
                closed.append(pk)
    return closed
