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
        parser.add_argument(
            "--compare",
            nargs=2,
            metavar=("SMALL_JSON", "LARGE_JSON"),
            help="print the ratio table of two earlier runs' --json files and stop",
        )

    def handle(self, *args, statements: int, json: str | None, runs: int, **options) -> None:
        if options["compare"]:
            self.stdout.write(benchmark.ratio_table(*map(_read, options["compare"])))
            return
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


def _read(path: str) -> dict:
    try:
        result = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CommandError(f"cannot read {path}: {exc}") from None
    if not isinstance(result, dict) or "pages" not in result or "statements" not in result:
        raise CommandError(f"{path} is not a benchmark --json file")
    return result


def _dumps(result: dict) -> str:
    return json.dumps(result, indent=2, default=str)
