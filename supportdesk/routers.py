"""Report queries may read from a replica (``REPORTS_DATABASE_URL``).

Reads go to the ``reports`` alias only inside ``reading_reports()``: the
report page and its CSV files wrap their queries in it, so everything else
(sessions, forms, writes) keeps using ``default``. The replica is never
migrated nor written to.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


def reports_alias() -> str | None:
    """The replica's alias when one is configured, else None."""
    alias = settings.REPORTS_DATABASE
    return alias if alias and alias in settings.DATABASES else None


@contextmanager
def reading_reports() -> Iterator[None]:
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


class ReportsRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if _reading_reports.get():
            return reports_alias()
        return None

    def db_for_write(self, model, **hints) -> str | None:
        return "default" if reports_alias() else None

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replica holds the same rows as default.
        return True if reports_alias() else None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return False if db == reports_alias() else None
