"""Whether a municipality has a project team of its own: in the registry's API (field and filter) and
in the admin, where the office keeps it."""

import pytest

from grants_office.members.models import Municipality
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

MUNICIPALITIES = "/api/v1/municipalities/"


def test_the_api_shows_and_filters_the_project_team(api_client, team_member):
    MunicipalityFactory(name="Çorlu", has_project_team=True)
    MunicipalityFactory(name="Vize", has_project_team=False)
    client = api_client(team_member)
    rows = {row["name"]: row["has_project_team"] for row in client.get(MUNICIPALITIES).json()["results"]}
    assert rows["Çorlu"] is True and rows["Vize"] is False
    without = client.get(MUNICIPALITIES, {"has_project_team": "false"}).json()["results"]
    assert "Vize" in [row["name"] for row in without] and "Çorlu" not in [row["name"] for row in without]


def test_the_admin_lists_filters_and_changes_it(admin_client):
    vize = MunicipalityFactory(name="Vize", has_project_team=False)
    listing = admin_client.get("/admin/members/municipality/", {"has_project_team__exact": "0"})
    assert listing.status_code == 200 and "Vize" in listing.text
    assert (
        admin_client.get("/admin/members/municipality/", {"has_project_team__exact": "1"}).text.count(
            f"/admin/members/municipality/{vize.pk}/change/"
        )
        == 0
    )
    page = admin_client.get(f"/admin/members/municipality/{vize.pk}/change/")
    assert page.status_code == 200 and 'name="has_project_team"' in page.text
    Municipality.objects.filter(pk=vize.pk).update(has_project_team=True)
    listing = admin_client.get("/admin/members/municipality/", {"has_project_team__exact": "1"})
    assert f"/admin/members/municipality/{vize.pk}/change/" in listing.text
