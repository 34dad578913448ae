"""PostgreSQL's web-search syntax (``websearch_to_tsquery``) as an SQLite FTS5 query.

The syntax: words (all must match), ``"a phrase"`` (those words in that order), ``or``
between two terms (either), ``-word`` or ``-"a phrase"`` (must not match). Anything
else (parentheses, ``*``, ``:``, ``^``, a lone ``-``, an unclosed quote) is no operator:
it only separates words, as PostgreSQL has it. English stop words are dropped as
PostgreSQL's ``english`` configuration drops them, so ``the landmine`` finds what
``landmine`` finds on both databases.

Plain Python, no Django: ``parse`` never raises, whatever the input, and ``to_fts5``
writes every word as a quoted FTS5 string, so no input reaches FTS5 as syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: PostgreSQL's ``english`` stop words (``tsearch_data/english.stop``).
_STOP_LIST = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what
    which who whom this that these those am is are was were be been being have has had
    having do does did doing a an the and but if or because as until while of at by for
    with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so than
    too very s t can will just don should now
"""
STOP_WORDS = frozenset(_STOP_LIST.split())

_WORD = re.compile(r"[^\W_]+")  # letters and digits: what FTS5's unicode61 keeps
_CHUNK = re.compile(r'[^\s"]+')


@dataclass(frozen=True)
class Term:
    """One word, or a phrase (several words in order); ``negated`` for ``-term``."""

    words: tuple[str, ...]
    negated: bool = False

    def fts5(self) -> str:
        return '"' + " ".join(self.words).replace('"', '""') + '"'


@dataclass(frozen=True)
class Fts5Query:
    """What a web-search query selects, in FTS5 terms.

    ``match``: an FTS5 MATCH expression for the alternatives with a word to find (None
    when none has). ``excluded``: for each alternative made only of ``-terms`` (FTS5
    cannot say "every row without x"), a MATCH expression for the rows it leaves out.
    The rows are those ``match`` finds, plus, for each ``excluded``, every row it does not
    find. Both empty: the query has no word left (only stop words or punctuation), and
    selects nothing, as on PostgreSQL.
    """

    match: str | None
    excluded: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self.match is None and not self.excluded


def _words(text: str) -> tuple[str, ...]:
    """The words of ``text``, lower-cased, without stop words at either end (inside a
    phrase they keep their place)."""
    words = [w.casefold() for w in _WORD.findall(text)]
    while words and words[0] in STOP_WORDS:
        words.pop(0)
    while words and words[-1] in STOP_WORDS:
        words.pop()
    return tuple(words)


def parse(text: str) -> list[list[Term]]:
    """``text`` as alternatives (``or``) of terms that must all hold; no empty
    alternative, no empty term."""
    text = text.replace("\x00", " ")
    groups: list[list[Term]] = [[]]
    negated = False
    pos, end = 0, len(text)
    while pos < end:
        char = text[pos]
        if char.isspace():
            pos += 1
            continue
        if char == "-":  # negates the next term; "--x" is x again
            negated = not negated
            pos += 1
            continue
        if char == '"':
            close = text.find('"', pos + 1)
            close = end if close == -1 else close
            words, pos = _words(text[pos + 1 : close]), close + 1
        else:
            chunk = _CHUNK.match(text, pos)
            pos = chunk.end()
            if chunk.group().casefold() == "or" and not negated:
                if groups[-1]:
                    groups.append([])
                continue
            words = _words(chunk.group())
        if words:
            groups[-1].append(Term(words, negated))
        negated = False
    return [group for group in groups if group]


def _any(terms: list[Term]) -> str:
    inner = " OR ".join(term.fts5() for term in terms)
    return inner if len(terms) == 1 else f"({inner})"


def to_fts5(text: str) -> Fts5Query:
    """``text`` (web-search syntax) as an FTS5 query; see ``Fts5Query``."""
    matches: list[str] = []
    excluded: list[str] = []
    for group in parse(text):
        wanted = [term for term in group if not term.negated]
        unwanted = [term for term in group if term.negated]
        if not wanted:
            excluded.append(_any(unwanted))
            continue
        expression = " AND ".join(term.fts5() for term in wanted)
        if unwanted:
            expression = f"({expression}) NOT {_any(unwanted)}"
        matches.append(f"({expression})")
    match = " OR ".join(matches) if matches else None
    return Fts5Query(match, tuple(excluded))
