"""Sources: the full texts statements are taken from."""

from __future__ import annotations

import hashlib

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from statements.models.choices import Status


def body_sha256(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class SourceQuerySet(models.QuerySet):
    def published(self) -> SourceQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def get_by_natural_key(self, sha256: str) -> Source:
        return self.get(sha256=sha256)


class Source(models.Model):
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
