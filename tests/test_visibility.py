"""The visibility walk: every public URL, export and feed, for every audience, over
published, draft, discarded and draft-source objects.

Each row of the world below names what only one state puts on the record (a statement,
its speaker, its claim, its event, its tag, its source). The public (anonymous
visitors, and staff without the permission to view statements) sees only the published
state; editors and reviewers see drafts too, never what was discarded. Feeds are public
by nature: drafts never reach them, whoever asks.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache

from statements.models import Source, Status

AUDIENCES = ("anonymous", "staff_without_permissions", "editor", "reviewer")
SEES_DRAFTS = {"editor", "reviewer"}
STATES = ("published", "draft", "discarded", "draft_source")


@dataclass
class Marked:
    """The objects one state creates, each with a marker text found on its pages."""

    state: str
    statement: object
    actor: object
    claim: object
    event: object
    tag: str
    source: Source

    @property
    def marker(self) -> str:
        return f"walk{self.state.replace('_', '')}"

    def shown(self, kind: str) -> str:
        """The words by which a row of ``kind`` shows on a list (never a suggestion in
        the filter form, which holds slugs)."""
        return {
            "statement": f"{self.marker} statement text",
            "actor": f"{self.marker} speaker",
            "claim": f"{self.marker} claim text",
            "event": f"{self.marker} event",
            "tag": f"/tags/{self.tag}/",
            "source": self.source.title,
        }[kind]


def build(make) -> dict[str, Marked]:
    shared = make.source(body="Shared source body. " * 10, title="Shared published source")
    world = {}
    for state in STATES:
        marker = f"walk{state.replace('_', '')}"
        source = shared
        status = {"published": Status.PUBLISHED, "draft": Status.DRAFT}.get(
            state, Status.DISCARDED if state == "discarded" else Status.PUBLISHED
        )
        if state == "draft_source":
            source = make.source(
                body=f"{marker} source body. " * 10,
                title=f"{marker} source",
                status=Status.DRAFT,
            )
        actor = make.actor(
            f"{marker} speaker", slug=f"{marker}-speaker", needs_review=state != "published"
        )
        statement = make.statement(
            source=source,
            speaker=actor,
            text=f"{marker} statement text",
            status=status,
            said_on=datetime.date(2023, 9, 10),
            tags=[f"{marker}-tag"],
        )
        claim = make.claim(f"{marker} claim text", slug=f"{marker}-claim")
        make.stance(statement, claim, "asserts")
        event = make.event(f"{marker} event", slug=f"{marker}-event")
        statement.events.add(event)
        world[state] = Marked(state, statement, actor, claim, event, f"{marker}-tag", source)
    return world


def client_for(audience: str, client, django_user_model):
    if audience == "anonymous":
        return client
    user = django_user_model.objects.create_user(audience, is_staff=True)
    if audience in SEES_DRAFTS:
        user.groups.add(Group.objects.get(name=audience))
    client.force_login(user)
    return client


def visible_in(audience: str, state: str) -> bool:
    if state == "published":
        return True
    return audience in SEES_DRAFTS and state != "discarded"


def related_visible_in(audience: str, state: str) -> bool:
    """Actors, claims, events and tags: the drafts audience sees every one of them (a
    draft's claim is work in progress); the public only what a published statement
    puts on the record."""
    return state == "published" or audience in SEES_DRAFTS


# Pages that show one object: 200 when visible, 404 when not.
DETAIL_PAGES = {
    "statement": (lambda m: f"/statements/{m.statement.pk}/", visible_in),
    "source": (lambda m: f"/sources/{m.source.pk}/", None),
    "actor": (lambda m: f"/actors/{m.actor.slug}/", related_visible_in),
    "claim": (lambda m: f"/claims/{m.claim.pk}/", related_visible_in),
    "event": (lambda m: f"/events/{m.event.pk}/", related_visible_in),
    "tag": (lambda m: f"/tags/{m.tag}/", related_visible_in),
}

# Lists and exports where a visible object's marker shows, an invisible one's does not.
LISTINGS = {
    "/": ("statement", visible_in),
    "/statements/": ("statement", visible_in),
    "/statements.csv": ("statement", visible_in),
    "/actors/": ("actor", related_visible_in),
    "/actors.csv": ("actor", related_visible_in),
    "/claims/": ("claim", related_visible_in),
    "/claims.csv": ("claim", related_visible_in),
    "/events/": ("event", related_visible_in),
    "/events.csv": ("event", related_visible_in),
    "/tags/": ("tag", related_visible_in),
    "/statements.jsonl": ("statement", visible_in),
    "/stances.csv": ("claim", visible_in),  # a stance shows only with its statement
    "/stances.jsonl": ("claim", visible_in),
    "/actors.jsonl": ("actor", related_visible_in),
    "/claims.jsonl": ("claim", related_visible_in),
    "/events.jsonl": ("event", related_visible_in),
    "/tags.csv": ("tag", related_visible_in),
    "/tags.jsonl": ("tag", related_visible_in),
    "/sources.csv": ("source", lambda audience, state: source_visible(audience, state)),
    "/sources.jsonl": ("source", lambda audience, state: source_visible(audience, state)),
}


def content(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def world(db, make):
    cache.clear()
    return build(make)


def source_visible(audience: str, state: str) -> bool:
    if state == "draft_source":
        return audience in SEES_DRAFTS
    return True  # the shared source is published


#: Pages that show a draft to the drafts audience, marked "Not public".
DRAFT_MARKED = {("statement", "draft"), ("statement", "draft_source"), ("source", "draft_source")}


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("page", sorted(DETAIL_PAGES))
def test_detail_pages(client, django_user_model, world, audience, state, page):
    url_of, rule = DETAIL_PAGES[page]
    rule = rule or source_visible
    marked = world[state]
    response = client_for(audience, client, django_user_model).get(url_of(marked))
    expected = 200 if rule(audience, state) else 404
    assert response.status_code == expected, (page, audience, state)
    if expected == 200 and (page, state) in DRAFT_MARKED:
        assert "not public" in content(response).lower()  # marked as such


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("url", sorted(LISTINGS))
def test_lists_and_exports(client, django_user_model, world, audience, url):
    kind, rule = LISTINGS[url]
    body = content(client_for(audience, client, django_user_model).get(url))
    for state, marked in world.items():
        assert (marked.shown(kind) in body) == rule(audience, state), (url, audience, state)


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("state", STATES)
def test_filters_name_only_visible_objects(client, django_user_model, world, audience, state):
    """A filter naming a hidden speaker, claim, event, tag or source is a 400, exactly as
    one naming something never entered; a visible one lists its statement or none."""
    marked = world[state]
    http = client_for(audience, client, django_user_model)
    checks = {
        "speaker": (marked.actor.slug, related_visible_in),
        "claim": (marked.claim.pk, related_visible_in),
        "event": (marked.event.pk, related_visible_in),
        "tag": (marked.tag, related_visible_in),
    }
    if state == "draft_source":
        checks["source"] = (marked.source.pk, source_visible)
    for name, (value, rule) in checks.items():
        for url in ("/statements/", "/statements.csv"):
            response = http.get(url, {name: value})
            expected = 200 if rule(audience, state) else 400
            assert response.status_code == expected, (url, name, audience, state)
            if expected == 200:
                shown = marked.shown("statement") in content(response)
                assert shown == visible_in(audience, state), (url, name, audience, state)


@pytest.mark.parametrize("state", STATES)
def test_feeds_carry_published_statements_only(client, world, state):
    marked = world[state]
    urls = [
        f"/statements/feeds/speaker/{marked.actor.slug}/",
        f"/statements/feeds/tag/{marked.tag}/",
        f"/statements/feeds/claim/{marked.claim.pk}/",
    ]
    for url in urls:
        response = client.get(url)
        if state == "published":
            assert response.status_code == 200 and marked.marker in content(response), url
        else:
            assert response.status_code == 404, url


def test_staff_csv_marks_drafts(client, django_user_model, world):
    """Staff who see drafts get a trailing ``status`` column; the public keeps the
    contract's columns."""
    public = content(client.get("/statements.csv")).splitlines()[0].split(",")
    assert public[-1] == "url"
    editor = client_for("editor", client, django_user_model)
    rows = content(editor.get("/statements.csv")).splitlines()
    assert rows[0].split(",")[-1] == "status"
    by_marker = {m.marker: m for m in world.values()}
    for line in rows[1:]:
        for marker in by_marker:
            if f"{marker} statement text" in line:
                expected = "published" if marker == "walkpublished" else "draft"
                assert line.endswith(f",{expected}"), line


def test_plain_staff_are_the_public(django_user_model):
    from statements import visibility

    plain = get_user_model().objects.create_user("plain", is_staff=True)
    assert visibility.audience(plain) == visibility.PUBLIC
    editor = django_user_model.objects.create_user("ed", is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    assert visibility.audience(editor) == visibility.DRAFTS


@pytest.mark.parametrize("kind", ["actors", "claims", "events", "tags"])
def test_public_querysets_are_fresh_each_call(kind, world):
    """The public querysets are built once per process and handed out as clones: what
    one caller evaluates or filters never reaches the next caller."""
    from statements import visibility

    first = getattr(visibility, kind)(None)
    seen = list(first)
    narrowed = first.filter(pk=-1)
    second = getattr(visibility, kind)(None)
    assert second is not first and second._result_cache is None
    assert list(second) == seen and not narrowed.exists()
