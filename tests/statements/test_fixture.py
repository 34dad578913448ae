"""The hand-entered seed fixture: complete, consistent with its source, and loadable anywhere."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import pytest
from django.core.management import call_command

from actors.models import Actor, Alias, Role
from statements.models import (
    Claim,
    Event,
    EventParticipant,
    Source,
    Stance,
    Statement,
    TaggedClaim,
    TaggedEvent,
    TaggedStatement,
)

SEED_DAY = datetime.date(2023, 9, 10)
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
GOLD = SHARED / "eval" / "gold" / "karabakh-2023-09-10.json"
ROOT = Path(__file__).resolve().parents[2]
SEED_TEXT = ROOT / "fixtures" / "sources" / "karabakh-2023-09-10.txt"
SEED_FIXTURE = ROOT / "fixtures" / "karabakh-2023-09-10.json"
MODELS = [
    Actor,
    Alias,
    Role,
    Source,
    Statement,
    Claim,
    Stance,
    Event,
    EventParticipant,
    TaggedStatement,
    TaggedClaim,
    TaggedEvent,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def the(name: str) -> Actor:
    """The one actor a name or alias denotes."""
    return Actor.objects.matching(name).get()


@pytest.fixture
def gold() -> dict:
    if not GOLD.exists():
        pytest.skip("the shared gold annotation is not present")
    return json.loads(GOLD.read_text(encoding="utf-8"))


def test_seed_has_twelve_published_statements_of_one_source(seed):
    source = Source.objects.get()
    assert source.published_on == SEED_DAY
    assert source.body.startswith("“The United States is deeply concerned")
    assert not source.body.lstrip().startswith("date")
    assert Statement.objects.count() == 12
    assert Statement.objects.published().count() == 12
    assert set(Statement.objects.values_list("source", flat=True)) == {source.pk}


def test_every_span_is_source_text_and_direct_quotes_equal_it(seed):
    body = Source.objects.get().body
    for statement in Statement.objects.all():
        assert 0 <= statement.span_start < statement.span_end <= len(body)
        excerpt = body[statement.span_start : statement.span_end]
        assert excerpt.strip() == excerpt
        if statement.mode == "direct":
            assert statement.text == excerpt
        statement.full_clean()


def test_every_gold_statement_is_in_the_fixture(seed, gold):
    body = Source.objects.get().body
    text = SEED_TEXT.read_text(encoding="utf-8")
    assert text.endswith(body)
    header = len(text) - len(body)
    matched: set[int] = set()
    for item in gold["statements"]:
        speakers = set()
        for name in [item["speaker"], *item.get("speaker_aliases", [])]:
            speakers.update(Actor.objects.matching(name).values_list("pk", flat=True))
        assert speakers, f"no actor for {item['speaker']!r}"
        start, end = item["content"]["start"] - header, item["content"]["end"] - header
        assert body[start:end] == item["content"]["text"]
        candidates = Statement.objects.filter(
            speaker__in=speakers, span_start__lt=end, span_end__gt=start
        ).exclude(pk__in=matched)
        assert len(candidates) == 1, f"gold statement {item['content']['text']!r}"
        statement = candidates[0]
        matched.add(statement.pk)
        assert statement.mode == item["mode"]
        dates = [
            (item["said_on"], item["date_precision"]),
            *map(tuple, item.get("accept_dates", [])),
        ]
        assert (statement.said_on.isoformat(), statement.date_precision) in dates
        if "medium" in item:
            assert statement.medium == item["medium"]
        recipients = {actor.pk for actor in statement.recipients.all()}
        assert recipients >= {the(name).pk for name in item.get("recipients", [])}
    assert len(matched) == 12


def test_speakers_as_printed_are_the_source_words(seed):
    body = Source.objects.get().body
    for statement in Statement.objects.all():
        assert statement.speaker_as_printed in body
    assert Statement.objects.filter(speaker_as_printed="It").get().speaker == the("Karabakh's army")


def test_claims_have_stances_and_the_text_gives_both_sides(seed):
    claims = Claim.objects.all()
    assert len(claims) >= 5
    for claim in claims:
        assert claim.stances.exists(), claim.slug
    two_sided = [
        claim
        for claim in claims
        if claim.stances.filter(stance="asserts").exists()
        and claim.stances.exclude(stance="asserts").exists()
    ]
    assert len(two_sided) >= 3
    assert all(claim.status == "disputed" for claim in two_sided)


def test_landmine_claim_is_asserted_by_baku_military_and_denied_by_karabakh_army(seed):
    claim = Claim.objects.get(text__icontains="landmine")
    sides = {(s.statement.speaker, s.stance) for s in claim.stances.select_related("statement")}
    assert sides == {
        (the("Azerbaijani military"), "asserts"),
        (the("Karabakh's army"), "denies"),
    }


def test_events_have_participants_sources_and_statements(seed):
    source = Source.objects.get()
    events = Event.objects.all()
    assert len(events) >= 4
    for event in events:
        assert event.participations.exists(), event.slug
        assert list(event.sources.all()) == [source]
    calls = Event.objects.get(slug="pashinian-phone-calls-2023-09-09")
    assert calls.start_date == datetime.date(2023, 9, 9)
    assert set(calls.participants.all()) >= {the("Pashinyan"), the("Blinken"), the("Iran")}
    offer = Statement.objects.get(events=calls, speaker=the("Pashinian"))
    assert offer.medium == "phone_call"
    buildup = Event.objects.get(kind="mobilize")
    assert (buildup.start_date, buildup.start_precision) == (datetime.date(2023, 9, 4), "week")


def test_actors_have_parents_and_roles_on_the_day(seed):
    assert the("Azerbaijani military").parent == the("Baku")
    assert the("Karabakh's army").parent == the("Artsakh")
    assert the("Armenian government").parent == the("Armenia")
    assert the("State Department").parent == the("United States")
    assert "Secretary of State" in the("Blinken").role_on(SEED_DAY).title
    assert the("Blinken").role_on(datetime.date(2020, 1, 1)) is None
    assert the("Pashinyan").role_on(SEED_DAY).title == "Prime Minister of Armenia"
    assert the("Bayramov").role_on(SEED_DAY).title == "Minister of Foreign Affairs of Azerbaijan"
    assert "acting" in the("Yuri Kim").role_on(SEED_DAY).title.lower()
    assert the("Azerbaijan").wikidata_id == "Q227"


def test_alias_lookup_ignores_case_and_apostrophes(seed):
    assert the("baku").name == "Azerbaijan"
    assert the("PASHINYAN").name == "Nikol Pashinian"
    assert the("Karabakh’s army").name == "Nagorno-Karabakh Defence Army"


def test_tags_narrow_the_statements(seed):
    by_tag: dict[str, set[int]] = {}
    for slug, pk in TaggedStatement.objects.values_list("tag__slug", "content_object"):
        by_tag.setdefault(slug, set()).add(pk)
    assert {"landmine", "military-buildup", "lachin-corridor"} <= by_tag.keys()
    # Some pair of tags co-occurs on some statements but not on all of either.
    assert any(0 < len(a & b) < min(len(a), len(b)) for a, b in combinations(by_tag.values(), 2))


def test_loading_twice_changes_nothing(seed):
    before = counts()
    call_command("loaddata", "fixtures/karabakh-2023-09-10.json", verbosity=0)
    assert counts() == before


def test_loads_into_a_database_that_already_has_data(db, make):
    other = make.statement(speaker=make.actor("Someone Else"), tags=["landmine-other"])
    make.stance(other, make.claim())
    before = counts()
    call_command("loaddata", "fixtures/karabakh-2023-09-10.json", verbosity=0)
    after = counts()
    assert after["Statement"] == before["Statement"] + 12
    assert after["Source"] == before["Source"] + 1
    assert Statement.objects.filter(pk=other.pk).exists()
    assert the("Baku").name == "Azerbaijan"


def test_the_builder_rebuilds_the_committed_fixture_from_the_repo_copy(tmp_path):
    """scripts/build_seed_fixture.py reads fixtures/sources/ and writes the fixture byte for byte."""
    rebuilt = tmp_path / "seed.json"
    subprocess.run(
        [sys.executable, "scripts/build_seed_fixture.py", "--output", str(rebuilt)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    assert rebuilt.read_bytes() == SEED_FIXTURE.read_bytes()
