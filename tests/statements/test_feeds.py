"""Atom feeds for a speaker, a tag and a claim: valid Atom, published entries only."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest

from statements.models import Claim, Status

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED_QUERIES = 4  # claim, statements+speaker+source, tags, stances


def parse(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    return root


def entries(root: ET.Element) -> list[ET.Element]:
    found = root.findall(f"{ATOM}entry")
    for entry in found:
        for required in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{required}") is not None
    return found


def links(root: ET.Element) -> list[str]:
    return [e.find(f"{ATOM}link").get("href") for e in entries(root)]


def test_speaker_feed_lists_published_statements_newest_first(client, make):
    actor = make.actor("Feed Speaker", slug="feed-speaker")
    old = make.statement(speaker=actor, said_on=datetime.date(2023, 9, 1), text="Old words")
    new = make.statement(
        speaker=actor, said_on=datetime.date(2023, 9, 9), text="New <b> words", tags=["truce"]
    )
    make.statement(speaker=actor, status=Status.DRAFT, text="Draft words")
    make.statement(text="Someone else")
    root = parse(client.get("/statements/feeds/speaker/feed-speaker/"))
    assert root.find(f"{ATOM}title").text == "Statements by Feed Speaker"
    assert links(root) == [
        f"http://testserver/statements/{new.pk}/",
        f"http://testserver/statements/{old.pk}/",
    ]
    first = entries(root)[0]
    assert first.find(f"{ATOM}title").text == "Feed Speaker: New <b> words"
    assert first.find(f"{ATOM}author/{ATOM}name").text == "Feed Speaker"
    assert first.find(f"{ATOM}category").get("term") == "truce"
    assert first.find(f"{ATOM}id").text == f"urn:uuid:{new.uid}"
    assert b"Draft words" not in client.get("/statements/feeds/speaker/feed-speaker/").content


def test_tag_feed(client, make):
    tagged = make.statement(tags=["ceasefire"])
    make.statement(tags=["other"])
    make.statement(tags=["ceasefire"], status=Status.DRAFT)
    root = parse(client.get("/statements/feeds/tag/ceasefire/"))
    assert "ceasefire" in root.find(f"{ATOM}title").text
    assert links(root) == [f"http://testserver/statements/{tagged.pk}/"]


def test_claim_feed_titles_carry_the_stance(client, make, django_assert_num_queries):
    claim = make.claim("The bridge is closed")
    for i in range(6):
        s = make.statement(tags=["a", "b"], said_on=datetime.date(2023, 9, 1 + i))
        make.stance(s, claim, "denies" if i == 5 else "asserts")
        make.stance(s, make.claim())
    with django_assert_num_queries(FEED_QUERIES):
        root = parse(client.get(f"/statements/feeds/claim/{claim.pk}/"))
    titles = [e.find(f"{ATOM}title").text for e in entries(root)]
    assert len(titles) == 6
    assert titles[0].startswith("Denies: ") and titles[1].startswith("Asserts: ")


def test_unknown_feed_objects_are_404(client):
    assert client.get("/statements/feeds/speaker/nobody/").status_code == 404
    assert client.get("/statements/feeds/tag/nothing/").status_code == 404
    assert client.get("/statements/feeds/claim/999999/").status_code == 404


def test_seed_landmine_claim_feed(client, seed):
    claim = Claim.objects.get(slug="landmine-planted-by-karabakh-armenian-forces")
    root = parse(client.get(f"/statements/feeds/claim/{claim.pk}/"))
    authors = {e.find(f"{ATOM}author/{ATOM}name").text for e in entries(root)}
    assert authors == {"Ministry of Defence of Azerbaijan", "Nagorno-Karabakh Defence Army"}


def test_detail_pages_advertise_their_feeds(client, make):
    actor = make.actor(slug="advertised")
    said = make.statement(speaker=actor, tags=["promo"])
    claim = make.claim()
    make.stance(said, claim)
    for page, feed in [
        ("/actors/advertised/", "/statements/feeds/speaker/advertised/"),
        ("/tags/promo/", "/statements/feeds/tag/promo/"),
        (f"/claims/{claim.pk}/", f"/statements/feeds/claim/{claim.pk}/"),
    ]:
        html = client.get(page).content.decode()
        assert 'rel="alternate" type="application/atom+xml"' in html
        assert f'href="{feed}"' in html
