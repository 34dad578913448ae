"""A small world full of hostile text, shared by the security, permission and fuzz tests.

Every user-entered field carries its own marked payload, so a test can tell *which*
field escaped (or leaked) on which page. A draft, a discarded statement and an
unpublished source carry unique words that must never appear in public.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, User
from taggit.models import Tag

from actors.models import Actor, ActorKind, Alias, Role
from statements.models import (
    Claim,
    Event,
    EventParticipant,
    Source,
    Stance,
    Statement,
    Status,
)
from tracker.history import acting_as

DRAFT_WORD = "zqxdraftword"
DISCARDED_WORD = "zqxdiscardedword"
HIDDEN_SOURCE_WORD = "zqxhiddensourceword"
EDITOR_NAME = "zqxeditorname"
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: reorders everything after it


def script(label: str) -> str:
    return f"<script>alert('{label}')</script>"


def attribute(label: str) -> str:
    return f'"><img src=x onerror=alert("{label}")>'


def hostile(label: str) -> str:
    """Both payloads, labelled: a quote breaking out of an attribute and a script tag."""
    return f"{label} {attribute(label)} {script(label)}"


def raw_payloads(label: str) -> list[str]:
    return [f"<script>alert('{label}')", f'<img src=x onerror=alert("{label}")>']


def escaped_marker(label: str) -> str:
    return f"&lt;script&gt;alert(&#x27;{label}&#x27;)"


HOSTILE_FIELDS = [
    "actor.name",
    "actor.description",
    "alias.name",
    "role.title",
    "source.title",
    "source.publisher",
    "source.body",
    "statement.text",
    "statement.speaker_as_printed",
    "statement.speaker_title",
    "claim.text",
    "claim.description",
    "event.title",
    "event.description",
    "event.location",
    "event.mode",
    "tag.name",
]


def label(field_name: str) -> str:
    return "X" + field_name.replace(".", "_").replace("_", "")  # e.g. Xactorname


@dataclass
class World:
    actor: Actor
    other: Actor
    source: Source
    statement: Statement
    claim: Claim
    event: Event
    tag: Tag
    draft: Statement
    discarded: Statement
    hidden_source: Source
    users: dict[str, User] = field(default_factory=dict)


def build_world(*, users: bool = True) -> World:
    h = {name: hostile(label(name)) for name in HOSTILE_FIELDS}
    h["event.mode"] = script(label("event.mode"))  # a CharField(40)
    day = datetime.date(2023, 9, 10)
    editor = None
    if users:
        editor = User.objects.create_user(EDITOR_NAME, "e@example.org", "pw", is_staff=True)
        editor.groups.add(Group.objects.get(name="editor"))
    with acting_as(user=editor, reason="world"):
        actor = Actor.objects.create(
            name=h["actor.name"] + RLO + "bidi",
            slug="hostile-actor",
            kind=ActorKind.PERSON,
            description=h["actor.description"],
        )
        other = Actor.objects.create(name="Plain Recipient", slug="plain-recipient", kind="state")
        Alias.objects.create(actor=actor, name=h["alias.name"])
        Role.objects.create(
            actor=actor,
            title=h["role.title"],
            organization=other,
            start_date=datetime.date(2020, 1, 1),
        )
        body = f"Opening. {h['source.body']} The speaker said {h['statement.text']} and more."
        source = Source.objects.create(
            title=h["source.title"],
            publisher=h["source.publisher"],
            body=body,
            published_on=day,
            status=Status.PUBLISHED,
        )
        start = body.index(h["statement.text"])
        statement = Statement.objects.create(
            source=source,
            speaker=actor,
            speaker_as_printed=h["statement.speaker_as_printed"],
            speaker_title=h["statement.speaker_title"],
            text=h["statement.text"] + RLO + "bidi",
            span_start=start,
            span_end=start + len(h["statement.text"]),
            said_on=day,
            status=Status.PUBLISHED,
        )
        statement.recipients.add(other)
        statement.tags.add(h["tag.name"])
        tag = Tag.objects.get(name=h["tag.name"])
        claim = Claim.objects.create(
            text=h["claim.text"], slug="hostile-claim", description=h["claim.description"]
        )
        claim.tags.add(tag)
        Stance.objects.create(statement=statement, claim=claim, stance="asserts")
        event = Event.objects.create(
            title=h["event.title"],
            slug="hostile-event",
            description=h["event.description"],
            location=h["event.location"],
            mode=h["event.mode"],
            start_date=day,
        )
        event.tags.add(tag)
        event.sources.add(source)
        statement.events.add(event)
        EventParticipant.objects.create(event=event, actor=actor, role="actor")
        EventParticipant.objects.create(event=event, actor=other, role="recipient")

        # What must never be public.
        draft = Statement.objects.create(
            source=source,
            speaker=actor,
            text=f"Secret {DRAFT_WORD} plan",
            span_start=0,
            span_end=8,
            said_on=day,
            status=Status.DRAFT,
        )
        draft.tags.add(tag)
        Stance.objects.create(statement=draft, claim=claim, stance="denies")
        draft.events.add(event)
        draft.recipients.add(other)
        discarded = Statement.objects.create(
            source=source,
            speaker=actor,
            text=f"Wrong {DISCARDED_WORD} quote",
            span_start=0,
            span_end=8,
            said_on=day,
            status=Status.DISCARDED,
        )
        hidden_source = Source.objects.create(
            title=f"Unpublished {HIDDEN_SOURCE_WORD} report",
            body=f"Body of the {HIDDEN_SOURCE_WORD} report, not yet reviewed.",
            published_on=day,
            status=Status.DRAFT,
        )
        Statement.objects.create(
            source=hidden_source,
            speaker=other,
            text=f"Said in {HIDDEN_SOURCE_WORD}",
            span_start=0,
            span_end=8,
            said_on=day,
            status=Status.PUBLISHED,
        )
    world = World(
        actor=actor,
        other=other,
        source=source,
        statement=statement,
        claim=claim,
        event=event,
        tag=tag,
        draft=draft,
        discarded=discarded,
        hidden_source=hidden_source,
    )
    if editor:
        world.users["editor"] = editor
    return world
