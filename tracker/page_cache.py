"""Whole public pages kept for anonymous readers, per data version.

Readers outnumber writers, and they open the same pages: the overview, a speaker's
list, a claim someone shared. Rendering a list costs its queries and the CPU of building
the page every time (figures: docs/benchmark.md); serving it again from the cache costs
one indexed query (the data version) and a cache read. The key holds the data version
(``tracker/data_version.py``), so a kept page is never older than the last committed
write, in any process.

What is kept, and for whom — deliberately narrow:

- GET requests without a session or messages cookie or an ``Authorization`` header
  (anonymous readers only; staff see drafts and are never served from or stored into
  this cache);
- outside ``/admin/``, the CSV exports (streamed, and large) and the API (``/api/``:
  every request must reach its rate limit, and it answers conditional requests itself);
- 200 responses, not streaming, with no cookie set, up to ``MAX_BYTES``;
- keyed by scheme, host and full path (permalinks are absolute URLs).

``PAGE_CACHE_SECONDS`` (settings; 0 turns it off) bounds how long an entry occupies
memory; correctness never depends on it. Security headers are added outside this
middleware, on every response, kept or not.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse

from tracker.data_version import request_version

MAX_BYTES = 1_000_000
CACHE = "pages"  # its own cache (settings.CACHES), so pages never crowd out summaries
# /healthz must reach its view without touching the database first; the API answers
# per caller (tokens) and has its own conditional requests.
SKIPPED_PREFIXES = ("/admin/", "/static/", "/healthz", "/api/")
HEADER = "X-Page-Cache"


def _cacheable_request(request) -> bool:
    if request.method != "GET" or not getattr(settings, "PAGE_CACHE_SECONDS", 0):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    if "HTTP_AUTHORIZATION" in request.META:  # an API token: not anonymous
        return False
    path = request.path_info
    return not path.startswith(SKIPPED_PREFIXES) and not path.endswith(".csv")


def _cacheable_response(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and len(response.content) <= MAX_BYTES
        and not response.has_header("Cache-Control")  # a view asked for something else
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        digest = hashlib.sha256(address.encode()).hexdigest()
        key = f"tracker:page:{request_version(request)}:{digest}"
        kept = caches[CACHE].get(key)
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content)
            for name, value in headers:
                response.headers[name] = value
            response.headers[HEADER] = "hit"
            return response
        response = self.get_response(request)
        if _cacheable_response(response):
            headers = [(k, v) for k, v in response.headers.items() if k != HEADER]
            caches[CACHE].set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
            response.headers[HEADER] = "miss"
        return response
