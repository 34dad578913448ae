"""FilterSets behind every list page and its CSV export (SPEC.md, "Statement filters").

The HTML list and the CSV use the same FilterSet, so they cannot disagree. Every
FilterSet is strict: an unknown parameter, a repeated single-valued parameter, an
unknown slug or id, a bad choice, a malformed date or ``date_from`` after ``date_to``
is a form error, and the views answer 400 with it next to the field. Slugs and ids are
checked for shape before they reach the database, so NUL bytes, huge numbers and
non-numeric ids never get that far.
"""

from __future__ import annotations

import functools
import re
import sqlite3

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery
from django.core.validators import ProhibitNullCharactersValidator
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from taggit.models import Tag

from actors.models import Actor, ActorKind, Alias
from actors.text import fold
from statements.models import (
    Claim,
    ClaimStatus,
    DatePrecision,
    Event,
    EventKind,
    EventParticipant,
    Medium,
    Mode,
    Source,
    Stance,
    StanceKind,
    Statement,
    TaggedClaim,
    TaggedEvent,
    TaggedStatement,
)
from statements.pagination import MAX_PAGE_NUMBER

SLUG_RE = re.compile(r"\A[-\w]{1,200}\Z")
ID_RE = re.compile(r"\A[0-9]{1,19}\Z")
MAX_ID = 2**63 - 1
MAX_VALUES = 20
MAX_QUERY_LENGTH = 500
SEARCH_CONFIG = "english"
# Parameters that only steer paging or the CSV, never the rows.
CONTROL_PARAMS = ("page", "cursor", "bom")


def _short(value: str, limit: int = 60) -> str:
    value = value.replace("\x00", "\N{REPLACEMENT CHARACTER}")
    return value if len(value) <= limit else value[: limit - 1] + "…"


# -- widgets and fields --------------------------------------------------------------


class RepeatableInput(forms.Widget):
    """Checked boxes for the values already chosen, plus one text box to add another.

    Works without JavaScript: unticking a box removes that value, typing adds one.
    ``attrs["list"]`` names a ``<datalist>`` the page provides.
    """

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return [v for v in values if v not in (None, "")]

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        boxes = format_html_join(
            "",
            '<label class="chosen"><input type="checkbox" name="{}" value="{}" checked> '
            "<bdi>{}</bdi></label>",
            ((name, v, v) for v in (value or [])),
        )
        return format_html(
            '{}<input type="text" name="{}" id="{}"{}{} autocomplete="off">',
            boxes,
            name,
            attrs.get("id", ""),
            format_html(' list="{}"', attrs["list"]) if attrs.get("list") else "",
            format_html(' placeholder="{}"', attrs["placeholder"])
            if attrs.get("placeholder")
            else "",
        )


class SlugsField(forms.Field):
    """Repeatable slugs resolved to model instances in one query; unknown ones are errors."""

    widget = RepeatableInput

    def __init__(self, *, queryset: QuerySet, noun: str, **kwargs):
        self.queryset = queryset
        self.noun = noun
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return []
        return [value] if isinstance(value, str) else list(value)

    def validate(self, value):
        if len(value) > MAX_VALUES:
            raise forms.ValidationError(f"Give at most {MAX_VALUES} values.")
        for item in value:
            if not SLUG_RE.match(item):
                raise forms.ValidationError(f"“{_short(item)}” is not a valid {self.noun} slug.")

    def clean(self, value):
        values = list(dict.fromkeys(self.to_python(value)))
        self.validate(values)
        if not values:
            return []
        found = {obj.slug: obj for obj in self.queryset.filter(slug__in=values)}
        missing = [v for v in values if v not in found]
        if missing:
            raise forms.ValidationError(
                f"Unknown {self.noun}: {', '.join(_short(v) for v in missing)}."
            )
        return [found[v] for v in values]


class ObjectIdField(forms.CharField):
    """A positive database id resolved to its row; malformed or unknown ids are errors."""

    def __init__(self, *, queryset: QuerySet, noun: str, **kwargs):
        self.queryset = queryset
        self.noun = noun
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        if not ID_RE.match(value) or not 0 < int(value) <= MAX_ID:
            raise forms.ValidationError(f"A {self.noun} id is a positive whole number.")
        obj = self.queryset.filter(pk=int(value)).first()
        if obj is None:
            raise forms.ValidationError(f"Unknown {self.noun}: {value}.")
        return obj


class IsoDateField(forms.DateField):
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": "Enter a date as YYYY-MM-DD."}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(input_formats=self.input_formats, **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and len(value) > 10:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class CursorField(forms.CharField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2000)
        super().__init__(**kwargs)


def _noop(queryset, name, value):
    return queryset


class SlugsFilter(django_filters.Filter):
    field_class = SlugsField


class ObjectIdFilter(django_filters.Filter):
    field_class = ObjectIdField


class IsoDateFilter(django_filters.Filter):
    field_class = IsoDateField


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


class CursorFilter(django_filters.Filter):
    field_class = CursorField


# -- the strict base -------------------------------------------------------------------


class StrictForm(forms.Form):
    """Rejects parameters it does not know and single-valued parameters given twice."""

    multi_valued: frozenset[str] = frozenset()

    def clean(self):
        cleaned = super().clean()
        unknown = [key for key in self.data if key not in self.fields]
        if unknown:
            names = ", ".join(f"“{_short(key, 40)}”" for key in unknown[:5])
            self.add_error(None, f"Unknown parameter: {names}.")
        for name in self.fields:
            if name in self.multi_valued or not hasattr(self.data, "getlist"):
                continue
            if len(self.data.getlist(name)) > 1 and name not in self._errors:
                self.add_error(name, "Give this parameter only once.")
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "“To” must not be before “from”.")
        return cleaned


class StrictFilterSet(django_filters.FilterSet):
    """Shared behaviour: strict validation, control parameters, removable chips."""

    q = django_filters.CharFilter(
        label="Text",
        method="filter_q",
        max_length=MAX_QUERY_LENGTH,
        validators=[ProhibitNullCharactersValidator()],
    )
    page = IntegerFilter(
        method=_noop, min_value=1, max_value=MAX_PAGE_NUMBER, widget=forms.HiddenInput
    )
    cursor = CursorFilter(method=_noop)
    bom = django_filters.ChoiceFilter(
        method=_noop, choices=[("0", "no"), ("1", "yes")], widget=forms.HiddenInput
    )

    multi_valued: tuple[str, ...] = ()
    search_config = SEARCH_CONFIG

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.page_field = self.form.fields["page"]
        self.page_field.error_messages["max_value"] = (
            f"Page numbers go up to {MAX_PAGE_NUMBER}; use the “Next” links beyond."
        )
        self.page_field.error_messages["invalid"] = "A page is a whole number."
        self.page_field.error_messages["min_value"] = "Pages start at 1."

    def get_form_class(self):
        form_class = super().get_form_class()
        form_class.multi_valued = frozenset(self.multi_valued)
        return form_class

    class Meta:
        form = StrictForm
        fields: list[str] = []

    @property
    def user(self):
        return getattr(self.request, "user", None)

    @property
    def is_staff(self) -> bool:
        user = self.user
        return bool(user is not None and user.is_active and user.is_staff)

    def visible_fields(self):
        return [f for f in self.form if f.name not in CONTROL_PARAMS]

    def control_errors(self) -> list[str]:
        out = list(self.form.non_field_errors())
        for name in CONTROL_PARAMS:
            for error in self.form.errors.get(name, []):
                out.append(f"{name}: {error}")
        return out

    def value(self, name: str):
        return self.form.cleaned_data.get(name) if self.form.is_valid() else None

    # -- chips: one link per active value, to the same URL without it -----------------

    def describe(self, name: str, raw: str) -> str:
        cleaned = self.form.cleaned_data.get(name) if hasattr(self.form, "cleaned_data") else None
        field = self.form.fields[name]
        if isinstance(cleaned, list):
            for obj in cleaned:
                if getattr(obj, "slug", None) == raw:
                    return str(getattr(obj, "name", obj))
        elif cleaned is not None and hasattr(cleaned, "pk"):
            return str(cleaned)
        choices = dict(getattr(field, "choices", []) or [])
        return str(choices.get(raw, raw))

    def chips(self) -> list[dict]:
        if not self.is_bound:
            return []
        data = self.data
        chips = []
        for name in self.form.fields:
            if name in CONTROL_PARAMS or name not in data:
                continue
            for raw in data.getlist(name):
                if raw == "":
                    continue
                kept = [
                    (key, value)
                    for key in data
                    if key not in ("page", "cursor")
                    for value in data.getlist(key)
                    if not (key == name and value == raw)
                ]
                chips.append(
                    {
                        "name": name,
                        "label": self.form.fields[name].label or name,
                        "value": self.describe(name, raw),
                        "href": "?" + urlencode(kept),
                    }
                )
        return chips

    def filter_q(self, queryset, name, value):  # overridden per list
        return queryset


#: SQLite: a tag on at least this many rows is tested per row (see ``tagged_with``).
COMMON_TAG_LINKS = 2_000


def tagged_with(queryset: QuerySet, through, tag_id: int) -> QuerySet:
    """Rows of ``queryset`` carrying the tag, by its resolved id.

    ``id IN (SELECT object FROM links WHERE tag = …)``: PostgreSQL picks the join order
    by the tag's statistics. SQLite always starts from the links and sorts all of them
    by date (42 ms for a tag on 46k of 100k statements), so there a common tag (at
    least ``COMMON_TAG_LINKS`` links, a bounded count) is tested per row with
    ``EXISTS`` while walking the date index instead (0.3 ms); a rare one keeps ``IN``.
    """
    links = through.objects.filter(tag_id=tag_id)
    if connection.vendor == "sqlite":
        common = links[:COMMON_TAG_LINKS].count() >= COMMON_TAG_LINKS
        if common:
            return queryset.filter(
                Exists(links.filter(content_object_id=OuterRef("pk")).values("pk"))
            )
    return queryset.filter(id__in=links.values("content_object_id"))


def _tags_all(queryset: QuerySet, through, tags) -> QuerySet:
    """All tags must match: one ``tagged_with`` per tag."""
    for tag in tags:
        queryset = tagged_with(queryset, through, tag.pk)
    return queryset


@functools.cache
def trigram_index_available() -> bool:
    """Whether this SQLite has FTS5's trigram tokenizer, so that migration 0009 built
    ``statement_text_fts`` (asked of a private in-memory database: no query counted)."""
    try:
        sqlite3.connect(":memory:").execute(
            "CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='trigram')"
        )
    except sqlite3.Error:
        return False
    return True


#: SQLite: a text search with at least this many hits walks the date index instead (at
#: 100k statements the two ways cost the same, ~20 ms, at 300–550 hits).
COMMON_TEXT_HITS = 400
_TEXT_HITS = "SELECT rowid FROM statement_text_fts WHERE statement_text_fts MATCH %s"


def text_contains(value: str, columns: tuple[str, ...] = ("text",)) -> Q:
    """SQLite: statements where one of ``columns`` contains ``value``, ignoring (ASCII)
    case, as ``icontains`` has it.

    ``icontains`` alone is a scan, cheap for a common value (the date-ordered walk meets
    a page of matches soon) and ~75 ms at 100k statements for a rare one. So a value of
    three characters or more (what a trigram needs) is first counted in migration 0009's
    trigram index, up to ``COMMON_TEXT_HITS`` (a bounded query); when fewer, the rows come
    from the index (a few ms), still tested with ``icontains``: the index folds case
    beyond ASCII, so it finds a superset and ``icontains`` keeps the meaning exact.
    """
    contains = Q()
    for column in columns:
        contains |= Q(**{f"{column}__icontains": value})
    # A trigram needs three characters; FTS5 would end the string at a NUL (the forms
    # refuse NULs before this, the admin's search form too: this is for other callers).
    if len(value) < 3 or "\x00" in value:
        return contains
    if connection.vendor != "sqlite" or not trigram_index_available():
        return contains
    match = "{" + " ".join(columns) + "} : " + '"' + value.replace('"', '""') + '"'
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({_TEXT_HITS} LIMIT {COMMON_TEXT_HITS})", [match])
        if cursor.fetchone()[0] >= COMMON_TEXT_HITS:
            return contains
    return Q(id__in=RawSQL(_TEXT_HITS, [match])) & contains


def _actor_name_matches(value: str) -> Q:
    folded = fold(value)
    return Q(name_folded__contains=folded) | Q(
        pk__in=Alias.objects.filter(name_folded__contains=folded).values("actor_id")
    )


# -- statements --------------------------------------------------------------------------

STATEMENT_SORTS = [("-said_on", "Newest first"), ("said_on", "Oldest first")]


class StatementFilter(StrictFilterSet):
    speaker = SlugsFilter(
        label="Speaker", method="filter_speaker", queryset=Actor.objects.all(), noun="speaker"
    )
    kind = django_filters.ChoiceFilter(
        label="Speaker kind", field_name="speaker__kind", choices=ActorKind.choices
    )
    tag = SlugsFilter(
        label="Tags (all)", method="filter_tag", queryset=Tag.objects.all(), noun="tag"
    )
    mode = django_filters.ChoiceFilter(label="Mode", choices=Mode.choices)
    medium = django_filters.ChoiceFilter(label="Medium", choices=Medium.choices)
    date_precision = django_filters.ChoiceFilter(
        label="Date precision", choices=DatePrecision.choices
    )
    claim = ObjectIdFilter(
        label="Claim id", method=_noop, queryset=Claim.objects.all(), noun="claim"
    )
    stance = django_filters.ChoiceFilter(label="Stance", method=_noop, choices=StanceKind.choices)
    event = ObjectIdFilter(
        label="Event id", method="filter_event", queryset=Event.objects.all(), noun="event"
    )
    source = ObjectIdFilter(
        label="Source id", field_name="source", queryset=Source.objects.all(), noun="source"
    )
    date_from = IsoDateFilter(label="From", field_name="said_on", lookup_expr="gte")
    date_to = IsoDateFilter(label="To", field_name="said_on", lookup_expr="lte")
    sort = django_filters.ChoiceFilter(
        label="Order", method=_noop, choices=STATEMENT_SORTS, empty_label="Newest first (default)"
    )

    multi_valued = ("speaker", "tag")

    class Meta(StrictFilterSet.Meta):
        model = Statement

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_staff:
            self.form.fields["source"].queryset = Source.objects.published()
        self.form.fields["speaker"].widget.attrs.update(list="speaker-options")
        self.form.fields["tag"].widget.attrs.update(list="tag-options")

    # The ordering: explicit sort, else relevance (PostgreSQL with q), else newest first.
    @property
    def ordering(self) -> tuple[str, str]:
        return ("said_on", "id") if self.value("sort") == "said_on" else ("-said_on", "-id")

    @property
    def search_query(self) -> SearchQuery | None:
        q = self.value("q")
        if not q or connection.vendor != "postgresql":
            return None
        return SearchQuery(q, search_type="websearch", config=self.search_config)

    @property
    def ranked(self) -> bool:
        return self.search_query is not None and not self.value("sort")

    def filter_q(self, queryset, name, value):
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            return queryset.filter(search_vector=self.search_query)
        speakers = Actor.objects.filter(_actor_name_matches(value)).values("pk")
        return queryset.filter(text_contains(value) | Q(speaker__in=speakers))

    def filter_speaker(self, queryset, name, value):
        return queryset.filter(speaker__in=[a.pk for a in value]) if value else queryset

    def filter_tag(self, queryset, name, value):
        return _tags_all(queryset, TaggedStatement, value)

    def filter_event(self, queryset, name, value):
        if not value:
            return queryset
        links = Statement.events.through.objects.filter(event_id=value.pk)
        return queryset.filter(id__in=links.values("statement_id"))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        claim, stance = self.form.cleaned_data.get("claim"), self.form.cleaned_data.get("stance")
        if claim or stance:
            stances = Stance.objects.all()
            if claim:
                stances = stances.filter(claim_id=claim.pk)
            if stance:
                stances = stances.filter(stance=stance)
            queryset = queryset.filter(id__in=stances.values("statement_id"))
        return queryset


# -- actors (served by the statements app; actors never imports statements) ---------


class ActorFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(label="Kind", choices=ActorKind.choices)
    parent = SlugsFilter(
        label="Part of", method="filter_parent", queryset=Actor.objects.all(), noun="actor"
    )

    multi_valued = ("parent",)

    class Meta(StrictFilterSet.Meta):
        model = Actor

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].label = "Name or alias"
        self.form.fields["parent"].widget.attrs.update(list="actor-options")

    def filter_q(self, queryset, name, value):
        return queryset.filter(_actor_name_matches(value)) if value else queryset

    def filter_parent(self, queryset, name, value):
        return queryset.filter(parent__in=[a.pk for a in value]) if value else queryset


# -- claims ------------------------------------------------------------------------------


class ClaimFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(label="Status", choices=ClaimStatus.choices)
    tag = SlugsFilter(
        label="Tags (all)", method="filter_tag", queryset=Tag.objects.all(), noun="tag"
    )
    speaker = SlugsFilter(
        label="Speaker took a stance",
        method="filter_speaker",
        queryset=Actor.objects.all(),
        noun="speaker",
    )

    multi_valued = ("tag", "speaker")

    class Meta(StrictFilterSet.Meta):
        model = Claim

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["speaker"].widget.attrs.update(list="speaker-options")
        self.form.fields["tag"].widget.attrs.update(list="tag-options")

    def filter_q(self, queryset, name, value):
        return queryset.filter(text__icontains=value) if value else queryset

    def filter_tag(self, queryset, name, value):
        return _tags_all(queryset, TaggedClaim, value)

    def filter_speaker(self, queryset, name, value):
        if not value:
            return queryset
        statements = Statement.objects.visible_to(self.user).filter(
            speaker__in=[a.pk for a in value]
        )
        stances = Stance.objects.filter(statement__in=statements.values("pk"))
        return queryset.filter(id__in=stances.values("claim_id"))


# -- events ------------------------------------------------------------------------------


class EventFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(label="Kind", choices=EventKind.choices)
    tag = SlugsFilter(
        label="Tags (all)", method="filter_tag", queryset=Tag.objects.all(), noun="tag"
    )
    participant = SlugsFilter(
        label="Participant",
        method="filter_participant",
        queryset=Actor.objects.all(),
        noun="actor",
    )
    date_from = IsoDateFilter(label="From", field_name="start_date", lookup_expr="gte")
    date_to = IsoDateFilter(label="To", field_name="start_date", lookup_expr="lte")

    multi_valued = ("tag", "participant")

    class Meta(StrictFilterSet.Meta):
        model = Event

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["participant"].widget.attrs.update(list="actor-options")
        self.form.fields["tag"].widget.attrs.update(list="tag-options")

    def filter_q(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(location__icontains=value))

    def filter_tag(self, queryset, name, value):
        return _tags_all(queryset, TaggedEvent, value)

    def filter_participant(self, queryset, name, value):
        if not value:
            return queryset
        links = EventParticipant.objects.filter(actor__in=[a.pk for a in value])
        return queryset.filter(id__in=links.values("event_id"))


# -- tags --------------------------------------------------------------------------------


class TagFilter(StrictFilterSet):
    class Meta(StrictFilterSet.Meta):
        model = Tag

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].label = "Tag name"

    def filter_q(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value))


def speakers_with_statements(user, limit: int = 500) -> QuerySet:
    """Actors who have said something visible, by name: the speaker ``<datalist>``."""
    spoken = Statement.objects.visible_to(user).filter(speaker=OuterRef("pk"))
    return (
        Actor.objects.filter(Exists(spoken))
        .order_by("name", "id")
        .values_list("slug", "name")[:limit]
    )


__all__ = [
    "ActorFilter",
    "ClaimFilter",
    "EventFilter",
    "StatementFilter",
    "TagFilter",
    "speakers_with_statements",
]
