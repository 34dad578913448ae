"""What a statement row (list) or card (detail pages) shows, loaded lean.

A row shows the statement, its speaker, whether it and its source are published, its
claims with stance and its tags, and links to each. Through the ORM's prefetches that
is several times slower (taggit's tag prefetch the largest part); here it is three flat
queries (figures: docs/benchmark.md):

1. the statements with speaker and source, only the columns a row shows (``lean``);
2. ``(statement, tag name, tag slug)`` for those rows, by name;
3. ``(statement, stance, claim id, claim text)`` for those rows, in the claims' order.

``attach`` sets ``tag_items`` and ``stance_items`` (small frozen records, each with its
``row_url``) and ``row_url`` on the statement and speaker, URLs built by string
substitution from one ``reverse()`` each. ``{% statement_row %}`` and
``{% statement_card %}`` read only these.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import QuerySet
from django.urls import reverse

from statements.models import Stance, StanceKind, TaggedStatement

#: The columns a row or card reads (anything else would cost a query per row).
ROW_FIELDS = (
    "id",
    "speaker_id",
    "source_id",
    "speaker_title",
    "text",
    "mode",
    "said_on",
    "date_precision",
    "status",
    "speaker__id",
    "speaker__name",
    "speaker__slug",
    "speaker__kind",
    "source__id",
    "source__status",
)

_STANCE_LABELS = dict(StanceKind.choices)
_URL_SAFE = "!$&'()*+,;=/~:@"


class UrlPattern:
    """``reverse()`` once with a marker, then string substitution per row (``reverse``
    for every link of a page of rows is far slower; docs/benchmark.md). Same output as
    ``reverse``."""

    MARKER = "8675309123"

    def __init__(self, name: str):
        self.prefix, self.suffix = reverse(name, args=[self.MARKER]).split(self.MARKER)

    def __call__(self, value) -> str:
        return self.prefix + quote(str(value), safe=_URL_SAFE) + self.suffix


@dataclass(frozen=True, slots=True)
class TagItem:
    name: str
    slug: str
    row_url: str


@dataclass(frozen=True, slots=True)
class ClaimItem:
    id: int
    text: str
    row_url: str


@dataclass(frozen=True, slots=True)
class StanceItem:
    stance: str
    claim: ClaimItem

    def get_stance_display(self) -> str:
        return str(_STANCE_LABELS.get(self.stance, self.stance))


def lean(queryset: QuerySet) -> QuerySet:
    """``queryset`` loading only what a row shows (with speaker and source)."""
    return queryset.select_related("speaker", "source").only(*ROW_FIELDS)


def attach(rows) -> list:
    """Give each row ``tag_items``, ``stance_items`` and links (two queries for all)."""
    rows = list(rows)
    if not rows:
        return rows
    ids = [row.pk for row in rows]
    statement_url = UrlPattern("statements:statement_detail")
    actor_url = UrlPattern("actors:actor_detail")
    tag_url = UrlPattern("statements:tag_detail")
    claim_url = UrlPattern("statements:claim_detail")

    tags: dict[int, list[TagItem]] = defaultdict(list)
    links = (
        TaggedStatement.objects.filter(content_object_id__in=ids)
        .order_by("tag__name", "tag__slug")
        .values_list("content_object_id", "tag__name", "tag__slug")
    )
    for statement_id, name, slug in links:
        tags[statement_id].append(TagItem(name, slug, tag_url(slug)))

    stances: dict[int, list[StanceItem]] = defaultdict(list)
    claims: dict[int, ClaimItem] = {}
    # A statement's stances in the claims' own order (Stance.Meta: claim, then statement).
    found = (
        Stance.objects.filter(statement_id__in=ids)
        .order_by("-claim__created_at", "-claim_id")
        .values_list("statement_id", "stance", "claim_id", "claim__text")
    )
    for statement_id, stance, claim_id, text in found:
        claim = claims.get(claim_id)
        if claim is None:
            claim = claims[claim_id] = ClaimItem(claim_id, text, claim_url(claim_id))
        stances[statement_id].append(StanceItem(stance, claim))

    for row in rows:
        row.row_url = statement_url(row.pk)
        row.speaker.row_url = actor_url(row.speaker.slug)
        row.tag_items = tags.get(row.pk, [])
        row.stance_items = stances.get(row.pk, [])
    return rows
