"""Slugs that are unique and never reused, for any model with a ``slug`` field."""

from __future__ import annotations

from collections.abc import Collection

from django.db import models
from django.utils.text import slugify

MAX_BASE = 190  # leaves room for "-N" within a 200-character slug


def free_slug(
    model: type[models.Model],
    text: str,
    *,
    fallback: str = "item",
    exclude_pk=None,
    taken: Collection[str] = (),
) -> str:
    """The slug of ``text`` (``base``, ``base-2``, ``base-3``, …) that no row of ``model``
    has, nor ever had: a model with history (django-simple-history's ``history``) keeps
    the slugs of deleted and renamed rows, so a permalink never comes to name something
    else. ``taken`` holds slugs handed out but not saved yet; ``exclude_pk`` is the row
    being edited."""
    base = (slugify(text) or fallback)[:MAX_BASE]
    history = getattr(model, "history", None)
    candidate, n = base, 1
    while (
        candidate in taken
        or _used(model._default_manager, candidate, exclude_pk)
        or (history is not None and _used(history, candidate, exclude_pk))
    ):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _used(manager, slug: str, exclude_pk) -> bool:
    """Whether a row (or, for a history manager, any past version of a row) other than
    ``exclude_pk`` has ``slug``; history rows keep the original row's ``id``."""
    rows = manager.filter(slug=slug)
    if exclude_pk is not None:
        rows = rows.exclude(id=exclude_pk)
    return rows.exists()
