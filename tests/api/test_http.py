"""The API over HTTP: errors as JSON (never a 500), rate limits, conditional requests,
CORS, the OpenAPI schema and its documentation page."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from openapi_spec_validator import validate

from statements.csv.cells import STATEMENT_COLUMNS
from statements.filters import StatementFilter
from statements.models import Statement
from tests.api.conftest import token_client
from tests.statements.test_filters import BAD_INPUTS

pytestmark = pytest.mark.django_db

TABLES = ("statements", "actors", "claims", "stances", "events", "sources", "tags")


# -- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(("params", "message"), BAD_INPUTS)
def test_bad_filter_answers_400_with_field_errors(client, seed, params, message):
    response = client.get("/api/v1/statements/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = response.json()
    assert "results" not in errors
    assert all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in errors.values())
    assert message in json.dumps(errors, ensure_ascii=False)
    field = next(iter(params))
    expected_key = "non_field_errors" if field == "favourite" else field
    if field == "date_from" and "date_to" in params:
        expected_key = "date_to"
    assert expected_key in errors


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/statements/?speaker=%00",
        "/api/v1/statements/?cursor=" + "A" * 3000,
        "/api/v1/statements/?cursor=eyJzIjpbXX0:1abc:def",
        "/api/v1/statements/?page=99999999999999999999999",
        "/api/v1/statements/?%00=1",
        "/api/v1/actors/?parent=" + "a" * 300,
        "/api/v1/claims/?speaker=x&speaker=y&status=nope",
        "/api/v1/events/?date_from=2023-02-30",
        "/api/v1/tags/?q=" + "x" * 600,
        "/api/v1/sources/?date_to=yesterday",
        "/api/v1/stances/?claim=%EF%BC%91",
        "/api/v1/stances/?q=anything",
    ],
)
def test_hostile_filters_are_400_never_500(client, seed, url):
    response = client.get(url)
    assert response.status_code == 400
    assert isinstance(response.json(), dict)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/statements/99999999999999999999999/",
        "/api/v1/statements/0/",
        "/api/v1/claims/12abc/",
        "/api/v1/events/%EF%BC%91/",
        "/api/v1/sources/99999999/",
        "/api/v1/stances/-1/",
        "/api/v1/actors/%00/",
        "/api/v1/actors/" + "a" * 300 + "/",
        "/api/v1/tags/no-such-tag/",
        "/api/v1/statements/?page=20",
        "/api/v1/nothing/",
        "/api/v2/statements/",
    ],
)
def test_unknown_objects_are_404(client, seed, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_cursor_from_another_ordering_is_400(client, seed, settings):
    settings.PAGE_SIZE = 3
    newest = client.get("/api/v1/statements/").json()["next"]
    cursor = re.search(r"cursor=([^&]+)", newest).group(1)
    response = client.get(f"/api/v1/statements/?sort=said_on&cursor={cursor}")
    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


def test_read_only(client, staff_api, seed):
    for caller in (client, staff_api):
        assert caller.post("/api/v1/statements/", {}).status_code in (403, 405)
        assert caller.delete("/api/v1/statements/1/").status_code in (403, 405)


# -- rate limits -------------------------------------------------------------------------


def test_anonymous_callers_are_throttled_with_retry_after(client, seed, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "100/min"},
    }
    for _ in range(3):
        assert client.get("/api/v1/tags/").status_code == 200
    response = client.get("/api/v1/statements/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "detail" in response.json()
    # A token has its own, generous allowance; the HTML pages are not throttled.
    staff = token_client(staff=True)
    assert all(staff.get("/api/v1/tags/").status_code == 200 for _ in range(5))
    assert client.get("/statements/").status_code == 200


def test_the_default_anonymous_rate_is_sixty_a_minute():
    from tracker import settings as project_settings

    assert project_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"] == "60/min"


# -- conditional requests ----------------------------------------------------------------


def test_unchanged_data_answers_304(client, seed, make):
    first = client.get("/api/v1/statements/?tag=nagorno-karabakh")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    again = client.get("/api/v1/statements/?tag=nagorno-karabakh", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    since = client.get("/api/v1/statements/?tag=nagorno-karabakh", HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304
    # Another page or another audience has another tag.
    assert client.get("/api/v1/statements/?sort=said_on")["ETag"] != etag
    staff = token_client(staff=True)
    staff_page = staff.get("/api/v1/statements/?tag=nagorno-karabakh", HTTP_IF_NONE_MATCH=etag)
    assert staff_page.status_code == 200 and staff_page["ETag"] != etag
    # Any write makes every page new.
    make.statement(tags=["nagorno-karabakh"])
    after = client.get("/api/v1/statements/?tag=nagorno-karabakh", HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200 and after["ETag"] != etag
    after_since = client.get(
        "/api/v1/statements/?tag=nagorno-karabakh", HTTP_IF_MODIFIED_SINCE=modified
    )
    assert after_since.status_code == 200


def test_details_are_conditional_too_and_never_shared(client, seed):
    url = f"/api/v1/statements/{Statement.objects.published().first().pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert "Authorization" in response["Vary"]
    assert "private" in response["Cache-Control"]


def test_api_is_never_served_from_the_page_cache(client, seed, settings):
    settings.PAGE_CACHE_SECONDS = 600
    staff = token_client(staff=True)
    staff_rows = staff.get("/api/v1/sources/").json()["results"]
    public = client.get("/api/v1/sources/")
    assert "X-Page-Cache" not in public
    assert all("status" not in row for row in public.json()["results"])
    assert all("status" in row for row in staff_rows)


# -- CORS ----------------------------------------------------------------------------------


def test_cors_allows_gets_of_the_api_from_any_origin_only(client, seed):
    origin = {"HTTP_ORIGIN": "https://research.example"}
    response = client.get("/api/v1/statements/", **origin)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/statements/", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET", **origin
    )
    assert preflight.status_code == 200
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    for url in ("/statements/", "/statements.csv", "/admin/login/", "/"):
        assert "Access-Control-Allow-Origin" not in client.get(url, **origin), url


# -- schema and docs -----------------------------------------------------------------------


@pytest.fixture
def schema(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_schema_documents_every_table_filter_and_field(schema):
    paths = schema["paths"]
    for table in TABLES:
        assert f"/api/v1/{table}/" in paths
        detail = [p for p in paths if p.startswith(f"/api/v1/{table}/{{")]
        assert len(detail) == 1, table
    parameters = {p["name"] for p in paths["/api/v1/statements/"]["get"]["parameters"]}
    assert parameters == set(StatementFilter.base_filters) - {"bom"}
    speaker = next(
        p for p in paths["/api/v1/statements/"]["get"]["parameters"] if p["name"] == "speaker"
    )
    assert speaker["schema"]["type"] == "array"
    statement = schema["components"]["schemas"]["Statement"]["properties"]
    assert set(STATEMENT_COLUMNS) <= set(statement)
    assert "status" not in schema["components"]["schemas"]["Statement"].get("required", [])
    page = schema["components"]["schemas"]["PaginatedStatementList"]["properties"]
    assert set(page) == {"next", "previous", "results"}
    assert "body" in schema["components"]["schemas"]["SourceDetail"]["properties"]
    assert "body" not in schema["components"]["schemas"]["Source"]["properties"]
    listing = paths["/api/v1/statements/"]["get"]["responses"]
    assert {"200", "400", "404", "429"} <= set(listing)
    assert "Retry-After" in listing["429"]["headers"]


def test_docs_page_loads_only_local_files_and_no_inline_script(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # every script has a src
    assert "https://" not in html and "http://" not in html
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
        else:
            assert url.startswith("/api/docs/"), url
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_readme_shows_a_curl_of_the_api():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert re.search(r"curl [^\n]*/api/v1/statements/", readme)


def test_unauthenticated_docs_and_schema_are_public(db):
    assert Client().get("/api/schema/").status_code == 200
