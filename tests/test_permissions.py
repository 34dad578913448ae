"""The permission matrix: anonymous / staff without a group / editor / reviewer / admin ×
each model × list / view / add / change / delete / history, plus publish, merge, claim
status and export — each answers exactly as the roles say. Then the walk over every
admin URL, revert and action, with the database checked unchanged on each refusal."""

from __future__ import annotations

import pytest
from django.contrib import admin as django_admin
from django.contrib.auth.models import Group, User
from django.forms import CheckboxInput
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse

from actors.models import Actor
from statements.models import Claim, ClaimStatus, Source, Statement, Status
from tests.tracker.world import build_world

DOMAIN = [
    "actors.actor",
    "actors.alias",
    "actors.role",
    "statements.source",
    "statements.statement",
    "statements.claim",
    "statements.stance",
    "statements.event",
    "statements.eventparticipant",
    "taggit.tag",
]
ACCOUNTS = ["auth.user", "auth.group"]
ACTIONS = ["list", "view", "add", "change", "delete", "history"]
LOGIN = "login"  # a redirect to the login page


def expected(role: str, model: str, action: str):
    if role == "anonymous":
        return LOGIN
    if role == "staff":
        return 403  # staff without a group may open the admin, nothing in it
    if role == "admin":
        return 200
    if model in ACCOUNTS:
        return 403
    if action == "delete":
        return 200 if role == "reviewer" else 403
    return 200


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    return build_world(users=False)


def client_for(role: str) -> Client:
    client = Client(raise_request_exception=False)
    if role == "anonymous":
        return client
    if role == "admin":
        user = User.objects.create_superuser("boss", "boss@example.org", "pw")
    else:
        user = User.objects.create_user(role, f"{role}@example.org", "pw", is_staff=True)
        if role != "staff":
            user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return client


def sample_objects(w) -> dict:
    return {
        "actors.actor": w.actor,
        "actors.alias": w.actor.aliases.get(),
        "actors.role": w.actor.roles.get(),
        "statements.source": w.source,
        "statements.statement": w.statement,
        "statements.claim": w.claim,
        "statements.stance": w.statement.stances.get(),
        "statements.event": w.event,
        "statements.eventparticipant": w.event.participations.first(),
        "taggit.tag": w.tag,
        "auth.user": User.objects.create_user("someone", "s@example.org", "pw"),
        "auth.group": Group.objects.get(name="editor"),
    }


def answer(client: Client, url: str, action: str):
    response = client.get(url)
    if response.status_code == 302 and response["Location"].startswith(reverse("admin:login")):
        return LOGIN
    if response.status_code == 200 and action == "change":
        # A change page without a Save button is a read-only view, not a change.
        return 200 if 'name="_save"' in response.content.decode() else "read-only"
    return response.status_code


ROLES = ["anonymous", "staff", "editor", "reviewer", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_admin_matrix(world, role):
    client = client_for(role)
    objects = sample_objects(world)
    got, want = {}, {}
    for model in DOMAIN + ACCOUNTS:
        app, name = model.split(".")
        obj = objects[model]
        urls = {
            "list": reverse(f"admin:{app}_{name}_changelist"),
            "view": reverse(f"admin:{app}_{name}_change", args=[obj.pk]),
            "add": reverse(f"admin:{app}_{name}_add"),
            "change": reverse(f"admin:{app}_{name}_change", args=[obj.pk]),
            "delete": reverse(f"admin:{app}_{name}_delete", args=[obj.pk]),
            "history": reverse(f"admin:{app}_{name}_history", args=[obj.pk]),
        }
        for action in ACTIONS:
            got[(model, action)] = answer(client, urls[action], action)
            want[(model, action)] = expected(role, model, action)
    assert got == want


def post_action(client, app: str, model: str, action: str, objects, **extra):
    return client.post(
        reverse(f"admin:{app}_{model}_changelist"),
        {"action": action, "_selected_action": [o.pk for o in objects], **extra},
    )


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("staff", False),
        ("editor", False),
        ("reviewer", True),
        ("admin", True),
    ],
)
def test_publish_discard_merge_and_claim_status(world, role, allowed):
    client = client_for(role)
    draft = world.draft
    post_action(client, "statements", "statement", "publish", [draft])
    draft.refresh_from_db()
    assert (draft.status == Status.PUBLISHED) is allowed

    published = world.statement
    post_action(client, "statements", "statement", "discard", [published])
    published.refresh_from_db()
    assert (published.status == Status.DISCARDED) is allowed

    post_action(client, "statements", "claim", "set_status_refuted", [world.claim])
    assert (Claim.objects.get(pk=world.claim.pk).status == ClaimStatus.REFUTED) is allowed

    spare = Actor.objects.create(name="Duplicate", slug="duplicate")
    post_action(
        client,
        "actors",
        "actor",
        "merge_actors",
        [world.other, spare],
        post="yes",
        keep=str(world.other.pk),
    )
    assert (not Actor.objects.filter(pk=spare.pk).exists()) is allowed


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", LOGIN), ("staff", 403), ("editor", 403), ("reviewer", 302), ("admin", 302)],
)
def test_review_flow_publish(world, role, status):
    client = client_for(role)
    url = reverse("review:source_review", args=[world.source.pk])
    draft = world.draft
    prefix = f"s{draft.pk}"
    response = client.post(
        url,
        {
            "statement": str(draft.pk),
            "action": "publish",
            f"{prefix}-speaker": draft.speaker.slug,
            f"{prefix}-text": draft.text,
            f"{prefix}-mode": draft.mode,
            f"{prefix}-medium": draft.medium,
            f"{prefix}-said_on": draft.said_on.isoformat(),
            f"{prefix}-date_precision": draft.date_precision,
            f"{prefix}-span_start": draft.span_start,
            f"{prefix}-span_end": draft.span_end,
            f"{prefix}-version": draft.version or 0,  # the version the page was opened at
        },
    )
    got = response.status_code
    if got == 302 and response["Location"].startswith(reverse("admin:login")):
        got = LOGIN
    assert got == status
    draft.refresh_from_db()
    assert draft.status == (Status.PUBLISHED if status == 302 else Status.DRAFT)


@pytest.mark.parametrize("role", ROLES)
def test_everyone_may_export_published_data(world, role):
    client = client_for(role)
    for name in [
        "statements:statement_csv",
        "statements:claim_csv",
        "statements:event_csv",
        "actors:actor_csv",
    ]:
        response = client.get(reverse(name))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("text/csv")
        assert body.count(b"\n") >= 2, name  # header and at least one row
    assert Statement.objects.filter(status=Status.DRAFT).exists()


# --- the walk: every admin URL, revert and action, for every role


WALKED_APPS = {"actors", "statements", "taggit"}
REVIEWS = {"reviewer", "admin"}
# Guarded fields: the value a forged POST tries, and the permission-holders who may.
GUARDED = {
    "statements.source": ("status", Status.DISCARDED),
    "statements.statement": ("status", Status.DISCARDED),
    "statements.claim": ("status", ClaimStatus.REFUTED),
    "actors.actor": ("needs_review", True),
}


def walked_admins():
    return [
        (model, model_admin)
        for model, model_admin in django_admin.site._registry.items()
        if model._meta.app_label in WALKED_APPS
    ]


def stored(obj) -> dict | None:
    """The stored row, every column: a refusal must leave it exactly as it was."""
    return type(obj)._default_manager.filter(pk=obj.pk).values().first()


def status_of(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("admin:login")):
        return LOGIN
    return response.status_code


def form_data(response) -> dict:
    """What a browser submits from a rendered admin form (and its inlines), unchanged."""
    data: dict = {}
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.initial_forms)
    for form in forms:
        for field in form:
            value = field.value()
            if isinstance(field.field.widget, CheckboxInput):
                if value:
                    data[field.html_name] = "on"
                continue
            if isinstance(value, list | tuple):  # many-to-many: the ids
                data[field.html_name] = [str(getattr(item, "pk", item)) for item in value]
                continue
            formatted = field.field.widget.format_value(value)
            if formatted is not None:
                data[field.html_name] = formatted
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(formset.initial_forms))
    return data


def superuser_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("walker", "walker@example.org", "pw"))
    return client


@pytest.mark.parametrize("role", ROLES)
def test_revert_from_history_is_for_reviewers_on_every_model(world, role):
    """Reverting saves an old version whole: refused to all but reviewers, on every model,
    so that no one reverts a guarded field (a status) they may not set."""
    client, root = client_for(role), superuser_client()
    objects = sample_objects(world)
    reverted = 0
    for model, _ in walked_admins():
        if not hasattr(model, "history"):
            continue
        obj = objects[model._meta.label_lower]
        first = obj.history.order_by("history_id").first()
        guarded = GUARDED.get(model._meta.label_lower)
        if guarded:
            setattr(obj, guarded[0], guarded[1])
        obj.save()  # a second version, the guarded field moved on
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history",
            args=[obj.pk, first.history_id],
        )
        page = client.get(url)
        data = form_data(root.get(url))
        before = stored(obj)
        response = client.post(url, data)
        after = stored(obj)
        if role == "anonymous":
            assert (status_of(page), status_of(response)) == (LOGIN, LOGIN), model
        elif role == "staff":
            assert (page.status_code, response.status_code) == (403, 403), model
        elif role == "editor":
            assert page.status_code == 200, model
            assert 'name="_save"' not in page.content.decode(), model  # no Revert button
            assert response.status_code == 403, model
        else:
            assert 'name="_save"' in page.content.decode(), model
            assert response.status_code == 302, (
                model,
                response.context and response.context["adminform"].form.errors,
            )
            assert after["version"] == before["version"] + 1, model
            if guarded:
                assert after[guarded[0]] == getattr(first, guarded[0]), model
            reverted += 1
        if role not in REVIEWS:
            assert after == before, model
    assert reverted == (9 if role in REVIEWS else 0)


@pytest.mark.parametrize("role", ROLES)
def test_guarded_fields_hold_on_the_change_and_add_forms(world, role):
    """A forged POST of a source's or statement's status, a claim's status or an actor's
    review flag changes it only for those who hold its permission."""
    client, root = client_for(role), superuser_client()
    objects = sample_objects(world)
    objects["actors.actor"].needs_review = False
    objects["actors.actor"].save()
    for label, (field, value) in GUARDED.items():
        app, name = label.split(".")
        obj = objects[label]
        url = reverse(f"admin:{app}_{name}_change", args=[obj.pk])
        data = form_data(root.get(url))
        if field == "needs_review":
            data["needs_review"] = "on"
        else:
            data[field] = value
        before = stored(obj)
        response = client.post(url, data)
        after = stored(obj)
        if role in ("anonymous", "staff"):
            assert status_of(response) == (LOGIN if role == "anonymous" else 403), label
            assert after == before, label
            continue
        assert response.status_code == 302, (label, response.context["adminform"].form.errors)
        assert after[field] == (value if role in REVIEWS else before[field]), label

    # Adding: an editor's new source is a draft, an editor's new actor awaits review.
    response = client.post(
        reverse("admin:statements_source_add"),
        {
            "title": "Added",
            "body": "Body text.",
            "published_on": "2023-09-10",
            "language": "en",
            "status": "published",
        },
    )
    added = Source.objects.filter(title="Added").first()
    response = client.post(
        reverse("admin:actors_actor_add"),
        {
            "name": "Added Actor",
            "slug": "",
            "kind": "person",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
        },
    )
    actor = Actor.objects.filter(name="Added Actor").first()
    if role in ("anonymous", "staff"):
        assert added is None and actor is None
    else:
        assert added.status == (Status.PUBLISHED if role in REVIEWS else Status.DRAFT)
        assert actor.needs_review is (role not in REVIEWS)


@pytest.mark.parametrize("role", ROLES)
def test_delete_is_for_reviewers_on_every_model(world, role):
    client = client_for(role)
    objects = sample_objects(world)
    for model, _ in walked_admins():
        obj = objects[model._meta.label_lower]
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_delete", args=[obj.pk]
        )
        before = stored(obj)
        response = client.post(url, {"post": "yes"})
        if role in REVIEWS:
            # Deleted, or refused by a protecting relation (an actor who spoke).
            assert response.status_code in (200, 302), model
            assert (stored(obj) is None) == (response.status_code == 302), model
        else:
            assert status_of(response) == {"anonymous": LOGIN}.get(role, 403), model
            assert stored(obj) == before, model


def changelist_post(client, label: str, action: str, objects, **extra):
    app, name = label.split(".")
    return client.post(
        reverse(f"admin:{app}_{name}_changelist"),
        {"action": action, "_selected_action": [o.pk for o in objects], **extra},
    )


def all_actions() -> dict[str, set[str]]:
    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    return {
        model._meta.label_lower: set(model_admin.get_actions(request))
        for model, model_admin in walked_admins()
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_action_is_for_reviewers(world, role):
    """Each action of each admin (the list is checked complete): refused to anonymous,
    staff without a group and editors, with the database unchanged; done for reviewers."""
    actions = all_actions()
    claim_statuses = {f"set_status_{status.value}" for status in ClaimStatus}
    assert actions == {
        "actors.actor": {"delete_selected", "merge_actors", "approve"},
        "actors.alias": {"delete_selected"},
        "actors.role": {"delete_selected"},
        "statements.source": {"delete_selected"},
        "statements.statement": {"delete_selected", "publish", "discard"},
        "statements.claim": {"delete_selected"} | claim_statuses,
        "statements.stance": {"delete_selected"},
        "statements.event": {"delete_selected"},
        "statements.eventparticipant": {"delete_selected"},
        "taggit.tag": {"delete_selected"},
    }
    client = client_for(role)
    allowed = role in REVIEWS
    objects = sample_objects(world)

    # delete_selected: reviewers get the confirmation page; for others nothing happens.
    for label in actions:
        obj = objects[label]
        before = stored(obj)
        response = changelist_post(client, label, "delete_selected", [obj])
        templates = getattr(response, "template_name", None) or []
        confirms = any("delete_selected_confirmation" in name for name in templates)
        assert confirms is allowed, label
        assert stored(obj) == before, label
        if not allowed:
            changelist_post(client, label, "delete_selected", [obj], post="yes")
            assert stored(obj) == before, label

    def effect(label, action, obj, field, value, **extra):
        before = stored(obj)
        response = changelist_post(client, label, action, [obj] if obj else [], **extra)
        if role == "staff":
            assert response.status_code == 403, action
        if allowed:
            assert stored(obj)[field] == value, action
        else:
            assert stored(obj) == before, action

    effect("statements.statement", "publish", world.draft, "status", Status.PUBLISHED)
    effect("statements.statement", "discard", world.statement, "status", Status.DISCARDED)
    for status in ClaimStatus:
        other = ClaimStatus.DISPUTED if status != ClaimStatus.DISPUTED else ClaimStatus.REFUTED
        Claim.objects.filter(pk=world.claim.pk).update(status=other)
        effect("statements.claim", f"set_status_{status.value}", world.claim, "status", status)
    Actor.objects.filter(pk=world.other.pk).update(needs_review=True)
    effect("actors.actor", "approve", world.other, "needs_review", False)

    spare = Actor.objects.create(name="Duplicate", slug="duplicate")
    response = changelist_post(
        client,
        "actors.actor",
        "merge_actors",
        [world.other, spare],
        post="yes",
        keep=str(world.other.pk),
    )
    assert Actor.objects.filter(pk=spare.pk).exists() is not allowed


@pytest.mark.parametrize("role", ROLES)
def test_taggit_merge_page_is_gone(world, role):
    """taggit's tag merge checked no permission; it is not routed any more."""
    with pytest.raises(NoReverseMatch):
        reverse("admin:taggit_tag_merge_tags")
    response = client_for(role).get("/admin/taggit/tag/merge-tags/", follow=True)
    assert b"new_tag_name" not in response.content
