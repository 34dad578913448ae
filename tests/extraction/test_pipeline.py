"""extract(): constructions of news attribution, each with a sentence of its own."""

import datetime
import json
from pathlib import Path

import pytest

from statements.extraction import ActorName, extract, parse_header, to_jsonl_dict

SUNDAY = datetime.date(2024, 6, 9)
SHARED = Path(__file__).resolve().parents[3] / "shared"
SEED = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "karabakh-2023-09-10.txt"
GOLD = SHARED / "eval" / "gold" / "karabakh-2023-09-10.json"


def one(text: str, published_on: datetime.date = SUNDAY, registry=()):
    found = extract(text, published_on, registry)
    assert len(found) == 1, found
    return found[0]


def test_quote_before_attribution_with_title():
    text = "“The bridge will reopen in May,” Regional Transport Minister Olga Petrenko said."
    s = one(text)
    assert s.speaker == "Olga Petrenko"
    assert s.speaker_title == "Regional Transport Minister"
    assert s.content.text == "“The bridge will reopen in May,”"
    assert s.mode == "direct"
    assert s.cue.text == "said"
    assert text[s.content.start : s.content.end] == s.content.text


def test_inverted_attribution_and_surname_resolves_to_full_name():
    text = (
        'Coach Anders Holm praised the team. "We played with courage and we will win," added Holm.'
    )
    s = one(text)
    assert (s.speaker, s.speaker_mention.text) == ("Anders Holm", "Holm")
    assert s.content.text == '"We played with courage and we will win,"'


def test_quote_after_colon():
    s = one("The governor told reporters: “Nobody will be left behind.”")
    assert s.speaker is None and s.speaker_mention.text == "The governor"  # a role, no name
    assert s.mode == "direct"
    assert s.content.text == "“Nobody will be left behind.”"
    assert s.medium == "press_conference"


def test_interrupted_quote_is_one_statement():
    text = "“We are tired,” said Ines Moreau. “We want the mine closed.”"
    s = one(text)
    assert s.content.text == text[: len(text)]
    assert s.speaker == "Ines Moreau"


def test_reopened_multi_paragraph_quote():
    text = (
        "The fire chief, Paul Verne, said: “The blaze started in the kitchen.\n\n"
        "“It spread to the roof within minutes.”\n\nResidents were evacuated."
    )
    s = one(text)
    assert s.content.text.startswith("“The blaze") and s.content.text.endswith("minutes.”")
    assert s.mode == "direct"


def test_partial_quote_is_mixed():
    s = one("Senator Lea Brandt urged voters to reject the “reckless” budget.")
    assert s.mode == "mixed"
    assert s.content.text == "voters to reject the “reckless” budget"
    assert s.cue.text == "urged"


def test_paraphrase_with_and_without_that_is_indirect():
    a = one("The union said that the strike would continue.")
    b = one("The union said the strike would continue.")
    assert a.content.text == b.content.text == "the strike would continue"
    assert a.mode == b.mode == "indirect"
    assert a.speaker is None and a.speaker_mention.text == "The union"  # which union?


def test_content_before_attribution_without_quotes():
    s = one("The pipeline leaked for three hours, officials said.")
    assert s.content.text == "The pipeline leaked for three hours"
    assert s.speaker_mention.text == "officials" and s.mode == "indirect"


def test_according_to():
    a = one("According to the coast guard, two boats sank near the harbour.")
    b = one("Two boats sank near the harbour, according to the coast guard.")
    assert a.content.text == "two boats sank near the harbour"
    assert b.content.text == "Two boats sank near the harbour"
    assert a.speaker_mention.text == b.speaker_mention.text == "the coast guard"


@pytest.mark.parametrize(
    ("verb", "rest"),
    [
        ("warned", "that prices would rise"),
        ("denied", "the report"),
        ("claimed", "that the vote was rigged"),
        ("accused", "the mayor of lying"),
        ("offered", "to resign"),
        ("wrote", "that the plan had failed"),
        ("reported", "heavy losses"),
    ],
)
def test_speech_verbs_beyond_said(verb, rest):
    s = one(f"Judge Carla Ruiz {verb} {rest}.")
    assert s.speaker == "Carla Ruiz" and s.cue.text == verb
    assert s.content.text == rest.removeprefix("that ")


def test_pronoun_back_reference_to_last_person():
    text = "Mayor Jon Vik said the roads were safe. He added that schools would open."
    first, second = extract(text, SUNDAY)
    assert second.speaker == "Jon Vik" and second.speaker_mention.text == "He"
    assert second.content.text == "schools would open"


def test_it_refers_to_last_organisation():
    text = (
        "Dr. Sara Lind said the water was clean. The Health Ministry denied the rumours. "
        "It accused bloggers of spreading panic."
    )
    *_, last = extract(text, SUNDAY)
    assert last.speaker_mention.text == "It"
    assert last.speaker == "Health Ministry"


def test_the_ministry_refers_back_to_the_full_name():
    text = (
        "The Norwegian Fisheries Ministry said quotas would fall. "
        "The ministry also warned that boats could be seized."
    )
    first, second = extract(text, SUNDAY)
    assert second.speaker == first.speaker == "Norwegian Fisheries Ministry"
    assert second.speaker_mention.text == "The ministry"


def test_metonym_resolved_through_registry():
    registry = [ActorName("portugal", ("Portugal", "Lisbon"), "state")]
    s = one("Lisbon rejected the offer, saying it came too late.", registry=registry)
    assert s.speaker == "Portugal" and s.speaker_actor == "portugal"


def test_publication_weekday_is_same_day():
    s = one("The army said on Sunday that the border was calm.")  # published on a Sunday
    assert (s.said_on, s.date_precision) == (SUNDAY, "day")
    assert s.date_evidence.text == "on Sunday"


def test_past_weekday_and_evidence_not_taken_from_content():
    s = one("The agency said on Thursday that the storm hit on Monday.")
    assert s.said_on == datetime.date(2024, 6, 6)
    assert s.content.text == "the storm hit on Monday"


def test_earlier_this_week_is_week_precision_and_cut_from_content():
    s = one("The central bank reported higher inflation earlier this week.")
    assert (s.said_on, s.date_precision) == (datetime.date(2024, 6, 3), "week")
    assert s.content.text == "higher inflation"


def test_later_in_the_day_follows_previous_statement():
    text = (
        "Premier Ada Kurz said on Friday that taxes would fall. "
        "A spokesman for the opposition said later in the day that taxes would rise."
    )
    first, second = extract(text, SUNDAY)
    assert first.said_on == second.said_on == datetime.date(2024, 6, 7)
    assert second.date_precision == "day"


def test_explicit_date():
    s = one("The court said on Sept. 5 that the law was void.", datetime.date(2023, 9, 20))
    assert (s.said_on, s.date_precision) == (datetime.date(2023, 9, 5), "day")


def test_no_date_words_is_on_or_before_publication():
    s = one("The union said the strike would continue and we would see.")
    assert (s.said_on, s.date_precision, s.date_evidence) == (SUNDAY, "on_or_before", None)


def test_false_positive_date_words_are_ignored():
    s = one("Ole Berg said the talks may resume in two days and we may march.")
    assert (s.said_on, s.date_precision) == (SUNDAY, "on_or_before")


def test_non_statements_are_ignored():
    assert extract("The river flooded the town. Nobody was hurt.", SUNDAY) == []


def test_header_parsing_and_offsets():
    text = " date 2024-06-09 “We will rebuild,” Mayor Jon Vik said.\n"
    day, body = parse_header(text)
    assert day == SUNDAY and text[body:].startswith("“We")
    s = one(text)
    assert text[s.content.start : s.content.end] == s.content.text
    line = to_jsonl_dict("x.txt", day, [s])
    assert line["published_on"] == "2024-06-09"
    assert set(line["statements"][0]) == {
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
    json.dumps(line)


@pytest.mark.parametrize("bad", [" date 2023-13-45\nText.", "date 2023-1-5 Text."])
def test_malformed_header_raises(bad):
    with pytest.raises(ValueError, match="malformed date header"):
        parse_header(bad)


def test_no_header():
    assert parse_header("Plain text.") == (None, 0)


@pytest.mark.skipif(not GOLD.exists(), reason="the shared gold annotation is not present")
def test_seed_report_yields_gold_speakers():
    text = SEED.read_text(encoding="utf-8")
    day, _ = parse_header(text)
    found = extract(text, day)
    assert len(found) >= 10
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["statements"]
    names = {g["speaker"] for g in gold} | {a for g in gold for a in g["speaker_aliases"]}
    spoken = {s.speaker for s in found}
    for person in ("Antony Blinken", "Nikol Pashinian", "Jeyhun Bayramov"):
        assert person in spoken
    assert sum(1 for s in found if s.speaker in names) >= 9
    for s in found:
        assert text[s.content.start : s.content.end] == s.content.text
