"""Login throttling on the admin: 5 failures per username or per address lock it out."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tracker.auth import LOCKED_MESSAGE, client_address
from tracker.models import LoginFailure

PASSWORD = "correct horse battery staple 42"
LOGIN_URL = reverse("admin:login")
WRONG_LOGIN_ERROR = "Please enter the correct username and password"


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    """Hashing a password costs ~0.3 s by design; these tests do it dozens of times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(db, fast_hasher):
    return User.objects.create_user("clerk", "clerk@example.org", PASSWORD, is_staff=True)


def attempt(client: Client, username: str, password: str, **extra):
    return client.post(
        LOGIN_URL, {"username": username, "password": password, "next": "/admin/"}, **extra
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_right_password_logs_in(staff, client):
    assert logged_in(attempt(client, "clerk", PASSWORD))


def test_five_failures_for_a_username_lock_it_even_with_the_right_password(staff):
    for n in range(5):
        # A different address each time: the username lock must still hold.
        response = attempt(Client(), "clerk", "wrong", REMOTE_ADDR=f"10.0.0.{n + 1}")
        assert response.status_code == 200
        assert WRONG_LOGIN_ERROR in response.content.decode()
    response = attempt(Client(), "clerk", PASSWORD, REMOTE_ADDR="10.0.0.99")
    assert not logged_in(response)
    page = response.content.decode()
    assert WRONG_LOGIN_ERROR in page
    assert LOCKED_MESSAGE in page


def test_four_failures_do_not_lock(staff):
    for _ in range(4):
        attempt(Client(), "clerk", "wrong")
    assert logged_in(attempt(Client(), "clerk", PASSWORD))


def test_success_forgives_the_usernames_failures(staff):
    for _ in range(4):
        attempt(Client(), "clerk", "wrong", REMOTE_ADDR="10.1.1.1")
    assert logged_in(attempt(Client(), "clerk", PASSWORD, REMOTE_ADDR="10.1.1.2"))
    for _ in range(4):
        attempt(Client(), "clerk", "wrong", REMOTE_ADDR="10.1.1.3")
    assert logged_in(attempt(Client(), "clerk", PASSWORD, REMOTE_ADDR="10.1.1.4"))


def test_five_failures_from_an_address_lock_that_address_for_every_username(staff):
    for n in range(5):
        attempt(Client(), f"nobody{n}", "wrong", REMOTE_ADDR="192.0.2.7")
    assert not logged_in(attempt(Client(), "clerk", PASSWORD, REMOTE_ADDR="192.0.2.7"))
    # Another address is not affected.
    assert logged_in(attempt(Client(), "clerk", PASSWORD, REMOTE_ADDR="192.0.2.8"))


def test_forged_x_forwarded_for_does_not_bypass_the_address_lock(staff):
    for n in range(5):
        attempt(
            Client(),
            f"nobody{n}",
            "wrong",
            REMOTE_ADDR="192.0.2.9",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    response = attempt(
        Client(), "clerk", PASSWORD, REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="203.0.113.200"
    )
    assert not logged_in(response)


def test_lock_expires_after_the_window(staff, settings):
    settings.LOGIN_LOCKOUT_SECONDS = 900
    for _ in range(5):
        attempt(Client(), "clerk", "wrong")
    assert not logged_in(attempt(Client(), "clerk", PASSWORD))
    # Age the failures past the window, as 15 minutes would.
    from datetime import timedelta

    from django.utils import timezone

    LoginFailure.objects.update(failed_at=timezone.now() - timedelta(seconds=901))
    assert logged_in(attempt(Client(), "clerk", PASSWORD))


def test_failures_are_stored_as_hashes_not_text(staff):
    attempt(Client(), "my-secret-password-typed-as-username", "wrong", REMOTE_ADDR="192.0.2.1")
    keys = list(LoginFailure.objects.values_list("key", flat=True))
    assert len(keys) == 2
    assert all(len(key) == 64 and "secret" not in key for key in keys)


class FakeRequest:
    def __init__(self, remote: str, forwarded: str | None = None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "203.0.113.5", "192.0.2.1"),  # no proxy: header ignored
        (1, "10.0.0.1", "203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # forged left part ignored
        (2, "10.0.0.1", "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (1, "10.0.0.1", "not-an-ip", "10.0.0.1"),
        (2, "10.0.0.1", "203.0.113.5", "10.0.0.1"),  # fewer hops than proxies
        (1, "10.0.0.1", None, "10.0.0.1"),
    ],
)
def test_client_address_trusts_only_the_configured_proxies(
    settings, proxies, remote, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(FakeRequest(remote, forwarded)) == expected


def test_behind_one_proxy_a_client_cannot_rotate_forged_addresses(staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        attempt(
            Client(),
            f"nobody{n}",
            "wrong",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 203.0.113.5",
        )
    response = attempt(
        Client(),
        "clerk",
        PASSWORD,
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5",
    )
    assert not logged_in(response)
