"""Impossible ids in admin forms come back as form errors, through subclasses that every
admin uses (no library is patched at import time)."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from statements.models import Event
from tracker.admin_fields import (
    CheckedAutocompleteSelect,
    CheckedAutocompleteSelectMultiple,
    CheckedIdsAdminMixin,
    CheckedModelMultipleChoiceField,
)

PROJECT_APPS = {"actors", "statements"}
IMPOSSIBLE_IDS = ["abc", " ", "1.5", str(2**70), str(-(2**70)), "9223372036854775808"]


def _project_admins():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in PROJECT_APPS:
            yield model, model_admin


def test_every_project_admin_and_inline_checks_ids():
    admins = list(_project_admins())
    assert len(admins) >= 9
    for model, model_admin in admins:
        assert isinstance(model_admin, CheckedIdsAdminMixin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, CheckedIdsAdminMixin), inline


@pytest.mark.django_db
def test_every_autocomplete_and_many_to_many_field_is_checked(rf):
    request = rf.get("/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    checked = 0
    for model, model_admin in _project_admins():
        form = model_admin.get_form(request)
        autocomplete = model_admin.get_autocomplete_fields(request)
        for name, field in form.base_fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # RelatedFieldWidgetWrapper
            if name in autocomplete:
                multiple = isinstance(field, forms.ModelMultipleChoiceField)
                kind = CheckedAutocompleteSelectMultiple if multiple else CheckedAutocompleteSelect
                assert isinstance(widget, kind), (model, name)
                checked += 1
            if isinstance(field, forms.ModelMultipleChoiceField):
                assert isinstance(field, CheckedModelMultipleChoiceField), (model, name)
    assert checked >= 8


@pytest.mark.django_db
@pytest.mark.parametrize("value", IMPOSSIBLE_IDS)
def test_the_field_refuses_ids_no_row_can_have(value):
    field = CheckedModelMultipleChoiceField(queryset=Event.objects.all())
    with pytest.raises(forms.ValidationError) as caught:
        field.clean([value])
    assert caught.value.code in {"invalid_pk_value", "invalid_choice"}


@pytest.mark.django_db
def test_a_statement_form_with_impossible_ids_is_redisplayed_with_errors(client):
    client.force_login(User.objects.create_superuser("ids-admin", "ids@example.org", "pw"))
    management = {
        "stances-TOTAL_FORMS": "0",
        "stances-INITIAL_FORMS": "0",
    }
    for value in IMPOSSIBLE_IDS:
        data = {**management, "speaker": value, "source": value, "events": [value, "1"]}
        data["recipients"] = [value]
        response = client.post(reverse("admin:statements_statement_add"), data)
        assert response.status_code == 200, value
        assert response.context["adminform"].form.errors, value
