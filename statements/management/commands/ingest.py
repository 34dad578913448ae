"""``manage.py ingest FILE...``: news texts to a draft source with draft statements.

Every file is read and checked first (UTF-8, a date, a body); one bad file stops the
run before anything is stored, with one line naming the file and the reason. Then
each file is stored in its own transaction (all or nothing per file). Storing the
same body twice changes nothing. ``--dry-run`` stores nothing and needs no table
but the actors' (with no database at all, speakers are simply left unresolved).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError

from statements.extraction import extract, to_jsonl_dict
from statements.services import (
    IngestError,
    PreparedText,
    Registry,
    actor_registry,
    source_ingest,
    text_prepare,
)
from tracker.history import AttributedCommand

ORIGIN = "manage.py ingest"


def _date(value: str) -> datetime.date:
    try:
        if len(value) != 10:
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--published {value!r}: expected a date as YYYY-MM-DD") from None


def read_text(path: str, published_on: datetime.date | None) -> PreparedText:
    """A file's text, checked for ingest; CommandError with one line if it cannot be."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CommandError(f"{path}: is a directory, not a text file") from None
    except OSError as exc:
        raise CommandError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CommandError(
            f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    try:
        return text_prepare(text=text, published_on=published_on)
    except IngestError as exc:
        raise CommandError(f"{path}: {exc}") from None


def _who(statement: dict) -> str:
    """The speaker's name, or the printed words marked unresolved (speaker null)."""
    if statement["speaker"]:
        return statement["speaker"]
    mention = statement["speaker_mention"]
    return f"(unresolved: {mention['text']!r})" if mention else "(unresolved)"


class Command(AttributedCommand):
    help = "Store news texts as draft sources with draft statements (or --dry-run to print them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="UTF-8 text files")
        parser.add_argument(
            "--published", type=str, help="publication date YYYY-MM-DD (overrides a header)"
        )
        parser.add_argument("--title", default="", help="source title (default: its first words)")
        parser.add_argument("--url", default="", help="source URL (one file only)")
        parser.add_argument("--publisher", default="")
        parser.add_argument("--dry-run", action="store_true", help="store nothing; print results")
        parser.add_argument("--format", choices=["text", "json", "jsonl"], default="text")

    def handle(self, *args, **options) -> None:
        published = _date(options["published"]) if options["published"] else None
        files: list[str] = options["files"]
        if options["url"] and len(files) > 1:
            raise CommandError("--url names one source; give it with one file only")
        texts = [(path, read_text(path, published)) for path in files]
        if options["dry_run"]:
            self._dry_run(texts, options["format"])
        else:
            self._store(texts, options)

    def _dry_run(self, texts: list[tuple[str, PreparedText]], fmt: str) -> None:
        try:
            registry = Registry(actor_registry())
        except DatabaseError:  # no database or no tables yet: nothing to resolve against
            registry = Registry([])
        lines = []
        for path, prepared in texts:
            items = extract(prepared.text, prepared.published_on, registry.for_text(prepared.body))
            line = to_jsonl_dict(path, prepared.published_on, items)
            if fmt == "jsonl":
                self.stdout.write(json.dumps(line, ensure_ascii=False))
            elif fmt == "json":
                lines.append(line)
            else:
                self.stdout.write(f"{path}: {len(items)} statements (dry run, nothing stored)")
                for s in line["statements"]:
                    content = " ".join(s["content"]["text"].split())
                    self.stdout.write(
                        f"  {s['said_on']} ({s['date_precision']}) {_who(s)}"
                        f" [{s['mode']}]: {content[:100]}"
                    )
        if fmt == "json":
            self.stdout.write(json.dumps(lines, ensure_ascii=False, indent=2))

    def _store(self, texts: list[tuple[str, PreparedText]], options: dict) -> None:
        results = []
        for path, prepared in texts:
            try:
                result = source_ingest(
                    text=prepared.text,
                    published_on=prepared.published_on,
                    title=options["title"] or Path(path).stem,
                    url=options["url"],
                    publisher=options["publisher"],
                    origin=ORIGIN,
                )
            except IngestError as exc:
                raise CommandError(f"{path}: {exc}") from None
            row = {
                "file": path,
                "source": result.source.pk,
                "status": "created" if result.created else "unchanged",
                "statements": len(result.statements),
                "new_actors": [a.slug for a in result.new_actors],
            }
            if options["format"] == "jsonl":
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            elif options["format"] == "json":
                results.append(row)
            elif result.created:
                self.stdout.write(
                    f"{path}: source {result.source.pk} created with "
                    f"{len(result.statements)} draft statements"
                    f" ({len(result.new_actors)} new actors to review)"
                )
            else:
                self.stdout.write(
                    f"{path}: unchanged (already stored as source {result.source.pk})"
                )
        if options["format"] == "json":
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
