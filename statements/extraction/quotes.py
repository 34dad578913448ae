"""Find quoted passages: straight and curly quotes, re-opened across paragraphs.

A quotation that runs over several paragraphs is printed with an opening quote at
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


def _opens_here(text: str, i: int) -> bool:
    """A straight quote opens when it follows a space or bracket and precedes a word."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–―-:,") and not after.isspace()


def _paragraph_quotes(
    text: str, start: int, end: int, open_at: int | None
) -> tuple[list[tuple[int, int]], int | None]:
    """Quote spans closing inside one paragraph, and the start of one left open at its end."""
    spans: list[tuple[int, int]] = []
    for i in range(start, end):
        ch = text[i]
        if ch not in ALL_QUOTES:
            continue
        if open_at is None:
            if ch in OPENING or (ch == STRAIGHT and _opens_here(text, i)):
                open_at = i
        elif ch in CLOSING or ch == STRAIGHT:
            spans.append((open_at, i + 1))
            open_at = None
        elif ch in OPENING and not text[i - 1].isspace():
            spans.append((open_at, i + 1))  # a misprinted closing quote
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
        if carried is not None and first < end and text[first] in OPENING + STRAIGHT:
            found, carried = _paragraph_quotes(text, first + 1, end, carried)  # re-opened
        else:
            if carried is not None:
                spans.append((carried, previous_end))  # never closed: ends with its paragraph
            found, carried = _paragraph_quotes(text, start, end, None)
        spans.extend(found)
        previous_end = end
    if carried is not None:
        spans.append((carried, previous_end))
    return sorted(spans)
