"""CSV exports (docs/csv.md): columns, the formula guard and a streaming writer.

Plain Python over already-fetched rows: the views decide which rows (the list's
FilterSet and order) and fetch them in keyset chunks; this module turns each row into
cells, neutralises spreadsheet formulas and streams RFC 4180 bytes.
"""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse
from django.urls import reverse

# A spreadsheet treats a cell starting with these as a formula (or splits it).
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n")
GUARD = "'"
FLUSH_BYTES = 64 * 1024

STATEMENT_COLUMNS = (
    "id",
    "said_on",
    "date_precision",
    "speaker",
    "speaker_slug",
    "speaker_kind",
    "speaker_title",
    "mode",
    "medium",
    "text",
    "recipients",
    "claims",
    "events",
    "tags",
    "source_title",
    "source_url",
    "source_published_on",
    "url",
)
ACTOR_COLUMNS = (
    "id",
    "slug",
    "name",
    "kind",
    "parent_slug",
    "wikidata_id",
    "aliases",
    "statements",
    "url",
)
CLAIM_COLUMNS = ("id", "slug", "text", "status", "asserts", "denies", "questions", "tags", "url")
SOURCE_COLUMNS = (
    "id",
    "title",
    "publisher",
    "source_url",
    "published_on",
    "language",
    "statements",
    "url",
)
STANCE_COLUMNS = (
    "statement_id",
    "claim_id",
    "stance",
    "claim_text",
    "speaker_slug",
    "said_on",
    "statement_url",
    "claim_url",
)
TAG_COLUMNS = ("slug", "name", "statements", "claims", "events", "url")
EVENT_COLUMNS = (
    "id",
    "slug",
    "title",
    "kind",
    "mode",
    "start_date",
    "start_precision",
    "end_date",
    "location",
    "participants",
    "sources",
    "tags",
    "url",
)


def neutralise(value: str) -> str:
    """Prefix ``'`` when the first non-blank character (after NFKC) could start a formula.

    Blank means whitespace other than tab, CR and LF: those three are triggers
    themselves. So ``"   =1"``, ``"＝1"`` (full-width) and ``"\\t1"`` are guarded;
    ``"a=1"`` and ``""`` are not. The original text is kept unchanged after the guard.
    """
    if value[:1] in PLAIN_STARTS:  # NFKC keeps an ASCII letter or digit a non-trigger
        return value
    for char in unicodedata.normalize("NFKC", value):
        if char in FORMULA_TRIGGERS:
            return GUARD + value
        if not char.isspace():
            return value
    return value


#: A cell starting with one of these needs no guard (NFKC keeps it a non-trigger).
PLAIN_STARTS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def cell(value) -> str:
    if type(value) is str:
        return neutralise(value)
    if value is None:
        return ""
    if isinstance(value, datetime.date | datetime.datetime):
        return neutralise(value.isoformat())
    return neutralise(str(value))


def joined(values: Iterable) -> str:
    return ";".join(str(v) for v in values)


class ClaimStance(tuple):
    """One stance of a statement: ``stance:claim_id`` in a CSV cell, ``{"claim": id,
    "stance": ...}`` in JSON."""

    __slots__ = ()

    def __new__(cls, claim: int, stance: str):
        return super().__new__(cls, (claim, stance))

    def __str__(self) -> str:
        return f"{self[1]}:{self[0]}"

    def as_json(self) -> dict:
        return {"claim": self[0], "stance": self[1]}


def csv_cells(values: list) -> list:
    """A row's values as CSV cells: a list (a multi-valued cell) joined with ``;``."""
    return [joined(v) if type(v) is list else v for v in values]


def tag_slugs(obj) -> list[str]:
    """A claim's or event's tag slugs: those a chunked export fetched (``export_tag_slugs``,
    ``selectors.exports``), else its prefetched tags."""
    return sorted(_exported(obj, "export_tag_slugs", lambda: [tag.slug for tag in obj.tags.all()]))


def _exported(statement, attr: str, fallback):
    """The values a chunked export fetched into ``attr`` (``lists.with_export_links``),
    else ``fallback()`` (one statement on its own)."""
    found = getattr(statement, attr, None)
    return found if found is not None else fallback()


# -- one function per table: a row's values in its columns' order --------------------------
# Multi-valued cells are lists, in the order the CSV joins them; JSON Lines writes them as
# arrays (``jsonl``), the CSV joins them with ``;`` (``csv_cells``).


def statement_values(statement, base_url: str) -> list:
    speaker, source = statement.speaker, statement.source
    stances = _exported(
        statement,
        "export_stance_pairs",
        lambda: [(s.claim_id, s.stance) for s in statement.stances.all()],
    )
    recipients = _exported(
        statement, "export_recipient_slugs", lambda: [a.slug for a in statement.recipients.all()]
    )
    tags = _exported(statement, "export_tag_slugs", lambda: [t.slug for t in statement.tags.all()])
    events = _exported(
        statement, "export_event_ids", lambda: [e.pk for e in statement.events.all()]
    )
    return [
        statement.pk,
        statement.said_on,
        statement.date_precision,
        speaker.name,
        speaker.slug,
        speaker.kind,
        statement.speaker_title,
        statement.mode,
        statement.medium,
        statement.text,
        sorted(recipients),
        [ClaimStance(claim_id, stance) for claim_id, stance in sorted(stances)],
        sorted(events),
        sorted(tags),
        source.title,
        source.url,
        source.published_on,
        base_url + statement.get_absolute_url(),
    ]


def statement_cells(statement, base_url: str) -> list:
    return csv_cells(statement_values(statement, base_url))


def row_status(statement) -> str:
    """The staff-only ``status`` cell: "published" when the public sees the row, else
    "draft" (a draft, or a statement from an unpublished source)."""
    public = statement.status == "published" and statement.source.status == "published"
    return "published" if public else "draft"


def statement_cells_with_status(statement, base_url: str) -> list:
    return [*statement_cells(statement, base_url), row_status(statement)]


def _span_text(statement) -> str:
    return _exported(
        statement,
        "export_excerpt",
        lambda: statement.source.body[statement.span_start : statement.span_end],
    )


def _claim_texts(statement) -> list[str]:
    found = _exported(
        statement,
        "export_claim_texts",
        lambda: sorted((s.claim_id, s.stance, s.claim.text) for s in statement.stances.all()),
    )
    return [text for _claim, _stance, text in found]


#: Columns ``?columns=a,b`` adds after the default ones, and how each is read.
OPTIONAL_STATEMENT_VALUES = {
    "speaker_as_printed": lambda statement: statement.speaker_as_printed,
    "span_start": lambda statement: statement.span_start,
    "span_end": lambda statement: statement.span_end,
    "excerpt": _span_text,
    "claim_texts": _claim_texts,
}
OPTIONAL_STATEMENT_COLUMNS = tuple(OPTIONAL_STATEMENT_VALUES)


def statement_row_values(extra: Sequence[str] = (), *, with_status: bool = False):
    """The values of a statement row with the optional columns ``extra`` and, for those
    who see drafts, ``status`` last."""
    readers = [OPTIONAL_STATEMENT_VALUES[name] for name in extra]

    def values(statement, base_url: str) -> list:
        row = statement_values(statement, base_url)
        row.extend(read(statement) for read in readers)
        if with_status:
            row.append(row_status(statement))
        return row

    return values


def statement_columns(extra: Sequence[str] = (), *, with_status: bool = False) -> tuple:
    return (*STATEMENT_COLUMNS, *extra, *(("status",) if with_status else ()))


def actor_values(actor, base_url: str) -> list:
    return [
        actor.pk,
        actor.slug,
        actor.name,
        actor.kind,
        actor.parent.slug if actor.parent_id else "",
        actor.wikidata_id,
        sorted(alias.name for alias in actor.aliases.all()),
        actor.statement_count,
        base_url + actor.get_absolute_url(),
    ]


def actor_cells(actor, base_url: str) -> list:
    return csv_cells(actor_values(actor, base_url))


def claim_values(claim, base_url: str) -> list:
    return [
        claim.pk,
        claim.slug,
        claim.text,
        claim.status,
        claim.asserts_count,
        claim.denies_count,
        claim.questions_count,
        tag_slugs(claim),
        base_url + claim.get_absolute_url(),
    ]


def claim_cells(claim, base_url: str) -> list:
    return csv_cells(claim_values(claim, base_url))


def event_values(event, base_url: str) -> list:
    return [
        event.pk,
        event.slug,
        event.title,
        event.kind,
        event.mode,
        event.start_date,
        event.start_precision,
        event.end_date,
        event.location,
        sorted(
            _exported(
                event,
                "export_participants",
                lambda: [f"{p.role}:{p.actor.slug}" for p in event.participations.all()],
            )
        ),
        sorted(
            _exported(
                event, "export_source_ids", lambda: [source.pk for source in event.visible_sources]
            )
        ),
        tag_slugs(event),
        base_url + event.get_absolute_url(),
    ]


def event_cells(event, base_url: str) -> list:
    return csv_cells(event_values(event, base_url))


def source_values(source, base_url: str) -> list:
    return [
        source.pk,
        source.title,
        source.publisher,
        source.url,
        source.published_on,
        source.language,
        source.statement_count,
        base_url + source.get_absolute_url(),
    ]


def stance_values_for(base_url: str):
    """Values of a ``selectors.exports.StanceRow``; the two page addresses are built
    around the ids (no URL resolving per row)."""
    statement_url = base_url + reverse("statements:statement_detail", args=[0])[:-2]
    claim_url = base_url + reverse("statements:claim_detail", args=[0])[:-2]

    def values(stance, _base_url: str = base_url) -> list:
        return [
            stance.statement_id,
            stance.claim_id,
            stance.stance,
            stance.claim_text,
            stance.speaker_slug,
            stance.said_on,
            f"{statement_url}{stance.statement_id}/",
            f"{claim_url}{stance.claim_id}/",
        ]

    return values


def tag_values(tag, base_url: str) -> list:
    return [
        tag.slug,
        tag.name,
        tag.statement_count,
        tag.claim_count,
        tag.event_count,
        base_url + reverse("statements:tag_detail", args=[tag.slug]),
    ]


def stream_rows(
    header: Sequence[str],
    rows: Iterable,
    to_cells: Callable[[object], list],
    *,
    bom: bool = False,
) -> Iterator[bytes]:
    """UTF-8, RFC 4180 (``\\r\\n``, minimal quoting) in ~64 KB pieces; memory stays flat."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write("\ufeff")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(value) for value in to_cells(row)])
        if buffer.tell() >= FLUSH_BYTES:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def export_filename(stem: str, now: datetime.datetime | None = None, *, suffix: str = "csv") -> str:
    now = now or datetime.datetime.now(tz=datetime.UTC)
    return f"{stem}-{now.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}.{suffix}"


def csv_response(stem: str, chunks: Iterator[bytes]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(stem)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
