"""Cooperation in a browser: Edirne's team lead finds a Bulgarian partner by search and publishes a
partner request for its proposal; Svilengrad's contact answers it; the lead accepts, and the contact can
open the proposal; the sister-city protocol shows on both parties' pages; Çorlu's lead sees the calls it
may lead, and not the Interreg call that only Edirne and Kırklareli may lead."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cooperation.models import PartnerRequest
from grants_office.members.models import TeamMembership
from tests.browser.conftest import sign_in
from tests.factories import (
    PASSWORD,
    CallEligibilityFactory,
    CallFactory,
    CooperationFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ProposalFactory,
    TeamMembershipFactory,
)
from workflows.models import ProposalPartner
from workflows.states import State

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_team_finds_a_partner_by_search_and_request_and_adds_it(actors):
    edirne = MunicipalityFactory(name="Edirne Belediyesi", province="Edirne")
    corlu = MunicipalityFactory(name="Çorlu Belediyesi", province="Tekirdağ")
    haskovo = OrganisationFactory(name="Haskovo Municipality", country="BG")
    svilengrad = OrganisationFactory(name="Svilengrad Municipality", country="BG")
    profile = svilengrad.partner_profile
    profile.description = "Its old market street by the Mustafa Pasha bridge."
    profile.save()
    lead = TeamMembershipFactory(
        municipality=edirne, role=TeamMembership.Role.LEAD, user__username="edirne"
    ).user
    TeamMembershipFactory(municipality=corlu, role=TeamMembership.Role.LEAD, user__username="corlu")
    TeamMembershipFactory(municipality=None, organisation=svilengrad, user__username="svilengrad")
    interreg = CallFactory(
        reference="IPA-BGTR-03",
        opens_on=timezone.localdate() - timedelta(days=10),
        deadline=timezone.now() + timedelta(days=40),
    )
    CallEligibilityFactory(
        call=interreg, lead_provinces=["Edirne", "Kırklareli"], partner_countries=["TR", "BG"]
    )
    CallFactory(
        reference="LIFE-CCA",
        opens_on=timezone.localdate() - timedelta(days=10),
        deadline=timezone.now() + timedelta(days=20),
    )
    proposal = ProposalFactory(lead=edirne, call=interreg, state=State.DRAFTING, title="Tarihi çarşılar")
    ProposalPartner.objects.create(proposal=proposal, organisation=haskovo)
    CooperationFactory(
        title="Edirne – Haskovo kardeş şehir", municipalities=[edirne], organisations=[haskovo]
    )

    team = actors("edirne")
    sign_in(team, "edirne", PASSWORD)
    team.go("/partners/")
    team.page.locator("#id_q").fill("market street")
    team.page.locator("#id_country").fill("BG")
    team.page.get_by_role("button", name="Search").click()
    team.page.wait_for_load_state("networkidle")
    expect(team.page.locator("tbody th[scope=row]")).to_have_count(1)
    expect(team.page.locator("tbody")).to_contain_text("Svilengrad Municipality")

    team.go("/partners/requests/new/")
    team.page.locator("#id_municipality").select_option(label="Edirne Belediyesi")
    team.page.locator("#id_proposal").select_option(label=str(proposal))
    team.page.locator("#id_title").fill("A second Bulgarian partner with a historic market")
    team.page.locator("#id_countries").fill("BG")
    team.page.locator("#id_answer_by").fill(f"{timezone.localdate() + timedelta(days=14):%Y-%m-%d}")
    team.page.locator("main form button[type=submit]").last.click()
    team.page.wait_for_load_state("networkidle")
    partner_request = PartnerRequest.objects.get()
    assert (partner_request.proposal, partner_request.municipality, partner_request.created_by) == (
        proposal,
        edirne,
        lead,
    )

    contact = actors("svilengrad")
    sign_in(contact, "svilengrad", PASSWORD)
    assert contact.go(f"/proposals/{proposal.pk}/").status == 404
    contact.go("/partners/requests/")
    contact.page.get_by_role("link", name="A second Bulgarian partner with a historic market").click()
    contact.page.wait_for_load_state("networkidle")
    contact.page.locator("#id_message").fill("Svilengrad would gladly join.")
    contact.page.get_by_role("button", name="Send the answer").click()
    contact.page.wait_for_load_state("networkidle")

    team.go(f"/partners/requests/{partner_request.pk}/")
    expect(team.page.locator("article.card")).to_contain_text("Svilengrad would gladly join.")
    team.page.get_by_role("button", name="Accept").click()
    team.page.wait_for_load_state("networkidle")
    expect(team.page.locator("dd[data-state]")).to_have_attribute("data-state", "filled")
    assert proposal.partners.filter(organisation=svilengrad).exists()
    assert contact.go(f"/proposals/{proposal.pk}/").status == 200

    team.go(f"/members/{edirne.pk}/")
    expect(team.page.locator("main")).to_contain_text("Edirne – Haskovo kardeş şehir")
    expect(team.page.locator("main")).to_contain_text("IPA-BGTR-03")
    team.shot("member-page")
    contact.go(f"/members/organisations/{haskovo.pk}/")
    expect(contact.page.locator("main")).to_contain_text("Edirne – Haskovo kardeş şehir")

    other = actors("corlu")
    sign_in(other, "corlu", PASSWORD)
    other.go("/calls/matches/")
    expect(other.page.locator("main")).to_contain_text("LIFE-CCA")
    expect(other.page.locator("main")).not_to_contain_text("IPA-BGTR-03")
    other.shot("calls-for-us")
