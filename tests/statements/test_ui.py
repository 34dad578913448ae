"""What the pages show around the rows: tag links that narrow a list, the feed of any
filtered list and the page explaining feeds, the sources list, charts over the whole
span of the data, readable role lines, the phone disclosure, accessibility attributes
and the admin's entry points and span picker."""

from __future__ import annotations

import datetime
import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.db import connection

from actors.models import ActorKind, Role
from statements.charts import MAX_BAR_WIDTH
from statements.models import Status
from tests.conftest import drafts_reader

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ATOM = "{http://www.w3.org/2005/Atom}"

# The filtered feed: the speaker slug lookup, the statements with speaker and source,
# their tags; and on SQLite how common the tag is (filters.tagged_with) plus its lookup.
FILTERED_FEED_QUERIES = 3
FILTERED_FEED_TAG_QUERIES = FILTERED_FEED_QUERIES + 1 + (1 if connection.vendor == "sqlite" else 0)
# Sources: data version, count, rows with their statement counts.
SOURCE_LIST_QUERIES = 3
# The page explaining feeds reads nothing.
FEEDS_PAGE_QUERIES = 0


def decoded(response) -> str:
    return response.content.decode()


def hrefs(body: str, rel: str = "tag") -> list[str]:
    return [html.unescape(h) for h in re.findall(rf'<a href="([^"]*)" rel="{rel}"', body)]


def query_of(href: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(href).query, keep_blank_values=True)


# -- tag links narrow the list they are on -------------------------------------------------


def test_a_tag_on_a_filtered_statement_list_keeps_the_filters(client, make):
    speaker = make.actor("Tag Keeper", slug="tag-keeper")
    make.statement(speaker=speaker, tags=["truce", "talks"], said_on=datetime.date(2023, 9, 8))
    make.statement(speaker=speaker, tags=["truce"], said_on=datetime.date(2023, 9, 9))
    make.statement(tags=["talks"])  # another speaker: dropped by the speaker filter

    body = decoded(client.get("/statements/?speaker=tag-keeper&date_from=2023-09-01&page=1"))
    links = set(hrefs(body))
    assert links == {
        "?speaker=tag-keeper&date_from=2023-09-01&tag=truce",
        "?speaker=tag-keeper&date_from=2023-09-01&tag=talks",
    }
    narrowed = client.get("/statements/?speaker=tag-keeper&date_from=2023-09-01&tag=talks")
    assert narrowed.status_code == 200
    assert decoded(narrowed).count('class="statement statement-row') == 1

    # A tag already chosen adds nothing; the other one adds itself beside it.
    body = decoded(client.get("/statements/?speaker=tag-keeper&tag=truce"))
    assert set(hrefs(body)) == {
        "?speaker=tag-keeper&tag=truce",
        "?speaker=tag-keeper&tag=truce&tag=talks",
    }


def test_tags_on_claim_and_event_lists_keep_the_filters(client, make):
    claim = make.claim("Claim with tags", status="disputed")
    claim.tags.add("lachin")
    make.stance(make.statement(), claim)
    event = make.event("Event with tags", kind="consult")
    event.tags.add("lachin")
    make.statement().events.add(event)

    claims = decoded(client.get("/claims/?status=disputed"))
    assert hrefs(claims) == ["?status=disputed&tag=lachin"]
    events = decoded(client.get("/events/?kind=consult"))
    assert hrefs(events) == ["?kind=consult&tag=lachin"]


# -- the feed of any filtered list ---------------------------------------------------------


def parse_feed(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entry_links(root: ET.Element) -> list[str]:
    return [e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")]


def test_filtered_feed_has_the_lists_rows_published_only_newest_first(
    client, make, django_assert_num_queries
):
    speaker = make.actor("Feed Follower", slug="feed-follower")
    old = make.statement(speaker=speaker, said_on=datetime.date(2023, 9, 1), tags=["truce"])
    new = make.statement(speaker=speaker, said_on=datetime.date(2023, 9, 9), tags=["truce"])
    make.statement(speaker=speaker, said_on=datetime.date(2023, 9, 5))  # no tag
    make.statement(speaker=speaker, status=Status.DRAFT, tags=["truce"], text="Draft words")
    make.statement(tags=["truce"])  # someone else

    with django_assert_num_queries(FILTERED_FEED_TAG_QUERIES):
        response = client.get("/statements.atom?speaker=feed-follower&tag=truce&sort=said_on")
    root = parse_feed(response)
    assert entry_links(root) == [
        f"http://testserver/statements/{new.pk}/",
        f"http://testserver/statements/{old.pk}/",
    ]
    title = root.find(f"{ATOM}title").text
    assert "Speaker: Feed Follower" in title and "Tags (all): truce" in title
    alternate = root.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert query_of(alternate) == [("speaker", "feed-follower"), ("tag", "truce")]
    assert urlsplit(alternate).path == "/statements/"
    author = root.find(f"{ATOM}entry/{ATOM}author/{ATOM}uri").text
    assert author == "http://testserver/actors/feed-follower/"

    with django_assert_num_queries(FILTERED_FEED_QUERIES):
        parse_feed(client.get("/statements.atom?speaker=feed-follower"))


def test_filtered_feed_is_public_whoever_asks(client, make):
    draft_speaker = make.actor("Only In Drafts", slug="only-in-drafts", needs_review=True)
    make.statement(speaker=draft_speaker, status=Status.DRAFT)
    published = make.statement(text="Published words")
    make.statement(status=Status.DRAFT, text="Draft words")
    client.force_login(drafts_reader())
    # A draft-only speaker is unknown to the feed, as to the public list.
    assert client.get("/statements.atom?speaker=only-in-drafts").status_code == 400
    root = parse_feed(client.get("/statements.atom"))
    assert entry_links(root) == [f"http://testserver/statements/{published.pk}/"]
    assert root.find(f"{ATOM}title").text == "All statements"


def test_filtered_feed_rejects_filters_the_list_rejects(client):
    response = client.get("/statements.atom?date_from=yesterday&colour=red")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    text = decoded(response)
    assert "date_from: Enter a date as YYYY-MM-DD." in text and "colour" in text


def test_every_feed_gives_absolute_author_uris(client, make):
    speaker = make.actor("Absolute Author", slug="absolute-author")
    make.statement(speaker=speaker, tags=["abs"])
    for url in ("/statements/feeds/speaker/absolute-author/", "/statements/feeds/tag/abs/"):
        root = parse_feed(client.get(url))
        uris = [u.text for u in root.iter(f"{ATOM}uri")]
        assert uris == ["http://testserver/actors/absolute-author/"], url


def test_list_page_offers_follow_this_search_and_feeds_are_explained(
    client, make, django_assert_num_queries
):
    make.statement(speaker=make.actor(slug="followed"), tags=["truce"])
    body = decoded(client.get("/statements/?speaker=followed&tag=truce&page=1&sort=said_on"))
    (follow,) = re.findall(r'<a class="feed" type="application/atom\+xml" href="([^"]+)">', body)
    follow = html.unescape(follow)
    assert urlsplit(follow).path == "/statements.atom"
    assert query_of(follow) == [("speaker", "followed"), ("tag", "truce")]
    assert ">Follow this search</a>" in body
    assert (
        f'rel="alternate" type="application/atom+xml" title="These statements (Atom feed)" href="{html.escape(follow)}"'
        in body
    )
    assert 'href="/feeds/"' in body
    assert client.get(follow).status_code == 200

    # A list whose filters fail offers no feed.
    assert "Follow this search" not in decoded(client.get("/statements/?speaker=nobody-at-all"))

    with django_assert_num_queries(FEEDS_PAGE_QUERIES):
        page = client.get("/feeds/")
    assert page.status_code == 200
    text = decoded(page)
    for words in (
        "feed reader",
        "A speaker",
        "A tag",
        "A claim",
        "Any search",
        "Published statements only",
    ):
        assert words in text, words
    assert "<script" not in text


def test_detail_pages_label_their_feed_links_and_explain_them(client, make):
    speaker = make.actor(slug="labelled")
    make.statement(speaker=speaker, tags=["lbl"])
    for url in ("/actors/labelled/", "/tags/lbl/"):
        body = decoded(client.get(url))
        assert "Follow (Atom feed)" not in body, url
        assert re.search(r'class="feed" type="application/atom\+xml">Atom feed of ', body), url
        assert 'href="/feeds/"' in body, url


# -- sources -------------------------------------------------------------------------------


def test_sources_list_shows_visible_sources_with_their_statement_counts(
    client, make, django_assert_num_queries
):
    report = make.source(title="Armenpress report", publisher="Armenpress", language="hy")
    make.statement(source=report)
    make.statement(source=report)
    make.statement(source=report, status=Status.DRAFT)
    make.source(title="Old wire", publisher="Reuters", published_on=datetime.date(2020, 1, 2))
    make.source(title="Unpublished memo", status=Status.DRAFT)

    with django_assert_num_queries(SOURCE_LIST_QUERIES):
        response = client.get("/sources/")
    body = decoded(response)
    assert response.status_code == 200
    assert "Results: 2 sources" in body
    assert "Armenpress report" in body and "Old wire" in body and "Unpublished memo" not in body
    assert body.index("Armenpress report") < body.index("Old wire")  # newest first
    assert f'href="/statements/?source={report.pk}">2</a>' in body
    assert "<td>Armenpress</td>" in body.replace("<bdi>", "").replace("</bdi>", "")
    assert 'href="/sources/"' in decoded(client.get("/"))  # in the main navigation

    client.force_login(drafts_reader())
    staff = decoded(client.get("/sources/"))
    assert "Unpublished memo" in staff and "Results: 3 sources" in staff
    assert f'href="/statements/?source={report.pk}">3</a>' in staff


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("q=armenpress", ["Armenpress report"]),
        ("q=REUTERS", ["Old wire"]),
        ("date_to=2021-01-01", ["Old wire"]),
        ("date_from=2023-01-01&date_to=2023-12-31", ["Armenpress report"]),
        ("language=hy", ["Armenpress report"]),
        ("language=HY", ["Armenpress report"]),
        ("language=fr", []),
    ],
)
def test_sources_list_filters(client, make, query, titles):
    make.source(title="Armenpress report", publisher="Armenpress", language="hy")
    make.source(title="Old wire", publisher="Reuters", published_on=datetime.date(2020, 1, 2))
    body = decoded(client.get(f"/sources/?{query}"))
    shown = [t for t in ("Armenpress report", "Old wire") if t in body]
    assert shown == titles
    if not titles:
        assert "No sources match these filters." in body


def test_sources_list_rejects_bad_filters_beside_the_field(client):
    response = client.get("/sources/?language=<script>&date_from=2023-13-01")
    assert response.status_code == 400
    body = decoded(response)
    assert 'id="id_language_error"' in body and "A language is a code" in body
    assert 'id="id_date_from_error"' in body


def test_sources_list_pages_keep_the_filters(client, make):
    for i in range(60):
        make.source(title=f"Wire {i}", publisher="Wire", published_on=datetime.date(2023, 1, 1))
    body = decoded(client.get("/sources/?q=wire"))
    assert "Results: 60 sources" in body
    (next_href,) = re.findall(r'<a rel="next" href="([^"]+)"', body)
    assert "q=wire" in html.unescape(next_href)
    second = decoded(client.get("/sources/" + html.unescape(next_href)))
    assert second.count('<tr><th scope="row">') == 10


# -- charts over the whole span of the data ----------------------------------------------


def test_overview_chart_covers_every_statement_however_old(client, make):
    for day in (datetime.date(2023, 9, 4), datetime.date(2023, 9, 10), datetime.date(2026, 6, 1)):
        make.statement(said_on=day)
    body = decoded(client.get("/"))
    assert "3 in all" in body
    assert "2023" in re.search(r"<desc[^>]*>([^<]*)</desc>", body).group(1)
    assert "each bar is one week" in body
    assert "Statements per week" in body


def test_a_one_week_actor_chart_is_a_slim_bar_not_a_wall(client, make):
    speaker = make.actor(slug="one-week")
    make.statement(speaker=speaker, said_on=datetime.date(2023, 9, 5))
    make.statement(speaker=speaker, said_on=datetime.date(2023, 9, 7))
    body = decoded(client.get("/actors/one-week/"))
    (width,) = re.findall(r'<rect class="bar" x="[0-9.]+" y="[0-9.]+" width="([0-9.]+)"', body)
    assert float(width) <= MAX_BAR_WIDTH
    assert "week of 4 Sep 2023: 2 statements" in body


# -- role lines and the focused span ---------------------------------------------------------


def test_role_lines_say_title_organisation_and_period_once(client, make):
    ministry = make.actor(
        "Ministry of Foreign Affairs of Azerbaijan", slug="mfa-az", kind=ActorKind.ORGANIZATION
    )
    minister = make.actor("Jeyhun Bayramov", slug="jeyhun-bayramov")
    Role.objects.create(
        actor=minister,
        title="Minister of Foreign Affairs of Azerbaijan",
        organization=ministry,
        start_date=datetime.date(2020, 7, 16),
    )
    Role.objects.create(
        actor=minister,
        title="Deputy Minister of Education",
        start_date=datetime.date(2018, 4, 1),
        end_date=datetime.date(2020, 7, 15),
    )
    body = decoded(client.get("/actors/jeyhun-bayramov/"))
    roles = re.search(r'<ol class="roles">(.*?)</ol>', body, re.S).group(1)
    text = re.sub(
        r"\s+",
        " ",
        re.sub(r"<[^>]+>", "", roles.replace('<span class="visually-hidden">, </span>', "")),
    ).strip()
    assert "(Jeyhun Bayramov)" not in text
    assert (
        "Minister of Foreign Affairs · Ministry of Foreign Affairs of Azerbaijan · since 16 Jul 2020"
        in text
    )
    assert "Deputy Minister of Education · 1 Apr 2018 – 15 Jul 2020" in text


def test_focused_span_has_its_own_highlight():
    css = (ROOT / "static" / "css" / "tracker.css").read_text()
    rules = re.findall(r"([^{}]*a\.span-start:target[^{}]*)\{([^}]*)\}", css)
    selectors = " ".join(selector for selector, _ in rules)
    assert "a.span-start:target + mark.span" in selectors
    assert any("background" in body for _, body in rules)


# -- phone layout and accessibility ----------------------------------------------------------


def test_filters_fold_into_a_disclosure_opened_when_a_filter_fails(client, make):
    make.statement()
    body = decoded(client.get("/statements/"))
    form = re.search(r'<form method="get" action="" class="filters".*?</form>', body, re.S).group(0)
    assert '<details class="filter-disclosure">' in form and "<summary>Filters" in form
    assert re.search(r'</details>\s*<div class="filter-body">\s*<div class="filter-fields">', form)
    assert body.index('class="list-filters"') < body.index('class="list-results"')
    assert "{#" not in body and "{% comment" not in body
    failing = decoded(client.get("/statements/?date_from=2023-02-30"))
    assert '<details class="filter-disclosure" open>' in failing
    css = (ROOT / "static" / "css" / "tracker.css").read_text()
    assert "details.filter-disclosure:not([open]) + .filter-body { display: none; }" in css


def test_invalid_fields_are_marked_and_described_by_their_error(client):
    response = client.get(
        "/statements/?speaker=no-such-actor&date_from=2023-09-10&date_to=2023-09-01"
    )
    assert response.status_code == 400
    body = decoded(response)
    for name in ("speaker", "date_to"):
        field = re.search(rf'<input[^>]*id="id_{name}"[^>]*>', body).group(0)
        assert 'aria-invalid="true"' in field, field
        assert f'aria-describedby="id_{name}_error"' in field, field
        assert f'<p class="error" id="id_{name}_error" role="alert">' in body
    valid = re.search(r'<input[^>]*id="id_date_from"[^>]*>', body).group(0)
    assert "aria-invalid" not in valid


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_focus_ring_contrasts_at_least_three_to_one_with_white():
    css = (ROOT / "static" / "css" / "tracker.css").read_text()
    focus = re.search(r"--focus:\s*(#[0-9a-fA-F]{6})", css).group(1)
    assert "outline: 3px solid var(--focus)" in css
    ratio = (1.05) / (_luminance(focus) + 0.05)
    assert ratio >= 3, ratio
    assert "#f5a623" not in css.lower()


# -- admin -----------------------------------------------------------------------------------


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("span-editor", is_staff=True)
    wanted = ["add_source", "add_statement", "change_statement", "view_statement", "view_source"]
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="statements", codename__in=wanted)
    )
    return user


def test_admin_links_to_the_review_flow(client, editor, django_user_model):
    client.force_login(editor)
    for url in ("/admin/", "/admin/statements/statement/"):
        body = decoded(client.get(url))
        assert (
            '<a href="/admin/review/sources/new/" class="addlink">Review a new source</a>' in body
        ), url
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_statement"))
    client.force_login(viewer)
    assert "Review a new source" not in decoded(client.get("/admin/"))


def test_statement_form_offers_the_span_picker_without_inline_script(client, editor, make):
    source = make.source(body="First line.\nThe minister said “we are ready” on Sunday. <b>")
    statement = make.statement(source=source, span_start=12, span_end=30)
    client.force_login(editor)
    response = client.get(f"/admin/statements/statement/{statement.pk}/change/")
    body = decoded(response)
    assert response.status_code == 200
    assert '<script src="/static/js/span_select.js" defer></script>' in body
    assert "{#" not in body and "{% comment" not in body
    assert 'id="span-picker" hidden data-saved-start="12" data-saved-end="30"' in body
    data = re.search(
        r'<script id="span-source-body" type="application/json">(.*?)</script>', body, re.S
    )
    assert data and "\\u003Cb\\u003E" in data.group(1)  # the body as JSON data, escaped
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", body)
    assert scripts == [], scripts
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert (
        "unsafe-inline"
        not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )
    js = (ROOT / "static" / "js" / "span_select.js").read_text()
    assert "eval(" not in js and "innerHTML" not in js

    # A new statement has no source yet: no picker, the offsets are typed.
    assert "span-picker" not in decoded(client.get("/admin/statements/statement/add/"))
