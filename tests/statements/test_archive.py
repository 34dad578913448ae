"""Backups (issue 5): export_archive → import_archive into an empty database → export
again gives the identical file; imports are all or nothing and refuse a non-empty
database with one readable line."""

from __future__ import annotations

import datetime
import gzip
import json

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from actors.models import Actor
from statements.models import Statement, Status
from tests.statements.test_tallies import expected as tallies_expected
from tests.statements.test_tallies import stored as tallies_stored
from tracker.history import acting_as
from tracker.models import HistoricalTaggedStatement

pytestmark = pytest.mark.django_db

SUB_MILLISECOND = datetime.datetime(2023, 9, 10, 12, 0, 0, 456, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def filled(seed, make):
    """The seed, users in both roles, edits, a deletion and tag changes: history of all kinds."""
    reviewer = User.objects.create_user("rita", "rita@example.org", "pw-rita", is_staff=True)
    reviewer.groups.add(Group.objects.get(name="reviewer"))
    User.objects.create_superuser("root", "root@example.org", "pw-root")
    with acting_as(user=reviewer, reason="test edits"):
        statement = make.statement(status=Status.DRAFT, tags=["border", "ceasefire"])
        statement.tags.remove("border")
        statement.recipients.add(Actor.objects.get(slug=Actor.objects.first().slug))
        statement.speaker_title = "Envoy"
        statement.save()
        doomed = make.actor("Short-lived")
        doomed.delete()
    # A timestamp under a millisecond: Django's JSON encoder would round it away.
    Statement.objects.filter(pk=statement.pk).update(created_at=SUB_MILLISECOND)
    return statement


def export(tmp_path, name: str) -> bytes:
    path = tmp_path / name
    call_command("export_archive", str(path), verbosity=0)
    return path.read_bytes()


def empty_the_database() -> None:
    # flush leaves content types and permissions (re-created), nothing else: a fresh
    # database, with content-type ids that differ from the exporting one.
    if connection.vendor == "postgresql":  # TRUNCATE refuses pending deferred FK checks
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    assert not Statement.objects.exists() and not Group.objects.exists()


def test_round_trip_gives_identical_content(filled, tmp_path):
    first = export(tmp_path, "first.json")
    rows = json.loads(first)
    models = {row["model"] for row in rows}
    # Every kind of data is there: users, groups, domain rows, history, tag-link history.
    for label in [
        "auth.user",
        "auth.group",
        "actors.actor",
        "actors.historicalactor",
        "statements.statement",
        "statements.historicalstatement",
        "statements.historicalstatement_recipients",
        "statements.taggedstatement",
        "tracker.historicaltaggedstatement",
        "taggit.tag",
    ]:
        assert label in models, label
    assert "contenttypes.contenttype" not in models and "auth.permission" not in models

    statements = list(Statement.objects.order_by("pk").values_list("pk", "text", "status"))
    history_count = Statement.history.count()
    empty_the_database()
    call_command("import_archive", str(tmp_path / "first.json"), verbosity=0)
    second = export(tmp_path, "second.json")
    assert second == first

    assert list(Statement.objects.order_by("pk").values_list("pk", "text", "status")) == statements
    assert Statement.history.count() == history_count
    assert tallies_stored() == tallies_expected()  # counted again as the rows came in
    assert tallies_stored()
    assert Statement.objects.get(pk=filled.pk).created_at == SUB_MILLISECOND
    assert Actor.history.filter(name="Short-lived", history_type="-").exists()
    assert HistoricalTaggedStatement.objects.filter(history_type="-", tag__name="border").exists()
    rita = User.objects.get(username="rita")
    assert rita.check_password("pw-rita")
    assert rita.has_perm("statements.publish_statement")
    assert Group.objects.get(name="editor").permissions.count() == 30


def test_new_rows_after_a_restore_get_fresh_ids(filled, tmp_path, make):
    export(tmp_path, "a.json")
    top = Statement.objects.order_by("-pk").first().pk
    empty_the_database()
    call_command("import_archive", str(tmp_path / "a.json"), verbosity=0)
    assert make.statement().pk > top


def test_gzip_archives(filled, tmp_path):
    call_command("export_archive", str(tmp_path / "a.json.gz"), verbosity=0)
    plain = export(tmp_path, "a.json")
    assert gzip.decompress((tmp_path / "a.json.gz").read_bytes()) == plain
    empty_the_database()
    call_command("import_archive", str(tmp_path / "a.json.gz"), verbosity=0)
    assert export(tmp_path, "b.json") == plain


def test_the_archive_is_an_ordinary_fixture(filled, tmp_path):
    first = export(tmp_path, "a.json")
    empty_the_database()
    call_command("loaddata", str(tmp_path / "a.json"), verbosity=0)
    assert Statement.objects.count() == sum(
        1 for row in json.loads(first) if row["model"] == "statements.statement"
    )


def test_import_refuses_a_database_that_is_not_empty(filled, tmp_path):
    export(tmp_path, "a.json")
    before = Statement.objects.count()
    with pytest.raises(CommandError) as error:
        call_command("import_archive", str(tmp_path / "a.json"), verbosity=0)
    message = str(error.value)
    assert message.startswith("import_archive: the database is not empty (")
    assert "\n" not in message
    assert Statement.objects.count() == before


def test_a_broken_archive_changes_nothing(filled, tmp_path):
    rows = json.loads(export(tmp_path, "a.json"))
    # A statement whose speaker does not exist, at the very end of the archive.
    bad = next(row for row in rows if row["model"] == "statements.statement").copy()
    bad["pk"] = 999_999
    bad["fields"] = {**bad["fields"], "speaker": ["nobody-by-this-slug"], "uid": "0" * 32}
    (tmp_path / "bad.json").write_text(json.dumps([*rows, bad]))
    empty_the_database()
    with pytest.raises(CommandError) as error:
        call_command("import_archive", str(tmp_path / "bad.json"), verbosity=0)
    assert str(error.value).startswith("import_archive: ")
    assert "\n" not in str(error.value)
    assert not Statement.objects.exists()
    assert not User.objects.exists()
    assert not Actor.history.exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b'[{"model": ', "import_archive: "), (b"\xff\xfe not utf-8", "import_archive: ")],
)
def test_unreadable_archives_fail_with_one_line(db, tmp_path, content, reason):
    path = tmp_path / "junk.json"
    path.write_bytes(content)
    empty_the_database()
    with pytest.raises(CommandError) as error:
        call_command("import_archive", str(path), verbosity=0)
    assert str(error.value).startswith(reason) and "\n" not in str(error.value)


def test_missing_archive_and_missing_directory(db, tmp_path):
    with pytest.raises(CommandError, match="no archive at"):
        call_command("import_archive", str(tmp_path / "nope.json"))
    with pytest.raises(CommandError, match="is not a directory"):
        call_command("export_archive", str(tmp_path / "no" / "such" / "dir.json"))
    assert not list(tmp_path.iterdir())


def test_a_restore_makes_cached_summaries_unreachable(filled, tmp_path):
    from tracker.data_version import current_version
    from tracker.models import DataVersion

    export(tmp_path, "a.json")
    before = current_version()
    empty_the_database()
    call_command("import_archive", str(tmp_path / "a.json"), verbosity=0)
    after = DataVersion.objects.get(pk=1)
    assert current_version() not in (before, "none")
    assert after.number == 0  # one raise for the whole import, none per row
