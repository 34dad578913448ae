"""Login throttling: an authentication backend that stops guessing.

After ``LOGIN_FAILURE_LIMIT`` failed logins for one username *or* from one client
address within ``LOGIN_LOCKOUT_SECONDS``, further attempts for that username or from
that address fail — with the ordinary "wrong username or password" error — until the
oldest of those failures is older than the window. Failures are rows in the database
(:class:`tracker.models.LoginFailure`), so every process and server sees them.

The client address is ``REMOTE_ADDR``. Behind ``TRUSTED_PROXY_COUNT`` reverse proxies
it is the address the outermost trusted proxy saw, i.e. the N-th entry from the right
of ``X-Forwarded-For``; entries further left are whatever the client sent and are
never believed, so a forged header cannot spread one client over many addresses.

A locked attempt still runs the password hasher once, so answering it takes about as
long as checking a password.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tracker.models import LoginFailure

LOCKED_MESSAGE = "Too many failed logins. Try again later."


def client_address(request) -> str:
    """The client's IP address, trusting only the configured number of proxies."""
    remote = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0 and request is not None:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            candidate = hops[-proxies]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote


def _key(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def _keys(username: str | None, address: str) -> list[tuple[str, str]]:
    keys = []
    if username:
        keys.append((LoginFailure.Scope.USERNAME, _key(username)))
    if address:
        keys.append((LoginFailure.Scope.ADDRESS, _key(address)))
    return keys


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)


def is_locked(username: str | None, address: str) -> bool:
    since = _window_start()
    for scope, key in _keys(username, address):
        recent = LoginFailure.objects.filter(scope=scope, key=key, failed_at__gte=since)
        if recent.count() >= settings.LOGIN_FAILURE_LIMIT:
            return True
    return False


def record_failure(username: str | None, address: str) -> None:
    now = timezone.now()
    LoginFailure.objects.bulk_create(
        [
            LoginFailure(scope=scope, key=key, failed_at=now)
            for scope, key in _keys(username, address)
        ]
    )
    # Keep the table small: what is out of the window no longer counts.
    LoginFailure.objects.filter(failed_at__lt=_window_start()).delete()


def clear_failures(username: str) -> None:
    """A correct password forgives that username's failures (not the address's)."""
    LoginFailure.objects.filter(scope=LoginFailure.Scope.USERNAME, key=_key(username)).delete()


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user_model = get_user_model()
        if username is None:
            username = kwargs.get(user_model.USERNAME_FIELD)
        if username is None or password is None:
            return None
        username = str(username)[:300]
        address = client_address(request)
        if is_locked(username, address):
            user_model().set_password(password)  # same work as checking a password
            if request is not None:
                messages.error(request, LOCKED_MESSAGE, fail_silently=True)
            # PermissionDenied: no other backend may let this attempt in either.
            raise PermissionDenied(LOCKED_MESSAGE)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username, address)
        else:
            clear_failures(username)
        return user
