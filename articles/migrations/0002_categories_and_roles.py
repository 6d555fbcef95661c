from django.db import migrations

from supportdesk.roles import sync_role_groups

CATEGORIES = [
    ("sign-in", "Sign-in and account"),
    ("plans", "Plans and upgrades"),
    ("failed-generations", "Failed generations"),
    ("slow-generations", "Slow generations"),
    ("credits", "Credits"),
    ("gallery", "Gallery and history"),
    ("billing", "Billing and payments"),
    ("other", "Other"),
]


def create_categories(apps, schema_editor):
    IssueCategory = apps.get_model("articles", "IssueCategory")
    for position, (slug, name) in enumerate(CATEGORIES):
        IssueCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("supportdesk", "0001_role_groups"),
    ]

    operations = [
        migrations.RunPython(create_categories, migrations.RunPython.noop),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
