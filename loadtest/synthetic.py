"""Deterministic synthetic data for benchmarks and demos (``manage.py generate_synthetic``).

Everything comes from one seeded ``random.Random``: the same seed and the same
starting ids give the same rows, byte for byte. The shape is meant to look like a
desk's archive after a few years:

- actors: states, their governments, ministries and armed forces (with parents),
  people holding roles in them, media and groups; aliases (capital metonyms, short
  names, transliterations);
- speakers, tags, claims, events and words are Zipf-skewed, so there are busy and
  rare speakers, common and rare tags and full-text terms;
- every statement's text stands verbatim in its source's body at its span
  (``body[span_start:span_end] == text``);
- mostly published, a few drafts and discarded rows, a few draft sources.

Rows are plain tuples in the database's column order (``TABLES``), so the loader
can COPY them on PostgreSQL and ``executemany`` them on SQLite.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import json
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.utils.text import slugify

from actors.text import fold

#: A claim slug prefix that marks a database as holding synthetic data.
CLAIM_SLUG_PREFIX = "syn-"
START_DATE = datetime.date(2021, 1, 1)
END_DATE = datetime.date(2024, 12, 31)
STATEMENTS_PER_CHUNK = 50_000

TABLES: dict[str, tuple[str, ...]] = {
    "actors_actor": (
        "id",
        "name",
        "name_folded",
        "slug",
        "kind",
        "description",
        "wikidata_id",
        "needs_review",
        "created_at",
        "updated_at",
        "parent_id",
    ),
    "actors_alias": ("id", "name", "name_folded", "kind", "actor_id"),
    "actors_role": ("id", "title", "start_date", "end_date", "actor_id", "organization_id"),
    "taggit_tag": ("id", "name", "slug"),
    "statements_claim": (
        "id",
        "text",
        "slug",
        "description",
        "status",
        "created_at",
        "updated_at",
    ),
    "statements_taggedclaim": ("id", "content_object_id", "tag_id"),
    "statements_event": (
        "id",
        "title",
        "slug",
        "description",
        "kind",
        "mode",
        "start_date",
        "start_precision",
        "end_date",
        "end_precision",
        "location",
        "created_at",
        "updated_at",
    ),
    "statements_eventparticipant": ("id", "role", "actor_id", "event_id"),
    "statements_taggedevent": ("id", "content_object_id", "tag_id"),
    "statements_source": (
        "id",
        "title",
        "publisher",
        "url",
        "published_on",
        "language",
        "body",
        "sha256",
        "status",
        "created_at",
        "updated_at",
    ),
    "statements_statement": (
        "id",
        "uid",
        "speaker_as_printed",
        "speaker_title",
        "text",
        "mode",
        "medium",
        "said_on",
        "date_precision",
        "span_start",
        "span_end",
        "status",
        "extraction",
        "created_at",
        "updated_at",
        "source_id",
        "speaker_id",
    ),
    "statements_taggedstatement": ("id", "content_object_id", "tag_id"),
    "statements_stance": ("id", "stance", "claim_id", "statement_id"),
    "statements_statement_recipients": ("id", "statement_id", "actor_id"),
    "statements_statement_events": ("id", "statement_id", "event_id"),
    "statements_event_sources": ("id", "event_id", "source_id"),
}

STATES = [
    ("Azerbaijan", "Baku", "Azerbaijani"),
    ("Armenia", "Yerevan", "Armenian"),
    ("Russia", "Moscow", "Russian"),
    ("Türkiye", "Ankara", "Turkish"),
    ("Iran", "Tehran", "Iranian"),
    ("Georgia", "Tbilisi", "Georgian"),
    ("France", "Paris", "French"),
    ("Germany", "Berlin", "German"),
    ("United States", "Washington", "US"),
    ("United Kingdom", "London", "British"),
    ("Ukraine", "Kyiv", "Ukrainian"),
    ("Poland", "Warsaw", "Polish"),
    ("Kazakhstan", "Astana", "Kazakh"),
    ("China", "Beijing", "Chinese"),
    ("India", "New Delhi", "Indian"),
    ("Israel", "Jerusalem", "Israeli"),
    ("Egypt", "Cairo", "Egyptian"),
    ("Qatar", "Doha", "Qatari"),
    ("Greece", "Athens", "Greek"),
    ("Italy", "Rome", "Italian"),
    ("Spain", "Madrid", "Spanish"),
    ("Canada", "Ottawa", "Canadian"),
    ("Japan", "Tokyo", "Japanese"),
    ("Brazil", "Brasília", "Brazilian"),
    ("Moldova", "Chișinău", "Moldovan"),
    ("Belarus", "Minsk", "Belarusian"),
    ("Hungary", "Budapest", "Hungarian"),
    ("Romania", "Bucharest", "Romanian"),
    ("Serbia", "Belgrade", "Serbian"),
    ("Pakistan", "Islamabad", "Pakistani"),
]
ORGANIZATIONS = [
    "United Nations",
    "European Union",
    "NATO",
    "OSCE Minsk Group",
    "International Committee of the Red Cross",
    "Human Rights Watch",
    "Amnesty International",
    "World Food Programme",
    "UNHCR",
    "Council of Europe",
    "Collective Security Treaty Organization",
    "African Union",
    "World Health Organization",
    "International Criminal Court",
    "Médecins Sans Frontières",
]
MEDIA = [
    "Reuters",
    "Associated Press",
    "Agence France-Presse",
    "TASS",
    "APA",
    "Armenpress",
    "BBC",
    "Al Jazeera",
    "Anadolu Agency",
    "Interfax",
    "Trend",
    "Eurasianet",
    "OC Media",
    "CivilNet",
    "Report.az",
    "News.am",
]
GROUPS = [
    "Nagorno-Karabakh Defence Army",
    "Karabakh Movement",
    "Veterans' Union",
    "Refugee Council",
    "Students for Peace",
    "Free Press Coalition",
    "Border Villages Committee",
    "Mothers of the Missing",
    "Diaspora Forum",
    "Ceasefire Monitors Network",
]
FIRST_NAMES = [
    "Nikol",
    "Ilham",
    "Ararat",
    "Jeyhun",
    "Hikmet",
    "Samvel",
    "Anna",
    "Maria",
    "Sergei",
    "Olena",
    "Ahmad",
    "Leyla",
    "Mirzoyan",
    "Charles",
    "Emmanuel",
    "Antony",
    "Josep",
    "Kaja",
    "Tigran",
    "Ruben",
    "Gulnara",
    "Aysel",
    "David",
    "Elena",
    "Karen",
    "Narek",
    "Vagif",
    "Zara",
    "Fatima",
    "Ali",
    "Mehmet",
    "Recep",
    "Olaf",
    "Ursula",
    "Jens",
    "Rashad",
    "Hayk",
    "Lilit",
    "Sevinj",
    "Armen",
    "Giorgi",
    "Nino",
    "Irakli",
    "Tamar",
    "Hovhannes",
    "Elchin",
    "Şahin",
    "Gökhan",
    "Hülya",
    "Zoë",
    "François",
    "José",
    "Łukasz",
    "Jiří",
    "Søren",
    "Ólafur",
    "Dmitry",
    "Yulia",
    "Oksana",
    "Wang",
    "Li",
]
LAST_NAMES = [
    "Pashinyan",
    "Aliyev",
    "Mirzoyan",
    "Bayramov",
    "Hajiyev",
    "Babayan",
    "Petrosyan",
    "Grigoryan",
    "Hasanov",
    "Mammadov",
    "Ivanova",
    "Lavrov",
    "Zakharova",
    "Peskov",
    "Michel",
    "Macron",
    "Blinken",
    "Borrell",
    "Kallas",
    "Sargsyan",
    "Vardanyan",
    "Harutyunyan",
    "Huseynov",
    "Guliyev",
    "Karapetyan",
    "Avetisyan",
    "Rahimov",
    "Abbasov",
    "Kocharyan",
    "Ohanyan",
    "Beridze",
    "Kobakhidze",
    "Gharibashvili",
    "Çavuşoğlu",
    "Fidan",
    "Erdoğan",
    "Scholz",
    "von der Leyen",
    "Stoltenberg",
    "Muller",
    "Dubois",
    "García",
    "Nowak",
    "Novák",
    "Sørensen",
    "Kowalczyk",
    "Ismayilova",
    "Aghayan",
    "Simonyan",
    "Tonoyan",
    "Davtyan",
    "Galstyan",
    "Hakobyan",
]
PERSON_TITLES = {
    "government": [
        "Prime Minister",
        "President",
        "Foreign Minister",
        "Deputy Foreign Minister",
        "Government spokesperson",
        "Minister of Defence",
        "Ombudsman",
        "Presidential aide",
        "Minister of Interior",
        "Ambassador",
    ],
    "military": [
        "Chief of General Staff",
        "Defence Ministry spokesperson",
        "Commander",
        "Deputy Minister of Defence",
        "Border Guard chief",
    ],
    "organization": [
        "Secretary-General",
        "Spokesperson",
        "Special Representative",
        "High Representative",
        "Head of Mission",
        "Director",
    ],
    "media": ["Correspondent", "Editor", "Analyst"],
    "group": ["Chair", "Spokesperson", "Founder"],
}
TAG_NAMES = [
    "ceasefire",
    "military",
    "diplomacy",
    "humanitarian",
    "border",
    "peace-talks",
    "refugees",
    "sanctions",
    "energy",
    "prisoners",
    "mines",
    "corridor",
    "blockade",
    "elections",
    "human-rights",
    "shelling",
    "drones",
    "negotiations",
    "aid",
    "protest",
    "gas",
    "oil",
    "railway",
    "water",
    "casualties",
    "evacuation",
    "peacekeepers",
    "constitution",
    "media-freedom",
    "cyber",
    "trade",
    "visa",
    "religion",
    "heritage",
    "environment",
    "grain",
    "nuclear",
    "airspace",
    "maritime",
    "cultural-sites",
]
DOMAIN_WORDS = [
    "ceasefire",
    "forces",
    "border",
    "military",
    "talks",
    "peace",
    "government",
    "people",
    "region",
    "security",
    "attack",
    "civilians",
    "agreement",
    "support",
    "humanitarian",
    "troops",
    "president",
    "minister",
    "positions",
    "sovereignty",
    "territory",
    "army",
    "villages",
    "settlement",
    "negotiations",
    "corridor",
    "refugees",
    "convoy",
    "shelling",
    "drone",
    "artillery",
    "provocation",
    "withdrawal",
    "integration",
    "rights",
    "guarantees",
    "international",
    "mediation",
    "violation",
    "lines",
    "defence",
    "operation",
    "aid",
    "population",
    "sanctions",
    "energy",
    "pipeline",
    "railway",
    "mission",
    "observers",
    "ministry",
    "statement",
    "report",
    "evidence",
    "investigation",
    "prisoners",
    "mines",
    "evacuation",
    "crossing",
    "blockade",
    "supplies",
    "food",
    "medicine",
    "hospital",
    "elections",
    "constitution",
    "parliament",
    "opposition",
    "protest",
    "delegation",
]
STOP_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "with",
    "will",
    "we",
    "are",
    "our",
    "be",
    "by",
    "this",
    "not",
    "has",
    "have",
    "it",
    "was",
    "its",
    "from",
    "as",
    "at",
    "all",
    "they",
    "their",
    "an",
    "any",
    "no",
    "must",
    "should",
    "would",
]
SYLLABLES = [
    "ka",
    "ra",
    "ba",
    "zan",
    "gor",
    "ni",
    "vel",
    "tar",
    "mek",
    "lo",
    "su",
    "dre",
    "pol",
    "vin",
    "sha",
    "hov",
    "ar",
    "en",
    "is",
    "um",
    "or",
    "tek",
    "bri",
    "sol",
    "man",
    "dor",
    "qa",
    "yev",
    "ost",
    "lan",
    "cer",
    "fin",
    "gal",
    "hem",
    "jul",
    "kor",
    "lum",
    "nor",
]
CLAIM_TEMPLATES = [
    "{a} is preparing a new military offensive in {place}",
    "{a} violated the ceasefire near {place}",
    "{a} blocked humanitarian supplies to {place}",
    "{a} shelled civilian areas in {place}",
    "{a} is holding prisoners of war from {b}",
    "{a} agreed to withdraw troops from {place}",
    "{a} received weapons from {b}",
    "{a} is ready to sign a peace treaty with {b}",
    "{a} laid new mines near {place}",
    "{a} guarantees the safety of residents of {place}",
]
PLACES = [
    "Lachin",
    "Shusha",
    "Stepanakert",
    "Khankendi",
    "Aghdam",
    "Fuzuli",
    "Jermuk",
    "Sotk",
    "Goris",
    "Kapan",
    "Tavush",
    "Gazakh",
    "Nakhchivan",
    "Syunik",
    "Tartar",
    "Martakert",
    "Askeran",
    "Hadrut",
    "Kalbajar",
    "Zangilan",
    "Ijevan",
    "Vardenis",
    "Meghri",
    "Berdzor",
]
LOCATIONS = [
    "Brussels",
    "Moscow",
    "Washington",
    "Prague",
    "Granada",
    "Almaty",
    "Geneva",
    "Vienna",
    "Sochi",
    "Ankara",
    "Tbilisi",
    "Munich",
    "Paris",
    "Astana",
]
MEDIUM_PHRASES = {
    "written_statement": "said in a written statement",
    "press_conference": "told a press conference",
    "phone_call": "said in a phone call",
    "interview": "said in an interview",
    "speech": "said in a speech",
    "social_media": "wrote on social media",
    "meeting": "said at a meeting",
    "other": "said",
}
MEDIA_WEIGHTS = {
    "written_statement": 18,
    "press_conference": 22,
    "phone_call": 8,
    "interview": 16,
    "speech": 10,
    "social_media": 18,
    "meeting": 6,
    "other": 2,
}


def zipf_cum_weights(n: int, s: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank**s) for rank in range(1, n + 1)))


@dataclass
class Batch:
    table: str
    rows: list[tuple]

    @property
    def columns(self) -> tuple[str, ...]:
        return TABLES[self.table]


@dataclass
class Manifest:
    """What the benchmark needs to know about a generated dataset."""

    common_word: str = ""
    rare_word: str = ""
    words: list[str] = field(default_factory=list)


class SyntheticData:
    """Rows for ``n`` statements; ids start at ``first_ids[table]`` (default 1)."""

    def __init__(
        self,
        n: int,
        seed: int = 1,
        first_ids: dict[str, int] | None = None,
        existing_tags: dict[str, int] | None = None,
    ) -> None:
        if n < 1:
            raise ValueError("the number of statements must be at least 1")
        self.n = n
        self.seed = seed
        self.rng = random.Random(seed)
        self.next_id = dict.fromkeys(TABLES, 1)
        self.next_id.update(first_ids or {})
        self.existing_tags = existing_tags or {}
        scale = max(1, n // 1000)
        self.n_persons = min(4000, 60 + scale * 2)
        self.n_claims = min(5000, 20 + scale * 5)
        self.n_events = min(20000, 20 + scale * 20)
        self.stamp = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
        self.days = (END_DATE - START_DATE).days + 1
        self._vocabulary()

    # ids -------------------------------------------------------------------------
    def _ids(self, table: str, count: int) -> range:
        start = self.next_id[table]
        self.next_id[table] = start + count
        return range(start, start + count)

    def _id(self, table: str) -> int:
        return self._ids(table, 1)[0]

    # vocabulary --------------------------------------------------------------------
    def _vocabulary(self) -> None:
        rng = random.Random(self.seed * 7919 + 1)
        pseudo: set[str] = set()
        while len(pseudo) < 20000:
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
            pseudo.add(word)
        tail = sorted(pseudo)
        rng.shuffle(tail)
        head: list[str] = []
        domain = list(DOMAIN_WORDS)
        stops = list(STOP_WORDS)
        # Stop words and domain words interleave at the top of the ranking.
        while domain or stops:
            if stops:
                head.append(stops.pop(0))
            if domain:
                head.append(domain.pop(0))
            if stops and len(head) % 3 == 0:
                head.append(stops.pop(0))
        self.words = head + [w for w in tail if w not in set(head)]
        self.word_cw = zipf_cum_weights(len(self.words), 1.05)
        self.manifest = Manifest(
            common_word=DOMAIN_WORDS[0], rare_word=self.words[6000], words=self.words[:200]
        )

    # reference data ---------------------------------------------------------------
    def reference(self) -> Iterator[Batch]:
        rng = self.rng
        actors: list[tuple] = []
        aliases: list[tuple] = []
        roles: list[tuple] = []
        self.actor_kind: dict[int, str] = {}
        self.actor_name: dict[int, str] = {}
        self.actor_slug: dict[int, str] = {}
        self.person_titles: dict[int, str] = {}
        self.institutions: list[tuple[int, str]] = []  # (id, kind) for roles
        self.states: list[int] = []

        def add_actor(name: str, kind: str, parent: int | None, description: str = "") -> int:
            actor_id = self._id("actors_actor")
            slug = f"{slugify(name)[:150] or 'actor'}-{len(actors) + 1}"
            wikidata = f"Q{rng.randint(100, 9_999_999)}" if rng.random() < 0.3 else ""
            actors.append(
                (
                    actor_id,
                    name,
                    fold(name),
                    slug,
                    kind,
                    description,
                    wikidata,
                    False,
                    self.stamp,
                    self.stamp,
                    parent,
                )
            )
            self.actor_kind[actor_id] = kind
            self.actor_name[actor_id] = name
            self.actor_slug[actor_id] = slug
            return actor_id

        def add_alias(actor_id: int, name: str, kind: str) -> None:
            aliases.append((self._id("actors_alias"), name, fold(name), kind, actor_id))

        for state, capital, adjective in STATES:
            state_id = add_actor(state, "state", None, f"The state of {state}.")
            self.states.append(state_id)
            add_alias(state_id, capital, "metonym")
            government = add_actor(f"Government of {state}", "government", state_id)
            add_alias(government, f"{adjective} government", "short")
            foreign = add_actor(f"Ministry of Foreign Affairs of {state}", "government", state_id)
            add_alias(foreign, f"{adjective} Foreign Ministry", "short")
            defence = add_actor(f"Ministry of Defence of {state}", "military", government)
            add_alias(defence, f"{adjective} Defence Ministry", "short")
            forces = add_actor(f"Armed Forces of {state}", "military", defence)
            add_alias(forces, f"{adjective} army", "metonym")
            self.institutions += [
                (government, "government"),
                (foreign, "government"),
                (defence, "military"),
                (forces, "military"),
            ]
        for name in ORGANIZATIONS:
            self.institutions.append((add_actor(name, "organization", None), "organization"))
        for name in MEDIA:
            self.institutions.append((add_actor(name, "media", None), "media"))
        for name in GROUPS:
            self.institutions.append((add_actor(name, "group", None), "group"))
        for _ in range(self.n_persons):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            person = add_actor(f"{first} {last}", "person", None)
            add_alias(person, last, "short")
            if rng.random() < 0.2:
                add_alias(person, f"{first[0]}. {last}", "short")
            organization, kind = rng.choice(self.institutions)
            title = rng.choice(PERSON_TITLES[kind])
            start = START_DATE - datetime.timedelta(days=rng.randint(0, 2000))
            end = None
            if rng.random() < 0.3:
                end = START_DATE + datetime.timedelta(days=rng.randint(0, self.days))
                roles.append((self._id("actors_role"), title, start, end, person, organization))
                later, kind = rng.choice(self.institutions)
                title = rng.choice(PERSON_TITLES[kind])
                roles.append(
                    (
                        self._id("actors_role"),
                        title,
                        end + datetime.timedelta(days=1),
                        None,
                        person,
                        later,
                    )
                )
            else:
                roles.append((self._id("actors_role"), title, start, None, person, organization))
            self.person_titles[person] = title
        # Speakers: persons first (they speak most), then institutions, shuffled by seed.
        ids = [row[0] for row in actors]
        rng.shuffle(ids)
        persons = [a for a in ids if self.actor_kind[a] == "person"]
        others = [a for a in ids if self.actor_kind[a] != "person"]
        self.speakers = persons[:3] + others[:10] + persons[3:] + others[10:]
        self.speaker_cw = zipf_cum_weights(len(self.speakers), 1.0)
        self.recipient_pool = [a for a in ids if self.actor_kind[a] in ("state", "government")]
        yield Batch("actors_actor", actors)
        yield Batch("actors_alias", aliases)
        yield Batch("actors_role", roles)

        # Tags: a fixed vocabulary plus a long tail of specific topics.
        tag_names = list(TAG_NAMES) + [
            f"{place.lower()}-{topic}"
            for place in PLACES
            for topic in ("talks", "clashes", "aid", "border")
        ]
        tag_names += [f"topic-{w}" for w in self.words[300 : 300 + 400]]
        tags: list[tuple] = []
        self.tag_ids: list[int] = []
        for name in tag_names:
            slug = slugify(name)
            if slug in self.existing_tags:
                self.tag_ids.append(self.existing_tags[slug])
                continue
            tag_id = self._id("taggit_tag")
            tags.append((tag_id, name, slug))
            self.tag_ids.append(tag_id)
        self.tag_slugs = [slugify(n) for n in tag_names]
        self.tag_cw = zipf_cum_weights(len(self.tag_ids), 1.1)
        yield Batch("taggit_tag", tags)

        claims, claim_tags = [], []
        self.claim_ids = []
        for i in range(self.n_claims):
            a, b = rng.sample(STATES, 2)
            text = rng.choice(CLAIM_TEMPLATES).format(a=a[0], b=b[0], place=rng.choice(PLACES))
            claim_id = self._id("statements_claim")
            self.claim_ids.append(claim_id)
            status = rng.choices(
                ["unverified", "disputed", "confirmed", "refuted"], [50, 25, 15, 10]
            )[0]
            claims.append(
                (
                    claim_id,
                    text,
                    f"{CLAIM_SLUG_PREFIX}{i + 1}-{slugify(text)[:120]}",
                    "",
                    status,
                    self.stamp,
                    self.stamp,
                )
            )
            for tag in self._pick_tags(2):
                claim_tags.append((self._id("statements_taggedclaim"), claim_id, tag))
        rng.shuffle(self.claim_ids)
        self.claim_cw = zipf_cum_weights(len(self.claim_ids), 1.0)
        yield Batch("statements_claim", claims)
        yield Batch("statements_taggedclaim", claim_tags)

        events, participants, event_tags = [], [], []
        self.event_ids = []
        kinds = [
            "agree",
            "consult",
            "support",
            "concede",
            "cooperate",
            "aid",
            "retreat",
            "request",
            "accuse",
            "reject",
            "threaten",
            "protest",
            "sanction",
            "mobilize",
            "coerce",
            "assault",
            "other",
        ]
        for i in range(self.n_events):
            kind = rng.choice(kinds)
            start = START_DATE + datetime.timedelta(days=rng.randrange(self.days))
            end = start + datetime.timedelta(days=rng.randint(0, 3)) if rng.random() < 0.3 else None
            a, b = rng.sample(self.states, 2)
            place = rng.choice(LOCATIONS)
            title = f"{self.actor_name[a]} and {self.actor_name[b]}: {kind} in {place}"
            event_id = self._id("statements_event")
            self.event_ids.append(event_id)
            events.append(
                (
                    event_id,
                    title,
                    f"syn-event-{i + 1}",
                    "",
                    kind,
                    rng.choice(["", "phone", "in person", "video"]),
                    start,
                    "day",
                    end,
                    "day",
                    place,
                    self.stamp,
                    self.stamp,
                )
            )
            participants.append((self._id("statements_eventparticipant"), "actor", a, event_id))
            participants.append((self._id("statements_eventparticipant"), "recipient", b, event_id))
            for tag in self._pick_tags(2):
                event_tags.append((self._id("statements_taggedevent"), event_id, tag))
        self.event_cw = zipf_cum_weights(len(self.event_ids), 1.0)
        yield Batch("statements_event", events)
        yield Batch("statements_eventparticipant", participants)
        yield Batch("statements_taggedevent", event_tags)

    def _pick_tags(self, count: int) -> list[int]:
        picked: list[int] = []
        while len(picked) < count:
            tag = self.rng.choices(self.tag_ids, cum_weights=self.tag_cw)[0]
            if tag not in picked:
                picked.append(tag)
        return picked

    # statements and their sources --------------------------------------------------
    def statements(self) -> Iterator[list[Batch]]:
        """Chunks of (sources, statements, their links), ``STATEMENTS_PER_CHUNK`` each."""
        rng = self.rng
        random_ = rng.random
        remaining = self.n
        event_sources: set[tuple[int, int]] = set()
        word_urn = urn(self.words, self.word_cw, 2_000_000)
        speaker_urn = urn(self.speakers, self.speaker_cw, 200_000)
        tag_urn = urn(self.tag_ids, self.tag_cw, 200_000)
        claim_urn = urn(self.claim_ids, self.claim_cw, 200_000)
        event_urn = urn(self.event_ids, self.event_cw, 200_000)
        medium_urn = [m for m, w in MEDIA_WEIGHTS.items() for _ in range(w)]
        mode_urn = ["direct"] * 12 + ["mixed"] * 3 + ["indirect"] * 5
        stance_urn = ["asserts"] * 6 + ["denies"] * 3 + ["questions"]
        n_tags_urn = (1, 2, 3, 3, 3, 4, 5)
        publishers = MEDIA
        recipient_pool = self.recipient_pool
        titles = self.person_titles
        names = self.actor_name
        kinds = self.actor_kind
        first_day = START_DATE.toordinal()
        days = self.days
        while remaining:
            count = min(STATEMENTS_PER_CHUNK, remaining)
            remaining -= count
            speakers = rng.choices(speaker_urn, k=count)
            lengths = [int(random_() * 19) + 6 for _ in range(count)]
            words = rng.choices(word_urn, k=sum(lengths))
            tag_draws = rng.choices(tag_urn, k=count * 6)
            mediums = rng.choices(medium_urn, k=count)
            modes = rng.choices(mode_urn, k=count)
            sources, statements, tagged, stances, recipients, links = [], [], [], [], [], []
            next_statement = self.next_id["statements_statement"]
            next_source = self.next_id["statements_source"]
            position = 0
            index = 0
            while index < count:
                per_source = min(count - index, int(random_() * 13) + 2)
                day = datetime.date.fromordinal(first_day + int(random_() * days))
                source_id = next_source
                next_source += 1
                publisher = publishers[int(random_() * len(publishers))]
                source_status = "published" if random_() < 0.995 else "draft"
                title = f"{publisher}: {' '.join(words[position : position + 6]).capitalize()}"
                parts = [title, "\n\n"]
                offset = len(title) + 2
                for _ in range(per_source):
                    speaker = speakers[index]
                    n_words = lengths[index]
                    text = " ".join(words[position : position + n_words]).capitalize() + "."
                    position += n_words
                    roll = random_()
                    if roll < 0.006:
                        if roll < 0.002:
                            text = "=" + text  # a cell a spreadsheet would run: the guard's job
                        elif roll < 0.004:
                            text = '- "' + text + '" she repeated'
                        else:
                            text = text + " \u2014 \u00ab" + words[position] + "\u00bb \u2713"
                    printed = names[speaker]
                    if kinds[speaker] == "person" and random_() < 0.2:
                        printed = printed.rsplit(" ", 1)[-1]
                    medium = mediums[index]
                    lead = f"{printed} {MEDIUM_PHRASES[medium]}: \u201c"
                    span_start = offset + len(lead)
                    span_end = span_start + len(text)
                    tail = "\u201d \n\n" if random_() < 0.3 else "\u201d "
                    parts += (lead, text, tail)
                    offset = span_end + len(tail)
                    statement_id = next_statement
                    next_statement += 1
                    roll = random_()
                    status = (
                        "published" if roll < 0.97 else "draft" if roll < 0.995 else "discarded"
                    )
                    roll = random_()
                    if roll < 0.85:
                        precision = "day"
                    elif roll < 0.93:
                        precision = "on_or_before"
                    else:
                        precision = "week" if roll < 0.97 else "month"
                    said_on = day
                    if precision != "on_or_before" and random_() < 0.3:
                        said_on = max(
                            START_DATE, day - datetime.timedelta(days=int(random_() * 3) + 1)
                        )
                    created = datetime.datetime(
                        said_on.year, said_on.month, said_on.day, 12, tzinfo=datetime.UTC
                    )
                    statements.append(
                        (
                            statement_id,
                            uuid.UUID(int=rng.getrandbits(128), version=4),
                            printed,
                            titles.get(speaker, ""),
                            text,
                            modes[index],
                            medium,
                            said_on,
                            precision,
                            span_start,
                            span_end,
                            status,
                            "{}",
                            created,
                            created,
                            source_id,
                            speaker,
                        )
                    )
                    # Tags: one to five, three on average, Zipf over the vocabulary.
                    n_tags = n_tags_urn[int(random_() * 7)]
                    seen: list[int] = []
                    for tag in tag_draws[index * 6 : index * 6 + 6]:
                        if tag not in seen:
                            seen.append(tag)
                            if len(seen) == n_tags:
                                break
                    for tag in seen:
                        tagged.append((statement_id, tag))
                    if random_() < 0.2:
                        claims = {claim_urn[int(random_() * len(claim_urn))]}
                        if random_() < 0.3:
                            claims.add(claim_urn[int(random_() * len(claim_urn))])
                        for claim in sorted(claims):
                            stances.append((stance_urn[int(random_() * 10)], claim, statement_id))
                    if random_() < 0.3:
                        actor = recipient_pool[int(random_() * len(recipient_pool))]
                        if actor != speaker:
                            recipients.append((statement_id, actor))
                    if random_() < 0.1:
                        event = event_urn[int(random_() * len(event_urn))]
                        links.append((statement_id, event))
                        event_sources.add((event, source_id))
                    index += 1
                body = "".join(parts).rstrip() + "\n"
                sources.append(
                    (
                        source_id,
                        title,
                        publisher,
                        f"https://synthetic.example/{self.seed}/{source_id}",
                        day,
                        "en",
                        body,
                        hashlib.sha256(body.encode("utf-8")).hexdigest(),
                        source_status,
                        self.stamp,
                        self.stamp,
                    )
                )
            self.next_id["statements_statement"] = next_statement
            self.next_id["statements_source"] = next_source
            yield [
                Batch("statements_source", sources),
                Batch("statements_statement", statements),
                self._numbered("statements_taggedstatement", tagged),
                self._numbered("statements_stance", stances),
                self._numbered("statements_statement_recipients", recipients),
                self._numbered("statements_statement_events", links),
            ]
        yield [self._numbered("statements_event_sources", sorted(event_sources))]

    def _numbered(self, table: str, rows: list[tuple]) -> Batch:
        ids = self._ids(table, len(rows))
        return Batch(table, [(i, *row) for i, row in zip(ids, rows, strict=True)])


def urn(population: list, cum_weights: list[float], size: int) -> list:
    """A list where each item appears in proportion to its weight (at least once):
    uniform draws from it are Zipf draws from ``population``, without a bisect each."""
    total = cum_weights[-1]
    out: list = []
    previous = 0.0
    for item, cumulative in zip(population, cum_weights, strict=True):
        out.extend([item] * max(1, round((cumulative - previous) / total * size)))
        previous = cumulative
    return out


def digest(batches: Iterator[Batch]) -> str:
    """A stable digest of generated rows (for determinism checks)."""
    h = hashlib.sha256()
    for batch in batches:
        h.update(batch.table.encode())
        for row in batch.rows:
            h.update(json.dumps(row, default=str, ensure_ascii=False).encode())
    return h.hexdigest()


# Loading -------------------------------------------------------------------------------
BIG_TABLES = (
    "statements_statement",
    "statements_taggedstatement",
    "statements_stance",
    "statements_statement_recipients",
    "statements_statement_events",
)


class SyntheticDataExists(Exception):
    pass


def synthetic_present() -> bool:
    from statements.models import Claim

    return Claim.objects.filter(slug__startswith=CLAIM_SLUG_PREFIX).exists()


def load(n: int, seed: int = 1, log=lambda message: None) -> Manifest:
    """Generate and store ``n`` statements (with everything around them), all or nothing.

    PostgreSQL: COPY through psycopg 3. As superuser the per-row triggers are skipped
    (``session_replication_role = replica``) and their work is done set-based: the
    search vector is computed in the INSERT from a staging table, and one query checks
    every span against its body (and the foreign keys) before commit. SQLite:
    ``executemany`` in one transaction (its span triggers run per row; cheap there).
    """
    import time

    from django.db import connection, transaction

    from tracker import summaries

    if synthetic_present():
        raise SyntheticDataExists(
            "synthetic data is already present in this database; use an empty database"
        )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        first_ids = {}
        for table in TABLES:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
            first_ids[table] = cursor.fetchone()[0]
        cursor.execute("SELECT slug, id FROM taggit_tag")
        data = SyntheticData(n, seed, first_ids, existing_tags=dict(cursor.fetchall()))
        if connection.vendor == "postgresql":
            _load_postgresql(cursor, data, first_ids, log)
        else:
            with _sqlite_text_index_set_based(cursor, first_ids["statements_statement"]):
                for batch in data.reference():
                    _insert_rows(cursor, batch)
                for chunk in data.statements():
                    for batch in chunk:
                        _insert_rows(cursor, batch)
        summaries.bump()  # rows written without signals: cached summaries are stale
        log(f"loaded in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql" and connection.get_autocommit():
        # VACUUM as well: it sets the visibility map, so index-only scans (capped
        # counts, tag links) skip the heap; ~5 s at 1M. Not possible in a transaction.
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"ANALYZE {table}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    log(f"analysed at {time.perf_counter() - started:.1f} s")
    return data.manifest


@contextmanager
def _sqlite_text_index_set_based(cursor, first_id: int):
    """SQLite: migration 0009's trigram index filled once after the load, not by its
    per-row trigger (which doubled the load: 7 → 14 s at 100k). The trigger is dropped
    and re-created from its own stored SQL, inside the load's transaction."""
    cursor.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
        ["statement_text_fts_insert"],
    )
    row = cursor.fetchone()
    if row is None:  # no trigram index in this SQLite
        yield
        return
    cursor.execute("DROP TRIGGER statement_text_fts_insert")
    yield
    cursor.execute(
        "INSERT INTO statement_text_fts (rowid, text, speaker_as_printed) "
        "SELECT id, text, speaker_as_printed FROM statements_statement WHERE id >= %s",
        [first_id],
    )
    cursor.execute(row[0])


def _insert_rows(cursor, batch: Batch) -> None:
    if not batch.rows:
        return
    columns = ", ".join(batch.columns)
    marks = ", ".join(["%s"] * len(batch.columns))
    cursor.executemany(
        f"INSERT INTO {batch.table} ({columns}) VALUES ({marks})",
        [tuple(_sqlite_value(v) for v in row) for row in batch.rows],
    )


def _sqlite_value(value):
    """Values as Django stores them on SQLite (UUID hex, naive UTC datetimes, ISO dates)."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


#: The columns behind a table's trigger-rendered ``csv_cells`` (migration 0007): the
#: loader renders them itself, as the export does, since it may skip the triggers.
CELL_COLUMNS = {
    "actors_actor": ("name", "slug", "kind"),
    "statements_source": ("title", "url", "published_on"),
}


def _copy_rows(cursor, batch: Batch, table: str | None = None, cells=None) -> None:
    from statements.csv_copy import rendered_cells

    if not batch.rows:
        return
    columns, rows = batch.columns, batch.rows
    if batch.table in CELL_COLUMNS:
        at = [columns.index(name) for name in CELL_COLUMNS[batch.table]]
        columns = (*columns, "csv_cells")
        rows = [(*row, rendered_cells([row[i] for i in at])) for row in rows]
    elif cells is not None:
        columns = (*columns, "csv_head", "csv_body")
        rows = cells.rows(batch.rows)
    with cursor.cursor.copy(
        f"COPY {table or batch.table} ({', '.join(columns)}) FROM STDIN"
    ) as copy:
        write = copy.write_row
        for row in rows:
            write(row)


def _load_postgresql(cursor, data: SyntheticData, first_ids: dict[str, int], log) -> None:
    import time

    started = time.perf_counter()
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    fast = bool(cursor.fetchone()[0])
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    cursor.execute("SET LOCAL synchronous_commit = off")
    rebuild: list[str] = []
    if fast:
        cursor.execute("SET LOCAL session_replication_role = replica")
        # Not TEMP: parallel workers compute the search vectors and cannot read temp tables.
        cursor.execute("CREATE UNLOGGED TABLE synthetic_statement (LIKE statements_statement)")
        if first_ids["statements_statement"] == 1 and data.n >= 100_000:
            # An empty table: build its secondary indexes once at the end, not row by row.
            cursor.execute(
                """
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                  FROM pg_index i
                 WHERE i.indrelid = ANY(%s::regclass[])
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                """,
                [list(BIG_TABLES)],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {name}")
                rebuild.append(definition)
    for batch in data.reference():
        _copy_rows(cursor, batch)
    log(f"reference data in {time.perf_counter() - started:.1f} s")
    cells = StatementCells(data)
    for chunk in data.statements():
        cells.index(chunk)
        for batch in chunk:
            if batch.table == "statements_statement":
                table = "synthetic_statement" if fast else None
                _copy_rows(cursor, batch, table=table, cells=cells)
            else:
                _copy_rows(cursor, batch)
        log(
            f"generated up to statement {data.next_id['statements_statement'] - 1} "
            f"at {time.perf_counter() - started:.1f} s"
        )
    if fast:
        _statements_from_staging(cursor)
        log(f"statements with search vectors at {time.perf_counter() - started:.1f} s")
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        _verify_postgresql(cursor, first_ids)
        log(f"verified at {time.perf_counter() - started:.1f} s")
    for definition in rebuild:
        cursor.execute(definition)
    if rebuild:
        log(f"indexes rebuilt at {time.perf_counter() - started:.1f} s")
    for table in TABLES:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))",
            [table],
        )


class StatementCells:
    """A chunk's statements with their CSV cells (migration 0007), rendered in Python as
    the export renders them: the loader may skip the triggers that would render them."""

    def __init__(self, data: SyntheticData):
        from statements.csv_copy import CellRenderer

        self.render = CellRenderer()
        self.tag_slugs = dict(zip(data.tag_ids, data.tag_slugs, strict=True))
        self.actor_slugs = data.actor_slug
        self.links: dict[int, dict[str, list]] = {}

    def index(self, chunk: list[Batch]) -> None:
        links: dict[int, dict[str, list]] = {}

        def add(statement: int, kind: str, value) -> None:
            links.setdefault(statement, {}).setdefault(kind, []).append(value)

        for batch in chunk:
            if batch.table == "statements_taggedstatement":
                for _, statement, tag in batch.rows:
                    add(statement, "tags", self.tag_slugs[tag])
            elif batch.table == "statements_stance":
                for _, stance, claim, statement in batch.rows:
                    add(statement, "claims", (claim, stance))
            elif batch.table == "statements_statement_recipients":
                for _, statement, actor in batch.rows:
                    add(statement, "recipients", self.actor_slugs[actor])
            elif batch.table == "statements_statement_events":
                for _, statement, event in batch.rows:
                    add(statement, "events", event)
        self.links = links

    def rows(self, rows: list[tuple]) -> list[tuple]:
        columns = TABLES["statements_statement"]
        names = ("id", "said_on", "date_precision", "speaker_title", "mode", "medium", "text")
        i_id, i_said_on, i_precision, i_title, i_mode, i_medium, i_text = map(columns.index, names)
        one, links, none = self.render.one, self.links, {}
        out = []
        for row in rows:
            found = links.get(row[i_id], none)
            claims = sorted(found.get("claims", ()))
            # id and ISO date: digits and dashes, never guarded or quoted.
            head = f"{row[i_id]},{row[i_said_on].isoformat()},{one(row[i_precision])},"
            body = ",".join(
                [
                    one(row[i_title]),
                    one(row[i_mode]),
                    one(row[i_medium]),
                    one(row[i_text]),
                    one(";".join(sorted(found.get("recipients", ())))),
                    one(";".join([f"{stance}:{claim}" for claim, stance in claims])),
                    ";".join([str(e) for e in sorted(found.get("events", ()))]),
                    one(";".join(sorted(found.get("tags", ())))),
                    "",
                ]
            )
            out.append((*row, head, body))
        return out


def _statements_from_staging(cursor) -> None:
    """Move staged rows (CSV cells included, see :class:`StatementCells`) into
    statements_statement with the search vector the trigger (migration 0003) would
    compute: text weighted A, printed name + the speaker's name and aliases weighted B.
    Text vectors are computed by parallel workers; the speaker part once per (speaker,
    printed name) pair."""
    columns = TABLES["statements_statement"]
    for setting in (
        "parallel_setup_cost = 0",
        "parallel_tuple_cost = 0",
        "min_parallel_table_scan_size = 0",
        "max_parallel_workers_per_gather = 2",
    ):
        cursor.execute(f"SET LOCAL {setting}")
    cursor.execute(
        "CREATE UNLOGGED TABLE synthetic_text_vector AS "
        "SELECT id, setweight(to_tsvector('english', text), 'A') AS v FROM synthetic_statement"
    )
    cursor.execute(
        """
        CREATE TEMP TABLE synthetic_speaker_vector ON COMMIT DROP AS
        SELECT p.speaker_id, p.speaker_as_printed,
               setweight(to_tsvector('english', p.speaker_as_printed || ' ' || coalesce(
                   (SELECT a.name || ' ' || coalesce(string_agg(al.name, ' '), '')
                      FROM actors_actor a LEFT JOIN actors_alias al ON al.actor_id = a.id
                     WHERE a.id = p.speaker_id GROUP BY a.id), '')), 'B') AS v
          FROM (SELECT DISTINCT speaker_id, speaker_as_printed FROM synthetic_statement) p
        """
    )
    cursor.execute(
        f"""
        INSERT INTO statements_statement ({", ".join(columns)}, search_vector,
                                          csv_head, csv_body)
        SELECT {", ".join("s." + c for c in columns)}, t.v || p.v, s.csv_head, s.csv_body
          FROM synthetic_statement s
          JOIN synthetic_text_vector t ON t.id = s.id
          JOIN synthetic_speaker_vector p
            ON p.speaker_id = s.speaker_id AND p.speaker_as_printed = s.speaker_as_printed
        """
    )
    cursor.execute(
        "DROP TABLE synthetic_statement, synthetic_text_vector, synthetic_speaker_vector"
    )


#: (table, column, referenced table) checked after a trigger-less load.
FOREIGN_KEYS = [
    ("statements_statement", "source_id", "statements_source"),
    ("statements_statement", "speaker_id", "actors_actor"),
    ("statements_taggedstatement", "content_object_id", "statements_statement"),
    ("statements_taggedstatement", "tag_id", "taggit_tag"),
    ("statements_stance", "statement_id", "statements_statement"),
    ("statements_stance", "claim_id", "statements_claim"),
    ("statements_statement_recipients", "actor_id", "actors_actor"),
    ("statements_statement_events", "event_id", "statements_event"),
    ("statements_event_sources", "source_id", "statements_source"),
]


def _verify_postgresql(cursor, first_ids: dict[str, int]) -> None:
    """What the skipped triggers would have refused, checked set-based (raises → rollback)."""
    cursor.execute(
        """
        SELECT count(*) FROM statements_statement s
          JOIN statements_source so ON so.id = s.source_id
         WHERE s.id >= %s AND (s.span_end > char_length(so.body) OR s.search_vector IS NULL)
        """,
        [first_ids["statements_statement"]],
    )
    bad = cursor.fetchone()[0]
    if bad:
        raise ValueError(f"{bad} synthetic statements do not stand at their span")
    for table, column, target in FOREIGN_KEYS:
        cursor.execute(
            f"SELECT count(*) FROM {table} t WHERE t.id >= %s AND NOT EXISTS "
            f"(SELECT 1 FROM {target} r WHERE r.id = t.{column})",
            [first_ids[table]],
        )
        bad = cursor.fetchone()[0]
        if bad:
            raise ValueError(f"{bad} rows of {table} point at a missing {target}")
