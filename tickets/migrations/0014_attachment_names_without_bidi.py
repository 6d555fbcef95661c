"""Attachment names stored before tickets.attachments.safe_name existed may hold bidi
overrides and other invisible characters ("invoice", U+202E, "fdp.exe"): clean them, so no
name shown or served carries one."""

from django.db import migrations

# Controls, bidi marks, embeddings, overrides and isolates, zero-width characters, BOM.
SUSPECT = "[\x01-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"


def clean_names(apps, schema_editor):
    from tickets.attachments import safe_name

    Attachment = apps.get_model("tickets", "Attachment")
    suspects = Attachment.objects.filter(name__regex=SUSPECT).only("id", "name")
    for attachment in suspects.iterator(chunk_size=500):
        attachment.name = safe_name(attachment.name)
        attachment.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [("tickets", "0013_mail_envelope_and_delivery_due")]

    operations = [migrations.RunPython(clean_names, migrations.RunPython.noop)]
