"""The partner request endpoints: /api/v1/partner-requests/ and /api/v1/partner-responses/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cooperation.models import PartnerRequest, PartnerResponse
from tests.factories import (
    PartnerRequestFactory,
    PartnerResponseFactory,
    ThemeFactory,
    UserFactory,
)
from tests.querycount import assert_same_query_count
from workflows.models import ProposalPartner

pytestmark = pytest.mark.django_db

URL = "/api/v1/partner-requests/"


def codes(response):
    return [reason["code"] for reason in response.json()["reasons"]]


def test_team_publishes_for_its_proposal(api_client, requester, proposal, tomorrow):
    theme = ThemeFactory()
    answer = api_client(requester).post(
        URL,
        {
            "municipality": proposal.lead_id,
            "proposal": proposal.pk,
            "title": "A Bulgarian municipality for flood warning",
            "answer_by": tomorrow.isoformat(),
            "countries": ["BG"],
            "kinds": ["municipality"],
            "themes": [theme.pk],
            "role_wanted": "partner",
        },
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["call"] == proposal.call_id and body["state"] == "open" and body["themes"] == [theme.pk]


def test_publish_with_a_proposal_i_do_not_see_is_400(api_client, other_team, proposal, tomorrow):
    answer = api_client(other_team.user).post(
        URL,
        {
            "municipality": other_team.municipality_id,
            "proposal": proposal.pk,
            "title": "X",
            "answer_by": tomorrow,
        },
    )
    assert answer.status_code == 400
    assert "proposal" in answer.json()["fields"]
    assert not PartnerRequest.objects.exists()


def test_publish_with_a_past_date_is_400(api_client, requester, proposal):
    answer = api_client(requester).post(
        URL,
        {
            "municipality": proposal.lead_id,
            "call": proposal.call_id,
            "title": "X",
            "answer_by": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
    )
    assert answer.status_code == 400 and "answer_by" in answer.json()["fields"]


def test_list_filters(api_client, contact, open_request):
    other = PartnerRequestFactory(countries=["RO"], themes=[ThemeFactory()])
    client = api_client(contact)
    assert client.get(URL).json()["count"] == 2
    assert [r["id"] for r in client.get(URL, {"country": "bg"}).json()["results"]] == [open_request.pk]
    assert [r["id"] for r in client.get(URL, {"call": other.call_id}).json()["results"]] == [other.pk]
    theme = other.themes.get()
    assert [r["id"] for r in client.get(URL, {"theme": theme.pk}).json()["results"]] == [other.pk]
    assert client.get(URL, {"state": "closed"}).json()["count"] == 0
    assert client.get(URL, {"country": "Bulgaria"}).status_code == 400


def test_somebody_on_no_team_sees_no_request(api_client, open_request):
    client = api_client(UserFactory())
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}{open_request.pk}/").status_code == 404


def test_closed_request_is_404_for_other_teams(api_client, other_team, requester, open_request):
    open_request.state = PartnerRequest.State.CLOSED
    open_request.save()
    assert api_client(other_team.user).get(f"{URL}{open_request.pk}/").status_code == 404
    assert api_client(requester).get(f"{URL}{open_request.pk}/").status_code == 200


def test_respond_then_accept_and_the_contact_gets_the_proposal(
    api_client, contact, bulgarian, requester, open_request, proposal
):
    assert api_client(contact).get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404
    answer = api_client(contact).post(
        f"{URL}{open_request.pk}/responses/", {"organisation": bulgarian.pk, "message": "Haskovo joins."}
    )
    assert answer.status_code == 201, answer.json()
    response_id = answer.json()["id"]
    assert answer.json()["party_name"] == bulgarian.name

    again = api_client(contact).post(
        f"{URL}{open_request.pk}/responses/", {"organisation": bulgarian.pk, "message": "Again."}
    )
    assert again.status_code == 409 and codes(again) == ["already_responded"]

    accepted = api_client(requester).post(f"/api/v1/partner-responses/{response_id}/accept/", {})
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert ProposalPartner.objects.filter(proposal=proposal, organisation=bulgarian).exists()
    assert api_client(contact).get(f"/api/v1/proposals/{proposal.pk}/").status_code == 200
    assert api_client(requester).get(f"{URL}{open_request.pk}/").json()["state"] == "filled"


def test_accept_a_call_request_without_a_proposal_is_409(api_client, requester, contact, bulgarian, proposal):
    request = PartnerRequestFactory(municipality=proposal.lead, call=proposal.call)
    response = PartnerResponseFactory(request=request, organisation=bulgarian, responder=contact)
    url = f"/api/v1/partner-responses/{response.pk}/accept/"
    refused = api_client(requester).post(url, {})
    assert refused.status_code == 409 and codes(refused) == ["no_proposal"]
    assert api_client(requester).post(url, {"proposal": proposal.pk}).status_code == 200


def test_responses_list_is_the_requesters_and_each_their_own(
    api_client, requester, contact, bulgarian, other_team, open_request
):
    mine = PartnerResponseFactory(request=open_request, organisation=bulgarian, responder=contact)
    PartnerResponseFactory(
        request=open_request, municipality=other_team.municipality, responder=other_team.user
    )
    url = f"{URL}{open_request.pk}/responses/"
    assert api_client(requester).get(url).json()["count"] == 2
    assert [r["id"] for r in api_client(contact).get(url).json()["results"]] == [mine.pk]
    assert api_client(other_team.user).get(f"/api/v1/partner-responses/{mine.pk}/").status_code == 404


def test_decline_and_withdraw(api_client, requester, contact, bulgarian, other_team, open_request):
    first = PartnerResponseFactory(request=open_request, organisation=bulgarian, responder=contact)
    second = PartnerResponseFactory(
        request=open_request, municipality=other_team.municipality, responder=other_team.user
    )
    declined = api_client(requester).post(
        f"/api/v1/partner-responses/{first.pk}/decline/", {"reason": "No fit."}
    )
    assert declined.status_code == 200 and declined.json()["state"] == "declined"
    not_mine = api_client(requester).post(f"/api/v1/partner-responses/{second.pk}/withdraw/")
    assert not_mine.status_code == 409 and codes(not_mine) == ["not_permitted"]
    withdrawn = api_client(other_team.user).post(f"/api/v1/partner-responses/{second.pk}/withdraw/")
    assert withdrawn.json()["state"] == "withdrawn"
    late = api_client(requester).post(f"/api/v1/partner-responses/{second.pk}/accept/", {})
    assert late.status_code == 409 and codes(late) == ["not_pending"]


def test_close(api_client, requester, contact, open_request):
    refused = api_client(contact).post(f"{URL}{open_request.pk}/close/")
    assert refused.status_code == 409 and codes(refused) == ["not_permitted"]
    closed = api_client(requester).post(f"{URL}{open_request.pk}/close/")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    again = api_client(requester).post(f"{URL}{open_request.pk}/close/")
    assert again.status_code == 409 and codes(again) == ["request_closed"]


def test_respond_after_closing_is_409(api_client, contact, bulgarian, open_request):
    open_request.state = PartnerRequest.State.CLOSED
    open_request.save()
    PartnerResponseFactory(request=open_request, organisation=bulgarian, responder=contact)  # sees it still
    answer = api_client(contact).post(
        f"{URL}{open_request.pk}/responses/", {"organisation": bulgarian.pk, "message": "Late."}
    )
    assert answer.status_code == 409
    assert PartnerResponse.objects.count() == 1


def test_request_list_query_count(api_client, contact, django_assert_num_queries):
    assert_same_query_count(
        api_client(contact),
        URL,
        lambda n: [PartnerRequestFactory(themes=[ThemeFactory()]) for _ in range(n)],
        django_assert_num_queries,
    )


def test_response_list_query_count(api_client, requester, open_request, django_assert_num_queries):
    assert_same_query_count(
        api_client(requester),
        f"{URL}{open_request.pk}/responses/",
        lambda n: PartnerResponseFactory.create_batch(n, request=open_request),
        django_assert_num_queries,
    )
