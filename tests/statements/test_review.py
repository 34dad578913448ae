"""The editor's review flow end to end: new source → drafts → edit → publish or discard."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from statements.models import Claim, Source, Stance, Statement, Status

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "karabakh-2023-09-10.txt"
# session, user, 2 permission sets, source, page count, rows, tags, stances, drafts count,
# discarded count, actors, claims
REVIEW_PAGE_QUERIES = 13
EDITOR_PERMS = (
    "add_source",
    "add_statement",
    "change_statement",
    "view_statement",
    "publish_statement",
)
EDITED_TEXT = "Washington asked both sides to open the corridors at once."


def staff(django_user_model, username: str, perms=EDITOR_PERMS):
    user = django_user_model.objects.create_user(username, password="x", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="statements", codename__in=perms)
    )
    return user


@pytest.fixture
def editor(django_user_model):
    return staff(django_user_model, "editor")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def create_source(client, **extra):
    data = {
        "title": "Blinken urges opening of corridors",
        "publisher": "RFE/RL",
        "url": "https://example.org/karabakh",
        "published_on": "",
        "text": SEED.read_text(encoding="utf-8"),
        **extra,
    }
    return client.post(reverse("review:source_new"), data)


def draft_data(statement: Statement, **changes) -> dict:
    values = {
        "speaker": statement.speaker.slug,
        "speaker_title": statement.speaker_title,
        "said_on": statement.said_on.isoformat(),
        "date_precision": statement.date_precision,
        "mode": statement.mode,
        "medium": statement.medium,
        "text": statement.text,
        "tags": "",
        "claim": "",
        "new_claim": "",
        "stance": "",
        # The version the page showed (a hidden field): the stored one, as if just opened.
        "version": Statement.objects.filter(pk=statement.pk).values_list("version", flat=True)[0]
        or 0,
        **changes,
    }
    action = values.pop("action", "save")
    data = {f"s{statement.pk}-{k}": v for k, v in values.items()}
    return {**data, "statement": statement.pk, "action": action}


def review_url(source: Source) -> str:
    return reverse("review:source_review", args=[source.pk])


def public_list_shows(client, text: str) -> bool:
    """Whether the public statement list (/statements/) shows ``text``."""
    response = client.get(reverse("statements:statement_list"))
    assert response.status_code == 200
    return text in response.content.decode()


def test_create_edit_publish_discard_end_to_end(editor_client, client, make):
    washington = make.actor("United States Government", slug="us-government")

    response = create_source(editor_client)

    source = Source.objects.get()
    assert response.status_code == 302 and response.url == review_url(source)
    assert (source.title, source.publisher, source.status) == (
        "Blinken urges opening of corridors",
        "RFE/RL",
        Status.DRAFT,
    )
    drafts = list(source.statements.order_by("span_start"))
    assert len(drafts) >= 10 and {d.status for d in drafts} == {Status.DRAFT}
    assert not Statement.objects.published().exists()

    page = editor_client.get(review_url(source)).content.decode()
    assert page.count('<section class="draft"') == len(drafts)
    assert '<mark class="ev-speaker"' in page and '<mark class="ev-cue"' in page
    assert '<mark class="ev-date"' in page  # "on Saturday" for Pashinian's offer

    first, second = drafts[0], drafts[-1]
    response = editor_client.post(
        review_url(source),
        draft_data(
            first,
            speaker="us-government",
            said_on="2023-09-09",
            date_precision="day",
            mode="indirect",
            text=EDITED_TEXT,
            tags="Lachin corridor, humanitarian",
            new_claim="Azerbaijan blocks the Lachin corridor.",
            stance="asserts",
            action="publish",
        ),
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.speaker, first.mode, str(first.said_on)) == (
        Status.PUBLISHED,
        washington,
        "indirect",
        "2023-09-09",
    )
    assert sorted(t.name for t in first.tags.all()) == ["Lachin corridor", "humanitarian"]
    assert Stance.objects.get(statement=first).claim == Claim.objects.get()
    assert list(Statement.objects.published()) == [first]
    source.refresh_from_db()
    assert source.status == Status.PUBLISHED

    response = editor_client.post(review_url(source), draft_data(second, action="discard"))
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == Status.DISCARDED
    assert second not in Statement.objects.published()
    assert Statement.objects.published().count() == 1

    client.logout()
    assert public_list_shows(client, EDITED_TEXT)
    assert not public_list_shows(client, escape(second.text[:40]))
    assert not public_list_shows(client, escape(drafts[1].text[:40]))  # still a draft
    assert client.get(first.get_absolute_url()).status_code == 200
    assert client.get(second.get_absolute_url()).status_code == 404


def test_upload_a_file_and_ingest_once(editor_client):
    upload = SimpleUploadedFile("report.txt", SEED.read_bytes(), content_type="text/plain")
    response = editor_client.post(
        reverse("review:source_new"),
        {"title": "", "publisher": "", "url": "", "published_on": "", "text": "", "file": upload},
    )
    assert response.status_code == 302
    count = Statement.objects.count()
    assert count >= 10

    again = create_source(editor_client, url="")
    assert again.status_code == 302
    assert Source.objects.count() == 1 and Statement.objects.count() == count


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        ({"text": ""}, "text", "Empty text"),
        ({"text": " date 2023-02-30 Blinken said so."}, "text", "Malformed date header"),
        ({"text": "Blinken said so."}, "published_on", "No publication date"),
        ({"url": "not a url"}, "url", "Enter a valid URL"),
    ],
)
def test_bad_source_answers_400_with_the_reason(editor_client, data, field, reason):
    response = create_source(editor_client, **data)

    assert response.status_code == 400
    assert reason in response.context["form"].errors[field][0]
    assert reason in response.content.decode()
    assert Source.objects.count() == 0


def test_non_utf8_upload_is_refused(editor_client):
    upload = SimpleUploadedFile("x.txt", " date 2023-09-10 Caf\xe9 said".encode("latin-1"))
    response = editor_client.post(
        reverse("review:source_new"), {"title": "", "published_on": "", "file": upload}
    )
    assert response.status_code == 400
    assert "not UTF-8" in response.context["form"].errors["file"][0]
    assert Source.objects.count() == 0


def test_extract_again_creates_no_duplicates(editor_client):
    create_source(editor_client)
    source = Source.objects.get()
    spans = sorted(source.statements.values_list("span_start", "span_end"))
    one = source.statements.first()
    editor_client.post(review_url(source), draft_data(one, action="discard"))

    response = editor_client.post(reverse("review:source_extract", args=[source.pk]))

    assert response.status_code == 302
    assert sorted(source.statements.values_list("span_start", "span_end")) == spans
    one.refresh_from_db()
    assert one.status == Status.DISCARDED
    assert editor_client.get(reverse("review:source_extract", args=[source.pk])).status_code == 405


def test_bad_edit_answers_400_and_changes_nothing(editor_client):
    create_source(editor_client)
    source = Source.objects.get()
    draft = source.statements.filter(mode="direct").first()

    response = editor_client.post(
        review_url(source),
        draft_data(draft, speaker="nobody-at-all", said_on="2023-02-30", action="publish"),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "No actor has the slug, name or alias" in page
    assert "Enter a valid date" in page
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT

    response = editor_client.post(
        review_url(source), draft_data(draft, text="Words nobody wrote.", action="publish")
    )
    assert response.status_code == 400
    assert "must be the words at its span" in response.content.decode()
    assert not Statement.objects.published().exists()


def test_escapes_source_text(editor_client):
    create_source(
        editor_client,
        text=' date 2024-01-05 "<script>alert(1)</script> is fine," the mayor said.',
        url="",
    )
    page = editor_client.get(review_url(Source.objects.get())).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_without_publish_permission_publish_and_discard_are_403(
    editor_client, client, django_user_model
):
    create_source(editor_client)
    source = Source.objects.get()
    draft = source.statements.first()
    clerk = staff(django_user_model, "clerk", perms=("change_statement", "view_statement"))
    client.force_login(clerk)

    for action in ("publish", "discard"):
        response = client.post(review_url(source), draft_data(draft, action=action))
        assert response.status_code == 403
    assert client.post(reverse("review:source_extract", args=[source.pk])).status_code == 403
    assert client.get(reverse("review:source_new")).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    page = client.get(review_url(source)).content.decode()
    assert 'value="save"' in page and 'value="publish"' not in page
    assert (
        client.post(review_url(source), draft_data(draft, speaker_title="Envoy")).status_code == 302
    )
    draft.refresh_from_db()
    assert draft.speaker_title == "Envoy" and draft.status == Status.DRAFT


def test_non_staff_are_sent_to_the_login(client, django_user_model, make):
    source = make.source()
    user = django_user_model.objects.create_user("reader", password="x")
    client.force_login(user)
    for url in (reverse("review:source_new"), review_url(source)):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url


def test_unknown_statement_or_action_is_400_or_404(editor_client, make):
    source = make.source()
    other = make.statement()
    url = review_url(source)
    assert editor_client.post(url, {"statement": "x", "action": "save"}).status_code == 400
    assert editor_client.post(url, {"statement": other.pk, "action": "zap"}).status_code == 400
    assert editor_client.post(url, {"statement": other.pk, "action": "save"}).status_code == 404


def test_review_page_query_budget(editor_client, make, django_assert_num_queries):
    create_source(editor_client)
    source = Source.objects.get()
    for draft in source.statements.all()[:3]:
        draft.tags.add("t1", "t2")
        make.stance(draft, make.claim())
    editor_client.get(review_url(source))  # warm the session

    with django_assert_num_queries(REVIEW_PAGE_QUERIES):
        response = editor_client.get(review_url(source))
    assert response.status_code == 200


def test_two_editors_saving_one_draft_the_second_is_told_and_loses_nothing(
    client, django_user_model
):
    """Both open the draft; A changes the medium, B the title. A's save wins; B's is
    refused with what A changed, B's form keeps B's edit, A's change stays stored."""
    a = Client()
    a.force_login(staff(django_user_model, "anna"))
    b = Client()
    b.force_login(staff(django_user_model, "boris"))
    create_source(a)
    source = Source.objects.get()
    draft = source.statements.order_by("span_start").first()
    opened_b = draft_data(draft, speaker_title="Deputy spokesperson")  # B opens now
    assert a.post(review_url(source), draft_data(draft, medium="interview")).status_code == 302
    response = b.post(review_url(source), opened_b)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Someone else saved this record by anna after you opened it" in html
    assert "(medium)" in html  # what A changed
    assert "Deputy spokesperson" in html  # B's edit is still in B's form
    draft.refresh_from_db()
    assert draft.medium == "interview" and draft.speaker_title != "Deputy spokesperson"


def test_review_pages_hold_a_bounded_number_of_drafts(editor_client, make):
    from statements.review.views import REVIEW_PAGE_SIZE

    source = make.source(body="The minister said the talks go on. " * 80, status="draft")
    for i in range(REVIEW_PAGE_SIZE + 5):
        make.statement(source=source, status="draft", span_start=i * 35, span_end=i * 35 + 30)
    first = editor_client.get(review_url(source)).content.decode()
    assert first.count('<section class="draft"') == REVIEW_PAGE_SIZE
    assert "Page 1 of 2" in first
    second = editor_client.get(review_url(source) + "?page=2").content.decode()
    assert second.count('<section class="draft"') == 5
