"""Every party has a partner profile, its search document follows what it is built from, and the
profile is edited by the party's team lead or the office (services and the API)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cooperation.models import PartnerProfile
from cooperation.search_documents import ensure_profiles, rebuild_documents
from cooperation.services.profiles import profile_tag, update_profile
from grants_office.core.concurrency import Precondition
from grants_office.core.errors import Conflict, Invalid, NotFound, PreconditionFailed
from grants_office.members.imports import import_municipalities
from grants_office.members.models import Municipality, Organisation, TeamMembership
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    ProposalFactory,
    TeamMembershipFactory,
    ThemeFactory,
    UserFactory,
)
from workflows.models import ProposalPartner
from workflows.states import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_of():
    def make(party):
        side = (
            {"municipality": party}
            if isinstance(party, Municipality)
            else {"municipality": None, "organisation": party}
        )
        return TeamMembershipFactory(role=TeamMembership.Role.LEAD, **side).user

    return make


def test_a_new_municipality_has_its_profile_with_its_document():
    municipality = MunicipalityFactory(
        name="Lüleburgaz Belediyesi", province="Kırklareli", district="Lüleburgaz"
    )
    document = municipality.partner_profile.search_document
    assert "lüleburgaz belediyesi" in document
    assert "kırklareli" in document
    assert "district municipality" in document and "ilçe belediyesi" in document
    assert "türkiye" in document


def test_a_new_organisation_has_its_profile_in_both_languages_of_its_kind():
    organisation = OrganisationFactory(name="Haskovo Municipality", city="Haskovo", country="BG")
    document = organisation.partner_profile.search_document
    assert "haskovo municipality" in document and "bg" in document
    assert "municipality abroad" in document and "yurt dışındaki belediye" in document


def test_the_document_follows_a_rename_and_the_themes():
    municipality = MunicipalityFactory(name="Çorlu Belediyesi")
    profile = municipality.partner_profile
    tourism = ThemeFactory(code="tourism", name_en="Tourism", name_tr="Turizm")
    profile.themes.add(tourism)
    municipality.name = "ÇORLU İLÇE BELEDİYESİ"
    municipality.save()
    profile.refresh_from_db()
    assert "çorlu ilçe belediyesi" in profile.search_document  # Turkish case folding: İ → i
    assert "tourism" in profile.search_document and "turizm" in profile.search_document
    tourism.name_en = "Sustainable tourism"
    tourism.save()
    profile.refresh_from_db()
    assert "sustainable tourism" in profile.search_document
    profile.themes.remove(tourism)
    profile.refresh_from_db()
    assert "turizm" not in profile.search_document


def test_funded_projects_of_lead_and_partner_enter_their_documents():
    lead = MunicipalityFactory()
    partner = OrganisationFactory()
    drafting = ProposalFactory(lead=lead, title="Meriç flood warning", state=State.DRAFTING)
    ProposalPartner.objects.create(proposal=drafting, organisation=partner)
    assert "meriç" not in lead.partner_profile.search_document
    funded = ProposalFactory(lead=lead, title="Edirne heritage route", state=State.AWARDED)
    ProposalPartner.objects.create(proposal=funded, organisation=partner)
    lead.partner_profile.refresh_from_db()
    partner.partner_profile.refresh_from_db()
    assert "edirne heritage route" in lead.partner_profile.search_document
    assert "edirne heritage route" in partner.partner_profile.search_document
    assert "meriç" not in partner.partner_profile.search_document


def test_bulk_created_parties_get_their_profiles_from_ensure_profiles():
    Municipality.objects.bulk_create([Municipality(name="Babaeski", province="Kırklareli", kind="district")])
    Organisation.objects.bulk_create(
        [Organisation(name="Trakya Üniversitesi", kind="university", country="TR")]
    )
    assert PartnerProfile.objects.filter(search_document="").count() == 0
    assert ensure_profiles() == 2
    assert ensure_profiles() == 0
    documents = set(PartnerProfile.objects.values_list("search_document", flat=True))
    assert any("babaeski" in document for document in documents)
    assert any("trakya üniversitesi" in document and "university" in document for document in documents)


def test_rebuilding_every_document_changes_nothing_when_they_are_current():
    MunicipalityFactory.create_batch(3)
    assert rebuild_documents() == 0
    PartnerProfile.objects.update(search_document="")
    assert rebuild_documents() == PartnerProfile.objects.count()


def test_the_team_lead_edits_the_profile(lead_of):
    municipality = MunicipalityFactory()
    ThemeFactory(code="energy", name_en="Energy", name_tr="Enerji")
    profile = update_profile(
        lead_of(municipality),
        municipality.partner_profile,
        pic="912345678",
        languages=["tr", "en", "tr"],
        themes=["energy"],
        description="Güneş enerjisi ile aydınlatma",
    )
    profile.refresh_from_db()
    assert profile.pic == "912345678"
    assert profile.languages == ["tr", "en"]
    assert [theme.code for theme in profile.themes.all()] == ["energy"]
    assert "enerji" in profile.search_document and "güneş enerjisi" in profile.search_document


def test_the_office_edits_any_profile(office_user):
    organisation = OrganisationFactory()
    update_profile(office_user, organisation.partner_profile, contact_name="Maria Petrova")
    organisation.partner_profile.refresh_from_db()
    assert organisation.partner_profile.contact_name == "Maria Petrova"


@pytest.mark.parametrize("role", [TeamMembership.Role.MEMBER, "other team lead"])
def test_others_may_not_edit_a_profile(role):
    municipality = MunicipalityFactory()
    if role == "other team lead":
        user = TeamMembershipFactory(role=TeamMembership.Role.LEAD).user
    else:
        user = TeamMembershipFactory(municipality=municipality, role=role).user
    with pytest.raises(Conflict) as refused:
        update_profile(user, municipality.partner_profile, pic="912345678")
    assert [reason.code for reason in refused.value.reasons] == ["not_permitted"]
    municipality.partner_profile.refresh_from_db()
    assert municipality.partner_profile.pic == ""


def test_an_ended_membership_does_not_edit(lead_of):
    municipality = MunicipalityFactory()
    user = lead_of(municipality)
    TeamMembership.objects.filter(user=user).update(ends_on="2000-01-01", starts_on="1999-01-01")
    with pytest.raises(Conflict):
        update_profile(UserFactory._meta.model.objects.get(pk=user.pk), municipality.partner_profile, pic="")


def test_anonymous_gets_not_found():

    with pytest.raises(NotFound):
        update_profile(AnonymousUser(), OrganisationFactory().partner_profile, pic="")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"pic": "12345"}, "pic"),
        ({"pic": "12345678A"}, "pic"),
        ({"languages": ["EN"]}, "languages"),
        ({"languages": ["xx"]}, "languages"),
        ({"languages": "tr"}, "languages"),
        ({"themes": ["no-such-theme"]}, "themes"),
        ({"contact_email": "not an address"}, "contact_email"),
        ({"search_document": "hack"}, "search_document"),
    ],
)
def test_bad_values_answer_invalid_with_the_field_and_change_nothing(office_user, fields, field):
    profile = OrganisationFactory().partner_profile
    before = profile_tag(profile)
    with pytest.raises(Invalid) as refused:
        update_profile(office_user, profile, **fields)
    assert field in refused.value.fields
    profile.refresh_from_db()
    assert profile_tag(profile) == before


def test_an_edit_of_a_stale_version_is_refused(office_user):
    profile = OrganisationFactory().partner_profile
    seen = Precondition(frozenset({profile_tag(profile)}))
    update_profile(office_user, profile, description="first", precondition=seen)
    with pytest.raises(PreconditionFailed):
        update_profile(office_user, profile, description="second", precondition=seen)
    profile.refresh_from_db()
    assert profile.description == "first"


# --- the API ---------------------------------------------------------------------------------------


def test_api_detail_lists_past_projects_with_role_and_year(api_client, team_member):
    organisation = OrganisationFactory(name="Haskovo Municipality")
    funded = ProposalFactory(title="Cross-border heritage", state=State.AWARDED)
    ProposalPartner.objects.create(
        proposal=funded, organisation=organisation, role=ProposalPartner.Role.PARTNER
    )
    response = api_client(team_member).get(f"/api/v1/partners/{organisation.partner_profile.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert response["ETag"]
    assert body["party_type"] == "organisation" and body["party_id"] == organisation.pk
    assert body["past_project_count"] == 1
    [project] = body["past_projects"]
    assert project["title"] == "Cross-border heritage"
    assert project["call_reference"] == funded.call.reference
    assert project["role"] == "partner"
    assert project["year"] == funded.call.deadline.year


def test_api_unknown_profile_is_404(api_client, team_member):
    assert api_client(team_member).get("/api/v1/partners/999999/").status_code == 404


def test_api_anonymous_is_refused(api_client):
    profile = OrganisationFactory().partner_profile
    assert api_client().get(f"/api/v1/partners/{profile.pk}/").status_code in (401, 403)


def test_api_patch_by_the_lead_with_if_match(api_client, lead_of):
    municipality = MunicipalityFactory()
    client = api_client(lead_of(municipality))
    url = f"/api/v1/partners/{municipality.partner_profile.pk}/"
    tag = client.get(url)["ETag"]
    response = client.patch(url, {"pic": "987654321", "languages": ["tr", "bg"]}, HTTP_IF_MATCH=tag)
    assert response.status_code == 200, response.json()
    assert response.json()["pic"] == "987654321"
    assert response["ETag"] != tag
    stale = client.patch(url, {"pic": "111111111"}, HTTP_IF_MATCH=tag)
    assert stale.status_code == 412
    municipality.partner_profile.refresh_from_db()
    assert municipality.partner_profile.pic == "987654321"


def test_api_patch_refusals(api_client, team_member, office_user):
    profile = OrganisationFactory().partner_profile
    url = f"/api/v1/partners/{profile.pk}/"
    refused = api_client(team_member).patch(url, {"pic": "987654321"})
    assert refused.status_code == 409
    assert [reason["code"] for reason in refused.json()["reasons"]] == ["not_permitted"]
    invalid = api_client(office_user).patch(url, {"pic": "98", "languages": ["EN"]})
    assert invalid.status_code == 400
    assert set(invalid.json()["fields"]) == {"pic", "languages"}
    profile.refresh_from_db()
    assert profile.pic == "" and profile.languages == []


def test_the_member_import_gives_profiles_and_follows_changes():
    rows = [{"name": "Keşan", "province": "Edirne", "district": "Keşan", "kind": "district"}]
    import_municipalities(rows)
    kesan = Municipality.objects.get(name="Keşan")
    assert "keşan" in kesan.partner_profile.search_document
    import_municipalities([{**rows[0], "kind": "town"}])
    kesan.partner_profile.refresh_from_db()
    assert "town municipality" in kesan.partner_profile.search_document
