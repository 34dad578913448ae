"""A statement's history page: its own versions, and the changes made around it.

Stances and tags live in their own tables, so saving them leaves no version of the
statement; their history rows (who, when, why) are listed under the statement's own,
newest first. Recipients and events are tracked with the statement itself
(``m2m_fields``) and appear in its diffs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from taggit.models import Tag

from statements.models import Claim, Stance
from tracker.models import HistoricalTaggedStatement

RELATED_LIMIT = 200  # the newest related changes shown; older ones stay in the tables
VERBS = {"+": "added", "~": "changed", "-": "removed"}


@dataclass(frozen=True)
class RelatedChange:
    when: datetime
    user: object
    reason: str
    what: str


def related_changes(statement_id: int) -> list[RelatedChange]:
    """Stance and tag changes of one statement, newest first (four queries)."""
    stances = list(
        Stance.history.filter(statement_id=statement_id)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:RELATED_LIMIT]
    )
    tags = list(
        HistoricalTaggedStatement.objects.filter(content_object_id=statement_id)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:RELATED_LIMIT]
    )
    claims = Claim.objects.in_bulk({row.claim_id for row in stances})
    names = Tag.objects.in_bulk({row.tag_id for row in tags})
    changes = [
        RelatedChange(
            row.history_date,
            row.history_user,
            row.history_change_reason or "",
            f"Stance {VERBS[row.history_type]}: {row.stance} “{claims.get(row.claim_id, row.claim_id)}”",
        )
        for row in stances
    ] + [
        RelatedChange(
            row.history_date,
            row.history_user,
            row.history_change_reason or "",
            f"Tag {VERBS[row.history_type]}: {names.get(row.tag_id, row.tag_id)}",
        )
        for row in tags
    ]
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:RELATED_LIMIT]
