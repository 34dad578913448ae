"""Admin widgets and form fields that answer an impossible id with a form error, not a 500.

An editor (or anyone fuzzing the admin) can submit any text as the id of a related
object. Two places in Django pass such text straight to the database:

- ``ModelMultipleChoiceField`` looks the submitted ids up with ``pk__in``; an id past
  the column's range raises ``OverflowError`` on SQLite. Django 5.0 made single-value
  integer lookups (``exact``, ``gt``, ...) answer "no rows" for such numbers
  (https://code.djangoproject.com/ticket/27397), but ``__in`` still overflows, and we
  found no upstream ticket for that case.
- The admin's autocomplete widgets re-render a form with errors by looking up the
  submitted ids (``queryset.filter(pk__in=["abc"])``), which raises ``ValueError`` for
  text that is not an id, and ``OverflowError`` for numbers past the range. We found no
  upstream ticket for this either.

The subclasses below drop or refuse such ids before the lookup.
:class:`CheckedIdsAdminMixin` puts them on every autocomplete and many-to-many field of
a ``ModelAdmin`` or inline; every admin of the project uses it (a test checks).
"""

from __future__ import annotations

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Field
from django.forms.models import ModelMultipleChoiceField


def storable(target: Field, value, using: str = "default") -> bool:
    """Whether ``value`` can be looked up in ``target``'s column without an error."""
    try:
        python = target.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return False
    if isinstance(python, int):
        internal_type = target.get_internal_type()
        low, high = connections[using].ops.integer_field_range(internal_type)
        return (low is None or python >= low) and (high is None or python <= high)
    return True


class CheckedIdsMixin:
    """For an autocomplete widget: re-render without the ids no row can have."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target_name = getattr(remote, "field_name", None) or remote.model._meta.pk.name
        target = remote.model._meta.get_field(target_name)
        using = self.db or "default"
        value = [v for v in value if v in (None, "") or storable(target, v, using)]
        return super().optgroups(name, value, attr)


class CheckedAutocompleteSelect(CheckedIdsMixin, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(CheckedIdsMixin, AutocompleteSelectMultiple):
    pass


class CheckedModelMultipleChoiceField(ModelMultipleChoiceField):
    """Reports ids past the column's range as invalid instead of letting ``pk__in`` raise."""

    def _check_values(self, value):
        model = self.queryset.model
        key = self.to_field_name or model._meta.pk.name
        target = model._meta.get_field(key)
        using = self.queryset.db
        for pk in value if isinstance(value, list | tuple | set | frozenset) else []:
            if pk not in (None, "") and not storable(target, pk, using):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class CheckedIdsAdminMixin:
    """For a ``ModelAdmin`` or inline: the checked widgets and field above everywhere."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", CheckedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
