"""Groups (``within``) and filters by name (speaker, within, claim, event, source)."""

from __future__ import annotations

import datetime
import html

import pytest

from actors.models import Actor, ActorKind, Alias, Role
from statements.models import Claim, Event, Source
from tests.statements.listing_helpers import page_ids
from tests.statements.test_search import numbers

pytestmark = pytest.mark.django_db

D = datetime.date


def body(response) -> str:
    return html.unescape(response.content.decode())


# -- within ------------------------------------------------------------------------------


def test_within_azerbaijan_is_its_bodies_and_officials(client, seed):
    """8: the aide (under the Presidential Administration); 9: Bayramov, foreign minister
    since 2020 in the Ministry of Foreign Affairs; 10: the Ministry of Defence. Armenia's
    statements about Azerbaijan (4, 5) are not Azerbaijan's."""
    for value in ("azerbaijan", "Azerbaijan", "Republic of Azerbaijan", "baku"):
        response = client.get("/statements/", {"within": value})
        assert response.status_code == 200, value
        assert numbers(page_ids(response)) == {8, 9, 10}, value
    assert numbers(page_ids(client.get("/statements/?within=armenia"))) == {4, 5, 6, 7}
    assert numbers(page_ids(client.get("/statements/?within=nagorno-karabakh"))) == {11, 12}
    assert numbers(page_ids(client.get("/statements/?within=jeyhun-bayramov"))) == {9}


def test_within_in_the_csv(client, seed):
    import csv
    import io

    response = client.get("/statements.csv", {"within": "azerbaijan"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert numbers(int(row["id"]) for row in csv.DictReader(io.StringIO(text))) == {8, 9, 10}


def test_within_follows_any_depth_and_role_dates(client, make):
    country = make.actor("Freedonia", kind=ActorKind.STATE)
    ministry = make.actor("Freedonian Ministry", kind=ActorKind.GOVERNMENT, parent=country)
    office = make.actor("Freedonian Press Office", kind=ActorKind.GOVERNMENT, parent=ministry)
    minister = make.actor("Rufus Firefly")
    outsider = make.actor("Trentino")
    Role.objects.create(
        actor=minister,
        title="Minister",
        organization=ministry,
        start_date=D(2020, 1, 1),
        end_date=D(2021, 12, 31),
    )
    Role.objects.create(
        actor=minister, title="Envoy", organization=office, start_date=D(2023, 1, 1)
    )
    by_office = make.statement(speaker=office)
    before = make.statement(speaker=minister, said_on=D(2019, 12, 31))
    first_post = make.statement(speaker=minister, said_on=D(2020, 1, 1))
    last_day = make.statement(speaker=minister, said_on=D(2021, 12, 31))
    between = make.statement(speaker=minister, said_on=D(2022, 6, 1))
    second_post = make.statement(speaker=minister, said_on=D(2024, 2, 2))
    make.statement(speaker=outsider)
    expected = {by_office.pk, first_post.pk, last_day.pk, second_post.pk}
    assert set(page_ids(client.get("/statements/", {"within": country.slug}))) == expected
    # Without members the actor alone: the office has no posts held in it before 2023.
    assert set(page_ids(client.get("/statements/", {"within": office.slug}))) == {
        by_office.pk,
        second_post.pk,
    }
    assert before.pk not in expected and between.pk not in expected

    page = client.get(f"/actors/{country.slug}/")
    assert "4 statements with its bodies and officials" in body(page)
    assert f"?within={country.slug}" in body(page)
    assert "with its bodies and officials" not in body(client.get(f"/actors/{outsider.slug}/"))


def test_within_combines_with_other_filters(client, seed):
    response = client.get("/statements/", {"within": "azerbaijan", "q": "landmine"})
    assert numbers(page_ids(response)) == {10}
    response = client.get("/statements/", {"within": "azerbaijan", "date_from": "2023-09-10"})
    assert numbers(page_ids(response)) == {10}


def test_actor_page_totals_with_and_without_members(client, seed):
    page = body(client.get("/actors/azerbaijan/"))
    assert "All 0 statements" in page
    assert "3 statements with its bodies and officials" in page


# -- by name -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["Jeyhun Bayramov", "jeyhun bayramov", "Ceyhun Bayramov", "Bayramov", "jeyhun-bayramov"],
)
def test_speaker_by_slug_name_or_alias(client, seed, value):
    response = client.get("/statements/", {"speaker": value})
    assert response.status_code == 200
    assert numbers(page_ids(response)) == {9}


def test_names_ignore_accents_and_case(client, make):
    speaker = make.actor("Nikol Pashinián")
    said = make.statement(speaker=speaker)
    for value in ("nikol pashinian", "NIKOL PASHINIÁN", "  Nikol   Pashinian "):
        assert page_ids(client.get("/statements/", {"speaker": value})) == [said.pk]


def test_a_name_several_actors_share_is_a_400_listing_them(client, make):
    one = make.actor("Kim", slug="kim-one")
    two = make.actor("Yuri Kim", slug="kim-two")
    Alias.objects.create(actor=two, name="Kim")
    make.statement(speaker=one)
    response = client.get("/statements/", {"speaker": "Kim"})
    assert response.status_code == 400
    assert "“Kim” fits several speakers: Kim (kim-one); Yuri Kim (kim-two)" in body(response)
    within = client.get("/statements/", {"within": "kim"})
    assert within.status_code == 400 and "fits several actors" in body(within)
    assert client.get("/statements/", {"speaker": "kim-one"}).status_code == 200


def test_a_hidden_actor_is_unknown_by_name_too(client, make):
    hidden = make.actor("Secret Proposal", needs_review=True)
    make.statement(speaker=hidden, status="draft")
    for params in ({"speaker": "Secret Proposal"}, {"within": "secret proposal"}):
        response = client.get("/statements/", params)
        assert response.status_code == 400
        assert "Unknown" in body(response)


def test_claim_event_and_source_by_exact_text(client, seed):
    claim = Claim.objects.get(slug="pashinian-offered-aliyev-urgent-talks")
    response = client.get("/statements/", {"claim": claim.text.upper()})
    assert response.status_code == 200 and numbers(page_ids(response)) == {7, 8}
    response = client.get("/statements/", {"claim": claim.text, "stance": "questions"})
    assert numbers(page_ids(response)) == {8}
    event = Event.objects.get(slug="kim-bayramov-call-2023-09-09")
    assert numbers(page_ids(client.get("/statements/", {"event": event.title}))) == {9}
    assert numbers(page_ids(client.get("/statements/", {"event": event.pk}))) == {9}
    source = Source.objects.get()
    assert len(page_ids(client.get("/statements/", {"source": source.title}))) == 12
    unknown = client.get("/statements/", {"event": "No such event"})
    assert unknown.status_code == 400 and "Unknown event: No such event." in body(unknown)


def test_a_title_several_sources_share_is_a_400_listing_them(client, make):
    a = make.source(title="Daily briefing")
    b = make.source(title="Daily Briefing")
    make.statement(source=a)
    make.statement(source=b)
    response = client.get("/statements/", {"source": "daily briefing"})
    assert response.status_code == 400
    assert f"Daily briefing (id {a.pk}); Daily Briefing (id {b.pk})" in body(response)
    assert client.get("/statements/", {"source": a.pk}).status_code == 200


def test_a_groups_pages_and_count_by_its_ranges_equal_the_plain_filter(make):
    """PostgreSQL reads a group's page and count one (speaker, dates) range at a time
    (``groups.group_keys``, ``group_count``): the same ids in the same order as the
    plain filter, for any slice, either order, after a cursor, with other filters; a
    person's overlapping posts are one range (no statement twice). SQLite: None."""
    from django.db import connection

    from statements import visibility
    from statements.filters.groups import group_count, group_keys, group_of
    from statements.models import Statement, Status

    state = make.actor("Stateland", kind=ActorKind.STATE)
    ministry = make.actor("Ministry", kind=ActorKind.ORGANIZATION, parent=state)
    minister, envoy, outsider = make.actor("Minister"), make.actor("Envoy"), make.actor("Other")
    Role.objects.create(
        actor=minister,
        title="Minister",
        organization=ministry,
        start_date=D(2023, 1, 1),
        end_date=D(2023, 6, 30),
    )
    Role.objects.create(
        actor=minister,
        title="Acting",
        organization=ministry,
        start_date=D(2023, 6, 1),
        end_date=D(2023, 9, 30),
    )
    Role.objects.create(actor=envoy, title="Envoy", organization=state, start_date=D(2023, 3, 1))
    speakers = [state, ministry, minister, envoy, outsider]
    for i in range(60):
        make.statement(
            speaker=speakers[i % 5],
            said_on=D(2022, 12, 1) + datetime.timedelta(days=7 * (i // 2)),
            status=Status.DRAFT if i % 11 == 0 else Status.PUBLISHED,
        )
    group = group_of(state)
    assert (minister.pk, D(2023, 1, 1), D(2023, 9, 30)) in group.ranges()
    assert len(group.ranges()) == 4  # two members, the minister once, the envoy
    visible = visibility.statements(None)
    plain = visible.filter(group.statements_q())
    if connection.vendor != "postgresql":
        assert group_keys(visible, group, ["-said_on", "-id"], 0, 10) is None
        assert group_count(visible, group, 10) is None
        return
    for order in (["-said_on", "-id"], ["said_on", "id"]):
        expected = list(plain.order_by(*order).values_list("pk", flat=True))
        assert 20 < len(expected) < 60
        assert group_keys(visible, group, order, 0, 100) == expected
        assert group_keys(visible, group, order, 5, 12) == expected[5:12]
        pivot = Statement.objects.get(pk=expected[9])
        later = visible.filter(said_on__lte=pivot.said_on).exclude(pk=pivot.pk)
        narrowed = plain.filter(said_on__lte=pivot.said_on).exclude(pk=pivot.pk)
        assert group_keys(later, group, order, 0, 100) == list(
            narrowed.order_by(*order).values_list("pk", flat=True)
        )
    assert group_count(visible, group, 1000) == len(expected)
    assert group_count(visible, group, 4) == 5  # stops at the cap and one more


def test_within_is_two_queries_whatever_the_hierarchy(make, django_assert_max_num_queries):
    from statements.filters.groups import group_of

    root = make.actor("Root", kind=ActorKind.STATE)
    parent = root
    for depth in range(6):
        parent = make.actor(f"Level {depth}", parent=parent)
        Role.objects.create(actor=make.actor(), title="Head", organization=parent)
    with django_assert_max_num_queries(2):
        group = group_of(root)
    assert len(group.members) == 13 and not group.posts
    assert Actor.objects.filter(pk__in=group.members).count() == 13


# -- the country facet -------------------------------------------------------------------


def facet_links(response) -> dict[str, str]:
    """The country facet's links, name → href (``&amp;`` undone)."""
    import re

    nav = re.search(
        r'<nav class="facet" aria-labelledby="facet-within">(.*?)</nav>', body(response), re.S
    )
    return {
        name: href for href, name in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(1))
    }


def test_country_facet_narrows_to_a_country_keeping_the_filters(client, seed):
    response = client.get("/statements/", {"date_from": "2023-09-09", "page": "1"})
    links = facet_links(response)
    assert {"Armenia", "Azerbaijan"} <= set(links)
    assert "All countries" not in links  # nothing chosen yet
    assert links["Azerbaijan"] == "?date_from=2023-09-09&within=azerbaijan"
    narrowed = client.get("/statements/" + links["Azerbaijan"])
    assert numbers(page_ids(narrowed)) == {8, 9, 10}
    chosen = body(narrowed)
    assert '<a href="?date_from=2023-09-09&within=armenia">Armenia</a>' in chosen
    assert 'aria-current="true">Azerbaijan</a>' in chosen
    assert facet_links(narrowed)["All countries"] == "?date_from=2023-09-09"


def test_country_facet_offers_only_visible_states(client, make, django_user_model):
    from tests.conftest import drafts_reader

    make.actor("Republic of Nowhere", slug="nowhere", kind=ActorKind.STATE, needs_review=True)
    make.statement(speaker=make.actor("Somewhere", kind=ActorKind.STATE))
    assert set(facet_links(client.get("/statements/"))) == {"Somewhere"}
    client.force_login(drafts_reader("ed", password="x" * 16))
    assert set(facet_links(client.get("/statements/"))) == {"Republic of Nowhere", "Somewhere"}


def test_a_tag_filter_follows_the_tag_becoming_public(client, make):
    """Which named tags are public is kept per data version: a tag only on a draft is
    unknown to the public until a write publishes it, and from that write on it is not."""
    from statements.models import Status

    draft = make.statement(status=Status.DRAFT, tags=["embargoed"])
    response = client.get("/statements/", {"tag": "embargoed"})
    assert response.status_code == 400 and "Unknown tag: embargoed" in body(response)
    assert client.get("/statements/", {"tag": "embargoed"}).status_code == 400  # kept
    draft.status = Status.PUBLISHED
    draft.save()
    response = client.get("/statements/", {"tag": "embargoed"})
    assert response.status_code == 200
    assert page_ids(response) == [draft.pk]
