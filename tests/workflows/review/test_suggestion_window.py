"""Reviewer suggestions come 50 at a time (issue 18): the slices of the ranking follow each other
through `next`, add up to the whole ranking, and each carries every conflicted expert."""

import pytest

from grants_office.members.models import ExpertProfile
from tests.factories import review as review_factories

pytestmark = pytest.mark.django_db


def _get(api_client, user, url):
    response = api_client(user).get(url)
    assert response.status_code == 200, response.content
    return response.json()


def _names(body):
    return [entry["user"]["username"] for entry in body["suggested"]]


def test_slices_of_the_ranking_follow_each_other_and_add_up(api_client, open_round, people, experts, themes):
    for n in range(7):
        review_factories.expert([themes["water"]], user__username=f"water{n}", user__last_name=f"Su {n}")
    # one on the lead's side: listed apart in every slice
    affiliated = review_factories.expert([themes["water"]], user__username="affiliated")
    ExpertProfile.objects.filter(user=affiliated).update(affiliation_municipality=open_round.proposal.lead)
    url = f"/api/v1/review-rounds/{open_round.pk}/suggestions/"
    whole = _get(api_client, people["office"], f"{url}?limit=200")
    assert whole["next"] is None
    assert whole["suggested_count"] == len(whole["suggested"]) >= 10
    assert [e["user"]["username"] for e in whole["conflicted"]] == ["affiliated"]

    seen, address, slices = [], f"{url}?limit=3", 0
    while address:
        body = _get(api_client, people["office"], address)
        assert len(body["suggested"]) <= 3
        assert body["suggested_count"] == whole["suggested_count"]
        assert body["conflicted"] == whole["conflicted"]
        seen += _names(body)
        address, slices = body["next"], slices + 1
    assert seen == _names(whole)
    assert slices == -(-whole["suggested_count"] // 3)


def test_the_default_is_the_first_fifty(api_client, open_round, people, experts, themes):
    for n in range(52):
        review_factories.expert([themes["water"]], user__username=f"pool{n}")
    body = _get(api_client, people["office"], f"/api/v1/review-rounds/{open_round.pk}/suggestions/")
    assert len(body["suggested"]) == 50
    assert body["suggested_count"] > 50
    assert "offset=50" in body["next"]


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "offset=-1", "limit=x"])
def test_a_window_out_of_bounds_is_refused_with_its_field(api_client, open_round, people, query):
    response = api_client(people["office"]).get(f"/api/v1/review-rounds/{open_round.pk}/suggestions/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()["fields"]
