"""`manage.py ingest`: the seed report into a database, bad files, the dry-run output."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import base, call_command
from django.core.management.base import CommandError
from django.db import OperationalError

from actors.models import Actor, Alias
from statements.management.commands import ingest
from statements.models import Source, Statement, Status

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "karabakh-2023-09-10.txt"
SEED_DATE = datetime.date(2023, 9, 10)
SPAN_KEYS = ("speaker_mention", "cue", "content", "date_evidence")
STATEMENT_KEYS = {
    "speaker",
    "speaker_actor",
    "speaker_mention",
    "cue",
    "content",
    "mode",
    "said_on",
    "date_precision",
    "date_evidence",
}


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("ingest", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counts() -> tuple[int, int, int]:
    return Source.objects.count(), Statement.objects.count(), Actor.objects.count()


def test_seed_into_an_empty_database(db):
    output = run(str(SEED))

    source = Source.objects.get()
    assert source.published_on == SEED_DATE and source.status == Status.DRAFT
    assert not source.body.startswith(" date")
    assert f"source {source.pk} created with" in output
    drafts = Statement.objects.filter(source=source, status=Status.DRAFT)
    assert drafts.count() >= 10
    assert not Statement.objects.published().exists()
    speakers = {s.speaker.name for s in drafts.select_related("speaker")}
    assert {"Antony Blinken", "Nikol Pashinian", "Jeyhun Bayramov"} <= speakers
    # With no actors to resolve against, every speaker is proposed for review.
    assert not Actor.objects.filter(needs_review=False).exists()
    for statement in drafts:
        assert source.body[statement.span_start : statement.span_end].strip() == statement.text
    assert source.history.get().history_change_reason == "manage.py ingest"


def test_seed_speakers_resolve_to_existing_actors(db, make):
    blinken = make.actor("Antony Blinken")
    Alias.objects.create(actor=blinken, name="Blinken")

    run(str(SEED))

    printed_blinken = Statement.objects.filter(speaker_as_printed__contains="Blinken")
    assert printed_blinken.count() >= 2  # "…Antony Blinken said" and "added Blinken"
    assert {s.speaker_id for s in printed_blinken} == {blinken.pk}
    assert not Actor.objects.filter(name__icontains="Blinken").exclude(pk=blinken.pk).exists()
    assert not Actor.objects.get(pk=blinken.pk).needs_review


def test_second_run_changes_nothing(db):
    run(str(SEED))
    before = counts()
    statements = list(Statement.objects.values_list("pk", "updated_at"))

    output = run(str(SEED))

    assert counts() == before
    assert list(Statement.objects.values_list("pk", "updated_at")) == statements
    assert "unchanged" in output


def test_seed_fixture_already_holds_the_seed(seed):
    before = counts()
    output = run(str(SEED), "--format", "jsonl")
    assert json.loads(output)["status"] == "unchanged"
    assert counts() == before


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"Pashinian said \xff\xfe something", "not UTF-8 text (byte 0xff at offset 15)"),
        (b"", "empty text"),
        (b" date 2023-09-10 \n\n", "empty text (nothing after the date header)"),
        (b" date 2023-02-30 Blinken said so.", "malformed date header"),
        (b"date 10/09/2023 Blinken said so.", "malformed date header"),
        (b"Blinken said so.", "no publication date"),
    ],
)
def test_bad_file_stores_nothing_and_says_why_in_one_line(db, tmp_path, content, reason):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)

    with pytest.raises(CommandError) as caught:
        run(str(SEED), str(bad))  # one bad file stops the whole run before any write

    message = str(caught.value)
    assert message.startswith(f"{bad}: ") and reason in message
    assert "\n" not in message
    assert counts() == (0, 0, 0)


def test_bad_file_exits_non_zero_with_one_line_on_stderr(db, tmp_path, capsys, monkeypatch):
    # run_from_argv closes every connection when done; keep the test's own open.
    monkeypatch.setattr(base.connections, "close_all", lambda: None)
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(" date 2023-09-10 Caf\xe9 owners said so.".encode("latin-1"))

    with pytest.raises(SystemExit) as caught:
        ingest.Command().run_from_argv(["manage.py", "ingest", str(bad)])

    assert caught.value.code != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(bad) in err and "not UTF-8" in err
    assert counts() == (0, 0, 0)


def test_missing_file_and_bad_options(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "nope.txt"))
    with pytest.raises(CommandError, match="expected a date as YYYY-MM-DD"):
        run(str(SEED), "--published", "10.09.2023")
    with pytest.raises(CommandError, match="one file only"):
        run(str(SEED), str(SEED), "--url", "https://example.org/x")
    assert counts() == (0, 0, 0)


def test_published_option_dates_a_text_without_header(db, tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text(SEED.read_text(encoding="utf-8")[17:], encoding="utf-8")

    run(str(plain), "--published", "2023-09-10", "--title", "Report", "--publisher", "RFE/RL")

    source = Source.objects.get()
    assert (source.title, source.publisher, source.published_on) == ("Report", "RFE/RL", SEED_DATE)
    assert Statement.objects.filter(said_on=datetime.date(2023, 9, 9)).exists()


def test_dry_run_jsonl_has_the_spec_shape_with_file_offsets(db, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text(" date 2024-01-05 “We will win,” the mayor said on Thursday.\n", "utf-8")

    output = run("--dry-run", "--format", "jsonl", str(SEED), str(other))

    lines = output.splitlines()
    assert len(lines) == 2
    assert counts() == (0, 0, 0)
    for line, path in zip(lines, (SEED, other), strict=True):
        doc = json.loads(line)
        text = path.read_text(encoding="utf-8")
        assert doc["file"] == str(path)
        assert doc["statements"]
        for statement in doc["statements"]:
            assert set(statement) >= STATEMENT_KEYS
            datetime.date.fromisoformat(statement["said_on"])
            for key in SPAN_KEYS:
                piece = statement[key]
                if piece is not None:
                    assert text[piece["start"] : piece["end"]] == piece["text"]
    seed_doc = json.loads(lines[0])
    assert seed_doc["published_on"] == "2023-09-10"
    assert len(seed_doc["statements"]) >= 10
    assert seed_doc["statements"][0]["content"]["start"] >= len(" date 2023-09-10 ")
    thursday = json.loads(lines[1])["statements"][0]
    assert (thursday["said_on"], thursday["date_precision"]) == ("2024-01-04", "day")


def test_dry_run_resolves_speakers_against_actors(db, make):
    make.actor("Antony Blinken", slug="antony-blinken")

    doc = json.loads(run("--dry-run", "--format", "jsonl", str(SEED)))

    slugs = {s["speaker_actor"] for s in doc["statements"] if s["speaker"] == "Antony Blinken"}
    assert slugs == {"antony-blinken"}
    assert counts() == (0, 0, 1)


def test_dry_run_works_without_actor_tables(db, monkeypatch):
    def no_tables():
        raise OperationalError("no such table: actors_actor")

    monkeypatch.setattr(ingest, "actor_registry", no_tables)

    doc = json.loads(run("--dry-run", "--format", "jsonl", str(SEED)))

    assert len(doc["statements"]) >= 10
    assert all(s["speaker_actor"] is None for s in doc["statements"])


def test_dry_run_json_and_text_formats(db):
    docs = json.loads(run("--dry-run", "--format", "json", str(SEED)))
    assert isinstance(docs, list) and docs[0]["file"] == str(SEED)

    text = run("--dry-run", str(SEED))
    assert text.startswith(f"{SEED}: {len(docs[0]['statements'])} statements (dry run")
    assert "Antony Blinken" in text
    assert counts() == (0, 0, 0)


def test_json_output_of_a_real_run(db):
    first = json.loads(run("--format", "json", str(SEED)))[0]
    assert first["status"] == "created" and first["statements"] >= 10
    assert first["source"] == Source.objects.get().pk
    second = json.loads(run("--format", "jsonl", str(SEED)))
    assert (second["status"], second["statements"]) == ("unchanged", 0)
