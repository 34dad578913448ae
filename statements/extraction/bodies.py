"""States and their bodies named by country: 'the Armenian Foreign Ministry', 'Baku'.

A body is named by a demonym or a country and a kind of body ("Azerbaijan's Defence
Ministry", "the Ministry of Foreign Affairs of Armenia"), by a building that stands for
it ("the Kremlin") or, for a state itself, by its capital ("Yerevan"). Each comes out
under one full name ("Ministry of Defence of Azerbaijan") with its kind and its country,
so two countries' ministries never merge into one "Ministry". The word lists live in
``data/countries.json`` (written by ``scripts/build_country_data.py``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .speakers import fold, resolve_speaker
from .types import ActorName

DATA = Path(__file__).resolve().parent / "data" / "countries.json"


@dataclass(frozen=True)
class Body:
    """A state or one of its bodies: full name, actor kind, the state it belongs to."""

    name: str
    kind: str
    country: str | None  # the parent state's name; None for a state itself
    actor: str | None = None  # registry slug, when the registry knows the body


@dataclass(frozen=True)
class _Tables:
    country: dict[str, tuple[str, bool]]  # folded name -> (short name, takes "the")
    demonym: dict[str, tuple[str, bool]]
    capital: dict[str, tuple[str, bool]]
    body: dict[str, tuple[str, str]]  # folded phrase -> (name, kind)
    metonym: dict[str, Body]
    by_country: re.Pattern[str]  # "armenian foreign ministry", "azerbaijan's army"
    of_country: re.Pattern[str]  # "ministry of foreign affairs of armenia"
    printed_body: re.Pattern[str]  # a kind of body in running text, any case
    place_before: re.Pattern[str]  # "Armenian ", "Azerbaijan's " just before it
    country_after: re.Pattern[str]  # " of Armenia" just after it


def _alternatives(phrases) -> str:
    return "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True) if p)


def _loose(phrase: str) -> str:
    """A regex for a printed phrase: any case, any space, either apostrophe."""
    out = re.escape(phrase).replace(r"\ ", r"\s+").replace("'", "['’]")
    return out


@lru_cache(maxsize=1)
def tables() -> _Tables:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    country: dict[str, tuple[str, bool]] = {}
    demonym: dict[str, tuple[str, bool]] = {}
    capital: dict[str, tuple[str, bool]] = {}
    by_code: dict[str, tuple[str, bool]] = {}
    printed_countries: list[str] = []
    printed_bodies: list[str] = []
    for c in data["countries"]:
        entry = (c["name"], c["article"])
        by_code[c["code"]] = entry
        for n in c["names"]:
            country.setdefault(fold(n), entry)
            printed_countries.append(n)
        for d in c["demonyms"]:
            demonym.setdefault(fold(d), entry)
            printed_countries.append(d)
        for cap in c["capitals"]:
            capital.setdefault(fold(cap), entry)
    body = {}
    for b in data["bodies"]:
        for phrase in b["phrases"]:
            body[fold(phrase)] = (b["name"], b["kind"])
            printed_bodies.append(phrase)
    metonym = {}
    for m in data["metonyms"]:
        name, article = by_code[m["country"]]
        metonym[fold(m["phrase"])] = Body(m["name"], m["kind"], name)
    places = _alternatives(list(country) + list(demonym))
    bodies = _alternatives(body)
    countries = _alternatives(country)
    loose_places = "|".join(
        _loose(p) for p in sorted(set(printed_countries), key=len, reverse=True)
    )
    loose_bodies = "|".join(_loose(p) for p in sorted(set(printed_bodies), key=len, reverse=True))
    return _Tables(
        country,
        demonym,
        capital,
        body,
        metonym,
        re.compile(rf"(?P<c>{places})(?:'s|')? (?P<b>{bodies})"),
        re.compile(rf"(?P<b>{bodies}) of (?:the )?(?P<c>{countries})"),
        re.compile(rf"\b(?:{loose_bodies})(?!\w)", re.IGNORECASE),
        re.compile(rf"(?<!\w)(?:{loose_places})(?:['’]s)?\s+$", re.IGNORECASE),
        re.compile(rf"\s+of\s+(?:the\s+)?(?:{loose_places})(?!\w)", re.IGNORECASE),
    )


def _with_article(name: str, article: bool) -> str:
    return f"the {name}" if article else name


def _state(entry: tuple[str, bool]) -> Body:
    return Body(entry[0], "state", None)


def body_of(mention: str, registry: Sequence[ActorName] = ()) -> Body | None:
    """The state or body a phrase names, or None when it names neither."""
    t = tables()
    key = fold(mention)
    key = re.sub(r"'s?$", "", key).strip()
    found: Body | None = None
    if key in t.metonym:
        found = t.metonym[key]
    elif key in t.capital:
        found = _state(t.capital[key])
    elif key in t.country:
        found = _state(t.country[key])
    elif key in t.demonym:  # "Armenian claims": the country's government
        name, article = t.demonym[key]
        found = Body(f"Government of {_with_article(name, article)}", "government", name)
    else:
        m = t.by_country.fullmatch(key) or t.of_country.fullmatch(key)
        if m:
            place = m.group("c")
            name, article = t.country.get(place) or t.demonym[place]
            body_name, kind = t.body[m.group("b")]
            found = Body(f"{body_name} of {_with_article(name, article)}", kind, name)
    if found is None:
        return None
    for words in (found.name, mention):
        actor = resolve_speaker(words, registry)
        if actor is not None:
            return Body(actor.names[0], actor.kind, found.country, actor.slug)
    return found


def bodies_in(text: str, start: int, end: int) -> list[tuple[int, int, Body]]:
    """Bodies named by country in text[start:end], in text order."""
    t = tables()
    out = []
    for m in t.printed_body.finditer(text, start, end):
        begin, stop = m.start(), m.end()
        before = t.place_before.search(text, max(start, begin - 40), begin)
        after = t.country_after.match(text, stop, end)
        if before:
            begin = before.start()
        elif after:
            stop = after.end()
        else:
            continue
        body = body_of(text[begin:stop])
        if body is not None:
            out.append((begin, stop, body))
    return out
