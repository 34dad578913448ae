"""When was it said? Date words near the attribution, resolved against publication.

Only phrases matched by the vetted patterns below are ever interpreted, so words
such as "and we", "in two days" or "may" (the verb) can never become dates.
Explicit calendar dates go through dateparser with fixed settings and a cache.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|2\d\d\d)"
_PATTERNS: list[tuple[str, str]] = [
    (
        "later",
        r"\blater (?:in|on) (?:the|that) (?:same )?day\b|\blater that day\b"
        r"|\blater the same day\b",
    ),
    ("explicit", rf"\b(?:on )?{MONTH}\.? {_DAY}(?:,? {_YEAR})?\b(?!\s*(?:percent|%))"),
    ("explicit", rf"\b(?:on )?(?:the )?{_DAY} (?:of )?{MONTH}\b(?:,? {_YEAR}\b)?"),
    ("month", rf"\b(?:in |during )?{MONTH} {_YEAR}\b"),
    (
        "weekday",
        r"\b(?:(?:on|last|this|late|early|earlier|since) )?(?P<wd>"
        + "|".join(WEEKDAYS)
        + r")(?:'s)?(?: (?:morning|afternoon|evening|night))?\b",
    ),
    ("yesterday", r"\byesterday\b|\blast night\b"),
    ("today", r"\btoday\b|\btonight\b|\bthis (?:morning|afternoon|evening)\b"),
    ("this_week", r"\b(?:earlier |later )?(?:this|in the) week\b"),
    ("last_week", r"\blast week\b|\bthe previous week\b"),
    ("this_month", r"\b(?:earlier )?this month\b"),
    ("last_month", r"\blast month\b"),
]
DATE_RE = re.compile("|".join(f"(?P<{kind}{i}>{rx})" for i, (kind, rx) in enumerate(_PATTERNS)))


@dataclass(frozen=True)
class DateMention:
    """A date phrase found in the text: where it is and what kind of phrase it is."""

    start: int
    end: int
    kind: str
    text: str


@dataclass(frozen=True)
class Dating:
    """A resolved date with its precision."""

    said_on: datetime.date
    precision: str


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Date phrases in text[start:end] (vetted patterns only)."""
    return list(_find_dates(text, start, len(text) if end is None else end))


@lru_cache(maxsize=1024)  # the same sentence is asked about several times
def _find_dates(text: str, start: int, end: int) -> tuple[DateMention, ...]:
    found = []
    for m in DATE_RE.finditer(text, start, end):
        kind = re.sub(r"\d+$", "", m.lastgroup or "")
        if kind == "weekday":  # weekday group is nested; use the outer group name
            kind = "weekday"
        found.append(DateMention(m.start(), m.end(), kind, m.group()))
    return tuple(d for d in found if d.kind)


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _first_of_month(day: datetime.date, months_back: int = 0) -> datetime.date:
    year, month = day.year, day.month - months_back
    while month < 1:
        year, month = year - 1, month + 12
    return datetime.date(year, month, 1)


def _weekday(mention: DateMention, published_on: datetime.date) -> Dating:
    name = next(w for w in WEEKDAYS if w in mention.text)
    back = (published_on.weekday() - WEEKDAYS.index(name)) % 7
    if back == 0 and mention.text.lower().startswith("last "):
        back = 7
    return Dating(published_on - datetime.timedelta(days=back), "day")


@lru_cache(maxsize=4096)
def _parse_explicit(phrase: str, published_on: datetime.date) -> datetime.date | None:
    import dateparser  # imported lazily: it takes a moment to load

    phrase = re.sub(r"^(?:on |the )+", "", phrase)
    phrase = re.sub(r"\bSept\b", "Sep", phrase.replace(".", ""))
    settings = {
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": datetime.datetime.combine(published_on, datetime.time()),
        "REQUIRE_PARTS": ["day", "month"],
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PARSERS": ["absolute-time"],
    }
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def resolve(
    mention: DateMention, published_on: datetime.date, previous: Dating | None = None
) -> Dating | None:
    """The date a phrase denotes in a report published on published_on."""
    day = datetime.timedelta(days=1)
    match mention.kind:
        case "weekday":
            return _weekday(mention, published_on)
        case "yesterday":
            return Dating(published_on - day, "day")
        case "today":
            return Dating(published_on, "day")
        case "this_week":
            return Dating(_monday(published_on), "week")
        case "last_week":
            return Dating(_monday(published_on) - 7 * day, "week")
        case "this_month":
            return Dating(_first_of_month(published_on), "month")
        case "last_month":
            return Dating(_first_of_month(published_on, 1), "month")
        case "later":
            return previous
        case "month":
            parsed = _parse_month(mention.text)
            return Dating(parsed, "month") if parsed else None
        case "explicit":
            parsed = _parse_explicit(mention.text, published_on)
            return Dating(parsed, "day") if parsed else None
    return None


def _parse_month(phrase: str) -> datetime.date | None:
    m = re.search(rf"({MONTH}) ({_YEAR})", phrase)
    if not m:
        return None
    month = m.group(1)[:3].lower()
    names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    return datetime.date(int(m.group(2)), names.index(month) + 1, 1)
