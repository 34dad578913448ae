"""``{% filter_field %}`` and ``{% page_links %}`` (statements/templatetags/list_display.py)
render what their readable specs, ``includes/filter_field.html`` and
``includes/pagination.html``, render."""

from __future__ import annotations

import pytest
from django import forms
from django.http import QueryDict
from django.template import Template
from django.template.context import make_context
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils.safestring import mark_safe

from statements.filters import StatementFilter
from statements.pagination import CappedCount, Page
from statements.templatetags.list_display import filter_field
from tests.statements.test_filter_widgets import FILTERSETS, HOSTILE, queries

pytestmark = pytest.mark.django_db


def same_as_spec(field) -> None:
    expected = render_to_string("includes/filter_field.html", {"field": field})
    assert str(filter_field(field)) + "\n" == expected


@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda c: c.__name__)
def test_filter_field_renders_what_its_template_renders(seed, filterset_class):
    seen_errors = seen_help = False
    for query in queries(filterset_class):
        filterset = filterset_class(QueryDict(query))
        filterset.is_valid()
        for field in filterset.visible_fields():
            same_as_spec(field)
            seen_errors |= bool(field.errors)
            seen_help |= bool(field.help_text)
    assert seen_errors
    assert seen_help or filterset_class is not StatementFilter


def test_filter_field_escapes_like_the_template():
    """Hostile label, help text and errors (several), a safe help text, no auto id."""

    class Form(forms.Form):
        text = forms.CharField(label=HOSTILE, help_text=HOSTILE, max_length=2)
        number = forms.IntegerField(label="N", help_text=mark_safe("<b>ok</b>"))

        def clean_text(self):
            raise forms.ValidationError([HOSTILE, "second <error>"])

    for form in (Form({"text": "abc", "number": "x"}), Form({}, auto_id=False), Form()):
        form.is_valid()
        for field in form:
            same_as_spec(field)
    assert "has-error" in str(filter_field(Form({"text": "abc"})["text"]))


def page_both_ways(url: str, page) -> tuple[str, str]:
    request = RequestFactory().get(url)
    spec = render_to_string("includes/pagination.html", {"page": page}, request=request)
    tag = Template("{% load list_display %}{% page_links page %}").render(
        make_context({"page": page}, request)
    )
    return tag, spec


def pages():
    count = CappedCount(130, False)
    yield None
    yield Page(rows=[], count=CappedCount(0, False))
    yield Page(rows=[], count=count, number=1, page_numbers=[1, 2, 3], next_cursor="n&x=1")
    yield Page(
        rows=[], count=count, number=2, page_numbers=[1, 2, 3], prev_cursor="p", next_cursor="n"
    )
    yield Page(rows=[], count=count, number=None, prev_cursor="p<\"'>")
    yield Page(rows=[], count=CappedCount(10001, True), number=20, page_numbers=list(range(1, 21)))


@pytest.mark.parametrize(
    "url",
    [
        "/statements/",
        "/statements/?page=2&speaker=a&speaker=b&q=x%26y",
        "/statements/?q=" + HOSTILE.replace("&", "%26").replace("#", "%23") + "&cursor=abc",
        "/statements/?cursor=abc&tag=t&page=3",
    ],
)
def test_page_links_render_what_the_pagination_template_renders(url):
    for page in pages():
        tag, spec = page_both_ways(url, page)
        assert tag == spec, (url, page)
    tag, _spec = page_both_ways(
        url, Page(rows=[], count=CappedCount(130, False), number=1, page_numbers=[1, 2])
    )
    assert 'href="?' in tag and "page=2" in tag


@pytest.mark.parametrize(
    "query",
    [
        "",
        "tag=a",
        "page=2",
        "q=a+b&tag=x&tag=y&page=3&cursor=zz",
        "speaker=%C3%A9&q=%26%3D",
        "tag=",
    ],
)
def test_a_tag_link_is_the_list_query_with_the_tag_added(query):
    """``adding_filter`` encodes the kept part once; the links are the whole query
    encoded per link, as before."""
    from django.utils.http import urlencode

    from statements.views.lists import PAGE_PARAMETERS, adding_filter

    data = QueryDict(query)
    kept = [(k, v) for k in data if k not in PAGE_PARAMETERS for v in data.getlist(k)]
    href = adding_filter(data, "tag")
    for value in ["a", "x", "é ü", "a&b=c", "", "-_.~"]:
        chosen = value in data.getlist("tag")
        assert href(value) == "?" + urlencode(kept if chosen else [*kept, ("tag", value)])
