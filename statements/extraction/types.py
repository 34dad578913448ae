"""Value types shared by the extraction modules (plain Python, no Django)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A piece of the input text: ``text == source[start:end]`` (Python str offsets)."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, source: str, start: int, end: int) -> Span:
        return cls(start, end, source[start:end])

    def as_dict(self) -> dict[str, int | str]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class Extracted:
    """One statement found in a text, with the evidence for each guess.

    ``speaker`` is a name (a registry actor's, or a proper name from the text) or None
    when the words in ``speaker_mention`` ("he", "the spokesperson") could not be
    resolved to one: the editor decides, and no actor is proposed for them.
    """

    speaker: str | None
    speaker_mention: Span | None
    speaker_title: str
    cue: Span | None
    content: Span
    mode: str
    said_on: datetime.date
    date_precision: str
    date_evidence: Span | None
    speaker_actor: str | None = None
    medium: str = "other"
    speaker_kind: str = ""  # person, state, government, military, organization, media, group
    speaker_parent: str | None = None  # a body's state: "Armenia" for its foreign ministry


@dataclass(frozen=True)
class ActorName:
    """A registry entry: an actor's slug, every name it goes by, and its kind."""

    slug: str
    names: tuple[str, ...]
    kind: str
