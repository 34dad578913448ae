"""The data version — one counter that every committed write raises — and the summaries
kept per version for pages that aggregate over many rows (overview, actor, claim, tag).

At a million statements a weekly chart or a ranking costs real database work
on every request, though the data behind it changes only when someone writes. So such
summaries are computed once and kept in the cache under the current *data version*: a
one-row table (``tracker.DataVersion``) whose number every write to the tracked apps
raises, in the writer's own transaction (``post_save``, ``post_delete`` and
``m2m_changed`` of every model in ``statements``, ``actors`` and ``taggit``, history
rows excepted). A page reads the version once (one indexed query) and then either
finds its summaries or computes them; a committed write makes every older entry
unreachable in every process, so a cache never shows what was true before the last
write. Paths that bypass signals (the synthetic loader) or silence them for speed
(archive import, :func:`quiet`) call :func:`bump` themselves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.apps import apps as global_apps
from django.core.cache import cache
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from tracker.models import DataVersion

T = TypeVar("T")

TRACKED_APPS = frozenset({"statements", "actors", "taggit"})
#: Entries are never stale (the key carries the version); the timeout only frees memory.
SUMMARY_SECONDS = 3600
_MISSING = object()
_local = threading.local()


def current_version() -> str:
    row = DataVersion.objects.filter(pk=1).values_list("epoch", "number").first()
    return "none" if row is None else f"{row[0].hex}.{row[1]}"


def bump() -> None:
    """Raise the data version (inside the caller's transaction: visible at its commit)."""
    if not DataVersion.objects.filter(pk=1).update(number=F("number") + 1):
        DataVersion.objects.get_or_create(pk=1)


def request_version(request) -> str:
    """The data version, read once per request (the page cache and every summary of the
    page share it)."""
    version = getattr(request, "_tracker_data_version", None)
    if version is None:
        version = request._tracker_data_version = current_version()
    return version


def summary(request, key: str, compute: Callable[[], T]) -> T:
    """``compute()``'s value for ``key`` at the current data version, from the cache
    when some earlier request of any user with the same ``key`` computed it."""
    full_key = f"tracker:summary:{request_version(request)}:{key}"
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full_key, value, SUMMARY_SECONDS)
    return value


@contextmanager
def quiet() -> Iterator[None]:
    """No bump per saved row inside (a bulk load); one bump at the end instead."""
    previous = getattr(_local, "quiet", False)
    _local.quiet = True
    try:
        yield
    finally:
        _local.quiet = previous
    bump()  # not reached when the block raised: its transaction rolls back anyway


def _tracked(sender) -> bool:
    if getattr(_local, "quiet", False):
        return False
    meta = getattr(sender, "_meta", None)
    return (
        meta is not None
        and meta.app_label in TRACKED_APPS
        and meta.apps is global_apps  # not a migration's model state (no version table yet)
        and not sender.__name__.startswith("Historical")
    )


def _changed(sender, **kwargs) -> None:
    if _tracked(sender):
        bump()


def _m2m_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_") and _tracked(sender):
        bump()


def install() -> None:
    post_save.connect(_changed, dispatch_uid="tracker.data_version.save")
    post_delete.connect(_changed, dispatch_uid="tracker.data_version.delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="tracker.data_version.m2m")
