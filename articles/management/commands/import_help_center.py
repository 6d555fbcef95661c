from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.help_center import import_page
from articles.mdx import MdxError


class Command(BaseCommand):
    help = (
        "Import a Mintlify help center page: each <Accordion> becomes a published article, "
        "in page order. Unchanged accordions create no revisions."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .mdx page, e.g. ../shared/help-center/x.mdx")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change; write nothing"
        )

    def handle(self, *args, path: str, dry_run: bool, **options):
        source = Path(path)
        try:
            text = source.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}") from None
        try:
            report = import_page(text, slug=source.stem, dry_run=dry_run, source=source.name)
        except MdxError as error:
            lines = "\n".join(f"  {source.name}:{p.line}: {p.message}" for p in error.problems)
            raise CommandError(f"Nothing was imported; fix these first:\n{lines}") from None
        self.stdout.write(f"{source.name}{' (dry run: nothing written)' if dry_run else ''}")
        for line in report.lines():
            self.stdout.write(line)
