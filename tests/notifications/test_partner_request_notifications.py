"""Partner requests' notifications: cooperation's signals, sent in the transaction of the change, become
outbox rows that the relay turns into notifications after commit."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.utils import timezone

from cooperation import signals
from cooperation.models import PartnerRequest, PartnerResponse
from cooperation.services import requests as request_services
from notifications import kinds, outbox
from notifications.models import Notification, OutboxEvent
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    PartnerRequestFactory,
    PartnerResponseFactory,
    PreferenceFactory,
    TeamMembershipFactory,
    UserFactory,
    UserProfileFactory,
)

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def asked(db):
    """Çorlu's team seeks a partner; a contact of Haskovo answers for it."""
    corlu = MunicipalityFactory(name="Çorlu Belediyesi")
    lead = TeamMembershipFactory(municipality=corlu, user=UserFactory(username="corlu.lead")).user
    TeamMembershipFactory(municipality=corlu, user=UserFactory(username="corlu.member"))
    today = timezone.localdate()
    TeamMembershipFactory(
        municipality=corlu,
        user=UserFactory(username="corlu.left"),
        starts_on=today - timedelta(days=60),
        ends_on=today,
    )
    TeamMembershipFactory(municipality=MunicipalityFactory(), user=UserFactory(username="stranger"))
    haskovo = OrganisationFactory(name="Haskovo Municipality", country="BG")
    responder = UserFactory(username="haskovo.contact", email="contact@haskovo.example")
    TeamMembershipFactory(municipality=None, organisation=haskovo, user=responder)
    request = PartnerRequestFactory(municipality=corlu, created_by=lead, title="A Bulgarian twin town")
    response = PartnerResponseFactory(
        request=request, organisation=haskovo, responder=responder, message="We would  like to join."
    )
    for user in User.objects.all():  # the assertions read the English texts
        UserProfileFactory(user=user, language="en")
    return {"request": request, "response": response, "lead": lead, "responder": responder}


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send a signal as a cooperation service does: inside its transaction, relayed once it commits."""

    def send(signal, **arguments):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            signal.send(**arguments)

    return send


def told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_a_response_tells_the_requesting_team(asked, send):
    response = asked["response"]

    send(signals.partner_response_received, sender=PartnerResponse, response=response, by=asked["responder"])

    # today's team, not the one who left, nor another team, nor the responder
    assert told(kinds.PARTNER_RESPONSE_RECEIVED) == ["corlu.lead", "corlu.member"]
    row = Notification.objects.filter(kind=kinds.PARTNER_RESPONSE_RECEIVED).first()
    assert row.link == f"/partners/requests/{asked['request'].pk}/"
    assert row.title == "New answer to “A Bulgarian twin town”"
    assert "for Haskovo Municipality (BG): We would like to join." in row.body
    assert row.actor == asked["responder"]
    assert OutboxEvent.objects.get().relayed_at is not None
    assert len(mail.outbox) == 2


def test_a_second_relay_of_the_same_event_writes_nothing(asked, send):
    send(signals.partner_response_received, sender=PartnerResponse, response=asked["response"], by=None)
    written = Notification.objects.count()
    row = OutboxEvent.objects.get()
    OutboxEvent.objects.filter(pk=row.pk).update(relayed_at=None)  # as if the mark was lost

    assert outbox.relay(row.pk) is True
    assert Notification.objects.count() == written == 2


def test_a_team_member_who_turned_the_kind_off_is_not_told(asked, send):
    PreferenceFactory(user=asked["lead"], kind=kinds.PARTNER_RESPONSE_RECEIVED, channel="off")

    send(signals.partner_response_received, sender=PartnerResponse, response=asked["response"], by=None)

    assert told(kinds.PARTNER_RESPONSE_RECEIVED) == ["corlu.member"]


@pytest.mark.parametrize(
    ("state", "kind", "title"),
    [
        (
            PartnerResponse.State.ACCEPTED,
            kinds.PARTNER_RESPONSE_ACCEPTED,
            "Accepted: your answer to “A Bulgarian twin town”",
        ),
        (
            PartnerResponse.State.DECLINED,
            kinds.PARTNER_RESPONSE_DECLINED,
            "Declined: your answer to “A Bulgarian twin town”",
        ),
    ],
)
def test_a_decision_tells_the_responder(asked, send, state, kind, title):
    response = asked["response"]
    response.state, response.decided_at = state, timezone.now()
    response.save()

    send(signals.partner_response_decided, sender=PartnerResponse, response=response, by=asked["lead"])

    assert told(kind) == ["haskovo.contact"]
    row = Notification.objects.get(kind=kind)
    assert row.title == title
    assert "Çorlu Belediyesi" in row.body and "Haskovo Municipality" in row.body
    assert row.link == f"/partners/requests/{asked['request'].pk}/"
    assert [m.to for m in mail.outbox] == [["contact@haskovo.example"]]


def test_a_response_still_pending_tells_nobody(asked, send):
    send(
        signals.partner_response_decided, sender=PartnerResponse, response=asked["response"], by=asked["lead"]
    )

    assert not Notification.objects.exists()


def test_a_request_that_closed_itself_tells_the_requester(asked, send):
    request = asked["request"]
    PartnerRequest.objects.filter(pk=request.pk).update(
        state=PartnerRequest.State.CLOSED, closed_at=timezone.now()
    )

    send(signals.partner_request_closed, sender=PartnerRequest, partner_request=request, by=None)

    assert told(kinds.PARTNER_REQUEST_CLOSED) == ["corlu.lead"]
    row = Notification.objects.get(kind=kinds.PARTNER_REQUEST_CLOSED)
    assert row.title == "Closed: “A Bulgarian twin town”"
    assert "with 1 answer." in row.body
    assert row.link == f"/partners/requests/{request.pk}/"


def test_a_request_closed_by_a_person_tells_nobody(asked, send):
    send(
        signals.partner_request_closed,
        sender=PartnerRequest,
        partner_request=asked["request"],
        by=asked["lead"],
    )

    assert not Notification.objects.exists()


def test_nothing_is_told_when_the_change_rolls_back(asked, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture, pytest.raises(RuntimeError), transaction.atomic():
        signals.partner_response_received.send(
            sender=PartnerResponse, response=asked["response"], by=asked["responder"]
        )
        raise RuntimeError("the service failed after sending")

    assert not OutboxEvent.objects.exists()
    assert not Notification.objects.exists()


def test_a_response_deleted_before_the_relay_tells_nobody(asked, django_capture_on_commit_callbacks):
    with transaction.atomic():
        signals.partner_response_received.send(sender=PartnerResponse, response=asked["response"], by=None)
    row = OutboxEvent.objects.get()
    asked["response"].delete()

    outbox.relay(row.pk)

    assert not Notification.objects.exists()


def test_a_decline_passes_on_its_reason(asked, send):
    response = asked["response"]
    response.state = PartnerResponse.State.DECLINED
    response.save()

    send(
        signals.partner_response_decided,
        sender=PartnerResponse,
        response=response,
        by=asked["lead"],
        reason="We found a partner in Edirne.",
    )

    row = Notification.objects.get(kind=kinds.PARTNER_RESPONSE_DECLINED)
    assert row.body.endswith(": We found a partner in Edirne.")  # after "Comment" in their language


def test_declining_through_the_service_tells_the_responder(asked, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_services.decline_response(asked["lead"], asked["response"], "Too far away.")

    [row] = Notification.objects.all()
    assert row.kind == kinds.PARTNER_RESPONSE_DECLINED and row.recipient == asked["responder"]
    assert "Too far away." in row.body
