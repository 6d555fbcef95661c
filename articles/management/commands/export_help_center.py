from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.help_center import default_page, export_page
from articles.models import HelpCenterPage


class Command(BaseCommand):
    help = "Write the help center page back: its kept text around one accordion per article."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        parser.add_argument("--page", help="page slug (default: the first imported page)")

    def handle(self, *args, output: str | None, page: str | None, **options):
        stored = HelpCenterPage.objects.filter(slug=page).first() if page else default_page()
        if stored is None:
            raise CommandError(
                f"No help center page {page!r}."
                if page
                else "No help center page yet: run import_help_center PATH first."
            )
        text = export_page(stored)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            count = text.count("<Accordion title=")
            self.stderr.write(f"Wrote {output}: {count} accordions.")
        else:
            self.stdout.write(text, ending="")
