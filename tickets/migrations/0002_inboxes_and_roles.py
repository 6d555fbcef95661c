from django.conf import settings
from django.db import migrations

from supportdesk.roles import sync_role_groups


def create_inboxes(apps, schema_editor):
    Inbox = apps.get_model("tickets", "Inbox")
    for position, (slug, name, address) in enumerate(
        [
            ("general", "General support", settings.SUPPORT_ADDRESS),
            ("billing", "Billing", settings.BILLING_ADDRESS),
        ]
    ):
        Inbox.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "address": address,
                "reply_from": address,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0001_initial"),
        ("articles", "0002_categories_and_roles"),
    ]

    operations = [
        migrations.RunPython(create_inboxes, migrations.RunPython.noop),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
