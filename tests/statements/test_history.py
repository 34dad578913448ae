"""Edit history misses nothing (issue 5): every write path leaves a record naming who
(a user, or the command) and what changed; failing multi-object writes change nothing;
only reviewers revert a statement to an earlier version."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import DatabaseError
from django.db.models.signals import pre_delete
from django.test import Client
from django.urls import reverse

from actors.models import Actor, Alias
from statements.models import Claim, ClaimStatus, Stance, Statement, Status
from statements.services import statement_discard, statement_publish
from tracker.history import acting_as
from tracker.models import HistoricalTaggedStatement

SEED_TEXT = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "karabakh-2023-09-10.txt"


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def member(name: str, group: str | None) -> User:
    user = User.objects.create_user(name, f"{name}@example.org", "pw", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def reviewer(db):
    return member("rita", "reviewer")


@pytest.fixture
def editor(db):
    return member("eddie", "editor")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def latest(obj):
    return obj.history.order_by("-history_id").first()


def statement_form(statement: Statement, **changes) -> dict:
    data = {
        "speaker": statement.speaker_id,
        "speaker_as_printed": statement.speaker_as_printed,
        "speaker_title": statement.speaker_title,
        "text": statement.text,
        "mode": statement.mode,
        "medium": statement.medium,
        "tags": ", ".join(statement.tags.names()) if statement.pk else "",
        "said_on": statement.said_on.isoformat(),
        "date_precision": statement.date_precision,
        "source": statement.source_id,
        "span_start": statement.span_start,
        "span_end": statement.span_end,
        "status": statement.status,
        "version": statement.version or 0,  # the version the form was opened at
        "stances-TOTAL_FORMS": "0",
        "stances-INITIAL_FORMS": "0",
        "stances-MIN_NUM_FORMS": "0",
        "stances-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def changelist_action(client: Client, model: str, action: str, objects, app="statements", **extra):
    return client.post(
        reverse(f"admin:{app}_{model}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects], **extra},
        follow=True,
    )


# --- the admin: add, change (with a readable diff), inline, tags, delete, bulk delete


def test_admin_add_records_the_user(reviewer, make):
    response = client_for(reviewer).post(
        reverse("admin:statements_claim_add"),
        {
            "text": "The corridor is open",
            "slug": "corridor-open",
            "status": "unverified",
            "description": "",
            "tags": "corridor",
            "stances-TOTAL_FORMS": "0",
            "stances-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get(slug="corridor-open")
    record = latest(claim)
    assert (record.history_type, record.history_user) == ("+", reviewer)


def test_admin_change_records_user_and_a_field_by_field_diff(editor, make):
    statement = make.statement(speaker_title="Foreign minister", status=Status.DRAFT)
    client = client_for(editor)
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    response = client.post(url, statement_form(statement, speaker_title="Prime minister"))
    assert response.status_code == 302
    new, old = statement.history.order_by("-history_id")[:2]
    assert new.history_user == editor
    changes = {c.field: (c.old, c.new) for c in new.diff_against(old).changes}
    assert changes["speaker_title"] == ("Foreign minister", "Prime minister")

    page = client.get(reverse("admin:statements_statement_history", args=[statement.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(
        r"<strong>Speaker title:</strong>\s*<del>Foreign</del> minister\s*"
        r"&nbsp;&rarr;&nbsp;&nbsp;<ins>Prime</ins> minister",
        html,
    )
    assert "eddie" in html


def test_inline_edit_records_the_user(editor, make):
    statement = make.statement(status=Status.DRAFT)
    claim = make.claim()
    data = statement_form(
        statement,
        **{"stances-TOTAL_FORMS": "1", "stances-0-claim": claim.pk, "stances-0-stance": "denies"},
    )
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    assert client_for(editor).post(url, data).status_code == 302
    stance = Stance.objects.get(statement=statement)
    assert (latest(stance).history_type, latest(stance).history_user) == ("+", editor)


def test_tag_changes_are_recorded_with_the_user(editor, make):
    statement = make.statement(status=Status.DRAFT, tags=["border"])
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    response = client_for(editor).post(url, statement_form(statement, tags="ceasefire"))
    assert response.status_code == 302
    assert list(statement.tags.names()) == ["ceasefire"]
    records = HistoricalTaggedStatement.objects.filter(content_object_id=statement.pk)
    by_type = {(r.history_type, r.tag.name): r.history_user for r in records}
    assert by_type[("-", "border")] == editor
    assert by_type[("+", "ceasefire")] == editor


def test_tag_changes_in_code_are_recorded_too(db, make):
    statement = make.statement()
    with acting_as(reason="script"):
        statement.tags.add("truce")
        statement.tags.remove("truce")
    types = list(
        HistoricalTaggedStatement.objects.filter(content_object_id=statement.pk)
        .order_by("history_id")
        .values_list("history_type", "history_change_reason")
    )
    assert types == [("+", "script"), ("-", "script")]


def test_admin_delete_records_the_user(reviewer, make):
    claim = make.claim()
    url = reverse("admin:statements_claim_delete", args=[claim.pk])
    assert client_for(reviewer).post(url, {"post": "yes"}).status_code == 302
    assert not Claim.objects.filter(pk=claim.pk).exists()
    record = Claim.history.filter(id=claim.pk).order_by("-history_id").first()
    assert (record.history_type, record.history_user) == ("-", reviewer)


def test_bulk_delete_records_each_object(reviewer, make):
    claims = [make.claim() for _ in range(3)]
    response = changelist_action(
        client_for(reviewer), "claim", "delete_selected", claims, post="yes"
    )
    assert response.status_code == 200
    assert Claim.objects.count() == 0
    deleted = Claim.history.filter(history_type="-").values_list("id", "history_user")
    assert sorted(deleted) == sorted((c.pk, reviewer.pk) for c in claims)


# --- custom actions, services, merge, commands


def test_publish_and_discard_actions_record_the_reviewer(reviewer, make):
    drafts = [make.statement(status=Status.DRAFT) for _ in range(2)]
    client = client_for(reviewer)
    changelist_action(client, "statement", "publish", drafts[:1])
    changelist_action(client, "statement", "discard", drafts[1:])
    for statement, status in zip(drafts, [Status.PUBLISHED, Status.DISCARDED], strict=True):
        record = latest(statement)
        assert (record.status, record.history_user) == (status, reviewer)
        assert record.history_change_reason


def test_claim_status_action_records_the_reviewer(reviewer, make):
    claim = make.claim()
    changelist_action(client_for(reviewer), "claim", "set_status_refuted", [claim])
    record = latest(claim)
    assert (record.status, record.history_user) == (ClaimStatus.REFUTED, reviewer)


def test_publish_and_discard_services_record_who(reviewer, make):
    one, two = make.statement(status=Status.DRAFT), make.statement(status=Status.DRAFT)
    statement_publish(statements=[one], user=reviewer)
    statement_discard(statements=[two], user=reviewer)
    assert (latest(one).status, latest(one).history_user) == (Status.PUBLISHED, reviewer)
    assert (latest(two).status, latest(two).history_user) == (Status.DISCARDED, reviewer)


def test_merge_action_records_every_moved_row(reviewer, make):
    keep, dup = make.actor("Nikol Pashinyan"), make.actor("Nikol Pashinian")
    statement = make.statement(speaker=dup)
    response = changelist_action(
        client_for(reviewer),
        "actor",
        "merge_actors",
        [keep, dup],
        app="actors",
        post="yes",
        keep=str(keep.pk),
    )
    assert response.status_code == 200
    statement.refresh_from_db()
    assert statement.speaker == keep
    assert (latest(statement).speaker_id, latest(statement).history_user) == (keep.pk, reviewer)
    gone = Actor.history.filter(id=dup.pk).order_by("-history_id").first()
    assert (gone.history_type, gone.history_user) == ("-", reviewer)
    alias = Alias.objects.get(actor=keep, name="Nikol Pashinian")
    assert latest(alias).history_user == reviewer


def test_ingest_command_names_itself_in_history(db):
    call_command("ingest", str(SEED_TEXT), verbosity=0)
    statements = Statement.objects.all()
    assert statements.exists()
    for statement in statements:
        record = latest(statement)
        assert record.history_type == "+"
        assert "ingest" in record.history_change_reason
    source = statements.first().source
    assert "ingest" in latest(source).history_change_reason


def test_any_management_command_names_itself(db):
    """A command that does not say who it is still leaves its name (and OS user)."""
    call_command("loaddata", "fixtures/karabakh-2023-09-10.json", verbosity=0)
    reasons = set(Statement.history.values_list("history_change_reason", flat=True))
    assert reasons
    assert all(reason.startswith("manage.py loaddata (by ") for reason in reasons)
    assert Actor.history.count() >= Actor.objects.count()


def test_code_outside_a_request_can_name_its_user(reviewer, make):
    with acting_as(user=reviewer, reason="nightly fix-up"):
        claim = make.claim()
    record = latest(claim)
    assert (record.history_user, record.history_change_reason) == (reviewer, "nightly fix-up")


# --- all or nothing


def _fail_on_third(monkeypatch, model, method="save"):
    original = getattr(model, method)
    calls = {"n": 0}

    def failing(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise DatabaseError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(model, method, failing)
    return calls


@pytest.mark.parametrize("action", ["publish", "discard"])
def test_statement_action_failing_on_its_third_object_changes_nothing(
    reviewer, make, monkeypatch, action
):
    drafts = [make.statement(status=Status.DRAFT) for _ in range(4)]
    history_before = Statement.history.count()
    calls = _fail_on_third(monkeypatch, Statement)
    response = changelist_action(client_for(reviewer), "statement", action, drafts)
    assert calls["n"] == 3
    assert "Nothing was changed" in response.content.decode()
    assert set(Statement.objects.values_list("status", flat=True)) == {Status.DRAFT}
    assert Statement.history.count() == history_before


def test_claim_status_action_failing_on_its_third_object_changes_nothing(
    reviewer, make, monkeypatch
):
    claims = [make.claim() for _ in range(4)]
    calls = _fail_on_third(monkeypatch, Claim)
    changelist_action(client_for(reviewer), "claim", "set_status_confirmed", claims)
    assert calls["n"] == 3
    assert set(Claim.objects.values_list("status", flat=True)) == {ClaimStatus.UNVERIFIED}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bulk_delete_failing_on_its_third_object_changes_nothing(make):
    """No test transaction around it: the deletion's own transaction must roll back."""
    admin = User.objects.create_superuser("root", "root@example.org", "pw")
    claims = [make.claim() for _ in range(4)]
    seen = []

    def fail_third(sender, instance, **kwargs):
        seen.append(instance.pk)
        if len(seen) == 3:
            raise DatabaseError("disk full")

    pre_delete.connect(fail_third, sender=Claim, dispatch_uid="fail-third")
    try:
        with pytest.raises(DatabaseError):
            changelist_action(client_for(admin), "claim", "delete_selected", claims, post="yes")
    finally:
        pre_delete.disconnect(dispatch_uid="fail-third", sender=Claim)
    assert len(seen) == 3
    assert Claim.objects.count() == 4
    assert not Claim.history.filter(history_type="-").exists()


# --- revert


def _revert(client: Client, statement: Statement, version) -> object:
    url = reverse("admin:statements_statement_simple_history", args=[statement.pk, version.pk])
    old = version.instance
    stored = Statement.objects.get(pk=statement.pk).version  # a revert edits the stored row
    return client.post(url, statement_form(old, tags="", version=stored))


def test_reviewer_reverts_a_statement_and_the_revert_is_recorded(reviewer, make):
    statement = make.statement(status=Status.DRAFT)
    original_text = statement.text
    first = latest(statement)
    statement.text = statement.source.body[:15]
    statement.span_end = 15
    statement.save()
    client = client_for(reviewer)
    form = client.get(
        reverse("admin:statements_statement_simple_history", args=[statement.pk, first.pk])
    )
    assert form.status_code == 200
    assert 'name="_save"' in form.content.decode()  # the Revert button
    response = _revert(client, statement, first)
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.text == original_text
    record = latest(statement)
    assert record.history_user == reviewer
    assert record.history_change_reason == f"Reverted to version {first.pk}"


def test_editor_cannot_revert(editor, make):
    statement = make.statement(status=Status.DRAFT)
    first = latest(statement)
    statement.text = statement.source.body[:15]
    statement.span_end = 15
    statement.save()
    client = client_for(editor)
    form = client.get(
        reverse("admin:statements_statement_simple_history", args=[statement.pk, first.pk])
    )
    assert form.status_code == 200
    assert 'name="_save"' not in form.content.decode()
    assert _revert(client, statement, first).status_code == 403
    statement.refresh_from_db()
    assert statement.text == statement.source.body[:15]


# --- the history page: whole texts, and the stances and tags changed around a statement


def test_history_shows_a_late_edit_in_a_long_text_whole(reviewer, make):
    statement = make.statement()
    words = " ".join(f"word{i}" for i in range(120))
    statement.text = words
    statement.save()
    statement.text = words.replace("word119", "changedlast")
    statement.save()
    page = client_for(reviewer).get(
        reverse("admin:statements_statement_history", args=[statement.pk])
    )
    html = page.content.decode()
    assert "<del>word119</del>" in html
    assert "<ins>changedlast</ins>" in html
    assert "word0 word1 word2" in html  # the start of the text too: nothing cut short


def test_history_lists_stance_and_tag_changes_with_who_and_why(reviewer, editor, make):
    statement = make.statement()
    claim = make.claim("The corridor is closed")
    with acting_as(user=editor, reason="review of the report"):
        stance = Stance.objects.create(statement=statement, claim=claim, stance="asserts")
        statement.tags.add("blockade")
    with acting_as(user=reviewer, reason="checked the video"):
        stance.stance = "denies"
        stance.save()
    page = client_for(reviewer).get(
        reverse("admin:statements_statement_history", args=[statement.pk])
    )
    rows = page.context["related_changes"]
    assert [(row.what, str(row.user), row.reason) for row in rows] == [
        ("Stance changed: denies “The corridor is closed”", "rita", "checked the video"),
        ("Tag added: blockade", "eddie", "review of the report"),
        ("Stance added: asserts “The corridor is closed”", "eddie", "review of the report"),
    ]
    html = page.content.decode()
    assert "Tag added: blockade" in html and "checked the video" in html
