"""PostgreSQL's plan of a query, for tests that pin which index a query reads."""

import json

from django.db import connection, transaction


def plan_nodes(sql: str, params=(), *, disable=()):
    """Every node of the plan PostgreSQL chooses for `sql`, with the planner methods named in
    `disable` (e.g. "seqscan", "sort") turned off for this query only."""
    with transaction.atomic(), connection.cursor() as cursor:
        for method in disable:
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = (plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]
    return list(_walk(plan))


def _walk(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from _walk(child)
