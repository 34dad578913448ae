"""Database constraints of the statements app: each rejects a violating row."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, transaction
from django.db.models import ProtectedError

from statements.models import Event, Source, Stance, Statement, body_sha256

pytestmark = pytest.mark.django_db

# Triggers raise IntegrityError on PostgreSQL (check_violation) and on SQLite (RAISE(ABORT)).
DB_ERRORS = (IntegrityError, InternalError)


def rejected(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except DB_ERRORS:
        return True
    return False


def test_source_hash_is_computed_and_unique(make):
    source = make.source(body="Some text.")
    assert source.sha256 == body_sha256("Some text.")
    assert rejected(lambda: make.source(body="Some text."))


def test_source_url_unique_only_when_given(make):
    make.source(url="https://example.org/a")
    make.source(url="")
    make.source(url="")
    assert rejected(lambda: make.source(url="https://example.org/a"))


def test_span_must_not_be_empty(make):
    source = make.source(body="Blinken said something.")
    assert rejected(lambda: make.statement(source=source, span_start=5, span_end=5))
    assert rejected(lambda: make.statement(source=source, span_start=6, span_end=5))


def test_span_must_lie_inside_the_source_body(make):
    source = make.source(body="0123456789")
    make.statement(source=source, text="0123456789", span_start=0, span_end=10)
    assert rejected(lambda: make.statement(source=source, text="x", span_start=5, span_end=11))
    statement = make.statement(source=source, text="3", span_start=3, span_end=4)
    statement.span_end = 99
    assert rejected(lambda: statement.save())


def test_span_counts_characters_not_bytes(make):
    source = make.source(body="«Ёлки» 🎄 — said Ivan")
    assert len(source.body) == 20  # 29 bytes in UTF-8
    make.statement(source=source, text="«Ёлки» 🎄", span_start=0, span_end=8)
    make.statement(source=source, text="Ivan", span_start=16, span_end=20)
    assert rejected(lambda: make.statement(source=source, text="x", span_start=16, span_end=21))


def test_source_body_cannot_shrink_under_its_statements(make):
    source = make.source(body="A long enough body of text.")
    make.statement(source=source, text="body of text.", span_start=14, span_end=27)
    source.body = "Short."
    assert rejected(lambda: source.save())


def test_span_outside_body_is_a_form_error(make):
    source = make.source(body="short body")
    statement = Statement(
        source=source,
        speaker=make.actor(),
        text="x",
        span_start=0,
        span_end=50,
        said_on=datetime.date(2023, 9, 10),
    )
    with pytest.raises(ValidationError) as excinfo:
        statement.full_clean()
    assert "span_end" in excinfo.value.message_dict


def test_direct_quote_must_be_the_words_at_its_span(make):
    source = make.source(body="“We are concerned,” Blinken said.")
    statement = Statement(
        source=source,
        speaker=make.actor(),
        text="We are not concerned",
        mode="direct",
        span_start=0,
        span_end=19,
        said_on=datetime.date(2023, 9, 10),
    )
    with pytest.raises(ValidationError) as excinfo:
        statement.full_clean()
    assert "text" in excinfo.value.message_dict
    statement.text = "“We are concerned,”"
    statement.full_clean()


def test_choices_are_enforced_by_the_database(make):
    for field, bad in (
        ("mode", "shouted"),
        ("medium", "pigeon"),
        ("date_precision", "decade"),
        ("status", "secret"),
    ):
        assert rejected(lambda field=field, bad=bad: make.statement(**{field: bad})), field


def test_one_stance_per_statement_and_claim(make):
    statement, claim = make.statement(), make.claim()
    make.stance(statement, claim, "asserts")
    assert rejected(lambda: make.stance(statement, claim, "denies"))
    assert rejected(
        lambda: Stance.objects.create(statement=make.statement(), claim=claim, stance="maybe")
    )


def test_event_cannot_end_before_it_starts(make):
    assert rejected(
        lambda: make.event(start_date=datetime.date(2023, 9, 9), end_date=datetime.date(2023, 9, 8))
    )
    event = Event(
        title="Call",
        slug="call",
        start_date=datetime.date(2023, 9, 9),
        end_date=datetime.date(2023, 9, 8),
    )
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert "end_date" in excinfo.value.message_dict


def test_unique_slugs_for_claims_and_events(make):
    make.claim(slug="offensive")
    make.event(slug="phone-call")
    assert rejected(lambda: make.claim(slug="offensive"))
    assert rejected(lambda: make.event(slug="phone-call"))


def test_speakers_and_sources_are_protected_while_cited(make):
    statement = make.statement()
    with pytest.raises(ProtectedError):
        statement.speaker.delete()
    with pytest.raises(ProtectedError):
        statement.source.delete()
    statement.delete()
    statement.speaker.delete()
    statement.source.delete()
    assert not Source.objects.exists()


def test_tag_link_is_unique(make):
    statement = make.statement(tags=["lachin-corridor"])
    statement.tags.add("lachin-corridor")
    assert list(statement.tags.names()) == ["lachin-corridor"]
    link = statement.tagged_items.get()
    assert rejected(lambda: type(link).objects.create(content_object=statement, tag=link.tag))


def test_every_change_leaves_history(make):
    statement = make.statement(text="first")
    statement.text = "first!"
    statement.save()
    assert statement.history.count() == 2
    assert statement.history.first().text == "first!"
