"""``tracker`` is the project's configuration and cross-cutting infrastructure: it imports
no domain app, except ``tracker/urls.py``, which mounts their pages."""

from __future__ import annotations

import ast
from pathlib import Path

import tracker

DOMAIN_APPS = {"actors", "statements"}
ALLOWED = {"urls.py"}


def _imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_tracker_imports_no_domain_app():
    root = Path(tracker.__file__).parent
    offending = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] == "migrations" or str(relative) in ALLOWED:
            continue
        for module in _imported_modules(path):
            if module.split(".")[0] in DOMAIN_APPS:
                offending.append(f"{relative}: {module}")
    assert offending == []
