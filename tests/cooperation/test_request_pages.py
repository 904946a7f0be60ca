"""The partner request pages and the cooperation registry page."""

import pytest

from cooperation.models import Cooperation, PartnerRequest, PartnerResponse
from tests.factories import (
    CooperationFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PartnerRequestFactory,
    PartnerResponseFactory,
    ThemeFactory,
    UserFactory,
)
from tests.querycount import assert_same_query_count
from workflows.models import ProposalPartner

pytestmark = pytest.mark.django_db


def rows(marker):
    return lambda html: html.count(marker)


def test_list_shows_open_requests(client_for, contact, open_request):
    PartnerRequestFactory(state=PartnerRequest.State.CLOSED)
    page = client_for(contact).get("/partners/requests/")
    assert page.status_code == 200
    assert page.content.decode().count('data-request="') == 1
    assert open_request.title in page.content.decode()


def test_list_is_refused_to_somebody_on_no_team(client_for):
    assert client_for(UserFactory()).get("/partners/requests/").status_code == 403


def test_publish_through_the_page(client_for, requester, proposal, tomorrow):
    client = client_for(requester)
    assert client.get("/partners/requests/new/").status_code == 200
    answer = client.post(
        "/partners/requests/new/",
        {
            "municipality": proposal.lead_id,
            "proposal": proposal.pk,
            "title": "Partner wanted",
            "role_wanted": "partner",
            "countries": "bg, ro",
            "answer_by": tomorrow.isoformat(),
        },
    )
    request = PartnerRequest.objects.get()
    assert answer.status_code == 302 and answer.url == f"/partners/requests/{request.pk}/"
    assert request.countries == ["BG", "RO"] and request.call == proposal.call


def test_publish_with_bad_countries_shows_the_form_again(client_for, requester, proposal, tomorrow):
    answer = client_for(requester).post(
        "/partners/requests/new/",
        {
            "municipality": proposal.lead_id,
            "call": proposal.call_id,
            "title": "Partner wanted",
            "role_wanted": "partner",
            "countries": "Bulgaria",
            "answer_by": tomorrow.isoformat(),
        },
    )
    assert answer.status_code == 400
    assert "Use two-letter country codes" in answer.content.decode()
    assert not PartnerRequest.objects.exists()


def test_contact_answers_and_the_requester_accepts(
    client_for, contact, bulgarian, requester, open_request, proposal
):
    detail = client_for(contact).get(f"/partners/requests/{open_request.pk}/")
    assert "Answer this request" in detail.content.decode()
    answer = client_for(contact).post(
        f"/partners/requests/{open_request.pk}/respond/", {"party": f"o{bulgarian.pk}", "message": "We join."}
    )
    assert answer.status_code == 302
    response = PartnerResponse.objects.get()
    again = client_for(contact).post(
        f"/partners/requests/{open_request.pk}/respond/", {"party": f"o{bulgarian.pk}", "message": "Again."}
    )
    assert again.status_code == 409 and 'data-reason="already_responded"' in again.content.decode()

    page = client_for(requester).get(f"/partners/requests/{open_request.pk}/").content.decode()
    assert f"/partners/responses/{response.pk}/accept/" in page
    accepted = client_for(requester).post(f"/partners/responses/{response.pk}/accept/")
    assert accepted.status_code == 302
    assert ProposalPartner.objects.filter(proposal=proposal, organisation=bulgarian).exists()
    assert client_for(contact).get(f"/proposals/{proposal.pk}/").status_code == 200


def test_decline_and_withdraw_through_the_page(
    client_for, requester, contact, bulgarian, other_team, open_request
):
    first = PartnerResponseFactory(request=open_request, organisation=bulgarian, responder=contact)
    second = PartnerResponseFactory(
        request=open_request, municipality=other_team.municipality, responder=other_team.user
    )
    assert (
        client_for(requester).post(f"/partners/responses/{first.pk}/decline/", {"reason": "No"}).status_code
        == 302
    )
    refused = client_for(requester).post(f"/partners/responses/{second.pk}/withdraw/")
    assert refused.status_code == 409
    assert client_for(other_team.user).post(f"/partners/responses/{second.pk}/withdraw/").status_code == 302
    states = dict(PartnerResponse.objects.values_list("pk", "state"))
    assert states == {first.pk: "declined", second.pk: "withdrawn"}


def test_close_through_the_page(client_for, requester, contact, open_request):
    assert client_for(contact).post(f"/partners/requests/{open_request.pk}/close/").status_code == 409
    assert client_for(requester).post(f"/partners/requests/{open_request.pk}/close/").status_code == 302
    open_request.refresh_from_db()
    assert open_request.state == PartnerRequest.State.CLOSED


def test_closed_request_page_is_404_for_other_teams(client_for, other_team, open_request):
    open_request.state = PartnerRequest.State.CLOSED
    open_request.save()
    assert client_for(other_team.user).get(f"/partners/requests/{open_request.pk}/").status_code == 404
    response = PartnerResponseFactory(request=open_request, organisation=OrganisationFactory())
    assert client_for(other_team.user).post(f"/partners/responses/{response.pk}/accept/").status_code == 404


def test_request_list_query_count(client_for, contact, django_assert_num_queries):
    assert_same_query_count(
        client_for(contact),
        "/partners/requests/",
        lambda n: [PartnerRequestFactory(themes=[ThemeFactory()]) for _ in range(n)],
        django_assert_num_queries,
        rows_in=rows('data-request="'),
    )


def test_request_detail_query_count(client_for, requester, open_request, django_assert_num_queries):
    assert_same_query_count(
        client_for(requester),
        f"/partners/requests/{open_request.pk}/",
        lambda n: PartnerResponseFactory.create_batch(n, request=open_request),
        django_assert_num_queries,
        rows_in=rows('data-response="'),
    )


def test_registry_page_for_members_and_the_office_records(client_for, office_user, requester):
    corlu, haskovo = MunicipalityFactory(), OrganisationFactory()
    CooperationFactory(municipalities=[corlu], organisations=[haskovo])
    page = client_for(requester).get("/cooperations/")
    assert page.status_code == 200 and "Record an agreement" not in page.content.decode()
    assert client_for(requester).post("/cooperations/", {"kind": "agreement"}).status_code == 403
    refused = client_for(office_user).post(
        "/cooperations/", {"kind": "agreement", "title": "X", "municipalities": [corlu.pk]}
    )
    assert refused.status_code == 400 and Cooperation.objects.count() == 1
    answer = client_for(office_user).post(
        "/cooperations/",
        {
            "kind": "sister_city",
            "title": "Çorlu – Haskovo",
            "municipalities": [corlu.pk],
            "organisations": [haskovo.pk],
        },
    )
    assert answer.status_code == 302
    assert Cooperation.objects.get(title="Çorlu – Haskovo").document_set is not None


def test_registry_page_query_count(client_for, requester, django_assert_num_queries):
    assert_same_query_count(
        client_for(requester),
        "/cooperations/",
        lambda n: [
            CooperationFactory(municipalities=[MunicipalityFactory()], organisations=[OrganisationFactory()])
            for _ in range(n)
        ],
        django_assert_num_queries,
        rows_in=rows('data-cooperation="'),
    )
