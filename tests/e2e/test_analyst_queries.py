"""The analyst's questions in words: search that ignores word order and plurals, "what did
Azerbaijan say?" (``within=``), a speaker typed by name.

Each journey skips, saying why, where the feature it drives is not in this build (the
statement list still answers the old way), and runs as soon as it is.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from statements.models import Statement
from tests.e2e.conftest import SEED_FIXTURE, row_ids

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

#: The seed's statements by Azerbaijan's bodies and officials: the Ministry of Defence,
#: the President's aide (Presidential Administration) and the foreign minister (his role).
AZERBAIJAN_SPEAKERS = {
    "ministry-of-defence-of-azerbaijan",
    "aide-to-ilham-aliyev",
    "jeyhun-bayramov",
}


def has_word_search() -> bool:
    if connection.vendor == "postgresql":
        return True
    with connection.cursor() as cursor:
        # A word index: FTS5 with a word tokenizer (the substring index uses trigrams).
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE lower(sql) LIKE '%using fts5%' "
            "AND lower(sql) NOT LIKE '%trigram%'"
        )
        return cursor.fetchone()[0] > 0


def search(page, live_server, words: str) -> list[int]:
    page.goto(live_server.url + "/")
    box = page.get_by_role("search").get_by_role("searchbox")
    box.fill(words)
    box.press("Enter")
    page.wait_for_url("**/statements/?*q=*")
    return row_ids(page)


def test_search_finds_words_in_any_order_and_plurals(live_server, page):
    call_command("loaddata", SEED_FIXTURE, verbosity=0)
    if not has_word_search():
        pytest.skip("word search (an FTS5 index on SQLite) is not in this build")
    forward = search(page, live_server, "military offensive")
    assert forward
    assert search(page, live_server, "offensive military") == forward
    plural = search(page, live_server, "landmines")
    assert plural
    for pk in plural:
        assert "landmine" in Statement.objects.get(pk=pk).text.lower()


def test_within_a_country_gives_its_bodies_and_officials(live_server, page):
    call_command("loaddata", SEED_FIXTURE, verbosity=0)
    response = page.goto(live_server.url + "/statements/?within=azerbaijan")
    if response.status == 400 and "Unknown parameter" in page.locator("main").inner_text():
        pytest.skip("within= is not in this build")
    assert response.status == 200
    expected = set(
        Statement.objects.published()
        .filter(speaker__slug__in=AZERBAIJAN_SPEAKERS)
        .values_list("pk", flat=True)
    )
    assert expected
    assert set(row_ids(page)) == expected


def test_the_country_facet_narrows_the_list_and_keeps_the_filters(live_server, page):
    call_command("loaddata", SEED_FIXTURE, verbosity=0)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/statements/?date_from=2023-09-01")
    facet = page.get_by_role("navigation", name="Country")
    facet.get_by_role("link", name="Azerbaijan", exact=True).click()
    page.wait_for_url("**/statements/?*within=azerbaijan*")
    assert "date_from=2023-09-01" in page.url
    expected = set(
        Statement.objects.published()
        .filter(speaker__slug__in=AZERBAIJAN_SPEAKERS, said_on__gte="2023-09-01")
        .values_list("pk", flat=True)
    )
    assert expected
    assert set(row_ids(page)) == expected
    chosen = page.get_by_role("navigation", name="Country").locator("a[aria-current]")
    assert chosen.inner_text() == "Azerbaijan"


def test_a_speaker_typed_by_name_filters_the_list(live_server, page):
    call_command("loaddata", SEED_FIXTURE, verbosity=0)
    page.goto(live_server.url + "/statements/")
    form = page.get_by_role("form", name="Filters")
    form.get_by_label("Speaker", exact=True).fill("jeyhun bayramov")
    form.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/statements/?*speaker=*")
    error = page.locator("#id_speaker_error")
    if error.count() and "not a valid speaker slug" in error.inner_text():
        pytest.skip("filters by name are not in this build")
    assert error.count() == 0
    expected = list(
        Statement.objects.published()
        .filter(speaker__slug="jeyhun-bayramov")
        .order_by("-said_on", "-id")
        .values_list("pk", flat=True)
    )
    assert expected and row_ids(page) == expected
