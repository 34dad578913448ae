"""The rows of each list: a FilterSet over the visible queryset, an ordering over unique
keys, and a ``prepare`` step carrying everything a row shows (one ``for_list()``-style
call, so the query count per page is constant). The HTML lists, the CSV and JSON
exports and the API take their rows from here, so an export equals its list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from taggit.models import Tag

from actors.models import Actor, ActorKind
from statements import pagination, visibility
from statements.filters import ActorFilter, ClaimFilter, EventFilter, StatementFilter, TagFilter
from statements.filters.base import StrictFilterSet
from statements.filters.search import word_ranks
from statements.filters.sets import SourceFilter
from statements.models import (
    Claim,
    Event,
    EventParticipant,
    Source,
    Stance,
    StanceKind,
    Statement,
    TaggedStatement,
    TallyKind,
)
from statements.pagination import Keyset
from statements.selectors import tallies


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


def statement_spec(request) -> ListSpec:
    filterset = StatementFilter(
        request.GET, queryset=visibility.statements(request.user), request=request
    )
    return ListSpec(filterset, Keyset(Statement, ("-said_on", "-id")), statement_prepare)


def public_statement_spec(data) -> ListSpec:
    """The statement list for ``data`` (query parameters) as the public sees it,
    whoever asks: feeds are cached and shared by readers, so slugs and ids resolve
    among public objects only and the rows are published statements only."""
    filterset = StatementFilter(data, queryset=visibility.statements(None), request=None)
    return ListSpec(filterset, Keyset(Statement, ("-said_on", "-id")), statement_prepare)


def statement_keyset(filterset: StatementFilter) -> Keyset:
    return Keyset(Statement, filterset.ordering)


def ranked_statements(filterset: StatementFilter) -> QuerySet:
    """The newest ``RANK_CANDIDATES`` matches, best first: ``ts_rank`` on PostgreSQL;
    on SQLite FTS5's bm25, read for the candidates in one query (two in all)."""
    ordering = statement_keyset(filterset).ordering
    newest = filterset.qs.order_by(*ordering)
    limit = pagination.RANK_CANDIDATES
    if connection.vendor == "postgresql":
        return (
            Statement.objects.filter(pk__in=newest.values("pk")[:limit])
            .annotate(rank=SearchRank(F("search_vector"), filterset.search_query))
            .order_by("-rank", *ordering)
        )
    keys = list(newest.values_list("pk", "said_on")[:limit])  # in the list's order
    ids = [pk for pk, _ in keys]
    ranks = word_ranks(filterset.value("q"), keys)
    best_first = sorted(range(len(ids)), key=lambda n: (ranks.get(ids[n], 0.0), n))
    # The place of ",id," in ",id1,id2,…,": one string parameter, cheap to build and to
    # compare (a CASE with a branch per candidate was slow for the database to compile;
    # docs/benchmark.md).
    places = Value("," + ",".join(str(ids[n]) for n in best_first) + ",")
    needle = Concat(Value(","), Cast("id", CharField()), Value(","), output_field=CharField())
    position = Func(places, needle, function="instr", output_field=IntegerField())
    return Statement.objects.filter(pk__in=ids).order_by(position, *ordering)


def iterate_statements(filterset: StatementFilter, chunk_size: int) -> Iterator[Statement]:
    """Every row of the list, in the list's order, a chunk at a time (for the CSV)."""
    return with_export_links(walk_statements(filterset, chunk_size), chunk_size)


def walk_statements(
    filterset: StatementFilter, chunk_size: int, prepare=statement_prepare
) -> Iterator[Statement]:
    """Every row of the list in the list's order, loaded by ``prepare`` a chunk at a time:
    for a ranked search the ranked candidates first, then the older matches by date."""
    keyset = statement_keyset(filterset)
    after = None
    if filterset.ranked:
        limit = pagination.RANK_CANDIDATES
        rows = list(prepare(ranked_statements(filterset))[:limit])
        yield from rows
        if len(rows) < limit:
            return
        after = min(keyset.key(row) for row in rows)  # the oldest candidate
    yield from pagination.iterate_keyset(
        filterset.qs, keyset, chunk_size=chunk_size, prepare=prepare, after=after
    )


def with_export_links(rows: Iterable[Statement], chunk_size: int) -> Iterator[Statement]:
    """``rows`` with their multi-valued cells' values as plain lists (``export_tag_slugs``,
    ``export_recipient_slugs``, ``export_stance_pairs``, ``export_event_ids``): one
    flat query per link table per chunk.

    Not ``prefetch_related``: that built model objects for every link, and each tag
    link and stance held its statement again, a reference cycle per row. Under the
    serving collector settings (``tracker/gc_tuning.py``) those cycles piled up and the
    worker's memory grew through a large export. Earlier, the events prefetch made
    SQLite scan every event for each chunk (figures for both: docs/benchmark.md)."""

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
        return (
            queryset.select_related("parent")
            .prefetch_related("aliases")
            .annotate(statement_count=tallies.count_of(TallyKind.SPEAKER, user))
        )

    return prepare


def actor_spec(request) -> ListSpec:
    filterset = ActorFilter(request.GET, queryset=visibility.actors(request.user), request=request)
    return ListSpec(filterset, Keyset(Actor, ("name", "id")), actor_prepare_for(request.user))


def claim_prepare_for(user):
    def prepare(queryset: QuerySet) -> QuerySet:
        stances = visibility.stances(user)
        return queryset.prefetch_related("tags").annotate(
            asserts_count=count_of(stances.filter(stance=StanceKind.ASSERTS), "claim"),
            denies_count=count_of(stances.filter(stance=StanceKind.DENIES), "claim"),
            questions_count=count_of(stances.filter(stance=StanceKind.QUESTIONS), "claim"),
        )

    return prepare


def claim_spec(request) -> ListSpec:
    filterset = ClaimFilter(request.GET, queryset=visibility.claims(request.user), request=request)
    return ListSpec(
        filterset, Keyset(Claim, ("-created_at", "-id")), claim_prepare_for(request.user)
    )


def event_prepare_for(user):
    sources = visibility.sources(user)

    def prepare(queryset: QuerySet) -> QuerySet:
        return queryset.prefetch_related(
            "tags",
            Prefetch("participations", queryset=EventParticipant.objects.select_related("actor")),
            Prefetch("sources", queryset=sources.only("id", "title"), to_attr="visible_sources"),
        )

    return prepare


def event_spec(request) -> ListSpec:
    filterset = EventFilter(request.GET, queryset=visibility.events(request.user), request=request)
    return ListSpec(
        filterset, Keyset(Event, ("-start_date", "-id")), event_prepare_for(request.user)
    )


def tag_prepare_for(user):
    def prepare(queryset: QuerySet) -> QuerySet:
        return queryset.annotate(
            statement_count=tallies.count_of(TallyKind.TAG, user),
            claim_count=count_of(visibility.tag_links(Claim, user), "tag"),
            event_count=count_of(visibility.tag_links(Event, user), "tag"),
        )

    return prepare


def tag_spec(request) -> ListSpec:
    filterset = TagFilter(request.GET, queryset=visibility.tags(request.user), request=request)
    return ListSpec(filterset, Keyset(Tag, ("name", "id")), tag_prepare_for(request.user))


def source_prepare_for(user):
    def prepare(queryset: QuerySet) -> QuerySet:
        return queryset.defer("body").annotate(
            statement_count=count_of(visibility.statements(user), "source")
        )

    return prepare


def source_spec(request) -> ListSpec:
    filterset = SourceFilter(
        request.GET, queryset=visibility.sources(request.user), request=request
    )
    return ListSpec(
        filterset, Keyset(Source, ("-published_on", "-id")), source_prepare_for(request.user)
    )


def speakers_with_statements(user, limit: int) -> QuerySet:
    """Actors who have said something visible, by name: the speaker suggestions."""
    spoken = visibility.statements(user).filter(speaker=OuterRef("pk"))
    return (
        visibility.actors(user)
        .filter(Exists(spoken))
        .order_by("name", "id")
        .values_list("slug", "name")[:limit]
    )


def tag_options(user, limit: int) -> QuerySet:
    """Visible tags by name, as ``(slug, name)``: the tag suggestions."""
    return visibility.tags(user).order_by("name", "id").values_list("slug", "name")[:limit]


def country_options(user, limit: int) -> QuerySet:
    """Visible states, as ``(slug, name)`` by name: the list's country facet (each
    narrows the list to ``within=<slug>``: the state, its bodies and officials)."""
    states = visibility.actors(user).filter(kind=ActorKind.STATE)
    return states.order_by("name", "id").values_list("slug", "name")[:limit]


def parent_options(user, limit: int) -> QuerySet:
    """Visible actors that have members, as ``(slug, name)``: the "part of" suggestions."""
    parents = visibility.actors(user).filter(children__isnull=False).distinct()
    return parents.order_by("name", "id").values_list("slug", "name")[:limit]


def participant_options(user, limit: int) -> QuerySet:
    """Visible actors that took part in an event, as ``(slug, name)`` (the actor is
    visible, so suggesting it reveals nothing; which events stays for the list)."""
    taking_part = EventParticipant.objects.filter(actor=OuterRef("pk"))
    return (
        visibility.actors(user)
        .filter(Exists(taking_part))
        .order_by("name", "id")
        .values_list("slug", "name")[:limit]
    )
