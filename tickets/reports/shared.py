"""Reads that several of the report's parts need, made once per computation.

The parts (``cache.PARTS``) run side by side, each on its own thread; several
sum the same roll-up rows (the period's ``ReportDay`` rows feed the headline,
the inboxes, the weekly trend, the matrix and the gaps). Inside ``sharing``
(``cache.figures``), the first part to ask for a read makes it and the others
wait for its result; outside (a part called alone: the API, tests), each
call makes its own.
"""

import contextvars
import threading
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager

_reads: contextvars.ContextVar[tuple[threading.Lock, dict, bool] | None] = contextvars.ContextVar(
    "report_shared_reads", default=None
)


@contextmanager
def sharing(together: bool = True) -> Iterator[None]:
    """Share ``once`` reads among the calls made inside (threads started in a
    copy of this context, as ``side_by_side`` does, share them too).
    ``together``: several parts are computed (``together``)."""
    token = _reads.set((threading.Lock(), {}, together))
    try:
        yield
    finally:
        _reads.reset(token)


def once[T](key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, made once per ``key`` inside ``sharing``."""
    shared = _reads.get()
    if shared is None:
        return read()
    lock, futures, _ = shared
    with lock:
        future = futures.get(key)
        mine = future is None
        if mine:
            future = futures[key] = Future()
    if mine:
        try:
            future.set_result(read())
        except BaseException as error:
            future.set_exception(error)
            raise
    return future.result()


def together() -> bool:
    """Whether several parts are computed together: a read made for them all
    (wider than one part's own) then pays off."""
    shared = _reads.get()
    return shared is not None and shared[2]
