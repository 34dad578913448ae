"""Helpers shared by the list, filter and CSV tests: read rows off pages and exports."""

from __future__ import annotations

import csv
import datetime
import html
import io
import re

from actors.models import ActorKind
from statements.models import Medium, Mode, Status

ROW_ID = re.compile(r'id="row-(\d+)-head"')
NEXT_LINK = re.compile(r'<a rel="next" href="([^"]+)"')
PREV_LINK = re.compile(r'<a rel="prev" href="([^"]+)"')


def page_ids(response) -> list[int]:
    """Statement ids in the order a list page shows them."""
    return [int(pk) for pk in ROW_ID.findall(response.content.decode())]


def next_url(response, path: str = "/statements/") -> str | None:
    match = NEXT_LINK.search(response.content.decode())
    return path + html.unescape(match.group(1)) if match else None


def prev_url(response, path: str = "/statements/") -> str | None:
    match = PREV_LINK.search(response.content.decode())
    return path + html.unescape(match.group(1)) if match else None


def all_list_ids(client, url: str, path: str = "/statements/") -> list[int]:
    """Follow "Next" links from ``url`` to the end; every row id in order."""
    ids: list[int] = []
    seen_pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        ids.extend(page_ids(response))
        url = next_url(response, path)
        seen_pages += 1
        assert seen_pages < 100
    return ids


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body, newline="")))


def csv_ids(response) -> list[int]:
    header, *rows = csv_rows(response)
    assert header[0] == "id"
    return [int(row[0]) for row in rows]


def build_corpus(make) -> dict:
    """130 statements: 3 speakers, 2 tags, 3 modes, 2 media, dates over 40 days,
    a claim with stances, an event, and two drafts that must never show publicly."""
    blue = make.actor("Blue Speaker", slug="blue", kind=ActorKind.PERSON)
    green = make.actor("Green Ministry", slug="green", kind=ActorKind.GOVERNMENT)
    red = make.actor("Red Army", slug="red", kind=ActorKind.MILITARY)
    speakers = [blue, green, red]
    source = make.source(body="A long source body about ceasefire talks and landmines. " * 40)
    other_source = make.source(body="Another source body about convoys and corridors. " * 40)
    claim = make.claim("A convoy was stopped.", slug="convoy-stopped")
    event = make.event("A convoy", slug="convoy")
    modes = [Mode.DIRECT, Mode.MIXED, Mode.INDIRECT]
    start = datetime.date(2023, 8, 1)
    statements = []
    for i in range(130):
        tags = []
        if i % 2 == 0:
            tags.append("alpha")
        if i % 3 == 0:
            tags.append("beta")
        words = "ceasefire talks" if i % 5 == 0 else "convoy corridor"
        statement = make.statement(
            source=source if i % 4 else other_source,
            speaker=speakers[i % 3],
            text=f"Statement {i} about {words}.",
            mode=modes[i % 3],
            medium=Medium.SPEECH if i % 2 else Medium.INTERVIEW,
            said_on=start + datetime.timedelta(days=i % 40),
            tags=tags,
        )
        if i % 7 == 0:
            make.stance(statement, claim, "denies" if i % 2 else "asserts")
        if i % 6 == 0:
            statement.events.add(event)
        statements.append(statement)
    drafts = [
        make.statement(
            source=source,
            speaker=blue,
            text="Draft words about ceasefire.",
            status=Status.DRAFT,
            said_on=start,
            tags=["alpha", "beta"],
        ),
        make.statement(
            source=make.source(status=Status.DRAFT),
            speaker=blue,
            text="In a draft source.",
            said_on=start,
        ),
    ]
    return {
        "speakers": speakers,
        "statements": statements,
        "drafts": drafts,
        "claim": claim,
        "event": event,
        "source": source,
        "other_source": other_source,
    }


class AsTemplateSees:
    """An ORM statement as the row/card templates read it, its tags in name order (as
    ``statements.selectors.statement_rows`` loads them; taggit's prefetch has no order of its own)."""

    def __init__(self, statement):
        self._statement = statement

    def __getattr__(self, name):
        return getattr(self._statement, name)

    @property
    def tags(self):
        ordered = sorted(self._statement.tags.all(), key=lambda tag: (tag.name, tag.slug))
        return type("OrderedTags", (), {"all": staticmethod(lambda: ordered)})()


HOSTILE_TEXT = "<script>alert(\"x\")</script> & \u202eevil\u202c 'q' {{ x }}"


def rows_both_ways(make) -> tuple[list, list]:
    """Every kind of statement a row or card shows — hostile and bidi text, each mode,
    a draft, a draft source, a printed title and a role held, week and on-or-before
    dates, tags, two stances, texts past the truncation — loaded twice: as the ORM does
    for the templates (``for_list()``) and as ``statements.selectors.statement_rows`` does for the fast tags."""
    from actors.models import Role
    from statements.models import Statement
    from statements.selectors import statement_rows as lean_rows
    from statements.selectors.roles import attach_roles

    speaker = make.actor(HOSTILE_TEXT, slug="hostile")
    titled = make.actor("Titled One", kind=ActorKind.ORGANIZATION)
    Role.objects.create(actor=titled, title=HOSTILE_TEXT, start_date=datetime.date(2020, 1, 1))
    long_text = "word " * 150
    claim = make.claim(HOSTILE_TEXT + " " + "word " * 40)  # past the 120 characters shown
    made = [
        make.statement(speaker=speaker, mode="direct", text=HOSTILE_TEXT, tags=[HOSTILE_TEXT, "b"]),
        make.statement(speaker=titled, mode="mixed", text=long_text, speaker_title=HOSTILE_TEXT),
        make.statement(speaker=titled, mode="indirect", text="=cmd", status=Status.DRAFT),
        make.statement(
            source=make.source(status=Status.DRAFT), speaker=titled, date_precision="week"
        ),
        make.statement(speaker=speaker, date_precision="on_or_before", tags=["only"]),
    ]
    make.stance(made[0], claim, "denies")
    make.stance(made[0], make.claim("Second claim"), "asserts")
    chosen = Statement.objects.filter(pk__in=[s.pk for s in made]).order_by("id")
    orm_rows = list(chosen.for_list())
    fast_rows = lean_rows.attach(lean_rows.lean(chosen))
    attach_roles(orm_rows)
    attach_roles(fast_rows)
    assert len(fast_rows) == len(made)
    assert any(r.stance_items for r in fast_rows) and any(r.tag_items for r in fast_rows)
    assert {bool(r.role_at_time) for r in fast_rows} == {True, False}
    return orm_rows, fast_rows
