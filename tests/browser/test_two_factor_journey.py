"""Two-factor sign-in in a browser: the coordinator's first sign-in sets up the authenticator app before
any page (the QR code, the first code, the recovery codes kept), the next sign-in asks for the code, on a
phone too; a recovery code works when the phone is gone. Chromium from Debian, as every browser test."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.world import build_world
from tests.factories.identity import app_code

pytestmark = pytest.mark.django_db(transaction=True)


def _password(actor, username, password):
    actor.go("/accounts/login/?next=/board/")
    actor.page.locator("#id_username").fill(username)
    actor.page.locator("#id_password").fill(password)
    actor.page.locator("main form button[type=submit]").click()
    actor.page.wait_for_load_state("networkidle")


def test_the_coordinator_sets_up_the_app_then_signs_in_with_its_code(actors):
    world = build_world()
    office = actors("office")
    _password(office, "koordinator", world.password)
    page = office.page
    expect(page).to_have_url(f"{office.base_url}/account/two-factor/setup/?next=%2Fboard%2F")
    expect(page.locator("#two-factor-required")).to_be_visible()
    expect(page.locator("#totp-qr")).to_be_visible()
    office.shot("set up the second factor")
    device = TOTPDevice.objects.get(user__username="koordinator", confirmed=False)
    assert page.locator("#totp-secret").inner_text().replace(" ", "") in device.config_url
    page.get_by_label("Code").fill(app_code(device))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    office.shot("recovery codes")
    recovery = page.locator("#recovery-codes li").first.inner_text()
    page.locator("#recovery-codes-done").click()
    expect(page).to_have_url(f"{office.base_url}/board/")

    phone = actors("office-phone", width=390, height=844)
    _password(phone, "koordinator", world.password)
    expect(phone.page).to_have_url(f"{phone.base_url}/accounts/login/second-factor/")
    phone.shot("the code on a phone")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.page.get_by_label("Code").fill(app_code(device))
    phone.page.get_by_role("button", name="Sign in").click()
    expect(phone.page).to_have_url(f"{phone.base_url}/board/")

    lost = actors("office-without-phone")
    _password(lost, "koordinator", world.password)
    lost.page.get_by_label("Code").fill(recovery)
    lost.page.get_by_role("button", name="Sign in").click()
    expect(lost.page).to_have_url(f"{lost.base_url}/board/")
    expect(lost.page.locator(".messages, [role=status], .alert").first).to_contain_text("9 are left")
    assert StaticToken.objects.filter(device__user__username="koordinator").count() == 9


def test_a_team_lead_turns_it_on_from_their_settings(actors):
    world = build_world()
    lead = actors("lead")
    sign_in(lead, "ekiplideri", world.password)
    page = lead.page
    lead.go("/account/")
    page.get_by_role("link", name="two-factor sign-in").click()
    expect(page.locator("#two-factor-status")).to_have_attribute("data-state", "off")
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    device = TOTPDevice.objects.get(user__username="ekiplideri", confirmed=False)
    page.get_by_label("Code").fill(app_code(device))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.locator("#recovery-codes-done").click()
    expect(page.locator("#two-factor-status")).to_have_attribute("data-state", "on")
    lead.shot("two-factor on")
