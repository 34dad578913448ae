"""The FilterSets behind every list page, its CSV export, feed and API endpoint: the
HTML list and its exports use the same FilterSet, so they cannot disagree."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

import django_filters
from django.contrib.postgres.search import SearchQuery
from django.core.validators import RegexValidator
from django.db import connection
from django.db.models import Q, QuerySet
from taggit.models import Tag

from actors.models import Actor, ActorKind
from statements import visibility
from statements.filters.base import StrictFilterSet
from statements.filters.fields import (
    ActorFilterField,
    ActorsFilter,
    IsoDateFilter,
    ObjectIdFilter,
    ObjectOrTitleFilter,
    SlugsFilter,
    _noop,
)
from statements.filters.groups import Group, group_count, group_keys, group_of
from statements.filters.search import (
    _actor_name_matches,
    _tags_all,
    text_contains,
    word_index_ready,
    words_match,
)
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
from statements.pagination import COUNT_CAP, CappedCount, capped_count

# -- statements --------------------------------------------------------------------------

SEARCH_HELP = (
    "Finds words in what was said, in the speaker's names and in tags, in any form "
    "(landmines finds landmine). All words must match; "
    '"in quotes" for a phrase; or between alternatives; -word to leave out.'
)
STATEMENT_SORTS = [("-said_on", "Newest first"), ("said_on", "Oldest first")]


class StatementFilter(StrictFilterSet):
    speaker = ActorsFilter(
        label="Speaker", method="filter_speaker", queryset=Actor.objects.all(), noun="speaker"
    )
    within = ActorFilterField(
        label="Within (actor, its bodies and officials)",
        method="filter_within",
        queryset=Actor.objects.all(),
        noun="actor",
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
    claim = ObjectOrTitleFilter(
        label="Claim (id or exact text)",
        method=_noop,
        queryset=Claim.objects.all(),
        noun="claim",
        title_field="text",
    )
    stance = django_filters.ChoiceFilter(label="Stance", method=_noop, choices=StanceKind.choices)
    event = ObjectOrTitleFilter(
        label="Event (id or exact title)",
        method="filter_event",
        queryset=Event.objects.all(),
        noun="event",
        title_field="title",
    )
    source = ObjectOrTitleFilter(
        label="Source (id or exact title)",
        field_name="source",
        queryset=Source.objects.all(),
        noun="source",
        title_field="title",
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
        self.form.fields["q"].help_text = SEARCH_HELP
        self.form.fields["speaker"].widget.attrs.update(list="speaker-options")
        self.form.fields["within"].widget.attrs.update(list="speaker-options")
        self.form.fields["tag"].widget.attrs.update(list="tag-options")

    # The ordering: explicit sort, else relevance (with q), else newest first.
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
    def word_search(self) -> bool:
        """Whether ``q`` is a word search here (PostgreSQL, or SQLite's word index)."""
        return connection.vendor == "postgresql" or word_index_ready(connection.alias)

    @property
    def ranked(self) -> bool:
        return bool(self.value("q")) and not self.value("sort") and self.word_search

    @cached_property
    def group(self) -> Group | None:
        """The group ``within`` names (its members and posts read once per request)."""
        actor = self.value("within")
        return group_of(actor) if actor else None

    @property
    def keys_first(self) -> bool | Callable:
        """How a page is read (``pagination.paginate``). A group's statements lie
        scattered over many speakers and date ranges: its keys come from one index range
        per speaker (``groups.group_keys``; PostgreSQL), else (SQLite) keys first from
        the speaker index. A tag's lie scattered over the table: keys first (True)."""
        group = self.group
        if group is None:
            # A tag's statements: the keys from the links and the covering index by id,
            # the page's rows only then (a rare tag's are scattered over the table).
            return bool(self.value("tag"))

        def keys(condition, order: list[str], start: int, stop: int) -> list[int] | None:
            ranged = self.without_group
            if condition is not None:
                ranged = ranged.filter(condition)
            return group_keys(ranged, group, order, start, stop)

        return keys

    @cached_property
    def without_group(self) -> QuerySet:
        """``qs`` without the ``within`` condition: each of the group's ranges brings its
        own (``groups.group_keys``), and its hundred terms, compiled and tested per row,
        were half the cost of a country's page."""
        data = self.form.cleaned_data
        within, data["within"] = data.get("within"), None
        try:
            return self.filter_queryset(self.queryset.all())
        finally:
            data["within"] = within

    def group_counter(self) -> Callable[[], CappedCount] | None:
        """The capped count of a list ``within`` a group, range by range
        (``groups.group_count``), where that applies; else None (the plain capped count)."""
        group = self.group
        if group is None or connection.vendor != "postgresql":
            return None

        def count() -> CappedCount:
            counted = group_count(self.without_group, group, COUNT_CAP)
            return capped_count(self.qs) if counted is None else CappedCount.of(counted)

        return count

    def filter_q(self, queryset, name, value):
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            return queryset.filter(search_vector=self.search_query)
        if self.word_search:
            # A ranked search reads many candidates: its words are gathered once.
            return queryset.filter(words_match(value, per_row=not self.ranked))
        # An SQLite without FTS5: substrings of the text or the speaker's names.
        speakers = Actor.objects.filter(_actor_name_matches(value)).values("pk")
        return queryset.filter(text_contains(value) | Q(speaker__in=speakers))

    def filter_speaker(self, queryset, name, value):
        return queryset.filter(speaker__in=[a.pk for a in value]) if value else queryset

    def filter_within(self, queryset, name, value):
        return queryset.filter(self.group.statements_q()) if value else queryset

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
    speaker = ActorsFilter(
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
        statements = visibility.statements(self.user).filter(speaker__in=[a.pk for a in value])
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


# -- sources ---------------------------------------------------------------------------


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


# -- sources -----------------------------------------------------------------------------

LANGUAGE_RE = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"


class SourceFilter(StrictFilterSet):
    date_from = IsoDateFilter(label="Published from", field_name="published_on", lookup_expr="gte")
    date_to = IsoDateFilter(label="Published to", field_name="published_on", lookup_expr="lte")
    language = django_filters.CharFilter(
        label="Language",
        field_name="language",
        lookup_expr="iexact",
        max_length=16,
        validators=[RegexValidator(LANGUAGE_RE, "A language is a code such as “en” or “hy”.")],
    )

    class Meta(StrictFilterSet.Meta):
        model = Source

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].label = "Title or publisher"
        self.form.fields["language"].widget.attrs.update(placeholder="en")

    def filter_q(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(publisher__icontains=value))


# -- stances (the API's and the stances export's table) --------------------------


class StanceFilter(StrictFilterSet):
    q = None  # a stance has no text of its own
    claim = ObjectOrTitleFilter(
        label="Claim (id or exact text)",
        field_name="claim",
        queryset=Claim.objects.all(),
        noun="claim",
        title_field="text",
    )
    statement = ObjectIdFilter(
        label="Statement id",
        field_name="statement",
        queryset=Statement.objects.all(),
        noun="statement",
    )
    stance = django_filters.ChoiceFilter(label="Stance", choices=StanceKind.choices)
    speaker = ActorsFilter(
        label="Speaker", method="filter_speaker", queryset=Actor.objects.all(), noun="speaker"
    )

    multi_valued = ("speaker",)

    class Meta(StrictFilterSet.Meta):
        model = Stance

    def filter_speaker(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(statement__speaker__in=[actor.pk for actor in value])
