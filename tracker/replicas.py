"""Read replicas: anonymous page views read from a replica, everything else from the primary.

Set ``DATABASE_REPLICA_URLS`` (comma-separated ``postgres://`` URLs of streaming
replicas of ``DATABASE_URL``) and every GET or HEAD request without a session cookie —
a reader who is not signed in — runs its queries on one of them, chosen per request.
Writes, signed-in users (editors must read what they just wrote), the admin and
management commands stay on the primary. Replica lag is harmless for the caches: a
request reads the data version from the same replica as the data, so what it keeps
matches what it read.

``ReplicaRouter`` (``DATABASE_ROUTERS``) asks ``reading_replica()``, which
``ReplicaReadsMiddleware`` sets for the duration of a request.
"""

from __future__ import annotations

import random
from contextvars import ContextVar

from django.conf import settings

_replica: ContextVar[str | None] = ContextVar("tracker_replica", default=None)


def replica_aliases() -> list[str]:
    return list(getattr(settings, "REPLICA_DATABASES", []))


def reading_replica() -> str | None:
    return _replica.get()


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        aliases = replica_aliases()
        anonymous_read = (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path_info.startswith("/admin/")
        )
        if not aliases or not anonymous_read:
            return self.get_response(request)
        token = _replica.set(random.choice(aliases))  # noqa: S311 - load spreading
        try:
            response = self.get_response(request)
            if response.streaming:  # a CSV reads while it streams: pin it to the replica
                response.streaming_content = _pinned(response.streaming_content, _replica.get())
            return response
        finally:
            _replica.reset(token)


def _pinned(chunks, alias):
    token = _replica.set(alias)
    try:
        yield from chunks
    finally:
        _replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return reading_replica() or "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
