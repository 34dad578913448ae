"""The actors admin: pages in a fixed number of queries, search and filters, readable
constraint errors, and the merge action with its confirmation page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from actors.models import Actor, ActorKind, Alias, AliasKind, Role
from statements.models import EventParticipant, Statement
from tests.admin_queries import count_queries, request_overhead

pytestmark = pytest.mark.django_db

EDITOR_APPS = ("actors", "statements", "taggit")

# Pinned query budgets: the same with 3 and with 30 rows (in the table, and aliases,
# roles and posts on the actor shown).
# Counted on top of the fixed cost of any logged-in admin request (session, user,
# and whatever middleware adds), measured on the admin's jsi18n page.
QUERY_BUDGETS = {
    "actor_changelist": 4,
    "actor_add": 2,
    "actor_change": 6,
    "alias_changelist": 4,
    "alias_add": 2,
    "alias_change": 4,
    "role_changelist": 6,
    "role_add": 2,
    "role_change": 6,
}


def make_staff(username: str, *, exclude: tuple[str, ...] = ()) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", None, is_staff=True)
    perms = Permission.objects.filter(content_type__app_label__in=EDITOR_APPS).exclude(
        codename__in=exclude
    )
    user.user_permissions.set(perms)
    return user


@pytest.fixture
def editor():
    return make_staff("editor")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def rows(response) -> set[int]:
    return {obj.pk for obj in response.context["cl"].result_list}


class World:
    def __init__(self, make):
        self.make = make
        self.state = make.actor("Armenia", kind=ActorKind.STATE, wikidata_id="Q399")
        self.actor = make.actor("Nikol Pashinyan", parent=self.state)
        self.alias = Alias.objects.create(actor=self.actor, name="Pashinyan")
        self.role = Role.objects.create(
            actor=self.actor, title="Prime Minister", organization=self.state
        )

    def grow(self, n: int) -> None:
        make = self.make
        for _ in range(n):
            body = make.actor(kind=ActorKind.GOVERNMENT, parent=self.state, wikidata_id="Q42")
            Alias.objects.create(actor=body, name=f"Alias of {body.pk}")
            Alias.objects.create(actor=self.actor, name=f"Nickname {body.pk}")
            Role.objects.create(actor=self.actor, title=f"Post {body.pk}", organization=body)
            Role.objects.create(actor=body, title="Member", organization=self.state)
            make.statement(speaker=body)
            make.statement(speaker=self.actor)


def page_urls(world: World) -> dict[str, str]:
    targets = {"actor": world.actor, "alias": world.alias, "role": world.role}
    urls = {}
    for model, obj in targets.items():
        urls[f"{model}_changelist"] = reverse(f"admin:actors_{model}_changelist")
        urls[f"{model}_add"] = reverse(f"admin:actors_{model}_add")
        urls[f"{model}_change"] = reverse(f"admin:actors_{model}_change", args=[obj.pk])
    return urls


def test_every_page_renders_in_a_budget_that_does_not_grow(editor_client, make):
    world = World(make)
    world.grow(3)
    urls = page_urls(world)
    for url in urls.values():  # warm the content-type cache
        editor_client.get(url)
    small = {page: count_queries(editor_client, url) for page, url in urls.items()}
    world.grow(27)
    large = {page: count_queries(editor_client, url) for page, url in urls.items()}
    assert large == small
    assert small == QUERY_BUDGETS


def test_actor_changelist_budget_with_django_assert_num_queries(
    editor_client, make, django_assert_num_queries
):
    world = World(make)
    world.grow(30)
    url = reverse("admin:actors_actor_changelist")
    editor_client.get(url)
    overhead = request_overhead(editor_client)
    with django_assert_num_queries(QUERY_BUDGETS["actor_changelist"] + overhead):
        response = editor_client.get(url)
    html = response.content.decode()
    assert 'href="https://www.wikidata.org/wiki/Q399"' in html
    row = next(a for a in response.context["cl"].result_list if a.pk == world.actor.pk)
    assert (row.alias_count, row.statement_count) == (31, 30)


def test_actor_search_and_filters(editor_client, make):
    armenia = make.actor("Armenia", kind=ActorKind.STATE, wikidata_id="Q399")
    pm = make.actor("Nikol Pashinyan", parent=armenia, needs_review=True)
    mod = make.actor("Ministry of Defence", kind=ActorKind.GOVERNMENT, parent=armenia)
    Alias.objects.create(actor=armenia, name="Yerevan", kind=AliasKind.METONYM)
    url = reverse("admin:actors_actor_changelist")
    assert rows(editor_client.get(url, {"q": "Yerevan"})) == {armenia.pk}
    assert rows(editor_client.get(url, {"q": "Q399"})) == {armenia.pk}
    assert rows(editor_client.get(url, {"q": "pashinyan"})) == {pm.pk}
    assert rows(editor_client.get(url, {"kind__exact": "government"})) == {mod.pk}
    assert rows(editor_client.get(url, {"needs_review__exact": "1"})) == {pm.pk}
    assert rows(editor_client.get(url, {"parent__kind": "state"})) == {pm.pk, mod.pk}

    url = reverse("admin:actors_alias_changelist")
    assert rows(editor_client.get(url, {"q": "Armenia"})) == set(
        Alias.objects.filter(actor=armenia).values_list("pk", flat=True)
    )
    assert rows(editor_client.get(url, {"kind__exact": "metonym"})) == set(
        Alias.objects.filter(name="Yerevan").values_list("pk", flat=True)
    )
    role = Role.objects.create(actor=pm, title="Prime Minister", organization=armenia)
    url = reverse("admin:actors_role_changelist")
    assert rows(editor_client.get(url, {"q": "Prime"})) == {role.pk}
    assert rows(editor_client.get(url, {"q": "Ministry"})) == set()


def test_autocomplete_finds_actors_by_alias(editor_client, make):
    armenia = make.actor("Armenia", kind=ActorKind.STATE)
    Alias.objects.create(actor=armenia, name="Yerevan", kind=AliasKind.METONYM)
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "yerev",
            "app_label": "statements",
            "model_name": "statement",
            "field_name": "speaker",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Armenia"]


def test_role_ending_before_it_starts_is_an_error_on_end_date(editor_client, make):
    actor = make.actor()
    response = editor_client.post(
        reverse("admin:actors_role_add"),
        {
            "actor": actor.pk,
            "title": "Minister",
            "start_date": "2023-09-10",
            "end_date": "2023-01-01",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["end_date"] == [
        "A role cannot end before it starts."
    ]
    assert not Role.objects.exists()


def test_duplicate_alias_ignoring_case_is_an_error_on_name(editor_client, make):
    actor = make.actor("Azerbaijan")
    Alias.objects.create(actor=actor, name="Baku")
    response = editor_client.post(
        reverse("admin:actors_alias_add"), {"actor": actor.pk, "name": "BAKU", "kind": "metonym"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [
        "This actor already has that alias."
    ]
    assert Alias.objects.count() == 1


def actor_post_data(actor: Actor | None = None, **changes) -> dict:
    data = {
        "name": actor.name if actor else "Azerbaijan",
        "slug": actor.slug if actor else "azerbaijan",
        "kind": actor.kind if actor else "state",
        "wikidata_id": "",
        "description": "",
        "version": (actor.version or 0) if actor else "",  # the version the form was opened at
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_inline_duplicate_aliases_and_bad_role_are_form_errors(editor_client, make):
    data = actor_post_data(
        **{
            "aliases-TOTAL_FORMS": "2",
            "aliases-0-name": "Baku",
            "aliases-0-kind": "metonym",
            "aliases-1-name": "BAKÚ",
            "aliases-1-kind": "metonym",
            "roles-TOTAL_FORMS": "1",
            "roles-0-title": "Head",
            "roles-0-start_date": "2023-09-10",
            "roles-0-end_date": "2023-09-01",
        }
    )
    response = editor_client.post(reverse("admin:actors_actor_add"), data)
    assert response.status_code == 200
    alias_formset, role_formset = (f.formset for f in response.context["inline_admin_formsets"])
    assert alias_formset.forms[1].errors["name"] == ["This actor already has that alias."]
    assert role_formset.forms[0].errors["end_date"] == ["A role cannot end before it starts."]
    assert not Actor.objects.exists()


def test_bad_wikidata_id_and_own_parent_are_form_errors(editor_client, make):
    actor = make.actor("Armenia")
    url = reverse("admin:actors_actor_change", args=[actor.pk])
    response = editor_client.post(url, actor_post_data(actor, wikidata_id="42", parent=actor.pk))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["parent"] == ["An actor cannot be its own parent."]
    assert errors["wikidata_id"] == ["A Wikidata id looks like Q42."]


def test_blank_slug_is_made_from_the_name_and_never_reuses_a_deleted_one(editor_client, make):
    url = reverse("admin:actors_actor_add")
    response = editor_client.post(url, actor_post_data(name="Ilham Aliyev", slug=""))
    assert response.status_code == 302
    first = Actor.objects.get(name="Ilham Aliyev")
    assert first.slug == "ilham-aliyev"
    first.delete()
    editor_client.post(url, actor_post_data(name="Ilham Aliyev", slug=""))
    assert Actor.objects.get(name="Ilham Aliyev").slug == "ilham-aliyev-2"


def test_editing_an_actor_leaves_history_naming_the_user(editor_client, editor, make):
    actor = make.actor("Armenia")
    url = reverse("admin:actors_actor_change", args=[actor.pk])
    response = editor_client.post(url, actor_post_data(actor, description="A state."))
    assert response.status_code == 302
    assert actor.history.order_by("-history_id").first().history_user == editor
    history = editor_client.get(reverse("admin:actors_actor_history", args=[actor.pk]))
    assert history.status_code == 200


def merge_post(client, actors, **extra):
    data = {"action": "merge_actors", "_selected_action": [a.pk for a in actors], **extra}
    return client.post(reverse("admin:actors_actor_changelist"), data)


def test_merge_action_confirms_then_merges(editor_client, editor, make):
    keep = make.actor("Nikol Pashinyan")
    dup = make.actor("Nikol Pashinian")
    for _ in range(3):
        make.statement(speaker=dup)
    event = make.event()
    EventParticipant.objects.create(event=event, actor=dup)

    page = merge_post(editor_client, [keep, dup])
    assert page.status_code == 200
    assert [t.name for t in page.templates][0] == "admin/actors/actor/merge.html"
    html = page.content.decode()
    assert 'name="keep"' in html and "Nikol Pashinian" in html
    dup_row = next(r for r in page.context["rows"] if r["actor"] == dup)
    assert dup_row["plan"].counts["statements"] == 3
    assert dup_row["plan"].counts["participations"] == 1

    done = merge_post(editor_client, [keep, dup], post="yes", keep=keep.pk)
    assert done.status_code == 302
    assert not Actor.objects.filter(pk=dup.pk).exists()
    assert Statement.objects.filter(speaker=keep).count() == 3
    assert keep.aliases.filter(name="Nikol Pashinian").exists()
    assert Statement.history.filter(speaker_id=keep.pk).latest("history_id").history_user == editor


def test_merge_action_needs_two_actors_and_a_valid_choice(editor_client, make):
    a, b, c = make.actor(), make.actor(), make.actor()
    response = merge_post(editor_client, [a])
    assert response.status_code == 302
    response = merge_post(editor_client, [a, b], post="yes", keep=c.pk)
    assert response.status_code == 200  # back to the confirmation page
    assert Actor.objects.count() == 3


def test_merge_action_refused_without_merge_permission(client, make):
    """Without actors.merge_actor the action is neither offered nor run."""
    client.force_login(make_staff("plain", exclude=("merge_actor",)))
    a, b = make.actor(), make.actor()
    changelist = client.get(reverse("admin:actors_actor_changelist"))
    assert 'value="merge_actors"' not in changelist.content.decode()
    response = merge_post(client, [a, b], post="yes", keep=a.pk)
    assert response.status_code == 302
    assert "No action selected" in client.get(response.url).content.decode()
    assert Actor.objects.count() == 2


def test_merge_action_that_fails_changes_nothing(editor_client, make, monkeypatch):
    keep, dup = make.actor("Keep"), make.actor("Dup")
    statements = [make.statement(speaker=dup) for _ in range(5)]
    calls = {"n": 0}
    original = Statement.save

    def failing(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            from django.db import DatabaseError

            raise DatabaseError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Statement, "save", failing)
    response = merge_post(editor_client, [keep, dup], post="yes", keep=keep.pk)
    assert response.status_code == 302
    assert Actor.objects.filter(pk=dup.pk).exists()
    assert Statement.objects.filter(speaker=dup).count() == len(statements)
    assert not keep.aliases.exists()


def test_seed_actors_render(editor_client, seed):
    response = editor_client.get(reverse("admin:actors_actor_changelist"))
    assert response.status_code == 200
    assert Actor.objects.exists()
