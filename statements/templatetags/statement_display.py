"""Template helpers shared by every page: dates with precision, modes, stances."""

from __future__ import annotations

import datetime
import functools
import html
import unicodedata

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from statements.models import DatePrecision
from statements.selectors.statement_rows import UrlPattern

register = template.Library()


def format_precise_date(day: datetime.date | None, precision: str) -> str:
    """``"week of 4 Sep 2023"``, ``"on or before 10 Sep 2023"``, ``"Sep 2023"`` …"""
    if day is None:
        return ""
    full = f"{day.day} {day:%b %Y}"
    if precision == DatePrecision.WEEK:
        monday = day - datetime.timedelta(days=day.weekday())
        return f"week of {monday.day} {monday:%b %Y}"
    if precision == DatePrecision.MONTH:
        return f"{day:%b %Y}"
    if precision == DatePrecision.YEAR:
        return f"{day:%Y}"
    if precision == DatePrecision.ON_OR_BEFORE:
        return f"on or before {full}"
    return full


@register.filter
def precise_date(obj, precision: str | None = None) -> str:
    """``{{ statement|precise_date }}`` or ``{{ event.start_date|precise_date:event.start_precision }}``."""
    if isinstance(obj, datetime.date):
        return format_precise_date(obj, precision or DatePrecision.DAY)
    return format_precise_date(getattr(obj, "said_on", None), getattr(obj, "date_precision", ""))


def _escape(value) -> str:
    """``conditional_escape``, with a shortcut for a plain string: Django's ``escape`` of
    a string is ``html.escape``, so the characters are the same, without the calls
    around it (a row escapes a dozen values)."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(value)


@functools.cache
def _labels(model, name: str) -> dict:
    return dict(model._meta.get_field(name).flatchoices)


def _display(obj, name: str) -> str:
    """``obj.get_<name>_display()``, with the field's labels read once per process
    instead of on every call."""
    value = getattr(obj, name)
    return str(_labels(type(obj), name).get(value, value))


@register.simple_tag
def statement_row(s) -> SafeString:
    """One statement of the list (``{% statement_row statement %}``), byte for byte what
    ``includes/statement_row.html`` renders — that template stays the readable spec and a
    test compares the two on hostile text. Rendering the rows through the include is
    much slower than building them here, and was a large share of a list page's time
    (figures: docs/benchmark.md). Expects rows from
    ``statements.selectors.statement_rows`` (``lean`` + ``attach``)."""
    e = _escape
    pk = s.pk
    published = s.status == "published"
    source_published = s.source.status == "published"
    speaker = s.speaker
    name = e(speaker.name)
    mode = e(s.mode)
    label = e(_display(s, "mode"))
    text = e(_truncated(s.text, 500))
    parts = [
        f'<article class="statement statement-row statement-row--{mode}',
        "" if published and source_published else " is-draft",
        f'" aria-labelledby="row-{pk}-head">\n',
        f'  <header class="statement-meta" id="row-{pk}-head">\n',
        f'    <time class="date date--{e(s.date_precision)}" datetime="{s.said_on:%Y-%m-%d}">',
        f"{e(precise_date(s))}</time>\n",
        f'    <span class="actor-chip"><a class="actor kind--{e(speaker.kind)}" ',
        f'href="{e(speaker.row_url)}"><bdi>{name}</bdi></a>',
        f'<span class="role">, <bdi>{e(s.speaker_title)}</bdi></span>' if s.speaker_title else "",
        "</span>\n",
        f'    <span class="badge mode mode--{mode}">',
        f"\u201c{label}\u201d" if s.mode == "direct" else label,
        "</span>\n    ",
    ]
    if not published:
        parts.append(f'<span class="badge draft">{e(_display(s, "status"))}</span>')
    elif not source_published:
        parts.append('<span class="badge draft">Unpublished source</span>')
    parts.append("\n  </header>\n  ")
    if s.mode == "direct":
        parts.append(
            '<blockquote class="text quote" dir="auto"><p>\u201c'
            f"<bdi>{text}</bdi>\u201d</p></blockquote>\n  "
        )
    elif s.mode == "mixed":
        parts.append(
            f'<blockquote class="text quote" dir="auto"><p><bdi>{text}</bdi></p></blockquote>\n  '
        )
    else:
        parts.append(f'<p class="text paraphrase" dir="auto"><bdi>{text}</bdi></p>')
    parts += [
        '\n  <footer class="statement-foot">\n',
        f'    <a class="more" href="{e(s.row_url)}">Statement {pk}',
        f'<span class="visually-hidden"> by <bdi>{name}</bdi></span></a>\n    ',
    ]
    _stances_and_tags(parts, s)
    parts.append("\n  </footer>\n</article>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def _stances_and_tags(parts: list[str], s) -> None:
    """The claims and tags lists of a row or card (both render them alike)."""
    e = _escape
    if s.stance_items:
        parts.append('<ul class="stances" aria-label="Claims">')
        for st in s.stance_items:
            parts.append(
                f'<li><span class="badge stance stance--{e(st.stance)}">'
                f"{e(st.get_stance_display())}</span> "
                f'<a href="{e(st.claim.row_url)}" dir="auto">'
                f"{e(_truncated(st.claim.text, 120))}</a></li>"
            )
        parts.append("</ul>")
    parts.append("\n    ")
    if s.tag_items:
        parts.append('<ul class="tags" aria-label="Tags">')
        for tag in s.tag_items:
            parts.append(
                f'<li><a href="{e(tag.row_url)}" rel="tag"><bdi>{e(tag.name)}</bdi></a></li>'
            )
        parts.append("</ul>")


def _truncated(text: str, length: int) -> str:
    """``truncatechars``: a text that fits needs only its NFC form (Truncator's loop
    walks every character of every row; its cost is in docs/benchmark.md)."""
    if len(text) <= length:
        return unicodedata.normalize("NFC", text)
    return Truncator(text).chars(length)


@register.simple_tag
def statement_card(s, show_speaker: bool = True) -> SafeString:
    """One statement on a detail page (``{% statement_card s show_speaker %}``), byte for
    byte what ``includes/statement_card.html`` renders (the readable spec; a test compares
    them): rendering the cards through the include and its four sub-includes is much
    slower (figures: docs/benchmark.md). Expects rows from
    ``statements.selectors.statement_rows`` (``lean`` + ``attach``), ``role_at_time`` set."""
    e = _escape
    pk = s.pk
    draft = s.status != "published"
    speaker = s.speaker
    mode = e(s.mode)
    text = e(_truncated(s.text, 400))
    role = getattr(s, "role_at_time", "")
    parts = [
        f'\n<article class="statement statement--{mode}{" is-draft" if draft else ""}" ',
        f'aria-labelledby="st-{pk}-head">\n',
        f'  <header class="statement-meta" id="st-{pk}-head">\n    ',
        f'<time class="date date--{e(s.date_precision or "day")}" ',
        f'datetime="{s.said_on:%Y-%m-%d}">{e(precise_date(s.said_on, s.date_precision))}</time>\n',
        "\n    ",
    ]
    if show_speaker:
        parts.append(
            f'<span class="actor-chip"><a href="{e(speaker.row_url)}" '
            f'class="actor kind--{e(speaker.kind)}"><bdi>{e(speaker.name)}</bdi></a>'
            + (f'<span class="role">, <bdi>{e(role)}</bdi></span>' if role else "")
            + "</span>\n"
        )
    elif role:
        parts.append(f'<span class="role"><bdi>{e(role)}</bdi></span>')
    label = e(_display(s, "mode"))
    parts.append(f'\n    <span class="badge mode mode--{mode}">{label}</span>\n\n    ')
    if draft:
        parts.append(f'<span class="badge draft">{e(_display(s, "status"))}</span>')
    parts.append("\n  </header>\n  ")
    if s.mode == "indirect":
        parts.append(f'<p class="text paraphrase" dir="auto">{text}</p>\n  ')
    else:
        parts.append(f'<blockquote class="text quote" dir="auto"><p>{text}</p></blockquote>')
    parts += [
        '\n  <footer class="statement-foot">\n',
        f'    <a href="{e(s.row_url)}" class="more">Statement {pk}',
        f'<span class="visually-hidden"> by <bdi>{e(speaker.name)}</bdi></span></a>\n    ',
    ]
    _stances_and_tags(parts, s)
    parts.append("\n\n  </footer>\n</article>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def stance_items(stances) -> SafeString:
    """The stances of one side of a claim page, byte for byte what
    ``includes/stance_items.html`` renders (the readable spec; a test compares them):
    a busy claim shows 100 per side, and through the include and its three sub-includes
    they were most of the page's time after a write (figures: docs/benchmark.md).
    Expects stances with ``statement`` (``role_at_time`` set), its speaker and source."""
    e = _escape
    actor_url = UrlPattern("actors:actor_detail")
    statement_url = UrlPattern("statements:statement_detail")
    source_url = UrlPattern("statements:source_detail")
    parts = ["\n"]  # the spec's lines around its loop
    for st in stances:
        s = st.statement
        draft = s.status != "published"
        speaker = s.speaker
        role = getattr(s, "role_at_time", "")
        text = e(_truncated(s.text, 300))
        parts += [
            f'\n      <li class="{"is-draft" if draft else ""}">\n',
            '        <div class="statement-meta">\n          ',
            f'<time class="date date--{e(s.date_precision or "day")}" ',
            f'datetime="{s.said_on:%Y-%m-%d}">{e(precise_date(s.said_on, s.date_precision))}',
            "</time>\n\n          ",
            f'<span class="actor-chip"><a href="{e(actor_url(speaker.slug))}" ',
            f'class="actor kind--{e(speaker.kind)}"><bdi>{e(speaker.name)}</bdi></a>',
            f'<span class="role">, <bdi>{e(role)}</bdi></span>' if role else "",
            "</span>\n\n          ",
            f'<span class="badge mode mode--{e(s.mode)}">{e(_display(s, "mode"))}</span>\n',
            "\n          ",
            f'<span class="badge draft">{e(_display(s, "status"))}</span>' if draft else "",
            "\n        </div>\n        ",
        ]
        if s.mode == "indirect":
            parts.append(f'<p class="text paraphrase" dir="auto">{text}</p>\n        ')
        else:
            parts.append(f'<blockquote class="text quote" dir="auto"><p>{text}</p></blockquote>')
        parts += [
            f'\n        <a href="{e(statement_url(s.pk))}">Statement {s.pk}</a> · ',
            f'<a href="{e(source_url(s.source_id))}#s{s.pk}">in ',
            f"<bdi>{e(_truncated(s.source.title, 60))}</bdi></a>\n      </li>\n    ",
        ]
    parts.append("\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
