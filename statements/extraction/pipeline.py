"""From a news text to statements: cue by cue, find speaker, content, mode and date."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from . import dates as dt
from .bodies import Body, bodies_in, body_of
from .cues import NEEDS_THAT, OFFICIAL, REPORTING, Cue, find_cues, medium_after, medium_for
from .lexicon import words
from .quotes import ALL_QUOTES, CLOSING, OPENING, find_quotes
from .sentences import QuoteIndex, Sentence, split_sentences
from .speakers import (
    CLAUSE_WORDS,
    GOVERNMENT,
    HUMAN,
    NAME_PARTICLES,
    ORGANIZATION,
    POSTMODIFIERS,
    PRONOUNS,
    QUANTITIES,
    Tok,
    fold,
    guess_kind,
    head_of,
    head_ok,
    is_nominal,
    name_tail,
    names_someone,
    people_in,
    resolve_speaker,
    split_title,
    tokens,
    trim_chunk,
    valid_speaker,
)
from .types import ActorName, Extracted, Span

_HEADER = re.compile(r"\s*date (\S+)[ \t]*\n?")
# "LIMA, May 4 (Agency) --", "WASHINGTON (AP) —", "UNITED NATIONS, 3 March –": the place in
# capitals, an optional date and agency, then a dash.
_DATELINE = re.compile(
    r"[A-Z][A-Z.'’-]+(?:,? [A-Z][A-Z.'’-]+)*"
    rf"(?:,? (?:{dt.MONTH}\.? \d{{1,2}}|\d{{1,2}} {dt.MONTH})(?:,? \d{{4}})?)?"
    r",? ?(?:\([^()\n]{0,40}\) ?)?(?:[―—–]|--?)+ ?"
)
_SKIP = words(
    "also later again strongly previously recently repeatedly publicly privately then now "
    "still once further flatly quickly immediately has have had was were is are will would "
    "could did does do not never always first last just earlier already finally often angrily "
    "reportedly separately similarly sarcastically simply bluntly openly here there early"
)
_PUNCT_GAP = re.compile(r"[,;:()\[\]—–―\"“”«»]|(?<![A-Z])\.|\s-\s")
_CONTRAST = re.compile(
    r", (?:while|whereas|even as|based on|although|though|compared (?:with|to)"
    r"|(?:a|the) (?:move|claim|charge|position|view|stance|remark|comment)s?\b|stances)\b"
)
_TRAILING_CIRCUMSTANCE = re.compile(
    r",? (?:during|in an? (?:\w+ )?(?:interview|statement|speech|letter)|at an? (?:\w+ )?"
    r"(?:news|press) conference|on (?:Twitter|Facebook)|in (?:remarks|comments) to)\b"
)


def parse_header(text: str) -> tuple[datetime.date | None, int]:
    """Return the date of a leading 'date YYYY-MM-DD' header and where the body begins."""
    m = _HEADER.match(text)
    if not m:
        return None, 0
    raw = m.group(1)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        raise ValueError(f"malformed date header {raw!r}: expected 'date YYYY-MM-DD'")
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError as exc:
        raise ValueError(f"malformed date header {raw!r}: {exc}") from None
    return day, m.end()


@dataclass
class _Speaker:
    name: str | None  # None: the mention names no one the text or registry can tell
    title: str
    kind: str
    actor: str | None
    mention: Span
    parent: str | None = None  # a body's state ("Armenia" for its foreign ministry)
    via: Extracted | None = None  # the earlier statement a pronoun or role refers back to


@dataclass
class _Doc:
    """Everything extract() knows while walking one text."""

    text: str
    published_on: datetime.date
    registry: Sequence[ActorName]
    quotes: QuoteIndex
    people: dict[str, str]
    sentences: list[Sentence] = field(default_factory=list)
    index: int = 0  # the sentence being read
    bodies: list[tuple[int, int, Body]] | None = None  # found on first need
    out: list[Extracted] = field(default_factory=list)
    kinds: dict[int, str] = field(default_factory=dict)  # id(Extracted) -> speaker kind
    sentence_of: dict[int, int] = field(default_factory=dict)


def extract(
    text: str, published_on: datetime.date, registry: Sequence[ActorName] = ()
) -> list[Extracted]:
    """The statements a news text reports, in text order, with offsets into text."""
    _, body = parse_header(text)
    quotes = QuoteIndex(find_quotes(text))
    doc = _Doc(text, published_on, registry, quotes, people_in(text[body:]))
    headline = find_headline(text)
    sentences = [
        s
        for s in split_sentences(text, body, quotes)
        if headline is None or s.start >= headline.end
    ]
    doc.sentences = sentences
    block: _Block | None = None
    for index in range(len(sentences)):
        doc.index = index
        opened = _block_header(doc, sentences[index])
        if opened is not None:
            block = opened
            continue
        found = _sentence_statements(doc, sentences, index)
        if not found:
            found = _continuation(doc, sentences, index)
        if block is not None:
            found = _in_block(doc, block, sentences, index, found)
        for item in found:
            doc.sentence_of[id(item)] = index
        doc.out.extend(found)
    return doc.out


def find_headline(text: str) -> Span | None:
    """The headline: a short first paragraph, set apart, with no dateline or attribution.

    It is the source's title, never a statement.
    """
    _, body = parse_header(text)
    m = re.compile(r"\s*([^\n]+(?:\n[^\n]+)?)\n[ \t]*\n").match(text, body)
    if not m:
        return None
    line = m.group(1).strip()
    if len(line.split()) > 25 or _DATELINE.match(line) or re.search(r"[”\"],? \w+ \w+\.?$", line):
        return None
    long_words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", line) if len(w) > 3]
    title_case = long_words and sum(w[0].isupper() for w in long_words) >= 0.6 * len(long_words)
    if line.endswith(":"):
        return None  # "The following statement was issued by …:"
    if not title_case and line[-1:] in ".!?”\"»’'":
        return None  # a short first sentence, not a title
    return Span.of(text, m.start(1), m.start(1) + len(m.group(1).rstrip()))


@dataclass
class _Block:
    """'The following statement was issued today by X:' and the paragraphs after it."""

    speaker: _Speaker
    paragraph: int
    dating: dt.Dating | None
    evidence: Span | None


_BLOCK_HEADER = re.compile(
    r"(?:(?:The|the) )?(?:following|below)(?: (?:statement|press statement|communiqu[ée]|readout|"
    r"text))?(?: (?:was|is))? (?:issued|released|made|delivered|attributable)"
    r"(?: (?:today|on \w+(?: \d{1,2})?|yesterday))? (?:by|to) (?P<who>[^:\n]+):$"
)


def _block_header(doc: _Doc, sent: Sentence) -> _Block | None:
    m = _BLOCK_HEADER.match(doc.text, sent.start, sent.end)
    if not m:
        return None
    who = m.start("who")
    chunk = tokens(doc.text, who, m.end("who"))
    if chunk and chunk[0].low == "the" and len(chunk) > 1:
        chunk = chunk[1:] if not chunk[1].capitalized else chunk
    cut = next((i for i in range(1, len(chunk)) if doc.text[chunk[i - 1].end] == ","), None)
    if cut is not None and chunk[cut].capitalized:
        chunk = chunk[cut:]  # "the Council President, Ambassador Lena Korhonen of Finland"
    if not chunk:
        return None
    speaker = _speaker(doc, chunk)
    dates = dt.find_dates(doc.text, sent.start, sent.end)
    dating = dt.resolve(dates[0], doc.published_on) if dates else None
    evidence = Span.of(doc.text, dates[0].start, dates[0].end) if dating else None
    return _Block(speaker, sent.paragraph, dating, evidence)


def _in_block(
    doc: _Doc, block: _Block, sentences: list[Sentence], index: int, found: list[Extracted]
) -> list[Extracted]:
    """Inside an issued statement: its sentences are the issuer's, dated by the header."""
    sent = sentences[index]
    for item in found:  # said when the statement was issued, whatever dates it mentions
        if block.dating is not None:
            item.said_on, item.date_precision = block.dating.said_on, block.dating.precision
            item.date_evidence = block.evidence
    if found or doc.quotes.containing(sent.start):
        return found
    who = block.speaker
    dating = block.dating or dt.Dating(doc.published_on, "on_or_before")
    item = Extracted(
        speaker=who.name,
        speaker_mention=who.mention,
        speaker_title=who.title,
        cue=None,
        content=Span.of(doc.text, sent.start, _rstrip(doc.text, sent.start, sent.end)),
        mode="direct",
        said_on=dating.said_on,
        date_precision=dating.precision,
        date_evidence=block.evidence,
        speaker_actor=who.actor,
        medium="written_statement",
        speaker_kind=who.kind,
        speaker_parent=who.parent,
    )
    doc.kinds[id(item)] = who.kind
    return [item]


# --- one sentence -------------------------------------------------------------------------


def _sentence_statements(doc: _Doc, sentences: list[Sentence], index: int) -> list[Extracted]:
    sent = sentences[index]
    text = doc.text
    start = _effective_start(text, sent)
    found: list[Extracted] = []
    cues = [c for c in find_cues(text, start, sent.end) if doc.quotes.containing(c.start) is None]
    for cue in cues:
        if any(
            _covers(s.content, cue.start) or _covers(s.speaker_mention, cue.start) for s in found
        ):
            continue
        item = _statement(doc, sentences, index, start, cue, found)
        if item is not None:
            found.append(item)
            doc.out.append(item)  # visible to back-references within the sentence
    del doc.out[len(doc.out) - len(found) :]
    return found


def _covers(span: Span | None, pos: int) -> bool:
    return span is not None and span.start <= pos < span.end


def _effective_start(text: str, sent: Sentence) -> int:
    m = _DATELINE.match(text, sent.start, sent.end)
    return m.end() if m else sent.start


def _statement(
    doc: _Doc, sentences: list[Sentence], index: int, start: int, cue: Cue, found: list[Extracted]
) -> Extracted | None:
    sent = sentences[index]
    if cue.lemma == "according":
        return _according(doc, sentences, index, start, cue)
    chunk, gap = _left_chunk(doc, start, cue.start)
    chunk = trim_chunk(chunk)
    if not gap and _and_before(doc.text, start, cue.start):
        content = _content_after(doc, cue, _skip_modifiers(doc, cue.end, sent.end), sent.end)
        if found:
            return _build(doc, sentences, index, cue, None, content, like=found[-1])
        subject = _subject(doc, start, cue.start)
        if subject:  # "Grassley on Wednesday downplayed the attack and said …"
            return _build(doc, sentences, index, cue, subject, content)
    if chunk and not gap and cue.participle and _issued_document(doc.text, chunk):
        issuer, issuer_gap = _left_chunk(doc, start, _issued_document(doc.text, chunk))
        issuer = trim_chunk(issuer)
        if issuer and not issuer_gap and valid_speaker(issuer):
            chunk = issuer  # "McConnell issued a statement saying …": McConnell
    if chunk and not gap and valid_speaker(chunk) and not _inside_quote(doc, chunk):
        named = _named_before_aside(doc, start, chunk)
        if named is not None:  # "Sen. Ann Ito, a supporter of the bill, told …"
            return _with_left_speaker(doc, sentences, index, start, cue, named, after_first=True)
        return _with_left_speaker(doc, sentences, index, start, cue, chunk)
    restrictive = _RESTRICTIVE.search(doc.text, start, cue.start)
    if restrictive and not found:  # "people who have fought such threats say …"
        antecedent, gap = _left_chunk(doc, start, restrictive.start())
        antecedent = _nearest_noun_phrase(trim_chunk(antecedent))
        if antecedent and not gap and valid_speaker(antecedent):
            return _with_left_speaker(
                doc, sentences, index, start, cue, antecedent, after_only=True
            )
    relative = _RELATIVE.search(doc.text, start, cue.start)
    if relative:
        antecedent, gap = _left_chunk(doc, start, relative.start())
        antecedent = _nearest_noun_phrase(trim_chunk(antecedent))
        if antecedent and not gap and valid_speaker(antecedent):
            item = _with_left_speaker(
                doc, sentences, index, start, cue, antecedent, after_only=True
            )
            if item is not None:  # the mention reaches the relative: "Ann Ito, who"
                who_end = relative.start() + relative.group().rstrip().rfind("who") + 3
                item.speaker_mention = Span.of(doc.text, antecedent[0].start, who_end)
            return item
    before_end = _rstrip(doc.text, start, cue.start)
    if before_end > start and _after_quote_or_comma(doc.text, before_end):
        inverted = cue.lemma != "tell" and not cue.participle  # "…, said Ito"; never "saying X"
        right = _right_chunk(doc, cue.end, sent.end) if inverted else []
        if right and valid_speaker(right) and _phrase_ends(doc.text, right[-1].end, sent.end):
            content = _content_before(doc, start, before_end)
            after = _skip_modifiers(doc, right[-1].end, sent.end)
            content = _extend_with_quote(doc, content, after, sent.end)
            return _build(doc, sentences, index, cue, right, content)
        if (cue.participle or _and_before(doc.text, start, cue.start)) and found:
            content = _content_after(doc, cue, cue.end, sent.end)
            return _build(doc, sentences, index, cue, None, content, like=found[-1])
        subject = _subject(doc, start, cue.start)
        if cue.participle and subject:
            content = _content_after(doc, cue, cue.end, sent.end)
            return _build(doc, sentences, index, cue, subject, content)
        appositive = _appositive(doc, start, before_end)
        if appositive:
            return _with_left_speaker(
                doc, sentences, index, start, cue, appositive, after_first=True
            )
    return None


_ISSUED = re.compile(
    r"\b(?:issued|released|put out|sent|posted|published|delivered|made)\s+(?:\w+\s+)?$"
)
_DOCUMENT_HEADS = words(
    "statement letter note memo release communique communiqué readout tweet post"
)


def _issued_document(text: str, chunk: list[Tok]) -> int:
    """'issued a statement saying': where the verb before the document starts (else 0)."""
    if len(chunk) > 3 or chunk[-1].low not in _DOCUMENT_HEADS or chunk[0].low not in ("a", "an"):
        return 0
    m = _ISSUED.search(text, max(0, chunk[0].start - 30), chunk[0].start)
    return m.start() if m else 0


def _opening_name(doc: _Doc, start: int, end: int) -> list[Tok] | None:
    """'Ann Ito, director of the fund, a charity, said': the name opening the sentence,
    when everything between it and the cue is asides set off by commas."""
    comma = doc.text.find(",", start, end)
    if comma < 0:
        return None
    named, gap = _left_chunk(doc, start, comma)
    named = trim_chunk(named)
    inner = doc.text[comma + 1 : end].strip()
    if gap or not named or not all(t.capitalized or t.low in NAME_PARTICLES for t in named):
        return None
    if len(named) < 2 and not doc.people.get(named[-1].text):
        return None
    if not (_is_apposition(inner) or re.match(r"[a-z]+(?:ing|ed)\b", inner)):
        return None
    return named if names_someone(doc.text, named) and valid_speaker(named) else None


def _named_before_aside(doc: _Doc, start: int, chunk: list[Tok]) -> list[Tok] | None:
    """'Ann Ito, a supporter of the bill, told …': the name before a described aside."""
    if chunk[0].low not in ("a", "an", "the"):
        return None
    opening = _opening_name(doc, start, chunk[0].start)
    if opening is not None:
        return opening
    if chunk[-1].capitalized:
        return None
    comma = _rstrip(doc.text, start, chunk[0].start)
    if comma <= start or doc.text[comma - 1] != ",":
        return None
    named, gap = _left_chunk(doc, start, comma - 1)
    named = trim_chunk(named)
    if gap or not named or not named[-1].capitalized or not names_someone(doc.text, named):
        return None
    if len(named) < 2 and not doc.people.get(named[-1].text):
        return None  # "Hours later, the ministry said": no name before the aside
    return named if valid_speaker(named) else None


def _nearest_noun_phrase(chunk: list[Tok]) -> list[Tok]:
    """'talks held with help from Labor Secretary Tom Perez' -> 'Labor Secretary Tom Perez'."""
    for i in range(len(chunk) - 1, 0, -1):
        if chunk[i - 1].low in _PHRASE_BREAKS:
            return chunk[i:]
    return chunk


_PHRASE_BREAKS = words("from with by to for of over at in on about against among between")


# "people who have fought such threats say": a relative clause between speaker and cue.
_RESTRICTIVE = re.compile(r"\s+who\s+[^,.;:!?“”\"]{3,80}?\s+$")
# "leaders who say …", "Smith, who also said …": the relative pronoun just before a cue.
_RELATIVE = re.compile(
    r",?\s+who(?:\s+(?:also|have|has|had|would|will|later|then|previously|often))*\s+$"
)


def _phrase_ends(text: str, pos: int, end: int) -> bool:
    """After an inverted speaker ('…, said Ann Ito') comes punctuation or a circumstance,
    never a verb ('…, said Perez could help'): then the name starts the content."""
    rest = text[pos:end].lstrip()
    if not rest or rest[0] in ".,;:!?—–)”\"'":
        return True
    word = rest.split()[0].lower()
    return word in _CIRCUMSTANCE_WORDS or dt.DATE_RE.match(rest) is not None


_CIRCUMSTANCE_WORDS = words(
    "in on at during after before when while who which as by to from with of for earlier "
    "later yesterday today tonight last this"
)


def _and_before(text: str, start: int, pos: int) -> bool:
    """'… announced X and said Y': the cue shares the subject of the previous one."""
    return bool(re.search(r"\b(?:and|but) (?:also |then |later |still )?$", text[start:pos]))


def _after_quote_or_comma(text: str, pos: int) -> bool:
    return text[pos - 1] in ',”"»' or text[pos - 2 : pos] == "''"


def _subject(doc: _Doc, start: int, end: int) -> list[Tok] | None:
    """The capitalised subject opening a sentence: 'Lisbon rejected …, saying …'.

    A scene-setting opener is passed over: 'Amid protests, Lisbon rejected …'.
    """
    chunk: list[Tok] = []
    first = re.match(r"\s*(\w+)", doc.text[start:end])
    if first and first.group(1).lower() in ("but", "and", "so", "yet", "still"):
        start += first.end()  # "But Trump later blamed …, claiming …"
    elif first and (
        first.group(1).lower() in _ADVERBIAL_OPENERS or first.group(1).endswith(("ing", "ly"))
    ):
        comma = doc.text.find(",", start, end)
        if comma < 0:
            return None
        start = comma + 1
    for tok in tokens(doc.text, start, end):
        if chunk and _PUNCT_GAP.search(_gap(doc.text, chunk[-1], tok.start)):
            break
        if not chunk and tok.low in ("the", "a", "an"):
            chunk.append(tok)
            continue
        if doc.quotes.containing(tok.start):
            break
        if not tok.capitalized:
            if chunk and tok.low not in CLAUSE_WORDS and head_ok(tok):
                chunk.append(tok)  # "The New York businessman has praised …"
            break
        chunk.append(tok)
    chunk = trim_chunk(chunk)
    if not chunk or not valid_speaker(chunk):
        return None
    return chunk if chunk[-1].capitalized or chunk[0].low in ("the", "a", "an") else None


def _inside_quote(doc: _Doc, chunk: list[Tok]) -> bool:
    return any(doc.quotes.inside(t.start) for t in chunk)


def _with_left_speaker(
    doc: _Doc,
    sentences: list[Sentence],
    index: int,
    start: int,
    cue: Cue,
    chunk: list[Tok],
    after_only: bool = False,
    after_first: bool = False,
) -> Extracted | None:
    """A speaker before the cue; content after it, or before the speaker ('…, X said').

    after_only: the words before the speaker are no content ('leaders who say …');
    after_first: an appositive sits between ('A JNF official, Ann Ito, said the …'),
    so a clause after the cue wins over what precedes, unless that is a quotation.
    """
    text, sent = doc.text, sentences[index]
    after = _skip_modifiers(doc, cue.end, sent.end)
    if cue.lemma == "tell" or cue.form == "asked":
        after = _skip_recipient(doc, after, sent.end)
    before_end = _rstrip(text, start, chunk[0].start)
    if after_only or (
        after_first
        and not _starts_quote(text[start:before_end])
        and _clause(text[after : sent.end])
    ):
        before_end = start
    content = _choose_content(doc, cue, start, before_end, after, sent.end)
    if content is None:
        return None
    return _build(doc, sentences, index, cue, chunk, content)


_OPENS_CONTENT = re.compile(r"that\b|[:,]?\s*(?:[“\"«]|'')")


def _choose_content(
    doc: _Doc, cue: Cue, start: int, before_end: int, after: int, end: int
) -> Span | None:
    """Content after the cue ('X said that …') or before the attribution ('…, X said')."""
    text = doc.text
    rest = text[after:end]
    before = (
        _content_before(doc, start, before_end)
        if before_end > start and (_after_quote_or_comma(text, before_end))
        else None
    )
    adverbial = None
    if before is not None and _fronted_adverbial(before.text, rest):
        adverbial, before = before, None  # "On Sunday, X said …", "At the debate, X said …"
    if adverbial is not None and re.match(
        r",\s*(?![\w’']+ing\b|who\b|which\b|according\b)\w", rest
    ):
        stop = _rstrip(text, after, end)
        while stop > after and text[stop - 1] in ".!?":
            stop -= 1
        return Span.of(text, adverbial.start, stop)  # "In any case, X said, the B": one
    if (
        before is not None
        and _starts_quote(before.text)
        and re.match(r"[,:]\s*(?:[“\"«]|'')", rest)
    ):
        return _extend_with_quote(doc, before, after, end)
    if _OPENS_CONTENT.match(rest):
        if cue.lemma in NEEDS_THAT and not rest.startswith(("that", ":")):
            return None
        return _content_after(doc, cue, after, end)
    if before is not None:
        if rest.startswith(",") and not re.match(
            r",\s*(?:\w+ing|who|which|according|as|after|before|when|while)\b", rest
        ):
            stop = _rstrip(text, after, end)
            while stop > after and text[stop - 1] in ".!?":
                stop -= 1
            return Span.of(text, before.start, stop)  # "A, he said, B": one statement
        return before
    if _object_follows(rest):
        if cue.lemma in NEEDS_THAT:
            return None
        return _content_after(doc, cue, after, end)
    return None


_AUXILIARY = re.compile(
    r"\b(?:is|was|are|were|be|been|being|has|have|had|will|would|can|could|should|may|might"
    r"|must|do|does|did|won't|can't|isn't|wasn't|aren't|don't|doesn't|didn't|[a-z]+ed|[a-z]+n't)\b",
    re.IGNORECASE,
)
_ADVERBIAL_OPENERS = words(
    "in on at during after before despite while when as since though although still however "
    "meanwhile later earlier instead for unlike with without under following amid until "
    "because if even yet separately also now then today yesterday last this by from over "
    "through throughout regarding asked speaking afterward previously similarly likewise "
    "nonetheless nevertheless indeed moreover furthermore but and so back once like to rather "
    "whereas other besides beyond given"
)


def _object_follows(rest: str) -> bool:
    """Words after the cue that can be what was said: 'urged calm', 'said the …'."""
    if rest.startswith((",", ";", ")")):
        return False
    said = rest.split()
    if len(said) >= 2:
        return True
    return bool(said) and len(said[0].strip(".!?")) >= 4 and not said[0].endswith(("ly", "ly."))


def _clause(rest: str) -> bool:
    """Do the words after a cue read as a reported clause ('his staff did the wrong thing')?"""
    return len(rest.split()) >= 3 and not rest.lstrip().startswith((",", ";", ")", "."))


def _fronted_adverbial(before: str, rest: str) -> bool:
    """'At the debate, X said his staff …': the words before the comma set the scene."""
    first = before.split()[0].lower().strip(",;:") if before.split() else ""
    if _starts_quote(before):
        return False
    if first not in _ADVERBIAL_OPENERS and not first.endswith("ing"):
        # no opener, but no verb either: "Sunday on Fox News", "The next month"
        return _clause(rest) and not (
            _AUXILIARY.search(before) or any(q in before for q in ALL_QUOTES)
        )
    if len(before.split()) <= 6 and rest.strip(" .!?"):
        return True  # "Earlier in the day, the ministry also denied any involvement"
    return _clause(rest) or re.match(r",\s*\w", rest) is not None


def _according(
    doc: _Doc, sentences: list[Sentence], index: int, start: int, cue: Cue
) -> Extracted | None:
    text, sent = doc.text, sentences[index]
    right = _right_chunk(doc, cue.end, sent.end, lowercase=True)
    if not right or len(right) > 12:
        return None
    before_end = _rstrip(text, start, cue.start)
    if before_end > start:
        content = _content_before(doc, start, before_end)
    else:
        after = right[-1].end
        m = re.compile(r"[^,]*,\s*").match(text, after, sent.end)
        content = _content_after(doc, cue, m.end() if m else after, sent.end)
    if content is None:
        return None
    return _build(doc, sentences, index, cue, right, content)


# --- chunks -------------------------------------------------------------------------------


def _left_chunk(doc: _Doc, start: int, pos: int) -> tuple[list[Tok], bool]:
    """The words just before a cue that may name the speaker, and whether punctuation intervenes."""
    text = doc.text
    aside = _ASIDE_BEFORE_CUE.search(text, start, pos)
    if aside:
        pos = aside.start()  # "Hunter, meanwhile, told …"
    toks = tokens(text, start, pos)
    if "(" in text[start:pos]:
        inside = [m.span() for m in _BRACKETED.finditer(text, start, pos)]
        toks = [t for t in toks if not any(a <= t.start < b for a, b in inside)]
    dates = [(d.start, d.end) for d in dt.find_dates(text, start, pos)]
    i = len(toks) - 1
    right = pos
    while i >= 0:
        tok = toks[i]
        if _PUNCT_GAP.search(_gap(text, tok, right)):
            return [], True
        if (
            tok.low in _SKIP
            or (tok.low.endswith("ly") and not tok.capitalized and len(tok.low) > 4)
            or any(a <= tok.start < b for a, b in dates)
        ):
            right = tok.start
            i -= 1
            continue
        break
    chunk: list[Tok] = []
    while i >= 0:
        tok = toks[i]
        if _PUNCT_GAP.search(_gap(text, tok, right)):
            break
        if any(a <= tok.start < b for a, b in dates):
            break  # "On Tuesday evening the command reported": the date is no speaker
        chunk.insert(0, tok)
        right = tok.start
        i -= 1
    return chunk, False


_ASIDE_BEFORE_CUE = re.compile(
    r",\s*(?:meanwhile|however|though|too|also|in turn|for (?:his|her|their|its) part"
    r"|in (?:a|an|the) (?:\w+ )?(?:statement|interview|letter|email|post))\s*,\s*$"
    r"|\s*(?:—|--|–)[^—–\n]{1,150}?(?:—|--|–)\s*$"  # "Jason Sims — a teacher — says"
    r"|\s*\([^()\n]{1,150}\)\s*$"  # "Sen. Chris Murphy (a Connecticut Democrat) says"
)
_BRACKETED = re.compile(r"\s*\([^()\n]{1,40}\)\s*")


def _gap(text: str, tok: Tok, right: int) -> str:
    gap = text[tok.end : right]
    if "(" in gap:
        gap = _BRACKETED.sub(" ", gap)  # "Liberal Party (LP) lawmakers", "Li Wen (李文) said"
    if gap.startswith(".") and re.fullmatch(
        r"(?:[A-Z]\.?)+|[A-Z][a-z]{1,3}|[A-Z](?:\.[A-Z])+", tok.text
    ):
        gap = gap[1:]  # "U.S. Secretary", "Mr. Smith"
    return gap


def _right_chunk(doc: _Doc, pos: int, end: int, lowercase: bool = False) -> list[Tok]:
    """The words just after an inverted cue ('…,” said Blinken') naming the speaker."""
    text = doc.text
    chunk: list[Tok] = []
    left = pos
    for tok in tokens(text, pos, end):
        if _PUNCT_GAP.search(
            text[left : tok.start].replace(".", "")
            if chunk and _gap(text, chunk[-1], tok.start) != text[left : tok.start]
            else text[left : tok.start]
        ):
            break
        low = tok.low
        if chunk and low in (
            "in",
            "on",
            "at",
            "during",
            "after",
            "before",
            "that",
            "when",
            "while",
            "who",
            "which",
            "as",
            "by",
            "because",
            "and",
            "but",
        ):
            break
        if not chunk and not (
            tok.capitalized
            or low in ("the", "a", "an", "another")
            or low in PRONOUNS
            or low in QUANTITIES
            or lowercase
        ):
            break
        if dt.DATE_RE.match(text, tok.start) or (chunk and low in CLAUSE_WORDS):
            break  # "said he would …": a clause, not an inverted speaker
        chunk.append(tok)
        left = tok.end
        if len(chunk) > 10:
            return []
    while chunk and (
        chunk[-1].low in ("of", "for", "to", "the", "a", "with", "from")
        or chunk[-1].low in POSTMODIFIERS
    ):
        chunk.pop()  # "says a source involved in …"
    return chunk


def _appositive(doc: _Doc, start: int, comma_end: int) -> list[Tok] | None:
    """'Scott Pruitt, the attorney general of Oklahoma, said' -> the name before the comma.

    The aside may hold commas of its own ('Joe Biden, who flew to Columbus, Ohio, on
    Monday, said'): up to four commas back, an aside opening with 'who', an article, a
    possessive or an age counts.
    """
    text = doc.text
    end = comma_end - 1
    segment = text[start:end]
    cuts = [m.start() for m in re.finditer(",", segment)]
    if not cuts:
        return None
    opening = _opening_name(doc, start, end)
    if opening is not None and len(cuts) > 1:
        return opening  # "Sen. Ann Ito, facing a challenge in Iowa, a swing state, said"
    last = cuts[-1]
    named, gap = _left_chunk(doc, start + last + 1, end)
    if (
        not gap
        and named
        and all(t.capitalized or t.low == "and" for t in named)
        and named[0].capitalized
        and len(named) <= 5
    ):
        return named  # "The fire chief, Paul Verne, said"
    for cut in reversed(cuts[-4:]):
        inner = segment[cut + 1 :].strip()
        if not inner or len(inner.split()) > 30 or not _is_apposition(inner):
            continue
        chunk, gap = _left_chunk(doc, start, start + cut)
        chunk = trim_chunk(chunk)
        if not gap and chunk and valid_speaker(chunk):
            return chunk
    if not gap and named and name_tail(named) is not None:
        return named[name_tail(named) :]  # "his wife, longtime aide Huma Abedin, announced"
    return None


def _is_apposition(inner: str) -> bool:
    """Does an aside between commas describe the name before it?"""
    if _APPOSITION.match(inner):
        return True
    words_ = inner.split()
    last = words_[-1].lower().strip(".,") if words_ else ""
    return len(words_) <= 8 and (
        last in HUMAN or last.endswith(("er", "or", "ist", "ian", "ant", "ent"))
    )  # "Gore's communications director"


_APPOSITION = re.compile(
    r"(?:who|whose|which|a|an|the|one|his|her|its|their|another|then|now|also|himself|herself"
    r"|\d{1,3}\b|[a-z]+(?:-[a-z]+)? (?:of|for|at|to)\b|[a-z]+ [a-z]+ (?:of|for|at)\b"
    r"|[a-z]+(?:ed|en) (?:by|with|in|at|to|about)\b|[a-z]+ by\b"
    r"|(?:[A-Z][\w.’'-]* ){0,3}(?:spokes\w+|[a-z]+er|[a-z]+or|[a-z]+ist|chief|head|leader))\b"
)


def _skip_modifiers(doc: _Doc, pos: int, end: int) -> int:
    """Skip medium phrases, dates and adverbs right after a cue or a speaker."""
    text = doc.text
    while True:
        medium = medium_after(text, pos)
        if medium:
            pos = medium[1]
            continue
        m = re.compile(r",?\s+").match(text, pos, end)
        nxt = m.end() if m else pos
        d = dt.DATE_RE.match(text, nxt)
        if d and d.end() <= end:
            pos = d.end()
            continue
        w = re.compile(
            r"[a-z]+ly\b|again\b|also\b|then\b|later\b|today\b|repeatedly\b"
            r"|to reporters\b|(?<=,)\s*(?:however|though|too|meanwhile|in turn),"
        ).match(text, nxt, end)
        if w and w.group() not in ("only", "early", "likely", "family"):
            pos = w.end()
            continue
        break
    m = re.compile(r"\s*").match(text, pos, end)
    return m.end() if m else pos


def _skip_recipient(doc: _Doc, pos: int, end: int) -> int:
    """After 'told': skip the person told, up to 'that' if it comes soon."""
    text = doc.text
    m = re.compile(r"[^,.;:“\"]{0,80}?\bthat\b\s*").match(text, pos, end)
    if m:
        return m.end()
    m = re.compile(
        r"(?:(?:the|a|an|his|her|their) )?(?:[A-Z][\w.’'-]*\s?)+|(?:the|a|an|his|her"
        r"|their|reporters|him|her|them|us|me)\b(?: \w+)?"
    ).match(text, pos, end)
    if not m:
        return pos
    return _skip_modifiers(doc, m.end(), end)


# --- content ------------------------------------------------------------------------------


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _content_before(doc: _Doc, start: int, end: int) -> Span | None:
    text = doc.text
    if text[end - 1] == ",":
        end -= 1
    end = _rstrip(text, start, end)
    start = _strip_lead(text, start, end)
    return Span.of(text, start, end) if end - start > 2 else None


def _strip_lead(text: str, start: int, end: int) -> int:
    m = re.compile(r"(?:And|But|So|Still|Yet|Also),?\s+").match(text, start, end)
    return m.end() if m and not doc_quote_at(text, start) else start


def doc_quote_at(text: str, pos: int) -> bool:
    return pos < len(text) and text[pos] in ALL_QUOTES


def _starts_quote(t: str) -> bool:
    return t[:1] in OPENING + '"' or t.startswith("''")


def _content_after(doc: _Doc, cue: Cue, pos: int, end: int) -> Span | None:
    text = doc.text
    m = re.compile(r"\s*(?:that\b|[:,])?\s*").match(text, pos, end)
    if m:
        pos = m.end()
    end = _rstrip(text, pos, end)
    while end > pos and text[end - 1] in ".!?" and not doc.quotes.inside(end - 1):
        end -= 1
    lead = max(0, cue.start - 60)
    dated = any(not doc.quotes.inside(d.start) for d in dt.find_dates(text, lead, pos))
    end = _trim_tail(doc, pos, end, keep_dates=dated)
    return Span.of(text, pos, end) if end - pos > 2 else None


def _trim_tail(doc: _Doc, pos: int, end: int, keep_dates: bool = False) -> int:
    """Cut trailing date words, circumstances and a second attribution off a paraphrase."""
    text = doc.text
    if _starts_quote(text[pos:end]) and _mode(doc, Span.of(text, pos, end)) == "direct":
        return end
    for m in re.finditer(
        r",? (?:adding|saying|noting|claiming|arguing|insisting|warning|"
        r"according to|(?:and|but) (?:also |then |later )?(?:said|added|says|adds|noted|argued"
        r"|warned|insisted|stressed|urged|told|denied|acknowledged|called))\b",
        text[pos:end],
    ):
        if not doc.quotes.inside(pos + m.start()):
            end = pos + m.start()
            break
    aside = _SECOND_ATTRIBUTION.search(text, pos, end)
    if aside and aside.start() - pos > 20 and not doc.quotes.inside(aside.start()):
        end = aside.start()  # "… accused Ito of lying, she said the bank …": a new statement
    tail = _TRAILING_ATTRIBUTION.search(text, pos, end)
    if tail and tail.start() - pos > 20 and not doc.quotes.inside(tail.start()):
        end = tail.start()  # "… welcomed the pledge, his spokesperson said"
    for m in _CONTRAST.finditer(text, pos, end):
        if m.start() - pos > 20 and not doc.quotes.inside(m.start()):
            end = m.start()  # "… rigged against women, while her rival soared": the writer's
            break
    for m in _TRAILING_CIRCUMSTANCE.finditer(text, pos, end):
        if m.start() - pos > 20 and not doc.quotes.inside(m.start()):
            end = m.start()
            break
    changed = not keep_dates
    while changed:
        changed = False
        for d in dt.find_dates(text, pos, end):
            tail = text[d.end : end].strip(" ,.")
            if not tail and d.start - pos > 3 and not doc.quotes.inside(d.start):
                end = _rstrip(text, pos, d.start)
                end = end - 1 if text[end - 1] == "," else end
                changed = True
    return end


_SECOND_ATTRIBUTION = re.compile(
    r", (?:he|she|they|we|it|[A-Z][\w.’'-]+(?: [A-Z][\w.’'-]+)?) (?:said|says|added|told|argued"
    r"|noted|insisted|countered)\b(?! that)(?=\s*[\"“a-z])"
)
_TRAILING_ATTRIBUTION = re.compile(
    r",\s+(?:(?:the|a|an|his|her|its|their)\s+)?(?:[\w’'.-]+\s+){0,5}"
    r"(?:said|says|reported|reports|added|adds|told\s+\w+|according\s+to\s+[^,]+)\s*$"
)


def _extend_with_quote(doc: _Doc, content: Span | None, after: int, end: int) -> Span | None:
    """'“A,” he said, “B.”' is one statement from A to B."""
    if content is None or not _starts_quote(content.text):
        return content
    m = re.compile(r"[,:]?\s*(?:[“\"«]|'')").match(doc.text, after, end)
    if not m:
        return content
    quote = doc.quotes.containing(m.end() - 1)
    if quote and quote[1] <= end:
        return Span.of(doc.text, content.start, quote[1])
    return content


def _mode(doc: _Doc, content: Span) -> str:
    t = content.text.rstrip(" .,")
    if not any(q in t for q in ALL_QUOTES) and "''" not in t:
        return "indirect"
    if _starts_quote(t) and (t[-1:] in CLOSING + '"' or t.endswith("''")):
        return "direct"
    return "mixed"


# --- speaker and date ---------------------------------------------------------------------


def _speaker(doc: _Doc, chunk: list[Tok]) -> _Speaker:
    """Who a speaker phrase names: always a name, or None with the mention kept."""
    text = doc.text
    mention = Span.of(text, chunk[0].start, chunk[-1].end)
    kind = guess_kind(chunk, set(doc.people.values()) | set(doc.people))
    head = chunk[-1].low.replace("’", "'").removesuffix("'s")
    if len(chunk) == 1 and head in PRONOUNS:
        found = _pronoun_antecedent(doc, PRONOUNS[head])
        if found:
            return replace(found, mention=mention)
        return _Speaker(None, "", PRONOUNS[head], None, mention)
    owner = _document_owner(chunk)
    if owner is not None:  # "Azerbaijan's statement said": Azerbaijan
        found = _speaker(doc, owner)
        return replace(found, mention=mention)
    body = _body_named(doc, chunk)
    if body is not None:
        return _Speaker(body.name, "", body.kind, body.actor, mention, body.country)
    name, title = _name_and_title(doc, chunk)
    if doc.people.get(name) == "":  # a surname two people in the text share
        return _Speaker(None, title, "person", None, mention)
    actor = resolve_speaker(name, doc.registry) or resolve_speaker(mention.text, doc.registry)
    if actor:
        return _Speaker(actor.names[0], title, actor.kind, actor.slug, mention)
    if names_someone(doc.text, chunk):
        title, parent = _title_in_body(doc, title, mention.start)
        return _Speaker(name, title, kind, None, mention, parent)
    found = _role_antecedent(doc, chunk, mention)
    if found:
        return replace(found, mention=mention)
    return _Speaker(None, title or name, kind, None, mention)


_MEMBERS = re.compile(r"(?:[Tt]he )?members of (?:the )?(?=[A-Z])")


def _document_owner(chunk: list[Tok]) -> list[Tok] | None:
    """'Azerbaijan's statement', "the ministry's letter": the words naming the owner."""
    if len(chunk) < 2 or chunk[-1].low not in _DOCUMENT_HEADS:
        return None
    for i, tok in enumerate(chunk[:-1]):
        if tok.low.endswith(("'s", "’s")):
            owner = chunk[: i + 1]
            last = owner[-1]
            owner[-1] = Tok(last.start, last.end - 2, last.text[:-2])
            return owner
    return None


def _name_and_title(doc: _Doc, chunk: list[Tok]) -> tuple[str, str]:
    """'ministry spokeswoman Ani Testyan' -> ('Ani Testyan', 'ministry spokeswoman')."""
    text = doc.text
    members = _MEMBERS.match(text, chunk[0].start, chunk[-1].end)
    if members:  # "The members of the Security Council": the Council speaks
        return _unbracket(text[members.end() : chunk[-1].end]), ""
    tail = name_tail(chunk)
    if tail is not None:
        name, title = split_title(chunk[tail:], text)
        before = Span.of(text, chunk[0].start, chunk[tail - 1].end).text
        title = re.sub(r"^(?:[Tt]he|[Aa]n?) ", "", f"{before} {title}".strip())
    elif chunk[-1].capitalized and not is_nominal(chunk):
        name, title = split_title(chunk, text)
    else:
        phrase = Span.of(text, chunk[0].start, chunk[-1].end).text
        return _unbracket(re.sub(r"^(?:[Tt]he|[Aa]n?) ", "", phrase)), ""
    if " " not in name and doc.people.get(name):
        name = doc.people[name]
    return _unbracket(name), title


_UNNAMED_BODY = re.compile(
    r"^(?:[Tt]he )?(ministry|government|army|military|embassy|command) (.+)$"
)


def _title_in_body(doc: _Doc, title: str, before: int) -> tuple[str, str | None]:
    """'ministry spokeswoman' -> 'spokeswoman of the Ministry of Defence of Azerbaijan', when
    that ministry is named earlier in the text; the body becomes the person's parent."""
    parts = title.rsplit(" ", 1)
    if len(parts) == 2 and parts[1][:1].islower():
        body = body_of(parts[0], doc.registry)  # "Russian Foreign Ministry spokeswoman"
        if body is not None and body.kind != "state":
            return f"{parts[1]} of the {body.name}", body.name
    m = _UNNAMED_BODY.match(title)
    if not m:
        return title, None
    body = _body_before(doc, m.group(1).lower(), before)
    if body is None:
        return title, None
    return f"{m.group(2)} of the {body.name}", body.name


def _unbracket(name: str) -> str:
    """'Liberal Party (LP) lawmakers' -> 'Liberal Party lawmakers'."""
    return re.sub(r"\s*\([^()]*\)", "", name).strip()


def _named(prev: Extracted, kind: str) -> _Speaker | None:
    """The speaker of an earlier statement, named or not, for a back-reference."""
    if prev.speaker_mention is None:
        return None
    return _Speaker(
        prev.speaker,
        prev.speaker_title,
        kind,
        prev.speaker_actor,
        prev.speaker_mention,
        prev.speaker_parent,
        prev,
    )


def _pronoun_antecedent(doc: _Doc, kind: str) -> _Speaker | None:
    """'He', 'it': the last named speaker of a compatible kind, or the subject just before.

    A speaker quoted in this or the previous sentence wins; otherwise a person named at
    the start of the previous sentence ('Secretary Reed met ... He emphasized ...').
    """
    last = None
    for prev in reversed(doc.out):
        prev_kind = doc.kinds.get(id(prev), "unknown")
        if (kind == "person") == (prev_kind == "person"):
            last = prev
            break
    recent = last is not None and doc.sentence_of.get(id(last), doc.index) >= doc.index - 1
    if last is not None and recent:
        return _named(last, doc.kinds.get(id(last), "unknown"))
    if kind == "person" and doc.index > 0:
        subject = _subject_person(doc, doc.sentences[doc.index - 1])
        if subject is not None:
            return subject
    if last is None or last.speaker is None:
        return None
    return _named(last, doc.kinds.get(id(last), "unknown"))


def _subject_person(doc: _Doc, sent: Sentence) -> _Speaker | None:
    """The person a sentence opens with: '[Title] Name met ...' (after a dateline)."""
    start = _effective_start(doc.text, sent)
    chunk: list[Tok] = []
    for tok in tokens(doc.text, start, sent.end):
        if not tok.capitalized or (
            chunk and _PUNCT_GAP.search(_gap(doc.text, chunk[-1], tok.start))
        ):
            break
        chunk.append(tok)
    if not chunk or not names_someone(doc.text, chunk):
        return None
    name, title = split_title(chunk, doc.text)
    if " " not in name:
        if not doc.people.get(name):
            return None
        name = doc.people[name]
    elif name.split()[-1] not in doc.people:
        return None
    actor = resolve_speaker(name, doc.registry)
    mention = Span.of(doc.text, chunk[0].start, chunk[-1].end)
    if actor:
        return _Speaker(actor.names[0], title, actor.kind, actor.slug, mention)
    return _Speaker(name, title, "person", None, mention)


def _role_antecedent(doc: _Doc, chunk: list[Tok], mention: Span) -> _Speaker | None:
    """'the spokesperson', 'the ministry': a named speaker or body given that role nearby."""
    head = head_of(chunk).low.replace("’", "'").removesuffix("'s")
    head = (
        head[:-1] if head.endswith("s") and head[:-1] in HUMAN | ORGANIZATION | GOVERNMENT else head
    )
    if head in PRONOUNS or head in QUANTITIES or len(head) < 3:
        return None
    if head in ("agency", "wire", "newswire"):
        agency = _DATELINE_AGENCY.search(doc.text)
        if agency:  # "…, the agency reports" in a report datelined "LIMA (Andes Wire) --"
            return _Speaker(agency.group(1), "", "media", None, mention)
    for prev in reversed(doc.out):
        if prev.speaker is None:
            continue
        said = fold(
            f"{prev.speaker_title} {prev.speaker} {prev.speaker_mention.text if prev.speaker_mention else ''}"
        )
        if _word(head).search(said):
            return _named(prev, doc.kinds.get(id(prev), "unknown"))
    body = _body_before(doc, head, mention.start)
    if body is not None:
        return _Speaker(body.name, "", body.kind, body.actor, mention, body.country)
    return _title_holder(doc, head, mention.start)


def _body_named(doc: _Doc, chunk: list[Tok]) -> Body | None:
    """'the Armenian Foreign Ministry', 'Baku', 'the Kremlin' as a state or its body."""
    if len(chunk) == 1 and chunk[0].text.removesuffix("'s").removesuffix("’s") in doc.people:
        return None  # "Jordan" the surname, not the kingdom
    if not any(t.capitalized for t in chunk):
        return None
    for i, tok in enumerate(chunk[:3]):
        if i and tok.low != "the":
            continue
        body = body_of(Span.of(doc.text, tok.start, chunk[-1].end).text, doc.registry)
        if body is not None:
            return body
    return None


def _body_before(doc: _Doc, head: str, before: int) -> Body | None:
    """The nearest body named earlier whose name has the role's head ('the ministry')."""
    if doc.bodies is None:
        doc.bodies = bodies_in(doc.text, 0, len(doc.text))
    named = [b for start, end, b in doc.bodies if before - 3000 <= start and end <= before]
    for body in reversed(named):
        if head in fold(body.name).split() or head in ("government", "authorities"):
            return body_of(body.name, doc.registry) or body
    return None


_DATELINE_AGENCY = re.compile(
    r"^[ \t]*[A-Z][A-Z.'’ -]+,?[^\n(]{0,30}\(([A-Z][^()\n]{1,40})\)\s*(?:[―—–]|--?)",
    re.MULTILINE,
)


@lru_cache(maxsize=2048)
def _word(word: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(word)}\b")


@lru_cache(maxsize=512)
def _holder_pattern(head: str) -> re.Pattern[str]:
    """'spokeswoman Ani Testyan', 'Secretary-General, Ana Reis': a role and its holder."""
    return re.compile(rf"(?i:\b{re.escape(head)}\b),? ((?:[A-Z][\w’'.-]+ ?){{1,3}})")


def _title_holder(doc: _Doc, head: str, before: int) -> _Speaker | None:
    """'Foreign Ministry spokeswoman Ani Testyan ... the spokeswoman said': Ani Testyan.

    The nearest holder before the mention wins; failing that, the first one after it
    ('The Secretary-General reiterates …  Secretary-General Ana Reis welcomed …').
    """
    low = max(0, before - 3000)
    window = doc.text[low : before + 3000]
    rx = _holder_pattern(head)
    found = list(rx.finditer(window))
    earlier = [m for m in found if low + m.start() < before]
    later = [m for m in found if low + m.start() > before]
    for m in [*reversed(earlier), *later]:
        words_ = m.group(1).split()
        if not words_[0][:1].isupper():
            continue
        name = " ".join(words_)
        if " " not in name:
            if not doc.people.get(name):
                continue
            name = doc.people[name]
        actor = resolve_speaker(name, doc.registry)
        start = low + m.start(1)
        mention = Span.of(doc.text, start, start + len(m.group(1).rstrip()))
        if actor:
            return _Speaker(actor.names[0], head, actor.kind, actor.slug, mention)
        return _Speaker(name, head, "person", None, mention)
    return None


def _dating(
    doc: _Doc,
    sentences: list[Sentence],
    index: int,
    cue: Cue | None,
    content: Span,
    speaker: _Speaker | None,
) -> tuple[dt.Dating, Span | None]:
    sent = sentences[index]
    text = doc.text
    candidates = [
        d
        for d in dt.find_dates(text, sent.start, sent.end)
        if not (content.start <= d.start < content.end) and not doc.quotes.inside(d.start)
    ]
    previous = _previous_dating(doc)
    if candidates:
        anchor = cue.start if cue else content.start
        best = min(candidates, key=lambda d: abs(d.start - anchor))
        dating = dt.resolve(best, doc.published_on, previous)
        if dating:
            return dating, Span.of(text, best.start, best.end)
    inherited = _inherited(doc, sentences, index, speaker, previous)
    if inherited:
        return inherited
    via = speaker.via if speaker is not None else None
    if (
        via is not None
        and via.date_precision != "on_or_before"
        and doc.sentence_of.get(id(via), -1) >= index - 2
        and sentences[doc.sentence_of[id(via)]].paragraph == sent.paragraph
    ):  # "On Tuesday evening the command reported … It said …"
        return dt.Dating(via.said_on, via.date_precision), via.date_evidence
    return dt.Dating(doc.published_on, "on_or_before"), None


def _previous_dating(doc: _Doc) -> dt.Dating | None:
    for prev in reversed(doc.out):
        if prev.date_precision != "on_or_before":
            return dt.Dating(prev.said_on, prev.date_precision)
    return None


def _inherited(
    doc: _Doc,
    sentences: list[Sentence],
    index: int,
    speaker: _Speaker | None,
    previous: dt.Dating | None,
) -> tuple[dt.Dating, Span | None] | None:
    """'X spoke with Y by phone on Saturday. Y was reported to …' takes Saturday."""
    if index == 0 or speaker is None or speaker.kind != "person" or not speaker.name:
        return None
    prev = sentences[index - 1]
    if prev.paragraph != sentences[index].paragraph:
        return None
    surname = speaker.name.split()[-1]
    window = doc.text[prev.start : prev.end]
    if not _word(surname).search(window):
        return None
    for d in dt.find_dates(doc.text, prev.start, prev.end):
        if not doc.quotes.inside(d.start):
            dating = dt.resolve(d, doc.published_on, previous)
            if dating:
                return dating, Span.of(doc.text, d.start, d.end)
    return None


# --- assembling ---------------------------------------------------------------------------


def _build(
    doc: _Doc,
    sentences: list[Sentence],
    index: int,
    cue: Cue,
    chunk: list[Tok] | None,
    content: Span | None,
    like: Extracted | None = None,
) -> Extracted | None:
    if content is None:
        return None
    mode = _mode(doc, content)
    official = cue.lemma in OFFICIAL
    if mode == "indirect" and cue.lemma not in REPORTING | OFFICIAL and cue.lemma != "according":
        return None
    text = doc.text
    if chunk is not None:
        who = _speaker(doc, chunk)
    elif like is not None and like.speaker_mention is not None:
        who = _Speaker(
            like.speaker,
            like.speaker_title,
            doc.kinds.get(id(like), "unknown"),
            like.speaker_actor,
            like.speaker_mention,
            like.speaker_parent,
        )
    else:
        return None
    after_that = re.search(r"\bthat\s*$", text[cue.end : content.start]) is not None
    if (
        official
        and mode == "indirect"
        and not after_that
        and (not _official(who) or _PARTICIPLE_NEXT.match(text, content.end))
    ):
        return None  # "Lisbon rejected the offer, saying …": the saying is the statement
    dating, evidence = _dating(doc, sentences, index, cue, content, who)
    sent = sentences[index]
    item = Extracted(
        speaker=who.name,
        speaker_mention=who.mention,
        speaker_title=who.title,
        cue=Span.of(text, cue.start, cue.end),
        content=content,
        mode=mode,
        said_on=dating.said_on,
        date_precision=dating.precision,
        date_evidence=evidence,
        speaker_actor=who.actor,
        medium=medium_for(cue.form, text[sent.start : sent.end]),
        speaker_kind=who.kind,
        speaker_parent=who.parent,
    )
    doc.kinds[id(item)] = who.kind
    return item


_PARTICIPLE_NEXT = re.compile(r",? (?:saying|adding|arguing|insisting|noting|stressing|warning)\b")
_OFFICE = re.compile(
    r"(?i)\b(?:secretary|minister|president|ambassador|envoy|spokes\w+|chancellor|premier"
    r"|general|commissioner|representative|coordinator|director|chair\w*|members?|council"
    r"|delegation|head|king|emir)\b"
)


def _official(who: _Speaker) -> bool:
    """A body or an office-holder: the ones whose 'condemned …' is a statement."""
    if who.kind in ("state", "government", "military", "organization", "media"):
        return True
    return bool(_OFFICE.search(f"{who.title} {who.mention.text}"))


def _continuation(doc: _Doc, sentences: list[Sentence], index: int) -> list[Extracted]:
    """A sentence that is only a quotation continues the previous speaker's statement.

    In the same paragraph it extends that statement; in the next one it is a new
    statement by the same speaker.
    """
    sent = sentences[index]
    if not doc.out or not sent.quotes:
        return []
    prev = doc.out[-1]
    prev_index = doc.sentence_of.get(id(prev), -10)
    if index - prev_index > 2 or sent.paragraph - sentences[prev_index].paragraph > 1:
        return []
    if prev.mode == "indirect" and sent.paragraph != sentences[prev_index].paragraph:
        return []
    q_start, q_end = sent.quotes[0]
    if q_start != sent.start or q_end < sent.end - 2:
        return []
    content = Span.of(doc.text, q_start, q_end)
    if prev.content.end < q_start:
        # '“A,” she said. “B.”' is one quotation interrupted by its attribution
        prev.content = Span.of(doc.text, prev.content.start, q_end)
        return []
    item = Extracted(
        speaker=prev.speaker,
        speaker_mention=prev.speaker_mention,
        speaker_title=prev.speaker_title,
        cue=prev.cue,
        content=content,
        mode="direct",
        said_on=prev.said_on,
        date_precision=prev.date_precision,
        date_evidence=prev.date_evidence,
        speaker_actor=prev.speaker_actor,
        medium=prev.medium,
        speaker_kind=prev.speaker_kind,
        speaker_parent=prev.speaker_parent,
    )
    doc.kinds[id(item)] = doc.kinds.get(id(prev), "unknown")
    return [item]


def to_jsonl_dict(
    file: str, published_on: datetime.date | None, statements: Sequence[Extracted]
) -> dict:
    """The SPEC's dry-run JSON line for one file."""

    def span(s: Span | None) -> dict | None:
        return s.as_dict() if s is not None else None

    return {
        "file": file,
        "published_on": published_on.isoformat() if published_on else None,
        "statements": [
            {
                "speaker": s.speaker,
                "speaker_actor": s.speaker_actor,
                "speaker_mention": span(s.speaker_mention),
                "cue": span(s.cue),
                "content": span(s.content),
                "mode": s.mode,
                "said_on": s.said_on.isoformat(),
                "date_precision": s.date_precision,
                "date_evidence": span(s.date_evidence),
            }
            for s in statements
        ],
    }
