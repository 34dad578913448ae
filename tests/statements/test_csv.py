"""CSV exports: the list's rows in the list's order, exact columns, formula guard, streaming."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.db import connection

from actors.models import Actor, ActorKind
from statements import pagination
from statements.csv import tables as exports
from statements.csv.cells import STATEMENT_COLUMNS, neutralise
from statements.models import Claim, Event, Statement, Status
from tests.conftest import drafts_reader
from tests.statements.listing_helpers import all_list_ids, build_corpus, csv_ids, csv_rows

pytestmark = pytest.mark.django_db

# One keyset query for the chunk's statements + prefetched tags, recipients, events, stances.
CSV_QUERIES_PER_CHUNK = 5
ACTOR_CSV_QUERIES_PER_CHUNK = 3  # actors + aliases + their statement counts, grouped
CLAIM_CSV_QUERIES_PER_CHUNK = 3  # claims + their tags + their stance counts, grouped
EVENT_CSV_QUERIES_PER_CHUNK = 4  # events + tags + participations + sources


@pytest.fixture
def corpus(make):
    return build_corpus(make)


def combinations(corpus) -> list[str]:
    claim, event = corpus["claim"], corpus["event"]
    return [
        "",
        "sort=said_on",
        "speaker=blue",
        "speaker=blue&speaker=red&sort=said_on",
        "tag=alpha",
        "tag=alpha&tag=beta",
        "mode=direct",
        "medium=speech&kind=military",
        "date_from=2023-08-05&date_to=2023-08-20",
        "date_from=2023-08-10&sort=said_on&tag=beta",
        f"claim={claim.pk}",
        f"claim={claim.pk}&stance=denies",
        f"event={event.pk}",
        f"source={corpus['other_source'].pk}",
        "q=ceasefire",
        "q=ceasefire&sort=said_on",
        "q=convoy&speaker=green&date_precision=day",
    ]


def test_csv_rows_equal_list_rows_for_many_filters(client, corpus, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 7)  # many chunks, so chunk edges are crossed
    combos = combinations(corpus)
    assert len(combos) >= 10
    long_ones = 0
    for query in combos:
        listed = all_list_ids(client, "/statements/?" + query)
        exported = csv_ids(client.get("/statements.csv?" + query))
        assert exported == listed, query
        long_ones += len(listed) > 50
    assert long_ones >= 4  # several combinations span more than one page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking is PostgreSQL only")
def test_ranked_csv_equals_ranked_list(client, corpus, monkeypatch, settings):
    monkeypatch.setattr(pagination, "RANK_CANDIDATES", 12)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 5)
    settings.PAGE_SIZE = 5
    listed = all_list_ids(client, "/statements/?q=ceasefire")
    assert len(listed) > 12
    assert csv_ids(client.get("/statements.csv?q=ceasefire")) == listed


def test_headers_filename_and_bom(client, corpus):
    response = client.get("/statements.csv?speaker=blue")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="statements-\d{8}T\d{6}Z\.csv"', response["Content-Disposition"]
    )
    body = b"".join(response.streaming_content)
    assert body.startswith(b"id,said_on,date_precision,speaker,")
    assert body.split(b"\r\n")[0].decode().split(",") == list(STATEMENT_COLUMNS)
    assert body.endswith(b"\r\n")
    with_bom = b"".join(client.get("/statements.csv?speaker=blue&bom=1").streaming_content)
    assert with_bom == b"\xef\xbb\xbf" + body
    assert b"".join(client.get("/statements.csv?speaker=blue&bom=0").streaming_content) == body


def test_statement_cells(client, make):
    speaker = make.actor("Antony Blinken", slug="antony-blinken", kind=ActorKind.PERSON)
    source = make.source(
        title="Report", url="https://example.org/report", published_on=datetime.date(2023, 9, 10)
    )
    statement = make.statement(
        source=source,
        speaker=speaker,
        text="We are concerned.",
        mode="indirect",
        medium="written_statement",
        speaker_title="Secretary of State",
        said_on=datetime.date(2023, 9, 10),
        date_precision="on_or_before",
        tags=["Nagorno-Karabakh", "Diplomacy"],
    )
    statement.recipients.add(make.actor(slug="zed"), make.actor(slug="azerbaijan"))
    later, earlier = make.event(), make.event()
    statement.events.add(later, earlier)
    c1, c2 = make.claim(), make.claim()
    make.stance(statement, c2, "denies")
    make.stance(statement, c1, "asserts")
    header, row = csv_rows(client.get("/statements.csv"))
    cells = dict(zip(header, row, strict=True))
    assert cells == {
        "id": str(statement.pk),
        "said_on": "2023-09-10",
        "date_precision": "on_or_before",
        "speaker": "Antony Blinken",
        "speaker_slug": "antony-blinken",
        "speaker_kind": "person",
        "speaker_title": "Secretary of State",
        "mode": "indirect",
        "medium": "written_statement",
        "text": "We are concerned.",
        "recipients": "azerbaijan;zed",
        "claims": f"asserts:{c1.pk};denies:{c2.pk}",
        "events": ";".join(str(pk) for pk in sorted([later.pk, earlier.pk])),
        "tags": "diplomacy;nagorno-karabakh",
        "source_title": "Report",
        "source_url": "https://example.org/report",
        "source_published_on": "2023-09-10",
        "url": f"http://testserver/statements/{statement.pk}/",
    }


DANGEROUS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tindented",
    "\rcarriage",
    "\nnewline first",
    "＝1+1",  # full-width equals sign
    "   =1",
    "\u00a0\u3000=1",  # no-break and ideographic spaces before =
    " \t=1",
    "﹢1",  # small plus sign
    "－5",  # full-width hyphen-minus
    "＠home",
]
HARMLESS = [
    "He said: \"no\", then 'yes'.",
    "line one\nline two\r\nline three",
    "مرحبا — שלום",  # RTL
    "Emoji 🕊️ and 👩🏽‍⚖️",
    "a=1, b=+2",
    "  leading spaces kept",
    "Comma, semicolon; and a trailing space ",
    "'already quoted",
    "１=1",  # full-width digit first
]


def test_formula_guard_over_http(client, make):
    speaker = make.actor("=cmd|'/C calc'!A0", slug="evil")
    by_text = {}
    for text in DANGEROUS + HARMLESS:
        body = ("x " * 10 + text) * 2
        statement = make.statement(speaker=speaker, text=text, source=make.source(body=body))
        by_text[statement.pk] = text
    header, *rows = csv_rows(client.get("/statements.csv"))
    text_at, speaker_at = header.index("text"), header.index("speaker")
    seen = 0
    for row in rows:
        original = by_text[int(row[0])]
        expected = "'" + original if original in DANGEROUS else original
        assert row[text_at] == expected, repr(original)
        assert row[speaker_at] == "'=cmd|'/C calc'!A0"
        seen += 1
    assert seen == len(DANGEROUS) + len(HARMLESS)


@pytest.mark.parametrize("value", DANGEROUS)
def test_neutralise_guards(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", [*HARMLESS, "", "   ", "plain", "2023-09-10", "12"])
def test_neutralise_leaves_the_rest_alone(value):
    assert neutralise(value) == value


def test_every_cell_is_guarded(client, make):
    source = make.source(title="=1+1", url="", body="=1+1 is the body of this source. " * 3)
    make.statement(
        source=source, speaker=make.actor("+Plus"), text="ordinary", speaker_title="@title"
    )
    header, row = csv_rows(client.get("/statements.csv"))
    cells = dict(zip(header, row, strict=True))
    assert cells["source_title"] == "'=1+1"
    assert cells["speaker"] == "'+Plus"
    assert cells["speaker_title"] == "'@title"
    assert cells["text"] == "ordinary"


@pytest.mark.parametrize(("rows", "chunks"), [(3, 1), (9, 1), (25, 3)])
def test_csv_queries_grow_per_chunk_not_per_row(
    client, make, monkeypatch, django_assert_num_queries, rows, chunks
):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 10)
    source, speaker, claim, event = make.source(), make.actor(), make.claim(), make.event()
    recipient = make.actor()
    for i in range(rows):
        statement = make.statement(source=source, speaker=speaker, tags=[f"t{i % 3}"])
        statement.recipients.add(recipient)
        statement.events.add(event)
        make.stance(statement, claim)
    # PostgreSQL streams one COPY (statements/csv_copy.py) whatever the row count, after
    # one query that re-renders what slug renames queued (none here).
    expected = 2 if connection.vendor == "postgresql" else CSV_QUERIES_PER_CHUNK * chunks
    with django_assert_num_queries(expected):
        response = client.get("/statements.csv")
        ids = csv_ids(response)
    assert len(ids) == rows


def test_orm_csv_rows_leave_no_reference_cycles(rf, make):
    """The ORM path (SQLite's) frees each row by reference counting alone: under the
    serving collector settings (tracker/gc_tuning.py) cyclic garbage from prefetched
    links grew a worker by ~270 MB per 100k exported rows."""
    import gc

    from django.contrib.auth.models import AnonymousUser

    from statements.csv import cells as csv_export
    from statements.selectors.lists import iterate_statements, statement_spec

    source, speaker, claim, event, recipient = (
        make.source(),
        make.actor(),
        make.claim(),
        make.event(),
        make.actor(),
    )
    for i in range(40):
        statement = make.statement(source=source, speaker=speaker, tags=[f"t{i % 3}", "both"])
        statement.recipients.add(recipient)
        statement.events.add(event)
        make.stance(statement, claim)
    request = rf.get("/statements.csv")
    request.user = AnonymousUser()
    spec = statement_spec(request)
    assert spec.filterset.is_valid()
    gc.collect()
    gc.disable()
    try:
        rows = iterate_statements(spec.filterset, 8)
        cells = lambda row: csv_export.statement_cells(row, "http://x")  # noqa: E731
        written = list(csv_export.stream_rows(STATEMENT_COLUMNS, rows, cells))
        cyclic = gc.collect()
    finally:
        gc.enable()
    assert b"".join(written).count(b"\r\n") == 41
    assert cyclic < 40  # a few per query at most, none per row


def test_csv_is_streamed_in_pieces(client, make, monkeypatch):
    from statements.csv import cells as csv_export

    monkeypatch.setattr(csv_export, "FLUSH_BYTES", 200)
    monkeypatch.setattr("statements.csv.copy.CHUNK_BYTES", 200)  # the PostgreSQL path
    source = make.source()
    for _ in range(6):
        make.statement(source=source, text="Some words " * 5)
    response = client.get("/statements.csv")
    assert response.streaming
    pieces = list(response.streaming_content)
    assert len(pieces) >= 3
    assert len(list(csv.reader(io.StringIO(b"".join(pieces).decode(), newline="")))) == 7


def test_bad_filters_answer_400_in_plain_text(client, corpus):
    for query, reason in [
        ("date_from=2023-02-30", "date_from: Enter a date as YYYY-MM-DD."),
        ("speaker=nobody", "speaker: Unknown speaker: nobody."),
        ("mode=loud", "mode: Select a valid choice."),
        ("date_from=2023-09-10&date_to=2023-09-01", "date_to: “To” must not be before “from”."),
        ("format=xlsx", "Unknown parameter: “format”."),
        ("bom=2", "bom: Select a valid choice."),
    ]:
        response = client.get("/statements.csv?" + query)
        assert response.status_code == 400, query
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert reason in response.content.decode(), (query, response.content)


def test_drafts_never_in_public_csv_but_in_staff_csv(client, corpus):
    drafts = {s.pk for s in corpus["drafts"]}
    public = csv_ids(client.get("/statements.csv"))
    assert len(public) == 130 and not drafts & set(public)
    staff = drafts_reader("ed", password="x" * 16)
    client.force_login(staff)
    assert drafts <= set(csv_ids(client.get("/statements.csv")))


# -- actors, claims, events --------------------------------------------------------------


def test_actor_csv(client, seed):
    header, *rows = csv_rows(client.get("/actors.csv"))
    assert header == [
        "id",
        "slug",
        "name",
        "kind",
        "parent_slug",
        "wikidata_id",
        "aliases",
        "statements",
        "url",
    ]
    by_slug = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert len(by_slug) == Actor.objects.count()
    blinken = by_slug["antony-blinken"]
    assert blinken["statements"] == "3"
    assert blinken["url"] == "http://testserver/actors/antony-blinken/"
    army = Actor.objects.get(slug="nagorno-karabakh-defence-army")
    aliases = sorted(army.aliases.values_list("name", flat=True))
    assert by_slug[army.slug]["aliases"] == ";".join(aliases)
    mod = Actor.objects.get(slug="ministry-of-defence-of-azerbaijan")
    assert by_slug[mod.slug]["parent_slug"] == (mod.parent.slug if mod.parent else "")
    # Same rows, same order as the list page, with a filter.
    listed = re.findall(
        r'<a class="actor kind--\w+" href="/actors/([^/]+)/">',
        client.get("/actors/?kind=person").content.decode(),
    )
    exported = [row[1] for row in csv_rows(client.get("/actors.csv?kind=person"))[1:]]
    assert exported == listed and listed
    assert client.get("/actors.csv?kind=robot").status_code == 400


def test_claim_csv(client, seed):
    header, *rows = csv_rows(client.get("/claims.csv"))
    assert header == [
        "id",
        "slug",
        "text",
        "status",
        "asserts",
        "denies",
        "questions",
        "tags",
        "url",
    ]
    by_slug = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert len(by_slug) == Claim.objects.count()
    landmine = by_slug["landmine-planted-by-karabakh-armenian-forces"]
    assert (landmine["asserts"], landmine["denies"], landmine["questions"]) == ("1", "1", "0")
    claim = Claim.objects.get(slug="landmine-planted-by-karabakh-armenian-forces")
    assert landmine["tags"] == ";".join(sorted(t.slug for t in claim.tags.all()))
    listed = re.findall(
        r'<a href="/claims/(\d+)/"',
        client.get("/claims/?speaker=nagorno-karabakh-defence-army").content.decode(),
    )
    exported = [
        r[0] for r in csv_rows(client.get("/claims.csv?speaker=nagorno-karabakh-defence-army"))[1:]
    ]
    assert exported == listed and listed


def test_event_csv(client, seed):
    header, *rows = csv_rows(client.get("/events.csv"))
    assert header == [
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
    ]
    assert [int(r[0]) for r in rows] == list(
        Event.objects.order_by("-start_date", "-id").values_list("pk", flat=True)
    )
    event = Event.objects.get(slug="landmine-incident-2023-09")
    row = dict(zip(header, next(r for r in rows if r[1] == event.slug), strict=True))
    expected = sorted(f"{p.role}:{p.actor.slug}" for p in event.participations.all())
    assert row["participants"] == ";".join(expected) and expected
    assert row["start_date"] == event.start_date.isoformat()
    assert client.get("/events.csv?date_to=yesterday").status_code == 400


@pytest.mark.parametrize("rows", [3, 12])
def test_other_exports_query_per_chunk(client, make, monkeypatch, django_assert_num_queries, rows):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 50)
    for i in range(rows):
        actor = make.actor()
        said = make.statement(speaker=actor, status=Status.PUBLISHED)
        claim = make.claim()
        claim.tags.add(f"c{i}")
        make.stance(said, claim, "asserts")  # on the public record through a statement
        event = make.event()
        event.tags.add(f"e{i}")
        said.events.add(event)
    with django_assert_num_queries(ACTOR_CSV_QUERIES_PER_CHUNK):
        assert len(csv_rows(client.get("/actors.csv"))) == rows + 1
    with django_assert_num_queries(CLAIM_CSV_QUERIES_PER_CHUNK):
        assert len(csv_rows(client.get("/claims.csv"))) == rows + 1
    with django_assert_num_queries(EVENT_CSV_QUERIES_PER_CHUNK):
        assert len(csv_rows(client.get("/events.csv"))) == rows + 1


def test_statement_export_of_seed_matches_published(client, seed):
    ids = csv_ids(client.get("/statements.csv"))
    assert ids == list(
        Statement.objects.published().order_by("-said_on", "-id").values_list("pk", flat=True)
    )
