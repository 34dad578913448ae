"""Whole pages kept for anonymous readers (tracker/page_cache.py): served again until
the next write, never to or from a signed-in user, never an error or a download."""

from __future__ import annotations

import datetime

import pytest

from statements.models import Status
from tests.conftest import drafts_reader

pytestmark = pytest.mark.django_db

HEADER = "X-Page-Cache"


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


def test_a_page_is_kept_until_the_next_write(client, make, django_assert_num_queries):
    speaker = make.actor("Kept Speaker", slug="kept")
    make.statement(speaker=speaker, said_on=datetime.date(2023, 9, 1), text="First words here")
    first = client.get("/statements/?speaker=kept")
    assert first.headers[HEADER] == "miss"
    with django_assert_num_queries(1):  # the data version
        again = client.get("/statements/?speaker=kept")
    assert again.headers[HEADER] == "hit" and again.content == first.content
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    make.statement(speaker=speaker, said_on=datetime.date(2023, 9, 2), text="Second words")
    after = client.get("/statements/?speaker=kept")
    assert after.headers[HEADER] == "miss" and b"Second words" in after.content


def test_kept_pages_carry_the_security_headers(client, make):
    make.statement()
    client.get("/")
    hit = client.get("/")
    assert hit.headers[HEADER] == "hit"
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options"):
        assert hit.headers[name]


def test_signed_in_users_never_get_or_give_a_kept_page(client, make):
    make.statement(said_on=datetime.date(2023, 9, 1))
    make.statement(said_on=datetime.date(2023, 9, 2), status=Status.DRAFT, text="Secret draft")
    staff = drafts_reader("ed", password="x" * 16)
    client.force_login(staff)
    for _ in range(2):
        response = client.get("/statements/")
        assert HEADER not in response.headers and b"Secret draft" in response.content
    client.logout()
    public = client.get("/statements/")
    assert public.headers[HEADER] == "miss" and b"Secret draft" not in public.content


def test_a_session_cookie_skips_the_cache(client, make):
    make.statement()
    client.get("/")
    assert client.get("/").headers[HEADER] == "hit"
    client.cookies["sessionid"] = "whatever"
    assert HEADER not in client.get("/").headers


def test_errors_downloads_and_the_admin_are_never_kept(client, make):
    make.statement()
    for url in ["/statements/?date_from=not-a-date", "/no-such-page/"]:
        client.get(url)
        assert HEADER not in client.get(url).headers
    assert client.get("/statements/?date_from=not-a-date").status_code == 400
    for _ in range(2):
        csv = client.get("/statements.csv")
        assert csv.status_code == 200 and HEADER not in csv.headers
    assert HEADER not in client.get("/admin/login/").headers


def test_the_host_is_part_of_the_key(client, make, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    statement = make.statement()
    url = f"/statements/{statement.pk}/"
    assert b"http://a.example/" in client.get(url, HTTP_HOST="a.example").content
    other = client.get(url, HTTP_HOST="b.example")
    assert other.headers[HEADER] == "miss" and b"http://b.example/" in other.content


def test_a_missed_page_reads_the_data_version_once(client, make, django_assert_num_queries):
    make.statement()
    from tests.statements.test_overview import OVERVIEW_QUERIES

    with django_assert_num_queries(OVERVIEW_QUERIES):  # the page's own budget, no extra read
        assert client.get("/").headers[HEADER] == "miss"
