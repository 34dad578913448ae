"""Detail pages: what a reader sees, what is hidden, and a pinned query budget each."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from taggit.models import Tag

from actors.models import Actor, Alias, Role
from statements.models import EventParticipant, Statement, Status

pytestmark = pytest.mark.django_db

# Query budgets for an anonymous visitor (no session, no user lookup).
# statement+speaker+source, tags, recipients, events, stances, roles, its history (corrections)
STATEMENT_DETAIL_QUERIES = 7
ACTOR_DETAIL_QUERIES = 15  # actor, roles, latest 50 (+ their tags, stances), roles-at-time,
# data version, totals, stance counts, co-speakers, recipients, weekly chart, aliases, children,
# its group (parent links, posts held in it)
MEMBERS_COUNT_QUERIES = 1  # an actor with members: the capped count with them
CLAIM_DETAIL_QUERIES = 8  # claim, tags, data version, per side (asserts/denies/questions):
# first 100 stances+statements+speakers+sources; each side's total; roles
EVENT_DETAIL_QUERIES = 9  # event, tags, participants, sources, statements (+ tags, stances),
# count, roles
# SQLite asks how common the tag is before choosing its plan (filters.tagged_with).
TAG_PROBE_QUERIES = 1 if connection.vendor == "sqlite" else 0
TAG_DETAIL_QUERIES = 9 + TAG_PROBE_QUERIES  # tag, latest 50 (+ tags, stances), roles, data
# version, count, claims, events
SOURCE_DETAIL_QUERIES = 3  # source, statements+speakers, roles

BODY = (
    "Opening line of the report.\n\n"
    "The minister said the border is calm and nothing will change. "
    "Her deputy added that talks would resume.\n"
    "Last line."
)


def rich_actor(make, n: int) -> Actor:
    """An actor with ``n`` statements, each tagged, with a stance, recipients, an event,
    co-speakers in the same source and roles — so an N+1 query would show."""
    actor = make.actor("Rich Speaker", slug="rich-speaker")
    Role.objects.create(actor=actor, title="Minister", start_date=datetime.date(2020, 1, 1))
    Alias.objects.create(actor=actor, name="R. Speaker")
    make.actor("Sub body", parent=actor)
    claim_a, claim_b = make.claim("First claim"), make.claim("Second claim")
    event = make.event()
    for i in range(n):
        source = make.source()
        said_on = datetime.date(2023, 1, 2) + datetime.timedelta(weeks=i % 12, days=i % 5)
        s = make.statement(
            source=source, speaker=actor, tags=[f"tag{i % 4}", "shared"], said_on=said_on
        )
        s.recipients.add(make.actor(f"Recipient {i}"), make.actor(f"Other recipient {i}"))
        s.events.add(event)
        make.stance(s, claim_a, "asserts" if i % 2 else "denies")
        make.stance(s, claim_b, "questions")
        make.statement(source=source, speaker=make.actor(f"Co {i}"))
    return actor


@pytest.fixture
def staff(django_user_model):
    """Staff allowed to view statements: the drafts audience."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        username="editor", password="a-long-enough-password", is_staff=True
    )
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="statements", codename="view_statement")
    )
    return user


def text_of(response) -> str:
    return response.content.decode()


# --- statement -------------------------------------------------------------------------


def test_statement_page_shows_speaker_role_date_mode_excerpt_and_cite_line(client, make):
    source = make.source(body=BODY, title="Border report", publisher="Daily Wire Service")
    minister = make.actor("Ana Minister")
    Role.objects.create(
        actor=minister, title="Foreign Minister", start_date=datetime.date(2022, 1, 1)
    )
    start = BODY.index("the border is calm")
    s = make.statement(
        source=source,
        speaker=minister,
        text="the border is calm",
        mode="direct",
        span_start=start,
        span_end=start + len("the border is calm"),
        said_on=datetime.date(2023, 9, 10),
        date_precision="on_or_before",
        medium="press_conference",
    )
    s.recipients.add(make.actor("Listener State"))
    claim = make.claim("The border is calm")
    make.stance(s, claim, "asserts")

    response = client.get(f"/statements/{s.pk}/")
    html = text_of(response)
    assert response.status_code == 200
    assert "<title>Ana Minister: the border is calm · Statement Tracker</title>" in html
    assert "Foreign Minister" in html  # role at the time, from Role
    assert "on or before 10 Sep 2023" in html
    assert 'class="badge mode mode--direct">Direct quote<' in html
    assert "Press conference" in html
    assert "Listener State" in html
    assert f'href="/claims/{claim.pk}/"' in html and ">Asserts<" in html
    assert "<mark>the border is calm</mark>" in html
    assert "Opening line of the report." in html  # context before the span
    assert f'href="/sources/{source.pk}/#s{s.pk}"' in html
    cite = re.search(r'<p class="citation".*?</p>', html, re.S).group(0)
    assert "Ana Minister" in cite and "Border report" in cite and "Daily Wire Service" in cite
    assert f"http://testserver/statements/{s.pk}/" in cite
    assert 'aria-current="page"' in html  # breadcrumbs


def test_statement_speaker_title_wins_over_role_and_paraphrase_is_plain(client, make):
    s = make.statement(speaker_title="Acting envoy", mode="indirect")
    html = text_of(client.get(f"/statements/{s.pk}/"))
    assert "Acting envoy" in html
    assert 'class="text paraphrase lead"' in html and '<blockquote class="text quote' not in html
    assert ">Paraphrase<" in html


def test_statement_excerpt_is_cut_around_the_span(client, make):
    body = "a" * 1000 + "SPAN" + "b" * 1000
    s = make.statement(source=make.source(body=body), text="SPAN", span_start=1000, span_end=1004)
    html = text_of(client.get(f"/statements/{s.pk}/"))
    excerpt = re.search(r'<blockquote class="excerpt".*?</blockquote>', html, re.S).group(0)
    assert "…" + "a" * 300 + "<mark>SPAN</mark>" + "b" * 300 + "…" in excerpt
    assert "a" * 301 not in excerpt


def test_hostile_text_is_escaped_everywhere(client, make):
    hostile = '<script>alert("x")</script>'
    body = f"Intro. {hostile} and more.\n<b>bold</b>"
    source = make.source(body=body, title=f"Title {hostile}")
    actor = make.actor(f"Evil {hostile}", slug="evil")
    start = body.index(hostile)
    s = make.statement(
        source=source,
        speaker=actor,
        text=hostile,
        mode="direct",
        span_start=start,
        span_end=start + len(hostile),
        tags=["<img src=x onerror=alert(1)>"],
    )
    claim = make.claim(f"Claim {hostile}")
    make.stance(s, claim)
    tag = Tag.objects.get()
    for url in [
        f"/statements/{s.pk}/",
        "/actors/evil/",
        f"/claims/{claim.pk}/",
        f"/sources/{source.pk}/",
        f"/tags/{tag.slug}/",
        "/",
    ]:
        html = text_of(client.get(url))
        assert "<script>" not in html, url
        assert "&lt;script&gt;" in html, url
        assert "<img src=x" not in html, url
    assert "&lt;b&gt;bold&lt;/b&gt;" in text_of(client.get(f"/sources/{source.pk}/"))


def test_statement_query_budget(client, make, django_assert_num_queries):
    s = make.statement(tags=["a", "b", "c"])
    s.recipients.add(*(make.actor() for _ in range(5)))
    s.events.add(*(make.event() for _ in range(4)))
    for _ in range(5):
        make.stance(s, make.claim())
    with django_assert_num_queries(STATEMENT_DETAIL_QUERIES):
        assert client.get(f"/statements/{s.pk}/").status_code == 200


def test_unknown_and_draft_statements_are_404_for_the_public(client, make):
    draft = make.statement(status=Status.DRAFT)
    hidden_source = make.source(status=Status.DRAFT)
    in_draft_source = make.statement(source=hidden_source)
    discarded = make.statement(status=Status.DISCARDED)
    assert client.get("/statements/999999/").status_code == 404
    for s in (draft, in_draft_source, discarded):
        assert client.get(f"/statements/{s.pk}/").status_code == 404
    response = client.get(f"/statements/{draft.pk}/")
    assert "Not found" in text_of(response)


def test_staff_see_drafts_marked_as_such(client, make, staff):
    draft = make.statement(status=Status.DRAFT)
    discarded = make.statement(status=Status.DISCARDED)
    client.force_login(staff)
    html = text_of(client.get(f"/statements/{draft.pk}/"))
    assert "Not public." in html
    assert "This statement is a draft" in html
    assert client.get(f"/statements/{discarded.pk}/").status_code == 404


# --- actor -----------------------------------------------------------------------------


def test_actor_page_shows_roles_aliases_chart_claims_co_speakers_recipients(client, make):
    actor = rich_actor(make, 6)
    html = text_of(client.get("/actors/rich-speaker/"))
    assert "<title>Rich Speaker · Statement Tracker</title>" in html
    assert "Minister" in html and "R. Speaker" in html and "Sub body" in html
    assert html.count('class="bar"') == 6  # six distinct weeks, no gaps
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in html
    claims = re.search(r'id="claims-asserts-h".*?</section>', html, re.S).group(0)
    assert "First claim" in claims and "3 statements" in claims
    denied = re.search(r'id="claims-denies-h".*?</section>', html, re.S).group(0)
    assert "First claim" in denied and "Second claim" not in denied
    assert "Claims questioned" in html
    assert "Co 0" in html and "1 source" in html
    assert "Recipient 0" in html
    assert html.count('<article class="statement') == 6
    assert "/statements/?speaker=rich-speaker" in html
    assert "/statements/feeds/speaker/rich-speaker/" in html
    assert actor.statements.count() == 6


def test_actor_page_caps_statements_and_links_to_the_list(client, make):
    actor = make.actor(slug="busy")
    source = make.source()
    for i in range(55):
        make.statement(
            source=source,
            speaker=actor,
            said_on=datetime.date(2023, 1, 1) + datetime.timedelta(days=i),
        )
    html = text_of(client.get("/actors/busy/"))
    assert html.count('<article class="statement') == 50
    assert "See all 55 statements" in html
    assert ">1 Jan 2023<" not in html.split('id="statements-h"')[1]  # oldest ones cut off


def test_actor_query_count_does_not_grow_with_statements(client, make, django_assert_num_queries):
    rich_actor(make, 3)  # with a sub-body: a member
    with django_assert_num_queries(ACTOR_DETAIL_QUERIES + MEMBERS_COUNT_QUERIES):
        client.get("/actors/rich-speaker/")
    Actor.objects.filter(slug="rich-speaker").update(slug="rich-3")
    rich_actor(make, 30)
    with django_assert_num_queries(ACTOR_DETAIL_QUERIES + MEMBERS_COUNT_QUERIES):
        response = client.get("/actors/rich-speaker/")
    assert text_of(response).count('<article class="statement') == 30


def test_actor_page_counts_only_published_statements(client, make):
    actor = make.actor(slug="quiet")
    make.statement(speaker=actor, status=Status.DRAFT, text="secret draft words")
    html = text_of(client.get("/actors/quiet/"))
    assert "secret draft words" not in html
    assert "No published statements by" in html
    assert "No statements to chart yet." in html
    assert client.get("/actors/nobody-here/").status_code == 404


# --- claim -----------------------------------------------------------------------------


def test_claim_page_two_sides_in_date_order(client, make):
    claim = make.claim("The dam will be opened")
    late = make.statement(speaker=make.actor("Late Asserter"), said_on=datetime.date(2023, 9, 12))
    early = make.statement(
        speaker=make.actor("Early Asserter"),
        said_on=datetime.date(2023, 9, 1),
        date_precision="week",
    )
    denier = make.statement(speaker=make.actor("The Denier"))
    draft = make.statement(speaker=make.actor("Draft Person"), status=Status.DRAFT)
    for s, stance in [
        (late, "asserts"),
        (early, "asserts"),
        (denier, "denies"),
        (draft, "asserts"),
    ]:
        make.stance(s, claim, stance)
    html = text_of(client.get(f"/claims/{claim.pk}/"))
    asserts = re.search(r'id="asserts-h".*?</section>', html, re.S).group(0)
    denies = re.search(r'id="denies-h".*?</section>', html, re.S).group(0)
    assert asserts.index("Early Asserter") < asserts.index("Late Asserter")
    assert "week of 28 Aug 2023" in asserts
    assert "The Denier" in denies and "Asserter" not in denies
    assert "Draft Person" not in html
    assert f'href="/statements/{denier.pk}/"' in denies
    assert client.get("/claims/999999/").status_code == 404


def test_claim_query_budget(client, make, django_assert_num_queries):
    claim = make.claim()
    claim.tags.add("x", "y")
    for i in range(20):
        make.stance(make.statement(), claim, ["asserts", "denies", "questions"][i % 3])
    with django_assert_num_queries(CLAIM_DETAIL_QUERIES):
        html = text_of(client.get(f"/claims/{claim.pk}/"))
    assert len(re.findall(r'href="/statements/\d+/"', html)) == 20


def test_claim_side_shows_the_first_stances_and_links_to_the_rest(client, make, monkeypatch):
    from statements.selectors import pages

    monkeypatch.setattr(pages, "SIDE_LIMIT", 2)
    claim = make.claim("Busy claim")
    for i in range(3):
        s = make.statement(
            speaker=make.actor(f"Asserter {i}"), said_on=datetime.date(2023, 9, 1 + i)
        )
        make.stance(s, claim, "asserts")
    make.stance(make.statement(speaker=make.actor("Lone Denier")), claim, "denies")
    html = text_of(client.get(f"/claims/{claim.pk}/"))
    asserts = re.search(r'id="asserts-h".*?</section>', html, re.S).group(0)
    assert 'Who asserts <span class="count">(3)</span>' in asserts  # exact, from the tallies
    assert "Asserter 0" in asserts and "Asserter 1" in asserts and "Asserter 2" not in asserts
    assert f"/statements/?claim={claim.pk}&amp;stance=asserts" in asserts
    assert "all of them in the filterable list" in asserts
    denies = re.search(r'id="denies-h".*?</section>', html, re.S).group(0)
    assert "Lone Denier" in denies and "filterable list" not in denies


def test_actor_and_tag_counts_are_exact_past_the_list_cap(client, make, monkeypatch):
    """An actor's and a tag's totals come from the tallies the database keeps, so they
    are exact however far past the lists' count cap they go."""
    from statements import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    actor = make.actor(slug="capped")
    for i in range(5):
        make.statement(speaker=actor, tags=["busy"], said_on=datetime.date(2023, 1, 2 + i))
    make.statement(speaker=actor, tags=["busy"], status=Status.DRAFT)
    html = text_of(client.get("/actors/capped/"))
    assert "All 5 statements" in html
    assert "from 2 Jan 2023 to 6 Jan 2023" in html
    assert "All 5 statements with this tag" in text_of(client.get("/tags/busy/"))


# --- event -----------------------------------------------------------------------------


def test_event_page_participants_by_role_statements_and_sources(
    client, make, django_assert_num_queries
):
    event = make.event(
        "Summit talks", location="Geneva", mode="in person", end_date=datetime.date(2023, 9, 11)
    )
    event.tags.add("diplomacy")
    for i in range(6):
        EventParticipant.objects.create(event=event, actor=make.actor(f"Host {i}"), role="actor")
        EventParticipant.objects.create(
            event=event, actor=make.actor(f"Guest {i}"), role="recipient"
        )
    for i in range(12):
        s = make.statement(tags=["t1", "t2"], speaker=make.actor(f"Speaker {i}"))
        s.events.add(event)
        make.stance(s, make.claim())
        event.sources.add(s.source)
    event.sources.add(make.source(status=Status.DRAFT, title="Hidden source"))
    with django_assert_num_queries(EVENT_DETAIL_QUERIES):
        html = text_of(client.get(f"/events/{event.pk}/"))
    assert "Geneva" in html and "9 Sep 2023" in html and "11 Sep 2023" in html
    participants = re.search(r'<dl class="participants">.*?</dl>', html, re.S).group(0)
    assert participants.index("<dt>Actors</dt>") < participants.index("Host 0")
    assert participants.index("<dt>Recipients</dt>") < participants.index("Guest 0")
    assert html.count('<article class="statement') == 12
    assert "Hidden source" not in html
    assert "diplomacy" in html
    assert client.get("/events/999999/").status_code == 404


# --- tag -------------------------------------------------------------------------------


def test_tag_page_statements_claims_events(client, make, django_assert_num_queries):
    for i in range(8):
        s = make.statement(tags=["ceasefire", f"other{i}"], speaker=make.actor(f"S{i}"))
        s.recipients.add(make.actor())
        make.stance(s, make.claim())
    make.statement(tags=["ceasefire"], status=Status.DRAFT, text="Draft words here")
    claim = make.claim("Tagged claim")
    claim.tags.add("ceasefire")
    event = make.event("Tagged event")
    event.tags.add("ceasefire")
    untagged = make.claim("Untagged claim")
    said = make.statement(tags=["other"])
    make.stance(said, claim)  # both claims and the event are on the public record
    make.stance(said, untagged)
    said.events.add(event)
    with django_assert_num_queries(TAG_DETAIL_QUERIES):
        html = text_of(client.get("/tags/ceasefire/"))
    assert html.count('<article class="statement') == 8
    assert "Draft words here" not in html
    assert "Tagged claim" in html and "Untagged claim" not in html
    assert "Tagged event" in html
    assert "/statements/?tag=ceasefire" in html
    assert client.get("/tags/no-such-tag/").status_code == 404


# --- source ----------------------------------------------------------------------------


def test_source_highlights_every_span_with_anchor_and_link(client, make, django_assert_num_queries):
    source = make.source(body=BODY)
    outer_start = BODY.index("The minister")
    outer_end = BODY.index("Her deputy") - 1
    inner_start = BODY.index("the border is calm")
    inner_end = inner_start + len("the border is calm")
    overlap_start = BODY.index("nothing will change")
    overlap_end = BODY.index("talks would") + len("talks would")
    outer = make.statement(
        source=source, span_start=outer_start, span_end=outer_end, text=BODY[outer_start:outer_end]
    )
    inner = make.statement(
        source=source, span_start=inner_start, span_end=inner_end, text=BODY[inner_start:inner_end]
    )
    overlap = make.statement(
        source=source,
        span_start=overlap_start,
        span_end=overlap_end,
        text=BODY[overlap_start:overlap_end],
    )
    hidden = make.statement(source=source, span_start=0, span_end=7, status=Status.DRAFT)
    with django_assert_num_queries(SOURCE_DETAIL_QUERIES):
        html = text_of(client.get(f"/sources/{source.pk}/"))
    body = re.search(r'<article class="source-body".*?</article>', html, re.S).group(0)
    for s in (outer, inner, overlap):
        assert body.count(f'id="s{s.pk}"') == 1
        assert f'href="/statements/{s.pk}/"' in body
    assert f'id="s{hidden.pk}"' not in html
    # The nested span is marked with both statements, and linked to the inner one.
    assert (
        f'data-statements="s{outer.pk} s{inner.pk}"><a href="/statements/{inner.pk}/">'
        "the border is calm</a>"
    ) in body
    # The overlap's first part is covered by outer and overlap; its tail by overlap only.
    assert (
        f'data-statements="s{outer.pk} s{overlap.pk}"><a href="/statements/{overlap.pk}/">nothing will change'
        in body
    )
    assert (
        f'data-statements="s{overlap.pk}"><a href="/statements/{overlap.pk}/"> Her deputy added that talks would</a>'
        in body
    )
    # Newlines become paragraphs; text outside spans is untouched.
    assert body.count("<p>") == 3
    assert "<p>Opening line of the report.</p>" in body
    assert "<p>Last line.</p>" in body


def test_source_query_count_does_not_grow(client, make, django_assert_num_queries):
    source = make.source(body="word " * 400)
    for i in range(40):
        make.statement(
            source=source, span_start=i * 10, span_end=i * 10 + 25, speaker=make.actor(f"P{i}")
        )
    with django_assert_num_queries(SOURCE_DETAIL_QUERIES):
        html = text_of(client.get(f"/sources/{source.pk}/"))
    assert len(re.findall(r'id="s\d+"', html)) == 40


def test_unpublished_source_is_404_for_public_and_marked_for_staff(client, make, staff):
    source = make.source(status=Status.DRAFT, title="Internal memo")
    assert client.get(f"/sources/{source.pk}/").status_code == 404
    assert client.get("/sources/999999/").status_code == 404
    client.force_login(staff)
    html = text_of(client.get(f"/sources/{source.pk}/"))
    assert "Internal memo" in html and "Not public." in html


def test_staff_see_draft_spans_marked_in_source(client, make, staff):
    source = make.source()
    draft = make.statement(source=source, status=Status.DRAFT)
    assert f'id="s{draft.pk}"' not in text_of(client.get(f"/sources/{source.pk}/"))
    client.force_login(staff)
    html = text_of(client.get(f"/sources/{source.pk}/"))
    assert f'class="span-start is-draft" id="s{draft.pk}"' in html


# --- the seed report -------------------------------------------------------------------


def test_seed_landmine_claim_shows_both_sides(client, seed):
    from statements.models import Claim

    claim = Claim.objects.get(slug="landmine-planted-by-karabakh-armenian-forces")
    html = text_of(client.get(f"/claims/{claim.pk}/"))
    asserts = re.search(r'id="asserts-h".*?</section>', html, re.S).group(0)
    denies = re.search(r'id="denies-h".*?</section>', html, re.S).group(0)
    assert "Ministry of Defence of Azerbaijan" in asserts
    assert "Nagorno-Karabakh Defence Army" in denies
    assert "Ministry of Defence" not in denies


def test_seed_source_highlights_all_twelve_statements(client, seed):
    from statements.models import Source

    source = Source.objects.get()
    html = text_of(client.get(f"/sources/{source.pk}/"))
    ids = Statement.objects.published().values_list("pk", flat=True)
    assert len(ids) == 12
    for pk in ids:
        assert f'id="s{pk}"' in html and f'href="/statements/{pk}/"' in html


def test_seed_blinken_page(client, seed):
    html = text_of(client.get("/actors/antony-blinken/"))
    assert html.count('<article class="statement') == 3
    assert "on or before 10 Sep 2023" in html
    blinken = Actor.objects.get(slug="antony-blinken")
    s = blinken.statements.order_by("span_start").first()
    page = text_of(client.get(f"/statements/{s.pk}/"))
    assert "Direct quote" in page and "on or before 10 Sep 2023" in page


# --- every page --------------------------------------------------------------------------


def test_pages_have_title_breadcrumbs_and_no_inline_script_or_style(client, make):
    s = make.statement(tags=["cs"], mode="mixed")
    claim = make.claim()
    make.stance(s, claim)
    event = make.event()
    s.events.add(event)
    pages = [
        f"/statements/{s.pk}/",
        s.speaker.get_absolute_url(),
        f"/claims/{claim.pk}/",
        f"/events/{event.pk}/",
        "/tags/cs/",
        f"/sources/{s.source_id}/",
        "/",
    ]
    for url in pages:
        response = client.get(url)
        html = text_of(response)
        assert response.status_code == 200, url
        assert re.search(r"<title>[^<]+ · Statement Tracker</title>", html), url
        assert "<script" not in html, url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert 'name="q"' in html and 'action="/statements/"' in html, url
        if url != "/":
            assert 'aria-label="Breadcrumb"' in html and 'aria-current="page"' in html, url


def test_staff_see_draft_stances_marked_on_claim_page(client, make, staff):
    claim = make.claim()
    draft = make.statement(status=Status.DRAFT, speaker=make.actor("Drafty"))
    make.stance(draft, claim, "denies")
    assert "Drafty" not in text_of(client.get(f"/claims/{claim.pk}/"))
    client.force_login(staff)
    denies = re.search(
        r'id="denies-h".*?</section>', text_of(client.get(f"/claims/{claim.pk}/")), re.S
    ).group(0)
    assert "Drafty" in denies and '<span class="badge draft">Draft</span>' in denies


def test_statement_excerpt_cuts_at_word_boundaries(client, make):
    words = " ".join(f"w{i}" for i in range(400))
    body = words + " SPAN " + words
    start = body.index("SPAN")
    s = make.statement(
        source=make.source(body=body), text="SPAN", span_start=start, span_end=start + 4
    )
    html = text_of(client.get(f"/statements/{s.pk}/"))
    excerpt = re.search(r'<blockquote class="excerpt".*?</blockquote>', html, re.S).group(0)
    before, after = re.search(r"<p>…(.*)<mark>SPAN</mark>(.*)…</p>", excerpt, re.S).groups()
    assert before.split()[0] in words.split() and after.split()[-1] in words.split()
    assert 250 < len(before) <= 300 and 250 < len(after) <= 300


@pytest.mark.parametrize("show_speaker", [True, False])
def test_statement_card_tag_renders_what_the_card_template_renders(make, show_speaker):
    """Detail pages render cards with ``{% statement_card %}`` from lean rows (fast); the
    include it replaced, fed ORM rows with prefetches, stays the readable spec: same
    bytes for every kind of card."""
    from django.template.loader import render_to_string

    from statements.templatetags.statement_display import statement_card
    from tests.statements.listing_helpers import AsTemplateSees, rows_both_ways

    orm_rows, fast_rows = rows_both_ways(make)
    for orm, fast in zip(orm_rows, fast_rows, strict=True):
        context = {"s": AsTemplateSees(orm), "show_speaker": show_speaker}
        expected = render_to_string("includes/statement_card.html", context)
        assert str(statement_card(fast, show_speaker)) == expected


def test_stance_items_render_what_the_stance_template_renders(make):
    """Claim pages render each side with ``stance_items`` (fast); the include it
    replaced stays the readable spec: the same bytes for every kind of stance, drafts,
    roles and hostile text included."""
    from django.template.loader import render_to_string

    from statements.models import Stance
    from statements.selectors.roles import attach_roles
    from statements.templatetags.statement_display import stance_items

    claim = make.claim()
    hostile = '<script>alert("x")</script> & “quotes” ' + "long " * 80
    speaker = make.actor('Dr <b>"Who"</b>', slug="dr-who", kind="organization")
    source = make.source(title=hostile, body=hostile * 2)
    kinds = ["direct", "indirect", "mixed"]
    for i, status in enumerate([Status.PUBLISHED, Status.DRAFT, Status.PUBLISHED]):
        s = make.statement(
            source=source,
            speaker=speaker,
            text=hostile[:40],
            span_start=0,
            span_end=40,
            status=status,
            mode=kinds[i],
            date_precision=["day", "month", "year"][i],
        )
        make.stance(s, claim, "asserts")
    stances = list(
        Stance.objects.filter(claim=claim).select_related("statement__speaker", "statement__source")
    )
    attach_roles([st.statement for st in stances])
    stances[0].statement.role_at_time = "Minister <of> Things"
    expected = render_to_string("includes/stance_items.html", {"stances": stances})
    assert str(stance_items(stances)) == expected
    assert (
        "&lt;script&gt;" in expected
        and "is-draft" in expected
        and "Minister &lt;of&gt;" in expected
    )
