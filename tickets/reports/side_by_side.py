"""Run independent read-only calls concurrently, each on its own database
connection (PostgreSQL runs them on separate cores).

Inside a transaction (tests) they run one after the other: another connection
could not see the transaction's rows. Each thread runs in a copy of the
caller's context (``reading_reports`` picks the replica through it) and hands
its connection back to the pool when done.
"""

import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, connections

MAX_THREADS = 4


def _in_thread(call: Callable, context: contextvars.Context):
    try:
        return context.copy().run(call)
    finally:
        connections.close_all()  # this thread's connections, back to the pool


def side_by_side(*calls: Callable) -> list:
    """The calls' results, in order."""
    if len(calls) < 2 or connection.in_atomic_block:
        return [call() for call in calls]
    context = contextvars.copy_context()
    with ThreadPoolExecutor(max_workers=min(len(calls), MAX_THREADS)) as pool:
        return list(pool.map(lambda call: _in_thread(call, context), calls))
