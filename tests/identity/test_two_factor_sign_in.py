"""Signing in with a second factor in the pages: the password alone signs nobody in who has one; the
app's code or a recovery code (once) does; the office cannot work without it."""

import time
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from grants_office.identity import flow
from tests.factories.identity import app_code, with_second_factor
from tests.identity.conftest import sign_in_with_password

pytestmark = pytest.mark.django_db


def test_the_password_alone_does_not_sign_in_a_person_with_a_second_factor(browser, member):
    device, _codes = with_second_factor(member)
    response = sign_in_with_password(browser, member, next="/proposals/mine/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/second-factor/"
    assert SESSION_KEY not in browser.session  # not signed in yet
    assert browser.get("/account/").status_code == 302  # to the sign-in page
    page = browser.get("/accounts/login/second-factor/")
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()

    response = browser.post("/accounts/login/second-factor/", {"code": app_code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/proposals/mine/"
    assert browser.session[SESSION_KEY] == str(member.pk)
    assert browser.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert browser.get("/account/").status_code == 200


def test_a_wrong_code_signs_nobody_in_and_says_why(browser, member):
    device, _codes = with_second_factor(member)
    sign_in_with_password(browser, member)
    wrong = f"{(int(app_code(device)) + 1) % 1_000_000:06d}"
    response = browser.post("/accounts/login/second-factor/", {"code": wrong})
    assert response.status_code == 400
    assert "This code is not right" in response.content.decode()
    assert SESSION_KEY not in browser.session
    response = browser.post("/accounts/login/second-factor/", {"code": ""})
    assert response.status_code == 400
    assert SESSION_KEY not in browser.session


def test_a_wrong_code_makes_the_next_try_wait_even_with_the_right_code(browser, member):
    device, _codes = with_second_factor(member)
    sign_in_with_password(browser, member)
    right = app_code(device)
    browser.post("/accounts/login/second-factor/", {"code": f"{(int(right) + 1) % 1_000_000:06d}"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # kept, though the answer was a refusal
    response = browser.post("/accounts/login/second-factor/", {"code": right})
    assert response.status_code == 400
    assert "Too many wrong codes. Wait 1 second and" in response.content.decode()
    assert SESSION_KEY not in browser.session
    # the wait doubles with each wrong code; once it has passed, the right code signs in
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=device.throttling_failure_timestamp - timedelta(seconds=2)
    )
    assert browser.post("/accounts/login/second-factor/", {"code": right}).status_code == 302
    assert browser.session[SESSION_KEY] == str(member.pk)


def test_a_code_works_once(browser, client_for, member):
    device, _codes = with_second_factor(member)
    code = app_code(device)
    sign_in_with_password(browser, member)
    assert browser.post("/accounts/login/second-factor/", {"code": code}).status_code == 302
    other = client_for(None)
    sign_in_with_password(other, member)
    assert other.post("/accounts/login/second-factor/", {"code": code}).status_code == 400  # a replay


def test_a_recovery_code_signs_in_once_and_says_how_many_are_left(browser, client_for, member):
    _device, codes = with_second_factor(member)
    assert len(codes) == 10 and len(set(codes)) == 10
    sign_in_with_password(browser, member)
    response = browser.post("/accounts/login/second-factor/", {"code": codes[0].upper()}, follow=True)
    assert response.status_code == 200
    assert "You used a recovery code; 9 are left." in response.content.decode()
    assert StaticToken.objects.filter(device__user=member).count() == 9
    again = client_for(None)
    sign_in_with_password(again, member)
    assert again.post("/accounts/login/second-factor/", {"code": codes[0]}).status_code == 400
    assert SESSION_KEY not in again.session


def test_the_wait_for_the_code_ends(browser, member, settings):
    device, _codes = with_second_factor(member)
    sign_in_with_password(browser, member)
    session = browser.session
    session[flow.PENDING]["at"] = time.time() - settings.TWO_FACTOR_PENDING_SECONDS - 1
    session.save()
    response = browser.post("/accounts/login/second-factor/", {"code": app_code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert SESSION_KEY not in browser.session


def test_a_person_without_a_second_factor_signs_in_with_the_password(browser, member):
    response = sign_in_with_password(browser, member)
    assert response.status_code == 302
    assert browser.session[SESSION_KEY] == str(member.pk)
    assert browser.get("/account/").status_code == 200


def test_the_office_sets_up_its_second_factor_before_anything_else(browser, coordinator):
    response = sign_in_with_password(browser, coordinator, next="/board/")
    assert browser.session[SESSION_KEY] == str(coordinator.pk)  # the password is right
    response = browser.get("/board/")
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/setup/?next=%2Fboard%2F"
    assert browser.get("/admin/").status_code == 302
    api = browser.get("/api/v1/proposals/")
    assert api.status_code == 403
    assert api.json()["code"] == "second_factor_required"

    page = browser.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="two-factor-required"' in body
    assert 'src="data:image/svg+xml' in body
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    shown = body.split('id="totp-secret" class="secret">', 1)[1].split("<", 1)[0].replace(" ", "")
    assert shown in device.config_url  # the key the QR code carries, for typing it
    assert browser.get(response["Location"]).status_code == 200
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1  # the same key, not a new one

    done = browser.post("/account/two-factor/setup/", {"code": app_code(device), "next": "/board/"})
    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]
    codes = StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True)
    assert len(codes) == 10
    assert all(f"{code[:4]}-{code[4:]}" in done.content.decode() for code in codes)
    assert 'href="/board/"' in done.content.decode()
    assert browser.get("/board/").status_code == 200  # this session proved the app
    assert browser.get("/api/v1/proposals/").status_code == 200
    entry = LogEntry.objects.filter(object_pk=str(coordinator.pk), changes__has_key="second_factor").get()
    assert entry.changes["second_factor"] == ["off", "authenticator app"]
    assert entry.actor == coordinator


def test_the_office_with_a_second_factor_gives_the_code_at_sign_in(browser, coordinator):
    device, _codes = with_second_factor(coordinator)
    sign_in_with_password(browser, coordinator)
    assert SESSION_KEY not in browser.session
    browser.post("/accounts/login/second-factor/", {"code": app_code(device)})
    assert browser.get("/board/").status_code == 200


def test_an_office_session_without_the_code_is_asked_for_it(coordinator):
    """A session signed in before the second factor was required (or by a path that skipped it)."""
    device, _codes = with_second_factor(coordinator)
    browser = Client()  # not the tests' page_client, which gives the second factor
    browser.force_login(coordinator)
    response = browser.get("/board/")
    assert response["Location"] == "/accounts/login/second-factor/?next=%2Fboard%2F"
    response = browser.post("/accounts/login/second-factor/", {"code": app_code(device), "next": "/board/"})
    assert response["Location"] == "/board/"
    assert browser.get("/board/").status_code == 200


def test_the_requirement_can_be_turned_off_for_a_directory_that_asks_its_own(browser, coordinator, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_OFFICE = False
    sign_in_with_password(browser, coordinator)
    assert browser.get("/board/").status_code == 200


def test_the_next_address_after_the_code_stays_on_this_site(browser, coordinator):
    device, _codes = with_second_factor(coordinator)
    browser.force_login(coordinator)
    response = browser.post(
        "/accounts/login/second-factor/", {"code": app_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
