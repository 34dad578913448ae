"""``manage.py generate_synthetic --statements N [--seed S]``: deterministic bulk data.

Refuses (exit 1, one line) when synthetic data is already present: load it into an
empty database (or one with only hand-entered data; ids and tags are offset/reused).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from loadtest.synthetic import SyntheticDataExists, load


class Command(BaseCommand):
    help = "Generate N synthetic statements (with actors, sources, tags, claims, events)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--statements", type=int, required=True, metavar="N")
        parser.add_argument("--seed", type=int, default=1, metavar="S")

    def handle(self, *args, statements: int, seed: int, verbosity: int, **options) -> None:
        if statements < 1:
            raise CommandError("--statements must be at least 1")

        def log(message: str) -> None:
            if verbosity >= 1:
                self.stdout.write(message)

        try:
            manifest = load(statements, seed, log=log)
        except SyntheticDataExists as exc:
            raise CommandError(str(exc)) from None
        log(
            f"generated {statements} statements (seed {seed}); a common word: "
            f"{manifest.common_word!r}, a rare one: {manifest.rare_word!r}"
        )
