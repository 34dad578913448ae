"""Split a text into sentences without ever cutting through a quotation."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "sen",
        "rep",
        "gov",
        "gen",
        "lt",
        "col",
        "sgt",
        "capt",
        "prof",
        "st",
        "jr",
        "sr",
        "inc",
        "corp",
        "co",
        "ltd",
        "no",
        "vs",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ft",
        "del",
        "adm",
        "cmdr",
        "pres",
        "supt",
        "det",
        "rev",
        "hon",
        "gens",
        "reps",
        "sens",
        "est",
        "approx",
        "dept",
        "univ",
        "assn",
        "bros",
    ]
)
_END = re.compile(r"[.!?]+[”\"’'»)]*(?=\s)|\n+")
_NEXT_STARTS = re.compile(r"\s*[“\"«(‘'A-Z0-9]")
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")
# "… after the polls close at 7 p.m. He says …": a clock time can end a sentence.
_CLOCK_THEN_SENTENCE = re.compile(
    r"(?:[ap]\.m|U\.S|U\.K|U\.N|Inc|Co|Corp|Ltd|Jr|Sr|etc)\.\s+"
    r"(?:He|She|It|They|We|I|The|But|And|In|This|That|His|Her|Their)\b"
)


@dataclass
class Sentence:
    """A sentence's bounds in the text and the index of its paragraph."""

    start: int
    end: int
    paragraph: int
    quotes: list[tuple[int, int]] = field(default_factory=list)


class QuoteIndex:
    """Answers 'is this offset inside a quotation?' quickly."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = spans
        self.starts = [s for s, _ in spans]

    def containing(self, pos: int) -> tuple[int, int] | None:
        i = bisect_right(self.starts, pos) - 1
        if i >= 0 and self.spans[i][0] <= pos < self.spans[i][1]:
            return self.spans[i]
        return None

    def inside(self, pos: int) -> bool:
        span = self.containing(pos)
        return span is not None and span[0] < pos


def _is_abbreviation(text: str, dot: int) -> bool:
    m = _WORD_BEFORE.search(text[max(0, dot - 20) : dot + 1])
    if not m:
        return False
    word = m.group(1)
    if "." in word:  # U.S., a.m.
        return True
    return len(word) == 1 and word.isupper() or word.lower() in ABBREVIATIONS


def split_sentences(text: str, start: int, quotes: QuoteIndex) -> list[Sentence]:
    """Sentences of text[start:], skipping whitespace; quotations are never split."""
    sentences: list[Sentence] = []
    paragraph = 0
    begin = start
    for m in _END.finditer(text, start):
        cut = m.end()
        quote = quotes.containing(m.start())
        if quote and quote[0] < m.start() and quote[1] > cut:
            continue
        if m.group().startswith("\n"):
            if quotes.inside(m.start()):
                continue
            _add(sentences, text, begin, m.start(), paragraph, quotes)
            paragraph += 1
            begin = cut
            continue
        if (
            m.group()[0] == "."
            and _is_abbreviation(text, m.start())
            and not _CLOCK_THEN_SENTENCE.search(text, max(0, m.start() - 4), m.end() + 8)
        ):
            continue
        if not _NEXT_STARTS.match(text, cut) or _attribution_follows(text, m.group(), cut):
            continue
        _add(sentences, text, begin, cut, paragraph, quotes)
        begin = cut
    _add(sentences, text, begin, len(text), paragraph, quotes)
    return sentences


_ATTRIBUTION_TAIL = re.compile(
    r"\s*(?:[A-Z][\w.’'-]*\s+){1,4}(?:said|says|asked|added|told|wrote|replied|insisted)\b"
)


def _attribution_follows(text: str, end_mark: str, cut: int) -> bool:
    """'“Why?” Smith asked.' is one sentence although a capital follows the '?'."""
    return (
        end_mark[0] in "?!" and end_mark[-1] in '”"»' and bool(_ATTRIBUTION_TAIL.match(text, cut))
    )


def _add(out: list[Sentence], text: str, start: int, end: int, paragraph: int, quotes: QuoteIndex):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        inner = [q for q in quotes.spans if q[0] < end and q[1] > start]
        out.append(Sentence(start, end, paragraph, inner))
