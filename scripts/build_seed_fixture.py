"""Build fixtures/karabakh-2023-09-10.json from hand-entered data.

The seed report (fixtures/sources/karabakh-2023-09-10.txt) was read and annotated
by hand; the data below is that annotation as plain Python literals. The script
creates it in a throwaway SQLite database, finds every span by searching the
source body for the exact words (so no offset is typed by hand), and dumps the
result with natural keys, so the fixture loads into any database, twice.

    .venv/bin/python scripts/build_seed_fixture.py [--output PATH]

The Source body is the seed file's text after its ``date YYYY-MM-DD`` header
(as `ingest` reads it: the header is not part of the body); spans are offsets into the body.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import sys
import tempfile
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED_TEXT = REPO / "fixtures" / "sources" / "karabakh-2023-09-10.txt"
OUTPUT = REPO / "fixtures" / "karabakh-2023-09-10.json"
HEADER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\s+")

# Statement uids are uuid5(NAMESPACE, "karabakh-2023-09-10/<n>"): stable across builds.
NAMESPACE = uuid.UUID("6f1d3c8e-1b7a-5e4f-9a0c-2d3e4f5a6b7c")
# Timestamps are pinned so rebuilding gives the same file.
STAMP = datetime.datetime(2023, 9, 10, 12, 0, tzinfo=datetime.UTC)

SOURCE = {
    "title": "US urges opening of Lachin and Aghdam corridors as Armenia warns of "
    "Azerbaijani offensive",
    "publisher": "Azatutyun (RFE/RL Armenian Service)",
    "url": "",
    "language": "en",
    "status": "published",
}

# slug: (name, kind, parent slug, wikidata id, description)
# Wikidata ids only where certain; blank otherwise.
ACTORS: dict[str, tuple[str, str, str | None, str, str]] = {
    "united-states": ("United States", "state", None, "Q30", "The United States of America."),
    "us-department-of-state": (
        "U.S. Department of State",
        "government",
        "united-states",
        "",
        "The foreign ministry of the United States.",
    ),
    "antony-blinken": (
        "Antony Blinken",
        "person",
        None,
        "",
        "U.S. Secretary of State from January 2021 to January 2025.",
    ),
    "yuri-kim": (
        "Yuri Kim",
        "person",
        None,
        "",
        "U.S. diplomat; acting Assistant Secretary of State for European and Eurasian "
        "Affairs in 2023.",
    ),
    "armenia": ("Armenia", "state", None, "Q399", "The Republic of Armenia."),
    "government-of-armenia": (
        "Government of Armenia",
        "government",
        "armenia",
        "",
        "The executive of the Republic of Armenia, led by the Prime Minister.",
    ),
    "nikol-pashinian": (
        "Nikol Pashinian",
        "person",
        None,
        "",
        "Prime Minister of Armenia since May 2018.",
    ),
    "azerbaijan": ("Azerbaijan", "state", None, "Q227", "The Republic of Azerbaijan."),
    "presidential-administration-of-azerbaijan": (
        "Presidential Administration of Azerbaijan",
        "government",
        "azerbaijan",
        "",
        "The office that serves the President of Azerbaijan.",
    ),
    "ministry-of-defence-of-azerbaijan": (
        "Ministry of Defence of Azerbaijan",
        "military",
        "azerbaijan",
        "",
        "Azerbaijan's defence ministry, which speaks for its armed forces.",
    ),
    "ministry-of-foreign-affairs-of-azerbaijan": (
        "Ministry of Foreign Affairs of Azerbaijan",
        "government",
        "azerbaijan",
        "",
        "Azerbaijan's foreign ministry.",
    ),
    "ilham-aliyev": (
        "Ilham Aliyev",
        "person",
        None,
        "",
        "President of Azerbaijan since October 2003.",
    ),
    "aide-to-ilham-aliyev": (
        "Aide to Ilham Aliyev",
        "person",
        "presidential-administration-of-azerbaijan",
        "",
        "An aide to President Ilham Aliyev whom the source does not name.",
    ),
    "jeyhun-bayramov": (
        "Jeyhun Bayramov",
        "person",
        None,
        "",
        "Foreign Minister of Azerbaijan since July 2020.",
    ),
    "nagorno-karabakh": (
        "Nagorno-Karabakh",
        "state",
        None,
        "",
        "The self-declared Republic of Artsakh, the ethnic Armenian entity in "
        "Nagorno-Karabakh; not internationally recognised.",
    ),
    "nagorno-karabakh-defence-army": (
        "Nagorno-Karabakh Defence Army",
        "military",
        "nagorno-karabakh",
        "",
        "The armed forces of the Karabakh Armenians (Artsakh Defence Army).",
    ),
    "france": ("France", "state", None, "Q142", "The French Republic."),
    "germany": ("Germany", "state", None, "Q183", "The Federal Republic of Germany."),
    "iran": ("Iran", "state", None, "Q794", "The Islamic Republic of Iran."),
    "international-community": (
        "International community",
        "group",
        None,
        "",
        "The world's governments and international bodies, addressed collectively.",
    ),
}

# actor slug: [(alias, kind), ...]
ALIASES: dict[str, list[tuple[str, str]]] = {
    "united-states": [("U.S.", "short"), ("US", "short"), ("Washington", "metonym")],
    "us-department-of-state": [
        ("State Department", "short"),
        ("United States Department of State", "short"),
    ],
    "antony-blinken": [
        ("Blinken", "short"),
        ("Tony Blinken", "short"),
        ("U.S. Secretary of State Antony Blinken", "title"),
    ],
    # No bare "Kim": too many other Kims speak in the news.
    "armenia": [("Republic of Armenia", "short"), ("Yerevan", "metonym")],
    "government-of-armenia": [
        ("Armenian government", "short"),
        ("The Armenian government", "short"),
        ("Armenian", "metonym"),
    ],
    "nikol-pashinian": [
        ("Pashinian", "short"),
        ("Pashinyan", "transliteration"),
        ("Nikol Pashinyan", "transliteration"),
        ("Prime Minister Nikol Pashinian", "title"),
    ],
    "azerbaijan": [("Baku", "metonym"), ("Republic of Azerbaijan", "short")],
    "presidential-administration-of-azerbaijan": [
        ("Azerbaijani Presidential Administration", "short"),
    ],
    "ministry-of-defence-of-azerbaijan": [
        ("Azerbaijani military", "metonym"),
        ("The Azerbaijani military", "metonym"),
        ("Azerbaijani army", "metonym"),
        ("Azerbaijani Defence Ministry", "short"),
        ("Azerbaijani Defense Ministry", "short"),
    ],
    "ministry-of-foreign-affairs-of-azerbaijan": [("Azerbaijani Foreign Ministry", "short")],
    "ilham-aliyev": [
        ("Aliyev", "short"),
        ("Ilham Aliev", "transliteration"),
        ("Azerbaijani President Ilham Aliyev", "title"),
    ],
    "aide-to-ilham-aliyev": [("An aide to Aliyev", "title"), ("aide to Aliyev", "title")],
    "jeyhun-bayramov": [
        ("Bayramov", "short"),
        ("Ceyhun Bayramov", "transliteration"),
        ("Azerbaijani Foreign Minister Jeyhun Bayramov", "title"),
    ],
    "nagorno-karabakh": [
        ("Karabakh", "short"),
        ("Artsakh", "short"),
        ("Republic of Artsakh", "short"),
        ("Nagorno-Karabakh Republic", "former"),
    ],
    "nagorno-karabakh-defence-army": [
        ("Karabakh's army", "short"),
        ("Karabakh army", "short"),
        ("Artsakh Defence Army", "short"),
        ("Karabakh Armenian forces", "metonym"),
    ],
    "iran": [("Tehran", "metonym")],
    "france": [("Paris", "metonym")],
    "germany": [("Berlin", "metonym")],
}

# (actor slug, title, organization slug, start, end)
ROLES: list[tuple[str, str, str | None, str | None, str | None]] = [
    (
        "antony-blinken",
        "U.S. Secretary of State",
        "us-department-of-state",
        "2021-01-26",
        "2025-01-20",
    ),
    # She was acting in 2023; the day she started is not recorded here.
    (
        "yuri-kim",
        "Acting Assistant Secretary of State for European and Eurasian Affairs",
        "us-department-of-state",
        None,
        None,
    ),
    ("nikol-pashinian", "Prime Minister of Armenia", "government-of-armenia", "2018-05-08", None),
    (
        "ilham-aliyev",
        "President of Azerbaijan",
        "presidential-administration-of-azerbaijan",
        "2003-10-31",
        None,
    ),
    (
        "aide-to-ilham-aliyev",
        "Aide to the President of Azerbaijan",
        "presidential-administration-of-azerbaijan",
        None,
        None,
    ),
    (
        "jeyhun-bayramov",
        "Minister of Foreign Affairs of Azerbaijan",
        "ministry-of-foreign-affairs-of-azerbaijan",
        "2020-07-16",
        None,
    ),
]

# A place in the body: the exact words, or (words, unique anchor around them).
Where = str | tuple[str, str]

# Numbered in the order they stand in the source. "span" is the reported content
# (for direct quotes: the quoted words, without the quotation marks); direct quotes'
# text is the span's text, other texts are short paraphrases in the source's words.
STATEMENTS: list[dict] = [
    {
        "n": 1,
        "speaker": "antony-blinken",
        "as_printed": "U.S. Secretary of State Antony Blinken",
        "title": "U.S. Secretary of State",
        "span": "The United States is deeply concerned about the rapidly deteriorating "
        "humanitarian situation in Nagorno-Karabakh",
        "mode": "direct",
        "medium": "written_statement",
        "said_on": "2023-09-10",
        "precision": "on_or_before",
        "mention": "Antony Blinken",
        "cue": "said in a statement",
        "tags": ["Nagorno-Karabakh", "Humanitarian access"],
    },
    {
        "n": 2,
        "speaker": "antony-blinken",
        "as_printed": "U.S. Secretary of State Antony Blinken",
        "title": "U.S. Secretary of State",
        "span": "We note that humanitarian supplies are positioned near both the Lachin and "
        "Aghdam routes, and we repeat our call for the immediate and simultaneous opening "
        "of both corridors to allow passage of desperately needed humanitarian supplies to "
        "the men, women, and children in Nagorno-Karabakh.",
        "mode": "direct",
        "medium": "written_statement",
        "said_on": "2023-09-10",
        "precision": "on_or_before",
        "mention": "Antony Blinken",
        "cue": "said in a statement",
        "tags": ["Nagorno-Karabakh", "Humanitarian access", "Lachin corridor", "Aghdam route"],
    },
    {
        "n": 3,
        "speaker": "antony-blinken",
        "as_printed": "Blinken",
        "title": "U.S. Secretary of State",
        "span": "We also urge leaders against taking any actions that raise tensions or "
        "distract from this goal. The use of force to resolve disputes is unacceptable",
        "mode": "direct",
        "medium": "written_statement",
        "said_on": "2023-09-10",
        "precision": "on_or_before",
        "mention": ("Blinken", "added Blinken"),
        "cue": ("added", "added Blinken"),
        "tags": ["Nagorno-Karabakh", "Use of force"],
    },
    {
        "n": 4,
        "speaker": "government-of-armenia",
        "as_printed": "Armenian",
        "title": "",
        "span": "Azerbaijan is planning another military offensive in the conflict zone",
        "text": "Claimed that Azerbaijan is planning another military offensive in the "
        "conflict zone.",
        "mode": "indirect",
        "medium": "other",
        "said_on": "2023-09-10",
        "precision": "on_or_before",
        "mention": ("Armenian", "Armenian claims"),
        "cue": ("claims", "Armenian claims"),
        "tags": ["Nagorno-Karabakh", "Military buildup"],
        "events": ["azerbaijani-military-buildup-2023-09"],
    },
    {
        "n": 5,
        "speaker": "government-of-armenia",
        "as_printed": "The Armenian government",
        "title": "",
        "span": "an Azerbaijani military buildup there",
        "text": "Reported an Azerbaijani military buildup in the conflict zone earlier this week.",
        "mode": "indirect",
        "medium": "other",
        "said_on": "2023-09-04",
        "precision": "week",
        "mention": "The Armenian government",
        "cue": ("reported", "government reported"),
        "date_evidence": "earlier this week",
        "tags": ["Nagorno-Karabakh", "Military buildup"],
        "events": ["azerbaijani-military-buildup-2023-09"],
    },
    {
        "n": 6,
        "speaker": "nikol-pashinian",
        "as_printed": "Prime Minister Nikol Pashinian",
        "title": "Prime Minister of Armenia",
        "span": "the international community to take “very serious measures” to thwart "
        "Baku’s alleged plans",
        "text": "Urged the international community to take “very serious measures” to thwart "
        "Baku’s plans.",
        "mode": "mixed",
        "medium": "other",
        "said_on": "2023-09-10",
        "precision": "on_or_before",
        "recipients": ["international-community"],
        "mention": "Prime Minister Nikol Pashinian",
        "cue": "urged",
        "tags": ["Nagorno-Karabakh", "Military buildup"],
        "events": ["azerbaijani-military-buildup-2023-09"],
    },
    {
        "n": 7,
        "speaker": "nikol-pashinian",
        "as_printed": "Pashinian",
        "title": "Prime Minister of Armenia",
        "span": "to hold “urgent” talks with Azerbaijani President Ilham Aliyev",
        "text": "Offered to hold “urgent” talks with Azerbaijani President Ilham Aliyev.",
        "mode": "mixed",
        "medium": "phone_call",
        "said_on": "2023-09-09",
        "precision": "day",
        "recipients": ["antony-blinken", "france", "germany", "iran"],
        "mention": ("Pashinian", "Pashinian on Saturday offered"),
        "cue": ("offered", "Pashinian on Saturday offered"),
        "date_evidence": ("on Saturday", "Pashinian on Saturday offered"),
        "tags": ["Nagorno-Karabakh", "Talks", "Diplomacy"],
        "events": ["pashinian-phone-calls-2023-09-09"],
    },
    {
        "n": 8,
        "speaker": "aide-to-ilham-aliyev",
        "as_printed": "An aide to Aliyev",
        "title": "Aide to the President of Azerbaijan",
        "span": "no such offer has been communicated to him so far",
        "text": "Said that no offer of talks from Pashinian had been communicated to Aliyev "
        "so far.",
        "mode": "indirect",
        "medium": "other",
        "said_on": "2023-09-09",
        "precision": "day",
        "mention": "An aide to Aliyev",
        "cue": ("said", "Aliyev said later"),
        "date_evidence": "later in the day",
        "tags": ["Nagorno-Karabakh", "Talks"],
        "events": ["pashinian-phone-calls-2023-09-09"],
    },
    {
        "n": 9,
        "speaker": "jeyhun-bayramov",
        "as_printed": "Bayramov",
        "title": "Minister of Foreign Affairs of Azerbaijan",
        "span": "Azerbaijani allegations about Armenian “provocations” against his country’s "
        "territorial integrity",
        "text": "Repeated Azerbaijani allegations about Armenian “provocations” against "
        "Azerbaijan’s territorial integrity.",
        "mode": "mixed",
        "medium": "phone_call",
        "said_on": "2023-09-09",
        "precision": "day",
        "recipients": ["yuri-kim"],
        "mention": ("Bayramov", "Bayramov was reported"),
        "cue": "was reported to repeat",
        "date_evidence": ("on Saturday", "by phone on Saturday"),
        "tags": ["Nagorno-Karabakh", "Diplomacy", "Territorial integrity"],
        "events": ["kim-bayramov-call-2023-09-09"],
    },
    {
        "n": 10,
        "speaker": "ministry-of-defence-of-azerbaijan",
        "as_printed": "The Azerbaijani military",
        "title": "",
        "span": "one of its soldiers was wounded in Karabakh after hitting a landmine which it "
        "claimed was planted by Karabakh Armenian forces during a “sabotage” raid",
        "text": "Said that one of its soldiers was wounded in Karabakh after hitting a "
        "landmine planted by Karabakh Armenian forces during a “sabotage” raid.",
        "mode": "mixed",
        "medium": "other",
        "said_on": "2023-09-10",
        "precision": "day",
        "mention": "The Azerbaijani military",
        "cue": ("said", "military said"),
        "date_evidence": ("on Sunday", "said on Sunday"),
        "tags": ["Nagorno-Karabakh", "Landmine", "Ceasefire violations"],
        "events": ["landmine-incident-2023-09"],
    },
    {
        "n": 11,
        "speaker": "nagorno-karabakh-defence-army",
        "as_printed": "Karabakh’s army",
        "title": "",
        "span": ("the claim", "strongly denied the claim"),
        "text": "Strongly denied the Azerbaijani claim that Karabakh Armenian forces planted "
        "the landmine that wounded an Azerbaijani soldier.",
        "mode": "indirect",
        "medium": "other",
        "said_on": "2023-09-10",
        "precision": "on_or_before",
        "mention": "Karabakh’s army",
        "cue": "strongly denied",
        "tags": ["Nagorno-Karabakh", "Landmine"],
        "events": ["landmine-incident-2023-09"],
    },
    {
        "n": 12,
        "speaker": "nagorno-karabakh-defence-army",
        "as_printed": "It",
        "title": "",
        "span": "Baku of preparing the ground for military action with increased “false "
        "reports” about Armenian ceasefire violations",
        "text": "Accused Baku of preparing the ground for military action with increased "
        "“false reports” about Armenian ceasefire violations.",
        "mode": "mixed",
        "medium": "other",
        "said_on": "2023-09-10",
        "precision": "on_or_before",
        "mention": ("It", "It again accused"),
        "cue": ("accused", "It again accused"),
        "tags": ["Nagorno-Karabakh", "Military buildup", "Ceasefire violations"],
        "events": ["azerbaijani-military-buildup-2023-09"],
    },
]

# slug: (text, status, tags, [(statement n, stance)])
CLAIMS: dict[str, tuple[str, str, list[str], list[tuple[int, str]]]] = {
    "humanitarian-situation-nagorno-karabakh-deteriorating": (
        "The humanitarian situation in Nagorno-Karabakh is rapidly deteriorating.",
        "unverified",
        ["Humanitarian access"],
        [(1, "asserts")],
    ),
    "humanitarian-supplies-positioned-lachin-aghdam": (
        "Humanitarian supplies are positioned near both the Lachin and Aghdam routes into "
        "Nagorno-Karabakh.",
        "unverified",
        ["Humanitarian access", "Lachin corridor", "Aghdam route"],
        [(2, "asserts")],
    ),
    "azerbaijan-preparing-offensive-nagorno-karabakh": (
        "Azerbaijan is preparing a new military offensive in Nagorno-Karabakh.",
        "unverified",
        ["Military buildup"],
        [(4, "asserts"), (6, "asserts"), (12, "asserts")],
    ),
    "azerbaijani-military-buildup-september-2023": (
        "Azerbaijan built up its forces in the Nagorno-Karabakh conflict zone in the week "
        "of 4 September 2023.",
        "unverified",
        ["Military buildup"],
        [(5, "asserts")],
    ),
    "pashinian-offered-aliyev-urgent-talks": (
        "Nikol Pashinian has offered to hold urgent talks with Ilham Aliyev.",
        "disputed",
        ["Talks"],
        [(7, "asserts"), (8, "questions")],
    ),
    "armenian-provocations-against-azerbaijan-territorial-integrity": (
        "Armenian forces are committing provocations against Azerbaijan's territorial integrity.",
        "unverified",
        ["Territorial integrity"],
        [(9, "asserts")],
    ),
    "landmine-planted-by-karabakh-armenian-forces": (
        "An Azerbaijani soldier was wounded in Karabakh by a landmine planted by Karabakh "
        "Armenian forces during a sabotage raid.",
        "disputed",
        ["Landmine"],
        [(10, "asserts"), (11, "denies")],
    ),
    "armenian-forces-violated-ceasefire": (
        "Karabakh Armenian forces have violated the ceasefire with Azerbaijan.",
        "disputed",
        ["Ceasefire violations"],
        [(10, "asserts"), (12, "denies")],
    ),
}

# slug: dict of fields; participants as [(actor slug, role)]
EVENTS: dict[str, dict] = {
    "pashinian-phone-calls-2023-09-09": {
        "title": "Pashinian's phone calls with Blinken and the leaders of France, Germany and Iran",
        "description": "On Saturday 9 September 2023 Nikol Pashinian spoke by phone with "
        "Antony Blinken and with the leaders of France, Germany and Iran, and offered to "
        "hold urgent talks with Ilham Aliyev.",
        "kind": "consult",
        "mode": "phone",
        "start": ("2023-09-09", "day"),
        "participants": [
            ("nikol-pashinian", "actor"),
            ("antony-blinken", "participant"),
            ("france", "participant"),
            ("germany", "participant"),
            ("iran", "participant"),
        ],
        "tags": ["Talks", "Diplomacy"],
    },
    "kim-bayramov-call-2023-09-09": {
        "title": "Yuri Kim's phone call with Jeyhun Bayramov",
        "description": "Acting U.S. Assistant Secretary of State Yuri Kim spoke with "
        "Azerbaijani Foreign Minister Jeyhun Bayramov by phone on Saturday 9 September "
        "2023, their second call in two days.",
        "kind": "consult",
        "mode": "phone",
        "start": ("2023-09-09", "day"),
        "participants": [("yuri-kim", "actor"), ("jeyhun-bayramov", "participant")],
        "tags": ["Diplomacy"],
    },
    "kim-bayramov-call-2023-09-earlier": {
        "title": "Yuri Kim's earlier phone call with Jeyhun Bayramov",
        "description": 'The first of two calls "in two days" before the one of Saturday '
        "9 September 2023: on 7 or 8 September, so recorded by week.",
        "kind": "consult",
        "mode": "phone",
        "start": ("2023-09-04", "week"),
        "participants": [("yuri-kim", "actor"), ("jeyhun-bayramov", "participant")],
        "tags": ["Diplomacy"],
    },
    "landmine-incident-2023-09": {
        "title": "Azerbaijani soldier wounded by a landmine in Karabakh",
        "description": "The Azerbaijani military said one of its soldiers was wounded "
        "after hitting a landmine it claimed Karabakh Armenian forces planted during a "
        "sabotage raid; Karabakh's army denied it. Reported on Sunday 10 September 2023; "
        "the day of the incident is not given.",
        "kind": "assault",
        "mode": "",
        "start": ("2023-09-10", "on_or_before"),
        "location": "Nagorno-Karabakh",
        "participants": [
            ("ministry-of-defence-of-azerbaijan", "recipient"),
            ("nagorno-karabakh-defence-army", "participant"),
        ],
        "tags": ["Landmine", "Ceasefire violations"],
    },
    "azerbaijani-military-buildup-2023-09": {
        "title": "Reported Azerbaijani military buildup around Nagorno-Karabakh",
        "description": "The Armenian government reported an Azerbaijani military buildup "
        "in the conflict zone in the week of 4 September 2023.",
        "kind": "mobilize",
        "mode": "",
        "start": ("2023-09-04", "week"),
        "location": "Nagorno-Karabakh conflict zone",
        "participants": [("azerbaijan", "actor"), ("nagorno-karabakh", "recipient")],
        "tags": ["Military buildup"],
    },
}


def split_header(text: str) -> tuple[datetime.date, str]:
    match = HEADER.match(text)
    if not match:
        raise SystemExit(f"{SEED_TEXT}: no 'date YYYY-MM-DD' header")
    return datetime.date.fromisoformat(match.group(1)), text[match.end() :]


def locate(body: str, where: Where) -> tuple[int, int]:
    """Offsets of the words in the body; they (or their anchor) must occur exactly once."""
    words, anchor = (where, where) if isinstance(where, str) else where
    count = body.count(anchor)
    if count != 1:
        raise SystemExit(f"{anchor!r} occurs {count} times in the body, not once")
    if anchor.count(words) != 1:
        raise SystemExit(f"{words!r} is not once in its anchor {anchor!r}")
    start = body.index(anchor) + anchor.index(words)
    return start, start + len(words)


def statement_uid(n: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"karabakh-2023-09-10/{n}")


def build(body: str, published_on: datetime.date) -> None:
    from django.db import transaction

    from actors.models import Actor, Alias, Role
    from statements.models import (
        Claim,
        Event,
        EventParticipant,
        Source,
        Stance,
        Statement,
    )

    def day(value: str | None) -> datetime.date | None:
        return datetime.date.fromisoformat(value) if value else None

    with transaction.atomic():
        actors: dict[str, Actor] = {}
        for slug, (name, kind, parent, wikidata_id, description) in ACTORS.items():
            actors[slug] = Actor.objects.create(
                slug=slug,
                name=name,
                kind=kind,
                parent=actors[parent] if parent else None,
                wikidata_id=wikidata_id,
                description=description,
            )
        for slug, aliases in ALIASES.items():
            for name, kind in aliases:
                alias = Alias(actor=actors[slug], name=name, kind=kind)
                alias.full_clean()
                alias.save()
        for slug, title, organization, start, end in ROLES:
            role = Role(
                actor=actors[slug],
                title=title,
                organization=actors[organization] if organization else None,
                start_date=day(start),
                end_date=day(end),
            )
            role.full_clean()
            role.save()

        source = Source.objects.create(body=body, published_on=published_on, **SOURCE)

        events: dict[str, Event] = {}
        for slug, data in EVENTS.items():
            start, precision = data["start"]
            event = Event.objects.create(
                slug=slug,
                title=data["title"],
                description=data["description"],
                kind=data["kind"],
                mode=data["mode"],
                start_date=day(start),
                start_precision=precision,
                location=data.get("location", ""),
            )
            event.sources.add(source)
            event.tags.add(*data["tags"])
            for actor_slug, role in data["participants"]:
                EventParticipant.objects.create(event=event, actor=actors[actor_slug], role=role)
            events[slug] = event

        statements: dict[int, Statement] = {}
        for data in STATEMENTS:
            span_start, span_end = locate(body, data["span"])
            span_text = body[span_start:span_end]
            if data["mode"] == "direct" and data.get("text", span_text) != span_text:
                raise SystemExit(f"statement {data['n']}: a direct quote's text must be its span")
            extraction = {"entered_by": "hand"}
            for key in ("mention", "cue", "date_evidence"):
                if key in data:
                    start, end = locate(body, data[key])
                    name = "speaker_mention" if key == "mention" else key
                    extraction[name] = {"start": start, "end": end, "text": body[start:end]}
            statement = Statement(
                uid=statement_uid(data["n"]),
                source=source,
                speaker=actors[data["speaker"]],
                speaker_as_printed=data["as_printed"],
                speaker_title=data["title"],
                text=data.get("text", span_text),
                mode=data["mode"],
                medium=data["medium"],
                said_on=day(data["said_on"]),
                date_precision=data["precision"],
                span_start=span_start,
                span_end=span_end,
                status="published",
                extraction=extraction,
            )
            statement.full_clean()
            statement.save()
            statement.recipients.set([actors[slug] for slug in data.get("recipients", [])])
            statement.events.set([events[slug] for slug in data.get("events", [])])
            statement.tags.add(*data["tags"])
            statements[data["n"]] = statement

        for slug, (text, status, tags, stances) in CLAIMS.items():
            claim = Claim.objects.create(slug=slug, text=text, status=status)
            claim.tags.add(*tags)
            for n, stance in stances:
                Stance.objects.create(statement=statements[n], claim=claim, stance=stance)

        for model in (Actor, Source, Statement, Claim, Event):
            model.objects.update(created_at=STAMP, updated_at=STAMP)


def dump(output: Path) -> None:
    from django.apps import apps
    from django.core.management import call_command

    excluded = [
        f"{model._meta.app_label}.{model._meta.model_name}"
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
        or model._meta.label_lower == "statements.tally"  # derived: triggers count on load
    ]
    raw = output.with_suffix(".tmp")
    call_command(
        "dumpdata",
        "actors",
        "statements",
        "taggit",
        exclude=excluded,
        natural_foreign=True,
        natural_primary=True,
        indent=2,
        output=str(raw),
        verbosity=0,
    )
    records = json.loads(raw.read_text(encoding="utf-8"))
    raw.unlink()
    for record in records:
        # Derived by a PostgreSQL trigger where it exists; never carried in data.
        record["fields"].pop("search_vector", None)
        if record["model"] == "statements.stance":
            # The statement's date, copied by the database (models/tally_sql.py).
            record["fields"].pop("said_on", None)
    output.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)

    published_on, body = split_header(SEED_TEXT.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        # Always a fresh throwaway database: never the developer's or PostgreSQL.
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'seedbuild.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
        sys.path.insert(0, str(REPO))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        build(body, published_on)
        dump(args.output)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
