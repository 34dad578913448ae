"""Form widgets, fields and django-filter filters the strict FilterSets are made of.

Slugs and ids are checked for shape before they reach the database, so NUL bytes, huge
numbers and non-numeric ids never get that far.
"""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.html import format_html, format_html_join

SLUG_RE = re.compile(r"\A[-\w]{1,200}\Z")
ID_RE = re.compile(r"\A[0-9]{1,19}\Z")
MAX_ID = 2**63 - 1
MAX_VALUES = 20
MAX_QUERY_LENGTH = 500
# Parameters that only steer paging or the CSV, never the rows.
CONTROL_PARAMS = ("page", "cursor", "bom")


def _short(value: str, limit: int = 60) -> str:
    value = value.replace("\x00", "\N{REPLACEMENT CHARACTER}")
    return value if len(value) <= limit else value[: limit - 1] + "…"


# -- widgets and fields --------------------------------------------------------------


class RepeatableInput(forms.Widget):
    """Checked boxes for the values already chosen, plus one text box to add another.

    Works without JavaScript: unticking a box removes that value, typing adds one.
    ``attrs["list"]`` names a ``<datalist>`` the page provides.
    """

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return [v for v in values if v not in (None, "")]

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        boxes = format_html_join(
            "",
            '<label class="chosen"><input type="checkbox" name="{}" value="{}" checked> '
            "<bdi>{}</bdi></label>",
            ((name, v, v) for v in (value or [])),
        )
        # The form's own ARIA attributes (``aria-invalid``, ``aria-describedby`` naming
        # the error beside the field) go on the text box a reader lands on.
        aria = format_html_join(
            "", ' {}="{}"', ((k, v) for k, v in attrs.items() if k.startswith("aria-"))
        )
        return format_html(
            '{}<input type="text" name="{}" id="{}"{}{}{} autocomplete="off">',
            boxes,
            name,
            attrs.get("id", ""),
            format_html(' list="{}"', attrs["list"]) if attrs.get("list") else "",
            format_html(' placeholder="{}"', attrs["placeholder"])
            if attrs.get("placeholder")
            else "",
            aria,
        )


class SlugsField(forms.Field):
    """Repeatable slugs resolved to model instances in one query; unknown ones are errors."""

    widget = RepeatableInput

    def __init__(self, *, queryset: QuerySet, noun: str, **kwargs):
        self.queryset = queryset
        self.noun = noun
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return []
        return [value] if isinstance(value, str) else list(value)

    def validate(self, value):
        if len(value) > MAX_VALUES:
            raise forms.ValidationError(f"Give at most {MAX_VALUES} values.")
        for item in value:
            if not SLUG_RE.match(item):
                raise forms.ValidationError(f"“{_short(item)}” is not a valid {self.noun} slug.")

    def clean(self, value):
        values = list(dict.fromkeys(self.to_python(value)))
        self.validate(values)
        if not values:
            return []
        found = {obj.slug: obj for obj in self.queryset.filter(slug__in=values)}
        missing = [v for v in values if v not in found]
        if missing:
            raise forms.ValidationError(
                f"Unknown {self.noun}: {', '.join(_short(v) for v in missing)}."
            )
        return [found[v] for v in values]


class ObjectIdField(forms.CharField):
    """A positive database id resolved to its row; malformed or unknown ids are errors."""

    def __init__(self, *, queryset: QuerySet, noun: str, **kwargs):
        self.queryset = queryset
        self.noun = noun
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        if not ID_RE.match(value) or not 0 < int(value) <= MAX_ID:
            raise forms.ValidationError(f"A {self.noun} id is a positive whole number.")
        obj = self.queryset.filter(pk=int(value)).first()
        if obj is None:
            raise forms.ValidationError(f"Unknown {self.noun}: {value}.")
        return obj


class IsoDateField(forms.DateField):
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": "Enter a date as YYYY-MM-DD."}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(input_formats=self.input_formats, **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and len(value) > 10:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class CursorField(forms.CharField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2000)
        super().__init__(**kwargs)


def _noop(queryset, name, value):
    return queryset


class SlugsFilter(django_filters.Filter):
    field_class = SlugsField


class ObjectIdFilter(django_filters.Filter):
    field_class = ObjectIdField


class IsoDateFilter(django_filters.Filter):
    field_class = IsoDateField


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


class CursorFilter(django_filters.Filter):
    field_class = CursorField
