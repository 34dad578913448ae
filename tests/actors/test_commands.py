"""`ensure_local_superuser`: the first login of `make run`, and nothing more."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("ensure_local_superuser", stdout=out)
    return out.getvalue()


def test_creates_a_superuser_once_and_prints_a_working_password(settings):
    settings.DEBUG = True
    output = run()
    password = output.split("password: ")[1].split()[0]
    user = authenticate(username="admin", password=password)
    assert user is not None and user.is_superuser
    assert run() == ""  # a second run neither creates nor prints anything
    assert get_user_model().objects.count() == 1


def test_does_nothing_when_users_exist(settings, django_user_model):
    settings.DEBUG = True
    django_user_model.objects.create_user("editor", password="x" * 16)
    assert run() == ""
    assert not django_user_model.objects.filter(username="admin").exists()


def test_does_nothing_when_debug_is_off(settings, django_user_model):
    settings.DEBUG = False
    assert "DEBUG is off" in run()
    assert not django_user_model.objects.exists()


def test_prints_the_address_make_run_serves_on(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("ensure_local_superuser", "--site", "http://127.0.0.1:8123", stdout=out)
    assert "http://127.0.0.1:8123/admin/" in out.getvalue()
    assert ":8000" not in out.getvalue()
