"""Admin rules that hold on every path through a ``ModelAdmin``.

:class:`GuardedAdminMixin` goes on every project admin (a test checks). It keeps four
promises, whichever screen a write comes from:

- **Guarded fields.** ``guarded_fields`` maps a field to the permission that sets it
  (``{"status": "statements.publish_statement"}``). Without it the field is read-only,
  on the add form, the change form and the revert form alike: Django drops read-only
  fields from the submitted data, so a forged POST cannot set them either. What such a
  user adds takes ``unreviewed_values`` (a source a draft, an actor "needs review"),
  not the model's default.
- **Reverts are a reviewer's decision.** simple_history's "Revert" saves an old
  version *as a whole*, read-only fields included, so it could set a guarded field
  (a claim's status, a source's) for someone who may not. Reverting, and saving any
  history form, needs the change and delete permissions of the model (the delete
  permission is what reviewers have and editors lack) and every guarded field's
  permission, checked on the button and on the POST.
- **No lost update.** The admin's form must be a
  :class:`tracker.concurrency.VersionCheckedForm`; its hidden ``version`` field is
  rendered with the other fields (an admin renders only the fields its fieldsets
  name), and a revert form carries the stored row's version, not the old one's.
- **Search terms the database can take.** The changelist's search form already
  refuses a NUL; the autocomplete endpoint hands ``term`` straight to
  ``get_search_results``, where PostgreSQL fails on it (a 500). Here such a term is a
  400.
"""

from __future__ import annotations

import re

from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import router, transaction

from tracker.concurrency import VersionCheckedForm
from tracker.history import REASON_LENGTH

VERSION_FIELD = "version"
# C0 controls and DEL, except tab, line feed and carriage return: no search needs them,
# and PostgreSQL refuses NUL in any text parameter.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_search_term(term: str) -> None:
    """Refuse (400) a search term with a control character."""
    if CONTROL_CHARACTERS.search(term or ""):
        raise BadRequest("A search term cannot contain control characters.")


def is_revert(request) -> bool:
    """Whether ``request`` is simple_history's history form (the revert page)."""
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name and match.url_name.endswith("_simple_history"))


class GuardedAdminMixin:
    """For a ``SimpleHistoryAdmin``: guarded fields, gated reverts, the version field,
    search terms without control characters. See the module docstring."""

    form = VersionCheckedForm
    guarded_fields: dict[str, str] = {}
    # Guarded field -> its value on a row added by someone who may not set it.
    unreviewed_values: dict[str, object] = {}

    # --- guarded fields

    def may_set(self, request, field_name: str) -> bool:
        permission = self.guarded_fields.get(field_name)
        return permission is None or request.user.has_perm(permission)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        for name in self.guarded_fields:
            if name not in fields and not self.may_set(request, name):
                fields.append(name)
        return fields

    # --- reverts

    def may_revert(self, request, obj=None) -> bool:
        return (
            self.has_change_permission(request, obj)
            and self.has_delete_permission(request, obj)
            and all(self.may_set(request, name) for name in self.guarded_fields)
        )

    def revert_disabled(self, request, obj=None):
        return super().revert_disabled(request, obj) or not self.may_revert(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        if not self.may_revert(request):
            raise PermissionDenied
        # The version check locks the row; the lock needs a transaction (the change
        # form has the admin's, the history form none of its own).
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            for name, value in self.unreviewed_values.items():
                if not self.may_set(request, name):
                    setattr(obj, name, value)
        if is_revert(request):
            version = request.resolver_match.args[-1] if request.resolver_match.args else ""
            obj._change_reason = f"Reverted to version {version}"[:REASON_LENGTH]
        super().save_model(request, obj, form, change)

    # --- the version field

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or VERSION_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        *rest, (name, options) = fieldsets
        last = (name, {**options, "fields": [*options["fields"], VERSION_FIELD]})
        return [*rest, last]

    def get_fields(self, request, obj=None):
        return [name for name in super().get_fields(request, obj) if name != VERSION_FIELD]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if kwargs.get("fields") is None and "fields" in kwargs:
            return super().get_form(request, obj, change, **kwargs)
        fields = kwargs.pop("fields", None) or flatten_fieldsets(self.get_fieldsets(request, obj))
        # ``version`` is the form's own field, not an editable model field.
        kwargs["fields"] = [name for name in fields if name != VERSION_FIELD]
        if obj is not None and obj.pk is not None and is_revert(request):
            # The revert form shows an old version; it edits the stored row.
            stored = (
                type(obj)._default_manager.filter(pk=obj.pk).values_list(VERSION_FIELD, flat=True)
            )
            obj.version = next(iter(stored), obj.version)
        return super().get_form(request, obj, change, **kwargs)

    # --- search terms

    def get_search_results(self, request, queryset, search_term):
        # An admin overriding this method calls check_search_term itself.
        check_search_term(search_term)
        return super().get_search_results(request, queryset, search_term)
