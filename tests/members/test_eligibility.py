"""The call's eligibility evaluated (`grants_office.members.eligibility`): each lead rule, partners,
the minimum consortium with its EU count, no rules meaning members only; and the admin's form."""

import pytest

from grants_office.members import eligibility
from grants_office.members.admin import CallEligibilityForm
from grants_office.members.models import Municipality, Organisation
from tests.factories import CallEligibilityFactory, CallFactory, MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def codes(rules):
    return [rule.code for rule in rules]


def call_with(**rules):
    call = CallFactory()
    CallEligibilityFactory(call=call, **rules)
    return CallFactory._meta.model.objects.get(pk=call.pk)


def test_a_call_without_rules_lets_members_lead_and_anyone_partner():
    call = CallFactory()
    member = MunicipalityFactory()
    resigned = MunicipalityFactory(membership_status=Municipality.Membership.RESIGNED)
    assert eligibility.lead_problems(call, member) == []
    assert codes(eligibility.lead_problems(call, resigned)) == [eligibility.LEAD_NOT_MEMBER]
    assert list(eligibility.eligible_leads(call)) == [member]
    assert eligibility.consortium_problems(call, []) == []
    assert codes(eligibility.lead_rules(None)) == [eligibility.LEAD_NOT_MEMBER]


def test_the_province_rule():
    call = call_with(lead_provinces=["Edirne", "Kırklareli"])
    keşan = MunicipalityFactory(province="Edirne")
    çorlu = MunicipalityFactory(province="Tekirdağ")
    assert eligibility.lead_problems(call, keşan) == []
    assert codes(eligibility.lead_problems(call, çorlu)) == [eligibility.LEAD_PROVINCE]
    assert list(eligibility.eligible_leads(call)) == [keşan]


def test_the_kind_rule():
    call = call_with(lead_kinds=[Municipality.Kind.METROPOLITAN, Municipality.Kind.PROVINCIAL])
    metropolitan = MunicipalityFactory(kind=Municipality.Kind.METROPOLITAN)
    town = MunicipalityFactory(kind=Municipality.Kind.TOWN)
    assert codes(eligibility.lead_problems(call, town)) == [eligibility.LEAD_KIND]
    assert list(eligibility.eligible_leads(call)) == [metropolitan]


@pytest.mark.parametrize(
    "low, high, population, eligible",
    [
        (10_000, 100_000, 10_000, True),
        (10_000, 100_000, 100_000, True),
        (10_000, 100_000, 9_999, False),
        (10_000, 100_000, 100_001, False),
        (None, 50_000, 20_000, True),
        (50_000, None, 20_000, False),
        (10_000, None, None, False),  # unknown population: not shown to fit
    ],
)
def test_the_population_range(low, high, population, eligible):
    call = call_with(lead_population_min=low, lead_population_max=high)
    municipality = MunicipalityFactory(population=population)
    problems = eligibility.lead_problems(call, municipality)
    assert (problems == []) is eligible
    assert (municipality in eligibility.eligible_leads(call)) is eligible
    if not eligible:
        assert codes(problems) == [eligibility.LEAD_POPULATION]


def test_membership_may_be_lifted_by_the_call():
    required = call_with()
    lifted = call_with(lead_membership_required=False)
    outsider = MunicipalityFactory(membership_status=Municipality.Membership.NON_MEMBER)
    assert codes(eligibility.lead_problems(required, outsider)) == [eligibility.LEAD_NOT_MEMBER]
    assert eligibility.lead_problems(lifted, outsider) == []
    assert outsider in eligibility.eligible_leads(lifted)
    assert outsider not in eligibility.eligible_leads(required)


def test_partners_by_country_and_kind():
    call = call_with(partner_countries=["BG", "TR"], partner_kinds=[Organisation.Kind.MUNICIPALITY])
    haskovo = OrganisationFactory(country="BG", kind=Organisation.Kind.MUNICIPALITY)
    thessaloniki_uni = OrganisationFactory(country="GR", kind=Organisation.Kind.UNIVERSITY)
    turkish_town = MunicipalityFactory()  # counts as a municipality from TR
    assert eligibility.partner_problems(call, haskovo) == []
    assert eligibility.partner_problems(call, turkish_town) == []
    assert codes(eligibility.partner_problems(call, thessaloniki_uni)) == [
        eligibility.PARTNER_COUNTRY,
        eligibility.PARTNER_KIND,
    ]


def test_the_minimum_consortium_counts_partners_from_eu_member_states():
    call = call_with(min_partners=2, min_eu_partners=2)
    bulgarian = OrganisationFactory(country="BG")
    greek = OrganisationFactory(country="GR")
    serbian = OrganisationFactory(country="RS")
    turkish = MunicipalityFactory()
    assert codes(eligibility.consortium_problems(call, [bulgarian])) == [
        eligibility.TOO_FEW_PARTNERS,
        eligibility.TOO_FEW_EU_PARTNERS,
    ]
    assert codes(eligibility.consortium_problems(call, [serbian, turkish])) == [
        eligibility.TOO_FEW_EU_PARTNERS
    ]
    assert eligibility.consortium_problems(call, [bulgarian, greek]) == []
    message = eligibility.consortium_problems(call, [bulgarian, serbian])[0].message
    assert "at least 2 partners from EU member states" in message and "has 1" in message


def test_the_rules_in_words():
    rules = call_with(
        lead_provinces=["Edirne"], partner_countries=["BG"], min_partners=1, min_eu_partners=1
    ).eligibility
    assert codes(eligibility.lead_rules(rules)) == [eligibility.LEAD_PROVINCE, eligibility.LEAD_NOT_MEMBER]
    assert codes(eligibility.partner_rules(rules)) == [
        eligibility.PARTNER_COUNTRY,
        eligibility.TOO_FEW_PARTNERS,
        eligibility.TOO_FEW_EU_PARTNERS,
    ]


# --- the admin's form ----------------------------------------------------------------------------------


def form_data(call, **values):
    return {
        "call": call.pk,
        "lead_membership_required": "on",
        "min_partners": "0",
        "min_eu_partners": "0",
        "partner_countries": "",
        **values,
    }


def test_the_admin_form_cleans_countries_to_upper_case_codes():
    call = CallFactory()
    form = CallEligibilityForm(
        data=form_data(call, partner_countries="bg, gr;tr  BG", lead_provinces=["Edirne", "Kırklareli"])
    )
    assert form.is_valid(), form.errors
    rules = form.save()
    assert rules.partner_countries == ["BG", "GR", "TR"]
    assert rules.lead_provinces == ["Edirne", "Kırklareli"]
    assert CallEligibilityForm(instance=rules).initial["partner_countries"] == "BG, GR, TR"


def test_the_admin_form_refuses_what_the_model_refuses():
    call = CallFactory()
    form = CallEligibilityForm(
        data=form_data(call, partner_countries="BGR", lead_population_min="5000", lead_population_max="100")
    )
    assert not form.is_valid()
    assert set(form.errors) == {"partner_countries", "lead_population_max"}
    form = CallEligibilityForm(data=form_data(call, lead_provinces=["Atlantis"]))
    assert not form.is_valid()
    assert "lead_provinces" in form.errors


def test_the_admin_form_offers_provinces_in_turkish_order():
    names = [value for value, _label in CallEligibilityForm().fields["lead_provinces"].choices]
    assert names.index("Çanakkale") == names.index("Bursa") + 1
    assert names.index("İstanbul") > names.index("Isparta")


def test_the_admin_change_page_opens(admin_client):
    rules = CallEligibilityFactory(partner_countries=["BG"])
    response = admin_client.get(f"/admin/members/calleligibility/{rules.pk}/change/")
    assert response.status_code == 200
    assert 'value="BG"' in response.content.decode()
