"""The analyst's flow: filter, read a statement in its source, see both sides, export."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.management import call_command

from actors.models import Actor
from statements.models import Claim, Statement
from tests.e2e.conftest import SEED_FIXTURE, row_ids, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DATE_FROM = "2023-09-01"
DATE_TO = "2023-09-30"


def test_analyst_filters_reads_source_sees_both_sides_and_exports(live_server, page, make):
    call_command("loaddata", SEED_FIXTURE, verbosity=0)
    seed_ids = sorted(Statement.objects.published().values_list("pk", flat=True))
    assert len(seed_ids) == 12

    # The overview shows the seed's counts and latest statements.
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert "Antony Blinken" in page.locator("main").inner_text()
    screenshot(page, "overview")

    # The unfiltered list shows every published statement.
    page.goto(live_server.url + "/statements/")
    assert "12 statements" in page.get_by_role("status").inner_text()
    assert sorted(row_ids(page)) == seed_ids
    screenshot(page, "statement-list")

    # One more Blinken statement, outside the date range: the range must drop it.
    blinken = Actor.objects.get(slug="antony-blinken")
    outside = make.statement(
        speaker=blinken,
        said_on=datetime.date(2023, 8, 1),
        date_precision="day",
        source=make.source(title="An August briefing", published_on=datetime.date(2023, 8, 1)),
    )
    expected = list(
        Statement.objects.published()
        .filter(speaker=blinken, said_on__range=(DATE_FROM, DATE_TO))
        .order_by("-said_on", "-id")
        .values_list("pk", flat=True)
    )
    assert len(expected) == 3

    # Filter with the form: speaker and a date range.
    form = page.get_by_role("form", name="Filters")
    form.get_by_label("Speaker", exact=True).fill("antony-blinken")
    form.get_by_label("From", exact=True).fill(DATE_FROM)
    form.get_by_label("To", exact=True).fill(DATE_TO)
    form.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/statements/?*speaker=antony-blinken*")
    shown = row_ids(page)
    assert shown == expected
    assert outside.pk not in shown
    for row in page.locator("article.statement-row").all():
        assert "Antony Blinken" in row.inner_text()

    # Export the filtered list: the download holds exactly the rows on the page, in order.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.startswith("statements-")
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    assert [int(row["id"]) for row in rows] == shown
    assert {row["speaker_slug"] for row in rows} == {"antony-blinken"}
    assert all(DATE_FROM <= row["said_on"] <= DATE_TO for row in rows)

    # Open the statement on the humanitarian claim.
    statement = Statement.objects.get(
        pk__in=shown, stances__claim__slug="humanitarian-situation-nagorno-karabakh-deteriorating"
    )
    page.locator(f"article.statement-row a[href='/statements/{statement.pk}/']").first.click()
    page.wait_for_url(f"**/statements/{statement.pk}/")
    assert "Statement by Antony Blinken" in page.get_by_role("heading", level=1).inner_text()
    assert "deeply concerned" in page.locator("main").inner_text()

    # Follow it to its source: the statement's span is highlighted and anchored.
    page.get_by_role("link", name="Read the full source, with this statement highlighted").click()
    page.wait_for_url(f"**/sources/{statement.source_id}/#s{statement.pk}")
    anchor = page.locator(f"#s{statement.pk}")
    assert anchor.is_visible()
    highlighted = page.locator(f"#s{statement.pk} ~ mark").first
    assert "deeply concerned" in highlighted.inner_text()
    for pk in seed_ids:  # every statement of the source is anchored in its text
        assert page.locator(f"#s{pk}").count() == 1
    page.evaluate("() => window.scrollTo(0, 0)")  # the title, then the highlighted text
    screenshot(page, "source")

    # Back on the statement, move to its claim: Blinken asserts it.
    page.go_back()
    page.wait_for_url(f"**/statements/{statement.pk}/")
    claim = Claim.objects.get(slug="humanitarian-situation-nagorno-karabakh-deteriorating")
    page.get_by_role("link", name=claim.text).click()
    page.wait_for_url(f"**/claims/{claim.pk}/")
    asserts = page.get_by_role("region", name="Who asserts")
    assert "Antony Blinken" in asserts.inner_text()

    # The landmine claim, found through the claim list, shows both sides.
    landmine = Claim.objects.get(slug="landmine-planted-by-karabakh-armenian-forces")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Claims").click()
    page.wait_for_url("**/claims/")
    page.get_by_role("link", name=landmine.text).first.click()
    page.wait_for_url(f"**/claims/{landmine.pk}/")
    assert landmine.text in page.get_by_role("heading", level=1).inner_text()
    asserts = page.get_by_role("region", name="Who asserts").inner_text()
    denies = page.get_by_role("region", name="Who denies").inner_text()
    assert "Ministry of Defence of Azerbaijan" in asserts
    assert "Nagorno-Karabakh Defence Army" not in asserts
    assert "Nagorno-Karabakh Defence Army" in denies
    assert "Ministry of Defence of Azerbaijan" not in denies
    screenshot(page, "claim")
