"""Reading a list by cursor (issue 18, `core.keyset`): forward through `next` and back through
`previous`, every ordering of the proposal list in both directions gives exactly the list's rows in the
list's order, empty values last; a cursor of another order, or a made-up one, is refused with its field;
and a page costs the same queries at two sizes."""

from urllib.parse import parse_qs, urlparse

import pytest

from tests.core.conftest import SORTABLE
from tests.querycount import measure
from workflows import selectors

pytestmark = pytest.mark.django_db

SIZE = 3


def _get(api_client, user, url):
    response = api_client(user).get(url)
    assert response.status_code == 200, response.content
    return response.json()


def _relative(link):
    parsed = urlparse(link)
    return f"{parsed.path}?{parsed.query}"


@pytest.mark.parametrize("direction", ["", "-"])
@pytest.mark.parametrize("key", list(selectors.PROPOSAL_SORTS))
def test_forward_and_back_by_cursor_read_the_whole_list_in_order(api_client, sortable_office, key, direction):
    ordering = f"{direction}{key}"
    whole = [
        row["id"]
        for row in _get(api_client, sortable_office, f"/api/v1/proposals/?ordering={ordering}&page_size=100")[
            "results"
        ]
    ]
    assert len(whole) == SORTABLE
    pages, link = [], f"/api/v1/proposals/?ordering={ordering}&page_size={SIZE}&cursor="
    while link:
        body = _get(api_client, sortable_office, link)
        assert body["count"] == SORTABLE
        pages.append([row["id"] for row in body["results"]])
        assert (body["previous"] is None) == (len(pages) == 1)
        link = body["next"] and _relative(body["next"])
    assert [pk for chunk in pages for pk in chunk] == whole
    assert all(len(chunk) == SIZE for chunk in pages[:-1])

    back, link = [], _relative(body["previous"])
    while link:
        body = _get(api_client, sortable_office, link)
        back.append([row["id"] for row in body["results"]])
        link = body["previous"] and _relative(body["previous"])
    assert back == pages[-2::-1]


def test_a_cursor_of_another_order_or_a_made_up_one_is_refused(api_client, sortable_office):
    body = _get(api_client, sortable_office, "/api/v1/proposals/?ordering=title&page_size=2&cursor=")
    cursor = parse_qs(urlparse(body["next"]).query)["cursor"][0]
    for query in (f"ordering=-created_at&cursor={cursor}", "cursor=bm90IGpzb24", "cursor=%%%", "cursor=e30"):
        response = api_client(sortable_office).get(f"/api/v1/proposals/?{query}")
        assert response.status_code == 400, query
        assert "cursor" in response.json()["fields"]


def test_an_ordering_of_mixed_directions_cannot_be_read_by_cursor(api_client, sortable_office):
    response = api_client(sortable_office).get("/api/v1/proposals/?ordering=title,-created_at&cursor=")
    assert response.status_code == 400
    assert "cursor" in response.json()["fields"]


def test_a_cursor_page_costs_the_same_queries_at_two_sizes(sortable_office, api_client):
    first = _get(api_client, sortable_office, "/api/v1/proposals/?ordering=lead&page_size=2&cursor=")
    small = measure(sortable_office, _relative(first["next"]), api=True)
    first = _get(api_client, sortable_office, "/api/v1/proposals/?ordering=lead&page_size=5&cursor=")
    large = measure(sortable_office, _relative(first["next"]), api=True)
    assert (len(small.body["results"]), len(large.body["results"])) == (2, 5)
    assert small.queries == large.queries
