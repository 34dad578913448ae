"""API test helpers: clients for each kind of caller, and walking ``next`` links."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from rest_framework.authtoken.models import Token

GENEROUS = {"anon": "100000/min", "user": "100000/min"}


@pytest.fixture(autouse=True)
def _generous_rates(settings):
    """The tests walk many pages; the throttling tests set their own rates."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": GENEROUS}


def token_client(*, staff: bool, username: str | None = None) -> Client:
    username = username or ("editor" if staff else "reader")
    user = get_user_model().objects.create_user(username, password=None, is_staff=staff)
    if staff:  # an editor: staff allowed to view statements see drafts
        user.groups.add(Group.objects.get(name="editor"))
    token = Token.objects.create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


@pytest.fixture
def staff_api(db):
    return token_client(staff=True)


@pytest.fixture
def reader_api(db):
    """A token of a signed-up user who is not staff: public data only."""
    return token_client(staff=False)


def api_rows(client: Client, url: str) -> list[dict]:
    """Every row of an API list, following ``next`` to the end."""
    rows: list[dict] = []
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        rows.extend(body["results"])
        url = body["next"]
        pages += 1
        assert pages < 200
    return rows


def api_ids(client: Client, url: str) -> list:
    return [row["id"] for row in api_rows(client, url)]
