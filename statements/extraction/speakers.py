"""Who is speaking: noun phrases around a cue, titles, back-references, the registry."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from actors.text import fold as fold_name

from .lexicon import words
from .sentences import ABBREVIATIONS
from .types import ActorName

TOKEN = re.compile(r"[^\W_](?:[\w’'.&-]*[^\W_])?")
PRONOUNS = {
    "he": "person",
    "she": "person",
    "i": "person",
    "it": "organization",
    "they": "group",
    "we": "group",
    "who": "person",
}
TITLE_WORDS = words(
    "president prime minister secretary foreign defence defense state general attorney "
    "senator sen rep representative gov governor mayor chairman chairwoman chair speaker "
    "leader chief director spokesman spokeswoman spokesperson ambassador envoy commander "
    "deputy vice assistant acting former interior finance justice judge king queen prince "
    "pope mr mrs ms dr prof of the u.s us un eu nato republican democratic democrat gop "
    "presidential nominee candidate executive ceo founder head lt col gen adm sgt capt del "
    "official officials minority majority whip house senate rev sir lord lady commissioner "
    "police press premier chancellor emir sheikh ayatollah crown national security adviser "
    "advisor counsel special foreign-policy top senior coach secretary-general "
    "under-secretary-general deputy-secretary-general high commissioner rapporteur"
)
NAME_PARTICLES = words("de da di du van von der den al bin ibn la le")
MILITARY = words("military army forces troops navy command militia")
GOVERNMENT = words(
    "government ministry administration cabinet kremlin presidency parliament authorities"
)
MEDIA = words("newspaper paper outlet network channel broadcaster magazine media")
ORGANIZATION = words(
    "company campaign committee group party organization organisation union bank firm council "
    "commission court office department embassy foundation institute university police board "
    "coalition alliance movement association agency service center centre corporation club "
    "team league federation bureau poll survey report study letter statement lawsuit "
    "complaint filing website note memo affidavit document documents indictment ruling email "
    "emails message tweet ad advertisement pitch release editorial column article story ranking "
    "airline carrier company "
    "transcript analysis records petition resolution communique communiqué readout "
    "declaration decision opinion"
)
HUMAN = words(
    "source aide official spokesman spokeswoman spokesperson lawyer attorney adviser advisor "
    "expert analyst resident witness man woman person friend member candidate nominee "
    "president minister senator governor mayor chief director leader judge officer "
    "representative activist critic supporter voter economist professor scientist doctor "
    "author reporter journalist strategist consultant historian diplomat envoy prosecutor "
    "investigator owner worker employee manager chairman chairwoman secretary host pollster "
    "rep staffer head coach associate ally colleague advocate operative delegate negotiator "
    "commander admiral general lawmaker legislator"
)
_VERBISH = words(
    "is was are were be been being has have had will would can could should may might must do "
    "does did not also that which where when while because as if but and or so than then who "
    "whom whose this these those there here what how why"
)
CLAUSE_WORDS = _VERBISH - words("the a an of")  # words that make a phrase a clause
_ADJECTIVE_ED = words(
    "unnamed united elected retired concerned armed unidentified informed advanced appointed "
    "alleged embattled disgraced biased respected detained interested related registered "
    "undocumented"
)
_DETERMINERS = words("the a an another its his her their our this that")
_LEADING_NOISE = words(
    "and but so however meanwhile still yet now then also instead later earlier separately "
    "likewise moreover indeed thus"
)


@dataclass(frozen=True)
class Tok:
    """A word token with its offsets."""

    start: int
    end: int
    text: str

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def capitalized(self) -> bool:
        return self.text[:1].isupper()


def tokens(text: str, start: int, end: int) -> list[Tok]:
    return [Tok(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text, start, end)]


def fold(s: str) -> str:
    """A name's matching key: ``actors.text.fold`` (case, accents, apostrophes, spaces),
    then without punctuation and a leading article."""
    s = fold_name(s)
    s = re.sub(r"[^\w' -]+", " ", s)
    s = re.sub(r"^(?:the|a|an) ", "", re.sub(r"\s+", " ", s).strip())
    return s


def head_ok(tok: Tok) -> bool:
    """Can this word end a speaker phrase?"""
    low = tok.low.replace("’", "'").removesuffix("'s")
    if low in PRONOUNS:
        return True
    if tok.capitalized:
        return low not in _VERBISH and low not in _DETERMINERS
    if low in HUMAN or low in MILITARY or low in GOVERNMENT or low in MEDIA or low in ORGANIZATION:
        return True
    if low in _COUNTED or low.isdigit():  # "46 percent of voters", "nearly half", "21,000"
        return True
    if low.endswith("ies") and low[:-3] + "y" in _COUNTED:  # "majorities in all five"
        return True
    if re.fullmatch(r"\d+-year-old", low):  # "said the 46-year-old"
        return True
    if low.endswith("s") and low[:-1] in HUMAN | MILITARY | GOVERNMENT | ORGANIZATION:
        return True
    if low in _NOT_HUMAN:
        return False
    return low.endswith(
        ("er", "or", "ist", "ian", "men", "man", "ers", "ors", "ists", "ians", "ants", "ents")
    )


_NOT_HUMAN = words(
    "other others never ever over however either whether neither rather later after under order "
    "water number matter power paper letter center centre border corner manner murder error "
    "factor sector terror honor favor labor color vigor floor door major prior minor for nor "
    "per ether together further moments percents events statements elements agreements"
)


def _blocked_word(tok: Tok) -> bool:
    low = tok.low
    if tok.capitalized:
        return low in _VERBISH - {"i"} and low not in ("the",)
    return low in _VERBISH or (low.endswith("ed") and low not in _ADJECTIVE_ED)


def _joins_nouns(chunk: list[Tok], i: int) -> bool:
    """'Her advisers and allies', 'Ito and Reis': 'and' between two speakers' nouns."""
    if chunk[i].low not in ("and", "or") or i == 0 or i == len(chunk) - 1:
        return False
    before, after = chunk[i - 1], chunk[i + 1]
    if before.capitalized and after.capitalized:
        return True
    return not before.capitalized and head_ok(before) and head_ok(chunk[-1])


def trim_chunk(chunk: list[Tok]) -> list[Tok]:
    """Drop leading conjunctions/adverbs; keep what follows the last verb-like word."""
    for i in range(len(chunk) - 1, -1, -1):
        if _blocked_word(chunk[i]) and not _joins_nouns(chunk, i):
            chunk = chunk[i + 1 :]
            break
    for i in range(len(chunk) - 2, -1, -1):
        if chunk[i].low in _SCENE_WORDS:  # "hours after Premier Li Wen said"
            chunk = chunk[i + 1 :]
            break
    while chunk and chunk[0].low in _LEADING_NOISE:
        chunk = chunk[1:]
    return _object_then_name(chunk)


def _object_then_name(chunk: list[Tok]) -> list[Tok]:
    """'a charge Baku denied': the object of the cue, then its subject; keep the subject."""
    if len(chunk) < 3 or chunk[0].low not in ("a", "an", "the", "this", "that"):
        return chunk
    i = 1
    while i < len(chunk) and not chunk[i].capitalized:
        low = chunk[i].low
        if low in HUMAN or low in TITLE_WORDS or head_ok(chunk[i]) or low in _PREPOSITIONS:
            return chunk  # "the ministry spokesman Ito", "an aide to Aliyev"
        i += 1
    if 1 < i < len(chunk):
        return chunk[i:]
    return chunk


_SCENE_WORDS = words("after before since until amid following despite during unlike like")
_COUNTED = words(
    "percent half majority minority plurality third quarter side people most many one two "
    "three four five six seven eight nine ten dozen dozens hundreds thousands"
)
# Adjectives that follow the noun they describe: "a person familiar with the talks".
POSTMODIFIERS = words("familiar close involved knowledgeable briefed opposed loyal aligned known")


def valid_speaker(chunk: list[Tok]) -> bool:
    if not chunk or len(chunk) > 12:
        return False
    if len(chunk) == 1 and chunk[0].low in _DETERMINERS:
        return False
    return head_ok(head_of(chunk))


def head_of(chunk: list[Tok]) -> Tok:
    """'A spokesman for the opposition' -> spokesman; 'Foreign Minister Ana Duarte' -> Duarte."""
    for i, tok in enumerate(chunk[1:], 1):
        if tok.low in _PREPOSITIONS:
            j = i - 1
            while j > 0 and (chunk[j].low in POSTMODIFIERS or chunk[j].low.endswith("ing")):
                j -= 1  # "a person familiar with …", "activists clamoring to …": the person
            before = chunk[j]
            if before.capitalized and before.low not in GENERIC:
                return chunk[-1]
            return before
    return chunk[-1]


_PREPOSITIONS = words("of for to at from with in on")


def guess_kind(chunk: list[Tok], known_people: set[str]) -> str:
    """person / group / organization / government / military / media / unknown."""
    head = chunk[-1].low.replace("’", "'").removesuffix("'s")
    if len(chunk) == 1 and head in PRONOUNS:
        return PRONOUNS[head]
    singular = head[:-1] if head.endswith("s") else head
    for vocabulary, kind in (
        (MILITARY, "military"),
        (GOVERNMENT, "government"),
        (MEDIA, "media"),
        (ORGANIZATION, "organization"),
    ):
        if head in vocabulary or singular in vocabulary:
            return kind
    if not chunk[-1].capitalized or is_nominal(chunk):
        for tok in chunk:
            low = tok.low
            if low in HUMAN:
                return "person"
            if low.endswith("s") and low[:-1] in HUMAN:
                return "group"
        return "group" if head.endswith("s") and head not in HUMAN else "person"
    name, title = split_title(chunk)
    if title or len(name.split()) >= 2 or name in known_people:
        return "person"
    return "unknown"


def guess_name_kind(name: str) -> str:
    """``guess_kind`` for a name on its own (an actor proposed from a name): person,
    group, organization, government, military, media, or unknown."""
    chunk = tokens(name, 0, len(name))
    return guess_kind(chunk, set()) if chunk else "unknown"


def split_title(chunk: list[Tok], text: str | None = None) -> tuple[str, str]:
    """'Azerbaijani Foreign Minister Jeyhun Bayramov' -> ('Jeyhun Bayramov', 'Azerbaijani ...')."""
    if chunk and chunk[0].low in ("the", "a", "an"):
        chunk = chunk[1:]
    i = len(chunk)
    while i > 0:
        tok = chunk[i - 1]
        low = tok.low.rstrip(".")
        if (
            tok.capitalized
            and low not in TITLE_WORDS
            or low in NAME_PARTICLES
            and 1 < i < len(chunk)
            and chunk[i - 2].capitalized
        ):
            i -= 1
        else:
            break
    if i == len(chunk) or not chunk:
        return _join(chunk, text), ""
    return _join(chunk[i:], text), _join(chunk[:i], text)


def _join(chunk: list[Tok], text: str | None) -> str:
    if not chunk:
        return ""
    if text is None:
        return " ".join(t.text for t in chunk)
    end = chunk[-1].end
    if text[end : end + 1] == "." and (
        re.fullmatch(r"(?:[A-Z]\.?)+", chunk[-1].text) or chunk[-1].low in ABBREVIATIONS
    ):
        end += 1  # keep the dot of "U.S." or "Mr."
    return re.sub(r"\s+", " ", text[chunk[0].start : end])


def people_in(text: str) -> dict[str, str]:
    """Surname -> most frequent full name among multi-word capitalised names in the text."""
    counts: Counter[str] = Counter()
    for m in _NAME_RUN.finditer(text):
        following = text[m.end() : m.end() + 30].split()
        if following and following[0].lower().strip(".,") in _CLASS_WORDS:
            continue  # "Karabakh Armenian forces": an adjective, not a name
        words = m.group().split()
        lower = lower_case_words(text)
        while (
            words and words[0].lower() in lower and words[0].lower().rstrip(".") not in TITLE_WORDS
        ):
            words = words[1:]  # "Does Rubio", "Then Brafman": a sentence's first word
        i = len(words)
        while i > 0 and words[i - 1].lower().rstrip(".") not in TITLE_WORDS:
            i -= 1
        name = words[i:]
        if len(name) >= 2 and not _NOT_NAME.match(name[0]):
            counts[" ".join(name[-3:])] += 1
    by_surname: dict[str, str] = {}
    for full, _ in counts.most_common():
        surname = full.split()[-1]
        known = by_surname.get(surname)
        if (
            known
            and full.split()[0] != known.split()[0]
            and _first_name(full)
            and _first_name(known)
        ):
            by_surname[surname] = ""  # Tom Reed and Tim Reed: "Reed" names neither
        else:
            by_surname.setdefault(surname, full)
    return by_surname


def _first_name(full: str) -> bool:
    """'Tom Reed' has a first name; 'Secretary Reed' or 'Mr. Reed' do not."""
    first = full.split()[0].lower().rstrip(".")
    return len(full.split()) >= 2 and first not in TITLE_WORDS


# Capitalised words in a row; a full stop only after an initial or a short abbreviation
# ("Sen.", "U.S."), so "… in Benghazi. Bob Woodward" starts a new run.
_NAME_RUN = re.compile(
    r"(?:[A-Z](?:[\w’'-]|\.(?! ))*(?:(?<=\b[A-Z])\.|(?<=\b[A-Z][a-z])\.|(?<=\b[A-Z][a-z]{2})\.)?"
    r"[ \t]){1,6}[A-Z][\w’'-]+"
)
_NOT_NAME = re.compile(r"(?:The|A|An|In|On|At|But|And|If|When|As|It|He|She|They|We|This|That)$")
_CLASS_WORDS = (
    MILITARY
    | GOVERNMENT
    | MEDIA
    | ORGANIZATION
    | HUMAN
    | frozenset(w + "s" for w in MILITARY | GOVERNMENT | ORGANIZATION | HUMAN)
)


def is_nominal(chunk: list[Tok]) -> bool:
    """'An aide to Aliyev' names an aide, not Aliyev: lowercase words other than titles."""
    words = chunk[1:] if chunk and chunk[0].low in _DETERMINERS else chunk
    return any(
        not t.capitalized and t.low.rstrip(".") not in TITLE_WORDS | NAME_PARTICLES for t in words
    )


def _variants(mention: str) -> list[str]:
    base = fold(mention)
    out = [base, re.sub(r"'s\b", "", base).strip(), base.removesuffix("'")]
    for suffix, repl in (
        ("ian", "ia"),
        ("ani", "an"),
        ("i", ""),
        ("ese", ""),
        ("an", "a"),
        ("ean", "ea"),
        ("ish", ""),
    ):
        if base.endswith(suffix) and " " not in base:
            out.append(base[: -len(suffix)] + repl)
    return out


def resolve_speaker(mention: str, registry: Sequence[ActorName]) -> ActorName | None:
    """The registry actor a printed name denotes: names, aliases, possessives, surnames."""
    if not mention or not registry:
        return None
    index: dict[str, list[ActorName]] = {}
    for actor in registry:
        for name in actor.names:
            index.setdefault(fold(name), []).append(actor)
    for variant in _variants(mention):
        hits = {a.slug: a for a in index.get(variant, [])}
        if len(hits) == 1:
            return next(iter(hits.values()))
    surname = fold(mention).split()
    if len(surname) == 1:
        hits = {
            a.slug: a
            for a in registry
            if a.kind == "person" and any(fold(n).split()[-1:] == surname for n in a.names)
        }
        if len(hits) == 1:
            return next(iter(hits.values()))
    return None


# Words that count a group rather than name it: "nearly half", "46 percent of voters".
QUANTITIES = words(
    "some many most several few all both each every either neither any none one two three "
    "four five six seven eight nine ten dozen dozens hundreds thousands millions half third "
    "quarter majority minority plurality percent per cent nearly about almost roughly only "
    "just more less fewer side sides people others number share"
)
# Words that never make a phrase a name on their own: pronouns, roles, bodies, quantities.
GENERIC = (
    frozenset(PRONOUNS)
    | HUMAN
    | TITLE_WORDS
    | GOVERNMENT
    | ORGANIZATION
    | MILITARY
    | MEDIA
    | QUANTITIES
    | _DETERMINERS
    | _LEADING_NOISE
    | words("spokesperson secretary-general secretary-general's source sources them him her us")
    | words(
        "monday tuesday wednesday thursday friday saturday sunday january february march "
        "april may june july august september october november december"
    )
    | frozenset(w + "s" for w in HUMAN | GOVERNMENT | ORGANIZATION | MILITARY | MEDIA)
) - words("kremlin")
_BODY_HEADS = GOVERNMENT | ORGANIZATION | MILITARY | MEDIA | words("department ministry")
_SENTENCE_OPENERS = '.!?:;\n"“”«»(—–'


def _sentence_initial(text: str, tok: Tok) -> bool:
    before = text[max(0, tok.start - 3) : tok.start].rstrip()
    return not before or before[-1] in _SENTENCE_OPENERS


@lru_cache(maxsize=8)
def lower_case_words(text: str) -> frozenset[str]:
    """Words a text prints in lower case ("critics"), to tell sentence-initial capitals."""
    return frozenset(re.findall(r"\b[a-z][a-z'’-]*", text))


def names_someone(text: str, chunk: list[Tok]) -> bool:
    """Does a speaker phrase hold a proper name, not only pronouns, roles and counts?

    'Ana Duarte', 'Democrats', 'the National Security Council' do; 'the spokesperson',
    'Officials', 'Nearly half', 'the Foreign Minister' do not. A capitalised word opening
    a sentence counts only if the text never prints it in lower case.
    """
    caps = [t for t in _naming_part(chunk) if t.capitalized]
    for tok in caps:
        low = tok.low.replace("’", "'").removesuffix("'s").rstrip(".")
        if low in GENERIC:
            continue
        if _sentence_initial(text, tok) and low in lower_case_words(text):
            continue
        return True
    run = 0
    for tok in reversed(chunk):
        if not tok.capitalized or tok.low in _DETERMINERS:
            break
        run += 1
    last = chunk[-1].low.replace("’", "'").removesuffix("'s") if chunk else ""
    return run >= 2 and (last in _BODY_HEADS or last.rstrip("s") in _BODY_HEADS)


def _naming_part(chunk: list[Tok]) -> list[Tok]:
    """The words that may name: 'a person familiar with the Monday talks' -> 'a person';
    'an aide to Aliyev' keeps Aliyev, the name right after the preposition."""
    for i, tok in enumerate(chunk[1:], 1):
        if tok.low in _PREPOSITIONS and not chunk[i - 1].capitalized:
            rest = chunk[i + 1 :]
            if rest and rest[0].low == "the":
                rest = rest[1:]
            if rest and all(t.capitalized for t in rest) and len(rest) <= 4:
                return chunk
            return chunk[:i]
    return chunk


def name_tail(chunk: list[Tok]) -> int | None:
    """Where a trailing personal name starts after lower-case role words, or None.

    'ministry spokeswoman Ani Testyan' -> 2; 'An aide to Aliyev' -> None (Aliyev is
    the aide's principal, not the speaker).
    """
    i = len(chunk)
    while i > 0 and chunk[i - 1].capitalized and chunk[i - 1].low.rstrip(".") not in TITLE_WORDS:
        i -= 1
    if i == len(chunk) or i == 0:
        return None
    before = chunk[i - 1]
    if before.capitalized or before.low in _PREPOSITIONS | _DETERMINERS | _VERBISH:
        return None
    if len(chunk) - i >= 2 or before.low in HUMAN or before.low in TITLE_WORDS:
        return i
    return None
