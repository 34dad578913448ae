"""Two fixes for Django's forms, found by the fuzz test (issue 5).

1. Model multiple-choice fields (e.g. a statement's events) query the submitted ids
   with ``pk__in``; an id past the column's range raises ``OverflowError`` on SQLite
   (a 500). Such ids are reported as invalid choices instead.
2. Admin autocomplete widgets:

When an admin form comes back with an error, Django re-renders each autocomplete
widget by looking up the submitted ids: ``queryset.filter(pk__in=[" "])``. An id that
is not a number (or is past the column's range) makes that lookup raise, and the
editor gets a 500 instead of the form error. This drops such ids before the lookup —
the form field reports them as invalid choices anyway.
"""

from __future__ import annotations

from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError
from django.db import connection
from django.forms.models import ModelMultipleChoiceField

_installed = False


def _usable(target, value) -> bool:
    try:
        python = target.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return False
    if isinstance(python, int):
        low, high = connection.ops.integer_field_range(target.get_internal_type())
        return (low is None or python >= low) and (high is None or python <= high)
    return True


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    original = AutocompleteMixin.optgroups

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target_name = getattr(remote, "field_name", None) or remote.model._meta.pk.name
        target = remote.model._meta.get_field(target_name)
        value = [v for v in value if v in (None, "") or _usable(target, v)]
        return original(self, name, value, attr)

    optgroups.__wrapped__ = original
    AutocompleteMixin.optgroups = optgroups

    original_check = ModelMultipleChoiceField._check_values

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        target = self.queryset.model._meta.get_field(
            self.queryset.model._meta.pk.name if key == "pk" else key
        )
        for pk in value if isinstance(value, list | tuple | set | frozenset) else []:
            if pk not in (None, "") and not _usable(target, pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return original_check(self, value)

    _check_values.__wrapped__ = original_check
    ModelMultipleChoiceField._check_values = _check_values
