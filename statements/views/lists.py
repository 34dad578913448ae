"""List pages with filters: statements, actors, claims, events, tags.

Each list is a FilterSet (statements/filters.py) over a visibility-scoped queryset,
an ordering over unique keys, and a ``prepare`` step carrying everything a row shows
(one ``for_list()``-style call, so the query count per page is constant). The CSV
exports reuse the same pieces (``ListSpec``), so the export equals the list.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.contrib.postgres.search import SearchRank
from django.core.cache import cache
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import render
from django.utils.html import format_html, format_html_join
from django.views import View
from taggit.models import Tag

from actors.models import Actor
from statements import pagination, rows
from statements.filters import (
    ActorFilter,
    ClaimFilter,
    EventFilter,
    StatementFilter,
    StrictFilterSet,
    TagFilter,
    speakers_with_statements,
)
from statements.models import (
    Claim,
    Event,
    EventParticipant,
    Source,
    Stance,
    StanceKind,
    Statement,
    Status,
    TaggedClaim,
    TaggedEvent,
    TaggedStatement,
)
from statements.pagination import Keyset, PageNotFound, PaginationError
from statements.views.details import audience, is_staff
from tracker.summaries import summary

#: Parameters that choose a page or an order, not rows: one count serves them all.
NOT_COUNTED_PARAMETERS = frozenset({"page", "cursor", "sort"})
DATALIST_LIMIT = 500
DATALIST_CACHE_SECONDS = 300


def count_of(queryset: QuerySet, field: str):
    """Correlated ``(SELECT COUNT(*) … WHERE field = outer.pk)``, 0 when none."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# -- what each list is -------------------------------------------------------------------


@dataclass
class ListSpec:
    """The rows of one list for one request: filtered queryset, order, row loader."""

    filterset: StrictFilterSet
    keyset: Keyset
    prepare: Callable[[QuerySet], QuerySet]

    @property
    def queryset(self) -> QuerySet:
        return self.filterset.qs


def statement_prepare(queryset: QuerySet) -> QuerySet:
    """What a CSV row shows (``csv_export.statement_cells``), chunk by chunk on the ORM
    path (SQLite): the statement with its speaker and source; the multi-valued cells
    come from ``with_export_links``."""
    return queryset.select_related("speaker", "source").defer(
        "extraction", "search_vector", "source__body"
    )


def listed_statements(user) -> QuerySet:
    """``Statement.objects.visible_to(user)``, written so PostgreSQL walks the statement
    indexes: "from a published source" as ``NOT EXISTS (an unpublished source)``, an
    anti-join against the few rows of index ``source_unpublished_idx``, rather than a
    join to the wide source table (a hash join over every source, ~100 ms at 1M)."""
    if is_staff(user):
        return Statement.objects.visible_to(user)
    unpublished = Source.objects.filter(pk=OuterRef("source_id")).exclude(status=Status.PUBLISHED)
    return Statement.objects.filter(status=Status.PUBLISHED).exclude(Exists(unpublished))


def statement_spec(request) -> ListSpec:
    filterset = StatementFilter(
        request.GET, queryset=listed_statements(request.user), request=request
    )
    return ListSpec(filterset, Keyset(Statement, ("-said_on", "-id")), statement_prepare)


def statement_keyset(filterset: StatementFilter) -> Keyset:
    return Keyset(Statement, filterset.ordering)


def ranked_statements(filterset: StatementFilter) -> QuerySet:
    """The newest ``RANK_CANDIDATES`` matches, best first (PostgreSQL full text)."""
    ordering = statement_keyset(filterset).ordering
    candidates = filterset.qs.order_by(*ordering).values("pk")[: pagination.RANK_CANDIDATES]
    return (
        Statement.objects.filter(pk__in=candidates)
        .annotate(rank=SearchRank(F("search_vector"), filterset.search_query))
        .order_by("-rank", *ordering)
    )


def iterate_statements(filterset: StatementFilter, chunk_size: int) -> Iterator[Statement]:
    """Every row of the list, in the list's order, a chunk at a time (for the CSV)."""
    keyset = statement_keyset(filterset)
    after = None
    if filterset.ranked:
        limit = pagination.RANK_CANDIDATES
        rows = list(statement_prepare(ranked_statements(filterset))[:limit])
        yield from with_export_links(rows, chunk_size)
        if len(rows) < limit:
            return
        after = min(keyset.key(row) for row in rows)  # the oldest candidate
    yield from with_export_links(
        pagination.iterate_keyset(
            filterset.qs, keyset, chunk_size=chunk_size, prepare=statement_prepare, after=after
        ),
        chunk_size,
    )


def with_export_links(rows: Iterable[Statement], chunk_size: int) -> Iterator[Statement]:
    """``rows`` with their multi-valued cells' values as plain lists (``export_tag_slugs``,
    ``export_recipient_slugs``, ``export_stance_pairs``, ``export_event_ids``): one
    flat query per link table per chunk.

    Not ``prefetch_related``: that built model objects for every link, and each tag
    link and stance held its statement again, a reference cycle per row. Under the
    serving collector settings (``tracker/gc_tuning.py``) those cycles piled up: the
    worker grew by ~270 MB during a 100k-row export. Earlier, the events prefetch made
    SQLite scan every event (~420 ms a chunk at 100k)."""

    def flush(batch: list[Statement]) -> list[Statement]:
        ids = [row.pk for row in batch]
        tags = _grouped(
            TaggedStatement.objects.filter(content_object_id__in=ids).values_list(
                "content_object_id", "tag__slug"
            )
        )
        recipients = _grouped(
            Statement.recipients.through.objects.filter(statement_id__in=ids).values_list(
                "statement_id", "actor__slug"
            )
        )
        stances = _grouped(
            Stance.objects.filter(statement_id__in=ids).values_list(
                "statement_id", "claim_id", "stance"
            )
        )
        events = _grouped(
            Statement.events.through.objects.filter(statement_id__in=ids).values_list(
                "statement_id", "event_id"
            )
        )
        for row in batch:
            row.export_tag_slugs = tags.get(row.pk, [])
            row.export_recipient_slugs = recipients.get(row.pk, [])
            row.export_stance_pairs = stances.get(row.pk, [])
            row.export_event_ids = events.get(row.pk, [])
        return batch

    batch: list[Statement] = []
    for row in rows:
        batch.append(row)
        if len(batch) == chunk_size:
            yield from flush(batch)
            batch = []
    if batch:
        yield from flush(batch)


def _grouped(pairs) -> dict[int, list]:
    """``(statement_id, value…)`` rows as ``{statement_id: [value or (values…), …]}``."""
    found: dict[int, list] = {}
    for statement_id, *values in pairs:
        found.setdefault(statement_id, []).append(values[0] if len(values) == 1 else tuple(values))
    return found


def actor_prepare_for(user):
    def prepare(queryset: QuerySet) -> QuerySet:
        spoken = Statement.objects.visible_to(user)
        return (
            queryset.select_related("parent")
            .prefetch_related("aliases")
            .annotate(statement_count=count_of(spoken, "speaker"))
        )

    return prepare


def actor_spec(request) -> ListSpec:
    filterset = ActorFilter(request.GET, queryset=Actor.objects.all(), request=request)
    return ListSpec(filterset, Keyset(Actor, ("name", "id")), actor_prepare_for(request.user))


def claim_prepare_for(user):
    def prepare(queryset: QuerySet) -> QuerySet:
        stances = Stance.objects.filter(statement__in=Statement.objects.visible_to(user))
        return queryset.prefetch_related("tags").annotate(
            asserts_count=count_of(stances.filter(stance=StanceKind.ASSERTS), "claim"),
            denies_count=count_of(stances.filter(stance=StanceKind.DENIES), "claim"),
            questions_count=count_of(stances.filter(stance=StanceKind.QUESTIONS), "claim"),
        )

    return prepare


def claim_spec(request) -> ListSpec:
    filterset = ClaimFilter(request.GET, queryset=Claim.objects.all(), request=request)
    return ListSpec(
        filterset, Keyset(Claim, ("-created_at", "-id")), claim_prepare_for(request.user)
    )


def event_prepare_for(user):
    sources = Source.objects.all() if is_staff(user) else Source.objects.published()

    def prepare(queryset: QuerySet) -> QuerySet:
        return queryset.prefetch_related(
            "tags",
            Prefetch("participations", queryset=EventParticipant.objects.select_related("actor")),
            Prefetch("sources", queryset=sources.only("id", "title"), to_attr="visible_sources"),
        )

    return prepare


def event_spec(request) -> ListSpec:
    filterset = EventFilter(request.GET, queryset=Event.objects.all(), request=request)
    return ListSpec(
        filterset, Keyset(Event, ("-start_date", "-id")), event_prepare_for(request.user)
    )


def tag_prepare_for(user):
    def prepare(queryset: QuerySet) -> QuerySet:
        visible = Statement.objects.visible_to(user).values("pk")
        return queryset.annotate(
            statement_count=count_of(
                TaggedStatement.objects.filter(content_object__in=visible), "tag"
            ),
            claim_count=count_of(TaggedClaim.objects.all(), "tag"),
            event_count=count_of(TaggedEvent.objects.all(), "tag"),
        )

    return prepare


def tag_spec(request) -> ListSpec:
    filterset = TagFilter(request.GET, queryset=Tag.objects.all(), request=request)
    return ListSpec(filterset, Keyset(Tag, ("name", "id")), tag_prepare_for(request.user))


# -- views ---------------------------------------------------------------------------------


class FilteredListView(View):
    """GET only: validate the filters (400 with errors beside the fields), then one page."""

    template_name: str
    csv_url_name: str | None = None
    noun: str = "rows"

    def spec(self) -> ListSpec:
        raise NotImplementedError

    def paginate(self, spec: ListSpec, page: int | None, cursor: str | None):
        return pagination.paginate(
            spec.queryset,
            spec.keyset,
            page=page,
            cursor=cursor,
            prepare=spec.prepare,
            counter=self.counter(),
        )

    def counter(self) -> Callable[[QuerySet], pagination.CappedCount]:
        """The capped count, kept per data version (tracker/summaries.py) for these
        filters and this visibility: paging through a list, or coming back to it, does
        not count again until something is written. Up to ~15 ms at 1M (a common tag)."""
        filters = sorted(
            (key, values)
            for key, values in self.request.GET.lists()
            if key not in NOT_COUNTED_PARAMETERS
        )
        digest = hashlib.sha256(repr(filters).encode()).hexdigest()[:32]
        key = f"count:{self.noun}:{audience(self.request.user)}:{digest}"
        return lambda queryset: summary(
            self.request, key, lambda: pagination.capped_count(queryset)
        )

    def datalists(self) -> list[dict]:
        return []

    def get(self, request, *args, **kwargs):
        spec = self.spec()
        filterset = spec.filterset
        page, status = None, 200
        if filterset.is_valid():
            data = filterset.form.cleaned_data
            try:
                page = self.paginate(spec, data.get("page"), data.get("cursor") or None)
            except PaginationError as error:
                filterset.form.add_error(error.field, error.message)
                status = 400
            except PageNotFound as error:
                raise Http404("No such page.") from error
        else:
            status = 400
        context = {
            "filterset": filterset,
            "page": page,
            "rows": page.rows if page else [],
            "chips": filterset.chips(),
            "csv_url_name": self.csv_url_name,
            "datalists": self.datalists(),
            "noun": self.noun,
        }
        return render(request, self.template_name, context, status=status)


def datalist(list_id: str, options) -> dict:
    """A ``<datalist>`` rendered once in Python (500 options cost ~10 ms as a template)."""
    html = format_html(
        '<datalist id="{}">{}</datalist>',
        list_id,
        format_html_join("", '<option value="{}">{}</option>', options),
    )
    return {"id": list_id, "html": html}


def cached_datalist(key: str, list_id: str, options: Callable[[], Iterable]) -> dict:
    """``datalist`` kept ``DATALIST_CACHE_SECONDS`` in the default cache under ``key``.

    The options are suggestions only (any valid slug may be typed), so a few minutes of
    staleness is harmless, and the page stops paying for the options query.
    """
    key = f"tracker:datalist:{key}"
    found = cache.get(key)
    if found is None:
        found = datalist(list_id, list(options()))
        cache.set(key, found, DATALIST_CACHE_SECONDS)
    return found


def speaker_datalist(user) -> dict:
    visibility = audience(user)
    return cached_datalist(
        f"speakers:{visibility}",
        "speaker-options",
        lambda: speakers_with_statements(user, DATALIST_LIMIT),
    )


def tag_datalist() -> dict:
    return cached_datalist(
        "tags",
        "tag-options",
        lambda: Tag.objects.order_by("name", "id").values_list("slug", "name")[:DATALIST_LIMIT],
    )


def actor_datalist() -> dict:
    def options():
        actors = Actor.objects.filter(children__isnull=False).distinct()
        return actors.order_by("name", "id").values_list("slug", "name")[:DATALIST_LIMIT]

    return cached_datalist("parents", "actor-options", options)


class StatementListView(FilteredListView):
    template_name = "statements/statement_list.html"
    csv_url_name = "statements:statement_csv"
    noun = "statements"

    def spec(self) -> ListSpec:
        return statement_spec(self.request)

    def paginate(self, spec: ListSpec, page, cursor):
        filterset = spec.filterset
        keyset = statement_keyset(filterset)
        if filterset.ranked:
            result = pagination.paginate_ranked(
                filterset.qs,
                ranked_statements(filterset),
                keyset,
                page=page,
                cursor=cursor,
                prepare=rows.lean,
                counter=self.counter(),
            )
        else:
            result = pagination.paginate(
                filterset.qs,
                keyset,
                page=page,
                cursor=cursor,
                prepare=rows.lean,
                counter=self.counter(),
            )
        rows.attach(result.rows)
        return result

    def datalists(self):
        return [speaker_datalist(self.request.user), tag_datalist()]


class ActorListView(FilteredListView):
    template_name = "actors/actor_list.html"
    csv_url_name = "actors:actor_csv"
    noun = "actors"

    def spec(self) -> ListSpec:
        return actor_spec(self.request)

    def datalists(self):
        return [actor_datalist()]


class ClaimListView(FilteredListView):
    template_name = "statements/claim_list.html"
    csv_url_name = "statements:claim_csv"
    noun = "claims"

    def spec(self) -> ListSpec:
        return claim_spec(self.request)

    def datalists(self):
        return [speaker_datalist(self.request.user), tag_datalist()]


class EventListView(FilteredListView):
    template_name = "statements/event_list.html"
    csv_url_name = "statements:event_csv"
    noun = "events"

    def spec(self) -> ListSpec:
        return event_spec(self.request)

    def datalists(self):
        participants = Actor.objects.filter(participations__isnull=False).distinct()
        participants = participants.order_by("name", "id").values_list("slug", "name")
        return [
            {"id": "actor-options", "options": list(participants[:DATALIST_LIMIT])},
            tag_datalist(),
        ]


class TagListView(FilteredListView):
    template_name = "statements/tag_list.html"
    noun = "tags"

    def spec(self) -> ListSpec:
        return tag_spec(self.request)
