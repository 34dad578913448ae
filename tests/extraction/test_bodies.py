"""States and their bodies named by country: full names, kinds, parents; never merged."""

import datetime

from statements.extraction import ActorName, extract
from statements.extraction.bodies import bodies_in, body_of

TUESDAY = datetime.date(2025, 2, 18)


def speakers(text: str, registry=()):
    return [(s.speaker, s.speaker_kind, s.speaker_parent) for s in extract(text, TUESDAY, registry)]


def test_demonym_and_possessive_bodies_stay_apart():
    found = speakers(
        "The Armenian Foreign Ministry said the village was shelled overnight. "
        "Azerbaijan's Defence Ministry said its units had only returned fire."
    )
    assert found == [
        ("Ministry of Foreign Affairs of Armenia", "government", "Armenia"),
        ("Ministry of Defence of Azerbaijan", "military", "Azerbaijan"),
    ]


def test_body_of_country_is_the_same_body_as_its_demonym_form():
    assert body_of("the Ministry of Foreign Affairs of Armenia") == body_of(
        "the Armenian Foreign Ministry"
    )
    assert body_of("Foreign Ministry of Armenia").name == "Ministry of Foreign Affairs of Armenia"


def test_capitals_and_buildings_as_metonyms():
    assert body_of("Baku").name == "Azerbaijan" and body_of("Baku").kind == "state"
    assert body_of("Yerevan").name == "Armenia"
    kremlin = body_of("the Kremlin")
    assert (kremlin.kind, kremlin.country) == ("government", "Russia")
    assert body_of("Pentagon").name == "United States Department of Defense"


def test_military_speaks_through_the_defence_ministry_and_bare_demonym_is_the_government():
    assert body_of("The Azerbaijani military").name == "Ministry of Defence of Azerbaijan"
    assert body_of("Armenian").name == "Government of Armenia"
    assert body_of("the British government").name == "Government of the United Kingdom"


def test_not_a_body():
    assert body_of("the ministry") is None
    assert body_of("Ana Duarte") is None


def test_registry_body_wins_over_the_proposed_name():
    registry = [ActorName("mod-az", ("Ministry of Defence of Azerbaijan",), "military")]
    s = extract("Azerbaijan's Defence Ministry said the border was calm.", TUESDAY, registry)[0]
    assert (s.speaker, s.speaker_actor) == ("Ministry of Defence of Azerbaijan", "mod-az")


def test_bodies_in_running_text():
    text = "Talks between the Armenian Foreign Ministry and the Ministry of Defence of Azerbaijan."
    assert [b.name for _, _, b in bodies_in(text, 0, len(text))] == [
        "Ministry of Foreign Affairs of Armenia",
        "Ministry of Defence of Azerbaijan",
    ]


def test_the_ministry_resolves_to_the_body_named_earlier():
    text = (
        "The Azerbaijani Foreign Ministry summoned the envoy on Monday. "
        "Hours later, the ministry said the talks were postponed."
    )
    last = extract(text, TUESDAY)[-1]
    assert last.speaker_mention.text == "the ministry"
    assert last.speaker == "Ministry of Foreign Affairs of Azerbaijan"


def test_ministry_spokeswoman_is_a_person_of_that_ministry():
    text = (
        "Azerbaijan's Defence Ministry reported shelling near the border. "
        '"Our soldiers acted in self-defence," ministry spokeswoman Ani Testyan told reporters.'
    )
    s = extract(text, TUESDAY)[-1]
    assert (s.speaker, s.speaker_kind) == ("Ani Testyan", "person")
    assert s.speaker_title == "spokeswoman of the Ministry of Defence of Azerbaijan"
    assert s.speaker_parent == "Ministry of Defence of Azerbaijan"


def test_spokeswoman_of_a_body_named_by_country():
    s = extract(
        "Russian Foreign Ministry spokeswoman Irina Volkova said Moscow was ready to host talks.",
        TUESDAY,
    )[0]
    assert s.speaker == "Irina Volkova"
    assert s.speaker_title == "spokeswoman of the Ministry of Foreign Affairs of Russia"
    assert s.speaker_parent == "Ministry of Foreign Affairs of Russia"


def test_an_object_before_a_capital_is_not_a_speaker():
    found = extract(
        "The Armenian Foreign Ministry accused Azerbaijan of opening fire, a charge Baku denied.",
        TUESDAY,
    )
    assert all(s.speaker_mention.text != "a charge Baku" for s in found)
    assert found[0].content.text == "Azerbaijan of opening fire"
