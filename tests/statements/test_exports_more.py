"""The exports beyond the lists' CSVs: JSON Lines, stances, sources, optional statement
columns, the data dictionary and the bulk download."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from statements.csv import cells, dictionary, tables
from statements.csv.cells import OPTIONAL_STATEMENT_COLUMNS, STATEMENT_COLUMNS
from statements.models import Status
from tests.conftest import drafts_reader
from tests.statements.listing_helpers import all_list_ids, build_corpus, csv_ids, csv_rows
from tests.statements.test_copy_export import hostile  # noqa: F401 (a fixture)
from tests.statements.test_csv import combinations

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

#: One keyset query for the chunk's statements + tags, recipients, stances, events.
JSONL_STATEMENT_QUERIES_PER_CHUNK = 5
#: The chunk's statement keys + their visible stances.
STANCE_QUERIES_PER_CHUNK = 2
#: The chunk's sources, then their statement counts grouped in one query.
SOURCE_QUERIES_PER_CHUNK = 2
#: ``?columns=excerpt,claim_texts``: one more query each per chunk.
OPTIONAL_COLUMN_QUERIES_PER_CHUNK = 2


@pytest.fixture
def corpus(make):
    return build_corpus(make)


def body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def jsonl_records(response) -> list[dict]:
    assert response["Content-Type"] == "application/x-ndjson"
    data = body(response).decode("utf-8")
    assert data == "" or data.endswith("\n")
    # "\n" only: a raw U+2028 inside a string is no line end (``str.splitlines`` says it is)
    return [json.loads(line) for line in data.split("\n")[:-1]]


def as_cell(value) -> str:
    """A JSON value as the CSV writes it."""
    if isinstance(value, list):
        value = ";".join(
            f"{v['stance']}:{v['claim']}" if isinstance(v, dict) else str(v) for v in value
        )
    return cells.cell(value)


# -- the same rows as the lists ------------------------------------------------------------


def test_jsonl_ids_equal_list_ids_for_many_filters(client, corpus, monkeypatch):
    monkeypatch.setattr(tables, "CHUNK_SIZE", 7)
    for query in combinations(corpus):
        listed = all_list_ids(client, "/statements/?" + query)
        records = jsonl_records(client.get("/statements.jsonl?" + query))
        assert [r["id"] for r in records] == listed, query


@pytest.mark.parametrize(
    ("path", "list_path"),
    [("/actors", "/actors/"), ("/claims", "/claims/"), ("/events", "/events/")],
)
def test_other_lists_jsonl_equals_their_csv(client, seed, path, list_path):
    for query in ("", "q=a", "tag=diplomacy" if path != "/actors" else "kind=person"):
        response = client.get(f"{path}.csv?{query}")
        if response.status_code == 400:  # a tag absent from the seed: same for both
            assert client.get(f"{path}.jsonl?{query}").status_code == 400
            continue
        header, *rows = csv_rows(response)
        records = jsonl_records(client.get(f"{path}.jsonl?{query}"))
        assert [list(r) for r in records] == [header] * len(records)
        assert [[as_cell(v) for v in r.values()] for r in records] == rows, (path, query)
        assert client.get(list_path + "?" + query).status_code == 200


def test_statement_jsonl_values_are_the_csv_values(client, seed, make):
    statement = make.statement(text="=1+2 hostile", tags=["b-tag", "a-tag"])
    statement.recipients.add(make.actor(slug="zed"), make.actor(slug="abe"))
    make.stance(statement, make.claim(), "denies")
    make.stance(statement, make.claim(), "asserts")
    header, *rows = csv_rows(client.get("/statements.csv"))
    records = jsonl_records(client.get("/statements.jsonl"))
    assert len(records) == len(rows) >= 13
    for record, row in zip(records, rows, strict=True):
        assert list(record) == header == list(STATEMENT_COLUMNS)
        assert [as_cell(v) for v in record.values()] == row
    mine = next(r for r in records if r["id"] == statement.pk)
    assert mine["text"] == "=1+2 hostile"  # no formula guard in JSON
    assert mine["tags"] == ["a-tag", "b-tag"]
    assert mine["recipients"] == ["abe", "zed"]
    assert [c["stance"] for c in mine["claims"]] == ["denies", "asserts"]  # by claim id
    assert set(mine["claims"][0]) == {"claim", "stance"}
    assert isinstance(mine["id"], int) and mine["said_on"] == statement.said_on.isoformat()


def test_stances_follow_the_statement_list(client, corpus, monkeypatch):
    monkeypatch.setattr(tables, "CHUNK_SIZE", 5)
    claim = corpus["claim"]
    for query in ["", "sort=said_on", "speaker=blue", f"claim={claim.pk}", "tag=alpha&mode=direct"]:
        listed = all_list_ids(client, "/statements/?" + query)
        header, *rows = csv_rows(client.get("/stances.csv?" + query))
        assert header == list(cells.STANCE_COLUMNS)
        with_stance = {s.pk for s in corpus["statements"] if s.stances.exists()}
        assert [int(r[0]) for r in rows] == [pk for pk in listed if pk in with_stance], query
        assert {r[3] for r in rows} <= {claim.text}
        records = jsonl_records(client.get("/stances.jsonl?" + query))
        assert [[as_cell(v) for v in r.values()] for r in records] == rows


def test_stance_filter_keeps_only_those_stances(client, corpus, make):
    claim = corpus["claim"]
    other = make.claim("Another claim")
    first = corpus["statements"][0]  # asserts the corpus claim
    make.stance(first, other, "denies")
    rows = csv_rows(client.get("/stances.csv?stance=denies"))[1:]
    assert rows and {r[2] for r in rows} == {"denies"}
    assert [first.pk, other.pk] in [[int(r[0]), int(r[1])] for r in rows]
    rows = csv_rows(client.get(f"/stances.csv?claim={claim.pk}"))[1:]
    assert {int(r[1]) for r in rows} == {claim.pk}
    assert client.get(f"/stances.csv?statement={first.pk}").status_code == 400  # unknown


# -- sources -------------------------------------------------------------------------------


@pytest.fixture
def sources(make):
    early = make.source(
        title="Early wire", publisher="Wire Agency", published_on=datetime.date(2023, 1, 5)
    )
    late = make.source(
        title="Late report",
        publisher="Daily Paper",
        url="https://example.org/late",
        published_on=datetime.date(2023, 9, 10),
        language="hy",
    )
    hidden = make.source(title="Hidden draft", status=Status.DRAFT)
    make.statement(source=late)
    make.statement(source=late)
    make.statement(source=late, status=Status.DRAFT)
    return early, late, hidden


def test_sources_csv_columns_filters_and_visibility(client, sources):
    early, late, hidden = sources
    header, *rows = csv_rows(client.get("/sources.csv"))
    assert header == list(cells.SOURCE_COLUMNS)
    assert [int(r[0]) for r in rows] == [late.pk, early.pk]  # newest first
    cells_of = dict(zip(header, rows[0], strict=True))
    assert cells_of["statements"] == "2"  # the draft statement is not counted
    assert cells_of["source_url"] == "https://example.org/late"
    assert cells_of["url"] == f"http://testserver/sources/{late.pk}/"
    assert cells_of["language"] == "hy" and cells_of["publisher"] == "Daily Paper"
    for query, expected in [
        ("q=wire", [early.pk]),
        ("q=daily", [late.pk]),
        ("language=hy", [late.pk]),
        ("date_from=2023-02-01", [late.pk]),
        ("date_to=2023-02-01", [early.pk]),
    ]:
        assert csv_ids(client.get("/sources.csv?" + query)) == expected, query
        records = jsonl_records(client.get("/sources.jsonl?" + query))
        assert [r["id"] for r in records] == expected
    for bad in ("date_from=2023-13-01", "nope=1", "date_from=2023-09-01&date_to=2023-01-01"):
        response = client.get("/sources.csv?" + bad)
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
    client.force_login(drafts_reader())
    staff_ids = csv_ids(client.get("/sources.csv"))
    assert hidden.pk in staff_ids
    staff = {r["id"]: r for r in jsonl_records(client.get("/sources.jsonl"))}
    assert staff[late.pk]["statements"] == 3


# -- optional statement columns ------------------------------------------------------------


@pytest.fixture
def spanned(make):
    source = make.source(body="Before. He said: =we will not retreat; ever. After.")
    start = source.body.index("=we")
    statement = make.statement(
        source=source,
        text="We will not retreat",
        span_start=start,
        span_end=start + len("=we will not retreat; ever."),
        speaker_as_printed="the minister",
    )
    second, first = make.claim("Second; with a semicolon"), make.claim("First claim")
    make.stance(statement, first, "asserts")
    make.stance(statement, second, "denies")
    return statement


def test_optional_columns_follow_the_default_ones(client, spanned):
    default = csv_rows(client.get("/statements.csv"))
    response = client.get("/statements.csv?columns=excerpt,span_start&columns=claim_texts")
    header, row = csv_rows(response)
    assert header == [*STATEMENT_COLUMNS, "excerpt", "span_start", "claim_texts"]
    assert row[: len(STATEMENT_COLUMNS)] == default[1]
    extra = dict(zip(header[len(STATEMENT_COLUMNS) :], row[len(STATEMENT_COLUMNS) :], strict=True))
    body_text = spanned.source.body
    assert extra["excerpt"] == "'" + body_text[spanned.span_start : spanned.span_end]
    assert extra["span_start"] == str(spanned.span_start)
    claims = row[STATEMENT_COLUMNS.index("claims")].split(";")
    texts = {c.pk: c.text for c in [s.claim for s in spanned.stances.all()]}
    assert extra["claim_texts"] == ";".join(texts[int(c.split(":")[1])] for c in claims)
    (record,) = jsonl_records(
        client.get(f"/statements.jsonl?columns={','.join(OPTIONAL_STATEMENT_COLUMNS)}")
    )
    assert record["speaker_as_printed"] == "the minister"
    assert record["excerpt"] == body_text[spanned.span_start : spanned.span_end]
    assert record["span_end"] == spanned.span_end
    assert record["claim_texts"] == ["Second; with a semicolon", "First claim"]  # by claim id
    assert record["claim_texts"] == [texts[c["claim"]] for c in record["claims"]]


def test_status_stays_last_for_those_who_see_drafts(client, spanned, make):
    make.statement(text="A draft", status=Status.DRAFT)
    client.force_login(drafts_reader())
    header, *rows = csv_rows(client.get("/statements.csv?columns=span_end"))
    assert header[-2:] == ["span_end", "status"]
    assert sorted(r[-1] for r in rows) == ["draft", "published"]
    records = jsonl_records(client.get("/statements.jsonl?columns=span_end"))
    assert [list(r)[-1] for r in records] == ["status", "status"]


def test_unknown_columns_answer_400_in_plain_text(client, spanned):
    for query in ("columns=excerpt,nope", "columns=id", "columns=%3D1"):
        for path in ("/statements.csv", "/statements.jsonl"):
            response = client.get(f"{path}?{query}")
            assert response.status_code == 400, (path, query)
            assert response["Content-Type"] == "text/plain; charset=utf-8"
            assert "columns: unknown column" in response.content.decode()
    assert client.get("/actors.csv?columns=excerpt").status_code == 400  # statements only
    assert client.get("/statements/?columns=excerpt").status_code == 400  # exports only


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_default_columns_are_the_copy_bytes_with_optional_columns_too(client, spanned, make):
    make.statement(text='Quoted "words", and\na line break', tags=["t"])
    copied = body(client.get("/statements.csv"))  # COPY
    wide = csv_rows(client.get("/statements.csv?columns=excerpt,claim_texts"))  # ORM
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in wide:
        writer.writerow(row[: len(STATEMENT_COLUMNS)])
    assert buffer.getvalue().encode() == copied


# -- 400s, headers, query counts -----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/statements.jsonl?date_from=2023-99-01",
        "/statements.jsonl?speaker=nobody-at-all",
        "/stances.csv?mode=shouting",
        "/stances.jsonl?claim=999999",
        "/actors.jsonl?kind=alien",
        "/claims.jsonl?unknown=1",
        "/events.jsonl?date_to=yesterday",
        "/tags.jsonl?q=a&q=b",
        "/sources.jsonl?date_from=x",
    ],
)
def test_bad_filters_answer_400_in_plain_text(client, corpus, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("Bad filter.\n")


def test_jsonl_headers(client, corpus):
    response = client.get("/statements.jsonl?speaker=blue")
    assert response["Content-Type"] == "application/x-ndjson"
    assert re.fullmatch(
        r'attachment; filename="statements-\d{8}T\d{6}Z\.jsonl"', response["Content-Disposition"]
    )


def _queries(client, django_assert_max_num_queries, url, limit):
    with django_assert_max_num_queries(limit) as captured:
        data = body(client.get(url))
    return len(captured), data


@pytest.mark.parametrize(
    ("url", "per_chunk"),
    [
        ("/statements.jsonl", JSONL_STATEMENT_QUERIES_PER_CHUNK),
        ("/stances.csv", STANCE_QUERIES_PER_CHUNK),
        ("/stances.jsonl", STANCE_QUERIES_PER_CHUNK),
        ("/sources.jsonl", SOURCE_QUERIES_PER_CHUNK),
        (
            "/statements.csv?columns=excerpt,claim_texts",
            5 + OPTIONAL_COLUMN_QUERIES_PER_CHUNK,
        ),
    ],
)
def test_queries_grow_per_chunk_not_per_row(
    client, make, monkeypatch, django_assert_max_num_queries, url, per_chunk
):
    """Rows in chunks of 10: the count grows with the chunks, whatever is in a row."""
    monkeypatch.setattr(tables, "CHUNK_SIZE", 10)
    claim = make.claim()
    for i in range(35):
        statement = make.statement(source=make.source(), tags=[f"t{i % 3}"])
        make.stance(statement, claim, "asserts")
        statement.recipients.add(make.actor())
    chunks = 4  # 35 rows, 10 a chunk (a last, empty chunk is not fetched)
    setup = 3  # the FilterSet's checks, the session
    if url in ("/statements.jsonl", "/stances.csv") and connection.vendor == "postgresql":
        per_chunk, chunks = 1, 1  # one COPY (``copy.stream_statement_jsonl``, ``stream_stances``)
    count, _ = _queries(client, django_assert_max_num_queries, url, setup + per_chunk * chunks)
    assert count >= per_chunk * chunks - per_chunk  # rows were really fetched in chunks


# -- visibility ----------------------------------------------------------------------------


EXPORTS = ["/statements.jsonl", "/stances.csv", "/stances.jsonl"]


def test_drafts_only_for_those_who_see_them(client, corpus):
    draft_texts = {d.text for d in corpus["drafts"]}
    claim = corpus["claim"]
    for draft in corpus["drafts"]:
        draft.stances.create(claim=claim, stance="questions")
    for url in EXPORTS:
        data = body(client.get(url)).decode()
        assert "questions" not in data, url
        assert not any(text in data for text in draft_texts), url
    zipped = zipfile.ZipFile(io.BytesIO(body(client.get("/data/everything.zip"))))
    for name in zipped.namelist():
        data = zipped.read(name).decode("utf-8")
        assert not any(text in data for text in draft_texts), name
    assert "questions:" not in zipped.read("statements.csv").decode()
    assert ",questions," not in zipped.read("stances.csv").decode()
    claims = list(csv.DictReader(io.StringIO(zipped.read("claims.csv").decode())))
    assert [c["questions"] for c in claims] == ["0"]
    client.force_login(drafts_reader())
    records = jsonl_records(client.get("/statements.jsonl"))
    assert {r["text"] for r in records} >= draft_texts
    assert {r["status"] for r in records} == {"draft", "published"}
    assert "questions" in body(client.get("/stances.csv")).decode()
    # The bulk download is the public one, whoever asks.
    zipped = zipfile.ZipFile(io.BytesIO(body(client.get("/data/everything.zip"))))
    assert not any(text in zipped.read("statements.csv").decode() for text in draft_texts)


# -- the data dictionary -------------------------------------------------------------------


def test_every_exported_column_is_documented():
    assert dictionary.undocumented() == []
    for table in dictionary.TABLES.values():
        for column in table.columns:
            assert column.meaning and column.type in {"integer", "date", "string"}, column
            assert column.example or column.name == "end_date", column


def test_an_undocumented_column_is_caught(monkeypatch):
    monkeypatch.setitem(tables.TABLE_COLUMNS, "tags", (*cells.TAG_COLUMNS, "colour"))
    assert dictionary.undocumented() == ["tags.colour (undocumented)"]


def test_choices_come_from_the_models():
    statements = dictionary.TABLES["statements"]
    assert [v for v, _ in statements.column("mode").values] == ["direct", "mixed", "indirect"]
    assert ("on_or_before", "On or before") in statements.column("date_precision").values
    assert "military" in [v for v, _ in dictionary.TABLES["actors"].column("kind").values]
    assert statements.column("speaker_as_printed").meaning == "The words the source used."


def test_data_page_lists_every_table_and_column(client, db):
    response = client.get("/data/")
    assert response.status_code == 200
    page = response.content.decode()
    for table in dictionary.TABLES.values():
        assert f'id="table-{table.name}"' in page
        for column in table.columns:
            assert f'id="{table.name}-{column.name}"' in page
    assert 'href="/data/everything.zip"' in page


def test_committed_markdown_is_up_to_date():
    out = io.StringIO()
    call_command("data_dictionary", "--format", "markdown", stdout=out)
    committed = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == out.getvalue(), (
        "run: python manage.py data_dictionary > docs/data-dictionary.md"
    )


# -- the bulk download ---------------------------------------------------------------------


def test_everything_zip_is_a_valid_data_package(client, seed, tmp_path):
    from frictionless import validate

    response = client.get("/data/everything.zip")
    assert response["Content-Type"] == "application/zip"
    assert re.fullmatch(
        r'attachment; filename="everything-\d{8}T\d{6}Z\.zip"', response["Content-Disposition"]
    )
    data = body(response)
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert sorted(names) == sorted([f"{t}.csv" for t in dictionary.TABLES] + ["datapackage.json"])
    for name in dictionary.TABLES:
        assert archive.read(f"{name}.csv") == body(client.get(f"/{name}.csv")), name
    archive.extractall(tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    schema = {r["name"]: r["schema"] for r in descriptor["resources"]}
    assert schema["stances"]["primaryKey"] == ["statement_id", "claim_id"]
    assert {"fields": ["claim_id"], "reference": {"resource": "claims", "fields": ["id"]}} in (
        schema["stances"]["foreignKeys"]
    )
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    seed_rows = len(csv_rows(client.get("/statements.csv"))) - 1
    assert len(archive.read("statements.csv").splitlines()) == 1 + seed_rows >= 13


def test_a_broken_foreign_key_fails_validation(client, seed, tmp_path):
    """The validator does check the keys: a stance naming a missing claim is an error."""
    from frictionless import validate

    archive = zipfile.ZipFile(io.BytesIO(body(client.get("/data/everything.zip"))))
    archive.extractall(tmp_path)
    stances = (tmp_path / "stances.csv").read_bytes().decode("utf-8").split("\r\n")
    first = stances[1].split(",")
    first[1] = "999999"
    stances[1] = ",".join(first)
    (tmp_path / "stances.csv").write_bytes("\r\n".join(stances).encode("utf-8"))
    report = validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {error.type for task in report.tasks for error in task.errors}


def test_everything_zip_is_streamed_in_pieces(client, make, monkeypatch):
    from statements.csv import bundle

    monkeypatch.setattr(bundle, "FLUSH_BYTES", 1024)
    monkeypatch.setattr(tables, "CHUNK_SIZE", 10)
    for i in range(60):
        make.statement(text=f"Statement {i} " + "words " * 40)
    response = client.get("/data/everything.zip")
    assert response.streaming
    pieces = list(response.streaming_content)
    assert len(pieces) > 5
    assert max(len(p) for p in pieces) < 64 * 1024
    archive = zipfile.ZipFile(io.BytesIO(b"".join(pieces)))
    assert archive.testzip() is None
    assert len(archive.read("statements.csv").splitlines()) == 61


# -- the list pages ------------------------------------------------------------------------


def test_list_pages_offer_csv_excel_and_json_lines(client, corpus):
    page = client.get("/statements/?medium=interview&tag=alpha&page=2").content.decode()
    assert 'href="/statements.csv?medium=interview&amp;tag=alpha"' in page
    assert 'href="/statements.csv?medium=interview&amp;tag=alpha&amp;bom=1"' in page
    assert 'href="/statements.jsonl?medium=interview&amp;tag=alpha"' in page
    assert ">CSV</a>" in page and ">CSV for Excel (BOM)</a>" in page and ">JSON Lines</a>" in page
    for path in ("/actors", "/claims", "/events", "/tags"):
        page = client.get(f"{path}/?q=a").content.decode()
        for href in (f"{path}.csv?q=a", f"{path}.csv?q=a&amp;bom=1", f"{path}.jsonl?q=a"):
            assert f'href="{href}"' in page, (path, href)


# -- JSON Lines on PostgreSQL: built by COPY, the same bytes -------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.parametrize(
    "query", ["", "?sort=said_on", "?tag=ceasefire", "?q=line+or+tab", "?q=twice&sort=said_on"]
)
@pytest.mark.parametrize("staff", [False, True])
def test_copy_jsonl_equals_orm_jsonl(client, hostile, monkeypatch, query, staff):  # noqa: F811
    from statements.csv import copy as csv_copy

    hostile[0][0].recipients.add(*[s.speaker for s in hostile[0][1:4]])
    if staff:
        client.force_login(drafts_reader())
    copied = body(client.get("/statements.jsonl" + query))
    monkeypatch.setattr(csv_copy, "available", lambda: False)
    monkeypatch.setattr(tables, "CHUNK_SIZE", 4)
    orm = body(client.get("/statements.jsonl" + query))
    assert copied == orm
    records = [json.loads(line) for line in orm.decode().split("\n")[:-1]]
    assert records and all(list(r)[-1] == ("status" if staff else "url") for r in records)
    if query == "":
        assert len(records) == len(hostile[0]) + staff  # the draft for staff only


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.parametrize(
    "query",
    [
        "",
        "?sort=said_on",
        "?bom=1",
        "?tag=ceasefire",
        "?stance=denies",
        "?q=line+or+tab",
        "?q=line+or+tab+or+said+or+equals+or+emoji+or+phone+or+mention+or+return",
    ],
)
@pytest.mark.parametrize("staff", [False, True])
def test_copy_stances_equal_orm_stances(client, hostile, make, monkeypatch, query, staff):  # noqa: F811
    """The stances CSV through COPY: the ORM path's bytes, hostile claim texts and
    speakers' slugs included, in the list's order (ranked candidates first)."""
    from statements import pagination
    from statements.csv import copy as csv_copy

    monkeypatch.setattr(pagination, "RANK_CANDIDATES", 4)
    rows, draft = hostile
    for i, statement in enumerate(rows[1:12]):
        claim = make.claim(f"{HOSTILE_CLAIMS[i % len(HOSTILE_CLAIMS)]} {i}")
        statement.stances.create(claim=claim, stance="denies" if i % 2 else "questions")
    draft.stances.create(claim=rows[0].stances.first().claim, stance="asserts")
    if staff:
        client.force_login(drafts_reader())
    copied = body(client.get("/stances.csv" + query))
    monkeypatch.setattr(csv_copy, "available", lambda: False)
    monkeypatch.setattr(tables, "CHUNK_SIZE", 3)
    assert body(client.get("/stances.csv" + query)) == copied
    assert copied.count(b"\r\n") > 1 + (query == "")


#: Claim texts a spreadsheet or a CSV reader would trip on.
HOSTILE_CLAIMS = ['=1+2 "quoted", comma', "line\nbreak", "\t@tab", "back\\slash \\N", "\u2028+x"]


#: What JSON must escape or may leave raw: every C0 control, DEL, the line and paragraph
#: separators, a lone combining mark, quotes and backslashes, astral characters.
JSON_HOSTILE = "".join(map(chr, range(32))) + '\x7f\u2028\u2029 \u0301 "q" \\ \\u0000 \U0001f600'


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_jsonl_escapes_like_python(client, make, monkeypatch):
    """Every stored piece (speaker, statement, source, links) with every control
    character: the COPY path's bytes are Python's ``json`` bytes."""
    from statements.csv import copy as csv_copy

    hostile_text = JSON_HOSTILE.replace("\x00", "")  # PostgreSQL text holds no NUL
    speaker = make.actor("Name " + hostile_text, slug="hostile-speaker")
    source = make.source(
        body="Intro. " + hostile_text, title=hostile_text, url='https://e.org/?a="b"'
    )
    make.statement(
        source=source,
        speaker=speaker,
        text=hostile_text,
        span_start=7,
        span_end=7 + len(hostile_text),
        speaker_title=hostile_text,
        tags=["ünïcode-tag", "plain"],
    )
    copied = body(client.get("/statements.jsonl"))
    monkeypatch.setattr(csv_copy, "available", lambda: False)
    assert body(client.get("/statements.jsonl")) == copied
    (record,) = [json.loads(line) for line in copied.decode().split("\n")[:-1]]
    assert record["text"] == record["speaker_title"] == record["source_title"] == hostile_text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_jsonl_keeps_ranked_candidates_then_date_order(client, hostile, monkeypatch):  # noqa: F811
    from statements import pagination
    from statements.csv import copy as csv_copy

    monkeypatch.setattr(pagination, "RANK_CANDIDATES", 4)
    query = "?q=line+or+tab+or+said+or+equals+or+emoji+or+phone+or+mention+or+return"
    copied = body(client.get("/statements.jsonl" + query))
    listed = all_list_ids(client, "/statements/" + query)
    monkeypatch.setattr(csv_copy, "available", lambda: False)
    assert body(client.get("/statements.jsonl" + query)) == copied
    assert [json.loads(line)["id"] for line in copied.decode().split("\n")[:-1]] == listed
    assert len(listed) > 4


#: How each list page links its rows, as the row's page address.
ROW_LINKS = {
    "/actors/": re.compile(r'<a class="actor kind--\w+" href="(/actors/[^/"]+/)"'),
    "/claims/": re.compile(r'<a href="(/claims/\d+/)" dir="auto">'),
    "/events/": re.compile(r'<a href="(/events/\d+/)" dir="auto">'),
    "/tags/": re.compile(r'<th scope="row"><a href="(/tags/[^/"]+/)" rel="tag">'),
}


def listed_pages(client, path: str, query: str) -> list[str]:
    from tests.statements.listing_helpers import next_url

    found, url = [], f"{path}?{query}"
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        found += ROW_LINKS[path].findall(response.content.decode())
        url = next_url(response, path)
    return found


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/actors/", ["", "kind=person", "q=a", "parent=azerbaijan"]),
        ("/claims/", ["", "status=unverified", "q=the", "speaker=nikol-pashinian"]),
        ("/events/", ["", "kind=consult", "date_from=2023-09-09", "participant=nikol-pashinian"]),
        ("/tags/", ["", "q=a"]),
    ],
)
def test_other_lists_exports_equal_their_pages(client, seed, settings, path, queries):
    settings.PAGE_SIZE = 3  # several pages
    stem = path.strip("/")
    for query in queries:
        listed = listed_pages(client, path, query)
        assert listed or query, (path, query)
        records = jsonl_records(client.get(f"/{stem}.jsonl?{query}"))
        assert [r["url"].removeprefix("http://testserver") for r in records] == listed, query
        header, *rows = csv_rows(client.get(f"/{stem}.csv?{query}"))
        urls = [row[header.index("url")].removeprefix("http://testserver") for row in rows]
        assert urls == listed, query
