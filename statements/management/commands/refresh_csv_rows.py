"""``manage.py refresh_csv_rows``: re-render the CSV rows that slug renames queued.

The web process does this itself after each rename; this is for a rename made in SQL,
for a worker stopped mid-way, and for ``make serve`` at start. PostgreSQL only (on SQLite
there is nothing to do).
"""

from __future__ import annotations

import time

from django.core.management.base import CommandError, CommandParser

from statements.csv import refresh as csv_refresh
from tracker.history import AttributedCommand


class Command(AttributedCommand):
    help = "Re-render the statements' CSV rows that slug renames left queued."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=csv_refresh.BATCH, metavar="N")

    def handle(self, *args, batch: int, verbosity: int, **options) -> None:
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        start = time.monotonic()
        done = csv_refresh.refresh(batch)
        if verbosity >= 1:
            seconds = time.monotonic() - start
            message = f"re-rendered {done} queued statement(s) in {seconds:.1f} s"
            left = csv_refresh.pending()
            if left:
                message += f"; {left} still queued (held by transactions not yet committed)"
            self.stdout.write(message)
