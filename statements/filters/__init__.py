"""Filters: which rows a list's query parameters select (SPEC "Statement filters").

- ``fields``: widgets, form fields and filters that check a value's shape first;
- ``base``: ``StrictFilterSet``, the strict validation and removable chips every list shares;
- ``search``: how text, tags and names match rows on each database;
- ``sets``: one FilterSet per list (statements, actors, claims, events, sources, tags).

The pages, the CSV and JSON exports, the feeds and the API all take their rows through
these FilterSets, over the querysets of ``statements.visibility``.
"""

from statements.filters.search import SEARCH_CONFIG, tagged_with, text_contains
from statements.filters.sets import (
    ActorFilter,
    ClaimFilter,
    EventFilter,
    SourceFilter,
    StatementFilter,
    TagFilter,
)

__all__ = [
    "SEARCH_CONFIG",
    "ActorFilter",
    "ClaimFilter",
    "EventFilter",
    "SourceFilter",
    "StatementFilter",
    "TagFilter",
    "tagged_with",
    "text_contains",
]
