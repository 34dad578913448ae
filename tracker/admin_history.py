"""History pages that show whole texts: every changed word, nothing cut short.

simple_history shortens each changed value to 100 characters around the first
difference, so an edit late in a long quote is invisible. :class:`FullDiffHistoryMixin`
shows both values whole, the removed words struck through (``<del>``) and the added
ones marked (``<ins>``). For fields whose values can be very long (a source's body),
leave the admin without it.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from simple_history.template_utils import HistoricalRecordContextHelper

# Above this many characters a value is shown whole but without the word diff, whose
# cost grows faster than the text.
WORD_DIFF_LIMIT = 20_000


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """``old`` and ``new`` as HTML, removed words in ``<del>``, added ones in ``<ins>``."""
    if len(old) > WORD_DIFF_LIMIT or len(new) > WORD_DIFF_LIMIT:
        return escape(old), escape(new)
    before, after = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    old_parts: list[str] = []
    new_parts: list[str] = []
    matcher = SequenceMatcher(a=before, b=after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(before[i1:i2]), "".join(after[j1:j2])
        if op == "equal":
            old_parts.append(escape(removed))
            new_parts.append(escape(added))
            continue
        if removed:
            old_parts.append(format_html("<del>{}</del>", removed))
        if added:
            new_parts.append(format_html("<ins>{}</ins>", added))
    return mark_safe("".join(old_parts)), mark_safe("".join(new_parts))  # each part escaped above


class FullDiffContextHelper(HistoricalRecordContextHelper):
    def stringify_delta_change_values(self, change, old, new):
        def text(value) -> str:
            if isinstance(value, list):
                return ", ".join(str(item) for item in value)
            return "" if value is None else str(value)

        return word_diff(text(old), text(new))


class FullDiffHistoryMixin:
    """For a ``SimpleHistoryAdmin``: whole values with a word diff on its history page."""

    def get_historical_record_context_helper(self, request, historical_record):
        return FullDiffContextHelper(self.model, historical_record)
