"""The rules every project admin keeps: a version check against lost updates (two
clients), the version field rendered on every change form, autocomplete terms with
control characters refused with a 400."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from statements.models import Statement
from tests.test_permissions import form_data, sample_objects
from tests.tracker.world import build_world
from tracker.admin_guards import GuardedAdminMixin
from tracker.concurrency import VersionCheckedForm

VERSIONED = [
    "actors.actor",
    "actors.alias",
    "actors.role",
    "statements.source",
    "statements.statement",
    "statements.claim",
    "statements.stance",
    "statements.event",
    "statements.eventparticipant",
]


@pytest.fixture
def world(db):
    return build_world(users=False)


def superuser(name: str) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser(name, f"{name}@example.org", "pw"))
    return client


def test_every_admin_of_a_versioned_model_checks_the_version():
    registry = {
        model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()
    }
    for label in VERSIONED:
        model_admin = registry[label]
        assert isinstance(model_admin, GuardedAdminMixin), label
        assert issubclass(model_admin.form, VersionCheckedForm), label
    versioned = {
        model._meta.label_lower
        for model in admin.site._registry
        if any(field.name == "version" for field in model._meta.concrete_fields)
    }
    assert versioned == set(VERSIONED)


@pytest.mark.parametrize("label", VERSIONED)
def test_two_editors_saving_the_same_record_lose_nothing(world, label):
    """A and B open the same change form; A saves; B's save is refused with the conflict
    (a 200 form, not a redirect), A's change is stored and B's value is still in B's form."""
    app, name = label.split(".")
    obj = sample_objects(world)[label]
    url = reverse(f"admin:{app}_{name}_change", args=[obj.pk])
    a, b = superuser("alice"), superuser("bob")
    data_a, data_b = form_data(a.get(url)), form_data(b.get(url))
    assert 'name="version"' in a.get(url).content.decode()
    field = (
        next(
            name
            for name in ["text", "name", "title", "speaker_title", "location", "description"]
            if name in data_a
        )
        if label not in ("statements.stance", "statements.eventparticipant")
        else None
    )
    if field is None:  # no free text: change a choice
        field = "stance" if label == "statements.stance" else "role"
        values = ("questions", "denies") if field == "stance" else ("participant", "recipient")
    else:
        values = (f"{data_a[field]} (by A)", f"{data_a[field]} (by B)")
        if field == "text" and label == "statements.statement":
            field, values = "speaker_title", ("Title by A", "Title by B")
    data_a[field], data_b[field] = values
    first = a.post(url, data_a)
    assert first.status_code == 302, first.context and first.context["adminform"].form.errors
    second = b.post(url, data_b)
    assert second.status_code == 200
    page = second.content.decode()
    assert "Someone else saved this record by alice" in page
    stored = type(obj)._default_manager.values_list(field, flat=True).get(pk=obj.pk)
    assert stored == values[0]
    assert second.context["adminform"].form[field].value() == values[1]


def test_a_stale_revert_is_refused_too(world):
    statement = world.statement
    first = statement.history.order_by("history_id").first()
    statement.speaker_title = "Changed"
    statement.save()
    url = reverse(
        "admin:statements_statement_simple_history", args=[statement.pk, first.history_id]
    )
    client = superuser("rev")
    data = form_data(client.get(url))
    Statement.objects.get(pk=statement.pk).save()  # someone saves meanwhile
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    assert Statement.objects.get(pk=statement.pk).speaker_title == "Changed"


AUTOCOMPLETE_FIELDS = [
    ("statements", "statement", "speaker"),
    ("statements", "statement", "source"),
    ("statements", "statement", "recipients"),
    ("statements", "statement", "events"),
    ("statements", "stance", "statement"),
    ("statements", "stance", "claim"),
    ("actors", "actor", "parent"),
]


@pytest.mark.parametrize("term", ["a\x00b", "\x00", "x\x01y", "\x1b[31m"])
@pytest.mark.parametrize(("app", "model", "field"), AUTOCOMPLETE_FIELDS)
def test_autocomplete_with_a_control_character_is_a_400(world, term, app, model, field):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_superuser("ac", "ac@example.org", "pw"))
    params = {"term": term, "app_label": app, "model_name": model, "field_name": field}
    assert client.get(reverse("admin:autocomplete"), params).status_code == 400
    params["term"] = "a"
    assert client.get(reverse("admin:autocomplete"), params).status_code == 200
