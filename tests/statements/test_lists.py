"""List pages: rows, pagination that keeps filters, chips, counts and query budgets."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import ActorKind, Alias
from statements import pagination
from statements.models import Statement, Status
from tests.conftest import drafts_reader
from tests.statements.listing_helpers import (
    all_list_ids,
    build_corpus,
    next_url,
    page_ids,
    prev_url,
)

pytestmark = pytest.mark.django_db

# Query budgets (anonymous visitor), cold cache. Statement list: data version, capped
# count, rows, their tags, stances+claims (a row shows no recipients or events), the
# speaker and tag datalists, the country facet's states (kept per data version, like the
# count).
STATEMENT_LIST_QUERIES = 8
# The datalists are cached for a few minutes, so a second page skips their two queries.
DATALIST_QUERIES = 2
# The public ids among the tags a filter names, kept per data version.
PUBLIC_TAG_QUERIES = 1
# … plus one lookup per slug-valued filter used (speaker, tag), the public tags, and on
# SQLite how common the tag is (filters.tagged_with).
STATEMENT_LIST_FILTERED_QUERIES = (
    STATEMENT_LIST_QUERIES + 2 + PUBLIC_TAG_QUERIES + (1 if connection.vendor == "sqlite" else 0)
)
# Staff: + session + user, + their permissions and their groups' (whether they may see
# drafts; Django keeps them on the user for the rest of the request).
STATEMENT_LIST_STAFF_QUERIES = STATEMENT_LIST_QUERIES + 4
# The capped count is kept per data version for the same filters (tracker/data_version.py):
# another page of the same list skips it.
COUNT_QUERIES = 1
# The country facet's states, kept per data version: a second page skips the query.
COUNTRY_FACET_QUERIES = 1
# Actors: data version, count, rows with statement counts, aliases, the parent datalist.
ACTOR_LIST_QUERIES = 5
# Claims: data version, count, rows with stance counts, tags, speaker and tag datalists.
CLAIM_LIST_QUERIES = 6
# Events: data version, count, rows, tags, participations+actors, sources, two datalists.
EVENT_LIST_QUERIES = 8
# Tags: data version, count, rows with three counts.
TAG_LIST_QUERIES = 3


def make_statements(make, n: int, *, speaker=None, source=None, claim=None, event=None):
    """``n`` statements that each carry tags, a recipient, an event and a stance."""
    speaker = speaker or make.actor()
    source = source or make.source()
    claim = claim or make.claim()
    event = event or make.event()
    recipient = make.actor(kind=ActorKind.STATE)
    created = []
    for i in range(n):
        statement = make.statement(
            source=source,
            speaker=speaker,
            tags=[f"tag-{i % 3}", "common"],
            said_on=datetime.date(2023, 9, 1) + datetime.timedelta(days=i % 9),
        )
        statement.recipients.add(recipient)
        statement.events.add(event)
        make.stance(statement, claim, "asserts" if i % 2 else "denies")
        created.append(statement)
    return created


# -- query budgets -------------------------------------------------------------------


@pytest.mark.parametrize("rows", [5, 60])
def test_statement_list_query_budget(client, make, django_assert_num_queries, rows):
    make_statements(make, rows)
    with django_assert_num_queries(STATEMENT_LIST_QUERIES):
        response = client.get("/statements/")
    assert len(page_ids(response)) == min(rows, 50)


@pytest.mark.parametrize("rows", [5, 60])
def test_filtered_and_cursor_pages_keep_the_budget(client, make, django_assert_num_queries, rows):
    speaker = make.actor(slug="speaker-x")
    make_statements(make, rows, speaker=speaker)
    url = "/statements/?speaker=speaker-x&tag=common"
    with django_assert_num_queries(STATEMENT_LIST_FILTERED_QUERIES):
        response = client.get(url)
    assert len(page_ids(response)) == min(rows, 50)
    if rows > 50:
        cached = DATALIST_QUERIES + COUNT_QUERIES + COUNTRY_FACET_QUERIES + PUBLIC_TAG_QUERIES
        with django_assert_num_queries(STATEMENT_LIST_FILTERED_QUERIES - cached):
            second = client.get(next_url(response))
        assert len(page_ids(second)) == rows - 50


@pytest.mark.parametrize("rows", [5, 60])
def test_staff_list_budget(client, make, django_assert_num_queries, rows):
    make_statements(make, rows)
    staff = drafts_reader("ed", password="x" * 16)
    client.force_login(staff)
    with django_assert_num_queries(STATEMENT_LIST_STAFF_QUERIES):
        client.get("/statements/")


@pytest.mark.parametrize("rows", [5, 60])
def test_actor_list_query_budget(client, make, django_assert_num_queries, rows):
    parent = make.actor("Parent state", kind=ActorKind.STATE)
    for i in range(rows):
        actor = make.actor(parent=parent)
        Alias.objects.create(actor=actor, name=f"Alias {i}")
        make.statement(speaker=actor)
    with django_assert_num_queries(ACTOR_LIST_QUERIES):
        response = client.get("/actors/")
    assert response.content.decode().count('class="row actor-row"') == min(rows + 1, 50)


@pytest.mark.parametrize("rows", [5, 60])
def test_claim_list_query_budget(client, make, django_assert_num_queries, rows):
    statement = make.statement()
    for i in range(rows):
        claim = make.claim()
        claim.tags.add(f"t{i % 4}")
        make.stance(statement, claim, "denies")
    with django_assert_num_queries(CLAIM_LIST_QUERIES):
        response = client.get("/claims/")
    body = response.content.decode()
    assert body.count('class="row claim-row"') == min(rows, 50)
    assert body.count('<span class="stance--denies">denied 1</span>') == min(rows, 50)
    assert body.count('<span class="stance--asserts">asserted 0</span>') == min(rows, 50)


@pytest.mark.parametrize("rows", [5, 60])
def test_event_list_query_budget(client, make, django_assert_num_queries, rows):
    actor = make.actor()
    source = make.source()
    from statements.models import EventParticipant

    for i in range(rows):
        event = make.event()
        event.tags.add(f"t{i % 4}")
        event.sources.add(source)
        EventParticipant.objects.create(event=event, actor=actor, role="actor")
    with django_assert_num_queries(EVENT_LIST_QUERIES):
        response = client.get("/events/")
    assert response.content.decode().count('class="row event-row"') == min(rows, 50)


@pytest.mark.parametrize("rows", [5, 60])
def test_tag_list_query_budget_and_counts(client, make, django_assert_num_queries, rows):
    statement = make.statement()
    for i in range(rows):
        statement.tags.add(f"tag{i:03d}")
    make.statement(status=Status.DRAFT, tags=["tag000"])
    with django_assert_num_queries(TAG_LIST_QUERIES):
        response = client.get("/tags/")
    body = response.content.decode()
    assert body.count('<tr><th scope="row">') == min(rows, 50)
    # tag000: one published statement (the draft does not count for the public).
    row = re.search(r"/tags/tag000/.*?</tr>", body, re.S).group(0)
    assert re.findall(r">(\d+)</a></td>", row) == ["1", "0", "0"]


def test_tag_list_counts_are_exact_from_the_tallies(client, make, monkeypatch):
    """A tag on half the archive is counted exactly at the cost of a rare one: the
    count sums the tag's tallies (one row per day), never its links."""
    for _ in range(4):
        make.statement(tags=["busy"])
    make.statement(tags=["quiet"])
    make.statement(status=Status.DRAFT, tags=["quiet"])
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/tags/").content.decode()
    busy = re.search(r"/tags/busy/.*?</tr>", body, re.S).group(0)
    assert re.findall(r">(\d+)</a></td>", busy) == ["4", "0", "0"]
    quiet = re.search(r"/tags/quiet/.*?</tr>", body, re.S).group(0)
    assert re.findall(r">(\d+)</a></td>", quiet) == ["1", "0", "0"]
    assert any("statements_tally" in q["sql"] for q in queries)


def test_a_tag_list_page_is_kept_per_data_version_and_audience(
    client, make, django_assert_num_queries
):
    make.statement(tags=["kept"])
    make.statement(status=Status.DRAFT, tags=["kept"])
    first = client.get("/tags/").content
    with django_assert_num_queries(1):  # the data version; the page's rows are kept
        assert client.get("/tags/").content == first
    row = re.search(r"/tags/kept/.*?</tr>", first.decode(), re.S).group(0)
    assert re.findall(r">(\d+)</a></td>", row)[0] == "1"
    editor = drafts_reader("kept-ed", password="x" * 16)
    staff = client.__class__()
    staff.force_login(editor)
    row = re.search(r"/tags/kept/.*?</tr>", staff.get("/tags/").content.decode(), re.S)
    assert re.findall(r">(\d+)</a></td>", row.group(0))[0] == "2"  # drafts counted
    make.statement(tags=["kept"])  # a write: the next view counts again
    row = re.search(r"/tags/kept/.*?</tr>", client.get("/tags/").content.decode(), re.S)
    assert re.findall(r">(\d+)</a></td>", row.group(0))[0] == "2"


def test_count_is_capped_and_never_unbounded(client, make, monkeypatch):
    make_statements(make, 8)
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/statements/?date_from=2000-01-01")
    assert "Results: more than 5 statements" in response.content.decode()
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 6" in sql for sql in counts)
    monkeypatch.setattr(pagination, "COUNT_CAP", 10_000)
    cache.clear()  # the count is kept per data version; a new cap needs a new count
    assert (
        "Results: 8 statements" in client.get("/statements/?date_from=2000-01-01").content.decode()
    )


def test_unfiltered_speaker_and_single_tag_counts_are_exact_from_the_tallies(
    client, make, monkeypatch
):
    """Such lists read their count from the tallies: exact past the cap, and no
    statement or tag link is counted."""
    speaker = make.actor(slug="busy-speaker")
    for _ in range(7):
        make.statement(speaker=speaker, tags=["common"])
    make.statement(tags=["common", "other"])
    make.statement(speaker=speaker, status=Status.DRAFT, tags=["common"])
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    for url, expected in [
        ("/statements/", 8),
        ("/statements/?speaker=busy-speaker", 7),
        ("/statements/?tag=common", 8),
        ("/statements/?tag=common&sort=said_on", 8),
    ]:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert f"Results: {expected} statements" in html, url
        capped = [q for q in queries if "LIMIT 6" in q["sql"] and "COUNT(" in q["sql"].upper()]
        assert not capped, url
    cache.clear()  # two tags: the capped count
    html = client.get("/statements/?tag=common&tag=other").content.decode()
    assert "Results: 1 statement" in html


def test_a_kept_count_follows_every_write(client, make):
    make_statements(make, 3)
    assert "Results: 3 statements" in client.get("/statements/?tag=common").content.decode()
    assert "Results: 3 statements" in client.get("/statements/?tag=common").content.decode()
    make_statements(make, 2)
    assert "Results: 5 statements" in client.get("/statements/?tag=common").content.decode()
    Statement.objects.order_by("id").first().tags.remove("common")
    assert "Results: 4 statements" in client.get("/statements/?tag=common").content.decode()


# -- pagination -----------------------------------------------------------------------


@pytest.fixture
def corpus(make):
    return build_corpus(make)


def expected_order(**filters) -> list[int]:
    qs = Statement.objects.published().filter(**filters)
    return list(qs.order_by("-said_on", "-id").values_list("pk", flat=True))


def test_walking_cursors_forward_returns_every_row_once(client, corpus):
    expected = expected_order()
    assert len(expected) == 130
    ids = all_list_ids(client, "/statements/")
    assert ids == expected
    oldest_first = all_list_ids(client, "/statements/?sort=said_on")
    assert oldest_first == list(reversed(expected))


def test_walking_back_with_previous_links(client, corpus):
    expected = expected_order()
    response = client.get("/statements/")
    pages = [page_ids(response)]
    while next_url(response):
        response = client.get(next_url(response))
        pages.append(page_ids(response))
    assert len(pages) == 3
    back = []
    while prev_url(response):
        response = client.get(prev_url(response))
        back.insert(0, page_ids(response))
    assert [pk for page in back for pk in page] + pages[-1] == expected


def test_page_numbers_and_links_keep_filters(client, corpus):
    alpha_speech = expected_order(tags__slug="alpha", medium="interview")
    assert len(alpha_speech) > 50
    first = client.get("/statements/?medium=interview&tag=alpha&page=1")
    assert page_ids(first) == alpha_speech[:50]
    link = next_url(first)
    assert "medium=interview" in link and "tag=alpha" in link and "page=" not in link
    assert page_ids(client.get(link)) == alpha_speech[50:]
    body = first.content.decode()
    page_links = re.findall(r'<a href="(\?[^"]*page=\d+[^"]*)">', body)
    assert len(page_links) == 1  # page 2; page 1 is the current one
    assert "medium=interview" in html.unescape(page_links[0])
    all_rows = expected_order()
    second = client.get("/statements/?page=2")
    assert page_ids(second) == all_rows[50:100]
    assert client.get("/statements/?page=4").status_code == 404


def test_tampered_cursor_is_400(client, corpus):
    link = next_url(client.get("/statements/"))
    token = link.split("cursor=")[1]
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.get("/statements/?cursor=" + tampered)
    assert response.status_code == 400
    assert "This page link is damaged or was edited." in response.content.decode()
    # A cursor of the other ordering is refused too.
    reordered = client.get(f"/statements/?sort=said_on&cursor={token}")
    assert reordered.status_code == 400
    assert "another ordering" in reordered.content.decode()


def test_other_lists_paginate_with_cursors(client, make):
    said = make.statement()
    for _ in range(55):
        make.stance(said, make.claim())  # on the public record through a statement
    first = client.get("/claims/")
    link = re.search(r'<a rel="next" href="([^"]+)"', first.content.decode()).group(1)
    second = client.get("/claims/" + html.unescape(link))
    assert second.status_code == 200
    assert second.content.decode().count('class="row claim-row"') == 5


# -- what a row and the page show ----------------------------------------------------


def test_chips_remove_one_value_each(client, corpus):
    response = client.get("/statements/?speaker=blue&speaker=red&tag=alpha&mode=direct")
    body = response.content.decode()
    chips = {
        html.unescape(label): html.unescape(href)
        for href, label in re.findall(r'<a class="chip" href="([^"]+)"[^>]*>(.*?) <span', body)
    }
    assert set(chips) == {
        "Speaker: <bdi>Blue Speaker</bdi>",
        "Speaker: <bdi>Red Army</bdi>",
        "Tags (all): <bdi>alpha</bdi>",
        "Mode: <bdi>Direct quote</bdi>",
    }
    assert chips["Speaker: <bdi>Blue Speaker</bdi>"] == "?speaker=red&tag=alpha&mode=direct"
    assert chips["Tags (all): <bdi>alpha</bdi>"] == "?speaker=blue&speaker=red&mode=direct"


def test_export_link_carries_the_filters(client, corpus):
    body = client.get("/statements/?medium=interview&tag=alpha&page=2").content.decode()
    assert 'href="/statements.csv?medium=interview&amp;tag=alpha"' in body
    for path, csv_path in [
        ("/actors/", "/actors.csv"),
        ("/claims/", "/claims.csv"),
        ("/events/", "/events.csv"),
    ]:
        page = client.get(path + "?q=a").content.decode()
        assert f'href="{csv_path}?q=a"' in page and ">CSV</a>" in page


def test_row_shows_date_precision_speaker_role_mode_tags_and_claims(client, make):
    speaker = make.actor("Nikol Pashinian", slug="nikol-pashinian")
    claim = make.claim("Talks were offered.")
    direct = make.statement(
        speaker=speaker,
        text="We are ready",
        mode="direct",
        speaker_title="Prime Minister",
        said_on=datetime.date(2023, 9, 6),
        date_precision="week",
        tags=["talks"],
    )
    make.stance(direct, claim, "asserts")
    make.statement(
        speaker=speaker,
        text="مرحبا بالعالم",
        mode="indirect",
        said_on=datetime.date(2023, 9, 10),
        date_precision="on_or_before",
    )
    body = client.get("/statements/").content.decode()
    assert "week of 4 Sep 2023" in body and "on or before 10 Sep 2023" in body
    assert 'href="/actors/nikol-pashinian/"' in body and "Prime Minister" in body
    assert "“<bdi>We are ready</bdi>”" in body
    assert "“<bdi>مرحبا" not in body and "<bdi>مرحبا بالعالم</bdi>" in body
    assert 'Asserts</span> <a href="/claims/' in body and "Talks were offered." in body
    assert 'href="?tag=talks" rel="tag"' in body  # a tag narrows the list it is on


def test_drafts_hidden_from_public_and_marked_for_staff(client, corpus):
    draft_ids = {s.pk for s in corpus["drafts"]}
    assert not draft_ids & set(all_list_ids(client, "/statements/"))
    staff = drafts_reader("ed", password="x" * 16)
    client.force_login(staff)
    staff_ids = all_list_ids(client, "/statements/")
    assert draft_ids <= set(staff_ids)
    body = client.get("/statements/?sort=said_on").content.decode()
    assert '<span class="badge draft">Draft</span>' in body
    assert "Unpublished source" in body


def test_empty_result_says_so(client, corpus):
    response = client.get("/statements/?date_from=2030-01-01")
    assert response.status_code == 200
    assert "Results: 0 statements" in response.content.decode()
    assert "No statements match these filters." in response.content.decode()


def test_statement_list_datalists_offer_speakers_and_tags(client, make, django_assert_num_queries):
    speaker = make.actor("Datalist Speaker", slug="datalist-speaker")
    make.statement(speaker=speaker, tags=["truce"])
    body = client.get("/statements/").content.decode()
    assert '<datalist id="speaker-options"><option value="datalist-speaker">' in body
    assert '<option value="truce">truce</option>' in body
    # Cached: a second page renders the same options without asking the database.
    kept = DATALIST_QUERIES + COUNT_QUERIES + COUNTRY_FACET_QUERIES
    with django_assert_num_queries(STATEMENT_LIST_QUERIES - kept):
        again = client.get("/statements/").content.decode()
    assert '<option value="datalist-speaker">Datalist Speaker</option>' in again


def test_statement_row_tag_renders_what_the_row_template_renders(make):
    """The list renders rows with ``{% statement_row %}`` from lean rows (fast); the
    include it replaced, fed ORM rows with prefetches, stays the readable spec: same
    bytes for every kind of row."""
    from django.template.loader import render_to_string

    from statements.templatetags.statement_display import statement_row
    from tests.statements.listing_helpers import AsTemplateSees, rows_both_ways

    orm_rows, fast_rows = rows_both_ways(make)
    for orm, fast in zip(orm_rows, fast_rows, strict=True):
        context = {"statement": AsTemplateSees(orm)}
        expected = render_to_string("includes/statement_row.html", context)
        assert str(statement_row(fast)) == expected.lstrip("\n")  # the include starts with \n


def test_common_and_rare_tag_plans_list_the_same_rows(client, make, monkeypatch):
    """SQLite tests a common tag per row (EXISTS) and a rare one by its links (IN):
    the same rows in the same order either way."""
    from statements.filters import search as filters

    make_statements(make, 12)
    url = "/statements/?tag=common&tag=tag-1"
    as_rare = page_ids(client.get(url))
    monkeypatch.setattr(filters, "COMMON_TAG_LINKS", 1)
    cache.clear()
    as_common = page_ids(client.get(url))
    assert as_rare == as_common and len(as_rare) == 4


def test_a_group_is_paged_keys_first_in_the_same_order(client, corpus):
    """``within`` pages are read keys first (``pagination.paginate(keys_first=True)``):
    the same rows, in the same order, forward and back, as the plain filter gives."""
    blue, green = corpus["speakers"][:2]
    green.parent = blue
    green.save()
    expected = expected_order(speaker__in=[blue, green])
    assert all_list_ids(client, "/statements/?within=blue") == expected
    assert all_list_ids(client, "/statements/?within=blue&sort=said_on") == expected[::-1]
    response = client.get("/statements/?within=blue")
    while next_url(response):
        response = client.get(next_url(response))
    back = page_ids(response)
    while prev_url(response):
        response = client.get(prev_url(response))
        back = page_ids(response) + back
    assert back == expected
    with CaptureQueriesContext(connection) as captured:
        second = client.get("/statements/?within=blue&page=2")
    assert page_ids(second) == expected[50:100]
    rows_query = next(q["sql"] for q in captured if '"statements_statement"."text"' in q["sql"])
    if connection.vendor == "postgresql":  # the keys from one index range per speaker
        assert any("CROSS JOIN LATERAL" in q["sql"] for q in captured)
        assert '"statements_statement"."id" IN (' in rows_query
    else:
        assert '"statements_statement"."id" IN (SELECT' in rows_query


def test_a_tag_list_is_paged_keys_first_in_the_same_order(client, make):
    """A tag's page keys come first (its links, then the covering index by id), the
    page's rows after them: the same rows in the same order, forward and back."""
    make_statements(make, 70)
    expected = expected_order(tags__slug="tag-1")
    assert len(expected) > 20
    assert all_list_ids(client, "/statements/?tag=tag-1") == expected
    assert (
        all_list_ids(client, "/statements/?tag=common")[:60]
        == expected_order(tags__slug="common")[:60]
    )
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/statements/?tag=tag-1")
    assert page_ids(response) == expected[:50]
    rows_query = next(q["sql"] for q in captured if '"statements_statement"."text"' in q["sql"])
    # The page's keys are selected first, in a subquery; the rows query has no LIMIT.
    assert "LIMIT 51" in rows_query and not rows_query.rstrip().endswith("LIMIT 51")
