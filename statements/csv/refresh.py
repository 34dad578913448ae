"""Re-render the CSV rows a slug rename left queued (PostgreSQL; migration 0008).

A recipient's or tag's slug change only queues the statements that show it; the export
renders queued statements on the fly, so it is right meanwhile, only slower for them.
:func:`refresh` re-renders the queue in small transactions: after the commit of every
actor or tag write, in a background thread of the process that wrote it
(:func:`refresh_soon`); before each CSV export (``csv_copy``), sharing the work with that
thread, so an export that starts while a big rename drains waits for the drain instead
of rendering every queued row in its query (a 460k-row export ran past a 120 s worker
timeout that way); when ``make serve`` starts; and by ``manage.py refresh_csv_rows``.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connection, transaction

logger = logging.getLogger(__name__)

BATCH = 2000

#: Take up to a batch of queued statements that no one else holds (a rename that has not
#: committed, another drain), drop them from the queue and re-render them: setting
#: csv_body to NULL makes migration 0007's trigger render it. One statement: atomic on
#: its own, and its own commit in autocommit.
_DRAIN = """
WITH picked AS (
    DELETE FROM statements_csv_stale WHERE statement_id IN (
        SELECT statement_id FROM statements_csv_stale LIMIT %s FOR UPDATE SKIP LOCKED)
    RETURNING statement_id
), rendered AS (
    UPDATE statements_statement SET csv_body = NULL
     WHERE id IN (SELECT statement_id FROM picked)
)
SELECT count(*) FROM picked
"""


def available() -> bool:
    return connection.vendor == "postgresql"


def pending() -> int:
    """How many statements wait to be re-rendered."""
    if not available():
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM statements_csv_stale")
        return cursor.fetchone()[0]


def refresh(batch: int = BATCH) -> int:
    """Re-render queued statements, ``batch`` per statement, until none is left that
    another transaction is not holding; how many it took."""
    if not available():
        return 0
    done = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(_DRAIN, [batch])
            picked = cursor.fetchone()[0]
        done += picked
        if picked < batch:
            return done


class _Drainer:
    """At most one draining thread per process; a call while it runs makes it go again."""

    def __init__(self):
        self.lock = threading.Lock()
        self.running = False
        self.again = False

    def start(self) -> None:
        with self.lock:
            if self.running:
                self.again = True
                return
            self.running = True
        threading.Thread(target=self.run, name="csv-refresh", daemon=True).start()

    def run(self) -> None:
        try:
            while True:
                try:
                    refresh()
                except Exception:  # the queue keeps what was not done; the next call retries
                    logger.exception("re-rendering queued CSV rows failed")
                with self.lock:
                    if not self.again:
                        self.running = False
                        return
                    self.again = False
        finally:
            connection.close()  # this thread's own connection


_drainer = _Drainer()


def refresh_soon(sender=None, **kwargs) -> None:
    """After the current transaction commits, drain the queue in the background.

    Connected to writes of actors and tags (a slug rename queues statements). Off where
    ``CSV_REFRESH_IN_BACKGROUND`` is false (the tests call :func:`refresh` themselves)."""
    if available() and settings.CSV_REFRESH_IN_BACKGROUND:
        transaction.on_commit(_drainer.start, robust=True)


def install() -> None:
    from django.db.models.signals import post_save
    from taggit.models import Tag

    from actors.models import Actor

    for model in (Actor, Tag):
        post_save.connect(refresh_soon, sender=model, dispatch_uid=f"csv_refresh.{model.__name__}")
