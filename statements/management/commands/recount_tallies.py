"""``manage.py recount_tallies``: count every tally again from the statements.

The database keeps the tallies itself (``statements/models/tally_sql.py``), whatever
writes; this is for writes made with the triggers off (``session_replication_role =
replica``, a restore that skipped them) and for checking: ``--check`` compares the kept
counts with a fresh count, and each stance's date with its statement's, and exits 1
when they differ, writing nothing.
"""

from __future__ import annotations

import time

from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.db.models import F

from statements.models import Stance, Tally
from statements.services import tallies_rebuild
from tracker import data_version
from tracker.history import AttributedCommand


def _kept() -> set[tuple]:
    return set(Tally.objects.exclude(n=0).values_list("kind", "subject_id", "audience", "day", "n"))


def _misdated() -> int:
    """Stances whose copy of their statement's date is not the statement's."""
    return Stance.objects.exclude(said_on=F("statement__said_on")).count()  # NULL counts


class Command(AttributedCommand):
    help = "Count every tally (statements per day, speaker, tag, claim, event) again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="compare with a fresh count; change nothing"
        )

    def handle(self, *args, check: bool, verbosity: int, **options) -> None:
        start = time.monotonic()
        with transaction.atomic():
            before, misdated = _kept(), _misdated()
            rows = tallies_rebuild()
            differing = len(before ^ _kept())
            if check:
                transaction.set_rollback(True)
            else:
                data_version.bump()  # kept summaries counted from the old rows
        seconds = time.monotonic() - start
        if check and (differing or misdated):
            raise CommandError(
                f"{differing} tally row(s) differ from a fresh count; "
                f"{misdated} stance(s) do not carry their statement's date"
            )
        if verbosity >= 1:
            done = "checked" if check else "recounted"
            self.stdout.write(
                f"{done} {rows} tally row(s) in {seconds:.1f} s; {differing} differed; "
                f"{misdated} stance date(s) differed"
            )
