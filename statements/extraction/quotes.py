"""Find quoted passages: straight and curly quotes, re-opened across paragraphs.

Two apostrophes (``''``) count as a straight double quote. A quotation that
runs over several paragraphs is printed with an opening quote at
the start of each paragraph and a closing quote only at the very end; such a
quotation is returned as one span.
"""

from __future__ import annotations

import re

OPENING = "“«„"
CLOSING = "”»"
STRAIGHT = '"'
ALL_QUOTES = OPENING + CLOSING + STRAIGHT

_PARAGRAPH = re.compile(r"[^\n]+")


_MARK = re.compile(r"''|[\"“”«»„]")


def _opens_here(text: str, start: int, end: int) -> bool:
    """A straight quote opens when it follows a space or bracket and precedes a word."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return (before.isspace() or before in "([{—–―-:,") and not after.isspace()


def _paragraph_quotes(
    text: str, start: int, end: int, open_at: int | None
) -> tuple[list[tuple[int, int]], int | None]:
    """Quote spans closing inside one paragraph, and the start of one left open at its end."""
    spans: list[tuple[int, int]] = []
    for m in _MARK.finditer(text, start, end):
        ch = m.group()
        straight = ch in (STRAIGHT, "''")
        if open_at is None:
            if ch in OPENING or (straight and _opens_here(text, m.start(), m.end())):
                open_at = m.start()
        elif ch in CLOSING or straight:
            spans.append((open_at, m.end()))
            open_at = None
        elif ch in OPENING and not text[m.start() - 1].isspace():
            spans.append((open_at, m.end()))  # a misprinted closing quote
            open_at = None
    return spans, open_at


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of quotations, quote marks included, in text order."""
    spans: list[tuple[int, int]] = []
    carried: int | None = None  # start of a quotation left open by the previous paragraph
    previous_end = 0
    for m in _PARAGRAPH.finditer(text):
        start, end = m.start(), m.end()
        first = start + len(m.group()) - len(m.group().lstrip())
        mark = _MARK.match(text, first, end)
        if carried is not None and mark and (mark.group() in OPENING or mark.group() in "\"''"):
            found, carried = _paragraph_quotes(text, mark.end(), end, carried)  # re-opened
        else:
            if carried is not None:
                spans.append((carried, previous_end))  # never closed: ends with its paragraph
            found, carried = _paragraph_quotes(text, start, end, None)
        spans.extend(found)
        previous_end = end
    if carried is not None:
        spans.append((carried, previous_end))
    return sorted(spans)
