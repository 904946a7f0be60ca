"""The funder's rules on the pages: the new-idea form names the broken rule on its field, the office's
exception for a non-member lead is given on the form and shown on the proposal page."""

from decimal import Decimal

import pytest

from grants_office.members.models import Municipality
from tests.factories import CallFactory, MunicipalityFactory, ProposalFactory, office_admin
from workflows import services
from workflows.models import Proposal

pytestmark = pytest.mark.django_db


def test_the_idea_form_shows_the_call_s_limits_on_the_fields(client_for, people, lead_municipality):
    call = CallFactory(
        grant_min=Decimal("100000"), grant_max=Decimal("500000"), cofinancing_rate=Decimal("80")
    )
    response = client_for(people["member"]).post(
        "/proposals/new/",
        {
            "lead": lead_municipality.pk,
            "title": "Meriç taşkın",
            "call": call.pk,
            "currency": "TRY",
            "requested_amount": "450000",
            "total_budget": "500000",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["currency"] == ["The call grants in EUR."]
    assert errors["requested_amount"] == [
        "The call pays at most 80% of the total budget: 400,000 EUR of 500,000."
    ]
    assert "The call grants in EUR." in response.content.decode()
    assert not Proposal.objects.exists()


def test_the_idea_form_refuses_a_lead_that_resigned(client_for, people, lead_municipality):
    Municipality.objects.filter(pk=lead_municipality.pk).update(
        membership_status=Municipality.Membership.RESIGNED
    )
    client = client_for(people["member"])
    assert "lead_exception_reason" not in client.get("/proposals/new/").content.decode()
    response = client.post(
        "/proposals/new/", {"lead": lead_municipality.pk, "title": "Fikir", "currency": "EUR"}
    )
    assert response.status_code == 400
    assert "only members lead a proposal" in response.context["form"].errors["lead"][0]
    assert not Proposal.objects.exists()


def test_the_office_gives_the_exception_on_the_form_and_the_page_shows_it(client_for, people):
    malkara = MunicipalityFactory(
        name="Malkara Belediyesi", membership_status=Municipality.Membership.RESIGNED
    )
    client = client_for(people["office"])
    response = client.post(
        "/proposals/new/",
        {
            "lead": malkara.pk,
            "title": "Dijital beceri",
            "currency": "EUR",
            "lead_exception_reason": "Encümen kararı 2027/14",
        },
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == f"/proposals/{proposal.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "although it is not a member" in page and "Encümen kararı 2027/14" in page
    assert "Lead exception recorded" in page  # the history names the entry


def test_the_page_of_a_member_s_proposal_shows_no_exception(client_for, people, make_proposal):
    proposal = make_proposal()
    page = client_for(people["lead"]).get(f"/proposals/{proposal.pk}/").content.decode()
    assert "although it is not a member" not in page


def test_an_exception_recorded_later_shows_for_the_team(client_for, people, make_proposal):
    proposal = make_proposal()
    services.record_lead_exception(proposal, people["office"], reason="Birlik kararı")
    page = client_for(people["lead"]).get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Birlik kararı" in page


def _admin_form_data(response) -> dict:
    """What the admin's change form would post back unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value not in (None, ""):
            data[name] = getattr(value, "pk", value)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
    return data


def test_the_admin_refuses_a_call_whose_rules_the_proposal_breaks(client_for):
    proposal = ProposalFactory(call=None, requested_amount=Decimal("900000"), total_budget=Decimal("1000000"))
    call = CallFactory(grant_max=Decimal("500000"))
    client = client_for(office_admin())
    url = f"/admin/workflows/proposal/{proposal.pk}/change/"
    data = _admin_form_data(client.get(url))
    response = client.post(url, {**data, "call": call.pk})
    assert response.status_code == 200  # the form again, with the error
    assert response.context["adminform"].form.errors["requested_amount"] == [
        "The call grants at most 500,000 EUR."
    ]
    assert Proposal.objects.get(pk=proposal.pk).call_id is None
    assert "lead_exception_reason" not in response.context["adminform"].form.fields  # read-only
    response = client.post(url, {**data, "title": "Yeni başlık"})
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).title == "Yeni başlık"
