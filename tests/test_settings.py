"""Environment-driven settings: DATABASE_URL parsing and the health check."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from tracker.settings import database_from_url


def test_postgres_url():
    config = database_from_url("postgres://app:s%40cret@db.example:6543/tracker?sslmode=require")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("tracker", "app", "s@cret")
    assert (config["HOST"], config["PORT"]) == ("db.example", "6543")
    # A 2-second connect timeout unless the URL says otherwise (/healthz answers fast).
    # No JIT unless the URL asks for other server options.
    assert config["OPTIONS"] == {
        "sslmode": "require",
        "connect_timeout": "2",
        "options": "-c jit=off",
    }
    slow = database_from_url("postgres://app@db.example/tracker?connect_timeout=10")
    assert slow["OPTIONS"]["connect_timeout"] == "10"
    tuned = database_from_url("postgres://app@db.example/tracker?options=-c%20work_mem%3D64MB")
    assert tuned["OPTIONS"]["options"] == "-c work_mem=64MB"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_served_connections_run_without_jit(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_sqlite_urls():
    assert database_from_url("sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"
    assert database_from_url("sqlite:///var/x.sqlite3")["NAME"] == "var/x.sqlite3"


def test_unknown_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="unsupported scheme"):
        database_from_url("mysql://root@localhost/tracker")


@pytest.mark.django_db
def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
