"""Production settings: `check --deploy` is clean with DEBUG=0, and the settings say so."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_settings(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "SESSION_"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "example.org",
}


def test_check_deploy_reports_no_warning():
    result = run_settings(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_check_deploy_fails_when_protection_is_turned_off():
    """The check above can fail: turning HSTS and the redirect off is reported."""
    env = {**PRODUCTION, "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0"}
    result = run_settings(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout
    assert "security.W004" in result.stderr + result.stdout


PRINT_SETTINGS = (
    "from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
    "s.CSRF_COOKIE_SECURE, s.X_FRAME_OPTIONS, s.SECURE_REFERRER_POLICY, "
    "s.SECURE_CONTENT_TYPE_NOSNIFF, s.SECURE_HSTS_SECONDS >= 31536000, "
    "getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
)


def test_production_turns_every_protection_on():
    result = run_settings(PRODUCTION, "shell", "-c", PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "True",
        "True",
        "True",
        "True",
        "DENY",
        "same-origin",
        "True",
        "True",
        "None",
    ]


def test_proxy_ssl_header_only_when_the_environment_says_so():
    result = run_settings(
        {**PRODUCTION, "SECURE_PROXY_SSL_HEADER": "1"}, "shell", "-c", PRINT_SETTINGS
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split()[-2:] == ["('HTTP_X_FORWARDED_PROTO',", "'https')"]


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_settings({**env, "SECRET_KEY": ""}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    "password", ["short1", "password1234", "123456789012345", "clerk-clerk-clerk"]
)
def test_weak_passwords_are_refused(password, db):
    from django.contrib.auth.models import User
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = User(username="clerk-clerk-clerk", email="clerk@example.org")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_strong_password_is_accepted(db):
    from django.contrib.auth.models import User
    from django.contrib.auth.password_validation import validate_password

    validate_password("violet tractor anthem 1987", User(username="clerk"))


def test_the_wsgi_entry_point_tunes_the_garbage_collector():
    """Served processes freeze what start-up loaded and collect less often (see
    tracker/gc_tuning.py for the measured effect)."""
    import subprocess
    import sys

    from tracker.gc_tuning import THRESHOLDS

    probe = "import gc, tracker.wsgi; print(gc.get_threshold(), gc.get_freeze_count() > 1000)"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert out == f"{THRESHOLDS} True"
