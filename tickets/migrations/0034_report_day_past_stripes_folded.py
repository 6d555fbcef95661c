from django.db import migrations

from tickets.reports import days


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0033_event_kind_index_holds_the_ticket"),
    ]

    # The day rows counted so far: the stripes of past days folded into one row
    # each (days.fold; afterwards daily, ``manage.py report_days --fold``).
    operations = [
        migrations.RunPython(days.fold_existing, migrations.RunPython.noop),
    ]
