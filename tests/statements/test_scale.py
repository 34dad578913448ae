"""Mechanisms that keep pages independent of N (issue 7); not timed.

One plan check (PostgreSQL): after ``generate_synthetic`` and ANALYZE, the list's page
queries (unfiltered, busiest speaker, busiest tag) use indexes, never a sequential scan
of the statements; the benchmark measures the plans' effect at 1M rows.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from actors.models import Actor
from statements import pagination
from statements.models import Statement, TaggedStatement

pytestmark = pytest.mark.django_db
UNBOUNDED_COUNT = re.compile(r"SELECT COUNT\(\*\)(?!.*LIMIT)", re.S | re.I)


def many(make, n: int, speaker=None):
    source = make.source(
        body=f"Ceasefire words here {n}-{datetime.datetime.now().timestamp()}. " * 10
    )
    speaker = speaker or make.actor()
    day = datetime.date(2023, 1, 1)
    return [
        make.statement(
            source=source,
            speaker=speaker,
            said_on=day + datetime.timedelta(days=i % 7),
            tags=["ceasefire"] if i % 2 else [],
        )
        for i in range(n)
    ]


def next_link(html: str) -> str | None:
    match = re.search(
        r'href="(\?[^"]*cursor=[^"]*)"[^>]*rel="next"|rel="next"[^>]*href="(\?[^"]*)"', html
    )
    if not match:
        return None
    return (match.group(1) or match.group(2)).replace("&amp;", "&")


def test_keyset_pages_return_every_row_exactly_once(make):
    rows = many(make, 23)
    keyset = pagination.Keyset(Statement, ("-said_on", "-id"))
    queryset = Statement.objects.published()
    seen = []
    page = pagination.paginate(queryset, keyset, size=5)
    seen += [r.pk for r in page.rows]
    while page.next_cursor:
        page = pagination.paginate(queryset, keyset, cursor=page.next_cursor, size=5)
        seen += [r.pk for r in page.rows]
    assert sorted(seen) == sorted(r.pk for r in rows)
    assert len(seen) == len(set(seen))
    expected = list(queryset.order_by("-said_on", "-id").values_list("pk", flat=True))
    assert seen == expected


def test_list_page_never_runs_an_unbounded_count(client, make):
    many(make, 12)
    with CaptureQueriesContext(connection) as captured:
        # Two filters: a list by one tag alone reads its exact count from the tallies.
        response = client.get("/statements/?tag=ceasefire&date_from=2000-01-01")
    assert response.status_code == 200
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts, "the page shows a (capped) count"
    for sql in counts:
        assert not UNBOUNDED_COUNT.search(sql), sql


@pytest.mark.parametrize("url", ["/statements/", "/statements/?tag=ceasefire"])
def test_list_query_count_does_not_grow_with_rows(client, make, url):
    many(make, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    many(make, 40)
    cache.clear()  # both requests with cold datalists
    with CaptureQueriesContext(connection) as lots:
        assert client.get(url).status_code == 200
    assert len(lots.captured_queries) == len(few.captured_queries)


def test_csv_query_count_does_not_grow_with_rows(client, make):
    many(make, 3)
    with CaptureQueriesContext(connection) as few:
        b"".join(client.get("/statements.csv").streaming_content)
    many(make, 40)
    with CaptureQueriesContext(connection) as lots:
        b"".join(client.get("/statements.csv").streaming_content)
    assert len(lots.captured_queries) == len(few.captured_queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full text is PostgreSQL's")
def test_search_vector_follows_edits(client, make):
    source = make.source(body="The old wording stands here. The fresh wording now.")
    statement = make.statement(source=source, text="The old wording", span_start=0, span_end=15)
    assert Statement.objects.filter(search_vector="old").exists()
    statement.text = "The fresh wording"
    statement.span_start, statement.span_end = 29, 46
    statement.save()
    assert Statement.objects.filter(pk=statement.pk, search_vector="fresh").exists()
    assert not Statement.objects.filter(pk=statement.pk, search_vector="old").exists()
    page = client.get("/statements/?q=fresh").content.decode()
    assert "The fresh wording" in page
    assert "The fresh wording" not in client.get("/statements/?q=old").content.decode()


def test_cursor_links_keep_filters(client, make):
    many(make, 60)
    html = client.get("/statements/?date_from=2023-01-01").content.decode()
    link = next_link(html)
    assert link is not None, "60 rows need a second page"
    assert parse_qs(urlparse(link).query)["date_from"] == ["2023-01-01"]
    assert client.get("/statements/" + link).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_list_page_queries_use_indexes_not_a_statement_seq_scan(client):
    call_command("generate_synthetic", statements=3_000, seed=7, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    public = Statement.objects.published()
    busiest = public.values("speaker").annotate(n=Count("*")).order_by("-n")[0]["speaker"]
    speaker = Actor.objects.get(pk=busiest)
    links = TaggedStatement.objects.filter(content_object__in=public.values("pk"))
    tag = Tag.objects.get(pk=links.values("tag").annotate(n=Count("*")).order_by("-n")[0]["tag"])
    urls = ["/statements/", f"/statements/?speaker={speaker.slug}", f"/statements/?tag={tag.slug}"]
    for url in urls:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('class="statement statement-row') == 50, url
        pages = [
            q["sql"]
            for q in ctx.captured_queries
            if q["sql"].startswith('SELECT "statements_statement"."id"')
            and 'ORDER BY "statements_statement"."said_on" DESC' in q["sql"]
        ]
        assert len(pages) == 1, url
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + pages[0])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Seq Scan on statements_statement" not in plan, f"{url}\n{plan}"
