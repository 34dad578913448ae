"""Error pages: a database that does not answer is a 503 ("try again shortly"), not a 500."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.views import defaults

#: Seconds a client is asked to wait before trying again when the database is down.
RETRY_AFTER = 30


def server_error(request, template_name: str = "500.html"):
    """Django's 500 view, except when the request failed because the database could not
    be reached (connect refused or timed out, connection lost): then 503 with
    ``Retry-After``, so that proxies and clients know it is temporary."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = defaults.server_error(request, template_name="503.html")
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return defaults.server_error(request, template_name)
