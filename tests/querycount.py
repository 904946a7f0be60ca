"""Query-count checks: a page must cost the same number of queries for 1 row as for 5 (no N+1).

    def test_call_list_query_count(api_client, office_user, django_assert_num_queries):
        queries = assert_same_query_count(
            api_client(office_user), "/api/v1/calls/", lambda n: CallFactory.create_batch(n),
            django_assert_num_queries,
        )

The count is measured on the small case and then asserted, with pytest-django's
`django_assert_num_queries`, on the large one; the measured number is returned so a test can also pin it.
"""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def list_count(body) -> int:
    """The number of rows a paginated list answered."""
    return body["count"]


def assert_same_query_count(
    client,
    url: str,
    make_rows: Callable[[int], object],
    django_assert_num_queries,
    *,
    sizes: tuple[int, int] = (1, 5),
    rows_in: Callable[[dict], int] | None = list_count,
) -> int:
    """GET `url` with `sizes[0]` rows, then with `sizes[1]`, and assert both cost the same queries.

    `make_rows(n)` adds n more rows (of the list, or of what a detail page nests). `rows_in(body)` says
    how many rows the answer holds (the JSON body, or a page's HTML as text), checked against the sizes
    so the test proves it measured what it meant to; pass None for a detail page whose body does not
    count them. A first request warms what
    a client caches once per process (content types, the user's groups) before anything is measured.
    """
    small, large = sizes
    make_rows(small)
    _get(client, url)  # warm-up
    with CaptureQueriesContext(connection) as captured:
        body = _get(client, url)
    if rows_in is not None:
        assert rows_in(body) == small, f"expected {small} rows, got {rows_in(body)}"
    measured = len(captured)
    make_rows(large - small)
    with django_assert_num_queries(measured):
        body = _get(client, url)
    if rows_in is not None:
        assert rows_in(body) == large, f"expected {large} rows, got {rows_in(body)}"
    return measured


def _get(client, url: str):
    """The JSON body of an API answer; the text of a page (rows_in then counts in the HTML)."""
    response = client.get(url)
    assert response.status_code == 200, (response.status_code, response.content[:500])
    if response.headers.get("Content-Type", "").startswith("application/json"):
        return response.json()
    return response.content.decode()


def page_queries(user, url: str, **headers) -> int:
    """Queries of one page request by a freshly signed-in user (English), as a real request would have.

    A first request warms the process-wide caches (content types), which a running server has warm too;
    PostgreSQL's connection health check (CONN_HEALTH_CHECKS) is not the page's doing and is left out.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    def signed_in():
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(get_user_model().objects.get(pk=user.pk))
        return client

    signed_in().get(url, **headers)  # warm-up
    client = signed_in()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:500]
    return len([query for query in captured.captured_queries if query["sql"] != "SELECT 1"])
