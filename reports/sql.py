"""One query the ORM cannot say: distinct values counted per key over a UNION of two querysets."""

from __future__ import annotations

from django.db import connection


def count_distinct_per_key(first, second) -> dict:
    """`{k: how many distinct m}` over the rows of two `values("k", "m")` querysets together.

    Grouping over a UNION is beyond the ORM; the two queries are the ORM's own (parameters and all),
    only wrapped, so nothing from outside reaches the SQL text.
    """
    sql, params = first.order_by().union(second.order_by(), all=True).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT k, COUNT(DISTINCT m) FROM ({sql}) pairs GROUP BY k", params)
        return dict(cursor.fetchall())
