"""Partner requests through the services: publish, respond, accept (the partner joins the proposal),
decline, withdraw, close, expiry by the task, and the visibility of requests and answers."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from cooperation import signals
from cooperation.models import PartnerRequest, PartnerResponse
from cooperation.selectors import requests as selectors
from cooperation.services import requests as services
from cooperation.tasks import close_expired_partner_requests
from grants_office.core.errors import Conflict, Invalid, NotFound
from tests.concurrency import at_once
from tests.factories import (
    CallFactory,
    PartnerRequestFactory,
    PartnerResponseFactory,
    ProposalFactory,
    ThemeFactory,
    UserFactory,
    office_staff,
)
from workflows import access
from workflows.models import Proposal, ProposalPartner
from workflows.states import State

pytestmark = pytest.mark.django_db


class Heard:
    """The signals a test hears (real receivers stay connected too)."""

    def __init__(self, *names):
        self.events = []
        self.handlers = []
        for name in names:

            def handler(sender, name=name, **kwargs):
                self.events.append((name, kwargs))

            getattr(signals, name).connect(handler, weak=False)
            self.handlers.append((name, handler))

    def close(self):
        for name, handler in self.handlers:
            getattr(signals, name).disconnect(handler)


def _in_state(proposal, state):
    Proposal.objects.filter(pk=proposal.pk).update(state=state)
    return Proposal.objects.get(pk=proposal.pk)


@pytest.fixture
def heard():
    listener = Heard("partner_response_received", "partner_response_decided", "partner_request_closed")
    yield listener
    listener.close()


# --- publish ------------------------------------------------------------------------------------------
def test_publish_for_a_proposal_takes_its_call(requester, proposal, tomorrow):
    theme = ThemeFactory()
    request = services.publish_request(
        requester,
        municipality=proposal.lead,
        proposal=proposal,
        title="  Bulgarian partner for flood warning ",
        answer_by=tomorrow,
        countries=["bg", "RO"],
        kinds=["municipality"],
        themes=[theme],
    )
    assert request.call == proposal.call
    assert request.title == "Bulgarian partner for flood warning"
    assert request.countries == ["BG", "RO"]
    assert list(request.themes.all()) == [theme]
    assert request.state == PartnerRequest.State.OPEN


def test_publish_by_another_team_is_refused(other_team, proposal, tomorrow):
    with pytest.raises(Invalid) as refused:
        services.publish_request(
            other_team.user, municipality=proposal.lead, call=proposal.call, title="X", answer_by=tomorrow
        )
    assert "municipality" in refused.value.fields
    assert not PartnerRequest.objects.exists()


def test_publish_validates_every_field(requester, proposal):
    other_proposal = ProposalFactory(state=State.DRAFTING)  # another lead: not visible to the requester
    with pytest.raises(Invalid) as refused:
        services.publish_request(
            requester,
            municipality=proposal.lead,
            proposal=other_proposal,
            title=" ",
            answer_by=timezone.localdate(),
            countries=["Bulgaria"],
            kinds=["castle"],
            role_wanted="boss",
        )
    assert set(refused.value.fields) == {
        "proposal",
        "title",
        "answer_by",
        "countries",
        "kinds",
        "role_wanted",
    }


def test_publish_needs_a_proposal_or_a_call(requester, proposal, tomorrow):
    with pytest.raises(Invalid) as refused:
        services.publish_request(requester, municipality=proposal.lead, title="X", answer_by=tomorrow)
    assert "call" in refused.value.fields


def test_publish_refuses_a_closed_proposal(requester, proposal, tomorrow):
    proposal = _in_state(proposal, State.REJECTED)
    with pytest.raises(Invalid) as refused:
        services.publish_request(
            requester, municipality=proposal.lead, proposal=proposal, title="X", answer_by=tomorrow
        )
    assert "proposal" in refused.value.fields


def test_publish_refuses_a_call_other_than_the_proposals(requester, proposal, tomorrow):
    with pytest.raises(Invalid) as refused:
        services.publish_request(
            requester,
            municipality=proposal.lead,
            proposal=proposal,
            call=CallFactory(),
            title="X",
            answer_by=tomorrow,
        )
    assert "call" in refused.value.fields


def test_office_publishes_for_a_call(office_user, proposal, tomorrow):
    request = services.publish_request(
        office_user, municipality=proposal.lead, call=proposal.call, title="X", answer_by=tomorrow
    )
    assert request.proposal is None and request.created_by == office_user


# --- respond ------------------------------------------------------------------------------------------
def test_contact_responds_for_their_organisation(contact, bulgarian, open_request, heard):
    response = services.respond(contact, open_request, message="Haskovo would join.", organisation=bulgarian)
    assert response.state == PartnerResponse.State.PENDING
    assert response.responder == contact
    assert heard.events == [
        (
            "partner_response_received",
            {"signal": signals.partner_response_received, "response": response, "by": contact},
        )
    ]


def test_respond_for_a_party_not_mine_is_refused(contact, open_request, other_team):
    with pytest.raises(Invalid) as refused:
        services.respond(contact, open_request, message="We too.", municipality=other_team.municipality)
    assert "municipality" in refused.value.fields
    assert not PartnerResponse.objects.exists()


def test_requesting_municipality_does_not_answer_itself(requester, open_request):
    with pytest.raises(Invalid):
        services.respond(requester, open_request, message="Us.", municipality=open_request.municipality)


def test_respond_needs_a_message(contact, bulgarian, open_request):
    with pytest.raises(Invalid) as refused:
        services.respond(contact, open_request, message="  ", organisation=bulgarian)
    assert "message" in refused.value.fields


def test_second_response_of_a_party_is_refused(contact, bulgarian, open_request):
    services.respond(contact, open_request, message="Yes.", organisation=bulgarian)
    colleague = UserFactory()
    colleague.team_memberships.create(
        organisation=bulgarian, starts_on=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(Conflict) as refused:
        services.respond(colleague, open_request, message="Yes again.", organisation=bulgarian)
    assert [r.code for r in refused.value.reasons] == ["already_responded"]
    assert PartnerResponse.objects.count() == 1


def test_withdrawn_response_may_be_given_again(contact, bulgarian, open_request):
    first = services.respond(contact, open_request, message="Yes.", organisation=bulgarian)
    services.withdraw_response(contact, first)
    again = services.respond(contact, open_request, message="Yes after all.", organisation=bulgarian)
    assert again.pk == first.pk and again.state == PartnerResponse.State.PENDING
    assert again.message == "Yes after all."


@pytest.mark.parametrize("closing", ["closed", "past_date"])
def test_respond_to_a_closed_request_is_refused(contact, bulgarian, open_request, closing):
    if closing == "closed":
        open_request.state = PartnerRequest.State.CLOSED
    else:
        open_request.answer_by = timezone.localdate() - timedelta(days=1)
    open_request.save()
    with pytest.raises(Conflict) as refused:
        services.respond(contact, open_request, message="Yes.", organisation=bulgarian)
    assert [r.code for r in refused.value.reasons] == ["request_closed"]
    assert not PartnerResponse.objects.exists()


def test_answer_on_the_last_day_counts(contact, bulgarian, open_request):
    open_request.answer_by = timezone.localdate()
    open_request.save()
    assert services.respond(contact, open_request, message="Just in time.", organisation=bulgarian)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks race for real on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_two_colleagues_answering_at_once_give_one_response(bulgarian, contact, open_request):
    colleague = UserFactory()
    colleague.team_memberships.create(
        organisation=bulgarian, starts_on=timezone.localdate() - timedelta(days=1)
    )

    def answer(user):
        def run():
            try:
                services.respond(user, open_request, message="Yes.", organisation=bulgarian)
                return "ok"
            except Conflict as refused:
                return refused.reasons[0].code

        return run

    outcomes = at_once(answer(contact), answer(colleague))
    assert sorted(outcomes) == ["already_responded", "ok"]
    assert PartnerResponse.objects.count() == 1


# --- accept, decline, withdraw -----------------------------------------------------------------------
def test_accept_adds_the_partner_and_its_contact_sees_the_proposal(
    requester, contact, bulgarian, open_request, proposal, heard
):
    response = PartnerResponseFactory(request=open_request, organisation=bulgarian, responder=contact)
    assert not access.can_view(contact, proposal)
    services.accept_response(requester, response)
    partner = ProposalPartner.objects.get(proposal=proposal)
    assert partner.organisation == bulgarian and partner.role == open_request.role_wanted
    fresh_contact = type(contact).objects.get(pk=contact.pk)
    assert access.can_view(fresh_contact, proposal)
    open_request.refresh_from_db()
    response.refresh_from_db()
    assert open_request.state == PartnerRequest.State.FILLED and open_request.closed_at
    assert response.state == PartnerResponse.State.ACCEPTED
    assert [name for name, _ in heard.events] == ["partner_response_decided"]


def test_accept_on_a_call_request_needs_a_proposal(requester, contact, bulgarian, proposal):
    request = PartnerRequestFactory(municipality=proposal.lead, call=proposal.call, created_by=requester)
    response = PartnerResponseFactory(request=request, organisation=bulgarian, responder=contact)
    with pytest.raises(Conflict) as refused:
        services.accept_response(requester, response)
    assert [r.code for r in refused.value.reasons] == ["no_proposal"]
    elsewhere = ProposalFactory(lead=proposal.lead, state=State.DRAFTING)  # another call
    with pytest.raises(Conflict):
        services.accept_response(requester, response, proposal=elsewhere)
    response.refresh_from_db()
    assert response.state == PartnerResponse.State.PENDING
    assert not ProposalPartner.objects.exists()

    services.accept_response(requester, response, proposal=proposal)
    request.refresh_from_db()
    assert request.proposal == proposal
    assert ProposalPartner.objects.filter(proposal=proposal, organisation=bulgarian).exists()


def test_accept_when_partners_are_locked_changes_nothing(
    requester, contact, bulgarian, open_request, proposal
):
    _in_state(proposal, State.READY)
    response = PartnerResponseFactory(request=open_request, organisation=bulgarian, responder=contact)
    with pytest.raises(Conflict) as refused:
        services.accept_response(requester, response)
    assert [r.code for r in refused.value.reasons] == ["partners_locked"]
    response.refresh_from_db()
    open_request.refresh_from_db()
    assert response.state == PartnerResponse.State.PENDING
    assert open_request.state == PartnerRequest.State.OPEN


def test_responder_may_not_accept(contact, bulgarian, open_request):
    response = PartnerResponseFactory(request=open_request, organisation=bulgarian, responder=contact)
    with pytest.raises(Conflict) as refused:
        services.accept_response(contact, response)
    assert [r.code for r in refused.value.reasons] == ["not_permitted"]


def test_stranger_gets_not_found_for_a_response(other_team, contact, bulgarian, open_request):
    response = PartnerResponseFactory(request=open_request, organisation=bulgarian, responder=contact)
    with pytest.raises(NotFound):
        services.accept_response(other_team.user, response)
    with pytest.raises(NotFound):
        selectors.visible_response(other_team.user, response.pk)


def test_second_accept_after_filling_is_refused(requester, contact, bulgarian, open_request, other_team):
    first = PartnerResponseFactory(request=open_request, organisation=bulgarian, responder=contact)
    second = PartnerResponseFactory(
        request=open_request, municipality=other_team.municipality, responder=other_team.user
    )
    services.accept_response(requester, first)
    with pytest.raises(Conflict) as refused:
        services.accept_response(requester, second)
    assert [r.code for r in refused.value.reasons] == ["request_closed"]
    # the others may still be told no
    assert services.decline_response(requester, second).state == PartnerResponse.State.DECLINED


def test_decline_sends_the_reason(requester, contact, bulgarian, open_request, heard):
    response = PartnerResponseFactory(request=open_request, organisation=bulgarian, responder=contact)
    services.decline_response(requester, response, reason=" Another partner fits better. ")
    response.refresh_from_db()
    assert response.state == PartnerResponse.State.DECLINED and response.decided_at
    assert heard.events[0][1]["reason"] == "Another partner fits better."
    with pytest.raises(Conflict) as refused:
        services.decline_response(requester, response)
    assert [r.code for r in refused.value.reasons] == ["not_pending"]


def test_only_the_responder_withdraws(requester, contact, bulgarian, open_request):
    response = PartnerResponseFactory(request=open_request, organisation=bulgarian, responder=contact)
    with pytest.raises(Conflict):
        services.withdraw_response(requester, response)
    assert services.withdraw_response(contact, response).state == PartnerResponse.State.WITHDRAWN


# --- close and expiry ---------------------------------------------------------------------------------
def test_requester_closes_and_a_second_close_is_refused(requester, open_request, heard):
    closed = services.close_request(requester, open_request)
    assert closed.state == PartnerRequest.State.CLOSED and closed.closed_at
    assert heard.events[0][1]["by"] == requester
    with pytest.raises(Conflict) as refused:
        services.close_request(requester, open_request)
    assert [r.code for r in refused.value.reasons] == ["request_closed"]


def test_others_may_not_close(contact, open_request):
    with pytest.raises(Conflict):
        services.close_request(contact, open_request)
    open_request.refresh_from_db()
    assert open_request.state == PartnerRequest.State.OPEN


def test_the_task_closes_requests_past_their_date(heard):
    today = timezone.localdate()
    past = PartnerRequestFactory(answer_by=today - timedelta(days=1))
    last_day = PartnerRequestFactory(answer_by=today)
    filled = PartnerRequestFactory(answer_by=today - timedelta(days=3), state=PartnerRequest.State.FILLED)
    assert close_expired_partner_requests.delay().get() == 1
    past.refresh_from_db()
    last_day.refresh_from_db()
    filled.refresh_from_db()
    assert past.state == PartnerRequest.State.CLOSED
    assert last_day.state == PartnerRequest.State.OPEN
    assert filled.state == PartnerRequest.State.FILLED
    assert heard.events == [
        (
            "partner_request_closed",
            {"signal": signals.partner_request_closed, "partner_request": past, "by": None},
        )
    ]
    assert services.close_expired_requests() == []  # safe to run again


def test_beat_runs_the_expiry_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["close-expired-partner-requests"]
    assert entry["task"] == close_expired_partner_requests.name


# --- visibility ---------------------------------------------------------------------------------------
def test_open_requests_are_seen_by_everyone_on_a_team(open_request, contact, other_team, office_user):
    for user in (contact, other_team.user, office_user):
        assert list(selectors.requests_visible_to(user)) == [open_request]
    assert not selectors.requests_visible_to(UserFactory()).exists()  # on no team


def test_closed_requests_only_for_requester_office_and_responders(
    requester, open_request, contact, bulgarian, other_team, office_user
):
    PartnerResponseFactory(request=open_request, organisation=bulgarian, responder=contact)
    open_request.state = PartnerRequest.State.CLOSED
    open_request.save()
    for user in (requester, office_user, contact):
        assert selectors.visible_request(user, open_request.pk) == open_request
    with pytest.raises(NotFound):
        selectors.visible_request(other_team.user, open_request.pk)


def test_responses_are_the_requesters_and_each_their_own(
    requester, open_request, contact, bulgarian, other_team
):
    mine = PartnerResponseFactory(request=open_request, organisation=bulgarian, responder=contact)
    theirs = PartnerResponseFactory(
        request=open_request, municipality=other_team.municipality, responder=other_team.user
    )
    assert set(selectors.responses_of(requester, open_request)) == {mine, theirs}
    assert list(selectors.responses_of(contact, open_request)) == [mine]
    assert list(selectors.responses_of(office_staff(), open_request)) == [mine, theirs]
