"""Reads only the exports need: the sources list, the stances of a statement list, and
the optional statement cells (span text, claim texts), each a few flat queries per chunk.

Every row starts from ``statements.visibility``; the statement lists are walked in the
list's own order (``lists.walk_statements``), so an export equals its list.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, QuerySet
from django.db.models.functions import Substr

from statements import visibility
from statements.filters import StatementFilter
from statements.models import (
    Claim,
    Event,
    EventParticipant,
    Stance,
    StanceKind,
    Statement,
    TaggedClaim,
    TaggedEvent,
    TallyKind,
)
from statements.selectors import tallies
from statements.selectors.lists import (
    ListSpec,
    actor_spec,
    claim_spec,
    event_spec,
    source_spec,
    tag_spec,
    walk_statements,
)


def chunked(rows: Iterable, size: int) -> Iterator[list]:
    """``rows`` as lists of up to ``size`` (the last one shorter)."""
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# -- tags ----------------------------------------------------------------------------------


def tag_export_spec(request) -> ListSpec:
    """The tag list's rows without its per-tag counts (``with_tag_counts`` adds them)."""
    spec = tag_spec(request)
    return ListSpec(spec.filterset, spec.keyset, lambda queryset: queryset)


def _counts(links: QuerySet, ids: list[int]) -> dict[int, int]:
    grouped = links.filter(tag_id__in=ids).order_by().values("tag_id").annotate(n=Count("*"))
    return dict(grouped.values_list("tag_id", "n"))


def with_tag_counts(rows: Iterable, user, chunk_size: int) -> Iterator:
    """``rows`` (tags) with ``statement_count``, ``claim_count`` and ``event_count`` of what
    ``user`` may see: one grouped count per link table and chunk. (The list page's
    correlated counts, fine for 50 rows, re-checked every visible statement per tag: 25 s
    for the 537 tags of a 100k-statement database.)"""
    claims, events = visibility.tag_links(Claim, user), visibility.tag_links(Event, user)
    for batch in chunked(rows, chunk_size):
        ids = [tag.pk for tag in batch]
        counted = [
            tallies.totals(TallyKind.TAG, ids, user),
            *(_counts(links, ids) for links in (claims, events)),
        ]
        for tag in batch:
            tag.statement_count, tag.claim_count, tag.event_count = (
                found.get(tag.pk, 0) for found in counted
            )
        yield from batch


# -- actors, sources and claims: their counts per chunk -------------------------------------


def actor_export_spec(request) -> ListSpec:
    """The actor list's rows without their statement counts (``with_speaker_counts``)."""
    spec = actor_spec(request)
    return ListSpec(
        spec.filterset,
        spec.keyset,
        lambda queryset: queryset.select_related("parent").prefetch_related("aliases"),
    )


def source_export_spec(request) -> ListSpec:
    """The source list's rows without their statement counts (``with_source_counts``)."""
    spec = source_spec(request)
    return ListSpec(spec.filterset, spec.keyset, lambda queryset: queryset.defer("body"))


def claim_export_spec(request) -> ListSpec:
    """The claim list's rows without counts or tags (``with_stance_counts``)."""
    spec = claim_spec(request)
    return ListSpec(spec.filterset, spec.keyset, lambda queryset: queryset)


def event_export_spec(request) -> ListSpec:
    """The event list's rows without their links (``with_event_links`` adds them)."""
    spec = event_spec(request)
    return ListSpec(spec.filterset, spec.keyset, lambda queryset: queryset)


def _tag_slugs(links: QuerySet, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for pk, slug in links.filter(content_object_id__in=ids).values_list(
        "content_object_id", "tag__slug"
    ):
        found.setdefault(pk, []).append(slug)
    return found


def with_event_links(rows: Iterable, user, chunk_size: int) -> Iterator:
    """Events with ``export_participants`` (``role:slug``), ``export_source_ids`` (the
    sources ``user`` may see) and ``export_tag_slugs``: one flat query each per chunk,
    no model instance per link."""
    sources = Event.sources.through.objects.filter(source__in=visibility.sources(user))
    for batch in chunked(rows, chunk_size):
        ids = [row.pk for row in batch]
        people: dict[int, list[str]] = {}
        for pk, role, slug in EventParticipant.objects.filter(event_id__in=ids).values_list(
            "event_id", "role", "actor__slug"
        ):
            people.setdefault(pk, []).append(f"{role}:{slug}")
        sourced: dict[int, list[int]] = {}
        for pk, source in sources.filter(event_id__in=ids).values_list("event_id", "source_id"):
            sourced.setdefault(pk, []).append(source)
        tags = _tag_slugs(TaggedEvent.objects.all(), ids)
        for row in batch:
            row.export_participants = people.get(row.pk, [])
            row.export_source_ids = sourced.get(row.pk, [])
            row.export_tag_slugs = tags.get(row.pk, [])
        yield from batch


def with_speaker_counts(rows: Iterable, user, chunk_size: int) -> Iterator:
    """Actors with ``statement_count``: the statements ``user`` may see that they said,
    read from the tallies the database keeps (``selectors/tallies.py``), one read per
    chunk."""
    for batch in chunked(rows, chunk_size):
        counted = tallies.totals(TallyKind.SPEAKER, [row.pk for row in batch], user)
        for row in batch:
            row.statement_count = counted.get(row.pk, 0)
        yield from batch


def with_source_counts(rows: Iterable, user, chunk_size: int) -> Iterator:
    """Sources with ``statement_count``: the statements ``user`` may see that they
    carry, one grouped count per chunk. (The list pages' correlated count per row, fine
    for a page, recounted every source's statements row by row over a whole table.)"""
    statements = visibility.statements(user).order_by()
    for batch in chunked(rows, chunk_size):
        counted = dict(
            statements.filter(source_id__in=[row.pk for row in batch])
            .values("source")
            .annotate(n=Count("*"))
            .values_list("source", "n")
        )
        for row in batch:
            row.statement_count = counted.get(row.pk, 0)
        yield from batch


def with_stance_counts(rows: Iterable, user, chunk_size: int) -> Iterator:
    """Claims with ``asserts_count``, ``denies_count`` and ``questions_count`` of the
    stances ``user`` may see (one grouped count per chunk) and ``export_tag_slugs``."""
    stances = visibility.stances(user).order_by()
    for batch in chunked(rows, chunk_size):
        ids = [row.pk for row in batch]
        tags = _tag_slugs(TaggedClaim.objects.all(), ids)
        counted = {
            (claim, stance): n
            for claim, stance, n in stances.filter(claim_id__in=ids)
            .values("claim", "stance")
            .annotate(n=Count("*"))
            .values_list("claim", "stance", "n")
        }
        for row in batch:
            row.asserts_count = counted.get((row.pk, StanceKind.ASSERTS), 0)
            row.denies_count = counted.get((row.pk, StanceKind.DENIES), 0)
            row.questions_count = counted.get((row.pk, StanceKind.QUESTIONS), 0)
            row.export_tag_slugs = tags.get(row.pk, [])
        yield from batch


# -- stances of a statement list -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StanceRow:
    statement_id: int
    claim_id: int
    stance: str
    claim_text: str
    speaker_slug: str
    said_on: date


def _statement_keys(queryset: QuerySet) -> QuerySet:
    return queryset.only("id", "said_on")


def listed_stances(filterset: StatementFilter, user) -> QuerySet:
    """The stances ``user`` may see that the list's ``claim`` and ``stance`` keep (of
    any statement: the caller narrows them to the list's)."""
    data = filterset.form.cleaned_data
    claim, stance = data.get("claim"), data.get("stance")
    stances = visibility.stances(user).order_by()
    if claim:
        stances = stances.filter(claim_id=claim.pk)
    if stance:
        stances = stances.filter(stance=stance)
    return stances


def iterate_stances(filterset: StatementFilter, user, chunk_size: int) -> Iterator[StanceRow]:
    """The stances of the statements the list shows, in the list's order (by claim id
    within a statement). ``claim`` and ``stance`` keep only the stances they name.
    Two queries per chunk of statements: their keys, their visible stances."""
    listed = listed_stances(filterset, user)
    for batch in chunked(walk_statements(filterset, chunk_size, _statement_keys), chunk_size):
        ids = [row.pk for row in batch]
        stances = listed.filter(statement_id__in=ids)
        found: dict[int, list[StanceRow]] = {}
        for values in stances.values_list(
            "statement_id",
            "claim_id",
            "stance",
            "claim__text",
            "statement__speaker__slug",
            "statement__said_on",
        ):
            found.setdefault(values[0], []).append(StanceRow(*values))
        for statement_id in ids:
            yield from sorted(found.get(statement_id, ()), key=lambda s: s.claim_id)


# -- optional statement cells --------------------------------------------------------------


def with_span_and_claim_texts(
    rows: Iterable[Statement], chunk_size: int, *, excerpt: bool, claim_texts: bool
) -> Iterator[Statement]:
    """``rows`` with ``export_excerpt`` (the span's text, ``source.body[span_start:
    span_end]``, cut in the database so no body is loaded) and ``export_claim_texts``
    (``(claim_id, stance, text)`` of its stances), one query each per chunk."""
    for batch in chunked(rows, chunk_size):
        ids = [row.pk for row in batch]
        spans: dict[int, str] = {}
        texts: dict[int, list[tuple[int, str, str]]] = {}
        if excerpt:
            spans = dict(
                Statement.objects.filter(pk__in=ids)
                .annotate(
                    span_text=Substr(
                        "source__body", F("span_start") + 1, F("span_end") - F("span_start")
                    )
                )
                .values_list("pk", "span_text")
            )
        if claim_texts:
            stances = Stance.objects.filter(statement_id__in=ids).order_by()
            for statement_id, *values in stances.values_list(
                "statement_id", "claim_id", "stance", "claim__text"
            ):
                texts.setdefault(statement_id, []).append(tuple(values))
        for row in batch:
            row.export_excerpt = spans.get(row.pk, "")
            row.export_claim_texts = sorted(texts.get(row.pk, ()))
        yield from batch
