"""Query counts: what a request costs, and proof that it does not grow with the rows it shows (no N+1).

Every list endpoint and page has a test at two sizes. Three shapes, one module:

- A list or a page at two sizes through one client: `assert_same_query_count` (the usual test).

      def test_call_list_query_count(api_client, office_user, django_assert_num_queries):
          queries = assert_same_query_count(
              api_client(office_user), "/api/v1/calls/", lambda n: CallFactory.create_batch(n),
              django_assert_num_queries,
          )

  The count is measured on the small case and then asserted, with pytest-django's
  `django_assert_num_queries`, on the large one; the measured number is returned so a test can pin it.

- One request by a person signed in afresh, as a real request would be (no object cached on the user
  from an earlier request): `measure` (queries, statements, status and body; API or page; a read or a
  write) and its short form `page_queries`. For tests that compare two sizes themselves, of one object
  or of two, or pin a number.

- "This block costs exactly N queries": pytest-django's `django_assert_num_queries` fixture, directly.

Every measured request follows a first one that warms what a running server has warm too (content types,
the user's groups); PostgreSQL's connection health check (CONN_HEALTH_CHECKS) is not the request's doing
and is left out.
"""

from collections.abc import Callable
from typing import NamedTuple

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.clients import page_client, script_client

HEALTH_CHECK = "SELECT 1"


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
    count them. A first request warms what a client caches once per process (content types, the user's
    groups) before anything is measured.
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


class Measured(NamedTuple):
    queries: int
    sql: list[str]
    status: int
    body: object  # the JSON of an API answer, the text of a page


def measure(
    user,
    url: str,
    *,
    api: bool = False,
    method: str = "get",
    data: dict | None = None,
    warm_url: str | None = None,
    **extra,
) -> Measured:
    """One request to `url` by `user`, loaded afresh and signed in on a new client (a script's with
    `api`, else a browser's reading English), after a warm-up request. `extra` goes with the request
    (headers such as HTTP_HX_REQUEST; `format` for the API, JSON unless told).

    A GET is warmed by the same GET and must answer 200. A write (`method` "post", "put", "patch" or
    "delete", with `data`) may answer anything (see `status`); it is warmed by a GET of `warm_url` (the
    page or list it is made from; `url` itself unless given) and by every content type, as a running
    process has them.
    """
    write = method != "get"

    def fresh_client():
        fresh = get_user_model().objects.get(pk=user.pk)
        return script_client(fresh) if api else page_client(fresh)

    fresh_client().get(warm_url or url, **({} if write else extra))  # warm-up
    if write:
        ContentType.objects.get_for_models(*apps.get_models())
        if api:
            extra.setdefault("format", "json")
    client = fresh_client()
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data, **extra) if write else _ok(client.get(url, **extra))
    sql = [query["sql"] for query in captured.captured_queries if query["sql"] != HEALTH_CHECK]
    return Measured(len(sql), sql, response.status_code, _body(response))


def page_queries(user, url: str, **headers) -> int:
    """The queries of one page request by a freshly signed-in user (see `measure`)."""
    return measure(user, url, **headers).queries


def _get(client, url: str):
    """The body of a GET that must answer 200 (rows_in then counts in it)."""
    return _body(_ok(client.get(url)))


def _ok(response):
    assert response.status_code == 200, (response.status_code, response.content[:500])
    return response


def _body(response):
    """The JSON of an API answer; the text of a page. A streamed answer (an export) is read to its end
    here, inside the measurement, as the queries of its rows run while it streams; a file that is not
    text (XLSX) stays bytes."""
    if response.headers.get("Content-Type", "").startswith("application/json"):
        return response.json()
    content = b"".join(response.streaming_content) if response.streaming else response.content
    try:
        return content.decode("utf-8-sig")  # a CSV export starts with a byte-order mark
    except UnicodeDecodeError:
        return content
