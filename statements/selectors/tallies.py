"""Counts, first dates and per-day series read from the tallies
(``statements.models.tallies``), which the database keeps exact on every write: a page
reads one row per day its subject has statements, however large the archive."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from statements import visibility
from statements.models import CLAIM_KINDS, Tally, TallyAudience, TallyKind

_AUDIENCES = {visibility.PUBLIC: TallyAudience.PUBLIC, visibility.DRAFTS: TallyAudience.DRAFTS}


def _rows(kind: TallyKind, user) -> QuerySet:
    audience = _AUDIENCES[visibility.audience(user)]
    return Tally.objects.filter(kind=kind, audience=audience, n__gt=0)


def per_day(user, kind: TallyKind = TallyKind.ALL, subject_id: int = 0):
    """``(day, statements)`` for each day with statements ``user`` may see, oldest first."""
    rows = _rows(kind, user).filter(subject_id=subject_id).order_by("day")
    return list(rows.values_list("day", "n"))


#: Where a kind keeps its undated total.
_TOTALS = {TallyKind.SPEAKER: TallyKind.SPEAKER_TOTAL, TallyKind.TAG: TallyKind.TAG_TOTAL}


def total(user, kind: TallyKind = TallyKind.ALL, subject_id: int = 0) -> int:
    """How many statements ``user`` may see (of one speaker or tag)."""
    if kind in _TOTALS:
        n = _rows(_TOTALS[kind], user).filter(subject_id=subject_id).values_list("n", flat=True)
        return next(iter(n), 0)
    return _rows(kind, user).filter(subject_id=subject_id).aggregate(n=Sum("n"))["n"] or 0


def count_of(kind: TallyKind, user) -> Coalesce:
    """The outer row's (a speaker's, a tag's) visible statements, as an annotation: its
    one undated total row."""
    counted = _rows(_TOTALS[kind], user).filter(subject_id=OuterRef("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), 0)


def totals(kind: TallyKind, subject_ids: list[int], user) -> dict[int, int]:
    """``{subject id: statements user may see}`` for several speakers or tags (those
    with none are left out)."""
    rows = _rows(_TOTALS[kind], user).filter(subject_id__in=subject_ids)
    return dict(rows.values_list("subject_id", "n"))


def stances_on(claim_id: int, user) -> dict[str, int]:
    """``{"asserts": n, "denies": n, "questions": n}``: the stances ``user`` may see on a
    claim."""
    kinds = {kind: stance for stance, kind in CLAIM_KINDS.items()}
    found = dict.fromkeys(CLAIM_KINDS, 0)
    rows = Tally.objects.filter(
        kind__in=kinds, subject_id=claim_id, audience=_AUDIENCES[visibility.audience(user)]
    )
    for kind, n in rows.values_list("kind", "n"):
        found[kinds[kind]] += n
    return found
