"""Model fields of our own."""

from django.db import models


class StoredGeneratedField(models.GeneratedField):
    """A stored ``GeneratedField`` whose system check needs no database.

    Django's check asks the database server for its version (virtual generated
    columns came with PostgreSQL 18), so ``manage.py check --deploy`` would have
    to reach the database. Stored generated columns exist on every database we
    run on (PostgreSQL 12 and later, SQLite 3.31 and later): nothing to ask."""

    def __init__(self, **kwargs):
        kwargs.setdefault("db_persist", True)
        super().__init__(**kwargs)

    def _check_supported(self, databases):
        return []

    def _check_persistence(self, databases):
        return []
