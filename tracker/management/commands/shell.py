"""Django's ``shell``: whatever is saved from it names the command in history."""

from django.core.management.commands import shell

from tracker.history import AttributedCommandMixin


class Command(AttributedCommandMixin, shell.Command):
    pass
