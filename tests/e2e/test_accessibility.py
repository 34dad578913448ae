"""axe-core on the main pages and the review pages, and the statement filters driven by
the keyboard alone."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from taggit.models import Tag

from actors.models import Actor
from statements.models import Claim, Event, Source, Statement
from tests.e2e.conftest import SEED_FIXTURE, axe_violations, row_ids

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_TABS = 40


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"  {v['impact']} {v['id']}: {v['help']} — "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
    )


def main_pages() -> list[str]:
    statement = Statement.objects.published().get(
        stances__claim__slug="landmine-planted-by-karabakh-armenian-forces",
        stances__stance="denies",
    )
    return [
        "/",
        "/statements/",
        f"/statements/{statement.pk}/",
        f"/actors/{statement.speaker.slug}/",
        f"/claims/{Claim.objects.get(slug='landmine-planted-by-karabakh-armenian-forces').pk}/",
        f"/events/{Event.objects.order_by('pk').first().pk}/",
        f"/tags/{Tag.objects.get(slug='landmine').slug}/",
        f"/sources/{Source.objects.get().pk}/",
        "/actors/",
        "/claims/",
        "/events/",
        "/tags/",
        "/sources/",
        "/sources/?language=xx-",  # a 400 with the error beside the field
        "/feeds/",
        "/statements/?speaker=no-such-actor",  # the 400 page with an error beside the field
        "/statements/?speaker=antony-blinken&date_from=2030-01-01",  # an empty result
    ]


def test_main_pages_have_no_serious_accessibility_violation(live_server, page):
    call_command("loaddata", SEED_FIXTURE, verbosity=0)
    assert Actor.objects.exists()
    failures = []
    for path in main_pages():
        response = page.goto(live_server.url + path)
        assert response.status in (200, 400), f"{path} answered {response.status}"
        assert page.locator("main").inner_text().strip(), f"{path} has an empty <main>"
        violations = axe_violations(page)
        if violations:
            failures.append(f"{path}\n{describe(violations)}")
    assert not failures, "axe-core found serious/critical violations:\n" + "\n".join(failures)


def test_review_pages_have_no_serious_accessibility_violation(live_server, page):
    call_command("loaddata", SEED_FIXTURE, verbosity=0)
    password = "correct horse battery staple 42"
    User.objects.create_superuser("axe-reviewer", password=password)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("axe-reviewer")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    failures = []
    for path in ("/admin/review/sources/new/", f"/admin/review/sources/{Source.objects.get().pk}/"):
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{path} answered {response.status}"
        violations = axe_violations(page)
        if violations:
            failures.append(f"{path}\n{describe(violations)}")
    assert not failures, "axe-core found serious/critical violations:\n" + "\n".join(failures)


def test_filters_are_usable_with_the_keyboard(live_server, page):
    call_command("loaddata", SEED_FIXTURE, verbosity=0)
    page.goto(live_server.url + "/statements/")
    form = page.get_by_role("form", name="Filters")
    first_field = form.locator("input:visible, select:visible, textarea:visible").first
    first_id = first_field.get_attribute("id")
    assert first_id
    assert form.locator(f"label[for='{first_id}']").inner_text().strip()

    # Tab from the top of the page until the form's first field has the focus.
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == first_id:
            break
    else:
        pytest.fail(f"{MAX_TABS} presses of Tab never reached #{first_id}")

    # Its label names it, and typing then Enter submits the filters.
    focused_name = page.evaluate("() => document.activeElement.labels[0].textContent.trim()")
    assert focused_name
    page.keyboard.type("antony-blinken" if first_id.endswith("speaker") else "humanitarian")
    page.keyboard.press("Enter")
    page.wait_for_url("**/statements/?*")
    shown = row_ids(page)
    assert shown
    assert len(shown) < Statement.objects.published().count()
    if first_id.endswith("speaker"):
        assert {Statement.objects.get(pk=pk).speaker.slug for pk in shown} == {"antony-blinken"}
    else:
        for row in page.locator("article.statement-row").all():
            assert "humanitarian" in row.inner_text().lower()
