"""The statements admin: every page renders in a fixed number of queries; search,
filters, atomic permission-gated actions, history and readable validation errors."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.db import DatabaseError
from django.urls import reverse
from taggit.models import Tag

from actors.models import ActorKind
from statements.models import (
    Claim,
    ClaimStatus,
    Event,
    EventParticipant,
    Mode,
    Source,
    Stance,
    Statement,
    Status,
)
from tests.admin_queries import count_queries, request_overhead

EDITOR_APPS = ("actors", "statements", "taggit")

# Pinned query budgets, per page. The same number holds with 3 and with 30 rows
# (in the table and related to the object shown): nothing is fetched per row.
# Counted on top of the fixed cost of any logged-in admin request (session, user,
# and whatever middleware adds), measured on the admin's jsi18n page.
QUERY_BUDGETS = {
    # Includes date_hierarchy's MIN/MAX(said_on) and DISTINCT year queries.
    "statement_changelist": 8,
    "statement_add": 2,
    "statement_change": 12,
    "source_changelist": 8,
    "source_add": 2,
    "source_change": 3,
    "claim_changelist": 5,
    "claim_add": 2,
    "claim_change": 5,
    "stance_changelist": 4,
    "stance_add": 2,
    "stance_change": 7,
    "event_changelist": 7,
    "event_add": 2,
    "event_change": 7,
    "eventparticipant_changelist": 4,
    "eventparticipant_add": 2,
    "eventparticipant_change": 7,
    "tag_changelist": 5,
    "tag_add": 2,  # without taggit's generic TaggedItem inline (statements/admin/tags.py)
    "tag_change": 3,
}


def make_staff(username: str, *, exclude: tuple[str, ...] = ()) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", None, is_staff=True)
    perms = Permission.objects.filter(content_type__app_label__in=EDITOR_APPS).exclude(
        codename__in=exclude
    )
    user.user_permissions.set(perms)
    return user


@pytest.fixture
def editor(db):
    return make_staff("editor")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


class World:
    """Rows of every kind, growing by ``grow(n)``; ``target`` objects gain related rows too."""

    def __init__(self, make):
        self.make = make
        self.source = make.source(body="The minister said the border is calm tonight. " * 40)
        self.speaker = make.actor("Target Speaker")
        self.statement = make.statement(source=self.source, speaker=self.speaker)
        self.claim = make.claim("The border is calm")
        self.event = make.event("Target event")
        self.tag = Tag.objects.create(name="target-tag", slug="target-tag")
        self.stance = make.stance(self.statement, self.claim)
        self.participant = EventParticipant.objects.create(event=self.event, actor=self.speaker)

    def grow(self, n: int) -> None:
        make = self.make
        for _ in range(n):
            actor = make.actor(kind=ActorKind.STATE)
            source = make.source()
            statement = make.statement(
                source=source, speaker=actor, tags=[f"tag-{actor.pk}", "target-tag"]
            )
            statement.recipients.add(self.speaker)
            statement.events.add(self.event)
            claim = make.claim()
            make.stance(statement, claim, "denies")
            make.stance(statement, self.claim, "asserts")
            make.stance(self.statement, claim, "questions")
            event = make.event()
            event.sources.add(source)
            self.event.sources.add(source)
            EventParticipant.objects.create(event=event, actor=actor)
            EventParticipant.objects.create(event=self.event, actor=actor)
            self.statement.recipients.add(actor)
            self.statement.events.add(event)
            self.statement.tags.add(f"tag-{actor.pk}")


PAGES = {
    "statement": lambda w: w.statement.pk,
    "source": lambda w: w.source.pk,
    "claim": lambda w: w.claim.pk,
    "stance": lambda w: w.stance.pk,
    "event": lambda w: w.event.pk,
    "eventparticipant": lambda w: w.participant.pk,
    "tag": lambda w: w.tag.pk,
}


def page_urls(world: World) -> dict[str, str]:
    urls = {}
    for model, pk in PAGES.items():
        app = "taggit" if model == "tag" else "statements"
        urls[f"{model}_changelist"] = reverse(f"admin:{app}_{model}_changelist")
        urls[f"{model}_add"] = reverse(f"admin:{app}_{model}_add")
        urls[f"{model}_change"] = reverse(f"admin:{app}_{model}_change", args=[pk(world)])
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


def test_budgets_hold_with_django_assert_num_queries(
    editor_client, make, django_assert_num_queries
):
    world = World(make)
    world.grow(30)
    urls = page_urls(world)
    editor_client.get(urls["statement_changelist"])
    overhead = request_overhead(editor_client)
    for page in ("statement_changelist", "statement_change", "claim_changelist", "claim_change"):
        with django_assert_num_queries(QUERY_BUDGETS[page] + overhead):
            assert editor_client.get(urls[page]).status_code == 200


def test_statement_changelist_shows_speaker_precise_date_mode_and_tags(editor_client, make):
    speaker = make.actor("Ilham Aliyev")
    make.statement(
        speaker=speaker,
        said_on=datetime.date(2023, 9, 6),
        date_precision="week",
        mode=Mode.INDIRECT,
        tags=["landmines", "border"],
    )
    html = editor_client.get(reverse("admin:statements_statement_changelist")).content.decode()
    assert "Ilham Aliyev" in html
    assert "week of 4 Sep 2023" in html
    assert "border, landmines" in html
    assert "Paraphrase" in html


def rows(response) -> set[int]:
    return {obj.pk for obj in response.context["cl"].result_list}


def test_statement_search_and_filters_return_the_right_rows(editor_client, make):
    state = make.actor("Azerbaijan", kind=ActorKind.STATE)
    person = make.actor("Nikol Pashinyan")
    s1 = make.statement(speaker=state, tags=["landmines"], status=Status.DRAFT)
    s2 = make.statement(speaker=person, tags=["phone-call"], speaker_as_printed="the PM")
    url = reverse("admin:statements_statement_changelist")
    assert rows(editor_client.get(url, {"q": "Pashinyan"})) == {s2.pk}
    assert rows(editor_client.get(url, {"q": "the PM"})) == {s2.pk}
    assert rows(editor_client.get(url, {"status__exact": "draft"})) == {s1.pk}
    assert rows(editor_client.get(url, {"speaker__kind": "state"})) == {s1.pk}
    tag = Tag.objects.get(name="phone-call")
    assert rows(editor_client.get(url, {"tags__id__exact": tag.pk})) == {s2.pk}
    assert rows(editor_client.get(url, {"said_on__year": "2023"})) == {s1.pk, s2.pk}


def test_claim_columns_count_stances_by_kind(editor_client, make):
    claim = make.claim("Landmines were laid", status=ClaimStatus.DISPUTED)
    other = make.claim("Something else")
    for kind in ("asserts", "asserts", "denies"):
        make.stance(make.statement(), claim, kind)
    url = reverse("admin:statements_claim_changelist")
    response = editor_client.get(url, {"q": "landmines"})
    assert rows(response) == {claim.pk}
    row = response.context["cl"].result_list[0]
    assert (row.asserts_count, row.denies_count, row.questions_count) == (2, 1, 0)
    assert rows(editor_client.get(url, {"status__exact": "unverified"})) == {other.pk}


def test_source_and_event_search(editor_client, make):
    source = make.source(title="RFE/RL report", publisher="RFE/RL")
    make.source(title="Other report", publisher="Reuters")
    url = reverse("admin:statements_source_changelist")
    assert rows(editor_client.get(url, {"q": "RFE"})) == {source.pk}
    assert rows(editor_client.get(url, {"publisher": "RFE/RL"})) == {source.pk}
    event = make.event("Phone call with Blinken", kind="consult")
    make.event("Landmine incident", kind="assault")
    url = reverse("admin:statements_event_changelist")
    assert rows(editor_client.get(url, {"q": "Blinken"})) == {event.pk}
    assert rows(editor_client.get(url, {"kind__exact": "consult"})) == {event.pk}


def test_statement_change_page_shows_the_span_highlighted_and_escaped(editor_client, make):
    source = make.source(body="Before <b>bold</b> text. He said: the border is calm. After.")
    start = source.body.index("the border")
    statement = make.statement(
        source=source, text="the border is calm", span_start=start, span_end=start + 18
    )
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    html = editor_client.get(url).content.decode()
    assert "<mark>the border is calm</mark>" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def statement_post_data(statement: Statement, **changes) -> dict:
    data = {
        "speaker": statement.speaker_id,
        "speaker_as_printed": statement.speaker_as_printed,
        "speaker_title": statement.speaker_title,
        "text": statement.text,
        "mode": statement.mode,
        "medium": statement.medium,
        "tags": "",
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


def test_editing_a_statement_leaves_a_history_record_naming_the_user(editor_client, editor, make):
    statement = make.statement(speaker_title="Foreign minister")
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    response = editor_client.post(url, statement_post_data(statement, speaker_title="PM"))
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.speaker_title == "PM"
    latest = statement.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == editor
    assert latest.speaker_title == "PM"
    history = editor_client.get(reverse("admin:statements_statement_history", args=[statement.pk]))
    assert history.status_code == 200
    assert "editor" in history.content.decode()


def test_span_past_the_source_body_is_a_form_error(editor_client, make):
    source = make.source(body="Short body of forty characters, exactly.")
    statement = make.statement(source=source)
    url = reverse("admin:statements_statement_add")
    data = statement_post_data(statement, span_start=0, span_end=500)
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "past the source body" in errors["span_end"][0]
    assert Statement.objects.count() == 1


def test_shortening_a_source_body_under_its_spans_is_a_form_error(editor_client, make):
    source = make.source(body="x" * 200)
    make.statement(source=source, text="x" * 10, span_start=150, span_end=160)
    url = reverse("admin:statements_source_change", args=[source.pk])
    data = {
        "title": source.title,
        "publisher": "",
        "url": "",
        "published_on": "2023-09-10",
        "language": "en",
        "status": "published",
        "body": "x" * 100,
    }
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "span ends at 160" in response.context["adminform"].form.errors["body"][0]
    source.refresh_from_db()
    assert len(source.body) == 200


def test_event_end_before_start_and_duplicate_stance_are_form_errors(editor_client, make):
    url = reverse("admin:statements_event_add")
    data = {
        "title": "Talks",
        "slug": "talks",
        "kind": "consult",
        "start_date": "2023-09-10",
        "start_precision": "day",
        "end_date": "2023-09-01",
        "end_precision": "day",
        "participations-TOTAL_FORMS": "0",
        "participations-INITIAL_FORMS": "0",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["end_date"] == [
        "An event cannot end before it starts."
    ]
    assert not Event.objects.exists()

    stance = make.stance(make.statement(), make.claim())
    response = editor_client.post(
        reverse("admin:statements_stance_add"),
        {"statement": stance.statement_id, "claim": stance.claim_id, "stance": "denies"},
    )
    assert response.status_code == 200
    assert "already has a stance" in str(response.context["adminform"].form.errors)
    assert Stance.objects.count() == 1


def action(client, model: str, name: str, objects) -> object:
    return client.post(
        reverse(f"admin:statements_{model}_changelist"),
        {"action": name, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


def test_publish_action_publishes_and_records_who(editor_client, editor, make):
    drafts = [make.statement(status=Status.DRAFT) for _ in range(3)]
    response = action(editor_client, "statement", "publish", drafts)
    assert response.status_code == 200
    assert "Published 3 statement(s)." in response.content.decode()
    for statement in drafts:
        statement.refresh_from_db()
        assert statement.status == Status.PUBLISHED
        latest = statement.history.order_by("-history_id").first()
        assert latest.history_user == editor
        assert latest.history_change_reason == "published in the admin"


def test_an_action_failing_on_its_third_object_changes_nothing(editor_client, make, monkeypatch):
    drafts = [make.statement(status=Status.DRAFT) for _ in range(5)]
    history_before = Statement.history.count()
    calls = {"n": 0}
    original_save = Statement.save

    def failing_save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise DatabaseError("disk full")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Statement, "save", failing_save)
    response = action(editor_client, "statement", "publish", drafts)
    assert response.status_code == 200
    assert "Nothing was changed: disk full" in response.content.decode()
    assert calls["n"] == 3
    assert set(Statement.objects.values_list("status", flat=True)) == {Status.DRAFT}
    assert Statement.history.count() == history_before


def test_publishing_a_misquote_fails_whole_action_with_the_reason(editor_client, make):
    good = [make.statement(status=Status.DRAFT) for _ in range(2)]
    bad = make.statement(status=Status.DRAFT, mode=Mode.DIRECT, text="words never said")
    response = action(editor_client, "statement", "publish", [*good, bad])
    assert "must be the words at its span" in response.content.decode()
    assert Statement.objects.filter(status=Status.PUBLISHED).count() == 0


def test_publish_is_refused_without_the_publish_permission(db, client, make):
    client.force_login(make_staff("plain-editor", exclude=("publish_statement",)))
    drafts = [make.statement(status=Status.DRAFT) for _ in range(2)]
    changelist = client.get(reverse("admin:statements_statement_changelist"))
    assert changelist.status_code == 200
    assert 'value="publish"' not in changelist.content.decode()
    response = action(client, "statement", "publish", drafts)
    assert response.status_code == 200
    assert "No action selected" in response.content.decode()
    assert set(Statement.objects.values_list("status", flat=True)) == {Status.DRAFT}
    # Nor can the status be changed through the form.
    change = client.get(reverse("admin:statements_statement_change", args=[drafts[0].pk]))
    assert "status" not in change.context["adminform"].form.fields


def test_claim_status_action_is_gated_and_atomic(client, editor_client, make):
    claims = [make.claim() for _ in range(3)]
    response = action(editor_client, "claim", "set_status_confirmed", claims)
    assert "Set 3 claim(s) to Confirmed." in response.content.decode()
    assert set(Claim.objects.values_list("status", flat=True)) == {ClaimStatus.CONFIRMED}

    client.force_login(make_staff("no-status", exclude=("set_claim_status",)))
    response = action(client, "claim", "set_status_refuted", claims)
    assert "No action selected" in response.content.decode()
    assert set(Claim.objects.values_list("status", flat=True)) == {ClaimStatus.CONFIRMED}


def test_adding_a_statement_with_an_inline_stance_works_and_is_logged(editor_client, editor, make):
    source = make.source()
    speaker = make.actor()
    claim = make.claim()
    data = statement_post_data(
        Statement(
            source=source,
            speaker=speaker,
            text=source.body[:20],
            span_start=0,
            span_end=20,
            said_on=datetime.date(2023, 9, 10),
            mode=Mode.DIRECT,
            status=Status.DRAFT,
        ),
        tags="border, landmines",
        **{
            "stances-TOTAL_FORMS": "1",
            "stances-0-claim": claim.pk,
            "stances-0-stance": "asserts",
        },
    )
    response = editor_client.post(reverse("admin:statements_statement_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    statement = Statement.objects.get()
    assert sorted(statement.tags.names()) == ["border", "landmines"]
    assert statement.stances.get().claim == claim
    assert statement.history.first().history_user == editor
    assert LogEntry.objects.filter(user=editor).count() == 1


def test_source_change_page_has_the_review_hook(editor_client, make):
    source = make.source()
    response = editor_client.get(reverse("admin:statements_source_change", args=[source.pk]))
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "admin/statements/source/change_form.html"
    html = response.content.decode()
    assert source.sha256 in html
    assert f'href="{reverse("review:source_review", args=[source.pk])}"' in html


def test_seed_renders_in_the_admin(editor_client, seed):
    for model in ("statement", "source", "claim", "event", "stance", "eventparticipant"):
        response = editor_client.get(reverse(f"admin:statements_{model}_changelist"))
        assert response.status_code == 200
    assert Source.objects.count() >= 1


def test_two_inline_stances_on_one_claim_are_a_form_error(editor_client, make):
    statement = make.statement()
    claim = make.claim()
    data = statement_post_data(
        statement,
        **{
            "stances-TOTAL_FORMS": "2",
            "stances-0-claim": claim.pk,
            "stances-0-stance": "asserts",
            "stances-1-claim": claim.pk,
            "stances-1-stance": "denies",
        },
    )
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    response = editor_client.post(url, data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "Please correct the duplicate data" in str(formset.non_form_errors())
    assert not Stance.objects.exists()


def test_every_object_has_a_history_page(editor_client, make):
    world = World(make)
    world.grow(2)
    for model, pk in PAGES.items():
        if model == "tag":
            continue  # taggit's tags keep no history
        url = reverse(f"admin:statements_{model}_history", args=[pk(world)])
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert len(response.context["page_obj"].object_list) >= 1, url


def test_blank_claim_and_event_slugs_are_made_for_you(editor_client):
    response = editor_client.post(
        reverse("admin:statements_claim_add"),
        {
            "text": "Landmines were laid on the road",
            "slug": "",
            "status": "unverified",
            "stances-TOTAL_FORMS": "0",
            "stances-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert Claim.objects.get().slug == "landmines-were-laid-on-the-road"


def test_duplicate_source_url_is_an_error_on_url(editor_client, make):
    make.source(url="https://example.org/report")
    data = {
        "title": "Copy",
        "url": "https://example.org/report",
        "published_on": "2023-09-10",
        "language": "en",
        "status": "published",
        "body": "Some text.",
    }
    response = editor_client.post(reverse("admin:statements_source_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"] == [
        "Another source already has this URL."
    ]


def test_admin_index_names_the_site_and_lists_every_model(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "Statement Tracker admin" in html
    for name in ("Statements", "Sources", "Claims", "Stances", "Events", "Actors", "Aliases"):
        assert f">{name}</a>" in html, name


def test_statement_changelist_counts_past_the_cap(editor_client, make, monkeypatch):
    from statements import pagination as admin_paginator

    monkeypatch.setattr(admin_paginator, "COUNT_CAP", 2)
    for _ in range(4):
        make.statement()
    response = editor_client.get(reverse("admin:statements_statement_changelist"))
    assert response.status_code == 200
    # Past the cap: exact count is not run; PostgreSQL may use its estimate instead.
    assert response.context["cl"].result_count >= 3
    assert len(rows(response)) == 4


def test_statement_changelist_has_a_date_hierarchy(editor_client, make):
    make.statement(said_on=datetime.date(2023, 9, 10))
    response = editor_client.get(reverse("admin:statements_statement_changelist"))
    assert response.context["cl"].date_hierarchy == "said_on"
    assert "said_on__year=2023" in response.content.decode()


def test_the_date_hierarchy_probes_years_and_finds_what_distinct_finds(editor_client, make):
    for day in [(2019, 5, 1), (2021, 1, 1), (2021, 12, 31), (2024, 2, 29)]:
        make.statement(said_on=datetime.date(*day))
    make.statement(said_on=datetime.date(2022, 6, 1), mode="direct")
    response = editor_client.get(reverse("admin:statements_statement_changelist"))
    html = response.content.decode()
    for year in (2019, 2021, 2022, 2024):
        assert f"said_on__year={year}" in html
    assert "said_on__year=2020" not in html and "said_on__year=2023" not in html
    # Filtered: the years of the matching rows only, in both orders.
    filtered = response.context["cl"].queryset.filter(mode="direct")
    assert filtered.dates("said_on", "year") == [datetime.date(2022, 1, 1)]
    everything = response.context["cl"].queryset
    expected = list(Statement.objects.dates("said_on", "year", order="DESC"))
    assert everything.dates("said_on", "year", order="DESC") == expected
    assert len(expected) == 4
