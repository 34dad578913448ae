"""URLs: the public pages (docs/pages.md), the JSON API, the admin, and a health check."""

from django.contrib import admin
from django.db import connection
from django.http import HttpResponse
from django.urls import include, path

from statements.urls import actor_urlpatterns


def healthz(request):
    """``200 ok`` when the database answers, 503 otherwise (within the connect timeout:
    nothing before this view touches the database)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


handler500 = "tracker.errors.server_error"


urlpatterns = [
    path("admin/review/", include("statements.review.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/", include("statements.api.urls")),
    path("", include((actor_urlpatterns, "actors"))),
    path("", include("statements.urls")),
]
