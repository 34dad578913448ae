"""The filter forms' widgets rendered in Python, byte for byte what Django's own widget
templates render.

Every list page renders its filter form: a dozen text boxes and selects, each through
``django/forms/widgets/*.html`` and a nested include per option and per attribute list.
That was the largest part of a list page's template time (figures: docs/benchmark.md).
``WidgetRenderer`` writes the same markup directly for the templates it knows — inputs
and selects — and hands everything else to the templates.

It only takes over a template whose source is, character for character, the source it
was written from (``SOURCES``, Django 5.2's files): if Django changes a widget template,
or the template an engine finds is not Django's file, that template is rendered as
before. ``tests/statements/test_filter_widgets.py`` compares both renderings of every filter form.
"""

from __future__ import annotations

import html
import operator
import threading

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData

WIDGETS = "django/forms/widgets/"
INPUT = WIDGETS + "input.html"
ATTRS = WIDGETS + "attrs.html"
SELECT = WIDGETS + "select.html"
OPTION = WIDGETS + "select_option.html"
#: A widget template that only includes the input (text, date, number, search, …).
INCLUDES_INPUT = '{% include "django/forms/widgets/input.html" %}\n'
SOURCES = {
    INPUT: (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %}'
        " value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
        '{% include "django/forms/widgets/attrs.html" %}>\n'
    ),
    ATTRS: (
        "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
        "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}"
        "{% endfor %}"
    ),
    SELECT: (
        '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
        "{% for group_name, group_choices, group_index in widget.optgroups %}"
        '{% if group_name %}\n  <optgroup label="{{ group_name }}">{% endif %}'
        "{% for option in group_choices %}\n  {% include option.template_name with widget=option %}"
        "{% endfor %}{% if group_name %}\n  </optgroup>{% endif %}{% endfor %}\n</select>\n"
    ),
    OPTION: (
        "<option value=\"{{ widget.value|stringformat:'s' }}\""
        '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n'
    ),
}

# What a template renders {{ value }} with: autoescaping on, no localisation or time
# zone given (the renderer's own templates get a plain dict, hence these defaults).
_CONTEXT = Context()


class Unusual(Exception):  # noqa: N818 - a signal, not an error: render with the template
    """Something the Python rendering does not reproduce (a callable the template would
    call, a missing key the template would render as nothing): use the template."""


def _value(value) -> str:
    """``{{ value }}``."""
    if type(value) is str:  # what the template does to a plain string, without the calls
        return html.escape(value)
    if callable(value):
        raise Unusual
    return render_value_in_context(value, _CONTEXT)


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}``: ``stringformat`` keeps a safe input safe."""
    if callable(value):
        raise Unusual
    try:
        text = "%s" % (str(value) if isinstance(value, tuple) else value)  # noqa: UP031
    except (ValueError, TypeError):
        text = ""
    return text if isinstance(value, SafeData) else html.escape(text)  # Django's escape


def _attrs(attrs: dict) -> str:
    """``attrs.html``."""
    if not isinstance(attrs, dict) or "items" in attrs:  # the template would read attrs.items
        raise Unusual
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(" " + _value(name))
            if value is not True:
                out.append(f'="{_formatted(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    """``input.html``."""
    value = widget.get("value")
    shown = f' value="{_formatted(value)}"' if operator.ne(value, None) else ""
    return (
        f'<input type="{_value(widget["type"])}" name="{_value(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>\n"
    )


def _select(widget: dict) -> str:
    """``select.html`` with ``select_option.html`` for each option."""
    out = [f'<select name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_value(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                raise Unusual
            out.append(
                f'\n  <option value="{_formatted(option["value"])}"'
                f"{_attrs(option['attrs'])}>{_value(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


class WidgetRenderer(DjangoTemplates):
    """Django's default form renderer, with inputs and selects written in Python."""

    def __init__(self):
        self._ways: dict[str, object] = {}
        self._lock = threading.Lock()

    def render(self, template_name, context, request=None):
        way = self._ways.get(template_name)
        if way is None:
            way = self._way(template_name)
        if way is not False and "widget" in context:
            try:
                return way(context["widget"]).strip()
            except (Unusual, KeyError):
                pass
        return super().render(template_name, context, request)

    def _way(self, template_name: str):
        """How to render ``template_name``: a function above if its source (and the
        sources it includes) is the one that function was written from, else ``False``."""
        with self._lock:
            if template_name not in self._ways:
                self._ways[template_name] = self._choose(template_name)
            return self._ways[template_name]

    def _choose(self, template_name: str):
        if not (self._unchanged(ATTRS) and self._unchanged(INPUT)):
            return False
        if template_name == INPUT:
            return _input
        if template_name == SELECT:
            return _select if self._unchanged(SELECT) and self._unchanged(OPTION) else False
        if template_name.startswith(WIDGETS) and self._source(template_name) == INCLUDES_INPUT:
            return _input
        return False

    def _unchanged(self, template_name: str) -> bool:
        return self._source(template_name) == SOURCES[template_name]

    def _source(self, template_name: str) -> str | None:
        try:
            return self.get_template(template_name).template.source
        except Exception:  # noqa: BLE001 - missing or not a Django template: keep the template
            return None


#: One renderer for every filter form (its engine is built once per process).
RENDERER = WidgetRenderer()
