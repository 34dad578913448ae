"""Whole-site archives: every app's rows, history included, as one loadable JSON file.

The file is a plain Django fixture (a JSON array; ``.gz`` for gzip), so
``manage.py loaddata`` reads it too. Choices:

- **Primary keys are kept.** Public URLs carry ids (``/statements/17/``) and history
  rows point at ids, so a restore must give every row its id back.
- **Foreign keys by natural key** (actor slug, source hash, statement uid, tag name,
  username, content type, permission) wherever the target has one, so references to
  rows that a fresh database numbers differently (content types, permissions) land on
  the right row. Groups are matched by name (the roles migration creates them).
- **History rows keep raw ids**: they may point at objects deleted long ago, which have
  no natural key to give.
- Left out: content types and permissions (``migrate`` makes them), sessions and
  login-failure records (short-lived), and derived columns (PostgreSQL's search vector,
  which its trigger rebuilds).

Writing streams model by model in chunks, so memory does not grow with the data.
Reading loads the file (Django's JSON deserializer parses it whole).
"""

from __future__ import annotations

import datetime
import gzip
import io
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, models, transaction

from tracker import data_version as summaries

CHUNK = 2000
LEFT_OUT = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "tracker.loginfailure",
    "tracker.dataversion",  # per database; the import raises it (summaries.bump)
    "statements.tally",  # derived: the database's triggers count what the import loads
}
MATCHED_BY_NATURAL_KEY = {"auth.group"}  # may already exist (the roles migration)


class ArchiveEncoder(DjangoJSONEncoder):
    """Full microseconds: Django's encoder keeps milliseconds, which would lose data."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat(timespec="microseconds")
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class ArchiveError(Exception):
    """Why an archive cannot be written or read, in one line."""


def archived_models() -> list[type[models.Model]]:
    app_list = [
        (config, [m for m in config.get_models() if m._meta.label_lower not in LEFT_OUT])
        for config in apps.get_app_configs()
    ]
    ordered = serializers.sort_dependencies(
        [(config, found) for config, found in app_list if found], allow_cycles=True
    )
    return [
        m
        for m in ordered
        if m._meta.label_lower not in LEFT_OUT
        and not m._meta.proxy
        and m._meta.managed
        and m._meta.can_migrate(connection)
    ]


def _is_history(model: type[models.Model]) -> bool:
    """A simple_history table: a historical model, or the m2m table of one."""
    names = {f.name for f in model._meta.local_fields}
    if {"history_id", "history_type", "history_date"} <= names:
        return True
    parent = next(
        (f for f in model._meta.local_fields if f.name == "history" and f.many_to_one), None
    )
    return parent is not None and _is_history(parent.related_model)


def _fields(model: type[models.Model]) -> list[str]:
    wanted = [
        f.name
        for f in model._meta.local_fields
        if not isinstance(f, SearchVectorField) and not f.primary_key
    ]
    wanted += [f.name for f in model._meta.local_many_to_many]
    return wanted


def _rows(model: type[models.Model]) -> Iterable[dict]:
    history = _is_history(model)
    natural_fks = not history
    queryset = model._base_manager.order_by("pk")
    related = [
        f.name
        for f in model._meta.local_fields
        if f.many_to_one and natural_fks and hasattr(f.related_model, "natural_key")
    ]
    if related:
        queryset = queryset.select_related(*related)
    m2m = [
        f.name for f in model._meta.local_many_to_many if f.remote_field.through._meta.auto_created
    ]
    if m2m:
        queryset = queryset.prefetch_related(*m2m)
    fields = _fields(model)
    natural_pk = model._meta.label_lower in MATCHED_BY_NATURAL_KEY
    batch: list[models.Model] = []
    for obj in queryset.iterator(chunk_size=CHUNK):
        batch.append(obj)
        if len(batch) == CHUNK:
            yield from _serialize(batch, fields, natural_fks, natural_pk)
            batch = []
    if batch:
        yield from _serialize(batch, fields, natural_fks, natural_pk)


def _serialize(batch, fields, natural_fks: bool, natural_pk: bool) -> list[dict]:
    return serializers.serialize(
        "python",
        batch,
        fields=fields,
        use_natural_foreign_keys=natural_fks,
        use_natural_primary_keys=natural_pk,
    )


def _open_for_writing(path: Path):
    raw = path.open("wb")
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.GzipFile(fileobj=raw, mode="wb", mtime=0), "utf-8"), raw
    return io.TextIOWrapper(raw, "utf-8"), raw


def archive_export(*, path: Path) -> dict[str, int]:
    """Write every archived row to ``path`` (atomically: a temp file, then a rename)."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ArchiveError(f"{directory} is not a directory")
    counts: dict[str, int] = {}
    handle, temp_name = tempfile.mkstemp(prefix=".archive-", suffix=path.suffix, dir=directory)
    os.close(handle)
    temp = Path(temp_name)
    try:
        out, raw = _open_for_writing(temp)
        with raw, out:
            out.write("[")
            first = True
            # One snapshot of the whole database, so rows agree with each other.
            with transaction.atomic():
                for model in archived_models():
                    n = 0
                    for row in _rows(model):
                        out.write("\n" if first else ",\n")
                        out.write(
                            json.dumps(row, cls=ArchiveEncoder, ensure_ascii=False, sort_keys=True)
                        )
                        first = False
                        n += 1
                    if n:
                        counts[model._meta.label] = n
            out.write("\n]\n")
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return counts


def rows_present() -> dict[str, int]:
    """Rows already in the database that an import would collide with."""
    present = {}
    for model in archived_models():
        if model._meta.label_lower in MATCHED_BY_NATURAL_KEY:
            continue
        n = model._base_manager.count()
        if n:
            present[model._meta.label] = n
    return present


def _open_for_reading(path: Path):
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), "utf-8")
    return path.open(encoding="utf-8")


def archive_import(*, path: Path) -> dict[str, int]:
    """Restore an archive into an empty database: all of it, or nothing."""
    path = Path(path)
    if not path.is_file():
        raise ArchiveError(f"no archive at {path}")
    present = rows_present()
    if present:
        summary = ", ".join(f"{n} {label}" for label, n in sorted(present.items())[:5])
        raise ArchiveError(
            f"the database is not empty ({summary}); import_archive restores into an "
            "empty, migrated database only"
        )
    counts: dict[str, int] = {}
    touched: set[type[models.Model]] = set()
    previous = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    settings.SIMPLE_HISTORY_ENABLED = False  # the archive carries its own history rows
    try:
        with transaction.atomic(), summaries.quiet(), _open_for_reading(path) as stream:
            with connection.constraint_checks_disabled():
                deferred = []
                try:
                    for item in serializers.deserialize(
                        "json", stream, handle_forward_references=True
                    ):
                        item.save()
                        if item.deferred_fields:
                            deferred.append(item)
                        model = type(item.object)
                        touched.add(model)
                        counts[model._meta.label] = counts.get(model._meta.label, 0) + 1
                    for item in deferred:
                        item.save_deferred_fields()
                except serializers.base.DeserializationError as exc:
                    raise ArchiveError(_first_line(exc)) from None
            connection.check_constraints(table_names=[m._meta.db_table for m in touched])
            _after_load(touched)
    except DatabaseError as exc:
        raise ArchiveError(f"the archive does not fit this database: {_first_line(exc)}") from None
    except UnicodeDecodeError:
        raise ArchiveError(f"{path} is not UTF-8 text") from None
    except (EOFError, OSError, gzip.BadGzipFile) as exc:
        raise ArchiveError(f"cannot read {path}: {_first_line(exc)}") from None
    finally:
        settings.SIMPLE_HISTORY_ENABLED = previous
    return counts


def _after_load(touched: set[type[models.Model]]) -> None:
    sequence_sql = connection.ops.sequence_reset_sql(no_style(), list(touched))
    with connection.cursor() as cursor:
        for sql in sequence_sql:
            cursor.execute(sql)
        if connection.vendor == "postgresql" and any(
            m._meta.label_lower == "statements.statement" for m in touched
        ):
            # Rebuild the search vectors now that speakers and aliases are all in.
            cursor.execute("UPDATE statements_statement SET speaker_id = speaker_id")


def _first_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300] or exc.__class__.__name__
