"""The data dictionary: every exported table and column, its type, meaning, allowed
values and an example.

Generated from the models (a column read from a model field takes its type, its
choices and, unless it says more, its help text from the field) and checked against
the export column definitions (``tables.TABLE_COLUMNS``, ``cells.OPTIONAL_STATEMENT_
COLUMNS``): :func:`undocumented` names any exported column without an entry, and a test
fails on it. The ``/data/`` page, ``docs/data-dictionary.md`` (``manage.py
data_dictionary``) and the ``datapackage.json`` of the bulk download are all written
from :data:`TABLES`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from taggit.models import Tag

from actors.models import Actor
from statements.csv import cells, tables
from statements.models import Claim, Event, Source, Stance, StanceKind, Statement

#: Model field classes as Frictionless Table Schema types (anything else is a string).
FIELD_TYPES = {
    models.AutoField: "integer",
    models.BigAutoField: "integer",
    models.IntegerField: "integer",
    models.DateField: "date",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Frictionless Table Schema type: "integer", "date" or "string"
    meaning: str
    example: str
    values: tuple[tuple[str, str], ...] = ()  # allowed values and their labels
    items: str = ""  # multi-valued: what each item is (";" in CSV, an array in JSON)
    when: str = ""  # for an optional column: when it is there

    @property
    def kind(self) -> str:
        """The type as a reader says it."""
        if self.items:
            return f"list of {self.items}"
        return {"date": "date (YYYY-MM-DD)", "string": "text"}.get(self.type, self.type)


@dataclass(frozen=True)
class TableDoc:
    name: str
    meaning: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    #: (columns, other table, its columns)
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    unique: tuple[str, ...] = ()
    page: str = ""  # the HTML list it exports, if any
    filters: str = ""

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def from_field(
    model, field_name: str, name: str | None = None, *, meaning: str = "", example: str, **more
) -> Column:
    """A column holding a model field's value: its type, its choices and (unless
    ``meaning`` says more) its help text or verbose name come from the field."""
    model_field = model._meta.get_field(field_name)
    kind = next(
        (t for cls, t in FIELD_TYPES.items() if isinstance(model_field, cls)),
        "string",
    )
    described = meaning or str(model_field.help_text) or str(model_field.verbose_name)
    described = described[:1].upper() + described[1:]
    values = tuple((str(v), str(label)) for v, label in model_field.choices or ())
    return Column(name or field_name, kind, described, example, values=values, **more)


def _choices(choices) -> tuple[tuple[str, str], ...]:
    return tuple((str(v), str(label)) for v, label in choices.choices)


def page_url(what: str, example: str) -> Column:
    return Column("url", "string", f"The {what}'s page on this site (absolute).", example)


SITE = "https://tracker.example.org"

STATEMENT_OPTIONAL = (
    from_field(
        Statement,
        "speaker_as_printed",
        example="U.S. Secretary of State Antony Blinken",
        when="?columns=speaker_as_printed",
    ),
    from_field(
        Statement,
        "span_start",
        meaning="Where the statement starts in its source's text (a character offset, "
        "from 0, Python string positions).",
        example="1",
        when="?columns=span_start",
    ),
    from_field(
        Statement,
        "span_end",
        meaning="Where the statement ends in its source's text (the offset after its "
        "last character).",
        example="113",
        when="?columns=span_end",
    ),
    Column(
        "excerpt",
        "string",
        "The words of the source the statement stands for: the source's text from "
        "span_start to span_end.",
        "The United States is deeply concerned about the rapidly deteriorating "
        "humanitarian situation in Nagorno-Karabakh",
        when="?columns=excerpt",
    ),
    Column(
        "claim_texts",
        "string",
        "The texts of the claims it takes a stance on, in the order of the claims column.",
        "The humanitarian situation in Nagorno-Karabakh is rapidly deteriorating.",
        items="claim texts",
        when="?columns=claim_texts",
    ),
    Column(
        "status",
        "string",
        "Whether the public sees the row: published, or draft (a draft statement, or one "
        "from an unpublished source). Last column.",
        "published",
        values=(("published", "Published"), ("draft", "Draft")),
        when="staff who see drafts",
    ),
)

STATEMENTS = TableDoc(
    "statements",
    "What was said: one row per statement, with its speaker, date, source and the claims "
    "it takes a stance on.",
    (
        from_field(Statement, "id", meaning="The statement's id; never reused.", example="1042"),
        from_field(
            Statement,
            "said_on",
            meaning="When it was said, to the precision of date_precision.",
            example="2023-09-10",
        ),
        from_field(
            Statement,
            "date_precision",
            meaning="How precise said_on is. on_or_before: the source does not say when; "
            "said_on is then its publication date.",
            example="on_or_before",
        ),
        from_field(
            Actor, "name", "speaker", meaning="The speaker's name.", example="Antony Blinken"
        ),
        from_field(
            Actor,
            "slug",
            "speaker_slug",
            meaning="The speaker's slug (actors.slug); permanent.",
            example="antony-blinken",
        ),
        from_field(
            Actor, "kind", "speaker_kind", meaning="The speaker's kind of actor.", example="person"
        ),
        from_field(Statement, "speaker_title", example="U.S. Secretary of State"),
        from_field(
            Statement,
            "mode",
            meaning="How the source gives the words: a direct quote, a partial quote or a "
            "paraphrase.",
            example="direct",
        ),
        from_field(Statement, "medium", meaning="How it was said.", example="written_statement"),
        from_field(
            Statement,
            "text",
            meaning="What was said, as the source gives it.",
            example="The United States is deeply concerned about the rapidly deteriorating "
            "humanitarian situation in Nagorno-Karabakh",
        ),
        Column(
            "recipients",
            "string",
            "The actors addressed (actors.slug), in slug order.",
            "azerbaijan;nikol-pashinian",
            items="actor slugs",
        ),
        Column(
            "claims",
            "string",
            "The stances it takes, in claim id order: stance:claim_id in a CSV "
            '(asserts:3;denies:5), {"claim": id, "stance": ...} in JSON. The stances table '
            "has one row per stance.",
            "asserts:3;denies:5",
            values=_choices(StanceKind),
            items="stance:claim_id pairs",
        ),
        Column("events", "string", "The events it is about (events.id).", "2;4", items="event ids"),
        Column(
            "tags",
            "string",
            "Its tags (tags.slug), in slug order.",
            "lachin-corridor",
            items="tag slugs",
        ),
        from_field(
            Source,
            "title",
            "source_title",
            meaning="The title of its source.",
            example="US urges opening of Lachin and Aghdam corridors",
        ),
        from_field(
            Source,
            "url",
            "source_url",
            meaning="Where its source was published; blank when unknown.",
            example="https://news.example.org/2023/09/10/corridors",
        ),
        from_field(
            Source,
            "published_on",
            "source_published_on",
            meaning="When its source was published.",
            example="2023-09-10",
        ),
        page_url("statement", f"{SITE}/statements/1042/"),
        *STATEMENT_OPTIONAL,
    ),
    primary_key=("id",),
    foreign_keys=((("speaker_slug",), "actors", ("slug",)),),
    page="/statements/",
    filters="the statement list's filters (q, speaker, kind, tag, mode, medium, "
    "date_precision, claim, stance, event, source, date_from, date_to, sort)",
)

ACTORS = TableDoc(
    "actors",
    "Who: people, states, governments, armed forces, organisations, media and groups.",
    (
        from_field(Actor, "id", meaning="The actor's id.", example="7"),
        from_field(Actor, "slug", example="antony-blinken"),
        from_field(Actor, "name", meaning="The actor's name.", example="Antony Blinken"),
        from_field(Actor, "kind", meaning="What kind of actor.", example="person"),
        Column(
            "parent_slug",
            "string",
            "The institution it is part of (actors.slug), blank when none.",
            "azerbaijan",
        ),
        from_field(Actor, "wikidata_id", example="Q30"),
        Column(
            "aliases",
            "string",
            "Other names it goes by (matched ignoring case and accents), in order.",
            "Blinken;Secretary Blinken",
            items="names",
        ),
        Column("statements", "integer", "How many statements it made (that you may see).", "3"),
        page_url("actor", f"{SITE}/actors/antony-blinken/"),
    ),
    primary_key=("id",),
    unique=("slug",),
    page="/actors/",
    filters="q (name or alias), kind, parent",
)

CLAIMS = TableDoc(
    "claims",
    "Propositions statements take a stance on, each in one sentence.",
    (
        from_field(Claim, "id", meaning="The claim's id.", example="3"),
        from_field(Claim, "slug", example="humanitarian-situation-nagorno-karabakh-deteriorating"),
        from_field(
            Claim,
            "text",
            example="The humanitarian situation in Nagorno-Karabakh is rapidly deteriorating.",
        ),
        from_field(Claim, "status", meaning="What is known of it.", example="unverified"),
        Column("asserts", "integer", "How many statements assert it.", "4"),
        Column("denies", "integer", "How many statements deny it.", "1"),
        Column("questions", "integer", "How many statements question it.", "0"),
        Column(
            "tags",
            "string",
            "Its tags (tags.slug), in slug order.",
            "humanitarian",
            items="tag slugs",
        ),
        page_url("claim", f"{SITE}/claims/3/"),
    ),
    primary_key=("id",),
    unique=("slug",),
    page="/claims/",
    filters="q, status, tag, speaker",
)

STANCES = TableDoc(
    "stances",
    "One row per statement and claim it takes a stance on; rows follow the statement list "
    "(the same filters), then claim id.",
    (
        Column("statement_id", "integer", "The statement (statements.id).", "1042"),
        Column("claim_id", "integer", "The claim (claims.id).", "3"),
        from_field(
            Stance, "stance", meaning="What the statement does with the claim.", example="asserts"
        ),
        from_field(
            Claim,
            "text",
            "claim_text",
            meaning="The claim's text.",
            example="The humanitarian situation in Nagorno-Karabakh is rapidly deteriorating.",
        ),
        from_field(
            Actor,
            "slug",
            "speaker_slug",
            meaning="Who made the statement (actors.slug).",
            example="antony-blinken",
        ),
        from_field(
            Statement, "said_on", meaning="When the statement was made.", example="2023-09-10"
        ),
        Column(
            "statement_url",
            "string",
            "The statement's page (absolute).",
            f"{SITE}/statements/1042/",
        ),
        Column("claim_url", "string", "The claim's page (absolute).", f"{SITE}/claims/3/"),
    ),
    primary_key=("statement_id", "claim_id"),
    foreign_keys=(
        (("statement_id",), "statements", ("id",)),
        (("claim_id",), "claims", ("id",)),
        (("speaker_slug",), "actors", ("slug",)),
    ),
    page="/statements/",
    filters="the statement list's filters; claim and stance also keep only the stances they name",
)

EVENTS = TableDoc(
    "events",
    "What happened: meetings, calls, attacks, agreements… with who took part.",
    (
        from_field(Event, "id", meaning="The event's id.", example="2"),
        from_field(Event, "slug", example="pashinian-phone-calls-2023-09-09"),
        from_field(
            Event,
            "title",
            example="Pashinian's phone calls with Blinken and the leaders of "
            "France, Germany and Iran",
        ),
        from_field(Event, "kind", meaning="Its PLOVER event category.", example="consult"),
        from_field(Event, "mode", example="phone"),
        from_field(Event, "start_date", example="2023-09-09"),
        from_field(Event, "start_precision", meaning="How precise start_date is.", example="day"),
        from_field(
            Event,
            "end_date",
            meaning="When it ended; blank if on its start date or unknown.",
            example="",
        ),
        from_field(Event, "location", example="Brussels"),
        Column(
            "participants",
            "string",
            "Who took part, as role:actor_slug (roles: actor, recipient, participant), in order.",
            "actor:nikol-pashinian;recipient:antony-blinken",
            items="role:actor_slug pairs",
        ),
        Column(
            "sources", "string", "Sources that tell of it (sources.id).", "1", items="source ids"
        ),
        Column(
            "tags", "string", "Its tags (tags.slug), in slug order.", "diplomacy", items="tag slugs"
        ),
        page_url("event", f"{SITE}/events/2/"),
    ),
    primary_key=("id",),
    unique=("slug",),
    page="/events/",
    filters="q, kind, tag, participant, date_from, date_to (on start_date)",
)

SOURCES = TableDoc(
    "sources",
    "The texts statements are taken from (their full text is on each source's page).",
    (
        from_field(Source, "id", meaning="The source's id.", example="1"),
        from_field(Source, "title", example="US urges opening of Lachin and Aghdam corridors"),
        from_field(Source, "publisher", example="Azatutyun (RFE/RL Armenian Service)"),
        from_field(
            Source,
            "url",
            "source_url",
            meaning="Where it was published; blank when unknown.",
            example="https://news.example.org/2023/09/10/corridors",
        ),
        from_field(Source, "published_on", example="2023-09-10"),
        from_field(Source, "language", meaning="Its language (a language code).", example="en"),
        Column(
            "statements", "integer", "How many statements come from it (that you may see).", "12"
        ),
        page_url("source", f"{SITE}/sources/1/"),
    ),
    primary_key=("id",),
    filters="q (title or publisher), language, date_from, date_to (on published_on)",
)

TAGS = TableDoc(
    "tags",
    "One vocabulary of tags shared by statements, claims and events.",
    (
        from_field(Tag, "slug", example="lachin-corridor"),
        from_field(Tag, "name", example="Lachin corridor"),
        Column("statements", "integer", "How many statements carry it.", "5"),
        Column("claims", "integer", "How many claims carry it.", "1"),
        Column("events", "integer", "How many events carry it.", "0"),
        Column(
            "url",
            "string",
            "The tag's page on this site (absolute).",
            f"{SITE}/tags/lachin-corridor/",
        ),
    ),
    primary_key=("slug",),
    page="/tags/",
    filters="q (tag name)",
)

TABLES: dict[str, TableDoc] = {
    t.name: t for t in (STATEMENTS, ACTORS, CLAIMS, STANCES, EVENTS, SOURCES, TAGS)
}


def exported_columns() -> dict[str, tuple[str, ...]]:
    """Every column an export may write, per table."""
    found = dict(tables.TABLE_COLUMNS)
    found["statements"] = cells.statement_columns(
        cells.OPTIONAL_STATEMENT_COLUMNS, with_status=True
    )
    return found


def undocumented() -> list[str]:
    """``table.column`` for every exported column without an entry, and every entry no
    export writes (so the two cannot drift apart)."""
    problems = []
    exported = exported_columns()
    for name, columns in exported.items():
        documented = [c.name for c in TABLES[name].columns] if name in TABLES else []
        problems += [f"{name}.{c} (undocumented)" for c in columns if c not in documented]
        problems += [f"{name}.{c} (not exported)" for c in documented if c not in columns]
    problems += [f"{name} (no export)" for name in TABLES if name not in exported]
    return problems


def default_columns(table: TableDoc) -> tuple[Column, ...]:
    """The columns every export of the table has (optional ones left out)."""
    return tuple(c for c in table.columns if not c.when)


@dataclass
class _Lines:
    out: list[str] = field(default_factory=list)

    def __call__(self, line: str = "") -> None:
        self.out.append(line)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown() -> str:
    """``docs/data-dictionary.md``."""
    w = _Lines()
    w("# Data dictionary")
    w()
    w("<!-- Written by `python manage.py data_dictionary --format markdown`; do not edit. -->")
    w()
    w(
        "Every table the site exports, as `/<table>.csv` and `/<table>.jsonl` (same "
        "filters as its list page) and all together, public rows only, in "
        "`/data/everything.zip` with a Frictionless `datapackage.json`. The same dictionary "
        "is served at `/data/`."
    )
    w()
    w(
        "CSV: UTF-8, RFC 4180, a header row; `?bom=1` adds a BOM for Excel; a cell whose "
        "first non-blank character could start a spreadsheet formula gets a leading `'`. "
        "A list is one cell joined with `;`. JSON Lines: one object per line with the "
        "same keys; lists are arrays, ids and counts numbers, dates `YYYY-MM-DD`, no `'` "
        "guard."
    )
    for table in TABLES.values():
        w()
        w(f"## {table.name}")
        w()
        w(_md(table.meaning))
        w()
        keys = f"Primary key: `{', '.join(table.primary_key)}`."
        if table.unique:
            keys += f" Unique: `{', '.join(table.unique)}`."
        for columns, other, refs in table.foreign_keys:
            keys += f" `{', '.join(columns)}` → `{other}.{', '.join(refs)}`."
        w(keys)
        if table.filters:
            w()
            w(f"Filters: {_md(table.filters)}.")
        w()
        w("| column | type | meaning | allowed values | example |")
        w("| --- | --- | --- | --- | --- |")
        for c in table.columns:
            meaning = c.meaning + (f" Only with {c.when}." if c.when else "")
            values = ", ".join(f"`{v}`" for v, _label in c.values)
            example = f"`{c.example}`" if c.example else ""
            w(f"| `{c.name}` | {c.kind} | {_md(meaning)} | {values} | {_md(example)} |")
    w()
    return "\n".join(w.out)


def table_schema(table: TableDoc) -> dict:
    """A Frictionless Table Schema of the table's default columns."""
    fields = []
    for c in default_columns(table):
        spec = {"name": c.name, "type": c.type, "description": c.meaning}
        constraints = {}
        if c.values and not c.items:
            constraints["enum"] = [v for v, _label in c.values]
        if c.name in table.primary_key:
            constraints["required"] = True
        if c.name in table.unique or table.primary_key == (c.name,):
            constraints["unique"] = True
        if constraints:
            spec["constraints"] = constraints
        fields.append(spec)
    schema: dict = {
        "fields": fields,
        "missingValues": [""],
        "primaryKey": list(table.primary_key),
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": list(columns), "reference": {"resource": other, "fields": list(refs)}}
            for columns, other, refs in table.foreign_keys
        ]
    return schema
