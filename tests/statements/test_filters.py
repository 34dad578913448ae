"""Statement and other list filters: exact rows for the seed, and 400s for bad input."""

from __future__ import annotations

import datetime
import re

import pytest

from actors.models import Actor
from statements.filters import StatementFilter
from statements.models import Claim, Stance, Statement, Status
from tests.statements.listing_helpers import all_list_ids, build_corpus, page_ids

pytestmark = pytest.mark.django_db


def published_ids(**filters) -> set[int]:
    return set(Statement.objects.published().filter(**filters).values_list("pk", flat=True))


# -- the seed report -------------------------------------------------------------------


def test_speaker_lists_exactly_blinkens_statements(client, seed):
    expected = published_ids(speaker__slug="antony-blinken")
    assert len(expected) == 3
    response = client.get("/statements/", {"speaker": "antony-blinken"})
    assert response.status_code == 200
    assert set(page_ids(response)) == expected
    assert "Results: 3 statements" in response.content.decode()


def test_one_day_lists_exactly_that_days_statements(client, seed):
    day = datetime.date(2023, 9, 9)
    expected = published_ids(said_on=day)
    assert expected and expected != published_ids()
    response = client.get("/statements/", {"date_from": "2023-09-09", "date_to": "2023-09-09"})
    assert set(page_ids(response)) == expected


def test_two_tags_need_both(client, seed):
    broad = published_ids(tags__slug="nagorno-karabakh")
    narrow = published_ids(tags__slug="military-buildup")
    both = broad & narrow
    assert both and both != broad
    response = client.get("/statements/?tag=nagorno-karabakh&tag=military-buildup")
    assert set(page_ids(response)) == both
    none = client.get("/statements/?tag=landmine&tag=talks")
    assert none.status_code == 200 and page_ids(none) == []
    assert "No statements match these filters." in none.content.decode()


def test_landmine_claim_denied_by_karabakhs_army(client, seed):
    claim = Claim.objects.get(slug="landmine-planted-by-karabakh-armenian-forces")
    response = client.get("/statements/", {"claim": claim.pk, "stance": "denies"})
    ids = page_ids(response)
    assert len(ids) == 1
    statement = Statement.objects.get(pk=ids[0])
    assert statement.speaker.slug == "nagorno-karabakh-defence-army"
    assert Stance.objects.get(statement=statement, claim=claim).stance == "denies"
    both_sides = page_ids(client.get("/statements/", {"claim": claim.pk}))
    assert len(both_sides) == 2 and ids[0] in both_sides


def test_speaker_kind_mode_and_precision(client, seed):
    for params, filters in [
        ({"kind": "military"}, {"speaker__kind": "military"}),
        ({"mode": "indirect"}, {"mode": "indirect"}),
        ({"date_precision": "on_or_before"}, {"date_precision": "on_or_before"}),
    ]:
        expected = published_ids(**filters)
        assert expected and expected != published_ids()
        assert set(page_ids(client.get("/statements/", params))) == expected, params


def test_any_of_several_speakers(client, seed):
    expected = published_ids(speaker__slug__in=["antony-blinken", "nikol-pashinian"])
    url = "/statements/?speaker=antony-blinken&speaker=nikol-pashinian"
    assert set(page_ids(client.get(url))) == expected


# -- text search (PostgreSQL full text, SQLite substring) ------------------------------


def test_search_by_text_and_by_speaker_alias(client, seed):
    landmine = page_ids(client.get("/statements/", {"q": "landmine"}))
    assert landmine
    for pk in landmine:
        text = Statement.objects.get(pk=pk).text.lower()
        assert "landmine" in text or "mine" in text
    # "Pashinyan" is an alias of Nikol Pashinian: his statements are found by it.
    alias_hits = set(page_ids(client.get("/statements/", {"q": "Pashinyan"})))
    assert published_ids(speaker__slug="nikol-pashinian") <= alias_hits


def test_search_syntax_on_both_databases(client, make):
    speaker = make.actor("Some One")
    a = make.statement(speaker=speaker, text="Troops withdrew from the border villages.")
    b = make.statement(speaker=speaker, text="Troops advanced toward the border.")
    c = make.statement(speaker=speaker, text="Nothing about soldiers here.")
    # Stemming: "village" is no substring of a word-search hit; web-search syntax works.
    assert page_ids(client.get("/statements/", {"q": "troops -withdrew"})) == [b.pk]
    assert set(page_ids(client.get("/statements/", {"q": "village"}))) == {a.pk}
    phrase = page_ids(client.get("/statements/", {"q": '"border villages"'}))
    assert phrase == [a.pk]
    assert set(page_ids(client.get("/statements/", {"q": "TROOPS"}))) == {a.pk, b.pk}
    assert page_ids(client.get("/statements/", {"q": "about soldiers"})) == [c.pk]


def test_ranked_without_sort_date_ordered_with_sort(client, make):
    speaker = make.actor("Ranker")
    weak = make.statement(
        speaker=speaker,
        text="The ceasefire was mentioned once among many other words.",
        said_on=datetime.date(2023, 9, 10),
    )
    strong = make.statement(
        speaker=speaker,
        text="Ceasefire, ceasefire, ceasefire: the ceasefire must hold.",
        said_on=datetime.date(2023, 9, 1),
    )
    ranked = client.get("/statements/", {"q": "ceasefire"})
    assert page_ids(ranked) == [strong.pk, weak.pk]
    assert "ranked by relevance" in ranked.content.decode()
    dated = client.get("/statements/", {"q": "ceasefire", "sort": "-said_on"})
    assert page_ids(dated) == [weak.pk, strong.pk]


def test_ranked_walk_covers_every_match_once(client, make, monkeypatch, settings):
    """Ranked over the newest candidates, then the older matches by date: all, once."""
    from statements import pagination

    monkeypatch.setattr(pagination, "RANK_CANDIDATES", 12)
    settings.PAGE_SIZE = 5
    corpus = build_corpus(make)
    expected = {s.pk for s in corpus["statements"] if "ceasefire" in s.text}
    assert len(expected) > 12
    ids = all_list_ids(client, "/statements/?q=ceasefire")
    assert sorted(ids) == sorted(expected) and len(ids) == len(set(ids))
    # The tail after the candidates is in date order, newest first.
    tail = list(Statement.objects.filter(pk__in=ids[12:]).order_by("-said_on", "-id"))
    assert [s.pk for s in tail] == ids[12:]


# -- bad input: 400 with the message beside the field -----------------------------------


BAD_INPUTS = [
    ({"date_from": "2023-13-01"}, "Enter a date as YYYY-MM-DD."),
    ({"date_to": "10/09/2023"}, "Enter a date as YYYY-MM-DD."),
    ({"date_from": "2023-09-10", "date_to": "2023-09-01"}, "must not be before"),
    ({"speaker": "no-such-actor"}, "Unknown speaker: no-such-actor."),
    ({"speaker": "bad slug!"}, "Unknown speaker: bad slug!."),
    ({"within": "no-such-actor"}, "Unknown actor: no-such-actor."),
    ({"tag": "no-such-tag"}, "Unknown tag: no-such-tag."),
    ({"mode": "shouted"}, "Select a valid choice"),
    ({"medium": "telepathy"}, "Select a valid choice"),
    ({"kind": "alien"}, "Select a valid choice"),
    ({"date_precision": "decade"}, "Select a valid choice"),
    ({"stance": "maybe"}, "Select a valid choice"),
    ({"sort": "text"}, "Select a valid choice"),
    ({"claim": "abc"}, "Unknown claim: abc."),
    ({"claim": "99999999"}, "Unknown claim: 99999999."),
    ({"event": "99999999999999999999999"}, "Unknown event: 99999999999999999999999."),
    ({"source": "-1"}, "Unknown source: -1."),
    ({"favourite": "1"}, "Unknown parameter: “favourite”."),
    ({"cursor": "not-a-cursor"}, "This page link is damaged or was edited."),
    ({"page": "x"}, "A page is a whole number."),
    ({"page": "0"}, "Pages start at 1."),
    ({"page": "21"}, "use the “Next” links beyond"),
    ({"bom": "yes"}, "Select a valid choice"),
    ({"q": "a" * 501}, "at most 500 characters"),
    ({"q": "nul\x00byte"}, "Null characters are not allowed."),
]


@pytest.mark.parametrize(("params", "message"), BAD_INPUTS)
def test_bad_input_answers_400_with_the_message(client, db, params, message):
    response = client.get("/statements/", params)
    assert response.status_code == 400
    body = response.content.decode()
    assert message.replace("“", "&ldquo;") in body or message in body.replace("&#x27;", "'")
    assert 'id="row-' not in body  # never a silently filtered list


def test_error_is_next_to_its_field(client, seed):
    body = client.get("/statements/", {"date_from": "nope", "mode": "x"}).content.decode()
    date_field = body.index('class="field field--date_from has-error"')
    assert body.index("Enter a date as YYYY-MM-DD.", date_field) < body.index("field--date_to")
    assert 'class="field field--mode has-error"' in body


def test_repeated_single_valued_parameter_is_400(client, seed):
    response = client.get("/statements/?mode=direct&mode=indirect")
    assert response.status_code == 400
    assert "Give this parameter only once." in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "speaker=%00",
        "tag=a%00b",
        "claim=1%00",
        "date_from=2023-09-09%00",
        "q=" + "x" * 5000,
        "speaker=" + "a" * 5000,
        "source=" + "9" * 400,
        "event=%EF%BC%91",  # full-width digit one
        "claim=%C2%B2",  # superscript two
        "cursor=" + "A" * 3000,
        "page=99999999999999999999999",
        "%00=1",
        "speaker=" + "&speaker=".join(f"s{i}" for i in range(25)),
    ],
)
def test_hostile_input_is_400_never_500(client, db, query):
    response = client.get("/statements/?" + query)
    assert response.status_code == 400
    csv_response = client.get("/statements.csv?" + query)
    assert csv_response.status_code == 400
    assert csv_response["Content-Type"].startswith("text/plain")


def test_empty_form_fields_are_ignored(client, seed):
    """A submitted GET form sends every field, most of them empty."""
    query = "q=&speaker=&kind=&tag=&mode=&medium=&date_precision=&claim=&stance=&event="
    query += "&source=&date_from=&date_to=&sort="
    response = client.get("/statements/?" + query)
    assert response.status_code == 200
    assert len(page_ids(response)) == len(published_ids())


def test_filterset_is_usable_without_a_view(seed):
    blinken = Actor.objects.get(slug="antony-blinken")
    filterset = StatementFilter(
        {"speaker": "antony-blinken"}, queryset=Statement.objects.published()
    )
    assert filterset.is_valid()
    assert {s.speaker_id for s in filterset.qs} == {blinken.pk}


# -- the other lists' filters ----------------------------------------------------------


ACTOR_ROW = re.compile(r'<a class="actor kind--(\w+)" href="/actors/([^/]+)/">')


def test_actor_filters(client, seed):
    rows = ACTOR_ROW.findall(client.get("/actors/", {"kind": "military"}).content.decode())
    expected = set(Actor.objects.filter(kind="military").values_list("slug", flat=True))
    assert expected and {slug for _, slug in rows} == expected
    assert {kind for kind, _ in rows} == {"military"}
    alias = client.get("/actors/", {"q": "pashinyan"}).content.decode()
    assert "/actors/nikol-pashinian/" in alias
    assert client.get("/actors/", {"parent": "nobody"}).status_code == 400
    assert client.get("/actors/", {"kind": "x"}).status_code == 400


def test_claim_filters(client, seed):
    claim = Claim.objects.get(slug="landmine-planted-by-karabakh-armenian-forces")
    body = client.get("/claims/", {"speaker": "nagorno-karabakh-defence-army"}).content.decode()
    assert claim.get_absolute_url() in body
    assert "/claims/" in body
    blinken = client.get("/claims/", {"speaker": "antony-blinken"}).content.decode()
    assert claim.get_absolute_url() not in blinken
    assert client.get("/claims/", {"status": "true"}).status_code == 400
    assert client.get("/claims/", {"tag": "nope"}).status_code == 400


def test_event_filters(client, seed):
    from statements.models import Event

    landmine = Event.objects.get(slug="landmine-incident-2023-09")
    body = client.get("/events/", {"q": "landmine"}).content.decode()
    assert landmine.get_absolute_url() in body
    others = Event.objects.exclude(pk=landmine.pk)
    assert not any(f'href="{e.get_absolute_url()}"' in body for e in others)
    participant = landmine.participations.first().actor.slug
    assert (
        landmine.get_absolute_url()
        in client.get("/events/", {"participant": participant}).content.decode()
    )
    assert client.get("/events/", {"date_from": "2023-09-31"}).status_code == 400
    assert (
        client.get("/events/", {"date_from": "2024-01-01", "date_to": "2023-01-01"}).status_code
        == 400
    )
    later = client.get("/events/", {"date_from": "2030-01-01"})
    assert later.status_code == 200 and "No events match" in later.content.decode()


def test_tag_filter(client, seed):
    body = client.get("/tags/", {"q": "land"}).content.decode()
    assert "/tags/landmine/" in body and "/tags/talks/" not in body
    assert client.get("/tags/", {"kind": "x"}).status_code == 400


def test_drafts_are_not_filtered_in_for_the_public(client, make):
    speaker = make.actor("Drafty", slug="drafty")
    make.statement(speaker=speaker, status=Status.DRAFT)
    response = client.get("/statements/", {"speaker": "drafty"})
    assert response.status_code == 200 and page_ids(response) == []
