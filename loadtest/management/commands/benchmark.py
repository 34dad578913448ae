"""``manage.py benchmark [--statements N] [--json PATH]``: the performance table.

Creates the synthetic dataset (``generate_synthetic``) when the database has none, then
measures pages, the CSV export and 8 concurrent clients in one run (loadtest/benchmark.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from loadtest import benchmark


class Command(BaseCommand):
    help = "Measure pages, the CSV export and concurrent load on the configured database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--statements", type=int, default=1_000_000, metavar="N")
        parser.add_argument("--json", metavar="PATH")
        parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
        parser.add_argument("--load-seconds", type=float, default=30)
        parser.add_argument(
            "--pages", help="comma-separated page names to time (default: all)", default=""
        )

    def handle(self, *args, statements: int, json: str | None, runs: int, **options) -> None:
        if statements < 1 or runs < 1:
            raise CommandError("--statements and --runs must be at least 1")
        try:
            result = benchmark.run(
                statements,
                runs=runs,
                load_seconds=options["load_seconds"],
                only=[p for p in options["pages"].split(",") if p],
                log=self.stdout.write,
            )
        except (RuntimeError, OSError) as exc:
            raise CommandError(f"benchmark failed: {exc}") from None
        self.stdout.write(benchmark.table(result))
        if json:
            Path(json).write_text(_dumps(result) + "\n", encoding="utf-8")
            self.stdout.write(f"wrote {json}")


def _dumps(result: dict) -> str:
    return json.dumps(result, indent=2, default=str)
