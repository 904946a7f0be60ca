"""Personal data in a browser: a team lead finds what the office holds about them and downloads it from
their settings; the coordinator finds the lead among the people, prepares their ZIP for a request and
sees the reads in the audit trail; an admin erases a former team member, who is signed out at once.
Chromium from Debian, as every browser test."""

from __future__ import annotations

import json
import zipfile

import pytest
from playwright.sync_api import expect

from privacy import services
from privacy.models import Erasure, NoticeAcceptance
from tests import factories
from tests.browser.conftest import sign_in
from tests.browser.world import build_world
from tests.factories import office_admin

pytestmark = pytest.mark.django_db(transaction=True)


def _downloaded(page, link) -> dict:
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(download.value.path()) as archive:
        return json.loads(archive.read("data.json"))


def test_a_lead_downloads_their_data_and_the_office_answers_a_request(actors, disk_storage):
    world = build_world()
    lead = actors("lead")
    sign_in(lead, "ekiplideri", world.password)
    page = lead.page

    page.locator(".who").click()
    page.get_by_role("link", name="your data").click()
    expect(page.locator("h1")).to_have_text("Your data")
    expect(page.locator("table.holdings")).to_contain_text("Team memberships")
    page.get_by_role("button", name="Prepare the ZIP of my data").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".messages, [role=status], .alert").first).to_contain_text("being prepared")
    data = _downloaded(page, page.get_by_role("link", name="Download the ZIP").first)
    assert data["account"][0]["username"] == "ekiplideri"
    lead.shot("your data")

    phone = actors("lead-phone", width=390, height=844)
    sign_in(phone, "ekiplideri", world.password)
    phone.go("/account/data/")
    phone.shot("your data on a phone")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390

    office = actors("office")
    sign_in(office, "koordinator", world.password)
    page = office.page
    page.locator(".site-nav").get_by_role("link", name="Personal data").click()
    page.get_by_label("Name, user name or e-mail").fill("demir")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Mehmet Demir").click()
    expect(page.locator("h1")).to_have_text("Mehmet Demir")
    page.get_by_role("button", name="Prepare the ZIP of this person's data").click()
    page.wait_for_load_state("networkidle")
    data = _downloaded(page, page.get_by_role("link", name="Download the ZIP").first)
    assert data["account"][0]["username"] == "ekiplideri"
    office.shot("a person's page")

    page.get_by_role("link", name="Changes and reads of this person's records in the audit trail").click()
    trail = page.locator("table.audit-trail")
    expect(trail).to_contain_text("the person's page")
    expect(trail).to_contain_text("the person's data, downloaded")
    office.shot("the reads in the trail")

    page.locator(".tabs").get_by_role("link", name="Retention").click()
    expect(page.locator("table.retention-rules")).to_contain_text("Sign-ins and failed sign-in attempts")
    expect(page.locator("table.retention-runs")).to_contain_text("Nothing has been destroyed yet.")
    office.shot("retention")


def test_an_admin_erases_a_former_member_who_is_signed_out_everywhere(actors, disk_storage):
    world = build_world()
    former = factories.TeamMembershipFactory(
        municipality=world.municipality,
        user__username="eski.uye",
        user__first_name="Orhan",
        user__last_name="Yıldız",
    ).user
    office_admin(username="mudur", first_name="Deniz", last_name="Arslan")
    theirs = actors("former")
    sign_in(theirs, "eski.uye", world.password)

    admin = actors("admin")
    sign_in(admin, "mudur", world.password)
    page = admin.page
    admin.go(f"/privacy/people/{world.office.pk}/")
    expect(page.locator("[data-reason=office_role]")).to_be_visible()
    admin.go("/privacy/people/")
    page.get_by_label("Name, user name or e-mail").fill("yıldız")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Orhan Yıldız").click()
    page.get_by_label("Request answered").fill("KVKK-2026-03, by e-mail")
    page.get_by_role("button", name="Erase this person").click()
    expect(page.get_by_label("I understand")).to_have_attribute("required", "")  # the browser stops it
    assert not Erasure.objects.exists()
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Erase this person").click()
    expect(page.locator("[data-erased]")).to_be_visible()
    erasure = Erasure.objects.get(person=former)
    expect(page.locator("h1")).to_have_text(erasure.pseudonym)
    assert "Orhan" not in page.content()
    admin.shot("an erased person")

    theirs.page.reload()
    expect(theirs.page.locator("input[name=username]")).to_be_visible()


def test_the_privacy_notice_comes_first_at_sign_in_in_the_persons_language(actors, disk_storage):
    world = build_world()
    admin = office_admin(username="mudur")
    services.publish_notice(admin, "Verileriniz KVKK uyarınca işlenir.", "Your data is processed under KVKK.")
    lead = actors("lead")
    sign_in(lead, "ekiplideri", world.password)
    page = lead.page

    expect(page.locator("h1")).to_have_text("Privacy notice")
    expect(page.locator(".notice-text")).to_contain_text("Your data is processed under KVKK.")
    lead.shot("the notice at sign-in")
    page.get_by_role("button", name="I have read the privacy notice").click()
    page.wait_for_load_state("networkidle")
    assert "/privacy/notice/" not in page.url
    assert NoticeAcceptance.objects.filter(user=world.lead, notice__version=1).exists()

    lead.go("/board/")
    assert "/privacy/notice/" not in lead.page.url  # asked once
