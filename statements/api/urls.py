"""``/api/``: the v1 tables, the OpenAPI schema and its documentation page."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from statements.api import views

app_name = "api"

router = SimpleRouter()
router.register("statements", views.StatementViewSet, basename="statement")
router.register("actors", views.ActorViewSet, basename="actor")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("stances", views.StanceViewSet, basename="stance")
router.register("events", views.EventViewSet, basename="event")
router.register("sources", views.SourceViewSet, basename="source")
router.register("tags", views.TagViewSet, basename="tag")


def not_found(request, *args, **kwargs):
    """Any other address under ``/api/``: a 404 in the API's shape, not an HTML page."""
    return JsonResponse({"detail": "Not found."}, status=404)


urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The docs page loads its script from itself (``?script``), not inline: the site's
    # Content-Security-Policy allows scripts from 'self' only.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"", not_found),
]
