"""Every management command that can write names itself in history, by inheritance."""

from __future__ import annotations

from django.core.management import get_commands, load_command_class

from tracker.history import AttributedCommandMixin, command_reason

PROJECT_APPS = {"actors", "statements", "tracker"}
# Load-test tooling: writes with SQL (COPY / executemany), so no history row is made.
WITHOUT_HISTORY = {"benchmark", "generate_synthetic"}
# Django's commands that save tracked models through the ORM, overridden in tracker.
OVERRIDDEN = {"loaddata", "shell"}


def test_every_project_command_is_attributed():
    commands = {
        name: app
        for name, app in get_commands().items()
        if app in PROJECT_APPS and name not in WITHOUT_HISTORY
    }
    assert {"ingest", "import_archive", "loaddata", "shell"} <= commands.keys()
    for name, app in commands.items():
        assert isinstance(load_command_class(app, name), AttributedCommandMixin), name


def test_django_commands_that_write_are_overridden():
    commands = get_commands()
    for name in OVERRIDDEN:
        assert commands[name] == "tracker", name


def test_the_reason_names_the_command_and_fits_the_column():
    command = load_command_class("tracker", "loaddata")
    reason = command_reason(command)
    assert reason.startswith("manage.py loaddata (by ")
    assert len(reason) <= 100
