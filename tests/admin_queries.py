"""Counting an admin page's own queries, apart from what every logged-in request costs."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def request_overhead(client) -> int:
    """Queries any logged-in admin request costs before the page's own work."""
    return count_queries(client, reverse("admin:jsi18n"), overhead=0)


def count_queries(client, url: str, overhead: int | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    if overhead is None:
        overhead = request_overhead(client)
    return len(queries) - overhead
