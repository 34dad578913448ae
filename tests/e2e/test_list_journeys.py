"""Journeys around the lists: a tag click that keeps the filters, following a search by
feed, the phone layout with results first, and choosing a span by selecting words."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from statements.models import Statement
from tests.e2e.conftest import SEED_FIXTURE, row_ids

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ATOM = "{http://www.w3.org/2005/Atom}"
PASSWORD = "correct horse battery staple 42"
PHONE_HEIGHT = 844


def query(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


def published():
    return Statement.objects.published().order_by("-said_on", "-id")


def test_clicking_a_tag_on_a_filtered_list_keeps_the_filters(live_server, page):
    call_command("loaddata", SEED_FIXTURE, verbosity=0)
    tagged = published().filter(tags__isnull=False).select_related("speaker").first()
    speaker = tagged.speaker.slug
    tag = tagged.tags.order_by("name").first()
    date_from = tagged.said_on.isoformat()
    expected = list(
        published()
        .filter(speaker__slug=speaker, said_on__gte=tagged.said_on, tags=tag)
        .values_list("pk", flat=True)
    )

    page.goto(f"{live_server.url}/statements/?speaker={speaker}&date_from={date_from}")
    row = page.locator(f"article.statement-row:has(a.more[href='/statements/{tagged.pk}/'])")
    row.locator("ul.tags a", has_text=tag.name).click()
    page.wait_for_url("**/statements/?*tag=*")

    assert query(page.url) == [("speaker", speaker), ("date_from", date_from), ("tag", tag.slug)]
    assert row_ids(page) == expected
    chips = page.get_by_role("list", name="Active filters").inner_text()
    assert tag.name in chips and tagged.speaker.name in chips


def test_following_a_search_gives_the_lists_rows_as_a_feed(live_server, page):
    call_command("loaddata", SEED_FIXTURE, verbosity=0)
    speaker = published().first().speaker
    page.goto(f"{live_server.url}/statements/?speaker={speaker.slug}&sort=said_on")
    shown = row_ids(page)
    assert shown

    follow = page.get_by_role("link", name="Follow this search")
    href = follow.get_attribute("href")
    assert urlsplit(href).path == "/statements.atom"
    assert query(href) == [("speaker", speaker.slug)]
    assert follow.get_attribute("type") == "application/atom+xml"

    feed = page.request.get(live_server.url + href)
    assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.body())
    links = [e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")]
    # Newest first, whatever order the list was sorted in.
    assert [int(link.rstrip("/").rsplit("/", 1)[1]) for link in links] == sorted(
        shown, key=lambda pk: (Statement.objects.get(pk=pk).said_on, pk), reverse=True
    )
    authors = {uri.text for uri in root.iter(f"{ATOM}uri")}
    assert authors == {f"{live_server.url}/actors/{speaker.slug}/"}

    # "What is a feed?" explains what to do with the link.
    page.get_by_role("link", name="what is a feed?").click()
    page.wait_for_url("**/feeds/")
    assert "feed reader" in page.locator("main").inner_text()


def test_phone_shows_results_first_and_folds_the_filters(live_server, phone_page):
    call_command("loaddata", SEED_FIXTURE, verbosity=0)
    page = phone_page
    page.goto(live_server.url + "/statements/")
    form = page.get_by_role("form", name="Filters")
    speaker = form.get_by_label("Speaker", exact=True)
    assert not speaker.is_visible()
    first_row = page.locator("article.statement-row").first
    assert first_row.bounding_box()["y"] < PHONE_HEIGHT  # the first result is on screen

    form.locator("summary").click()
    assert speaker.is_visible()
    speaker.fill("no-such-speaker")
    form.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/statements/?*speaker=no-such-speaker*")
    # The error is shown without a click: the disclosure comes back open.
    assert page.locator("#id_speaker_error").is_visible()
    assert page.locator("#id_speaker").get_attribute("aria-invalid") == "true"

    # On a wide screen the fields are simply there, no disclosure.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/statements/")
    assert page.get_by_role("form", name="Filters").get_by_label("Speaker", exact=True).is_visible()
    assert not page.locator("details.filter-disclosure summary").is_visible()


def select_text(page, selector: str, words: str) -> None:
    """Select the first occurrence of ``words`` inside ``selector`` as a mouse would,
    then release the button (the picker reads the selection on mouseup)."""
    page.evaluate(
        """([selector, words]) => {
            const root = document.querySelector(selector);
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode;
                const at = node.data.indexOf(words);
                if (at === -1) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + words.length);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                root.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
                return;
            }
            throw new Error("words not found: " + words);
        }""",
        [selector, words],
    )


def test_editor_sets_a_span_by_selecting_words(live_server, page):
    call_command("loaddata", SEED_FIXTURE, verbosity=0)
    User.objects.create_superuser("chief", password=PASSWORD)
    statement = published().select_related("source").first()
    body = statement.source.body
    words = "Karabakh’s army strongly denied the claim"
    start = body.index(words)
    assert (statement.span_start, statement.span_end) != (start, start + len(words))

    page.goto(
        f"{live_server.url}/admin/login/?next=/admin/statements/statement/{statement.pk}/change/"
    )
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**/admin/statements/statement/{statement.pk}/change/")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    picker = page.locator("#span-picker")
    assert picker.is_visible()
    # The saved span is marked in the full text and previewed.
    assert (
        page.locator("#span-picker .span-source mark").inner_text()
        == body[statement.span_start : statement.span_end]
    )

    # Select with a stray space before: the span is trimmed to the words.
    select_text(page, "#span-picker .span-source", f" {words}")
    assert page.locator("#id_span_start").input_value() == str(start)
    assert page.locator("#id_span_end").input_value() == str(start + len(words))
    assert page.locator("#span-preview mark").inner_text() == words
    assert "Save to keep it" in page.locator("#span-note").inner_text()

    # Typed offsets preview too, before saving.
    page.locator("#id_span_end").fill(str(start + len("Karabakh’s army")))
    page.locator("#id_span_end").dispatch_event("input")
    assert page.locator("#span-preview mark").inner_text() == "Karabakh’s army"
    page.locator("#id_span_end").fill(str(start + 100_000))
    page.locator("#id_span_end").dispatch_event("input")
    assert "outside the source" in page.locator("#span-preview").inner_text()
    page.locator("#id_span_end").fill(str(start - 1))
    page.locator("#id_span_end").dispatch_event("input")
    assert "The end comes before the start." in page.locator("#span-preview").inner_text()

    # Selecting in the "In the source" excerpt works as well: counted from its mark.
    saved_words = body[statement.span_start : statement.span_end].split()
    piece = " ".join(saved_words[1:3])
    select_text(page, ".source-excerpt mark", piece)
    piece_start = body.index(piece, statement.span_start)
    assert page.locator("#id_span_start").input_value() == str(piece_start)
    assert page.locator("#id_span_end").input_value() == str(piece_start + len(piece))

    select_text(page, "#span-picker .span-source", words)
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/statements/statement/")
    statement.refresh_from_db()
    assert (statement.span_start, statement.span_end) == (start, start + len(words))
    assert errors == []
