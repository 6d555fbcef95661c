"""PostgreSQL full-text indexes of migration 0004 (dropped again by 0005,
which searches one document per ticket: ``tickets.search.document``).

They lived outside ``Meta.indexes`` because SQLite (the demo database) has no
GIN indexes. Nothing searches with them any more; the module stays so that
migrations 0004 and 0005 keep running.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector

CONFIG = "english"


def subject_vector() -> SearchVector:
    return SearchVector("subject", config=CONFIG)


def body_vector() -> SearchVector:
    return SearchVector("body_text", config=CONFIG)


INDEXES = {
    "ticket": GinIndex(subject_vector(), name="ticket_subject_search"),
    "message": GinIndex(body_vector(), name="message_body_search"),
}


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in INDEXES.items():
        schema_editor.add_index(apps.get_model("tickets", model_name), index)


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in INDEXES.items():
        schema_editor.remove_index(apps.get_model("tickets", model_name), index)
