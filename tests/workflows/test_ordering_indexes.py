"""Every ordering the proposal list offers reads an index over the live rows, in both directions
(issue 18, workflows 0013 and members 0006): PostgreSQL's plan for the office's first page has no
Sort node when sorting is made all but impossible. An ordering whose expression no longer matches its
index (a new state, another collation) fails here."""

import json
import os

import pytest
from django.db import connection, transaction

from tests.factories import ProposalFactory, office_staff
from workflows import selectors
from workflows.states import State

pytestmark = [
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="the indexes are PostgreSQL's"),
    pytest.mark.django_db,
]


def _nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


@pytest.mark.parametrize("direction", ["", "-"])
@pytest.mark.parametrize("key", list(selectors.PROPOSAL_SORTS))
def test_the_first_page_in_every_ordering_reads_an_index(key, direction):
    for state in (State.IDEA, State.DRAFTING, State.AWARDED):
        ProposalFactory(state=state)
    office = office_staff()
    page = selectors.sorted_proposals(selectors.proposals_visible_to(office), [f"{direction}{key}"])[:25]
    sql, params = page.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = (plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]
    kinds = [node["Node Type"] for node in _nodes(plan)]
    assert "Sort" not in kinds, f"ordering {direction}{key} sorts instead of reading an index: {kinds}"
