"""Sources: the full texts statements are taken from."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from statements.models.choices import Status
from tracker.concurrency import VersionedModel

#: Characters of source text shown either side of a statement's span, wherever an
#: excerpt is shown (statement page, admin, review).
EXCERPT_CONTEXT = 300


@dataclass(frozen=True)
class Excerpt:
    """A span of a source body with up to ``EXCERPT_CONTEXT`` characters around it,
    cut at word boundaries; ``cut_before``/``cut_after`` say whether text was left out."""

    before: str
    span: str
    after: str
    cut_before: bool
    cut_after: bool


def excerpt(body: str, start: int, end: int, context: int = EXCERPT_CONTEXT) -> Excerpt:
    """``body[start:end]`` with its context (offsets clipped to the body)."""
    start = min(max(start, 0), len(body))
    end = min(max(end, start), len(body))
    before_start = max(0, start - context)
    after_end = min(len(body), end + context)
    # Cut at a word boundary when there is one, not in the middle of a word.
    if before_start > 0:
        space = body.find(" ", before_start, start)
        before_start = space + 1 if space != -1 else before_start
    if after_end < len(body):
        space = body.rfind(" ", end, after_end)
        after_end = space if space != -1 else after_end
    return Excerpt(
        before=body[before_start:start],
        span=body[start:end],
        after=body[end:after_end],
        cut_before=before_start > 0,
        cut_after=after_end < len(body),
    )


def body_sha256(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class SourceQuerySet(models.QuerySet):
    def published(self) -> SourceQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def get_by_natural_key(self, sha256: str) -> Source:
        return self.get(sha256=sha256)


class Source(VersionedModel):
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200, blank=True, default="")
    url = models.URLField(max_length=1000, blank=True, default="")
    published_on = models.DateField()
    language = models.CharField(max_length=16, default="en")
    body = models.TextField(help_text="The full text; statements point into it by offsets.")
    sha256 = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=12, choices=Status, default=Status.PUBLISHED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["sha256"])
    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        indexes = [
            models.Index(fields=["-published_on", "-id"], name="source_published_idx"),
            # The few unpublished sources, found without reading the wide table: public
            # lists exclude their statements with a small hashed ``NOT IN``.
            models.Index(
                fields=["id"], condition=~Q(status="published"), name="source_unpublished_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="source_url_unique_when_given",
                violation_error_message="Another source already has this URL.",
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="source_sha256_format"
            ),
            models.CheckConstraint(condition=~Q(body=""), name="source_body_not_blank"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.sha256 = body_sha256(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("statements:source_detail", args=[self.pk])

    def natural_key(self) -> tuple[str]:
        return (self.sha256,)

    def excerpt(self, start: int, end: int) -> Excerpt:
        return excerpt(self.body, start, end)
