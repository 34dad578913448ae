"""Pagination that costs the same on page 1 and page 20,000.

- ``?page=N`` jumps straight to one of the first ``MAX_PAGE_NUMBER`` pages (a small OFFSET).
- Every next/previous link is an opaque keyset cursor: the last (or first) row's
  ordering key, signed with ``django.core.signing`` so it cannot be forged or edited.
- Counts are exact up to ``COUNT_CAP`` and reported as "more than" beyond, so no page
  ever runs an unbounded ``COUNT(*)``.

Relevance-ranked search (PostgreSQL, ``q`` without ``sort``) ranks only the
``RANK_CANDIDATES`` newest matches and then continues with the older matches in date
order; see :func:`paginate_ranked`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db.models import Q, QuerySet

MAX_PAGE_NUMBER = 20
COUNT_CAP = 10_000
RANK_CANDIDATES = 1_000
CURSOR_SALT = "tracker.pagination.cursor"


class PaginationError(Exception):
    """Bad ``page`` or ``cursor`` input: the view answers 400 naming ``field``."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class PageNotFound(Exception):
    """A page number past the last row: the view answers 404."""


def page_size() -> int:
    return getattr(settings, "PAGE_SIZE", 50)


# -- counts -------------------------------------------------------------------------


@dataclass(frozen=True)
class CappedCount:
    value: int
    capped: bool

    def __str__(self) -> str:
        return f"more than {self.value:,}" if self.capped else f"{self.value:,}"

    @classmethod
    def of(cls, counted: int, cap: int | None = None) -> CappedCount:
        """From a count taken over at most ``cap + 1`` rows."""
        cap = cap or COUNT_CAP
        return cls(min(counted, cap), counted > cap)


def capped_count(queryset: QuerySet, cap: int | None = None) -> CappedCount:
    """``SELECT COUNT(*) FROM (… LIMIT cap + 1)``: exact up to ``cap``, bounded work beyond."""
    cap = cap or COUNT_CAP
    return CappedCount.of(queryset.order_by()[: cap + 1].count(), cap)


# -- keyset -------------------------------------------------------------------------


class Keyset:
    """An ordering over unique keys, e.g. ``("-said_on", "-id")``, all one direction."""

    def __init__(self, model, ordering: Sequence[str]):
        self.model = model
        self.ordering = tuple(ordering)
        self.descending = ordering[0].startswith("-")
        if any(o.startswith("-") != self.descending for o in ordering):
            raise ValueError("A keyset ordering must run in one direction.")
        self.fields = tuple(o.lstrip("-") for o in ordering)

    @property
    def reversed_ordering(self) -> tuple[str, ...]:
        return tuple(f if self.descending else f"-{f}" for f in self.fields)

    def key(self, row) -> tuple:
        return tuple(getattr(row, "pk" if f == "id" else f) for f in self.fields)

    def dump(self, key: tuple) -> list:
        return [
            v.isoformat() if isinstance(v, datetime.date | datetime.datetime) else v for v in key
        ]

    def load(self, values) -> tuple:
        if not isinstance(values, list) or len(values) != len(self.fields):
            raise ValueError("wrong key length")
        out = []
        for name, value in zip(self.fields, values, strict=True):
            model_field = self.model._meta.get_field(name)
            out.append(model_field.to_python(value))
        return tuple(out)

    def after(self, key: tuple, *, backward: bool = False) -> Q:
        """Rows strictly after ``key`` in this ordering (before it when ``backward``).

        Written as ``f0 <= v0 AND (f0 < v0 OR (f0 = v0 AND f1 < v1) …)`` so the leading
        range condition lets the database walk the ``(f0, f1)`` index.
        """
        go_down = self.descending != backward
        strict, loose = ("lt", "lte") if go_down else ("gt", "gte")
        condition = Q()
        for i in range(len(self.fields) - 1, -1, -1):
            name, value = self.fields[i], key[i]
            here = Q(**{f"{name}__{strict}": value})
            if i < len(self.fields) - 1:
                here |= Q(**{name: value}) & condition
            condition = here
        return Q(**{f"{self.fields[0]}__{loose}": key[0]}) & condition


def encode_cursor(payload: dict) -> str:
    return signing.dumps(payload, salt=CURSOR_SALT, compress=True)


def decode_cursor(token: str, ordering: Sequence[str]) -> dict:
    try:
        payload = signing.loads(token, salt=CURSOR_SALT)
    except (signing.BadSignature, ValueError, UnicodeError) as exc:
        raise PaginationError("cursor", "This page link is damaged or was edited.") from exc
    if not isinstance(payload, dict) or payload.get("s") != list(ordering):
        raise PaginationError("cursor", "This page link belongs to another ordering.")
    return payload


# -- pages --------------------------------------------------------------------------


@dataclass
class Page:
    rows: list
    count: CappedCount
    number: int | None = None  # set when reached by ?page=N (or the first page)
    next_cursor: str | None = None
    prev_cursor: str | None = None
    page_numbers: list[int] = field(default_factory=list)
    ranked: bool = False

    def __iter__(self) -> Iterator:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:  # an empty page is still a page (templates test it)
        return True

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.prev_cursor)


def _page_numbers(count: CappedCount, size: int) -> list[int]:
    last = max(1, -(-count.value // size)) if not count.capped else MAX_PAGE_NUMBER
    return list(range(1, min(last, MAX_PAGE_NUMBER) + 1)) if last > 1 else []


def paginate(
    queryset: QuerySet,
    keyset: Keyset,
    *,
    page: int | None = None,
    cursor: str | None = None,
    size: int | None = None,
    prepare=None,
    counter=None,
    keys_first: bool | Callable = False,
) -> Page:
    """One page of ``queryset`` in ``keyset`` order.

    ``prepare`` turns the sliced-to-be queryset into the one rows are fetched with
    (e.g. ``lambda qs: qs.for_list()``); counting uses the plain queryset, through
    ``counter`` when given (a cached ``capped_count``).

    ``keys_first`` selects the page's keys in a subquery and the rows by those keys
    (one statement: ``WHERE id IN (SELECT id … ORDER BY … LIMIT n)``). The subquery can
    be answered from a covering index alone, so a filter that matches rows scattered
    over the table (a country's many speakers, each over a date range) reads the index
    and then only the page's rows, never every match. ``prepare`` must not rely on
    annotations of ``queryset``: the rows are selected afresh. A callable
    ``keys_first(condition, order, start, stop)`` finds those keys itself for
    ``queryset`` narrowed by the page's ``condition`` (None on a numbered page): a
    group's, one index range per speaker (``filters.groups.group_keys``); it returns
    None to leave them to the subquery.
    """
    size = size or page_size()
    prepare = prepare or (lambda qs: qs)
    count = (counter or capped_count)(queryset)
    numbers = _page_numbers(count, size)
    ordering = list(keyset.ordering)

    def token(key: tuple, direction: str) -> str:
        return encode_cursor({"s": ordering, "k": keyset.dump(key), "d": direction})

    def fetch(condition: Q | None, order: Sequence[str], start: int, stop: int) -> list:
        qs = queryset if condition is None else queryset.filter(condition)
        if not keys_first:
            return list(prepare(qs).order_by(*order)[start:stop])
        keys = keys_first(condition, list(order), start, stop) if callable(keys_first) else None
        if keys is None:
            keys = qs.order_by(*order).values("pk")[start:stop]
        return list(prepare(queryset.model._default_manager.filter(pk__in=keys)).order_by(*order))

    if cursor:
        payload = decode_cursor(cursor, ordering)
        if payload.get("r"):
            raise PaginationError("cursor", "This page link belongs to a ranked search.")
        try:
            key = keyset.load(payload.get("k"))
        except Exception as exc:  # noqa: BLE001 - any malformed key is a bad link
            raise PaginationError("cursor", "This page link is damaged.") from exc
        backward = payload.get("d") == "p"
        if backward:
            rows = fetch(keyset.after(key, backward=True), keyset.reversed_ordering, 0, size + 1)
            more_before = len(rows) > size
            rows = rows[:size][::-1]
            result = Page(rows, count, page_numbers=numbers)
            if rows:
                result.next_cursor = token(keyset.key(rows[-1]), "n")
                if more_before:
                    result.prev_cursor = token(keyset.key(rows[0]), "p")
            return result
        rows = fetch(keyset.after(key), ordering, 0, size + 1)
        result = Page(rows[:size], count, page_numbers=numbers)
        if len(rows) > size:
            result.next_cursor = token(keyset.key(rows[size - 1]), "n")
        if result.rows:
            result.prev_cursor = token(keyset.key(result.rows[0]), "p")
        return result

    number = page or 1
    offset = (number - 1) * size
    rows = fetch(None, ordering, offset, offset + size + 1)
    if number > 1 and not rows:
        raise PageNotFound(number)
    result = Page(rows[:size], count, number=number, page_numbers=numbers)
    if len(rows) > size:
        result.next_cursor = token(keyset.key(rows[size - 1]), "n")
    if number > 1:
        result.prev_cursor = token(keyset.key(result.rows[0]), "p")
    return result


def paginate_ranked(
    matches: QuerySet,
    ranked: QuerySet,
    keyset: Keyset,
    *,
    page: int | None = None,
    cursor: str | None = None,
    size: int | None = None,
    prepare=None,
    candidates: int | None = None,
    counter=None,
) -> Page:
    """Relevance order over the newest ``candidates`` matches, then date order.

    ``matches`` are all matching rows (any order); ``ranked`` the same rows restricted to
    the candidate set and ordered by relevance. The candidate set is exactly the first
    ``candidates`` rows of ``matches`` in ``keyset`` order, so the rows after it are simply
    the keyset continuation after the last candidate: every match is listed once.
    Offsets inside the candidate set stay below ``candidates``; beyond it pages are
    keyset pages.
    """
    size = size or page_size()
    candidates = candidates or RANK_CANDIDATES
    prepare = prepare or (lambda qs: qs)
    count = (counter or capped_count)(matches)
    numbers = _page_numbers(count, size)
    ordering = list(keyset.ordering)
    in_candidates = min(count.value, candidates) if not count.capped else candidates
    numbers = numbers[: -(-in_candidates // size)] if in_candidates > size else []

    def offset_token(offset: int) -> str:
        return encode_cursor({"s": ordering, "r": 1, "o": offset})

    def key_token(key: tuple, direction: str) -> str:
        return encode_cursor({"s": ordering, "r": 1, "k": keyset.dump(key), "d": direction})

    def boundary() -> tuple:
        last = matches.order_by(*ordering)[candidates - 1 : candidates]
        return tuple(last.values_list(*keyset.fields)[0])

    offset: int | None = None
    payload: dict = {}
    if cursor:
        payload = decode_cursor(cursor, ordering)
        if not payload.get("r"):
            raise PaginationError("cursor", "This page link belongs to a date-ordered list.")
        if "o" in payload:
            offset = payload["o"]
            if not isinstance(offset, int) or not 0 <= offset < candidates:
                raise PaginationError("cursor", "This page link is damaged.")
    else:
        number = page or 1
        offset = (number - 1) * size
        if number > 1 and offset >= in_candidates:
            raise PageNotFound(number)

    if offset is not None:
        rows = list(prepare(ranked)[offset : min(offset + size, candidates)])
        result = Page(rows, count, page_numbers=numbers, ranked=True)
        if not cursor:
            result.number = page or 1
        if offset > 0:
            result.prev_cursor = offset_token(max(0, offset - size))
        if offset + size < in_candidates:
            result.next_cursor = offset_token(offset + size)
        elif in_candidates == candidates and count.value > candidates:
            result.next_cursor = key_token(boundary(), "n")
        return result

    try:
        key = keyset.load(payload.get("k"))
    except Exception as exc:  # noqa: BLE001 - any malformed key is a bad link
        raise PaginationError("cursor", "This page link is damaged.") from exc
    if payload.get("d") == "p":
        floor = boundary()
        qs = matches.filter(keyset.after(key, backward=True)).filter(keyset.after(floor))
        rows = list(prepare(qs).order_by(*keyset.reversed_ordering)[: size + 1])
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        result = Page(rows, count, page_numbers=numbers, ranked=True)
        if rows:
            result.next_cursor = key_token(keyset.key(rows[-1]), "n")
        result.prev_cursor = (
            key_token(keyset.key(rows[0]), "p")
            if more_before
            else offset_token(max(0, candidates - size))
        )
        return result
    rows = list(prepare(matches.filter(keyset.after(key))).order_by(*ordering)[: size + 1])
    result = Page(rows[:size], count, page_numbers=numbers, ranked=True)
    if len(rows) > size:
        result.next_cursor = key_token(keyset.key(rows[size - 1]), "n")
    result.prev_cursor = (
        key_token(keyset.key(result.rows[0]), "p") if result.rows else offset_token(0)
    )
    return result


def iterate_keyset(
    queryset: QuerySet, keyset: Keyset, *, chunk_size: int, prepare=None, after: tuple | None = None
) -> Iterator:
    """Every row of ``queryset`` in keyset order, fetched ``chunk_size`` at a time.

    Each chunk is one keyset query (no OFFSET) plus whatever ``prepare`` prefetches, so
    the query count grows per chunk, never per row, and memory holds one chunk.
    """
    prepare = prepare or (lambda qs: qs)
    while True:
        qs = queryset if after is None else queryset.filter(keyset.after(after))
        rows = list(prepare(qs).order_by(*keyset.ordering)[:chunk_size])
        yield from rows
        if len(rows) < chunk_size:
            return
        after = keyset.key(rows[-1])
