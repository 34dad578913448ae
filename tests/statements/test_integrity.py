"""A trustworthy record: bad texts refused with one line, the same text twice stored
once, impossible dates refused, merged actors' permalinks kept, corrections shown."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from actors.services import actor_merge
from statements.models import Source, Status
from statements.services import MAX_INGEST_CHARS, IngestError, source_ingest, text_prepare
from tracker.history import acting_as

pytestmark = pytest.mark.django_db

TEXT = "date 2023-09-10\nThe ministry said the talks would resume on Monday.\n"


@pytest.fixture
def editor_client(client, django_user_model):
    editor = django_user_model.objects.create_user("ed", is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    client.force_login(editor)
    return client


# -- control characters and size ------------------------------------------------------


@pytest.mark.parametrize("ch", ["\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85"])
def test_text_with_a_control_character_is_refused_with_its_offset(ch):
    with pytest.raises(IngestError, match="at offset 20"):
        text_prepare(text=TEXT[:20] + ch + TEXT[20:])


def test_tabs_and_line_breaks_are_text():
    assert text_prepare(text=TEXT.replace("ministry said", "ministry\tsaid") + "\r\n").body


def test_a_text_over_the_limit_is_refused():
    with pytest.raises(IngestError, match="at most 300,000 can be ingested"):
        text_prepare(text=TEXT + "x" * MAX_INGEST_CHARS)


def test_uploaded_file_with_a_nul_is_a_form_error(editor_client):
    upload = SimpleUploadedFile("report.txt", TEXT.replace("ministry", "mini\x00stry").encode())
    response = editor_client.post("/admin/review/sources/new/", {"file": upload})
    assert response.status_code == 400
    assert "contains a NUL byte at offset" in response.content.decode()
    assert not Source.objects.exists()


def test_ingest_command_refuses_a_nul_in_one_line(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(TEXT.replace("ministry", "mini\x00stry").encode())
    with pytest.raises(CommandError) as caught:
        call_command("ingest", str(path))
    assert "\n" not in str(caught.value) and "NUL byte at offset" in str(caught.value)
    assert not Source.objects.exists()


# -- the same text twice ----------------------------------------------------------------


def test_the_same_text_posted_twice_leads_to_the_stored_source(editor_client):
    first = editor_client.post("/admin/review/sources/new/", {"text": TEXT})
    assert first.status_code == 302
    second = editor_client.post("/admin/review/sources/new/", {"text": TEXT})
    assert second.status_code == 302 and second.url == first.url
    assert Source.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_the_same_text_ingested_at_once_is_stored_once():
    """Two writers race on the unique sha256: the loser finds the winner's source."""
    barrier, results, errors = threading.Barrier(2), [], []

    def ingest():
        try:
            barrier.wait()
            results.append(source_ingest(text=TEXT, published_on=None))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=ingest) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Source.objects.count() == 1
    assert sorted(r.created for r in results) == [False, True]
    assert {r.source.pk for r in results} == {Source.objects.get().pk}


def test_ingest_command_says_already_stored(tmp_path, capsys):
    path = tmp_path / "report.txt"
    path.write_text(TEXT)
    call_command("ingest", str(path))
    call_command("ingest", str(path))
    source = Source.objects.get()
    assert f"already stored as source {source.pk}" in capsys.readouterr().out


# -- dates ------------------------------------------------------------------------------


def test_said_after_the_source_was_published_is_refused(make):
    source = make.source(published_on=datetime.date(2023, 9, 10))
    statement = make.statement(source=source, said_on=datetime.date(2023, 9, 11))
    with pytest.raises(ValidationError) as caught:
        statement.full_clean()
    assert "after the source was published" in caught.value.message_dict["said_on"][0]
    statement.said_on = datetime.date(2023, 9, 10)
    statement.full_clean()


# -- merged actors --------------------------------------------------------------------------


def test_a_merged_actors_page_redirects_to_the_survivor(client, make):
    keep = make.actor("Nikol Pashinyan", slug="nikol-pashinyan")
    gone = make.actor("Nikol Pashinian", slug="nikol-pashinian")
    make.statement(speaker=gone)
    actor_merge(keep=keep, merge=[gone])
    response = client.get("/actors/nikol-pashinian/")
    assert response.status_code == 301 and response.url == "/actors/nikol-pashinyan/"
    # Merging the survivor again moves the old redirect along.
    final = make.actor("N. Pashinyan", slug="n-pashinyan")
    actor_merge(keep=final, merge=[keep])
    assert client.get("/actors/nikol-pashinian/").url == "/actors/n-pashinyan/"
    assert client.get("/actors/nikol-pashinyan/").url == "/actors/n-pashinyan/"
    assert client.get("/actors/never-was/").status_code == 404


# -- corrections ------------------------------------------------------------------------


def test_a_published_statement_edited_later_says_corrected(client, make):
    statement = make.statement(status=Status.DRAFT, text="Source body number")
    statement.text = "Source body"  # edits before publication are not corrections
    statement.save()
    statement.status = Status.PUBLISHED
    statement.save()
    html = client.get(f"/statements/{statement.pk}/").content.decode()
    assert "Corrected on" not in html
    with acting_as(user=None, reason="fix the quote"):
        statement.text = "Source body num"
        statement.save()
    html = client.get(f"/statements/{statement.pk}/").content.decode()
    assert "Corrected on" in html and "wording changed after publication" in html
    assert "Earlier wording" in html and "Source body</p>" in html


def test_a_headline_becomes_the_source_title_not_a_statement():
    text = (
        "date 2023-09-10\nMinistry Rejects Claims Of Troop Build-Up\n\n"
        "The Defence Ministry said on Sunday that no troops had moved toward the border.\n"
    )
    result = source_ingest(text=text, published_on=None)
    assert result.source.title == "Ministry Rejects Claims Of Troop Build-Up"
    assert all("Rejects" not in s.text for s in result.statements)


def test_an_unnamed_speaker_makes_no_actor_and_cannot_be_published(make):
    from actors.models import Actor
    from statements.services import UNRESOLVED_SPEAKER, statement_publish

    text = "date 2023-09-10\nThey said the talks would resume on Monday.\n"
    before = Actor.objects.count()
    result = source_ingest(text=text, published_on=None)
    assert result.statements, "the statement is kept as a draft"
    draft = result.statements[0]
    assert draft.speaker.slug == UNRESOLVED_SPEAKER and draft.speaker_as_printed == "They"
    assert Actor.objects.count() == before + 1  # only the one placeholder, once
    with pytest.raises(ValidationError):
        statement_publish(statements=[draft], user=None)


def test_a_role_word_resolves_to_the_registry_holder_on_that_date(make):
    from actors.models import Role

    un = make.actor("United Nations", kind="organization")
    before = make.actor("Ban Ki-moon")
    holder = make.actor("Antonio Gutierrez")
    Role.objects.create(
        actor=before,
        organization=un,
        title="Secretary-General of the United Nations",
        start_date=datetime.date(2007, 1, 1),
        end_date=datetime.date(2016, 12, 31),
    )
    Role.objects.create(
        actor=holder,
        organization=un,
        title="Secretary-General of the United Nations",
        start_date=datetime.date(2017, 1, 1),
    )
    text = (
        "date 2023-09-10\nThe Secretary-General reiterated his call for an immediate "
        "ceasefire and for humanitarian access.\n"
    )
    result = source_ingest(text=text, published_on=None)
    assert result.statements
    assert result.statements[0].speaker == holder
