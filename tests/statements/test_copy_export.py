"""The PostgreSQL COPY export gives the ORM export's bytes, hostile cells included."""

from __future__ import annotations

import csv
import io
import sys
import unicodedata

import pytest
from django.db import connection
from django.test import RequestFactory

from statements.csv import cells as csv_export
from statements.csv import copy as csv_copy
from statements.csv.cells import FORMULA_TRIGGERS, STATEMENT_COLUMNS
from statements.models import Status
from statements.selectors.lists import iterate_statements, statement_spec

HOSTILE_TEXTS = [
    'He said "no", twice',
    "line one\nline two",
    "carriage\rreturn",
    "tab\tinside",
    "=1+2",
    "  =SUM(A1)",
    "\t=leading tab",
    "\u00a0\u00a0-nbsp then minus",
    "\uff1dfull-width equals",
    "\ufe62small plus",
    "@mention",
    "+380 phone",
    "\u05e9\u05dc\u05d5\u05dd \u200fRTL mark",
    "emoji \U0001f600 and \u2603",
    "=\u0338 not equal sign composed",
    "\u2028=line separator first",
    'trailing quote"',
    '"',
    "a, b, c",
    "\r\n=",
    "back\\slash \\n \\N \\\\ then\\",
    "bell\x07 backspace\x08 form feed\x0c vertical tab\x0b end",
    "\x0b=vertical tab then equals",
]

pytestmark = pytest.mark.django_db


def orm_bytes(query: str) -> bytes:
    """What the ORM path (csv_export.stream_rows over the list's rows) writes."""
    request = RequestFactory().get("/statements.csv" + query)
    request.user = _anonymous()
    spec = statement_spec(request)
    assert spec.filterset.is_valid(), spec.filterset.form.errors
    base_url = request.build_absolute_uri("/").rstrip("/")
    chunks = csv_export.stream_rows(
        STATEMENT_COLUMNS,
        iterate_statements(spec.filterset, 3),  # tiny chunks: the keyset walk is exercised
        lambda row: csv_export.statement_cells(row, base_url),
        bom="bom=1" in query,
    )
    return b"".join(chunks)


def copy_bytes(query: str) -> bytes:
    request = RequestFactory().get("/statements.csv" + query)
    request.user = _anonymous()
    spec = statement_spec(request)
    assert spec.filterset.is_valid(), spec.filterset.form.errors
    base_url = request.build_absolute_uri("/").rstrip("/")
    return b"".join(csv_copy.stream_statements(spec.filterset, base_url, bom="bom=1" in query))


def _spec(query: str):
    request = RequestFactory().get("/statements.jsonl" + query)
    request.user = _anonymous()
    spec = statement_spec(request)
    assert spec.filterset.is_valid(), spec.filterset.form.errors
    return spec, request.build_absolute_uri("/").rstrip("/")


def orm_jsonl(query: str) -> bytes:
    """What the ORM path (``jsonl.stream_records`` over the list's rows) writes."""
    from statements.csv import jsonl

    spec, base_url = _spec(query)
    rows = iterate_statements(spec.filterset, 3)
    return b"".join(
        jsonl.stream_records(
            STATEMENT_COLUMNS, rows, lambda row: csv_export.statement_values(row, base_url)
        )
    )


def copy_jsonl(query: str) -> bytes:
    spec, base_url = _spec(query)
    return b"".join(csv_copy.stream_statement_jsonl(spec.filterset, base_url))


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.fixture
def hostile(make):
    """Statements whose every text-like cell is hostile somewhere, over several days."""
    import datetime

    recipient_a = make.actor("Zed", slug="zed")
    recipient_b = make.actor("Ábel", slug="abel")
    claim = make.claim("Somebody did something")
    other_claim = make.claim("Something else")
    event = make.event()
    rows = []
    for i, text in enumerate(HOSTILE_TEXTS):
        body = f"Intro {i}. " + text + " outro."
        source = make.source(
            body=body,
            title=HOSTILE_TEXTS[-1 - i],
            url="" if i % 3 else f"https://example.org/{i}?a=1,b=2",
        )
        speaker = make.actor(HOSTILE_TEXTS[(i + 5) % len(HOSTILE_TEXTS)] or "x", slug=f"sp-{i}")
        start = len(f"Intro {i}. ")
        statement = make.statement(
            source=source,
            speaker=speaker,
            text=text,
            span_start=start,
            span_end=start + len(text),
            said_on=datetime.date(2023, 9, 1) + datetime.timedelta(days=i % 4),
            speaker_title="" if i % 2 else HOSTILE_TEXTS[(i + 9) % len(HOSTILE_TEXTS)],
            tags=["ceasefire", "-minus-tag"] if i % 2 else ["Zeta", "alpha"],
        )
        if i % 3 == 0:
            statement.recipients.add(recipient_a, recipient_b)
        if i % 4 == 0:
            make.stance(statement, other_claim, "denies")
            make.stance(statement, claim, "asserts")
            statement.events.add(event)
        rows.append(statement)
    draft = make.statement(text="Intro", status=Status.DRAFT)
    return rows, draft


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.parametrize(
    "query",
    ["", "?sort=said_on", "?bom=1", "?tag=ceasefire", "?q=line+or+tab", "?q=twice&sort=-said_on"],
)
def test_copy_and_orm_give_identical_bytes(hostile, query):
    orm = orm_bytes(query)
    copied = copy_bytes(query)
    assert copied == orm
    rows = list(csv.reader(io.StringIO(orm.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(STATEMENT_COLUMNS)
    if query in ("", "?bom=1"):
        assert len(rows) == 1 + len(HOSTILE_TEXTS)  # the draft is not public


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_ranked_export_keeps_candidates_then_date_order(hostile, monkeypatch):
    from statements import pagination

    monkeypatch.setattr(pagination, "RANK_CANDIDATES", 4)
    query = "?q=line+or+tab+or+said+or+equals+or+emoji+or+phone+or+mention+or+return"
    orm = orm_bytes(query)
    assert copy_bytes(query) == orm
    rows = list(csv.reader(io.StringIO(orm.decode(), newline="")))
    assert len(rows) > 1 + 4  # past the (patched) candidate set


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_formula_cells_are_guarded_in_copy_output(hostile):
    rows = list(csv.reader(io.StringIO(copy_bytes("").decode(), newline="")))
    texts = {row[STATEMENT_COLUMNS.index("text")] for row in rows[1:]}
    assert "'=1+2" in texts
    assert "'  =SUM(A1)" in texts
    assert "'\uff1dfull-width equals" in texts
    assert "'\u2028=line separator first" in texts
    assert "=\u0338 not equal sign composed" in texts  # NFKC makes it ≠: no formula
    assert 'He said "no", twice' in texts
    assert "line one\nline two" in texts


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_statement_csv_view_streams_copy_on_postgresql(client, hostile):
    response = client.get("/statements.csv?tag=ceasefire")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == orm_bytes("?tag=ceasefire")
    rows = list(csv.reader(io.StringIO(body.decode(), newline="")))
    assert len(rows) == 1 + len(HOSTILE_TEXTS) // 2


def test_blank_characters_match_python_isspace():
    expected = "".join(
        chr(c)
        for c in range(sys.maxunicode + 1)
        if chr(c).isspace()
        and unicodedata.normalize("NFKC", chr(c)) == chr(c)
        and chr(c) not in FORMULA_TRIGGERS
    )
    assert expected == csv_copy.BLANKS


@pytest.mark.parametrize(
    "value",
    ["plain", "a\\b", "\\", "\\\\n", "line\nbreak\r\ttab\x08\x0c\x0b", "\\N", "x\\"],
)
def test_unescape_inverts_copy_text_format(value):
    escaped = value.translate(
        {ord("\\"): "\\\\", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v"}
    )
    row = escaped.encode() + b"\n"
    assert csv_copy.unescape(row * 3) == (value.encode() + b"\n") * 3


def test_url_cell_is_the_orm_cell_around_the_id():
    before, after = csv_copy.url_cell("http://testserver")
    assert (before, after) == ("http://testserver/statements/", "/")
    before, after = csv_copy.url_cell('http://odd,"host"')
    assert before + "7" + after == '"http://odd,""host""/statements/7/"'


@pytest.mark.skipif(connection.vendor != "postgresql", reason="migration 0007 is PostgreSQL's")
def test_stored_guard_is_the_python_guard():
    import importlib

    migration = importlib.import_module("statements.migrations.0007_csv_rows")
    assert migration.GUARD == csv_copy.GUARD_PATTERN
    with connection.cursor() as cursor:
        for text in HOSTILE_TEXTS + ["", "-1", "\u3000=ideographic space", "x\u2028="]:
            cursor.execute("SELECT csv_cell(%s)", [text])
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\r\n").writerow([csv_export.cell(text), ""])
            assert cursor.fetchone()[0] + ",\r\n" == buffer.getvalue(), repr(text)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_stored_cells_follow_every_edit(hostile, make):
    """Each write that changes a cell re-renders it: the export stays the ORM's bytes."""
    from taggit.models import Tag

    rows, _ = hostile
    first, second, third = rows[0], rows[1], rows[4]
    speaker = first.speaker
    speaker.name, speaker.slug = "=Renamed speaker", "renamed-speaker"
    speaker.save()
    recipient = first.recipients.order_by("slug").first()
    recipient.slug = "a-recipient-renamed"
    recipient.save()
    source = second.source
    source.title, source.url = "Retitled, with a comma", "https://example.org/new"
    source.save()
    Tag.objects.filter(slug="ceasefire").update(slug="cease-fire")
    first.tags.add("new-tag")
    second.tags.remove("ceasefire")
    first.recipients.remove(recipient)
    stance = first.stances.order_by("pk").first()
    stance.stance = "questions"
    stance.save()
    third.stances.order_by("pk").last().delete()
    third.events.clear()
    second.text = "An edited text, with @ and \\ inside"
    second.said_on = second.said_on.replace(year=2020)
    second.save()
    other = make.actor("Another recipient", slug="another")
    second.recipients.add(other)
    make.stance(second, first.stances.first().claim, "denies")
    for query in ("", "?tag=cease-fire", "?sort=said_on"):
        assert copy_bytes(query) == orm_bytes(query), query
        assert copy_jsonl(query) == orm_jsonl(query), query
    copied = copy_bytes("").decode()
    assert "renamed-speaker" in copied and "a-recipient-renamed" in copied
    assert "Retitled" in copied and "cease-fire" in copied and "new-tag" in copied
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM statements_statement WHERE csv_body IS NULL")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM statements_statement WHERE json_body IS NULL")
        assert cursor.fetchone()[0] == 0


def _stored_bodies(column: str = "csv_body") -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {column} FROM statements_statement")
        return dict(cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="migration 0008 is PostgreSQL's")
def test_slug_renames_queue_their_statements_and_the_export_stays_right(hostile, monkeypatch):
    """A tag's or recipient's new slug is not written into every statement showing it:
    the statements are queued, the export renders what is still queued in its query
    (rows another drain holds mid-batch, say), and draining writes what it showed."""
    from taggit.models import Tag

    from statements.csv import refresh as csv_refresh

    drain = csv_refresh.refresh
    monkeypatch.setattr(csv_refresh, "refresh", lambda *args, **kwargs: 0)  # the export's
    rows, _ = hostile
    before = _stored_bodies()
    before_json = _stored_bodies("json_body")
    tag = Tag.objects.get(slug="ceasefire")
    tag.slug = "truce"
    tag.save()
    recipient = rows[0].recipients.get(slug="zed")
    recipient.slug = "zed-renamed"
    recipient.save()

    tagged = {r.pk for r in rows if r.tags.filter(pk=tag.pk).exists()}
    addressed = {r.pk for r in rows if r.recipients.filter(pk=recipient.pk).exists()}
    assert tagged and addressed
    assert _stored_bodies() == before  # nothing rewritten yet
    assert _stored_bodies("json_body") == before_json
    assert csv_refresh.pending() == len(tagged | addressed)
    for query in ("", "?tag=truce", "?sort=said_on"):
        assert copy_bytes(query) == orm_bytes(query), query
        assert copy_jsonl(query) == orm_jsonl(query), query
    copied = copy_bytes("").decode()
    assert "truce" in copied and "zed-renamed" in copied

    assert drain(batch=3) == len(tagged | addressed)  # several batches
    assert csv_refresh.pending() == 0
    after = _stored_bodies()
    assert {pk for pk in after if after[pk] != before[pk]} == tagged | addressed
    assert all("truce" in after[pk] for pk in tagged)
    assert all("zed-renamed" in after[pk] for pk in addressed)
    after_json = _stored_bodies("json_body")
    assert {pk for pk in after if after_json[pk] != before_json[pk]} == tagged | addressed
    assert copy_bytes("") == orm_bytes("")
    assert copy_jsonl("") == orm_jsonl("")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="migration 0008 is PostgreSQL's")
def test_an_export_drains_the_queue_before_it_copies(hostile):
    from taggit.models import Tag

    from statements.csv import refresh as csv_refresh

    before = _stored_bodies()
    Tag.objects.filter(slug="ceasefire").update(slug="truce")
    assert csv_refresh.pending()
    assert copy_bytes("?tag=truce") == orm_bytes("?tag=truce")
    assert csv_refresh.pending() == 0
    after = _stored_bodies()
    assert any(after[pk] != before[pk] and after[pk].endswith("truce,") for pk in after)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="migration 0008 is PostgreSQL's")
def test_a_rename_queues_each_statement_once_and_a_name_edit_queues_none(hostile):
    from taggit.models import Tag

    from statements.csv import refresh as csv_refresh
    from statements.models import TaggedStatement

    tag = Tag.objects.get(slug="ceasefire")
    tag.name = "Ceasefire (renamed)"
    tag.save()
    assert csv_refresh.pending() == 0
    for slug in ("truce", "ceasefire"):  # twice: the queued rows are taken over, not doubled
        Tag.objects.filter(pk=tag.pk).update(slug=slug)
    assert csv_refresh.pending() == TaggedStatement.objects.filter(tag=tag).count()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="migration 0008 is PostgreSQL's")
def test_refresh_command_drains_the_queue(hostile):
    from django.core.management import CommandError, call_command
    from taggit.models import Tag

    from statements.csv import refresh as csv_refresh

    Tag.objects.filter(slug="ceasefire").update(slug="truce")
    queued = csv_refresh.pending()
    assert queued
    out = io.StringIO()
    call_command("refresh_csv_rows", stdout=out)
    assert out.getvalue().strip().startswith(f"re-rendered {queued} queued statement(s) in ")
    assert csv_refresh.pending() == 0
    with pytest.raises(CommandError, match="--batch must be at least 1"):
        call_command("refresh_csv_rows", "--batch", "0")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="migration 0008 is PostgreSQL's")
def test_actor_and_tag_writes_schedule_a_drain_after_commit(
    make, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from taggit.models import Tag

    from statements.csv import refresh as csv_refresh

    started = []
    monkeypatch.setattr(csv_refresh._drainer, "start", lambda: started.append(1))
    settings.CSV_REFRESH_IN_BACKGROUND = True
    with django_capture_on_commit_callbacks(execute=True):
        make.actor("Someone")
        Tag.objects.create(name="Fresh", slug="fresh")
    assert len(started) == 2
    settings.CSV_REFRESH_IN_BACKGROUND = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make.actor("Someone else")
    assert callbacks == []


def test_one_drain_thread_per_process_that_goes_again_when_called_meanwhile(monkeypatch):
    import threading

    from statements.csv import refresh as csv_refresh

    entered, release, finished = threading.Event(), threading.Event(), threading.Event()
    calls = []

    def refresh():
        calls.append(1)
        if len(calls) == 1:
            entered.set()
            release.wait(5)
        else:
            finished.set()

    monkeypatch.setattr(csv_refresh, "refresh", refresh)
    drainer = csv_refresh._Drainer()
    drainer.start()
    assert entered.wait(5)
    drainer.start()  # while the first pass runs: no second thread, one more pass
    drainer.start()
    assert drainer.again
    assert [t.name for t in threading.enumerate()].count("csv-refresh") == 1
    release.set()
    assert finished.wait(5)
    for _ in range(100):
        if not drainer.running:
            break
        threading.Event().wait(0.01)
    assert calls == [1, 1] and not drainer.running


@pytest.mark.skipif(connection.vendor != "postgresql", reason="migration 0008 is PostgreSQL's")
# serialized_rollback: the flush after a transactional test then leaves no content types
# under new ids behind for test_history's serialized test to collide with.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_drain_skips_what_an_uncommitted_rename_queued_then_takes_it(make):
    """A rename locks its statements' queue rows until it commits, those already queued
    included: a drain meanwhile neither waits nor re-renders them with the slug the
    rename is replacing; after the commit it renders the new one."""
    import psycopg
    from taggit.models import Tag

    from statements.csv import refresh as csv_refresh

    statement = make.statement(tags=["ceasefire"])
    Tag.objects.filter(slug="ceasefire").update(slug="truce")  # committed: queued
    assert csv_refresh.pending() == 1
    db = connection.settings_dict
    other = psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
    )
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '5s'")  # a drain that waits fails, not hangs
    try:
        other.execute("UPDATE taggit_tag SET slug = 'pause' WHERE slug = 'truce'")
        assert csv_refresh.refresh() == 0  # the queued row is locked: skipped
        other.commit()
        assert csv_refresh.refresh() == 1
    finally:
        other.close()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert csv_refresh.pending() == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT csv_body FROM statements_statement WHERE id = %s", [statement.pk])
        assert cursor.fetchone()[0].endswith(",pause,")
