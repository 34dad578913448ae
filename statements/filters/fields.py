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

from actors.models import Actor, Alias
from actors.text import fold

SLUG_RE = re.compile(r"\A[-\w]{1,200}\Z")
ID_RE = re.compile(r"\A[0-9]{1,19}\Z")
MAX_ID = 2**63 - 1
MAX_VALUES = 20
MAX_QUERY_LENGTH = 500
MAX_NAME_LENGTH = 300
#: An ambiguous name's error lists at most this many candidates.
MAX_CANDIDATES = 10
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


def _check_name(value: str, noun: str) -> None:
    if len(value) > MAX_NAME_LENGTH or "\x00" in value or not value.strip():
        raise forms.ValidationError(f"“{_short(value)}” is not a valid {noun}.")


def _ambiguous(value: str, noun: str, found: list, describe) -> forms.ValidationError:
    listed = "; ".join(describe(obj) for obj in found[:MAX_CANDIDATES])
    more = " …" if len(found) > MAX_CANDIDATES else ""
    return forms.ValidationError(
        f"“{_short(value)}” fits several {noun}s: {listed}{more}. Give one of these instead.",
        code="ambiguous",
    )


def _describe_actor(actor) -> str:
    return f"{actor.name} ({actor.slug})"


def actors_named(queryset: QuerySet, folded: list[str]) -> dict[str, list]:
    """Per folded name, the actors of ``queryset`` with that name or alias: one UNION of
    two index lookups (names, aliases), then the few ids among the visible actors."""
    pairs = list(
        Actor.objects.filter(name_folded__in=folded)
        .order_by()
        .values_list("pk", "name_folded")
        .union(
            Alias.objects.filter(name_folded__in=folded)
            .order_by()
            .values_list("actor_id", "name_folded")
        )
    )
    visible = {a.pk: a for a in queryset.filter(pk__in={pk for pk, _ in pairs})} if pairs else {}
    found: dict[str, list] = {name: [] for name in folded}
    for pk, name in pairs:
        if pk in visible and visible[pk] not in found[name]:
            found[name].append(visible[pk])
    for actors in found.values():
        actors.sort(key=lambda actor: (actor.name, actor.pk))
    return found


class ActorsField(SlugsField):
    """Repeatable actors, each by slug or by name or alias (case and accents ignored:
    ``actors.text.fold``). A name that fits several actors is an error listing them."""

    def validate(self, value):
        if len(value) > MAX_VALUES:
            raise forms.ValidationError(f"Give at most {MAX_VALUES} values.")
        for item in value:
            _check_name(item, f"{self.noun} slug or name")

    def clean(self, value):
        values = list(dict.fromkeys(self.to_python(value)))
        self.validate(values)
        if not values:
            return []
        slugs = [v for v in values if SLUG_RE.match(v)]
        found = {obj.slug: obj for obj in self.queryset.filter(slug__in=slugs)} if slugs else {}
        names = [v for v in values if v not in found]
        if names:
            by_name = actors_named(self.queryset, [fold(v) for v in names])
            errors, missing = [], []
            for raw in names:
                actors = by_name[fold(raw)]
                if len(actors) == 1:
                    found[raw] = actors[0]
                elif actors:
                    errors.append(_ambiguous(raw, self.noun, actors, _describe_actor))
                else:
                    missing.append(raw)
            if missing:
                errors.append(
                    forms.ValidationError(
                        f"Unknown {self.noun}: {', '.join(_short(v) for v in missing)}."
                    )
                )
            if errors:
                raise forms.ValidationError(errors)
        return list(dict.fromkeys(found[v] for v in values))


class ActorField(ActorsField):
    """One actor by slug, name or alias (see ``ActorsField``)."""

    widget = forms.TextInput

    def clean(self, value):
        if isinstance(value, (list, tuple)):
            value = value[-1] if value else ""
        value = (value or "").strip()
        found = super().clean(value) if value else []
        return found[0] if found else None


class ObjectOrTitleField(ObjectIdField):
    """A row by its id or by the exact text of ``title_field`` (case ignored); a text
    several rows share is an error listing them with their ids."""

    def __init__(self, *, title_field: str, **kwargs):
        self.title_field = title_field
        super().__init__(**kwargs)
        self.widget = forms.TextInput()

    def clean(self, value):
        value = forms.CharField.clean(self, value)
        if value in (None, ""):
            return None
        if ID_RE.match(value) and 0 < int(value) <= MAX_ID:
            obj = self.queryset.filter(pk=int(value)).first()
            if obj is None:
                raise forms.ValidationError(f"Unknown {self.noun}: {value}.")
            return obj
        _check_name(value, f"{self.noun} id or {self.title_field}")
        found = list(
            self.queryset.filter(**{f"{self.title_field}__iexact": value.strip()}).order_by("pk")[
                : MAX_CANDIDATES + 1
            ]
        )
        if not found:
            raise forms.ValidationError(f"Unknown {self.noun}: {_short(value)}.")
        if len(found) > 1:
            raise _ambiguous(
                value,
                self.noun,
                found,
                lambda obj: f"{_short(str(getattr(obj, self.title_field)), 50)} (id {obj.pk})",
            )
        return found[0]


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


class ActorsFilter(django_filters.Filter):
    field_class = ActorsField


class ActorFilterField(django_filters.Filter):
    field_class = ActorField


class ObjectOrTitleFilter(django_filters.Filter):
    field_class = ObjectOrTitleField


class IsoDateFilter(django_filters.Filter):
    field_class = IsoDateField


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


class CursorFilter(django_filters.Filter):
    field_class = CursorField
