from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import AuthToken

from tests.factories import PASSWORD, UserFactory


@pytest.mark.django_db
def test_token_endpoint_returns_token_and_expiry_for_good_credentials(api_client):
    user = UserFactory(username="ayse")
    response = api_client().post(
        "/api/v1/auth/token/", {"username": "ayse", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expiry"}
    assert AuthToken.objects.filter(user=user).count() == 1
    # The token itself works for the API.
    authed = api_client()
    authed.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert authed.get("/api/v1/municipalities/").status_code == 200


@pytest.mark.django_db
def test_token_endpoint_refuses_bad_password_with_error_body(api_client):
    UserFactory(username="ayse")
    response = api_client().post(
        "/api/v1/auth/token/", {"username": "ayse", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "non_field_errors" in body["fields"]
    assert AuthToken.objects.count() == 0


@pytest.mark.django_db
def test_token_endpoint_refuses_inactive_user(api_client):
    UserFactory(username="gone", is_active=False)
    response = api_client().post("/api/v1/auth/token/", {"username": "gone", "password": PASSWORD})
    assert response.status_code == 400


@pytest.mark.django_db
def test_token_endpoint_missing_fields_answer_400_per_field(api_client):
    response = api_client().post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"username", "password"}


@pytest.mark.django_db
def test_expired_token_answers_401_with_error_body(api_client):
    user = UserFactory()
    instance, token = AuthToken.objects.create(user, timedelta(hours=1))
    AuthToken.objects.filter(pk=instance.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/v1/calls/")
    assert response.status_code == 401
    assert response.json()["code"] in {"authentication_failed", "not_authenticated"}
    assert set(response.json()) == {"code", "detail"}


@pytest.mark.django_db
def test_anonymous_api_request_answers_401_with_error_body(api_client):
    response = api_client().get("/api/v1/municipalities/")
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "detail": response.json()["detail"]}


@pytest.mark.django_db
def test_unknown_object_answers_404_with_error_body(api_client, team_member):
    response = api_client(team_member).get("/api/v1/calls/999999/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_write_to_read_only_endpoint_answers_405_with_error_body(api_client, office_user):
    response = api_client(office_user).post("/api/v1/calls/", {}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.django_db
def test_openapi_schema_and_docs_are_served_without_cdn(client_for, office_user):
    # public only in DEBUG or with API_DOCS_PUBLIC (test_production_posture)
    client = client_for(office_user, language=None)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/proposals/" in schema.content or b"/api/v1/calls/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html


def test_openapi_schema_generates_without_warnings(tmp_path):
    # a warning (an unnamed enum, a view without a serializer) fails the command
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yml"))
    assert "/api/v1/proposals/{id}/transitions/" in (tmp_path / "schema.yml").read_text()
