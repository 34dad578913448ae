"""Filtering for the API: DRF's django-filter backend running the lists' own FilterSets.

The backend hands the request's query parameters to the viewset's ``filterset_class``
— for statements, actors, claims, events and tags the very FilterSet of the HTML list
and its CSV (``statements/filters.py``), so the three can never disagree. Those
FilterSets are strict: an unknown parameter or a bad value is a form error, answered
400 as ``{"field": ["message"]}`` (errors about the request as a whole under
``non_field_errors``). The valid FilterSet stays on the view: the pagination reads the
ordering and the cursor from it.

Sources and stances have no HTML list; their FilterSets below follow the same rules.
"""

from __future__ import annotations

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.plumbing import build_array_type, build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

from statements.filters.fields import (
    ActorFilterField,
    ActorsFilter,
    CursorFilter,
    IntegerFilter,
    IsoDateFilter,
    ObjectIdFilter,
    ObjectOrTitleFilter,
    SlugsFilter,
)

#: Accepted by every FilterSet for the CSV only; the API neither documents nor uses it.
UNDOCUMENTED = frozenset({"bom"})
#: The paging parameters every FilterSet accepts.
PAGING_HELP = {
    "cursor": "Opaque page position: follow the `next` and `previous` links.",
    "page": "A page number, for the first pages only; follow `next` beyond.",
}


def field_errors(form) -> dict[str, list[str]]:
    """A form's errors as DRF reports them: ``{"field": ["message", ...]}``."""
    out = {}
    for name, errors in form.errors.items():
        key = api_settings.NON_FIELD_ERRORS_KEY if name == "__all__" else name
        out[key] = list(dict.fromkeys(str(error) for error in errors))  # each message once
    return out


class StrictFilterBackend(DjangoFilterBackend):
    """``DjangoFilterBackend`` that keeps the bound FilterSet on the view for the
    pagination, and reports its errors in the API's error shape."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        data = kwargs["data"].copy()
        # ``?format=json`` picks the renderer (DRF), never rows.
        data.pop(api_settings.URL_FORMAT_OVERRIDE or "", None)
        kwargs["data"] = data
        return kwargs

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise ValidationError(field_errors(filterset.form))
        view.filterset = filterset
        return filterset.qs


# -- the schema: every filter a documented query parameter -----------------------------


def filter_schema(filter_) -> dict:
    if isinstance(filter_, SlugsFilter | ActorsFilter):  # repeatable: slugs or names
        return build_array_type(build_basic_type(OpenApiTypes.STR))
    if isinstance(filter_, ObjectIdFilter):
        return {**build_basic_type(OpenApiTypes.INT64), "minimum": 1}
    if isinstance(filter_, ActorFilterField | ObjectOrTitleFilter):  # a slug/id or a name
        return {**build_basic_type(OpenApiTypes.STR), "maxLength": 200}
    if isinstance(filter_, IsoDateFilter):
        return build_basic_type(OpenApiTypes.DATE)
    if isinstance(filter_, IntegerFilter):
        schema = build_basic_type(OpenApiTypes.INT)
        for key in ("min_value", "max_value"):
            if filter_.extra.get(key) is not None:
                schema["minimum" if key == "min_value" else "maximum"] = filter_.extra[key]
        return schema
    if isinstance(filter_, django_filters.ChoiceFilter):
        choices = filter_.extra.get("choices") or []
        return {**build_basic_type(OpenApiTypes.STR), "enum": [value for value, _ in choices]}
    schema = build_basic_type(OpenApiTypes.STR)
    if filter_.extra.get("max_length") and not isinstance(filter_, CursorFilter):
        schema["maxLength"] = filter_.extra["max_length"]
    return schema


class StrictFilterExtension(OpenApiFilterExtension):
    """The FilterSet's filters as query parameters, typed as the forms validate them
    (drf-spectacular's own django-filter extension cannot see through the custom
    fields: repeatable slugs, ids, ISO dates)."""

    target_class = StrictFilterBackend
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        filterset_class = getattr(auto_schema.view, "filterset_class", None)
        if filterset_class is None or getattr(auto_schema.view, "action", "list") != "list":
            return []
        multi = set(filterset_class.multi_valued)
        parameters = []
        for name, filter_ in filterset_class.base_filters.items():
            if name in UNDOCUMENTED:
                continue
            label = PAGING_HELP.get(name) or str(filter_.label or name)
            if name in multi:
                label += " (repeat the parameter for several values)"
            parameters.append(
                build_parameter_type(
                    name=name,
                    schema=filter_schema(filter_),
                    location="query",
                    description=label,
                    explode=True if name in multi else None,
                )
            )
        return parameters
