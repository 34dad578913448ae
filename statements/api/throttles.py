"""Rate limits: anonymous callers per client address, token holders per user.

The rates are ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (settings), read on each
request rather than once at import, so a deployment (or a test) may change them. A
throttled request answers 429 with ``Retry-After``. The counts live in the default
cache: per process with the local-memory cache, shared with a shared one.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class CurrentRate:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonymousThrottle(CurrentRate, AnonRateThrottle):
    scope = "anon"


class TokenThrottle(CurrentRate, UserRateThrottle):
    scope = "user"
