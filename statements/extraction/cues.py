"""Speech cues: the verbs and phrases that introduce what someone said.

The lexicon is compact on purpose: verbs of saying, their inflections, and a few
fixed phrases ("according to", "was reported to", "called for").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import words

_VERBS = {
    # lemma: inflected forms (past, 3rd person, -ing, base)
    "say": "said says saying say",
    "add": "added adds adding",
    "tell": "told tells telling",
    "state": "stated",
    "write": "wrote writes",
    "claim": "claimed claims claiming",
    "deny": "denied denies denying",
    "accuse": "accused accuses accusing",
    "urge": "urged urges urging",
    "warn": "warned warns warning",
    "announce": "announced announces announcing",
    "declare": "declared declares declaring",
    "insist": "insisted insists insisting",
    "argue": "argued argues arguing",
    "note": "noted notes noting",
    "explain": "explained explains explaining",
    "report": "reported reports",
    "repeat": "repeated repeats",
    "ask": "asked asks asking",
    "allege": "alleged alleges alleging",
    "acknowledge": "acknowledged acknowledges acknowledging",
    "reply": "replied replies",
    "respond": "responded responds",
    "offer": "offered offers",
    "promise": "promised promises promising",
    "vow": "vowed vows vowing",
    "suggest": "suggested suggests suggesting",
    "confirm": "confirmed confirms confirming",
    "tweet": "tweeted tweets tweeting",
    "post": "posted",
    "remark": "remarked",
    "comment": "commented",
    "call": "called calls calling",
    "admit": "admitted admits admitting",
    "predict": "predicted predicts",
    "complain": "complained complains complaining",
    "stress": "stressed stresses stressing",
    "regret": "regretted regrets",
    "emphasize": "emphasized emphasised emphasizes emphasises emphasizing emphasising",
    "assert": "asserted asserts",
    "maintain": "maintained maintains",
    "contend": "contended contends",
    "concede": "conceded concedes",
    "counter": "countered counters",
    "recall": "recalled recalls",
    "continue": "continued",
    "boast": "boasted boasts",
    "charge": "charged charges",
    "demand": "demanded demands",
    "threaten": "threatened threatens",
    "pledge": "pledged pledges pledging",
    "reiterate": "reiterated reiterates reiterating",
    # the formulas of official statements, communiqués and readouts
    "condemn": "condemned condemns condemning",
    "reaffirm": "reaffirmed reaffirms reaffirming",
    "affirm": "affirmed affirms",
    "underline": "underlined underlines underlining",
    "underscore": "underscored underscores underscoring",
    "welcome": "welcomed welcomes",
    "plead": "pleaded pleads pled",
    "reject": "rejected rejects rejecting",
    "dismiss": "dismissed dismisses",
    "deplore": "deplored deplores",
    "appeal": "appealed appeals",
    "encourage": "encouraged encourages",
    "highlight": "highlighted highlights",
    "express": "expressed expresses expressing",
    "agree": "agreed agrees",
    "testify": "testified testifies",
    "describe": "described describes",
    "blast": "blasted blasts",
}
_VERBS.update(
    {
        "conclude": "concluded concludes",
        "joke": "joked jokes joking",
        "shout": "shouted shouts shouting",
        "yell": "yelled yells yelling",
        "assure": "assured assures",
        "answer": "answered answers",
        "chant": "chanted chanting",
    }
)
# Base forms ("critics argue that …") for the verbs whose base is rarely a noun.
_BASES = words(
    "add tell write deny accuse urge warn announce declare insist argue explain ask allege "
    "acknowledge reply promise vow suggest confirm admit predict complain stress emphasize "
    "assert contend concede recall threaten pledge reiterate testify describe condemn reaffirm "
    "underline welcome reject dismiss deplore claim call conclude assure"
)
FORM_TO_LEMMA = {form: lemma for lemma, forms in _VERBS.items() for form in forms.split()}
FORM_TO_LEMMA.update({base: base for base in _BASES})

# Lemmas whose mere use makes an attribution statement-like even without quotes.
REPORTING = words(
    "say add tell state write claim deny accuse urge warn announce declare insist argue note "
    "explain report repeat ask allege acknowledge reply respond offer promise vow suggest "
    "confirm tweet post remark comment call joke shout yell chant"
)
# Official formulas: "The Council condemned the attack" is itself what was said, when an
# official body or office-holder says it (a politician "rejected the idea" is an act).
OFFICIAL = words(
    "condemn reaffirm affirm underline underscore emphasize stress reiterate welcome plead "
    "reject dismiss deplore appeal encourage pledge regret express concern"
)
# "expressed concern over …": express reports speech only with these objects.
EXPRESSED = re.compile(
    r"\s+(?:(?:its|his|her|their|our|the|deep|grave|serious|strong|profound|sincere|full"
    r"|firm|great|particular|continued|\w+est) )*(?:concern|alarm|regret|hope|support|solidarity"
    r"|condolences|sympathy|sympathies|gratitude|appreciation|confidence|readiness|opposition"
    r"|disappointment|dismay|outrage|satisfaction|commitment|willingness)\b"
)
# Lemmas that may introduce a paraphrase only with "that" or a quotation after them.
NEEDS_THAT = words("agree describe continue recall charge counter conclude assure answer")
PARTICIPLES = frozenset(f for f in FORM_TO_LEMMA if f.endswith("ing"))
_VERB_RE = re.compile(r"\b(?:" + "|".join(sorted(FORM_TO_LEMMA, key=len, reverse=True)) + r")\b")
_EXTRA_RE = re.compile(
    r"\b(?:[Aa]ccording to|(?:was|were) (?:reported|quoted) (?:to|as) \w+)\b"
    r"|\b(?:is|are|was|were) (?:deeply |gravely |very |greatly |profoundly )?(?:concerned|alarmed"
    r"|saddened|shocked|appalled|encouraged|pleased|disappointed|dismayed|heartened) "
    r"(?:by|about|at|over|that|with)\b"
)
_PARTICLE = re.compile(r" (?:for|on|out)\b")
_APPEAL_PARTICLE = re.compile(r" (?:to|for|with)\b")
# Trailing words that belong to the cue and tell the medium.
MEDIUM_PHRASES: list[tuple[str, re.Pattern[str]]] = [
    (
        "written_statement",
        re.compile(
            r"(?: in| on)? (?:a|an|its|his|her|their) (?:\w+ )?"
            r"(?:statement|release|letter|communiqué)\b"
        ),
    ),
    (
        "press_conference",
        re.compile(
            r" (?:at|during) (?:a|an|the|his|her) (?:\w+ )?"
            r"(?:news|press) (?:conference|briefing)\b|"
            r" (?:told|to) reporters\b"
        ),
    ),
    ("phone_call", re.compile(r" (?:by|over the|on the|in a) (?:tele)?phone(?: call)?\b")),
    ("interview", re.compile(r" in an? (?:\w+ )?interview(?: with [A-Z][\w.]*(?: [A-Z][\w.]*)*)?")),
    (
        "social_media",
        re.compile(
            r" (?:on|in a post on|via) (?:Twitter|Facebook|X|Instagram|"
            r"Telegram|social media)\b|^tweeted|^posted"
        ),
    ),
    (
        "speech",
        re.compile(
            r" (?:in|during) (?:a|his|her|the) (?:\w+ )?(?:speech|address|"
            r"remarks|rally)\b"
        ),
    ),
]


@dataclass(frozen=True)
class Cue:
    """A cue found in the text: its span and its lemma ("according" for 'according to')."""

    start: int
    end: int
    lemma: str
    form: str

    @property
    def participle(self) -> bool:
        return self.form in PARTICIPLES


def find_cues(text: str, start: int, end: int) -> list[Cue]:
    """Cues in text[start:end], in text order (lowercase verbs, 'According to' at a start)."""
    found: list[Cue] = []
    for m in _EXTRA_RE.finditer(text, start, end):
        word = m.group().split()
        lemma = "according" if word[0].lower() == "according" else "report"
        if word[0] in ("is", "are", "was", "were") and word[-1] not in ("to", "as"):
            lemma = "concern"  # "The Secretary-General is deeply concerned by …"
        found.append(Cue(m.start(), m.end(), lemma, m.group().lower()))
    taken = [(c.start, c.end) for c in found]
    for m in _VERB_RE.finditer(text, start, end):
        if any(a <= m.start() < b for a, b in taken):
            continue
        form = m.group()
        stop = m.end()
        particle = _PARTICLE.match(text, stop)
        if form.startswith("call") and particle:
            stop = particle.end()
        if FORM_TO_LEMMA[form] == "express" and not EXPRESSED.match(text, stop):
            continue  # "expressed concern" reports speech, "expressed the goods" does not
        appeal = _APPEAL_PARTICLE.match(text, stop)
        if FORM_TO_LEMMA[form] in ("appeal", "plead") and appeal:
            stop = appeal.end()
        found.append(Cue(m.start(), stop, FORM_TO_LEMMA[form], form))
    return sorted(found, key=lambda c: c.start)


def medium_after(text: str, pos: int) -> tuple[str, int] | None:
    """A medium phrase starting at pos ('in a statement', 'by phone'): (medium, end)."""
    for medium, rx in MEDIUM_PHRASES:
        m = rx.match(text, pos)
        if m and m.end() > pos:
            return medium, m.end()
    return None


def medium_for(cue_form: str, sentence: str) -> str:
    """Guess the medium from the cue and its sentence."""
    if cue_form in ("tweeted", "tweets", "posted"):
        return "social_media"
    if cue_form == "wrote":
        return "written_statement"
    for medium, rx in MEDIUM_PHRASES:
        if rx.search(sentence):
            return medium
    return "other"
