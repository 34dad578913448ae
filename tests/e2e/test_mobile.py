"""A visitor on a 390 px wide phone: the filters work and nothing scrolls sideways."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from statements.models import Source, Statement
from tests.e2e.conftest import SEED_FIXTURE, row_ids

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
TOLERANCE = 2  # px: sub-pixel rounding, not a scrollable overflow


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the screen (0 when it fits)."""
    width = page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
    )
    return width - PHONE_WIDTH


def test_phone_visitor_filters_the_statement_list(live_server, phone_page):
    call_command("loaddata", SEED_FIXTURE, verbosity=0)
    page = phone_page
    expected = list(
        Statement.objects.published()
        .filter(speaker__slug="nikol-pashinian")
        .order_by("-said_on", "-id")
        .values_list("pk", flat=True)
    )
    assert expected

    page.goto(live_server.url + "/statements/")
    assert page.evaluate("() => window.innerWidth") == PHONE_WIDTH
    assert horizontal_overflow(page) <= TOLERANCE
    assert len(row_ids(page)) == Statement.objects.published().count()

    form = page.get_by_role("form", name="Filters")
    summary = form.locator("summary")
    if summary.count() and not form.get_by_label("Speaker", exact=True).is_visible():
        summary.first.click()  # filters folded away on small screens
    speaker = form.get_by_label("Speaker", exact=True)
    speaker.scroll_into_view_if_needed()
    assert speaker.is_visible()
    box = speaker.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH + TOLERANCE
    speaker.tap()
    speaker.fill("nikol-pashinian")
    button = form.get_by_role("button", name="Apply filters")
    button.scroll_into_view_if_needed()
    button.tap()
    page.wait_for_url("**/statements/?*speaker=nikol-pashinian*")

    assert row_ids(page) == expected
    for row in page.locator("article.statement-row").all():
        assert "Nikol Pashinian" in row.inner_text()
        row_box = row.bounding_box()
        assert row_box["x"] + row_box["width"] <= PHONE_WIDTH + TOLERANCE
    assert horizontal_overflow(page) <= TOLERANCE

    # The pages a filtered row leads to fit the screen too.
    statement_id = expected[0]
    for path in (
        f"/statements/{statement_id}/",
        f"/sources/{Source.objects.get().pk}/",
        "/",
        "/claims/",
    ):
        page.goto(live_server.url + path)
        assert horizontal_overflow(page) <= TOLERANCE, f"{path} scrolls sideways on a phone"
