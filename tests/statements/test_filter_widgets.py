"""The filter forms' widgets written in Python (``statements/filters/rendering.py``)
render the bytes Django's widget templates render: field by field for every list's
FilterSet and many kinds of values, and whole list pages for the public and for staff
who see drafts."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.http import QueryDict
from django.utils.safestring import mark_safe

from statements.filters import (
    ActorFilter,
    ClaimFilter,
    EventFilter,
    SourceFilter,
    StatementFilter,
    TagFilter,
    rendering,
)
from statements.filters.base import StrictForm
from statements.models import Status
from tests.conftest import drafts_reader

pytestmark = pytest.mark.django_db

FILTERSETS = [ActorFilter, ClaimFilter, EventFilter, SourceFilter, StatementFilter, TagFilter]
HOSTILE = '"<b>it\'s</b>" & {{ x }} {% y %} \u202e\u05e9\u05dc\u05d5\u05dd'


def queries(filterset_class) -> list[str]:
    """Query strings that set every field of the form: empty, chosen choices, values
    the form refuses, hostile text, repeated parameters."""
    fields = filterset_class().form.fields
    chosen, refused, hostile = [], [], []
    for name, field in fields.items():
        choices = [value for value, _label in getattr(field, "choices", []) if value != ""]
        if choices:
            chosen.append((name, str(choices[-1])))
            refused.append((name, "not-a-choice"))
        else:
            refused.append((name, "2020-13-45" if "date" in name else "-1"))
        hostile.append((name, HOSTILE))
    encode = lambda pairs: "&".join(f"{k}={v}" for k, v in pairs)  # noqa: E731
    quoted = QueryDict(mutable=True)
    for name, value in hostile:
        quoted.appendlist(name, value)
        quoted.appendlist(name, value + "2")
    return ["", encode(chosen), encode(refused), quoted.urlencode(), "page=2&sort=said_on"]


def rendered(filterset_class, query: str, renderer) -> list[str]:
    filterset = filterset_class(QueryDict(query))
    filterset.form.renderer = renderer
    filterset.is_valid()
    return [str(field) for field in filterset.form]


@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda c: c.__name__)
def test_every_filter_field_renders_as_the_templates_do(seed, filterset_class):
    template_renderer = get_default_renderer()
    assert isinstance(template_renderer, DjangoTemplates)
    assert not isinstance(template_renderer, rendering.WidgetRenderer)
    for query in queries(filterset_class):
        assert rendered(filterset_class, query, rendering.RENDERER) == rendered(
            filterset_class, query, template_renderer
        ), query


def test_the_filter_forms_use_the_python_widgets(seed):
    filterset = StatementFilter(QueryDict("mode=direct"))
    assert filterset.form.renderer is rendering.RENDERER
    str(filterset.form["mode"]), str(filterset.form["q"]), str(filterset.form["date_from"])
    ways = rendering.RENDERER._ways
    assert ways[rendering.SELECT] is rendering._select
    assert ways["django/forms/widgets/text.html"] is rendering._input
    assert ways["django/forms/widgets/date.html"] is rendering._input


def test_a_changed_widget_template_is_rendered_by_the_template(monkeypatch):
    """If Django's template is not the source the Python was written from, the template
    renders it (here: an extra attribute in select.html)."""
    renderer = rendering.WidgetRenderer()
    original = renderer._source

    def changed(name):
        source = original(name)
        return (
            source.replace("<select ", '<select data-new="1" ')
            if name == rendering.SELECT
            else source
        )

    monkeypatch.setattr(renderer, "_source", changed)
    assert renderer._way(rendering.SELECT) is False
    assert renderer._way("django/forms/widgets/text.html") is rendering._input
    monkeypatch.setattr(renderer, "_source", lambda name: None)
    assert renderer._way("django/forms/widgets/number.html") is False


def test_values_the_python_does_not_reproduce_go_to_the_template():
    """A callable attribute (the template calls it) and options of another template."""

    class Form(forms.Form):
        default_renderer = rendering.RENDERER
        text = forms.CharField(widget=forms.TextInput(attrs={"data-x": lambda: "called"}))
        radio = forms.ChoiceField(choices=[("a", "A")], widget=forms.Select)

    form = Form({"text": "v", "radio": "a"})
    form.fields["radio"].widget.option_template_name = "django/forms/widgets/input_option.html"
    fast = [str(field) for field in form]
    form.renderer = get_default_renderer()
    assert fast == [str(field) for field in form]
    assert 'data-x="called"' in fast[0]


def test_odd_widgets_render_as_the_templates_do():
    """Hostile labels and group names, optgroups, attributes true, false, numbers and
    tuples, a safe value, a number input, a select with several values."""

    class Form(forms.Form):
        default_renderer = rendering.RENDERER
        pick = forms.ChoiceField(
            choices=[("", HOSTILE), (HOSTILE, [("a&b", HOSTILE), (1, "one")]), ("z", 2)],
            widget=forms.Select(attrs={"required": True, "hidden": False, "data-n": 3}),
        )
        many = forms.MultipleChoiceField(choices=[("a", "<A>"), ("b", "B")])
        number = forms.IntegerField(widget=forms.NumberInput(attrs={"data-t": (1, "<")}))
        safe = forms.CharField(widget=forms.TextInput(attrs={"title": mark_safe("<i>x</i>")}))

    for data in [{}, {"pick": "a&b", "many": ["a", "b"], "number": "7", "safe": HOSTILE}]:
        form = Form(data)
        fast = [str(field) for field in form]
        form.renderer = get_default_renderer()
        assert fast == [str(field) for field in form]


URLS = [
    "/statements/",
    "/statements/?speaker=nikol-pashinian&mode=direct",
    "/statements/?tag=talks&sort=said_on",
    "/statements/?mode=nonsense&date_from=2023-13-01",
    "/actors/",
    "/actors/?kind=state",
    "/claims/",
    "/events/",
    "/tags/",
    "/sources/",
]


@pytest.mark.parametrize("staff", [False, True], ids=["public", "drafts-reader"])
def test_list_pages_are_the_same_bytes_with_either_renderer(client, seed, make, monkeypatch, staff):
    make.statement(status=Status.DRAFT, text="A draft <statement>")
    if staff:
        client.force_login(drafts_reader())
    pages = {}
    for renderer in (rendering.RENDERER, get_default_renderer()):
        monkeypatch.setattr(StrictForm, "default_renderer", renderer)
        pages[renderer] = [client.get(url) for url in URLS]
    fast, templates = pages.values()
    for url, a, b in zip(URLS, fast, templates, strict=True):
        assert a.status_code == b.status_code, url
        assert a.content == b.content, url
    body = fast[0].content.decode()
    assert ("is-draft" in body) is staff  # the draft is marked for staff, absent otherwise
