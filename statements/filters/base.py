"""The strict base of every FilterSet: unknown or repeated parameters, unknown slugs
and ids, bad choices, malformed dates and ``date_from`` after ``date_to`` are form errors
(the views answer 400 with them next to the field), and removable filter chips."""

from __future__ import annotations

import hashlib

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.http import urlencode
from taggit.models import Tag

from actors.models import Actor
from statements import visibility
from statements.filters.fields import (
    CONTROL_PARAMS,
    MAX_QUERY_LENGTH,
    SLUG_RE,
    CursorFilter,
    IntegerFilter,
    _noop,
    _short,
)
from statements.filters.rendering import RENDERER
from statements.filters.search import SEARCH_CONFIG
from statements.models import Claim, Event, Source, Statement
from statements.pagination import MAX_PAGE_NUMBER
from tracker.data_version import summary

# -- the strict base -------------------------------------------------------------------


#: What each kind of object a filter names may be, for the requesting user.
VISIBLE_CHOICES = {
    Actor: visibility.actors,
    Claim: visibility.claims,
    Event: visibility.events,
    Source: visibility.sources,
    Statement: visibility.statements,
    Tag: visibility.tags,
}


class StrictForm(forms.Form):
    """Rejects parameters it does not know and single-valued parameters given twice."""

    multi_valued: frozenset[str] = frozenset()
    # Inputs and selects written in Python, the same bytes as Django's templates.
    default_renderer = RENDERER

    def clean(self):
        cleaned = super().clean()
        unknown = [key for key in self.data if key not in self.fields]
        if unknown:
            names = ", ".join(f"“{_short(key, 40)}”" for key in unknown[:5])
            self.add_error(None, f"Unknown parameter: {names}.")
        for name in self.fields:
            if name in self.multi_valued or not hasattr(self.data, "getlist"):
                continue
            if len(self.data.getlist(name)) > 1 and name not in self._errors:
                self.add_error(name, "Give this parameter only once.")
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "“To” must not be before “from”.")
        return cleaned


class StrictFilterSet(django_filters.FilterSet):
    """Shared behaviour: strict validation, control parameters, removable chips."""

    q = django_filters.CharFilter(
        label="Text",
        method="filter_q",
        max_length=MAX_QUERY_LENGTH,
        validators=[ProhibitNullCharactersValidator()],
    )
    page = IntegerFilter(
        method=_noop, min_value=1, max_value=MAX_PAGE_NUMBER, widget=forms.HiddenInput
    )
    cursor = CursorFilter(method=_noop)
    bom = django_filters.ChoiceFilter(
        method=_noop, choices=[("0", "no"), ("1", "yes")], widget=forms.HiddenInput
    )

    multi_valued: tuple[str, ...] = ()
    search_config = SEARCH_CONFIG

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.page_field = self.form.fields["page"]
        self.page_field.error_messages["max_value"] = (
            f"Page numbers go up to {MAX_PAGE_NUMBER}; use the “Next” links beyond."
        )
        self.page_field.error_messages["invalid"] = "A page is a whole number."
        self.page_field.error_messages["min_value"] = "Pages start at 1."
        self.limit_choices_to_visible()

    def get_form_class(self):
        form_class = super().get_form_class()
        form_class.multi_valued = frozenset(self.multi_valued)
        return form_class

    class Meta:
        form = StrictForm
        fields: list[str] = []

    @property
    def user(self):
        return getattr(self.request, "user", None)

    @property
    def sees_drafts(self) -> bool:
        return visibility.sees_drafts(self.user)

    def limit_choices_to_visible(self) -> None:
        """Every slug or id a filter accepts must name something this user may see:
        a draft-only claim's id is as unknown to the public as one never entered."""
        given = set(self.data or ())
        for name, field in self.form.fields.items():
            if name not in given:
                continue  # nothing to look up: skip building its queryset
            queryset = getattr(field, "queryset", None)
            if queryset is None or queryset.model not in VISIBLE_CHOICES:
                continue
            if queryset.model is Tag and self.request is not None and not self.sees_drafts:
                field.queryset = Tag.objects.filter(pk__in=self._public_tag_ids(name))
            else:
                field.queryset = VISIBLE_CHOICES[queryset.model](self.user)

    def _public_tag_ids(self, name: str) -> list[int]:
        """Ids of the public tags among the slugs given for ``name``, kept per data
        version: the visibility test of a tag (is it on a public statement, claim or
        event?) costs more to plan than to run, and every tag-filtered page asks it.
        Only with a request (a feed, which has none, keeps the one plain query)."""
        getlist = getattr(self.data, "getlist", None)
        given = getlist(name) if getlist else self.data[name]
        # Only well-formed slugs reach the database (the field refuses the others).
        slugs = sorted(
            slug
            for slug in ({given} if isinstance(given, str) else set(given))
            if SLUG_RE.match(slug)
        )

        def lookup() -> list[int]:
            public = visibility.tags(None).filter(slug__in=slugs)
            return list(public.values_list("pk", flat=True))

        digest = hashlib.sha256("\n".join(slugs).encode()).hexdigest()[:32]
        return summary(self.request, f"public-tags:{digest}", lookup)

    def visible_fields(self):
        return [f for f in self.form if f.name not in CONTROL_PARAMS]

    def control_errors(self) -> list[str]:
        out = list(self.form.non_field_errors())
        for name in CONTROL_PARAMS:
            for error in self.form.errors.get(name, []):
                out.append(f"{name}: {error}")
        return out

    def value(self, name: str):
        return self.form.cleaned_data.get(name) if self.form.is_valid() else None

    # -- chips: one link per active value, to the same URL without it -----------------

    def describe(self, name: str, raw: str) -> str:
        cleaned = self.form.cleaned_data.get(name) if hasattr(self.form, "cleaned_data") else None
        field = self.form.fields[name]
        if isinstance(cleaned, list):
            for obj in cleaned:
                if getattr(obj, "slug", None) == raw:
                    return str(getattr(obj, "name", obj))
        elif cleaned is not None and hasattr(cleaned, "pk"):
            return str(cleaned)
        choices = dict(getattr(field, "choices", []) or [])
        return str(choices.get(raw, raw))

    def chips(self) -> list[dict]:
        if not self.is_bound:
            return []
        data = self.data
        chips = []
        for name in self.form.fields:
            if name in CONTROL_PARAMS or name not in data:
                continue
            for raw in data.getlist(name):
                if raw == "":
                    continue
                kept = [
                    (key, value)
                    for key in data
                    if key not in ("page", "cursor")
                    for value in data.getlist(key)
                    if not (key == name and value == raw)
                ]
                chips.append(
                    {
                        "name": name,
                        "label": self.form.fields[name].label or name,
                        "value": self.describe(name, raw),
                        "href": "?" + urlencode(kept),
                    }
                )
        return chips

    def filter_q(self, queryset, name, value):  # overridden per list
        return queryset
