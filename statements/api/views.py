"""One read-only viewset per table: list (filtered, cursor-paged) and detail.

Every queryset starts from ``statements.visibility`` (who may see what); lists run the
table's strict FilterSet (``filters.StrictFilterBackend``) and page with the lists'
keyset cursors (``pagination.KeysetPagination``); rows are loaded by the lists' own row
loaders, a constant number of queries per page.

Responses carry ``ETag`` and ``Last-Modified`` derived from the data version
(``tracker/data_version.py``): a conditional request for a page nothing has changed
since answers 304 before any row is read. ``Vary: Authorization`` and
``Cache-Control: private, no-cache`` keep shared caches from handing one caller's
answer (a staff token's drafts) to another.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import threading

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from rest_framework import viewsets
from rest_framework.exceptions import NotFound

from statements import visibility
from statements.api import serializers
from statements.api.filters import StrictFilterBackend
from statements.api.pagination import KeysetPagination
from statements.filters import (
    ActorFilter,
    ClaimFilter,
    EventFilter,
    StatementFilter,
    TagFilter,
)
from statements.filters.fields import ID_RE, MAX_ID, SLUG_RE
from statements.filters.sets import SourceFilter, StanceFilter
from statements.models import EventParticipant, TaggedClaim, TaggedEvent, TallyKind
from statements.pagination import Keyset
from statements.selectors import tallies
from statements.selectors.lists import (
    actor_prepare_for,
    claim_prepare_for,
    count_of,
    ranked_statements,
    statement_keyset,
    statement_prepare,
    with_export_links,
)
from tracker.data_version import request_version

#: How long the moment a data version was first served is remembered (it only frees memory:
#: a forgotten version gets a new, later ``Last-Modified``, which is merely less cacheable).
MODIFIED_SECONDS = 86_400
_modified_lock = threading.Lock()
_latest_modified = 0


def version_modified(version: str) -> int:
    """``Last-Modified`` (a Unix time) for a data version: when this process first served
    it, rounded up to the second and later than any version it served before, so a
    client's ``If-Modified-Since`` never matches a newer version. Processes may give one
    version different times (each its own first view); ``ETag``, which names the version
    itself, is exact everywhere and takes precedence when a client sends both."""
    global _latest_modified
    key = f"tracker:api:modified:{version}"
    found = cache.get(key)
    if found is not None:
        return found
    with _modified_lock:
        now = math.ceil(datetime.datetime.now(tz=datetime.UTC).timestamp())
        _latest_modified = max(now, _latest_modified + 1)
        if cache.add(key, _latest_modified, MODIFIED_SECONDS):
            return _latest_modified
    return cache.get(key, _latest_modified)


class ApiViewSet(viewsets.ReadOnlyModelViewSet):
    filter_backends = [StrictFilterBackend]
    pagination_class = KeysetPagination
    lookup_value_regex = r"[0-9]+"
    #: The list's order over unique keys (statements choose theirs per request).
    ordering: tuple[str, ...] = ("id",)
    detail_serializer_class = None

    # -- what the caller may see, and how rows are loaded ------------------------------

    def scoped(self) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        return self.scoped()

    def prepare(self, queryset: QuerySet) -> QuerySet:
        """The page's queryset with everything its rows show (the list's row loader)."""
        return queryset

    def decorate(self, rows: list) -> list:
        """Anything fetched for a whole page at once, after the rows."""
        return rows

    def keyset(self) -> Keyset:
        return Keyset(self.get_queryset().model, self.ordering)

    def ranked(self) -> QuerySet | None:
        """The relevance-ordered candidates when the list is a ranked search."""
        return None

    @property
    def staff(self) -> bool:
        return visibility.sees_drafts(self.request.user)

    def filter_queryset(self, queryset):
        if self.action != "list":  # a detail takes no filters
            return queryset
        return super().filter_queryset(queryset)

    def lookup_value(self) -> object:
        value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        if not ID_RE.match(value) or not 0 < int(value) <= MAX_ID:
            raise NotFound()
        return int(value)

    def get_object(self):
        lookup = {self.lookup_field: self.lookup_value()}
        found = list(self.prepare(self.get_queryset().filter(**lookup))[:1])
        if not found:
            raise NotFound()
        return self.decorate(found)[0]

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "staff": self.staff}

    # -- conditional requests --------------------------------------------------------

    def validators(self) -> tuple[str, int]:
        request = self.request._request
        version = request_version(request)
        seen = f"{version}|{visibility.audience(self.request.user)}|{request.build_absolute_uri()}"
        etag = '"' + hashlib.sha256(seen.encode()).hexdigest()[:32] + '"'
        return etag, version_modified(version)

    def list(self, request, *args, **kwargs):
        return self.not_modified() or super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self.not_modified() or super().retrieve(request, *args, **kwargs)

    def not_modified(self):
        etag, modified = self.validators()
        return get_conditional_response(self.request._request, etag=etag, last_modified=modified)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Authorization",))
        if request.method in ("GET", "HEAD") and response.status_code in (200, 304):
            etag, modified = self.validators()
            response.headers["ETag"] = etag
            response.headers["Last-Modified"] = http_date(modified)
        response.headers.setdefault("Cache-Control", "private, no-cache")
        return response


# -- the tables ----------------------------------------------------------------------------


class StatementViewSet(ApiViewSet):
    """Statements: the rows of `/statements/` and `/statements.csv` for the same
    parameters, in the same order (newest first, `sort=said_on` oldest first; on
    PostgreSQL a `q` without `sort` is ranked by relevance)."""

    filterset_class = StatementFilter
    serializer_class = serializers.StatementSerializer

    def scoped(self):
        return visibility.statements(self.request.user)

    def prepare(self, queryset):
        return statement_prepare(queryset)

    def decorate(self, rows):
        return list(with_export_links(rows, max(1, len(rows))))

    def keyset(self):
        return statement_keyset(self.filterset)

    def ranked(self):
        return ranked_statements(self.filterset) if self.filterset.ranked else None


class ActorViewSet(ApiViewSet):
    """Actors (people, bodies, states), by name. `id` is the slug."""

    filterset_class = ActorFilter
    serializer_class = serializers.ActorSerializer
    ordering = ("name", "id")
    lookup_field = "slug"
    lookup_value_regex = r"[^/]+"

    def scoped(self):
        return visibility.actors(self.request.user)

    def prepare(self, queryset):
        return actor_prepare_for(self.request.user)(queryset)

    def lookup_value(self):
        value = self.kwargs["slug"]
        if not SLUG_RE.match(value):
            raise NotFound()
        return value


class ClaimViewSet(ApiViewSet):
    """Claims, newest first, with how many visible statements assert, deny or question
    each."""

    filterset_class = ClaimFilter
    serializer_class = serializers.ClaimSerializer
    ordering = ("-created_at", "-id")

    def scoped(self):
        return visibility.claims(self.request.user)

    def prepare(self, queryset):
        return claim_prepare_for(self.request.user)(queryset)


class StanceViewSet(ApiViewSet):
    """Stances: one statement's position (asserts, denies, questions) on one claim."""

    filterset_class = StanceFilter
    serializer_class = serializers.StanceSerializer
    ordering = ("id",)

    def scoped(self):
        return visibility.stances(self.request.user)

    def prepare(self, queryset):
        return queryset.select_related("statement__speaker").only(
            "id",
            "stance",
            "claim_id",
            "statement_id",
            "statement__said_on",
            "statement__status",
            "statement__speaker__slug",
        )


class EventViewSet(ApiViewSet):
    """Events, latest start first, with participants, sources and tags."""

    filterset_class = EventFilter
    serializer_class = serializers.EventSerializer
    ordering = ("-start_date", "-id")

    def scoped(self):
        return visibility.events(self.request.user)

    def prepare(self, queryset):
        sources = visibility.sources(self.request.user).only("id")
        return queryset.prefetch_related(
            "tags",
            Prefetch("participations", queryset=EventParticipant.objects.select_related("actor")),
            Prefetch("sources", queryset=sources, to_attr="visible_sources"),
        )


class SourceViewSet(ApiViewSet):
    """Sources, latest first; the detail adds the full `body`."""

    filterset_class = SourceFilter
    serializer_class = serializers.SourceSerializer
    detail_serializer_class = serializers.SourceDetailSerializer
    ordering = ("-published_on", "-id")

    def scoped(self):
        return visibility.sources(self.request.user)

    def prepare(self, queryset):
        return queryset if self.action == "retrieve" else queryset.defer("body")


class TagViewSet(ApiViewSet):
    """Tags, by name, with how many statements, claims and events carry each. `id` is
    the slug."""

    filterset_class = TagFilter
    serializer_class = serializers.TagSerializer
    ordering = ("name", "id")
    lookup_field = "slug"
    lookup_value_regex = r"[^/]+"

    def scoped(self):
        return visibility.tags(self.request.user)

    def prepare(self, queryset):
        """Counts of what the caller may see carrying each tag."""
        user = self.request.user

        def links(through, visible: QuerySet) -> QuerySet:
            return through.objects.filter(content_object__in=visible.values("pk"))

        return queryset.annotate(
            statement_count=tallies.count_of(TallyKind.TAG, user),
            claim_count=count_of(links(TaggedClaim, visibility.claims(user)), "tag"),
            event_count=count_of(links(TaggedEvent, visibility.events(user)), "tag"),
        )

    def lookup_value(self):
        value = self.kwargs["slug"]
        if not SLUG_RE.match(value):
            raise NotFound()
        return value
