"""Capacity building in a browser: the office announces a three-day camp with two seats; three members
register and the third lands on the waiting list; one cancels and the waiting list moves; the days pass;
the office takes attendance day by day, marks the camp held and issues the certificates; a holder opens
the PDF from "My certificates", and anyone can confirm it on the public verification page."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Certificate, Event, Registration, Session
from grants_office.members.models import TeamMembership
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, MunicipalityFactory, TeamMembershipFactory, office_staff

pytestmark = pytest.mark.django_db(transaction=True)
ISTANBUL = ZoneInfo("Europe/Istanbul")


def _member(name: str, username: str):
    municipality = MunicipalityFactory(name=name, province="Kırklareli")
    return TeamMembershipFactory(
        municipality=municipality, role=TeamMembership.Role.LEAD, user__username=username
    ).user


def _announce(office, first_day) -> Event:
    office.go("/events/new/")
    page = office.page
    page.locator("#id_kind").select_option("project_camp")
    page.locator("#id_title_tr").fill("Proje hazırlama kampı")
    page.locator("#id_title_en").fill("Proposal-writing camp")
    page.locator("#id_place").fill("Kıyıköy")
    page.locator("#id_capacity").fill("2")
    page.locator("#id_registration_opens_at").fill(
        f"{timezone.localtime(timezone.now() - timedelta(hours=1), ISTANBUL):%Y-%m-%dT%H:%M}"
    )
    page.locator("#id_registration_closes_at").fill(f"{first_day - timedelta(days=1):%Y-%m-%d}T17:00")
    for day in range(3):
        date = first_day + timedelta(days=day)
        page.locator(f"#id_sessions-{day}-title").fill(f"Day {day + 1}")
        page.locator(f"#id_sessions-{day}-starts_at").fill(f"{date:%Y-%m-%d}T09:00")
        page.locator(f"#id_sessions-{day}-ends_at").fill(f"{date:%Y-%m-%d}T17:00")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    event = Event.objects.get()
    assert event.sessions.count() == 3 and event.state == "draft"
    page.get_by_role("button", name="Open registration").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("dd[data-state]").first).to_have_attribute("data-state", "open")
    office.shot("camp-announced")
    return event


def _register(actor, event) -> None:
    actor.go(f"/events/{event.pk}/")
    actor.page.get_by_role("button", name="Register").click()
    actor.page.wait_for_load_state("networkidle")


def _the_days_pass(event: Event) -> None:
    """The camp took place: its days move to the past (the test's calendar)."""
    shift = -(event.ends_at - timezone.now()) - timedelta(hours=2)
    moved = {"starts_at": F("starts_at") + shift, "ends_at": F("ends_at") + shift}
    Session.objects.filter(event=event).update(**moved)
    Event.objects.filter(pk=event.pk).update(
        **moved,
        registration_opens_at=F("registration_opens_at") + shift,
        registration_closes_at=F("registration_closes_at") + shift,
    )


def test_a_camp_from_announcement_to_verified_certificates(actors):
    office_staff(username="office")
    for name, username in (("Vize", "ayse"), ("Kıyıköy", "mehmet"), ("Enez", "derya")):
        _member(f"{name} Belediyesi", username)
    office = actors("office")
    sign_in(office, "office", PASSWORD)
    first_day = timezone.localdate() + timedelta(days=10)
    event = _announce(office, first_day)

    people = {}
    for username in ("ayse", "mehmet", "derya"):
        people[username] = actors(username)
        sign_in(people[username], username, PASSWORD)
        _register(people[username], event)
    expect(people["derya"].page.locator("[data-registration] [data-state]")).to_have_attribute(
        "data-state", "waitlisted"
    )
    people["derya"].shot("on-the-waiting-list")

    people["mehmet"].go(f"/events/{event.pk}/")
    people["mehmet"].page.get_by_role("button", name="Cancel the registration").click()
    people["mehmet"].page.wait_for_load_state("networkidle")
    people["derya"].go(f"/events/{event.pk}/")
    expect(people["derya"].page.locator("[data-registration] [data-state]")).to_have_attribute(
        "data-state", "confirmed"
    )

    office.go(f"/events/{event.pk}/")
    office.page.get_by_role("button", name="Close registration").click()
    office.page.wait_for_load_state("networkidle")
    _the_days_pass(event)
    office.go(f"/events/{event.pk}/attendance/")
    for day in range(3):
        office.page.get_by_role("link", name=f"Day {day + 1}").click()
        office.page.wait_for_load_state("networkidle")
        boxes = office.page.locator("input[name=present]")
        for index in range(boxes.count()):
            # Derya misses the last day: two of three is below the camp's 80 %
            person = Registration.objects.get(pk=boxes.nth(index).get_attribute("value")).person.username
            if day < 2 or person != "derya":
                boxes.nth(index).check()
        office.page.get_by_role("button", name="Save attendance").click()
        office.page.wait_for_load_state("networkidle")
    expect(office.page.locator("[data-qualifies=yes]")).to_have_count(1)
    office.shot("attendance")
    office.go(f"/events/{event.pk}/")
    office.page.get_by_role("button", name="Mark as held").click()
    office.page.wait_for_load_state("networkidle")
    office.go(f"/events/{event.pk}/attendance/")
    office.page.get_by_role("button", name="Issue the certificates of those who qualify").click()
    office.page.wait_for_load_state("networkidle")
    certificate = Certificate.objects.get()
    assert certificate.registration.person.username == "ayse"

    holder = people["ayse"]
    holder.go("/certificates/")
    expect(holder.page.locator("main")).to_contain_text(certificate.display_code)
    pdf = holder.page.request.get(f"{holder.base_url}/certificates/{certificate.pk}.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    holder.shot("my-certificates")

    anyone = actors("anyone")
    response = anyone.go(f"/verify/{certificate.display_code}/")
    assert response.status == 200
    expect(anyone.page.locator("main")).to_contain_text("Proposal-writing camp")
    expect(anyone.page.locator("main")).not_to_contain_text("ayse@")
    anyone.shot("verified")
    assert anyone.go("/verify/AAAA-BBBB-CCCC/").status == 404
