"""Template helpers of the list pages: a filter form's field and the page links, built in
Python, byte for byte what their includes render.

``includes/filter_field.html`` and ``includes/pagination.html`` stay the readable specs
and tests compare both renderings (``tests/statements/test_list_display.py``). Every list
page renders a dozen fields and up to twenty page links; through the template engine
they were a visible part of a list page's time (figures: docs/benchmark.md).
"""

from __future__ import annotations

import html

from django import template
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaulttags import querystring
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# {{ value }} as a page's template renders it: autoescaping on, no localisation or time
# zone switched in the template.
_CONTEXT = Context()


def _text(value) -> str:
    """``{{ value }}``: a plain string is escaped directly (the same characters), anything
    else goes through the template engine's own conversion."""
    if type(value) is str:
        return html.escape(value)
    return render_value_in_context(value, _CONTEXT)


@register.simple_tag
def filter_field(field) -> SafeString:
    """One field of a filter form (``{% filter_field field %}``): what
    ``includes/filter_field.html`` renders, without its final newline."""
    errors = field.errors
    auto_id = _text(field.auto_id)
    parts = [
        f'<div class="field field--{_text(field.name)}{" has-error" if errors else ""}">\n',
        f'      <label for="{_text(field.id_for_label)}">{_text(field.label)}</label>\n',
        f"      {_text(field)}\n      ",
    ]
    if field.help_text:
        parts.append(f'<p class="help muted" id="{auto_id}_helptext">{_text(field.help_text)}</p>')
    parts.append("\n      ")
    if errors:
        shown = " ".join(_text(error) for error in errors)
        parts.append(f'<p class="error" id="{auto_id}_error" role="alert">{shown}</p>')
    parts.append("\n    </div>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag(takes_context=True)
def page_links(context, page) -> SafeString:
    """The page links of a list (``{% page_links page %}``): what
    ``includes/pagination.html`` renders, every filter kept."""
    numbers = getattr(page, "page_numbers", None)
    if not ((page and page.has_other_pages) or numbers):
        return mark_safe("\n\n")  # noqa: S308 - the include's two newlines

    query = context.request.GET

    def href(**changes) -> str:
        return html.escape(querystring(None, query, **changes))

    parts = ['\n<nav class="pagination" aria-label="Pages">\n  ']
    if page.prev_cursor:
        parts.append(
            f'<a rel="prev" href="{href(cursor=page.prev_cursor, page=None)}">← Previous</a>'
        )
    parts.append("\n  ")
    if numbers:
        parts.append('<ul class="page-numbers">')
        for n in numbers:
            shown = _text(n)
            if n == page.number:
                parts.append(f'<li><span aria-current="page">{shown}</span></li>')
            else:
                parts.append(f'<li><a href="{href(page=n, cursor=None)}">{shown}</a></li>')
        parts.append("</ul>")
    parts.append("\n  ")
    if page.next_cursor:
        parts.append(f'<a rel="next" href="{href(cursor=page.next_cursor, page=None)}">Next →</a>')
    parts.append("\n</nav>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
