"""Databases that applied 0023 before its tag prefix index was taken out (the
operator class broke SQLite's migrate) still have the index: drop it, so every
database matches the models. Nothing to do on SQLite, which never had it."""

from django.db import migrations


def drop_prefix_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS tag_name_prefix")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0029_live_counts")]

    operations = [migrations.RunPython(drop_prefix_index, migrations.RunPython.noop)]
