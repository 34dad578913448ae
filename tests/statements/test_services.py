"""The ingest and review services: offsets, idempotence, speakers, drafts, history."""

from __future__ import annotations

import datetime

import pytest

from actors.models import Actor, ActorKind, Alias, Role
from statements import services
from statements.extraction import ActorName, Extracted, Span
from statements.models import Claim, Source, Stance, Statement, Status
from statements.services import (
    IngestError,
    guess_kind,
    source_ingest,
    statement_discard,
    statement_extract,
    statement_publish,
    statement_update,
)

HEADER = " date 2024-03-03 "
BODY = "Jane Roe said on Friday that the bridge would reopen. The council denied it."
TEXT = HEADER + BODY
DAY = datetime.date(2024, 3, 3)


def span(text: str, words: str, start_at: int = 0) -> Span:
    start = text.index(words, start_at)
    return Span(start, start + len(words), words)


def fake_items(text: str, published_on: datetime.date, registry=()) -> list[Extracted]:
    """What a perfect extractor returns for TEXT, offsets into the text it was given."""
    return [
        Extracted(
            speaker="Jane Roe",
            speaker_mention=span(text, "Jane Roe"),
            speaker_title="",
            cue=span(text, "said"),
            content=span(text, "the bridge would reopen"),
            mode="indirect",
            said_on=datetime.date(2024, 3, 1),
            date_precision="day",
            date_evidence=span(text, "on Friday"),
            medium="other",
        ),
        Extracted(
            speaker="The council",
            speaker_mention=span(text, "The council"),
            speaker_title="",
            cue=span(text, "denied"),
            content=span(text, "it."),
            mode="indirect",
            said_on=published_on,
            date_precision="on_or_before",
            date_evidence=None,
            medium="other",
        ),
    ]


@pytest.fixture
def fake_extract(monkeypatch):
    monkeypatch.setattr(services, "extract", fake_items)


def test_ingest_stores_a_draft_source_and_drafts_in_body_offsets(db, fake_extract):
    result = source_ingest(text=TEXT, published_on=None, title="Bridge")

    source = result.source
    assert result.created and source.body == BODY and source.published_on == DAY
    assert source.status == Status.DRAFT
    first = Statement.objects.get(source=source, speaker__name="Jane Roe")
    assert source.body[first.span_start : first.span_end] == "the bridge would reopen"
    assert first.text == "the bridge would reopen"
    assert first.status == Status.DRAFT
    assert (first.said_on, first.date_precision) == (datetime.date(2024, 3, 1), "day")
    evidence = first.extraction
    for key, words in (("mention", "Jane Roe"), ("cue", "said"), ("date_evidence", "on Friday")):
        assert BODY[evidence[key]["start"] : evidence[key]["end"]] == words
    assert evidence["content"]["start"] == first.span_start


def test_ingest_twice_changes_nothing(db, fake_extract):
    source_ingest(text=TEXT, published_on=None)
    counts = (Source.objects.count(), Statement.objects.count(), Actor.objects.count())

    again = source_ingest(text=TEXT, published_on=None, title="Another title")

    assert again.unchanged and again.statements == []
    assert (Source.objects.count(), Statement.objects.count(), Actor.objects.count()) == counts
    assert Source.objects.get().title != "Another title"


def test_explicit_date_wins_over_the_header(db, fake_extract):
    result = source_ingest(text=TEXT, published_on=datetime.date(2024, 3, 4))
    assert result.source.published_on == datetime.date(2024, 3, 4)


@pytest.mark.parametrize(
    ("text", "published_on", "reason"),
    [
        ("", DAY, "empty text"),
        ("   \n ", DAY, "empty text"),
        (" date 2024-03-03 \n  ", None, "empty text"),
        (" date 2024-13-45 Someone said so.", None, "malformed date header"),
        ("Someone said so.", None, "no publication date"),
    ],
)
def test_bad_text_stores_nothing(db, text, published_on, reason):
    with pytest.raises(IngestError, match=reason) as caught:
        source_ingest(text=text, published_on=published_on)
    assert "\n" not in str(caught.value)
    assert (Source.objects.count(), Statement.objects.count(), Actor.objects.count()) == (0, 0, 0)


def test_url_of_another_source_is_refused(db, fake_extract, make):
    make.source(url="https://example.org/a")
    with pytest.raises(IngestError, match="already has the URL"):
        source_ingest(text=TEXT, published_on=None, url="https://example.org/a")
    assert Statement.objects.count() == 0


def test_speakers_resolve_through_names_and_aliases(db, fake_extract, make):
    jane = make.actor("Jane Roe")
    council = make.actor("City Council", kind=ActorKind.GOVERNMENT)
    Alias.objects.create(actor=council, name="the council")

    result = source_ingest(text=TEXT, published_on=None)

    assert {s.speaker for s in result.statements} == {jane, council}
    assert result.new_actors == []
    assert Actor.objects.count() == 2


def test_unknown_speakers_become_actors_marked_for_review(db, fake_extract, make):
    make.actor("Somebody Else", slug="jane-roe")  # the natural slug is taken

    result = source_ingest(text=TEXT, published_on=None)

    jane = Actor.objects.get(name="Jane Roe")
    assert jane.needs_review and jane.slug == "jane-roe-2" and jane.kind == ActorKind.PERSON
    council = Statement.objects.get(speaker_as_printed="The council").speaker
    assert council.needs_review and council.kind == ActorKind.ORGANIZATION
    assert set(result.new_actors) == {jane, council}


def test_title_comes_from_the_role_held_that_day(db, fake_extract, make):
    jane = make.actor("Jane Roe")
    Role.objects.create(actor=jane, title="Mayor", start_date=datetime.date(2020, 1, 1))
    Role.objects.create(
        actor=jane,
        title="Councillor",
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2019, 12, 31),
    )

    source_ingest(text=TEXT, published_on=None)

    assert Statement.objects.get(speaker=jane).speaker_title == "Mayor"


def test_extract_again_never_duplicates(db, fake_extract, make):
    result = source_ingest(text=TEXT, published_on=None)
    discarded = result.statements[0]
    statement_discard(statements=[discarded], user=None)

    again = statement_extract(source=result.source)

    assert again.statements == []
    assert Statement.objects.filter(source=result.source).count() == 2
    discarded.refresh_from_db()
    assert discarded.status == Status.DISCARDED


def test_extract_fills_in_missing_spans_only(db, fake_extract, make):
    source = make.source(body=BODY)
    words = span(BODY, "the bridge would reopen")
    make.statement(source=source, text=words.text, span_start=words.start, span_end=words.end)

    result = statement_extract(source=source)

    assert [s.text for s in result.statements] == ["it."]


def test_publish_publishes_the_source_and_leaves_history(db, fake_extract, django_user_model):
    editor = django_user_model.objects.create_user("ed", is_staff=True)
    result = source_ingest(text=TEXT, published_on=None, user=editor, origin="test ingest")
    first, second = result.statements

    statement_publish(statements=[first], user=editor)
    statement_discard(statements=[second], user=editor)

    assert list(Statement.objects.published()) == [first]
    record = first.history.first()
    assert (record.history_user, record.history_change_reason) == (editor, "published")
    assert result.source.history.first().status == Status.PUBLISHED
    assert result.source.history.last().history_change_reason == "test ingest"
    assert second.history.first().status == Status.DISCARDED


def test_publish_refuses_a_direct_quote_not_in_the_source(db, fake_extract):
    from django.core.exceptions import ValidationError

    statement = source_ingest(text=TEXT, published_on=None).statements[0]
    statement.mode, statement.text = "direct", "words nobody wrote"
    statement.save()

    with pytest.raises(ValidationError):
        statement_publish(statements=[statement], user=None)
    assert not Statement.objects.published().exists()


def test_update_sets_speaker_tags_and_a_new_claim(db, fake_extract, make):
    statement = source_ingest(text=TEXT, published_on=None).statements[0]
    other = make.actor("John Doe")

    statement_update(
        statement=statement,
        user=None,
        speaker=other,
        tags=["bridges", "Traffic"],
        new_claim="The bridge will reopen soon.",
        stance="asserts",
    )

    statement.refresh_from_db()
    assert statement.speaker == other
    assert sorted(t.name for t in statement.tags.all()) == ["Traffic", "bridges"]
    stance = Stance.objects.get(statement=statement)
    assert (stance.claim.text, stance.stance) == ("The bridge will reopen soon.", "asserts")
    claim = Claim.objects.get()
    statement_update(statement=statement, user=None, speaker=other, claim=claim, stance="denies")
    assert Stance.objects.get(statement=statement).stance == "denies"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Nikol Pashinian", ActorKind.PERSON),
        ("An aide to Aliyev", ActorKind.PERSON),
        ("The Azerbaijani military", ActorKind.MILITARY),
        ("Armenian government", ActorKind.GOVERNMENT),
        ("Greenpeace", ActorKind.ORGANIZATION),
    ],
)
def test_guess_kind(name, kind):
    assert guess_kind(name) == kind


def test_registry_keeps_only_actors_a_text_could_name():
    registry = services.Registry(
        [
            ActorName("armenia", ("Armenia",), "state"),
            ActorName("nikol-pashinian", ("Nikol Pashinian", "Pashinyan"), "person"),
            ActorName("jane-roe", ("Jane Roe",), "person"),
            ActorName("france", ("France",), "state"),
        ]
    )

    kept = registry.for_text("The Armenian leader, Pashinián, spoke to Jane Roe's aide.")

    assert [a.slug for a in kept] == ["armenia", "nikol-pashinian", "jane-roe"]
