"""``/data/everything.zip``: every public table as CSV plus a Frictionless
``datapackage.json``, streamed.

The CSVs are the exports themselves (``tables``) over an anonymous reader's rows with no
filter, so the bundle holds what the public lists show. The ZIP is written by the
standard library into a sink that the response drains after every piece: an entry's
size is unknown up front, so it carries a data descriptor after its data (``zipfile``
does that on its own when the file it writes to cannot seek), and ZIP64 sizes, so a
table may pass 4 GB. Memory holds one export chunk and its compressed bytes.
"""

from __future__ import annotations

import copy
import datetime
import io
import json
import zipfile
from collections.abc import Iterator

from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from statements.csv import dictionary, tables

#: zlib level: 1 deflates several times faster than the default 6 for a few per cent
#: more bytes (CSV text compresses well at either), keeping a 1M-statement bundle quick.
COMPRESS_LEVEL = 1
FLUSH_BYTES = 256 * 1024


class _Sink(io.RawIOBase):
    """A write-only, unseekable file that keeps what was written until it is taken."""

    def __init__(self):
        super().__init__()
        self.pieces: list[bytes] = []
        self.held = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.pieces.append(bytes(data))
        self.held += len(data)
        return len(data)

    def take(self) -> bytes:
        out = b"".join(self.pieces)
        self.pieces, self.held = [], 0
        return out


def public_request(request):
    """``request`` as an anonymous reader without parameters (its host kept for URLs)."""
    public = copy.copy(request)
    public.GET = QueryDict()
    public.user = AnonymousUser()
    return public


def table_csvs(request, base_url: str) -> Iterator[tuple[str, Iterator[bytes]]]:
    """``(name, CSV chunks)`` of every table, public rows only; each is made lazily."""
    public = public_request(request)
    for name in dictionary.TABLES:
        if name == "statements":
            spec = tables.statement_spec(public)
            spec.filterset.is_valid()
            yield name, tables.statement_csv(spec.filterset, base_url)
        elif name == "stances":
            spec = tables.statement_spec(public)
            spec.filterset.is_valid()
            yield name, tables.stance_csv(spec.filterset, public.user, base_url)
        else:
            table = tables.TABLES[name]
            spec = table.spec(public)
            spec.filterset.is_valid()
            yield name, tables.table_csv(table, spec, base_url)


def datapackage(base_url: str, now: datetime.datetime | None = None) -> dict:
    """The Frictionless Data Package descriptor of the bundle."""
    now = now or datetime.datetime.now(tz=datetime.UTC)
    return {
        "profile": "tabular-data-package",
        "name": "statement-tracker",
        "title": "Statement Tracker: every public table",
        "homepage": base_url + "/data/",
        "created": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "resources": [
            {
                "name": table.name,
                "path": f"{table.name}.csv",
                "profile": "tabular-data-resource",
                "description": table.meaning,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True},
                "schema": dictionary.table_schema(table),
            }
            for table in dictionary.TABLES.values()
        ],
    }


def everything(request, base_url: str) -> Iterator[bytes]:
    """The ZIP's bytes, piece by piece."""
    sink = _Sink()
    with zipfile.ZipFile(
        sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
    ) as archive:
        for name, chunks in table_csvs(request, base_url):
            with archive.open(f"{name}.csv", "w", force_zip64=True) as entry:
                for chunk in chunks:
                    entry.write(chunk)
                    if sink.held >= FLUSH_BYTES:
                        yield sink.take()
            yield sink.take()
        descriptor = json.dumps(datapackage(base_url), indent=2, ensure_ascii=False)
        archive.writestr("datapackage.json", descriptor + "\n")
    yield sink.take()
