"""Statements counted per day — in all, per speaker and per tag —, stances per claim,
statements and sources per event, for each audience, kept exact by the database itself.

Counts, first dates and charts over the whole archive used to be recomputed after every
write, at a cost that grew with the archive. These rows change with the write instead:
triggers on statements, sources, tag links, stances and event links (``tally_sql``)
add or take away one statement's contribution in the writer's own transaction,
whichever path wrote it (the admin, review, ingest, merges, archive import, a queryset
``update``). A page sums the few rows of its subject: one per day that has statements.
What public claims and events are (``statements.visibility``) is read from them too.

A statement counts for the **public** when it and its source are published, and for the
**drafts** audience when neither is discarded (``statements.visibility``). Rows whose
count fell to 0 may stay; readers skip them. ``statements.services.tallies_rebuild``
recomputes everything set-based, for loaders that bypass the triggers.
"""

from __future__ import annotations

import datetime

from django.db import models


class TallyKind(models.IntegerChoices):
    ALL = 0, "all statements"
    SPEAKER = 1, "by speaker"
    TAG = 2, "by tag"
    #: Stances on a claim (``subject_id``), undated.
    CLAIM_ASSERTS = 3, "asserting a claim"
    CLAIM_DENIES = 4, "denying a claim"
    CLAIM_QUESTIONS = 5, "questioning a claim"
    #: Statements about an event (``subject_id``), undated.
    EVENT_STATEMENTS = 6, "about an event"
    #: Sources about an event, undated: public when published, for drafts unless
    #: discarded.
    EVENT_SOURCES = 7, "sources about an event"
    #: A speaker's and a tag's totals: one undated row each, so a list of speakers or
    #: tags reads one row per subject, not one per day.
    SPEAKER_TOTAL = 8, "by speaker, in all"
    TAG_TOTAL = 9, "by tag, in all"


#: The kinds of stance, in ``StanceKind``'s values, as tally kinds.
CLAIM_KINDS = {
    "asserts": TallyKind.CLAIM_ASSERTS,
    "denies": TallyKind.CLAIM_DENIES,
    "questions": TallyKind.CLAIM_QUESTIONS,
}
#: The day of the undated kinds (a claim's stances have no series to show).
UNDATED = datetime.date(1, 1, 1)


class TallyAudience(models.IntegerChoices):
    PUBLIC = 1, "public"
    DRAFTS = 2, "drafts"


class Tally(models.Model):
    kind = models.PositiveSmallIntegerField(choices=TallyKind)
    #: The speaker's, the tag's or the claim's id; 0 for all statements.
    subject_id = models.BigIntegerField()
    audience = models.PositiveSmallIntegerField(choices=TallyAudience)
    day = models.DateField()
    n = models.IntegerField()

    class Meta:
        db_table = "statements_tally"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_id", "audience", "day"], name="tally_unique"
            )
        ]
        indexes = [
            # Which subjects have a count at all (how many claims and events are public,
            # on the overview): an index-only scan of the rows that count.
            models.Index(
                fields=["kind", "audience", "subject_id"],
                condition=models.Q(n__gt=0),
                name="tally_present_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject_id} {self.day}: {self.n}"
