"""The call's eligibility in the lifecycle: create and edit answer 400 (`fields.lead`, `fields.partners`)
for a lead or a partner the call does not admit, and sign-off and submission answer 409 with the rule's
code for a lead that is not eligible or a consortium that misses the minimum. Nothing changes on refusal."""

import pytest
from django.utils import timezone

from grants_office.members import eligibility
from grants_office.members.models import Municipality, Organisation
from tests.factories import CallEligibilityFactory, CallFactory, MunicipalityFactory, OrganisationFactory
from workflows.models import Proposal, ProposalPartner
from workflows.states import State

LIST = "/api/v1/proposals/"

pytestmark = pytest.mark.django_db


def detail(proposal):
    return f"{LIST}{proposal.pk}/"


def move(client, proposal, name, **data):
    return client.post(f"{detail(proposal)}transitions/{name}/", data, format="json")


def reason_codes(response):
    return [reason["code"] for reason in response.json()["reasons"]]


@pytest.fixture
def interreg(db):
    """Interreg IPA Bulgaria–Türkiye: leads from Edirne and Kırklareli, partners from Bulgaria."""
    call = CallFactory(reference="IPA-BG-TR-2027")
    CallEligibilityFactory(
        call=call, lead_provinces=["Edirne", "Kırklareli"], partner_countries=["BG", "TR"], min_eu_partners=1
    )
    return call


# --- create -----------------------------------------------------------------------------------------------


def test_a_lead_outside_the_call_s_provinces_is_refused_on_create(
    api_client, people, lead_municipality, interreg
):
    response = api_client(people["member"]).post(
        LIST, {"lead": lead_municipality.pk, "title": "Meriç", "call": interreg.pk}, format="json"
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body["fields"]) == ["lead"]
    assert "Edirne, Kırklareli" in body["fields"]["lead"][0]
    assert eligibility.LEAD_PROVINCE in body["detail"]
    assert not Proposal.objects.exists()


def test_a_lead_in_the_call_s_provinces_registers_its_idea(api_client, people, lead_municipality, interreg):
    Municipality.objects.filter(pk=lead_municipality.pk).update(province="Edirne")
    response = api_client(people["member"]).post(
        LIST, {"lead": lead_municipality.pk, "title": "Meriç", "call": interreg.pk}, format="json"
    )
    assert response.status_code == 201, response.content


def test_kind_and_population_rules_answer_their_codes(api_client, people, lead_municipality):
    call = CallFactory()
    CallEligibilityFactory(call=call, lead_kinds=["metropolitan"], lead_population_min=100_000)
    response = api_client(people["member"]).post(
        LIST, {"lead": lead_municipality.pk, "title": "Fikir", "call": call.pk}, format="json"
    )
    assert response.status_code == 400
    assert len(response.json()["fields"]["lead"]) == 2
    assert eligibility.LEAD_KIND in response.json()["detail"]
    assert eligibility.LEAD_POPULATION in response.json()["detail"]


def test_a_partner_the_call_does_not_admit_is_refused_on_create(
    api_client, people, lead_municipality, interreg
):
    Municipality.objects.filter(pk=lead_municipality.pk).update(province="Edirne")
    greek = OrganisationFactory(name="Alexandroupoli", country="GR")
    response = api_client(people["member"]).post(
        LIST,
        {
            "lead": lead_municipality.pk,
            "title": "Meriç",
            "call": interreg.pk,
            "partners": [{"organisation": greek.pk}],
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert list(response.json()["fields"]) == ["partners"]
    assert "Alexandroupoli" in response.json()["fields"]["partners"][0]
    assert eligibility.PARTNER_COUNTRY in response.json()["detail"]
    assert not Proposal.objects.exists()
    assert not ProposalPartner.objects.exists()


def test_a_partner_kind_the_call_does_not_admit_is_refused(api_client, people, lead_municipality):
    call = CallFactory()
    CallEligibilityFactory(call=call, partner_kinds=[Organisation.Kind.UNIVERSITY])
    ngo = OrganisationFactory(kind=Organisation.Kind.NGO)
    response = api_client(people["member"]).post(
        LIST,
        {
            "lead": lead_municipality.pk,
            "title": "Fikir",
            "call": call.pk,
            "partners": [{"organisation": ngo.pk}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert eligibility.PARTNER_KIND in response.json()["detail"]
    assert not Proposal.objects.exists()


# --- only members lead: one rule, the call may lift it ---------------------------------------------------


def test_a_call_that_does_not_require_membership_lets_a_non_member_lead(
    api_client, people, lead_municipality
):
    Municipality.objects.filter(pk=lead_municipality.pk).update(
        membership_status=Municipality.Membership.NON_MEMBER
    )
    open_call = CallFactory()
    CallEligibilityFactory(call=open_call, lead_membership_required=False)
    client = api_client(people["office"])
    refused = client.post(
        LIST, {"lead": lead_municipality.pk, "title": "Fikir", "call": CallFactory().pk}, format="json"
    )
    assert refused.status_code == 400
    assert "only members lead a proposal" in refused.json()["fields"]["lead"][0]
    response = client.post(
        LIST, {"lead": lead_municipality.pk, "title": "Fikir", "call": open_call.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["lead_exception"] is None


def test_the_office_s_exception_waives_membership_but_not_the_funder_s_rules(
    api_client, people, lead_municipality, interreg
):
    Municipality.objects.filter(pk=lead_municipality.pk).update(
        membership_status=Municipality.Membership.RESIGNED
    )
    response = api_client(people["office"]).post(
        LIST,
        {
            "lead": lead_municipality.pk,
            "title": "Fikir",
            "call": interreg.pk,
            "lead_exception_reason": "Karar 1",
        },
        format="json",
    )
    assert response.status_code == 400
    assert eligibility.LEAD_PROVINCE in response.json()["detail"]
    assert eligibility.LEAD_NOT_MEMBER not in response.json()["detail"]


# --- edit -------------------------------------------------------------------------------------------------


def test_changing_the_call_checks_the_lead_again(api_client, people, make_proposal, interreg):
    proposal = make_proposal(state=State.IDEA, call=None)
    response = api_client(people["lead"]).patch(detail(proposal), {"call": interreg.pk}, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()["fields"]) == ["lead"]
    proposal.refresh_from_db()
    assert proposal.call_id is None


def test_changing_the_call_checks_the_partners_it_keeps(api_client, people, make_proposal):
    proposal = make_proposal(state=State.IDEA, call=None)  # partner: Haskovo (BG)
    call = CallFactory()
    CallEligibilityFactory(call=call, partner_countries=["TR"])
    response = api_client(people["lead"]).patch(detail(proposal), {"call": call.pk}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["partners"]
    proposal.refresh_from_db()
    assert proposal.call_id is None


def test_changing_the_partners_checks_them_against_the_call(
    api_client, people, make_proposal, lead_municipality, interreg
):
    Municipality.objects.filter(pk=lead_municipality.pk).update(province="Kırklareli")
    proposal = make_proposal(state=State.IDEA, call=interreg)
    greek = OrganisationFactory(country="GR")
    response = api_client(people["lead"]).patch(
        detail(proposal), {"partners": [{"organisation": greek.pk}]}, format="json"
    )
    assert response.status_code == 400, response.content
    assert list(response.json()["fields"]) == ["partners"]
    assert [p.organisation.country for p in proposal.partners.all()] == ["BG"]
    bulgarian = OrganisationFactory(country="BG")
    response = api_client(people["lead"]).patch(
        detail(proposal), {"partners": [{"organisation": bulgarian.pk}]}, format="json"
    )
    assert response.status_code == 200, response.content


# --- sign-off and submission ------------------------------------------------------------------------------


def test_a_lead_no_longer_eligible_blocks_sign_off(api_client, people, make_proposal, interreg):
    proposal = make_proposal(state=State.DRAFTING, call=interreg)  # the rules came after the idea
    response = move(api_client(people["office"]), proposal, "mark_ready")
    assert response.status_code == 409
    assert reason_codes(response) == [eligibility.LEAD_PROVINCE]
    proposal.refresh_from_db()
    assert proposal.state == State.DRAFTING


def test_a_consortium_without_an_eu_partner_blocks_sign_off_and_submission(
    api_client, people, make_proposal, lead_municipality
):
    call = CallFactory()
    CallEligibilityFactory(call=call, min_partners=2, min_eu_partners=1)
    drafting = make_proposal(state=State.DRAFTING, call=call)
    ready = make_proposal(state=State.READY, call=call)
    ProposalPartner.objects.filter(proposal__in=[drafting, ready]).delete()
    ProposalPartner.objects.create(proposal=drafting, municipality=MunicipalityFactory())
    client = api_client(people["office"])
    response = move(client, drafting, "mark_ready")
    assert response.status_code == 409
    assert reason_codes(response) == [eligibility.TOO_FEW_PARTNERS, eligibility.TOO_FEW_EU_PARTNERS]
    assert "from an EU member state" in response.json()["reasons"][1]["message"]
    response = move(client, ready, "submit", funder_reference="X-1", submitted_at=timezone.now().isoformat())
    assert response.status_code == 409
    assert reason_codes(response) == [eligibility.TOO_FEW_PARTNERS, eligibility.TOO_FEW_EU_PARTNERS]
    assert [p.state for p in Proposal.objects.order_by("pk")] == [State.DRAFTING, State.READY]


def test_a_consortium_that_meets_the_minimum_is_signed_off(api_client, people, make_proposal):
    call = CallFactory()
    CallEligibilityFactory(call=call, min_partners=1, min_eu_partners=1, partner_countries=["BG"])
    proposal = make_proposal(state=State.DRAFTING, call=call)  # partner: Haskovo (BG)
    response = move(api_client(people["office"]), proposal, "mark_ready")
    assert response.status_code == 200, response.content
    proposal.refresh_from_db()
    assert proposal.state == State.READY


def test_the_moves_panel_explains_the_blocked_sign_off(api_client, people, make_proposal):
    call = CallFactory()
    CallEligibilityFactory(call=call, partner_countries=["TR"])
    proposal = make_proposal(state=State.DRAFTING, call=call)
    response = api_client(people["office"]).get(f"{detail(proposal)}transitions/")
    assert response.status_code == 200
    mark_ready = next(option for option in response.json()["transitions"] if option["name"] == "mark_ready")
    assert [reason["code"] for reason in mark_ready["reasons"]] == [eligibility.PARTNER_COUNTRY]
