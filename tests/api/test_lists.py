"""The API lists the rows the HTML list and the CSV list, for the same filters."""

from __future__ import annotations

import pytest
from django.db import connection

from statements import pagination
from statements.csv import tables as exports
from statements.csv.cells import STATEMENT_COLUMNS
from statements.models import Statement
from tests.api.conftest import api_ids, api_rows
from tests.statements.listing_helpers import all_list_ids, build_corpus, csv_ids, csv_rows
from tests.statements.test_csv import combinations

pytestmark = pytest.mark.django_db

#: Data version, page of rows, then its tags, recipients, stances and events.
STATEMENT_LIST_QUERIES = 6
STATEMENT_DETAIL_QUERIES = 6
#: Data version, rows with their counts, plus each prefetch.
ACTOR_LIST_QUERIES = 3  # aliases
CLAIM_LIST_QUERIES = 3  # tags
EVENT_LIST_QUERIES = 5  # tags, participations, sources
TAG_LIST_QUERIES = 2
SOURCE_LIST_QUERIES = 2
STANCE_LIST_QUERIES = 2


@pytest.fixture
def corpus(make):
    return build_corpus(make)


def test_ids_equal_the_html_list_and_the_csv_for_every_filter_combination(
    client, corpus, monkeypatch
):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 7)
    combos = combinations(corpus)
    assert len(combos) == 17
    long_ones = 0
    for query in combos:
        listed = all_list_ids(client, "/statements/?" + query)
        assert api_ids(client, "/api/v1/statements/?" + query) == listed, query
        assert csv_ids(client.get("/statements.csv?" + query)) == listed, query
        long_ones += len(listed) > 50
    assert long_ones >= 4  # several combinations span more than one API page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking is PostgreSQL only")
def test_ranked_search_pages_as_the_html_list(client, corpus, monkeypatch, settings):
    monkeypatch.setattr(pagination, "RANK_CANDIDATES", 12)
    settings.PAGE_SIZE = 5
    listed = all_list_ids(client, "/statements/?q=ceasefire")
    assert len(listed) > 12
    assert api_ids(client, "/api/v1/statements/?q=ceasefire") == listed


def test_statement_fields_are_the_csv_columns_as_json(client, corpus):
    query = f"claim={corpus['claim'].pk}&sort=said_on"
    header, *rows = csv_rows(client.get("/statements.csv?" + query))
    objects = api_rows(client, "/api/v1/statements/?" + query)
    assert len(objects) == len(rows) > 3
    for row, obj in zip(rows, objects, strict=True):
        cells = dict(zip(header, row, strict=True))
        assert set(STATEMENT_COLUMNS) <= set(obj)
        assert "status" not in obj
        for name in ("said_on", "date_precision", "speaker", "speaker_slug", "speaker_kind"):
            assert str(obj[name]) == cells[name]
        assert obj["text"] == cells["text"]
        assert obj["id"] == int(cells["id"])
        assert obj["url"] == cells["url"]
        assert obj["tags"] == (cells["tags"].split(";") if cells["tags"] else [])
        assert obj["events"] == [int(e) for e in cells["events"].split(";") if e]
        claims = [f"{c['stance']}:{c['claim']}" for c in obj["claims"]]
        assert ";".join(claims) == cells["claims"]
        assert obj["claims"][0]["claim"] == corpus["claim"].pk
        assert obj["source_title"] == cells["source_title"]


def test_walking_back_with_previous_links(client, corpus):
    url = "/api/v1/statements/?tag=alpha"
    forward, pages = [], []
    while url:
        body = client.get(url).json()
        pages.append(body)
        forward.extend(row["id"] for row in body["results"])
        url = body["next"]
    assert len(pages) >= 2 and pages[0]["previous"] is None
    back = client.get(pages[-1]["previous"]).json()
    assert [row["id"] for row in back["results"]] == [r["id"] for r in pages[-2]["results"]]


def test_page_numbers_reach_the_first_pages(client, corpus):
    first = client.get("/api/v1/statements/").json()
    second = client.get("/api/v1/statements/?page=2").json()
    assert second["results"][0]["id"] == client.get(first["next"]).json()["results"][0]["id"]
    assert "page=" not in second["next"] and "cursor=" in second["previous"]
    assert client.get("/api/v1/statements/?page=20").status_code == 404


def test_other_lists_use_their_html_filters(client, seed):
    actors = api_ids(client, "/api/v1/actors/?kind=person&q=blinken")
    assert actors == ["antony-blinken"]
    tags = api_ids(client, "/api/v1/tags/?q=ceasefire")
    assert "ceasefire-violations" in tags
    for row in api_rows(client, "/api/v1/claims/?status=disputed"):
        assert row["status"] == "disputed"
    events = api_rows(client, "/api/v1/events/?kind=assault")
    assert events and {row["kind"] for row in events} == {"assault"}


def test_stances_and_sources(client, seed):
    stances = api_rows(client, "/api/v1/stances/?stance=denies")
    assert stances and {row["stance"] for row in stances} == {"denies"}
    statement = client.get(f"/api/v1/statements/{stances[0]['statement']}/").json()
    assert {"claim": stances[0]["claim"], "stance": "denies"} in statement["claims"]
    sources = api_rows(client, "/api/v1/sources/")
    assert sources and "body" not in sources[0]
    detail = client.get(f"/api/v1/sources/{sources[0]['id']}/").json()
    assert detail["body"].strip() and detail["url"].endswith(f"/sources/{sources[0]['id']}/")
    assert detail["url"].startswith("http://testserver/")


@pytest.mark.parametrize("rows", [5, 40])
def test_query_budgets(client, make, django_assert_num_queries, rows):
    speaker = make.actor("Budget Speaker", slug="budget")
    claim = make.claim("Something is so.", slug="so")
    event = make.event("A meeting", slug="meeting")
    source = make.source()
    for i in range(rows):
        statement = make.statement(source=source, speaker=speaker, tags=["one", f"t{i}"])
        statement.recipients.add(make.actor())
        statement.events.add(event)
        make.stance(statement, claim)
    budgets = {
        "/api/v1/statements/": STATEMENT_LIST_QUERIES,
        f"/api/v1/statements/{statement.pk}/": STATEMENT_DETAIL_QUERIES,
        "/api/v1/actors/": ACTOR_LIST_QUERIES,
        "/api/v1/claims/": CLAIM_LIST_QUERIES,
        "/api/v1/events/": EVENT_LIST_QUERIES,
        "/api/v1/tags/": TAG_LIST_QUERIES,
        "/api/v1/sources/": SOURCE_LIST_QUERIES,
        "/api/v1/stances/": STANCE_LIST_QUERIES,
    }
    for url, budget in budgets.items():
        with django_assert_num_queries(budget):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("caller", ["anonymous", "staff"])
def test_statement_rows_built_directly_equal_the_declared_fields(seed, make, caller, monkeypatch):
    """The statement serializer builds each object directly (fast); the generic path
    through its declared fields (what the schema documents) stays the spec: the same
    bytes, list and detail, drafts, empty values and odd text included."""
    from django.test import Client

    from statements.api.serializers import StatementSerializer
    from statements.models import Status
    from tests.api.conftest import token_client

    source = make.source(title="Odd <title> & “quotes”", url="")
    make.statement(source=source, status=Status.DRAFT, speaker_title="", tags=["x-1", "a"])
    client = Client() if caller == "anonymous" else token_client(staff=True)
    urls = ["/api/v1/statements/", "/api/v1/statements/?tag=lachin-corridor"]
    urls += [f"/api/v1/statements/{pk}/" for pk in Statement.objects.values_list("pk", flat=True)]
    fast = [client.get(url) for url in urls]
    monkeypatch.setattr(
        StatementSerializer, "to_representation", StatementSerializer.declared_representation
    )
    declared = [client.get(url) for url in urls]
    for url, a, b in zip(urls, fast, declared, strict=True):
        assert a.status_code == b.status_code, url
        assert a.content == b.content, url
    assert all(r.status_code == 200 for r in fast[:2])
    assert [r.status_code for r in fast[2:]].count(404) == (1 if caller == "anonymous" else 0)
    if caller == "staff":
        assert b'"status":"draft"' in b"".join(r.content for r in fast)
