"""Running work at the same moment from several database sessions, for the concurrency tests.

``at_once(f, g, ...)`` starts each function in its own thread (so each has its own
database connection), releases them together, and returns what each returned or raised.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None


def at_once(*work: Callable[[], object], timeout: float = 60) -> list[Outcome]:
    from django.db import connections

    start = threading.Barrier(len(work))
    outcomes = [Outcome() for _ in work]

    def run(index, function):
        try:
            start.wait(timeout)
            outcomes[index].value = function()
        except BaseException as error:  # reported to the caller
            outcomes[index].error = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        if thread.is_alive():
            raise TimeoutError("a concurrent task did not finish (a deadlock?)")
    return outcomes


class Background:
    """``fn`` running in a thread of its own (its own database connection); ``result()`` waits for it."""

    def __init__(self, fn: Callable[[], object]):
        from django.db import connections

        self.outcome = Outcome()

        def run():
            try:
                self.outcome.value = fn()
            except BaseException as error:  # reported to the caller
                self.outcome.error = error
            finally:
                connections.close_all()

        self.thread = threading.Thread(target=run)
        self.thread.start()

    def result(self, timeout: float = 60) -> Outcome:
        self.thread.join(timeout)
        if self.thread.is_alive():
            raise TimeoutError("the background task did not finish (a deadlock?)")
        return self.outcome


def wait_until_a_session_waits_for_a_lock(timeout: float = 20) -> None:
    """Return once another session of this database is queued on a lock (so the order is known)."""
    import time

    from django.db import connection

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            # Inside a transaction the activity view is a snapshot taken once: refresh it.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.02)
    raise TimeoutError("no session started waiting for a lock")
