"""API tokens after the second factor: an account with one sends its code with the password; an office
account without one sets it up first; an office session that has not given it is refused."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import PASSWORD
from tests.factories.identity import app_code, with_second_factor

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"


def _ask(user, **extra):
    return APIClient(HTTP_ACCEPT_LANGUAGE="en").post(
        TOKEN_URL, {"username": user.username, "password": PASSWORD, **extra}, format="json"
    )


def test_a_token_for_an_account_with_a_second_factor_needs_its_code(member):
    device, codes = with_second_factor(member)
    missing = _ask(member)
    assert missing.status_code == 400
    assert missing.json()["code"] == "invalid"
    assert "otp_code" in missing.json()["fields"]
    wrong = _ask(member, otp_code=f"{(int(app_code(device)) + 1) % 1_000_000:06d}")
    assert wrong.status_code == 400
    assert wrong.json()["fields"]["otp_code"] == [
        "This code is not right, or it has expired. Enter the current one."
    ]
    assert not AuthToken.objects.filter(user=member).exists()

    device.throttling_failure_count = 0
    device.save(update_fields=["throttling_failure_count"])
    right = _ask(member, otp_code=app_code(device))
    assert right.status_code == 200, right.content
    assert (
        APIClient(HTTP_AUTHORIZATION=f"Token {right.json()['token']}").get("/api/v1/calls/").status_code
        == 200
    )
    by_recovery = _ask(member, otp_code=codes[3])
    assert by_recovery.status_code == 200
    assert StaticToken.objects.filter(device__user=member).count() == 9


def test_a_wrong_password_says_nothing_of_the_second_factor(member):
    with_second_factor(member)
    response = APIClient().post(TOKEN_URL, {"username": member.username, "password": "nope"}, format="json")
    assert response.status_code == 400
    assert "otp_code" not in response.json()["fields"]


def test_an_office_account_without_a_second_factor_gets_no_token(coordinator):
    response = _ask(coordinator)
    assert response.status_code == 409
    assert response.json()["code"] == "second_factor_setup_required"
    assert not AuthToken.objects.filter(user=coordinator).exists()
    device, _codes = with_second_factor(coordinator)
    assert _ask(coordinator, otp_code=app_code(device)).status_code == 200


def test_a_member_without_a_second_factor_gets_a_token_with_the_password(member):
    assert _ask(member).status_code == 200


def test_the_api_refuses_an_office_session_without_the_code_but_not_its_tokens(coordinator):
    device, _codes = with_second_factor(coordinator)
    browser = Client()
    browser.force_login(coordinator)
    refused = browser.get("/api/v1/proposals/")
    assert refused.status_code == 403
    assert refused.json()["code"] == "second_factor_required"
    token = _ask(coordinator, otp_code=app_code(device)).json()["token"]
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/proposals/").status_code == 200
    assert browser.session[SESSION_KEY] == str(coordinator.pk)  # still signed in; only not verified
