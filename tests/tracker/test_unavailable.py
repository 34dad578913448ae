"""A database that does not answer: /healthz says so fast, pages answer 503, not 500."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run in a separate process: the settings read DATABASE_URL once, at start.
SCRIPT = textwrap.dedent(
    """
    import json, time
    import django
    django.setup()
    from django.test import Client
    client = Client(raise_request_exception=False)
    found = {}
    for url in ["/healthz", "/", "/statements/", "/statements.csv", "/actors/azerbaijan/"]:
        start = time.monotonic()
        response = client.get(url)
        found[url] = {
            "status": response.status_code,
            "seconds": time.monotonic() - start,
            "retry_after": response.get("Retry-After"),
            "body": b"".join(response) .decode()[:2000] if response.streaming else response.content.decode()[:2000],
        }
    print(json.dumps(found))
    """
)


def run_against_unreachable_database() -> dict:
    env = {
        **os.environ,
        # Nothing listens on port 9 here: the connection is refused at once.
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/nowhere",
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "PAGE_CACHE_SECONDS": "600",
        "STATIC_MANIFEST": "0",  # no collectstatic in a test run
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_pages_answer_503_fast_when_the_database_is_unreachable():
    found = run_against_unreachable_database()
    health = found.pop("/healthz")
    assert health["status"] == 503 and health["seconds"] < 2
    assert health["body"] == "database unavailable"
    for url, page in found.items():
        assert page["status"] == 503, url
        assert page["seconds"] < 2, url
        assert page["retry_after"] == "30", url
        if url != "/statements.csv":
            assert "Temporarily unavailable" in page["body"], url
