"""Calls racing each other for real: each in its own thread (its own database connection), all released
at the same moment. Row locks make this meaningful on PostgreSQL only; SQLite serialises writers."""

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def at_once(*calls: Callable[[], T], timeout: float | None = None) -> list[T]:
    """Run every call in its own thread, released together by a barrier, and wait for all of them.

    Returns their results in the order of the calls (not the order they finished). Each thread closes
    its database connection when done, so the test database can be flushed. An exception a call lets
    escape is raised here once every thread has finished: a call that expects a refusal catches it
    and returns what it wants to count. `timeout`: how long a call waits for the others at the start.
    """
    barrier = threading.Barrier(len(calls), timeout=timeout)
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], T]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as error:  # re-raised in the test's thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
