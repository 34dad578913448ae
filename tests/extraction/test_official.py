"""Official texts and wire reports: every speaker a name or None, formulas, blocks, dates.

All texts are made up for these tests, in the shapes of UN press statements,
foreign-ministry readouts and news-agency reports.
"""

import datetime

from statements.extraction import extract, find_headline, to_jsonl_dict

TUESDAY = datetime.date(2025, 2, 18)


def run(text: str, published_on: datetime.date = TUESDAY):
    return extract(text, published_on)


def one(text: str, published_on: datetime.date = TUESDAY):
    found = run(text, published_on)
    assert len(found) == 1, found
    return found[0]


# --- speakers are names, or None with the mention kept -------------------------------------


def test_pronoun_without_antecedent_is_unresolved():
    s = one("He said the convoy had been turned back at the checkpoint.")
    assert s.speaker is None and s.speaker_mention.text == "He"
    line = to_jsonl_dict("x.txt", TUESDAY, [s])["statements"][0]
    assert line["speaker"] is None and line["speaker_mention"]["text"] == "He"


def test_role_word_without_a_holder_is_unresolved():
    s = one("The spokesperson said the talks would continue on Friday.")
    assert s.speaker is None and s.speaker_mention.text == "The spokesperson"


def test_role_word_resolves_to_the_named_holder_earlier():
    found = run(
        "Foreign Ministry spokeswoman Lusine Abrahyan briefed reporters in the morning. "
        "The spokeswoman said no date had been set."
    )
    assert found[-1].speaker == "Lusine Abrahyan"


def test_title_resolves_to_the_holder_named_later_in_the_text():
    found = run(
        "The Secretary-General reiterates his call for restraint.\n\n"
        "Secretary-General Tomas Ferreira welcomed the ceasefire on Monday."
    )
    assert found[0].speaker == "Tomas Ferreira"
    assert found[0].content.text == "his call for restraint"


def test_readout_pronoun_is_the_subject_of_the_meeting_sentence():
    found = run(
        "Secretary Marcus Harlan met with Foreign Minister Ara Sarkissov today in Geneva. "
        "He emphasized that a durable agreement is within reach."
    )
    assert [(s.speaker, s.content.text) for s in found] == [
        ("Marcus Harlan", "a durable agreement is within reach")
    ]
    assert (found[0].said_on, found[0].date_precision) == (TUESDAY, "day")


def test_surname_shared_by_two_people_names_neither():
    found = run("Tom Reed met Tim Reed in Oslo. Reed said the deal was done.")
    assert found[-1].speaker is None and found[-1].speaker_mention.text == "Reed"


def test_pronoun_after_an_unresolved_speaker_stays_unresolved():
    found = run(
        "The Kremlin said it was following the events. "
        "On Tuesday evening the command reported two soldiers wounded. "
        "It said the shelling had stopped by midnight."
    )
    assert found[0].speaker == "Office of the President of Russia"
    assert [s.speaker for s in found[1:]] == [None, None]


def test_state_media_and_bracketed_acronyms_and_other_scripts():
    assert one("State media claimed the rebels had fled.").speaker is None
    assert one("Chinese state media claimed the rebels had fled.").speaker == "State Media of China"
    s = one("Liberal Party (LP) lawmakers said the government should recall its ambassador.")
    assert s.speaker == "Liberal Party lawmakers"
    assert s.content.text == "the government should recall its ambassador"
    s = one("Premier Li Wen (李文) early on Tuesday said the country was ready to mediate.")
    assert (s.speaker, s.speaker_title) == ("Li Wen", "Premier")
    assert (s.said_on, s.date_precision) == (TUESDAY, "day")
    s = one("Hours after Premier Li Wen said the country was ready to mediate, shelling resumed.")
    assert s.speaker == "Li Wen"


def test_members_of_a_body_speak_as_the_body():
    s = one(
        "The members of the Security Council condemned in the strongest terms the attack "
        "on a displacement camp."
    )
    assert s.speaker == "Security Council"
    assert s.content.text == "in the strongest terms the attack on a displacement camp"


def test_a_documents_owner_speaks():
    s = one("Azerbaijan's statement said the border was calm.")
    assert s.speaker == "Azerbaijan" and s.speaker_mention.text == "Azerbaijan's statement"


# --- official and diplomatic formulas -------------------------------------------------------


def test_official_formulas_are_cues_for_bodies_and_office_holders():
    found = run(
        "The Foreign Ministry of Portugal welcomed the agreement. "
        "The ambassador underlined the need for dialogue. "
        "The Secretary-General is deeply concerned by the rising violence. "
        "The Council expressed its deep concern over the arrests. "
        "The envoy pleaded for calm."
    )
    assert [(s.cue.text, s.content.text) for s in found] == [
        ("welcomed", "the agreement"),
        ("underlined", "the need for dialogue"),
        ("is deeply concerned by", "the rising violence"),
        ("expressed", "its deep concern over the arrests"),
        ("pleaded for", "calm"),
    ]


def test_a_politician_rejecting_an_idea_is_an_act_not_a_statement():
    assert run("Ana Reis rejected the idea at once.") == []
    s = one("Ana Reis rejected the idea, saying it came too late.")
    assert s.cue.text == "saying" and s.speaker == "Ana Reis"


def test_in_a_statement_is_the_medium_not_the_content():
    s = one("In a statement, the Kremlin said it regretted the decision.")
    assert s.content.text == "it regretted the decision"
    assert s.medium == "written_statement"


def test_issued_statement_block_is_the_issuers_and_dated_by_the_header():
    text = (
        "date 2025-03-04\n"
        "The following statement was issued today by the Council President, "
        "Ambassador Lena Korhonen:\n\n"
        "The members of the Security Council condemned the attack on 2 March.\n\n"
        "The Council stands ready to support the investigation.\n"
    )
    found = run(text, datetime.date(2025, 3, 4))
    assert [s.speaker for s in found] == ["Security Council", "Lena Korhonen"]
    assert found[1].content.text == "The Council stands ready to support the investigation."
    assert found[1].cue is None and found[1].medium == "written_statement"
    assert {(s.said_on, s.date_precision) for s in found} == {(datetime.date(2025, 3, 4), "day")}


# --- boundaries, datelines, headlines -------------------------------------------------------


def test_em_dash_aside_stays_inside_the_content():
    s = one(
        "The Ministry of Foreign Affairs of Armenia said that the raids undermine the talks "
        "— and must stop."
    )
    assert s.content.text == "the raids undermine the talks — and must stop"


def test_fronted_adverbial_is_not_the_content():
    s = one("Earlier in the day, the ministry also denied any involvement.")
    assert s.content.text == "any involvement"
    s = one("At the briefing, Ana Reis said the border crossing would reopen.")
    assert s.content.text == "the border crossing would reopen"


def test_nested_quote_keeps_every_sentence():
    s = one("“He told us, ‘Leave the village now.’ Then he drove away,” the farmer said.")
    assert s.content.text == "“He told us, ‘Leave the village now.’ Then he drove away,”"


def test_dateline_is_not_content_and_the_agency_is_the_speaker():
    text = (
        "LIMA, May 4 (Andes Wire) -- The Peruvian Foreign Ministry said on Sunday that the "
        "ambassador had been recalled.\n\n"
        "Protesters gathered outside the embassy, the agency reports.\n"
    )
    found = run(text, datetime.date(2025, 5, 5))
    assert found[0].content.text == "the ambassador had been recalled"
    assert found[0].speaker == "Ministry of Foreign Affairs of Peru"
    assert (found[0].said_on, found[0].date_precision) == (datetime.date(2025, 5, 4), "day")
    assert found[1].speaker == "Andes Wire"
    assert found[1].content.text == "Protesters gathered outside the embassy"


def test_headline_is_the_title_not_a_statement():
    text = (
        "date 2025-02-18\n"
        "Minister Says Border Will Reopen Next Week\n\n"
        "The interior minister, Ana Reis, said on Tuesday that the crossing would reopen.\n"
    )
    assert find_headline(text).text == "Minister Says Border Will Reopen Next Week"
    assert [s.speaker for s in run(text)] == ["Ana Reis"]


def test_a_short_first_sentence_is_not_a_headline():
    text = "Ana Reis said the crossing would reopen.\n\nTraffic was light.\n"
    assert find_headline(text) is None
    assert len(run(text)) == 1


# --- dates ----------------------------------------------------------------------------------


def test_date_of_a_statement_carries_to_its_back_reference_in_the_paragraph():
    found = run(
        "On Monday evening the Azerbaijani Defence Ministry reported two soldiers wounded. "
        "It said the shelling had stopped by midnight."
    )
    assert [(s.said_on, s.date_precision) for s in found] == [
        (datetime.date(2025, 2, 17), "day"),
        (datetime.date(2025, 2, 17), "day"),
    ]


def test_issued_today_dates_the_release():
    s = one("The ministry issued a statement today saying the envoy had been summoned.")
    assert (s.said_on, s.date_precision) == (TUESDAY, "day")
