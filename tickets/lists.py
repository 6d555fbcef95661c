"""Lists read inside another query (a ticket's tags, its thread as JSON rows):
one round trip instead of one per list.

On PostgreSQL an ``ARRAY(subquery)``; on SQLite, the demo's database, which
has no arrays, a JSON array of the same values, turned into the same Python
list when read. Build them with ``list_of`` and ``rows_of`` only: both name the
subquery's column(s), which the SQLite form needs.
"""

import json

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db.models import Expression, F, JSONField, QuerySet, Subquery
from django.db.models.functions import JSONObject

ITEM = "item"


def _loads(value, expression, connection):
    return json.loads(value) if value else []


class _JsonArrayOnSqlite:
    """SQLite: the subquery's rows as a JSON array, read back as a list."""

    def sqlite_template(self) -> str:
        raise NotImplementedError

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template=self.sqlite_template(), **extra_context)

    def get_db_converters(self, connection):
        if connection.vendor == "sqlite":
            return [_loads]
        return super().get_db_converters(connection)


class ListOf(_JsonArrayOnSqlite, ArraySubquery):
    """The values of a one-column subquery (column ``item``), in its order."""

    def __init__(self, queryset: QuerySet, *, json_items: bool = False, **kwargs) -> None:
        super().__init__(queryset, **kwargs)
        self.json_items = json_items

    def sqlite_template(self) -> str:
        item = f'json(listed."{ITEM}")' if self.json_items else f'listed."{ITEM}"'
        return f"(SELECT json_group_array({item}) FROM (%(subquery)s) listed)"


def list_of(queryset: QuerySet, value: str | Expression) -> ListOf:
    """``ARRAY(SELECT value FROM queryset)``: ``value`` a field path or an expression
    (a ``JSONObject`` gives a list of dicts)."""
    expression = F(value) if isinstance(value, str) else value
    return ListOf(
        queryset.values(**{ITEM: expression}), json_items=isinstance(expression, JSONObject)
    )


class RowsOf(_JsonArrayOnSqlite, Subquery):
    """``ARRAY(SELECT to_jsonb(listed) FROM (<subquery>) listed)``: each row a JSON
    object keyed by its columns' names, in the subquery's order. Cheaper to compile
    than a JSONObject's key-value pairs (the ticket's query holds a dozen lists)."""

    template = "ARRAY(SELECT to_jsonb(listed) FROM (%(subquery)s) listed)"
    output_field = ArrayField(JSONField())

    def __init__(self, queryset: QuerySet, *, keys: list[str], json_keys: set[str]) -> None:
        super().__init__(queryset)
        self.keys, self.json_keys = keys, json_keys

    def sqlite_template(self) -> str:
        def value(key: str) -> str:
            return f'json(listed."{key}")' if key in self.json_keys else f'listed."{key}"'

        pairs = ", ".join(f"'{key}', {value(key)}" for key in self.keys)
        return f"(SELECT json_group_array(json_object({pairs})) FROM (%(subquery)s) listed)"


def rows_of(queryset: QuerySet, **fields: str | Expression) -> RowsOf:
    """The rows of ``queryset`` as a list of dicts (``key="field path"`` or an
    expression, a nested ``rows_of`` included): a list read inside another query."""
    same = [key for key, path in fields.items() if path == key]
    renamed = {
        key: F(path) if isinstance(path, str) else path
        for key, path in fields.items()
        if path != key
    }
    nested = {key for key, path in fields.items() if isinstance(path, RowsOf | ListOf)}
    return RowsOf(queryset.values(*same, **renamed), keys=list(fields), json_keys=nested)


class CompiledOnce(Expression):
    """``source``, its SQL worked out on first use and reused after.

    For the lists of a query that is kept and run again with only its filter
    changing (the ticket page's, kept per user): compiling its dozen subqueries
    took longer (3.6 ms) than PostgreSQL takes to run the whole query. Sound only
    while the outer query keeps its tables' aliases, as a kept query does, and
    while the SQL depends on nothing but the query itself (no clock, no request)."""

    def __init__(self, source: Expression) -> None:
        super().__init__()
        self.source = source
        self.compiled: dict[str, tuple[str, tuple]] = {}  # per database alias

    def get_source_expressions(self) -> list[Expression]:
        return [self.source]

    def set_source_expressions(self, expressions: list[Expression]) -> None:
        (self.source,) = expressions
        self.compiled = {}  # a copy resolved or relabelled compiles afresh

    def _resolve_output_field(self):
        return self.source.output_field

    def as_sql(self, compiler, connection):
        if connection.alias not in self.compiled:
            sql, params = compiler.compile(self.source)
            self.compiled[connection.alias] = sql, tuple(params)
        sql, params = self.compiled[connection.alias]
        return sql, list(params)

    def select_format(self, compiler, sql, params):
        return self.source.select_format(compiler, sql, params)

    def get_db_converters(self, connection):
        return self.source.get_db_converters(connection)
