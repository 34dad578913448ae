"""Helpers for the small word lists the extractor uses."""

from __future__ import annotations


def words(spaced: str) -> frozenset[str]:
    """A set of words written as one space-separated string."""
    return frozenset(spaced.split())
