"""Django's ``loaddata``, with every history row it writes naming the command."""

from django.core.management.commands import loaddata

from tracker.history import AttributedCommandMixin


class Command(AttributedCommandMixin, loaddata.Command):
    pass
