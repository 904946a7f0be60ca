"""Inputs that once answered 500 (issue 12): each now gets a 4xx with the error body and changes nothing."""

import json

import pytest
from django.urls import reverse

from documents.models import DocumentSet
from grants_office.members.models import TeamMembership
from tests.factories import MunicipalityFactory, ProposalFactory, TeamMembershipFactory
from workflows.discussion.models import Comment
from workflows.states import State

LISTS = [
    "/api/v1/proposals/",
    "/api/v1/calls/",
    "/api/v1/programmes/",
    "/api/v1/municipalities/",
    "/api/v1/organisations/",
    "/api/v1/library/",
    "/api/v1/notifications/",
    "/api/v1/review-assignments/",
]


@pytest.fixture
def drafting(db):
    lead = MunicipalityFactory()
    member = TeamMembershipFactory(municipality=lead, role=TeamMembership.Role.LEAD).user
    return ProposalFactory(lead=lead, state=State.DRAFTING), member


def test_library_set_without_a_title_is_400_with_the_field(api_client, office_user):
    response = api_client(office_user).post("/api/v1/library/", {"audience": "all_members"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "title" in response.json()["fields"]
    assert not DocumentSet.objects.filter(purpose=DocumentSet.Purpose.LIBRARY).exists()


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("page", ["99999999999999999999", "9" * 5000])
def test_an_absurd_page_number_is_not_found(api_client, office_user, path, page):
    ProposalFactory()
    response = api_client(office_user).get(path, {"page": page})
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Invalid page."}


def test_a_page_of_unicode_digits_is_not_found(api_client, office_user):
    response = api_client(office_user).get("/api/v1/proposals/", {"page": "²"})
    assert response.status_code == 404


def test_pages_within_range_still_answer(api_client, office_user):
    ProposalFactory.create_batch(3)
    response = api_client(office_user).get("/api/v1/proposals/", {"page": "2", "page_size": "2"})
    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert len(response.json()["results"]) == 1


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/calls/", "deadline_after"),
        ("/api/v1/calls/", "deadline_before"),
        ("/api/v1/proposals/", "deadline_after"),
        ("/api/v1/proposals/", "deadline_before"),
    ],
)
@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00+14:00", "0999-06-01T12:00:00-23:59", "9999-12-31T23:59:59-14:00"]
)
def test_a_deadline_filter_out_of_range_is_400(api_client, office_user, path, name, value):
    ProposalFactory()
    response = api_client(office_user).get(path, {name: value})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == [name]


@pytest.mark.parametrize("value", ["2000-01-01T00:00:00+14:00", "2000-01-01T00:00:00-23:13", "2000-01-01"])
def test_a_deadline_filter_in_range_still_filters(api_client, office_user, value):
    ProposalFactory()
    for path in ("/api/v1/calls/", "/api/v1/proposals/"):
        response = api_client(office_user).get(path, {"deadline_after": value})
        assert response.status_code == 200
        assert response.json()["count"] == 1


def test_options_on_notification_preferences_describes_them(api_client, team_member):
    response = api_client(team_member).options("/api/v1/notifications/preferences/")
    assert response.status_code == 200
    assert response.json()["name"]


@pytest.mark.parametrize("depth", [5_000, 500, 65])
def test_json_nested_too_deep_is_400(api_client, team_member, depth):
    body = "[" * depth + "]" * depth
    response = api_client(team_member).generic(
        "POST", "/api/v1/proposals/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "64" in response.json()["detail"]


def test_json_nested_64_deep_is_parsed(api_client, office_user):
    inner = {"title": "Deep"}
    body = inner
    for _ in range(62):
        body = {"nested": body}
    response = api_client(office_user).post("/api/v1/proposals/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"  # parsed, then refused by the serializer


def test_nul_in_json_text_is_400(api_client, drafting):
    proposal, member = drafting
    response = api_client(member).generic(
        "POST",
        f"/api/v1/proposals/{proposal.pk}/comments/",
        json.dumps({"body": "a\x00b"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"body": ["Null characters are not allowed."]}
    assert not Comment.objects.exists()


def test_nul_deep_in_json_is_400_under_its_top_level_field(api_client, team_member):
    response = api_client(team_member).generic(
        "POST",
        "/api/v1/proposals/",
        json.dumps({"title": "Sel", "partners": [{"role": "ortak\x00"}]}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"partners": ["Null characters are not allowed."]}


def test_nul_in_the_web_comment_form_is_a_form_error(client_for, drafting):
    proposal, member = drafting
    response = client_for(member, language=None).post(
        reverse("workflows:discussion:comments", args=[proposal.pk]),
        {"body": "Bütçe\x00 tamam"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()
    assert not Comment.objects.exists()


def test_nul_in_the_web_comment_edit_is_a_form_error(client_for, drafting):
    proposal, member = drafting
    comment = Comment.objects.create(proposal=proposal, author=member, visibility="shared", body="Taslak")
    response = client_for(member, language=None).post(
        reverse("workflows:discussion:edit", args=[comment.pk]), {"body": "x\x00"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.body == "Taslak"


@pytest.mark.parametrize("pk", ["abc", "null", "1.5"])
def test_a_comment_id_that_is_not_a_number_is_not_found(api_client, team_member, pk):
    response = api_client(team_member).get(f"/api/v1/comments/{pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["office_user", "team_member"], ids=["office", "team"])
def test_options_answers_on_every_path_of_the_schema(request, api_client, who):
    from drf_spectacular.generators import SchemaGenerator

    client = api_client(request.getfixturevalue(who))
    proposal = ProposalFactory()
    for path in SchemaGenerator().get_schema(public=True)["paths"]:
        url = path.replace("{id}", str(proposal.pk)).replace("{name}", "accept")
        response = client.options(url)
        assert response.status_code < 500, url


@pytest.mark.parametrize(
    "held_at", ["0066-07-10T02:38:32+01:55", "1899-01-01T10:00:00+03:00", "9999-12-31T23:00:00Z"]
)
def test_a_consultation_out_of_range_is_400(api_client, office_user, held_at):
    proposal = ProposalFactory(state=State.IDEA)
    response = api_client(office_user).post(
        f"/api/v1/proposals/{proposal.pk}/consultations/", {"held_at": held_at}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["held_at"]
    assert not proposal.consultations.exists()


def test_a_consultation_this_year_is_recorded(api_client, office_user):
    proposal = ProposalFactory(state=State.IDEA)
    response = api_client(office_user).post(
        f"/api/v1/proposals/{proposal.pk}/consultations/",
        {"held_at": "2026-05-04T10:00:00+03:00"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["held_at"] == "2026-05-04T10:00:00+03:00"


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/review-assignments/", {"proposal": "-4.46331604091127e+265"}),
        ("/api/v1/review-assignments/", {"round": "1" + "0" * 30}),
        ("/api/v1/municipalities/", {"population_min": "1" + "0" * 30}),
    ],
)
def test_a_number_filter_out_of_the_database_range_is_400(api_client, office_user, path, params):
    response = api_client(office_user).get(path, params)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == list(params)
