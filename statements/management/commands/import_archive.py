"""``manage.py import_archive PATH``: restore an archive into an empty database."""

from pathlib import Path

from django.core.management.base import CommandError

from statements.archive import ArchiveError, archive_import
from tracker.history import AttributedCommand


class Command(AttributedCommand):
    help = (
        "Restore an export_archive file into an empty, migrated database, all or nothing. "
        "Refuses a database that already holds data."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH")

    def handle(self, *args, path: str, **options):
        try:
            counts = archive_import(path=Path(path))
        except ArchiveError as exc:
            raise CommandError(f"import_archive: {exc}") from None
        total = sum(counts.values())
        self.stdout.write(f"Restored {total} rows of {len(counts)} models from {path}.")
