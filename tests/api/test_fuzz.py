"""Random and hostile query strings and addresses at every API endpoint: never a 500,
always JSON."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_fuzz import query_strings

TABLES = ("statements", "actors", "claims", "stances", "events", "sources", "tags")
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)


def assert_json_answer(response, url: str) -> None:
    assert response.status_code in (200, 400, 404), (url, response.status_code)
    assert response["Content-Type"] == "application/json", url


@FUZZ
@given(table=st.sampled_from(TABLES), query=query_strings)
def test_random_filters_never_500(seed, table, query):
    url = f"/api/v1/{table}/?{query}"
    assert_json_answer(Client().get(url), url)


@FUZZ
@given(table=st.sampled_from(TABLES), key=st.one_of(st.text(max_size=40), st.binary(max_size=40)))
def test_random_detail_addresses_never_500(seed, table, key):
    raw = key if isinstance(key, bytes) else key.encode("utf-8", "surrogatepass")
    url = f"/api/v1/{table}/{quote(raw, safe='')}/"
    assert_json_answer(Client().get(url), url)


@pytest.mark.parametrize("table", TABLES)
def test_every_table_answers(client, seed, table):
    assert_json_answer(client.get(f"/api/v1/{table}/"), table)
