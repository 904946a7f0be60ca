"""Every ordering the proposal list offers reads an index over the live rows, in both directions
(issue 18, workflows 0013 and members 0006): PostgreSQL's plan for the office's first page has no
Sort node when sorting is made all but impossible. An ordering whose expression no longer matches its
index (a new state, another collation) fails here."""

import os

import pytest

from tests.factories import ProposalFactory, office_staff
from tests.plans import plan_nodes
from workflows import selectors
from workflows.states import State

pytestmark = [
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="the indexes are PostgreSQL's"),
    pytest.mark.django_db,
]


@pytest.mark.parametrize("direction", ["", "-"])
@pytest.mark.parametrize("key", list(selectors.PROPOSAL_SORTS))
def test_the_first_page_in_every_ordering_reads_an_index(key, direction):
    for state in (State.IDEA, State.DRAFTING, State.AWARDED):
        ProposalFactory(state=state)
    office = office_staff()
    page = selectors.sorted_proposals(selectors.proposals_visible_to(office), [f"{direction}{key}"])[:25]
    sql, params = page.query.sql_with_params()
    kinds = [node["Node Type"] for node in plan_nodes(sql, params, disable=("sort", "seqscan"))]
    assert "Sort" not in kinds, f"ordering {direction}{key} sorts instead of reading an index: {kinds}"
