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

Rows are plain tuples in the order of each :class:`Table`'s generated fields, so the
loader can COPY them on PostgreSQL and ``executemany`` them on SQLite. Table and column
names, foreign keys and defaults come from the models; the names, words and places the
text is made of come from ``loadtest/data/``.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import itertools
import json
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.text import slugify
from taggit.models import Tag

from actors.models import Actor, Alias, Role
from actors.text import fold
from statements.models import (
    Claim,
    Event,
    EventParticipant,
    Source,
    Stance,
    Statement,
    TaggedClaim,
    TaggedEvent,
    TaggedStatement,
)
from statements.models.choices import EventKind, Medium

#: A claim slug prefix that marks a database as holding synthetic data.
CLAIM_SLUG_PREFIX = "syn-"
START_DATE = datetime.date(2021, 1, 1)
END_DATE = datetime.date(2024, 12, 31)
STATEMENTS_PER_CHUNK = 50_000
DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Table:
    """A table the loader fills: its model and the fields a generated row holds, in order.

    Table and column names come from the model (``db_table``, ``db_column``, the
    through model of a many-to-many). Any other concrete field gets its constant default
    on every row, or stays NULL where it may; a field with neither (or with a callable
    default, which would make rows differ from run to run) must be generated, and
    loading says so instead of guessing.
    """

    model: type[models.Model]
    fields: tuple[str, ...]

    @functools.cached_property
    def name(self) -> str:
        return self.model._meta.db_table

    @functools.cached_property
    def defaults(self) -> tuple[tuple[str, object], ...]:
        """(column, value) for each concrete field the generator leaves to its default."""
        generated = {self.model._meta.get_field(name) for name in self.fields}
        out = []
        for f in self.model._meta.concrete_fields:
            if f in generated or (f.null and not f.has_default()):
                continue
            if f.has_db_default():
                continue
            if not f.has_default() or callable(f.default):
                raise ImproperlyConfigured(
                    f"{self.model._meta.label}.{f.name} has no constant default: "
                    "the synthetic generator must generate it (loadtest/synthetic.py)"
                )
            out.append((f.column, f.get_default()))
        return tuple(out)

    @functools.cached_property
    def columns(self) -> tuple[str, ...]:
        """The columns of a stored row: the generated fields', then the defaulted ones."""
        named = tuple(self.model._meta.get_field(name).column for name in self.fields)
        return named + tuple(column for column, _ in self.defaults)

    def stored(self, rows: list[tuple]) -> list[tuple]:
        """Generated rows with the defaulted columns' values appended."""
        if not self.defaults:
            return rows
        tail = tuple(value for _, value in self.defaults)
        return [row + tail for row in rows]

    def foreign_keys(self) -> list[tuple[str, str, str]]:
        """(column, referenced table, referenced column) of each foreign key."""
        return [
            (f.column, f.related_model._meta.db_table, f.target_field.column)
            for f in self.model._meta.concrete_fields
            if f.many_to_one or f.one_to_one
        ]


CREATED = ("created_at", "updated_at")
ACTORS = Table(
    Actor,
    ("id", "name", "name_folded", "slug", "kind", "description", "wikidata_id")
    + ("needs_review", *CREATED, "parent"),
)
ALIASES = Table(Alias, ("id", "name", "name_folded", "kind", "actor"))
ROLES = Table(Role, ("id", "title", "start_date", "end_date", "actor", "organization"))
TAGS = Table(Tag, ("id", "name", "slug"))
CLAIMS = Table(Claim, ("id", "text", "slug", "description", "status", *CREATED))
CLAIM_TAGS = Table(TaggedClaim, ("id", "content_object", "tag"))
EVENTS = Table(
    Event,
    ("id", "title", "slug", "description", "kind", "mode", "start_date", "start_precision")
    + ("end_date", "end_precision", "location", *CREATED),
)
PARTICIPANTS = Table(EventParticipant, ("id", "role", "actor", "event"))
EVENT_TAGS = Table(TaggedEvent, ("id", "content_object", "tag"))
SOURCES = Table(
    Source,
    ("id", "title", "publisher", "url", "published_on", "language", "body", "sha256")
    + ("status", *CREATED),
)
STATEMENTS = Table(
    Statement,
    ("id", "uid", "speaker_as_printed", "speaker_title", "text", "mode", "medium", "said_on")
    + ("date_precision", "span_start", "span_end", "status", "extraction", *CREATED)
    + ("source", "speaker"),
)
STATEMENT_TAGS = Table(TaggedStatement, ("id", "content_object", "tag"))
STANCES = Table(Stance, ("id", "stance", "claim", "statement", "said_on"))
RECIPIENTS = Table(Statement.recipients.through, ("id", "statement", "actor"))
STATEMENT_EVENTS = Table(Statement.events.through, ("id", "statement", "event"))
EVENT_SOURCES = Table(Event.sources.through, ("id", "event", "source"))

#: Every table the loader writes, by name, in the order it writes them.
TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        ACTORS,
        ALIASES,
        ROLES,
        TAGS,
        CLAIMS,
        CLAIM_TAGS,
        EVENTS,
        PARTICIPANTS,
        EVENT_TAGS,
        SOURCES,
        STATEMENTS,
        STATEMENT_TAGS,
        STANCES,
        RECIPIENTS,
        STATEMENT_EVENTS,
        EVENT_SOURCES,
    )
}


@dataclass(frozen=True)
class Vocabulary:
    """The names, words and places synthetic text is made of (``loadtest/data/*.json``)."""

    states: list[tuple[str, str, str]]  # (name, capital, adjective)
    organizations: list[str]
    media: list[str]
    groups: list[str]
    first_names: list[str]
    last_names: list[str]
    person_titles: dict[str, list[str]]  # by the kind of institution a person serves
    tag_names: list[str]
    domain_words: list[str]
    stop_words: list[str]
    syllables: list[str]
    claim_templates: list[str]
    medium_phrases: dict[str, str]
    places: list[str]
    locations: list[str]


@functools.cache
def vocabulary() -> Vocabulary:
    values: dict = {}
    for name in ("names", "words", "places"):
        data = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
        values.update({key: value for key, value in data.items() if not key.startswith("_")})
    values["states"] = [tuple(state) for state in values["states"]]
    words = Vocabulary(**values)
    if set(words.medium_phrases) != set(Medium.values):
        raise ImproperlyConfigured("words.json: medium_phrases must name every Medium")
    return words


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
        return TABLES[self.table].columns

    def stored(self) -> list[tuple]:
        """The rows as stored: with the columns left to their defaults."""
        return TABLES[self.table].stored(self.rows)


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
        self.vocab = vocabulary()
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
    def _ids(self, table: Table, count: int) -> range:
        start = self.next_id[table.name]
        self.next_id[table.name] = start + count
        return range(start, start + count)

    def _id(self, table: Table) -> int:
        return self._ids(table, 1)[0]

    # vocabulary --------------------------------------------------------------------
    def _vocabulary(self) -> None:
        rng = random.Random(self.seed * 7919 + 1)
        pseudo: set[str] = set()
        while len(pseudo) < 20000:
            word = "".join(rng.choice(self.vocab.syllables) for _ in range(rng.randint(2, 4)))
            pseudo.add(word)
        tail = sorted(pseudo)
        rng.shuffle(tail)
        head: list[str] = []
        domain = list(self.vocab.domain_words)
        stops = list(self.vocab.stop_words)
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
            common_word=self.vocab.domain_words[0],
            rare_word=self.words[6000],
            words=self.words[:200],
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
            actor_id = self._id(ACTORS)
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
            aliases.append((self._id(ALIASES), name, fold(name), kind, actor_id))

        for state, capital, adjective in self.vocab.states:
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
        for name in self.vocab.organizations:
            self.institutions.append((add_actor(name, "organization", None), "organization"))
        for name in self.vocab.media:
            self.institutions.append((add_actor(name, "media", None), "media"))
        for name in self.vocab.groups:
            self.institutions.append((add_actor(name, "group", None), "group"))
        for _ in range(self.n_persons):
            first, last = rng.choice(self.vocab.first_names), rng.choice(self.vocab.last_names)
            person = add_actor(f"{first} {last}", "person", None)
            add_alias(person, last, "short")
            if rng.random() < 0.2:
                add_alias(person, f"{first[0]}. {last}", "short")
            organization, kind = rng.choice(self.institutions)
            title = rng.choice(self.vocab.person_titles[kind])
            start = START_DATE - datetime.timedelta(days=rng.randint(0, 2000))
            end = None
            if rng.random() < 0.3:
                end = START_DATE + datetime.timedelta(days=rng.randint(0, self.days))
                roles.append((self._id(ROLES), title, start, end, person, organization))
                later, kind = rng.choice(self.institutions)
                title = rng.choice(self.vocab.person_titles[kind])
                roles.append(
                    (
                        self._id(ROLES),
                        title,
                        end + datetime.timedelta(days=1),
                        None,
                        person,
                        later,
                    )
                )
            else:
                roles.append((self._id(ROLES), title, start, None, person, organization))
            self.person_titles[person] = title
        # Speakers: persons first (they speak most), then institutions, shuffled by seed.
        ids = [row[0] for row in actors]
        rng.shuffle(ids)
        persons = [a for a in ids if self.actor_kind[a] == "person"]
        others = [a for a in ids if self.actor_kind[a] != "person"]
        self.speakers = persons[:3] + others[:10] + persons[3:] + others[10:]
        self.speaker_cw = zipf_cum_weights(len(self.speakers), 1.0)
        self.recipient_pool = [a for a in ids if self.actor_kind[a] in ("state", "government")]
        yield Batch(ACTORS.name, actors)
        yield Batch(ALIASES.name, aliases)
        yield Batch(ROLES.name, roles)

        # Tags: a fixed vocabulary plus a long tail of specific topics.
        tag_names = list(self.vocab.tag_names) + [
            f"{place.lower()}-{topic}"
            for place in self.vocab.places
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
            tag_id = self._id(TAGS)
            tags.append((tag_id, name, slug))
            self.tag_ids.append(tag_id)
        self.tag_slugs = [slugify(n) for n in tag_names]
        self.tag_cw = zipf_cum_weights(len(self.tag_ids), 1.1)
        yield Batch(TAGS.name, tags)

        claims, claim_tags = [], []
        self.claim_ids = []
        for i in range(self.n_claims):
            a, b = rng.sample(self.vocab.states, 2)
            text = rng.choice(self.vocab.claim_templates).format(
                a=a[0], b=b[0], place=rng.choice(self.vocab.places)
            )
            claim_id = self._id(CLAIMS)
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
                claim_tags.append((self._id(CLAIM_TAGS), claim_id, tag))
        rng.shuffle(self.claim_ids)
        self.claim_cw = zipf_cum_weights(len(self.claim_ids), 1.0)
        yield Batch(CLAIMS.name, claims)
        yield Batch(CLAIM_TAGS.name, claim_tags)

        events, participants, event_tags = [], [], []
        self.event_ids = []
        kinds = list(EventKind.values)
        for i in range(self.n_events):
            kind = rng.choice(kinds)
            start = START_DATE + datetime.timedelta(days=rng.randrange(self.days))
            end = start + datetime.timedelta(days=rng.randint(0, 3)) if rng.random() < 0.3 else None
            a, b = rng.sample(self.states, 2)
            place = rng.choice(self.vocab.locations)
            title = f"{self.actor_name[a]} and {self.actor_name[b]}: {kind} in {place}"
            event_id = self._id(EVENTS)
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
            participants.append((self._id(PARTICIPANTS), "actor", a, event_id))
            participants.append((self._id(PARTICIPANTS), "recipient", b, event_id))
            for tag in self._pick_tags(2):
                event_tags.append((self._id(EVENT_TAGS), event_id, tag))
        self.event_cw = zipf_cum_weights(len(self.event_ids), 1.0)
        yield Batch(EVENTS.name, events)
        yield Batch(PARTICIPANTS.name, participants)
        yield Batch(EVENT_TAGS.name, event_tags)

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
        publishers = self.vocab.media
        phrases = self.vocab.medium_phrases
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
            next_statement = self.next_id[STATEMENTS.name]
            next_source = self.next_id[SOURCES.name]
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
                    lead = f"{printed} {phrases[medium]}: \u201c"
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
                            stances.append(
                                (stance_urn[int(random_() * 10)], claim, statement_id, said_on)
                            )
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
            self.next_id[STATEMENTS.name] = next_statement
            self.next_id[SOURCES.name] = next_source
            yield [
                Batch(SOURCES.name, sources),
                Batch(STATEMENTS.name, statements),
                self._numbered(STATEMENT_TAGS, tagged),
                self._numbered(STANCES, stances),
                self._numbered(RECIPIENTS, recipients),
                self._numbered(STATEMENT_EVENTS, links),
            ]
        yield [self._numbered(EVENT_SOURCES, sorted(event_sources))]

    def _numbered(self, table: Table, rows: list[tuple]) -> Batch:
        ids = self._ids(table, len(rows))
        return Batch(table.name, [(i, *row) for i, row in zip(ids, rows, strict=True)])


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
#: The tables that grow with the number of statements (an empty one has its secondary
#: indexes built once after a large PostgreSQL load).
BIG_TABLES = tuple(
    t.name for t in (STATEMENTS, STATEMENT_TAGS, STANCES, RECIPIENTS, STATEMENT_EVENTS)
)


class SyntheticDataExists(Exception):
    pass


def synthetic_present() -> bool:
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

    from tracker import data_version as summaries

    if synthetic_present():
        raise SyntheticDataExists(
            "synthetic data is already present in this database; use an empty database"
        )
    for table in TABLES.values():
        table.columns  # noqa: B018 - a field the generator cannot fill fails here, before any write
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        first_ids = {}
        for name, table in TABLES.items():
            cursor.execute(
                f"SELECT COALESCE(MAX({table.model._meta.pk.column}), 0) + 1 FROM {name}"
            )
            first_ids[name] = cursor.fetchone()[0]
        existing_tags = dict(Tag.objects.values_list("slug", "id"))
        data = SyntheticData(n, seed, first_ids, existing_tags=existing_tags)
        if connection.vendor == "postgresql":
            _load_postgresql(cursor, data, first_ids, log)
        else:
            with _sqlite_text_index_set_based(cursor):
                for batch in data.reference():
                    _insert_rows(cursor, batch)
                for chunk in data.statements():
                    for batch in chunk:
                        _insert_rows(cursor, batch)
        summaries.bump()  # rows written without signals: cached summaries are stale
        log(f"loaded in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql" and connection.get_autocommit():
        # VACUUM as well: it sets the visibility map, so index-only scans (capped
        # counts, tag links) skip the heap. Not possible in a transaction.
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
def _sqlite_text_index_set_based(cursor):
    """SQLite: the trigram index (migration 0009) filled once after the load, not row by
    row by its insert trigger (which doubles the load time). The trigger is dropped and
    re-created from its own stored SQL, inside the load's transaction; the index is
    filled by FTS5's ``rebuild`` command, which reads the columns the index was created
    with, so this code names none of them."""
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
    cursor.execute("INSERT INTO statement_text_fts (statement_text_fts) VALUES ('rebuild')")
    cursor.execute(row[0])


def _insert_rows(cursor, batch: Batch) -> None:
    if not batch.rows:
        return
    columns = ", ".join(batch.columns)
    marks = ", ".join(["%s"] * len(batch.columns))
    cursor.executemany(
        f"INSERT INTO {batch.table} ({columns}) VALUES ({marks})",
        [tuple(_sqlite_value(v) for v in row) for row in batch.stored()],
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


#: The fields behind a table's trigger-rendered ``csv_cells`` (migration 0007) and
#: ``json_cells`` (0012, under the export's keys): the loader renders them itself, as the
#: export does, since it may skip the triggers.
CELL_FIELDS = {
    ACTORS.name: ("name", "slug", "kind"),
    SOURCES.name: ("title", "url", "published_on"),
}
JSON_KEYS = {
    ACTORS.name: ("speaker", "speaker_slug", "speaker_kind"),
    SOURCES.name: ("source_title", "source_url", "source_published_on"),
}


def _copy_rows(cursor, batch: Batch, table: str | None = None, cells=None) -> None:
    from statements.csv.copy import rendered_cells
    from statements.csv.jsonl import members

    if not batch.rows:
        return
    columns, rows = batch.columns, batch.stored()
    if batch.table in CELL_FIELDS:
        at = [TABLES[batch.table].fields.index(name) for name in CELL_FIELDS[batch.table]]
        keys = JSON_KEYS[batch.table]
        columns = (*columns, "csv_cells", "json_cells")
        rows = [
            (
                *row,
                rendered_cells([row[i] for i in at]),
                members(keys, [row[i] for i in at]),
            )
            for row in rows
        ]
    elif cells is not None:
        columns = (*columns, "csv_head", "csv_body", "json_body")
        rows = cells.rows(rows)
    with cursor.cursor.copy(
        f"COPY {table or batch.table} ({', '.join(columns)}) FROM STDIN"
    ) as copy:
        write = copy.write_row
        for row in rows:
            write(row)


def _load_postgresql(cursor, data: SyntheticData, first_ids: dict[str, int], log) -> None:
    import time

    from statements.services import tallies_rebuild

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
        if first_ids[STATEMENTS.name] == 1 and data.n >= 100_000:
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
            if batch.table == STATEMENTS.name:
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
        tallies_rebuild()  # the tally triggers were skipped with the others
        log(f"tallies counted at {time.perf_counter() - started:.1f} s")
        _verify_postgresql(cursor, first_ids)
        log(f"verified at {time.perf_counter() - started:.1f} s")
    for definition in rebuild:
        cursor.execute(definition)
    if rebuild:
        log(f"indexes rebuilt at {time.perf_counter() - started:.1f} s")
    for name, table in TABLES.items():
        pk = table.model._meta.pk.column
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, %s), "
            f"(SELECT COALESCE(MAX({pk}), 1) FROM {name}))",
            [name, pk],
        )


class StatementCells:
    """A chunk's statements with their CSV cells (migration 0007), rendered in Python as
    the export renders them: the loader may skip the triggers that would render them."""

    def __init__(self, data: SyntheticData):
        from statements.csv.copy import CellRenderer
        from statements.csv.jsonl import members

        self.render = CellRenderer()
        self.members = members
        self.tag_slugs = dict(zip(data.tag_ids, data.tag_slugs, strict=True))
        self.actor_slugs = data.actor_slug
        self.links: dict[int, dict[str, list]] = {}

    def index(self, chunk: list[Batch]) -> None:
        links: dict[int, dict[str, list]] = {}

        def add(statement: int, kind: str, value) -> None:
            links.setdefault(statement, {}).setdefault(kind, []).append(value)

        for batch in chunk:
            if batch.table == STATEMENT_TAGS.name:
                for _, statement, tag in batch.rows:
                    add(statement, "tags", self.tag_slugs[tag])
            elif batch.table == STANCES.name:
                for _, stance, claim, statement, _said_on in batch.rows:
                    add(statement, "claims", (claim, stance))
            elif batch.table == RECIPIENTS.name:
                for _, statement, actor in batch.rows:
                    add(statement, "recipients", self.actor_slugs[actor])
            elif batch.table == STATEMENT_EVENTS.name:
                for _, statement, event in batch.rows:
                    add(statement, "events", event)
        self.links = links

    def rows(self, rows: list[tuple]) -> list[tuple]:
        columns = STATEMENTS.columns
        names = ("id", "said_on", "date_precision", "speaker_title", "mode", "medium", "text")
        i_id, i_said_on, i_precision, i_title, i_mode, i_medium, i_text = map(columns.index, names)
        one, links, none = self.render.one, self.links, {}
        json_keys = (*names[3:], "recipients", "claims", "events", "tags")
        out = []
        for row in rows:
            found = links.get(row[i_id], none)
            claims = sorted(found.get("claims", ()))
            recipients = sorted(found.get("recipients", ()))
            events = sorted(found.get("events", ()))
            tags = sorted(found.get("tags", ()))
            # id and ISO date: digits and dashes, never guarded or quoted.
            head = f"{row[i_id]},{row[i_said_on].isoformat()},{one(row[i_precision])},"
            body = ",".join(
                [
                    one(row[i_title]),
                    one(row[i_mode]),
                    one(row[i_medium]),
                    one(row[i_text]),
                    one(";".join(recipients)),
                    one(";".join([f"{stance}:{claim}" for claim, stance in claims])),
                    ";".join([str(e) for e in events]),
                    one(";".join(tags)),
                    "",
                ]
            )
            json_body = self.members(
                json_keys,
                [
                    row[i_title],
                    row[i_mode],
                    row[i_medium],
                    row[i_text],
                    recipients,
                    [{"claim": claim, "stance": stance} for claim, stance in claims],
                    events,
                    tags,
                ],
            )
            out.append((*row, head, body, json_body))
        return out


def _statements_from_staging(cursor) -> None:
    """Move staged rows (CSV cells included, see :class:`StatementCells`) into
    statements_statement with the search vector the trigger (migration 0003) would
    compute: text weighted A, printed name + the speaker's name and aliases weighted B.
    Text vectors are computed by parallel workers; the speaker part once per (speaker,
    printed name) pair.

    The expression restates the trigger function's, split in two: calling the trigger
    would compute both parts row by row, serially. tests/loadtest/test_synthetic.py
    re-fires the trigger over loaded rows and asserts the vectors are unchanged, so the
    two cannot drift apart unnoticed."""
    columns = STATEMENTS.columns
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
    # The tags' part (weight C), as statement_search_document reads them: names in the
    # order of their links (the links are loaded already; the triggers are skipped).
    cursor.execute(
        """
        CREATE UNLOGGED TABLE synthetic_tag_vector AS
        SELECT ts.content_object_id AS id,
               setweight(to_tsvector('english', string_agg(t.name, ' ' ORDER BY ts.id)), 'C') AS v
          FROM statements_taggedstatement ts JOIN taggit_tag t ON t.id = ts.tag_id
         WHERE ts.content_object_id >= (SELECT min(id) FROM synthetic_statement)
         GROUP BY ts.content_object_id
        """
    )
    cursor.execute(
        f"""
        INSERT INTO statements_statement ({", ".join(columns)}, search_vector,
                                          csv_head, csv_body, json_body)
        SELECT {", ".join("s." + c for c in columns)},
               t.v || p.v || coalesce(g.v, ''::tsvector), s.csv_head, s.csv_body, s.json_body
          FROM synthetic_statement s
          JOIN synthetic_text_vector t ON t.id = s.id
          JOIN synthetic_speaker_vector p
            ON p.speaker_id = s.speaker_id AND p.speaker_as_printed = s.speaker_as_printed
          LEFT JOIN synthetic_tag_vector g ON g.id = s.id
        """
    )
    cursor.execute(
        "DROP TABLE synthetic_statement, synthetic_text_vector, synthetic_speaker_vector,"
        " synthetic_tag_vector"
    )


def _verify_postgresql(cursor, first_ids: dict[str, int]) -> None:
    """What the skipped triggers would have refused, checked set-based (raises → rollback)."""
    cursor.execute(
        """
        SELECT count(*) FROM statements_statement s
          JOIN statements_source so ON so.id = s.source_id
         WHERE s.id >= %s AND (s.span_end > char_length(so.body) OR s.search_vector IS NULL)
        """,
        [first_ids[STATEMENTS.name]],
    )
    bad = cursor.fetchone()[0]
    if bad:
        raise ValueError(f"{bad} synthetic statements do not stand at their span")
    for table, column, target, key in foreign_keys():
        cursor.execute(
            f"SELECT count(*) FROM {table} t WHERE t.id >= %s AND t.{column} IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {target} r WHERE r.{key} = t.{column})",
            [first_ids[table]],
        )
        bad = cursor.fetchone()[0]
        if bad:
            raise ValueError(f"{bad} rows of {table} point at a missing {target}")


def foreign_keys() -> list[tuple[str, str, str, str]]:
    """(table, column, referenced table, referenced column) of every foreign key the loader
    writes, from the models: the constraints a trigger-less load skips, checked instead by
    :func:`_verify_postgresql`."""
    return [(table.name, *key) for table in TABLES.values() for key in table.foreign_keys()]
