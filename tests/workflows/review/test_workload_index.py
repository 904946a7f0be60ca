"""Ranking suggestions counts every expert's open workload; PostgreSQL reads those counts from the
partial index `assignment_awaiting_reviewer` alone (workflows 0014), not from the assignments' rows.
A change of what counts as open (`AssignmentState.AWAITING`) that the index does not follow fails here."""

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.plans import plan_nodes
from workflows.review import interests

pytestmark = [
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="the plan is PostgreSQL's"),
    pytest.mark.django_db,
]


def test_the_open_workload_of_each_expert_is_read_from_the_index_alone(assign, experts, open_round):
    assign(experts["ayse"])
    with CaptureQueriesContext(connection) as queries:
        ranked = interests.suggestions(open_round)
    assert [s.open_assignments for s in ranked.suggested if s.user == experts["ayse"]] == [1]
    [ranking] = [
        q["sql"] for q in queries if "workflows_reviewassignment" in q["sql"] and "COUNT(" in q["sql"]
    ]
    scans = [
        (node["Node Type"], node.get("Index Name"))
        for node in plan_nodes(ranking, disable=("seqscan", "bitmapscan", "indexscan"))
        if node.get("Relation Name") == "workflows_reviewassignment"
    ]
    assert scans == [("Index Only Scan", "assignment_awaiting_reviewer")], scans
