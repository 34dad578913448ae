"""Statements: who said what, when, how, to whom, where it stands in its source."""

from __future__ import annotations

import datetime
import uuid

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from actors.models import Actor
from statements.models.choices import DatePrecision, Medium, Mode, Status
from statements.models.sources import Source
from statements.models.tags import TaggedStatement
from tracker.concurrency import VersionedModel


def published_q(prefix: str = "") -> Q:
    """Published statements from published sources, for ``Statement`` itself or through
    a relation (``prefix="statement__"``). "From a published source" is ``NOT EXISTS
    (an unpublished source with this id)``: PostgreSQL answers it from the few rows of
    the partial index ``source_unpublished_idx`` and keeps its freedom to start from the
    most selective filter (a rare tag's few links, where ``NOT IN`` led it to walk the
    whole date index; docs/benchmark.md), instead of joining the wide source table."""
    unpublished = Source.objects.filter(pk=OuterRef(f"{prefix}source_id")).exclude(
        status=Status.PUBLISHED
    )
    return Q(**{f"{prefix}status": Status.PUBLISHED}) & ~Exists(unpublished)


class StatementQuerySet(models.QuerySet):
    def published(self) -> StatementQuerySet:
        """Statements anyone may see (``published_q``); who sees what is decided in
        ``statements.visibility``."""
        return self.filter(published_q())

    def by_speaker(self, *actors: Actor) -> StatementQuerySet:
        return self.filter(speaker__in=actors)

    def between(
        self, start: datetime.date | None = None, end: datetime.date | None = None
    ) -> StatementQuerySet:
        if start:
            self = self.filter(said_on__gte=start)
        if end:
            self = self.filter(said_on__lte=end)
        return self

    def for_list(self) -> StatementQuerySet:
        """Everything a list row shows, in a constant number of queries."""
        from statements.models.claims import Stance

        return self.select_related("speaker", "source").prefetch_related(
            "tags",
            "recipients",
            "events",
            Prefetch("stances", queryset=Stance.objects.select_related("claim")),
        )

    def get_by_natural_key(self, uid: str) -> Statement:
        return self.get(uid=uid)


class Statement(VersionedModel):
    #: The actor ingest files a statement under when it could not name the speaker.
    UNRESOLVED_SPEAKER_SLUG = "unresolved-speaker"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # What a source says must not lose its source: delete the statements first.
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="statements")
    # Deleting an actor must never silently delete what they said.
    speaker = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="statements")
    speaker_as_printed = models.CharField(
        max_length=300, blank=True, default="", help_text="The words the source used."
    )
    speaker_title = models.CharField(
        max_length=300, blank=True, default="", help_text="The speaker's role at the time."
    )
    text = models.TextField()
    mode = models.CharField(max_length=10, choices=Mode, default=Mode.INDIRECT)
    medium = models.CharField(max_length=20, choices=Medium, default=Medium.OTHER)
    said_on = models.DateField()
    date_precision = models.CharField(
        max_length=12, choices=DatePrecision, default=DatePrecision.DAY
    )
    recipients = models.ManyToManyField(Actor, related_name="statements_received", blank=True)
    events = models.ManyToManyField("statements.Event", related_name="statements", blank=True)
    span_start = models.PositiveIntegerField(
        help_text="Offset of the statement in the source body."
    )
    span_end = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT)
    extraction = models.JSONField(
        blank=True, default=dict, help_text="Evidence an extractor gave (mention, cue, date words)."
    )
    # PostgreSQL keeps this up to date by trigger (migration 0003): statement text and the
    # speaker's names. Unused on SQLite, where search is a substring match.
    search_vector = SearchVectorField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tags = TaggableManager(through=TaggedStatement, blank=True)
    history = HistoricalRecords(m2m_fields=[recipients, events], excluded_fields=["search_vector"])
    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-said_on", "-id"]
        permissions = [
            ("publish_statement", "Can publish or discard statements"),
        ]
        indexes = [
            models.Index(fields=["said_on", "id"], name="statement_said_on_idx"),
            # Covering (PostgreSQL INCLUDE; plain elsewhere): a public list's capped
            # count and page keys come from the index alone, with the status and the
            # source the visibility test needs, without reading the table for a busy
            # speaker (figures: docs/benchmark.md).
            models.Index(
                fields=["speaker", "said_on", "id"],
                include=["status", "source"],
                name="statement_speaker_idx",
            ),
            models.Index(fields=["source", "span_start"], name="statement_source_span_idx"),
            models.Index(
                fields=["status", "said_on", "id"], include=["source"], name="statement_status_idx"
            ),
            # Covering by id: a rare tag's page keys are its links' statements, tested
            # and ordered from the index alone (10M: the table no longer fits in memory).
            models.Index(
                fields=["id"], include=["status", "said_on", "source"], name="statement_id_keys_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(span_end__gt=F("span_start")),
                name="statement_span_not_empty",
                violation_error_message="The span must end after it starts.",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="statement_text_not_blank"),
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="statement_mode_valid"),
            models.CheckConstraint(
                condition=Q(medium__in=Medium.values), name="statement_medium_valid"
            ),
            models.CheckConstraint(
                condition=Q(date_precision__in=DatePrecision.values),
                name="statement_precision_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="statement_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("statements:statement_detail", args=[self.pk])

    def natural_key(self) -> tuple[str]:
        return (str(self.uid),)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.span_start is not None and self.span_end is not None:
            if self.span_end <= self.span_start:
                errors["span_end"] = "The span must end after it starts."
            elif self.source_id:
                body = self.source.body
                if self.span_end > len(body):
                    errors["span_end"] = (
                        f"The span ends at {self.span_end}, past the source body's "
                        f"{len(body)} characters."
                    )
                elif (
                    self.mode == Mode.DIRECT
                    and self.text
                    and (self.text.strip() not in body[self.span_start : self.span_end])
                ):
                    errors["text"] = "A direct quote must be the words at its span in the source."
        if (
            self.status == Status.PUBLISHED
            and self.speaker_id
            and self.speaker.slug == self.UNRESOLVED_SPEAKER_SLUG
        ):
            errors["speaker"] = "Name the speaker before publishing: ingest could not resolve it."
        if self.said_on and self.source_id and self.said_on > self.source.published_on:
            errors["said_on"] = (
                f"Said on {self.said_on:%d %b %Y}, after the source was published"
                f" ({self.source.published_on:%d %b %Y}): a source cannot report what was"
                " not yet said. Check the date, or the source's publication date."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def source_excerpt(self) -> str:
        return self.source.body[self.span_start : self.span_end]
