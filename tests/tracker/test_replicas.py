"""Read replicas (tracker/replicas.py): who reads where."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from tracker.replicas import ReplicaReadsMiddleware, ReplicaRouter, reading_replica


def seen_by(request, streaming: bool = False):
    """The replica the router would read from inside the view (and while streaming)."""
    seen = {}

    def view(_request):
        seen["view"] = reading_replica()
        if streaming:

            def chunks():
                seen["stream"] = reading_replica()
                yield b"row\n"

            return StreamingHttpResponse(chunks())
        return HttpResponse("ok")

    response = ReplicaReadsMiddleware(view)(request)
    if streaming:
        b"".join(response.streaming_content)
    seen["after"] = reading_replica()
    return seen


def test_anonymous_reads_go_to_a_replica_everything_else_to_the_primary(settings):
    settings.REPLICA_DATABASES = ["replica0"]
    factory = RequestFactory()
    assert seen_by(factory.get("/statements/")) == {"view": "replica0", "after": None}
    assert seen_by(factory.get("/statements.csv"), streaming=True) == {
        "view": "replica0",
        "stream": "replica0",
        "after": None,
    }
    signed_in = factory.get("/statements/")
    signed_in.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    for request in [factory.post("/admin/login/"), factory.get("/admin/"), signed_in]:
        assert seen_by(request) == {"view": None, "after": None}


def test_without_replicas_nothing_changes(settings):
    settings.REPLICA_DATABASES = []
    assert seen_by(RequestFactory().get("/")) == {"view": None, "after": None}


def test_the_router_reads_where_the_request_says_and_writes_to_the_primary(settings):
    settings.REPLICA_DATABASES = ["replica0"]
    router = ReplicaRouter()
    assert router.db_for_read(None) == "default"
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("default", "statements") is True
    assert router.allow_migrate("replica0", "statements") is False

    def view(_request):
        return HttpResponse(router.db_for_read(None))

    response = ReplicaReadsMiddleware(view)(RequestFactory().get("/"))
    assert response.content == b"replica0"


def test_replica_urls_become_mirrored_aliases_and_a_router():
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://u@primary:5432/tracker",
        "DATABASE_REPLICA_URLS": "postgres://u@r1:5432/tracker, postgres://u@r2:5432/tracker",
    }
    probe = (
        "import json; from tracker import settings as s; print(json.dumps({"
        "'aliases': sorted(s.DATABASES), 'hosts': [s.DATABASES[a]['HOST'] for a in "
        "s.REPLICA_DATABASES], 'mirror': s.DATABASES['replica1']['TEST'], "
        "'routers': s.DATABASE_ROUTERS}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == {
        "aliases": ["default", "replica0", "replica1"],
        "hosts": ["r1", "r2"],
        "mirror": {"MIRROR": "default"},
        "routers": ["tracker.replicas.ReplicaRouter"],
    }
