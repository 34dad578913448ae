"""Who made a change, for every write path.

django-simple-history records *what* changed on every save and delete. *Who* comes
from ``HistoryRequestMiddleware`` for web requests. Everything else — management
commands, scripts, services run outside a request — names itself with
:func:`acting_as`::

    with acting_as(user=None, reason="manage.py ingest"):
        source_ingest(...)

Every historical row created inside the block gets that user (when none is known
from the request or the instance) and that change reason (when none was given).
Management commands inherit :class:`AttributedCommand` (or mix
:class:`AttributedCommandMixin` into one of Django's), which runs them inside
``acting_as(reason="manage.py <command> (by <OS user>)")``; ``loaddata`` and ``shell``
are overridden in ``tracker/management/commands`` to do the same. A test checks that
every command of the project's apps does.

:func:`install` (called from ``TrackerConfig.ready``) connects two signal receivers:
the filler above, and the history of fixture loads.
"""

from __future__ import annotations

import contextlib
import getpass
import threading
from collections.abc import Iterator

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models.signals import post_save
from django.utils import timezone
from simple_history.signals import pre_create_historical_record

REASON_LENGTH = 100  # simple_history's history_change_reason is a CharField(100)

_context = threading.local()


@contextlib.contextmanager
def acting_as(user=None, reason: str = "") -> Iterator[None]:
    """Attribute every history row written inside the block to ``user`` / ``reason``."""
    previous = getattr(_context, "stack", [])
    _context.stack = [*previous, (user, reason)]
    try:
        yield
    finally:
        _context.stack = previous


def current() -> tuple[object | None, str]:
    """The innermost (user, reason) in force, or (None, "")."""
    stack = getattr(_context, "stack", [])
    return stack[-1] if stack else (None, "")


def _fill_in(sender, history_instance, **kwargs) -> None:
    user, reason = current()
    if user is not None and getattr(history_instance, "history_user_id", None) is None:
        history_instance.history_user = user
    if reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = reason[:REASON_LENGTH]


def _record_raw_save(sender, instance, created, raw=False, using=None, **kwargs) -> None:
    """History for fixture loads (``loaddata``), which simple_history skips (raw saves).

    Off while history itself is off (``SIMPLE_HISTORY_ENABLED = False``), as during
    ``import_archive``, which restores the archived history rows instead.
    """
    if not raw or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    manager_name = getattr(sender._meta, "simple_history_manager_attribute", None)
    if manager_name is None:
        return
    history_model = getattr(sender, manager_name).model
    user, reason = current()
    values = {
        field.attname: getattr(instance, field.attname) for field in history_model.tracked_fields
    }
    history_model._default_manager.using(using).create(
        history_date=timezone.now(),
        history_type="+" if created else "~",
        history_user=user,
        history_change_reason=(reason or "loaded from a fixture")[:REASON_LENGTH],
        **values,
    )


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (containers); the command still runs
        return "unknown"


_installed = False


def install() -> None:
    """Connect the filler and the history of fixture loads. Idempotent."""
    global _installed
    if _installed:
        return
    _installed = True
    pre_create_historical_record.connect(_fill_in, dispatch_uid="tracker.history.fill_in")
    post_save.connect(_record_raw_save, dispatch_uid="tracker.history.raw_save")


def command_reason(command: BaseCommand) -> str:
    """``manage.py <name> (by <OS user>)``, cut to the history column's length."""
    name = command.__class__.__module__.rsplit(".", 1)[-1]
    return f"manage.py {name} (by {_os_user()})"[:REASON_LENGTH]


class AttributedCommandMixin:
    """For a management command: every history row it writes names the command."""

    def execute(self, *args, **options):
        with acting_as(reason=command_reason(self)):
            return super().execute(*args, **options)


class AttributedCommand(AttributedCommandMixin, BaseCommand):
    """The base of the project's management commands."""
