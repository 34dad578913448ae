"""Print the data dictionary: ``--format markdown`` (``docs/data-dictionary.md``) or
``--format json`` (the ``datapackage.json`` of the bulk download, without its rows)."""

from __future__ import annotations

import json

from statements.csv import bundle, dictionary
from tracker.history import AttributedCommand


class Command(AttributedCommand):
    help = "Print the data dictionary of the exports (markdown, or a Frictionless descriptor)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["markdown", "json"], default="markdown")
        parser.add_argument(
            "--site", default="https://tracker.example.org", help="Base URL for --format json."
        )

    def handle(self, *args, format: str, site: str, **options):
        if format == "markdown":
            self.stdout.write(dictionary.markdown(), ending="")
        else:
            descriptor = bundle.datapackage(site.rstrip("/"))
            self.stdout.write(json.dumps(descriptor, indent=2, ensure_ascii=False))
