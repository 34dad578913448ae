"""``manage.py export_archive PATH``: the whole database as one loadable JSON archive."""

from pathlib import Path

from django.core.management.base import CommandError

from statements.archive import ArchiveError, archive_export
from tracker.history import AttributedCommand


class Command(AttributedCommand):
    help = (
        "Write every row of every app (history, users and groups included) to PATH as a "
        "JSON fixture with natural foreign keys; PATH ending in .gz is gzipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH")

    def handle(self, *args, path: str, **options):
        try:
            counts = archive_export(path=Path(path))
        except (ArchiveError, OSError) as exc:
            raise CommandError(f"export_archive: {exc}") from None
        total = sum(counts.values())
        self.stdout.write(f"Wrote {total} rows of {len(counts)} models to {path}.")
