"""JSON Lines exports: one JSON object per row, keyed by the CSV's column names.

The values are the CSV's (``cells.*_values``) before they become cells: multi-valued
cells are arrays, a statement's claims ``{"claim": id, "stance": ...}``, dates ISO
strings, counts and ids numbers, and no formula guard (no spreadsheet reads JSON).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse

from statements.csv.cells import FLUSH_BYTES, ClaimStance, export_filename

CONTENT_TYPE = "application/x-ndjson"

#: PostgreSQL's ``json_build_object``/``json_agg`` spacing, so the pieces its triggers
#: render (migration 0012) and the COPY path of the statements
#: (``copy.stream_statement_jsonl``) write the same bytes.
encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", " : ")).encode


def json_value(value):
    """A row value as JSON sees it."""
    kind = type(value)
    if kind is list:
        return [json_value(item) for item in value]
    if kind is ClaimStance:
        return value.as_json()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def members(columns: Sequence[str], values: list) -> str:
    """``"key" : value, `` for each column: a stored piece of a line (migration 0012)."""
    return encode(record(columns, values))[1:-1] + ", "


def record(columns: Sequence[str], values: list) -> dict:
    return dict(zip(columns, map(json_value, values), strict=True))


def stream_records(
    columns: Sequence[str], rows: Iterable, to_values: Callable[[object], list]
) -> Iterator[bytes]:
    """One UTF-8 JSON object per line (``\\n``), in ~64 KB pieces; memory stays flat."""
    lines: list[str] = []
    held = 0
    for row in rows:
        line = encode(record(columns, to_values(row)))
        lines.append(line)
        held += len(line) + 1
        if held >= FLUSH_BYTES:
            lines.append("")
            yield "\n".join(lines).encode("utf-8")
            lines, held = [], 0
    if lines:
        lines.append("")
        yield "\n".join(lines).encode("utf-8")


def jsonl_response(stem: str, chunks: Iterator[bytes]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPE)
    filename = export_filename(stem, suffix="jsonl")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
