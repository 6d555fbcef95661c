import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from tickets.reports import moves


class Migration(migrations.Migration):
    """Move events carry their ticket's current inbox (kept by triggers), and one
    small partial index of the moves replaces the index of every event by kind:
    the report counts moved tickets per inbox without joining the tickets."""

    dependencies = [
        ("tickets", "0035_ticket_id_inbox_index_for_moves"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="ticketevent",
            name="ticket_inbox",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="tickets.inbox",
            ),
        ),
        # Filled while the old index still finds the move events, indexed after.
        migrations.RunPython(moves.install, moves.uninstall),
        migrations.AddIndex(
            model_name="ticketevent",
            index=models.Index(
                condition=models.Q(("kind", "inbox")),
                fields=["created_at", "ticket_inbox", "ticket"],
                name="event_moves",
            ),
        ),
        migrations.RemoveIndex(
            model_name="ticketevent",
            name="event_kind_ticket",
        ),
    ]
