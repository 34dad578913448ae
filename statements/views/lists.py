"""List pages with filters: statements, actors, claims, events, tags, sources.

The rows come from ``statements.selectors.lists`` (a ``ListSpec`` per list); a view
validates the filters (400 with the errors beside the fields), pages the rows and
renders them with the suggestions (``<datalist>``) its form offers. A tag on a row
narrows the list it is on: its link keeps every filter and adds ``tag=``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.views import View

from statements import pagination, visibility
from statements.models import TallyKind
from statements.pagination import PageNotFound, PaginationError
from statements.selectors import statement_rows as rows
from statements.selectors import tallies
from statements.selectors.lists import (
    ListSpec,
    actor_spec,
    claim_spec,
    country_options,
    event_spec,
    parent_options,
    participant_options,
    ranked_statements,
    source_spec,
    speakers_with_statements,
    statement_keyset,
    statement_spec,
    tag_options,
    tag_spec,
)
from statements.selectors.statement_rows import TagItem
from tracker.data_version import summary

#: Parameters that choose a page or an order, not rows: one count serves them all.
NOT_COUNTED_PARAMETERS = frozenset({"page", "cursor", "sort"})
#: Parameters a link that changes the filters drops (the first page of the new rows).
PAGE_PARAMETERS = ("page", "cursor")
DATALIST_LIMIT = 500
DATALIST_CACHE_SECONDS = 300
#: The most countries the statement list's facet offers.
COUNTRY_LIMIT = 60


# -- views ---------------------------------------------------------------------------------


class FilteredListView(View):
    """GET only: validate the filters (400 with errors beside the fields), then one page."""

    template_name: str
    csv_url_name: str | None = None
    jsonl_url_name: str | None = None
    noun: str = "rows"

    def spec(self) -> ListSpec:
        raise NotImplementedError

    def paginate(self, spec: ListSpec, page: int | None, cursor: str | None):
        return pagination.paginate(
            spec.queryset,
            spec.keyset,
            page=page,
            cursor=cursor,
            prepare=spec.prepare,
            counter=self.counter(),
        )

    def counter(
        self, exact: Callable[[], pagination.CappedCount] | None = None
    ) -> Callable[[QuerySet], pagination.CappedCount]:
        """The capped count (or ``exact()``, when the list can read its count from the
        tallies), kept per data version (tracker/data_version.py) for these filters and
        this visibility: paging through a list, or coming back to it, does not count
        again until something is written. The capped count is bounded by the cap but not
        free for a common tag (its cost: docs/benchmark.md)."""
        filters = sorted(
            (key, values)
            for key, values in self.request.GET.lists()
            if key not in NOT_COUNTED_PARAMETERS
        )
        digest = hashlib.sha256(repr(filters).encode()).hexdigest()[:32]
        key = f"count:{self.noun}:{visibility.audience(self.request.user)}:{digest}"
        return lambda queryset: summary(
            self.request, key, exact or (lambda: pagination.capped_count(queryset))
        )

    def datalists(self) -> list[dict]:
        return []

    def facets(self) -> list[dict]:
        return []

    def decorate(self, rows: list) -> None:
        """Give the rows what their template needs beyond the loaded fields."""

    def get(self, request, *args, **kwargs):
        spec = self.spec()
        filterset = spec.filterset
        page, status = None, 200
        if filterset.is_valid():
            data = filterset.form.cleaned_data
            try:
                page = self.paginate(spec, data.get("page"), data.get("cursor") or None)
            except PaginationError as error:
                filterset.form.add_error(error.field, error.message)
                status = 400
            except PageNotFound as error:
                raise Http404("No such page.") from error
        else:
            status = 400
        if page:
            self.decorate(page.rows)
        context = {
            "filterset": filterset,
            "page": page,
            "rows": page.rows if page else [],
            "chips": filterset.chips(),
            "csv_url_name": self.csv_url_name,
            "jsonl_url_name": self.jsonl_url_name,
            "datalists": self.datalists(),
            "facets": self.facets(),
            "noun": self.noun,
        }
        return render(request, self.template_name, context, status=status)


def adding_filter(query, name: str) -> Callable[[str], str]:
    """``href(value)``: this list's query (``request.GET``) with ``name=value`` added,
    every other filter kept and the page dropped; a value already chosen adds nothing."""
    kept = [
        (key, value) for key in query if key not in PAGE_PARAMETERS for value in query.getlist(key)
    ]
    chosen = set(query.getlist(name))
    # A query string is its pairs joined by "&": the kept part is encoded once, not once
    # per link (a list page has a link per tag on every row).
    kept_part = "?" + urlencode(kept)
    joiner = "&" if kept else ""

    def href(value: str) -> str:
        if value in chosen:
            return kept_part
        return kept_part + joiner + urlencode([(name, value)])

    return href


def replacing_filter(query, name: str) -> Callable[[str | None], str]:
    """``href(value)``: this list's query with ``name`` set to ``value`` alone (``None``
    drops it), every other filter kept and the page dropped."""
    kept = [
        (key, value)
        for key in query
        if key not in PAGE_PARAMETERS and key != name
        for value in query.getlist(key)
    ]

    def href(value: str | None) -> str:
        return "?" + urlencode(kept if value is None else [*kept, (name, value)])

    return href


def facet(query, name: str, choices, *, title: str, clear_label: str) -> dict:
    """A facet of links over ``choices`` (``(value, label)`` pairs) for the single-valued
    filter ``name``: each link sets it, the current one is marked, one link clears it."""
    href, current = replacing_filter(query, name), query.get(name)
    return {
        "id": name,
        "title": title,
        "options": [
            {"name": label, "href": href(value), "current": value == current}
            for value, label in choices
        ],
        "clear_href": href(None) if current else None,
        "clear_label": clear_label,
    }


def attach_tag_links(rows, query) -> None:
    """``row.tag_links``: ``(tag, href)`` for each (prefetched) tag, narrowing the list."""
    href = adding_filter(query, "tag")
    for row in rows:
        row.tag_links = [(tag, href(tag.slug)) for tag in row.tags.all()]


def datalist(list_id: str, options) -> dict:
    """A ``<datalist>`` rendered once in Python: a template loop over hundreds of options
    is much slower (figures: docs/benchmark.md)."""
    html = format_html(
        '<datalist id="{}">{}</datalist>',
        list_id,
        format_html_join("", '<option value="{}">{}</option>', options),
    )
    return {"id": list_id, "html": html}


def cached_datalist(key: str, list_id: str, options: Callable[[], Iterable]) -> dict:
    """``datalist`` kept ``DATALIST_CACHE_SECONDS`` in the default cache under ``key``.

    The options are suggestions only (any valid slug may be typed), so a few minutes of
    staleness is harmless, and the page stops paying for the options query.
    """
    key = f"tracker:datalist:{key}"
    found = cache.get(key)
    if found is None:
        found = datalist(list_id, list(options()))
        cache.set(key, found, DATALIST_CACHE_SECONDS)
    return found


def speaker_datalist(user) -> dict:
    return cached_datalist(
        f"speakers:{visibility.audience(user)}",
        "speaker-options",
        lambda: speakers_with_statements(user, DATALIST_LIMIT),
    )


def tag_datalist(user) -> dict:
    return cached_datalist(
        f"tags:{visibility.audience(user)}",
        "tag-options",
        lambda: tag_options(user, DATALIST_LIMIT),
    )


def actor_datalist(user) -> dict:
    return cached_datalist(
        f"parents:{visibility.audience(user)}",
        "actor-options",
        lambda: parent_options(user, DATALIST_LIMIT),
    )


class StatementListView(FilteredListView):
    template_name = "statements/statement_list.html"
    csv_url_name = "statements:statement_csv"
    jsonl_url_name = "statements:statement_jsonl"
    noun = "statements"

    def spec(self) -> ListSpec:
        return statement_spec(self.request)

    def paginate(self, spec: ListSpec, page, cursor):
        filterset = spec.filterset
        keyset = statement_keyset(filterset)
        if filterset.ranked:
            result = pagination.paginate_ranked(
                filterset.qs,
                ranked_statements(filterset),
                keyset,
                page=page,
                cursor=cursor,
                prepare=rows.lean,
                counter=self.counter(),
            )
        else:
            result = pagination.paginate(
                filterset.qs,
                keyset,
                page=page,
                cursor=cursor,
                prepare=rows.lean,
                counter=self.counter(self.tallied(filterset) or filterset.group_counter()),
                keys_first=filterset.keys_first,
            )
        rows.attach(result.rows)
        return result

    def tallied(self, filterset) -> Callable[[], pagination.CappedCount] | None:
        """The exact count from the tallies (selectors/tallies.py) when the list is
        unfiltered, or filtered by speakers only, or by one tag only: one indexed read
        instead of walking up to the cap's rows of an index."""
        used = {  # a filter given any value, False and 0 included, counts as used
            name: value
            for name, value in filterset.form.cleaned_data.items()
            if value not in (None, "", []) and name not in NOT_COUNTED_PARAMETERS
        }
        user = self.request.user
        if not used:
            return lambda: pagination.CappedCount(tallies.total(user), capped=False)
        if used.keys() == {"speaker"}:
            ids = [actor.pk for actor in used["speaker"]]
            return lambda: pagination.CappedCount(
                sum(tallies.totals(TallyKind.SPEAKER, ids, user).values()), capped=False
            )
        if used.keys() == {"tag"} and len(used["tag"]) == 1:
            tag = used["tag"][0]
            return lambda: pagination.CappedCount(
                tallies.total(user, TallyKind.TAG, tag.pk), capped=False
            )
        return None

    def decorate(self, statements):
        # ``{% statement_row %}`` links each tag to ``row_url``: here, the list narrowed.
        href = adding_filter(self.request.GET, "tag")
        for statement in statements:
            statement.tag_items = [
                TagItem(tag.name, tag.slug, href(tag.slug)) for tag in statement.tag_items
            ]

    def datalists(self):
        return [speaker_datalist(self.request.user), tag_datalist(self.request.user)]

    def facets(self):
        user = self.request.user
        countries = summary(
            self.request,
            f"countries:{visibility.audience(user)}",
            lambda: list(country_options(user, COUNTRY_LIMIT)),
        )
        if not countries:
            return []
        return [
            facet(
                self.request.GET,
                "within",
                countries,
                title="Country",
                clear_label="All countries",
            )
        ]


class ActorListView(FilteredListView):
    template_name = "actors/actor_list.html"
    csv_url_name = "actors:actor_csv"
    jsonl_url_name = "actors:actor_jsonl"
    noun = "actors"

    def spec(self) -> ListSpec:
        return actor_spec(self.request)

    def datalists(self):
        return [actor_datalist(self.request.user)]


class ClaimListView(FilteredListView):
    template_name = "statements/claim_list.html"
    csv_url_name = "statements:claim_csv"
    jsonl_url_name = "statements:claim_jsonl"
    noun = "claims"

    def spec(self) -> ListSpec:
        return claim_spec(self.request)

    def decorate(self, claims):
        attach_tag_links(claims, self.request.GET)

    def datalists(self):
        return [speaker_datalist(self.request.user), tag_datalist(self.request.user)]


class EventListView(FilteredListView):
    template_name = "statements/event_list.html"
    csv_url_name = "statements:event_csv"
    jsonl_url_name = "statements:event_jsonl"
    noun = "events"

    def spec(self) -> ListSpec:
        return event_spec(self.request)

    def decorate(self, events):
        attach_tag_links(events, self.request.GET)

    def datalists(self):
        participants = participant_options(self.request.user, DATALIST_LIMIT)
        return [
            {"id": "actor-options", "options": list(participants)},
            tag_datalist(self.request.user),
        ]


class TagListView(FilteredListView):
    template_name = "statements/tag_list.html"
    csv_url_name = "statements:tag_csv"
    jsonl_url_name = "statements:tag_jsonl"
    noun = "tags"

    def spec(self) -> ListSpec:
        return tag_spec(self.request)

    def paginate(self, spec: ListSpec, page, cursor):
        # Each row counts the claims and events carrying its tag, each checked for
        # visibility: the page is kept per data version, for these parameters and this
        # audience.
        params = sorted(self.request.GET.lists())
        digest = hashlib.sha256(repr(params).encode()).hexdigest()[:32]
        key = f"tags-page:{visibility.audience(self.request.user)}:{digest}"
        return summary(
            self.request, key, lambda: super(TagListView, self).paginate(spec, page, cursor)
        )

    def decorate(self, tags):
        # Exact: the statement counts come from the tallies (selectors/tallies.py).
        for tag in tags:
            tag.statement_label = f"{tag.statement_count:,}"


class SourceListView(FilteredListView):
    template_name = "statements/source_list.html"
    csv_url_name = "statements:source_csv"
    jsonl_url_name = "statements:source_jsonl"
    noun = "sources"

    def spec(self) -> ListSpec:
        return source_spec(self.request)
