"""Queries that every page asks, their SQL compiled once and run again.

The signed-in user, the sidebar's inboxes, the filter bar's categories and the
inboxes' members are read on every page; building and compiling their ORM queries cost several
times what PostgreSQL takes to answer them. Each is compiled once per shape
(what decides its SQL apart from ids, e.g. a manager's or an agent's inboxes)
with stand-ins for its ids, negative numbers no row has, and run again with the
real ids. Other databases (the demo's SQLite) run the ORM's query as it is.
"""

from collections.abc import Callable, Hashable
from copy import copy
from functools import lru_cache

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet

Build = Callable[[list[int]], QuerySet]

# Compiled queries kept per process: shapes are few (roles, numbers of inboxes).
_kept: dict[tuple, tuple[str, tuple, tuple[int | None, ...]] | None] = {}
KEPT_SHAPES = 256


def stand_ins(count: int, base: int = 1) -> list[int]:
    """Ids no row has, to find where the real ids go in the compiled SQL."""
    return [-base - i for i in range(count)]


def _compiled(key: tuple, alias: str, build: Build, count: int):
    if key not in _kept:
        if len(_kept) >= KEPT_SHAPES:
            _kept.clear()
        _kept[key] = _compile(alias, build, count)
    return _kept[key]


def _compile(alias: str, build: Build, count: int):
    """(SQL, parameters, where each id goes: None for an id that shape does not
    read), or None: then the query runs as the ORM builds it."""
    # Compiled twice, with two sets of stand-ins: the SQL must be the same and the
    # parameters may differ only where the stand-ins are, so a value that changes
    # (the clock) keeps it from being kept. What else decides it, the shape names.
    first, second = stand_ins(count), stand_ins(count, base=1001)
    try:
        sql, params = build(first).query.get_compiler(alias).as_sql()
        again, other = build(second).query.get_compiler(alias).as_sql()
    except EmptyResultSet:  # a query that can find nothing: the ORM's answer
        return None
    if again != sql or len(other) != len(params) or any(str(s) in sql for s in first):
        return None
    where = dict.fromkeys(range(count))
    for position, (one, two) in enumerate(zip(params, other, strict=True)):
        if one in first and first.index(one) == (i := second.index(two) if two in second else -1):
            if where[i] is not None:
                return None  # one id in two places
            where[i] = position
        elif one != two or one in first or two in second:
            return None
    return sql, tuple(params), tuple(where.values())


def with_id(instance, pk: int):
    """``instance`` (whatever it has read, a user's roles say) under another id: what
    a kept query is built from, with a stand-in for its id."""
    stand_in = copy(instance)
    stand_in.pk = pk
    return stand_in


def kept_rows(shape: Hashable, build: Build, ids: list[int], *, alias: str) -> list[tuple]:
    """The rows of ``build(ids)``, a ``values_list`` query of plain columns (no
    field that converts what the database gives) whose SQL depends on nothing
    but ``shape`` and the number of ``ids``."""
    if connections[alias].vendor != "postgresql":
        return list(build(ids))
    compiled = _compiled((shape, alias, len(ids)), alias, build, len(ids))
    if compiled is None:
        return list(build(ids))
    sql, params, where = compiled
    params = list(params)
    for position, value in zip(where, ids, strict=True):
        if position is not None:
            params[position] = value
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@lru_cache(maxsize=64)
def _plain_columns(model: type[Model]) -> tuple[str, ...] | None:
    """The model's columns, or None if one converts its value when read."""
    fields = model._meta.concrete_fields
    if any(hasattr(field, "from_db_value") for field in fields):
        return None
    return tuple(field.attname for field in fields)


def kept_instances(
    model: type[Model], shape: Hashable, build: Build, ids: list[int], *, alias: str
) -> list:
    """``build(ids)``, a query of ``model``, as instances; its SQL kept as ``kept_rows``'s."""
    names = _plain_columns(model)
    if names is None:
        return list(build(ids))
    rows = kept_rows((shape, model), lambda ids: build(ids).values_list(*names), ids, alias=alias)
    return [model.from_db(alias, names, row) for row in rows]
