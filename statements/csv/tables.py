"""Every exported table: which rows (a list's ``ListSpec``), which columns, which values.

The CSV and JSON Lines views, the bulk download and the data dictionary all read these
definitions, so a column is named, ordered and filled in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from statements import pagination
from statements.csv import cells, jsonl
from statements.csv import copy as csv_copy
from statements.selectors.exports import (
    actor_export_spec,
    claim_export_spec,
    event_export_spec,
    iterate_stances,
    listed_stances,
    source_export_spec,
    tag_export_spec,
    with_event_links,
    with_source_counts,
    with_span_and_claim_texts,
    with_speaker_counts,
    with_stance_counts,
    with_tag_counts,
)
from statements.selectors.lists import (
    ListSpec,
    iterate_statements,
    statement_spec,
)

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Table:
    """A list exported row by row: ``values(row, base_url)`` in ``columns``' order."""

    name: str
    spec: Callable[[object], ListSpec]
    columns: tuple[str, ...]
    values: Callable[[object, str], list]

    #: ``attach(rows, user, chunk_size)``: what a row shows beyond ``spec.prepare``,
    #: fetched a chunk at a time.
    attach: Callable | None = None

    def rows(self, spec: ListSpec) -> Iterator:
        rows = pagination.iterate_keyset(
            spec.queryset, spec.keyset, chunk_size=CHUNK_SIZE, prepare=spec.prepare
        )
        if self.attach is not None:
            rows = self.attach(rows, spec.filterset.user, CHUNK_SIZE)
        return rows


ACTORS = Table(
    "actors",
    actor_export_spec,
    cells.ACTOR_COLUMNS,
    cells.actor_values,
    with_speaker_counts,
)
CLAIMS = Table(
    "claims", claim_export_spec, cells.CLAIM_COLUMNS, cells.claim_values, with_stance_counts
)
EVENTS = Table(
    "events", event_export_spec, cells.EVENT_COLUMNS, cells.event_values, with_event_links
)
SOURCES = Table(
    "sources",
    source_export_spec,
    cells.SOURCE_COLUMNS,
    cells.source_values,
    with_source_counts,
)
TAGS = Table("tags", tag_export_spec, cells.TAG_COLUMNS, cells.tag_values, with_tag_counts)
TABLES = {table.name: table for table in (ACTORS, CLAIMS, EVENTS, SOURCES, TAGS)}

#: Every table by name, statements and stances (their own paths below) included.
TABLE_COLUMNS = {
    "statements": cells.STATEMENT_COLUMNS,
    "actors": cells.ACTOR_COLUMNS,
    "claims": cells.CLAIM_COLUMNS,
    "stances": cells.STANCE_COLUMNS,
    "events": cells.EVENT_COLUMNS,
    "sources": cells.SOURCE_COLUMNS,
    "tags": cells.TAG_COLUMNS,
}


def is_bom(spec: ListSpec) -> bool:
    return spec.filterset.form.cleaned_data.get("bom") == "1"


# -- the simple lists ----------------------------------------------------------------------


def table_csv(table: Table, spec: ListSpec, base_url: str, *, bom: bool = False):
    rows = table.rows(spec)
    return cells.stream_rows(
        table.columns, rows, lambda row: cells.csv_cells(table.values(row, base_url)), bom=bom
    )


def table_jsonl(table: Table, spec: ListSpec, base_url: str):
    return jsonl.stream_records(
        table.columns, table.rows(spec), lambda row: table.values(row, base_url)
    )


# -- statements: optional columns, a status for those who see drafts, COPY on PostgreSQL ---


class UnknownColumns(ValueError):
    pass


def optional_columns(raw: Sequence[str]) -> tuple[str, ...]:
    """The optional statement columns ``?columns=a,b`` asks for (repeatable, comma
    separated), in the order given, each once; ``UnknownColumns`` names the others."""
    names = [name.strip() for value in raw for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in cells.OPTIONAL_STATEMENT_VALUES]
    if unknown:
        raise UnknownColumns(
            f"columns: unknown column {', '.join(f'“{name[:40]}”' for name in unknown[:5])}; "
            f"the optional columns are {', '.join(cells.OPTIONAL_STATEMENT_COLUMNS)}."
        )
    return tuple(dict.fromkeys(names))


def statement_rows(filterset, extra: Sequence[str] = ()):
    rows = iterate_statements(filterset, CHUNK_SIZE)
    if "excerpt" in extra or "claim_texts" in extra:
        rows = with_span_and_claim_texts(
            rows, CHUNK_SIZE, excerpt="excerpt" in extra, claim_texts="claim_texts" in extra
        )
    return rows


def statement_csv(
    filterset,
    base_url: str,
    *,
    extra: Sequence[str] = (),
    with_status: bool = False,
    bom: bool = False,
) -> Iterator[bytes]:
    """The statements CSV of a valid ``filterset``: COPY on PostgreSQL for the default
    columns (the same bytes, ``copy``), else the ORM path."""
    if csv_copy.available() and not extra:
        return csv_copy.stream_statements(filterset, base_url, bom=bom, with_status=with_status)
    values = cells.statement_row_values(extra, with_status=with_status)
    return cells.stream_rows(
        cells.statement_columns(extra, with_status=with_status),
        statement_rows(filterset, extra),
        lambda row: cells.csv_cells(values(row, base_url)),
        bom=bom,
    )


def statement_jsonl(
    filterset, base_url: str, *, extra: Sequence[str] = (), with_status: bool = False
) -> Iterator[bytes]:
    if csv_copy.available() and not extra:
        return csv_copy.stream_statement_jsonl(filterset, base_url, with_status=with_status)
    values = cells.statement_row_values(extra, with_status=with_status)
    return jsonl.stream_records(
        cells.statement_columns(extra, with_status=with_status),
        statement_rows(filterset, extra),
        lambda row: values(row, base_url),
    )


# -- stances: those of the statements a statement list shows -------------------------------


def stance_csv(filterset, user, base_url: str, *, bom: bool = False) -> Iterator[bytes]:
    """The stances CSV: COPY on PostgreSQL (the same bytes, ``copy``), else the ORM path."""
    if csv_copy.available():
        stances = listed_stances(filterset, user)
        return csv_copy.stream_stances(filterset, stances, base_url, bom=bom)
    values = cells.stance_values_for(base_url)
    rows = iterate_stances(filterset, user, CHUNK_SIZE)
    return cells.stream_rows(
        cells.STANCE_COLUMNS, rows, lambda row: cells.csv_cells(values(row)), bom=bom
    )


def stance_jsonl(filterset, user, base_url: str) -> Iterator[bytes]:
    rows = iterate_stances(filterset, user, CHUNK_SIZE)
    return jsonl.stream_records(cells.STANCE_COLUMNS, rows, cells.stance_values_for(base_url))


__all__ = [
    "ACTORS",
    "CLAIMS",
    "EVENTS",
    "SOURCES",
    "TAGS",
    "TABLES",
    "TABLE_COLUMNS",
    "Table",
    "UnknownColumns",
    "optional_columns",
    "statement_csv",
    "statement_jsonl",
    "stance_csv",
    "stance_jsonl",
    "statement_spec",
]
