"""The editor's flow: log in, paste a report, review drafts, publish one, discard one."""

from __future__ import annotations

import importlib
import re

import pytest
from django.contrib.auth.models import Group, Permission, User

from statements.models import DatePrecision, Statement, Status
from tests.e2e.conftest import SEED_TEXT, row_ids

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple 42"
ROLE_GROUPS = ("editor", "reviewer")


def role_groups() -> list[Group]:
    """The *editor* and *reviewer* groups of the data migration.

    A transactional test's flush empties the groups table (permissions come back through
    post_migrate), so they are rebuilt here from the migration's own permission lists.
    """
    migration = importlib.import_module("statements.migrations.0004_roles_as_groups")
    lists = {
        "editor": migration.EDITOR_PERMISSIONS,
        "reviewer": migration.REVIEWER_PERMISSIONS,
    }
    groups = []
    for name in ROLE_GROUPS:
        group, created = Group.objects.get_or_create(name=name)
        if created:
            for app_label, codename in lists[name]:
                group.permissions.add(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
        groups.append(group)
    return groups


def test_editor_ingests_reviews_and_publishes(live_server, browser, page):
    editor = User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    editor.groups.set(role_groups())
    assert editor.has_perms(["statements.add_source", "statements.publish_statement"])

    page.goto(live_server.url + "/admin/login/?next=/admin/review/sources/new/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/review/sources/new/")

    # Paste the seed report with a title; the date comes from its 'date …' header.
    page.get_by_label("Title").fill("Karabakh, 10 September 2023")
    page.get_by_label("Published on").fill("2023-09-10")
    page.get_by_label(re.compile(r"^Text\b")).fill(SEED_TEXT.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Store and extract statements").click()
    page.wait_for_url("**/admin/review/sources/*/")
    assert "Source stored with" in page.locator(".messagelist").inner_text()

    drafts = page.locator("section.draft")
    assert drafts.count() >= 3
    assert Statement.objects.filter(status=Status.DRAFT).count() == drafts.count()
    # Each draft shows its evidence highlighted in the text.
    first, second = drafts.nth(0), drafts.nth(1)
    assert "deeply concerned" in first.locator("mark.ev-content").first.inner_text()
    assert first.locator("mark.ev-speaker, mark.ev-cue").count() >= 1

    published_id = int(first.get_attribute("id").removeprefix("s"))
    discarded_id = int(second.get_attribute("id").removeprefix("s"))
    published_text = Statement.objects.get(pk=published_id).text

    # Nothing is public yet: an anonymous visitor sees an empty list.
    visitor = browser.new_context()
    anonymous = visitor.new_page()
    anonymous.goto(live_server.url + "/statements/")
    assert row_ids(anonymous) == []

    # Correct the first draft's date precision, then publish it.
    first.get_by_label("Date precision").select_option(DatePrecision.DAY)
    first.get_by_role("button", name="Publish").click()
    # The save returns to the review page that holds the draft (?page=N#s<id>).
    page.wait_for_url(f"**/admin/review/sources/*/?page=*#s{published_id}")
    assert f"Statement {published_id} published." in page.locator(".messagelist").inner_text()
    done = page.locator(f"#s{published_id}")
    assert "Published" in done.inner_text()
    assert done.get_by_role("link", name="Public page").is_visible()

    # Discard the second: it leaves the review list.
    # (The redirect keeps the URL's fragment, so wait for the navigation, not a URL.)
    with page.expect_navigation():
        page.locator(f"#s{discarded_id}").get_by_role("button", name="Discard").click()
    assert f"Statement {discarded_id} discarded." in page.locator(".messagelist").inner_text()
    assert page.locator(f"#s{discarded_id}").count() == 0
    assert "1 discarded" in page.locator("#content-main").inner_text()

    published = Statement.objects.get(pk=published_id)
    assert (published.status, published.date_precision) == (Status.PUBLISHED, DatePrecision.DAY)

    # An anonymous visitor sees exactly the published statement, never the discarded one.
    anonymous.goto(live_server.url + "/statements/")
    assert row_ids(anonymous) == [published_id]
    assert published_text[:40] in anonymous.locator("main").inner_text()
    anonymous.goto(live_server.url + f"/statements/{published_id}/")
    assert "Not public" not in anonymous.locator("main").inner_text()
    assert "10 Sep 2023" in anonymous.locator("main").inner_text()
    assert "on or before" not in anonymous.locator("dl.facts").inner_text()
    anonymous.get_by_role(
        "link", name="Read the full source, with this statement highlighted"
    ).click()
    anonymous.wait_for_url(f"**/sources/{published.source_id}/#s{published_id}")
    assert anonymous.locator("a.span-start[id]").evaluate_all(
        "anchors => anchors.map(a => a.id)"
    ) == [f"s{published_id}"]  # neither the discarded statement nor the other drafts
    response = anonymous.goto(live_server.url + f"/statements/{discarded_id}/")
    assert response.status == 404
    visitor.close()
