"""The partner search page and the profile edit page."""

import pytest

from grants_office.core import concurrency
from grants_office.members.models import TeamMembership
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    PartnerProfileFactory,
    TeamMembershipFactory,
    ThemeFactory,
)
from tests.querycount import assert_same_query_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    return TeamMembershipFactory(
        municipality=MunicipalityFactory(name="Çorlu Belediyesi"), role=TeamMembership.Role.LEAD
    )


def test_search_page_lists_and_links_to_the_party_pages(client_for, team_member):
    organisation = OrganisationFactory(name="Haskovo Municipality")
    municipality = MunicipalityFactory(name="Babaeski Belediyesi")
    response = client_for(team_member).get("/partners/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/members/organisations/{organisation.pk}/"' in html
    assert f'href="/members/{municipality.pk}/"' in html


def test_search_page_filters(client_for, team_member):
    OrganisationFactory(name="Haskovo Municipality", country="BG")
    OrganisationFactory(name="Kavala Port", country="GR")
    html = client_for(team_member).get("/partners/", {"q": "haskovo", "country": "bg"}).content.decode()
    assert "Haskovo Municipality" in html and "Kavala Port" not in html


def test_search_page_bad_filter_is_400_with_the_error(client_for, team_member):
    OrganisationFactory(name="Haskovo Municipality")
    response = client_for(team_member).get("/partners/", {"country": "B1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Use the two-letter country code" in html and "Haskovo Municipality" not in html


def test_search_page_signed_out_goes_to_sign_in(client_for):
    response = client_for(None).get("/partners/")
    assert response.status_code == 302


def _profiles(n):
    theme = ThemeFactory(code="shared")
    for _ in range(n):
        PartnerProfileFactory(organisation=OrganisationFactory(), themes=[theme, ThemeFactory()])


def test_search_page_query_count_does_not_grow(client_for, team_member, django_assert_num_queries):
    def rows(html):
        return html.count('href="/members/organisations/')

    assert_same_query_count(
        client_for(team_member), "/partners/?country=BG", _profiles, django_assert_num_queries, rows_in=rows
    )


def test_edit_page_saves_for_the_lead(client_for, lead):
    ThemeFactory(code="energy", name_en="Energy", name_tr="Enerji")
    profile = lead.municipality.partner_profile
    client = client_for(lead.user)
    page = client.get(f"/partners/{profile.pk}/edit/")
    assert page.status_code == 200
    tag = page.context["tag"]
    response = client.post(
        f"/partners/{profile.pk}/edit/",
        {
            "pic": "912345678",
            "languages": "TR, en",
            "themes": ["energy"],
            "description": "Güneş",
            concurrency.FORM_FIELD: tag,
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.pic == "912345678" and profile.languages == ["tr", "en"]
    assert [theme.code for theme in profile.themes.all()] == ["energy"]
    assert "The profile is saved." in client.get(response["Location"]).content.decode()


def test_edit_page_bad_pic_is_400_on_the_form(client_for, lead):
    profile = lead.municipality.partner_profile
    response = client_for(lead.user).post(f"/partners/{profile.pk}/edit/", {"pic": "123", "languages": "xx"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "A PIC has nine digits" in html and "ISO 639-1" in html
    profile.refresh_from_db()
    assert profile.pic == ""


def test_edit_page_stale_form_is_409_and_keeps_the_text(client_for, lead):
    profile = lead.municipality.partner_profile
    client = client_for(lead.user)
    tag = client.get(f"/partners/{profile.pk}/edit/").context["tag"]
    client.post(f"/partners/{profile.pk}/edit/", {"description": "first", concurrency.FORM_FIELD: tag})
    response = client.post(
        f"/partners/{profile.pk}/edit/", {"description": "second", concurrency.FORM_FIELD: tag}
    )
    assert response.status_code == 409
    assert "second" in response.content.decode()
    profile.refresh_from_db()
    assert profile.description == "first"


def test_edit_page_is_refused_to_a_team_member_and_unknown_is_404(client_for, team_member):
    profile = team_member.team_memberships.get().municipality.partner_profile
    client = client_for(team_member)
    assert client.get(f"/partners/{profile.pk}/edit/").status_code == 403
    assert client.post(f"/partners/{profile.pk}/edit/", {"pic": "912345678"}).status_code == 403
    assert client.get("/partners/999999/edit/").status_code == 404
    profile.refresh_from_db()
    assert profile.pic == ""


def test_edit_page_for_the_office(client_for, office_user):
    profile = OrganisationFactory().partner_profile
    assert client_for(office_user).get(f"/partners/{profile.pk}/edit/").status_code == 200
