"""A page far into a list (issue 18) is read in two steps, or from the far end of the list, and holds
exactly the rows that skipping to it would: for every ordering of the proposal list, both directions,
every page including the last, and for the inbox; at a query count that does not grow with the page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grants_office.core.api import CountLimitedPaginator
from notifications.models import Notification
from tests.core.conftest import SORTABLE
from tests.factories import NotificationFactory, ProposalFactory, office_staff
from tests.querycount import measure
from workflows import selectors

pytestmark = pytest.mark.django_db

SIZE = 4


@pytest.fixture
def deep(monkeypatch):
    """Deep from the second row on, so a short list has deep pages on both sides of its middle."""
    monkeypatch.setattr(CountLimitedPaginator, "DEEP_FROM", 1)


def _ids(api_client, user, query):
    body = api_client(user).get(f"/api/v1/proposals/?{query}").json()
    return [row["id"] for row in body["results"]]


@pytest.mark.parametrize("direction", ["", "-"])
@pytest.mark.parametrize("key", list(selectors.PROPOSAL_SORTS))
def test_every_page_holds_the_rows_of_its_place_in_every_ordering(
    api_client, sortable_office, deep, key, direction
):
    office, ordering = sortable_office, f"{direction}{key}"
    whole = _ids(api_client, office, f"ordering={ordering}&page_size=100")
    assert len(whole) == SORTABLE
    pages = -(-len(whole) // SIZE)
    for number in range(1, pages + 1):
        got = _ids(api_client, office, f"ordering={ordering}&page_size={SIZE}&page={number}")
        assert got == whole[(number - 1) * SIZE : number * SIZE], (ordering, number)
    assert (
        _ids(api_client, office, f"ordering={ordering}&page_size={SIZE}&page=last")
        == whole[(pages - 1) * SIZE :]
    )


def test_the_inbox_far_in_holds_the_same_rows(api_client, deep):
    office = office_staff()
    proposal = ProposalFactory()
    made = NotificationFactory.create_batch(11, recipient=office, proposal=proposal)
    moment = timezone.now()
    for n, notification in enumerate(made):  # ties on the time: the id decides
        Notification.objects.filter(pk=notification.pk).update(created_at=moment - timedelta(minutes=n % 4))

    def ids(query):
        return [
            row["id"] for row in api_client(office).get(f"/api/v1/notifications/?{query}").json()["results"]
        ]

    whole = ids("page_size=100")
    assert [ids(f"page_size=3&page={n}") for n in (1, 2, 3, 4)] == [whole[i : i + 3] for i in (0, 3, 6, 9)]


def test_a_deep_page_costs_the_same_queries_at_two_page_sizes(sortable_office, deep):
    small = measure(sortable_office, "/api/v1/proposals/?ordering=title&page_size=2&page=3", api=True)
    large = measure(sortable_office, "/api/v1/proposals/?ordering=title&page_size=5&page=2", api=True)
    assert (len(small.body["results"]), len(large.body["results"])) == (2, 5)
    assert small.queries == large.queries
