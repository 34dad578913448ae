"""Claims (propositions) and the stances statements take on them."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from statements.models.choices import ClaimStatus, StanceKind
from statements.models.tags import TaggedClaim
from tracker.concurrency import VersionedModel


class ClaimQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug: str) -> Claim:
        return self.get(slug=slug)


class Claim(VersionedModel):
    text = models.CharField(max_length=500, help_text="The proposition, in one sentence.")
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True, default="")
    status = models.CharField(max_length=12, choices=ClaimStatus, default=ClaimStatus.UNVERIFIED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tags = TaggableManager(through=TaggedClaim, blank=True)
    history = HistoricalRecords()
    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("set_claim_status", "Can set a claim's status")]
        indexes = [models.Index(fields=["-created_at", "-id"], name="claim_created_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="claim_text_not_blank"),
            models.CheckConstraint(condition=~models.Q(slug=""), name="claim_slug_not_blank"),
        ]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("statements:claim_detail", args=[self.pk])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class StanceQuerySet(models.QuerySet):
    def get_by_natural_key(self, statement_uid: str, claim_slug: str) -> Stance:
        return self.get(statement__uid=statement_uid, claim__slug=claim_slug)


class Stance(VersionedModel):
    # A stance is part of its statement; it goes with it.
    statement = models.ForeignKey(
        "statements.Statement", on_delete=models.CASCADE, related_name="stances"
    )
    # A claim that statements take a stance on must not vanish under them.
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="stances")
    stance = models.CharField(max_length=12, choices=StanceKind)
    # The statement's date, copied here by the database (``models/tally_sql.py``) so that
    # a claim's side is read in date order from one index, however many stances it has.
    said_on = models.DateField(
        null=True,
        editable=False,
        help_text="The statement's date, kept by the database (for ordering a claim's sides).",
    )

    history = HistoricalRecords(excluded_fields=["said_on"])
    objects = StanceQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "statement"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "claim"],
                name="stance_one_per_statement_claim",
                violation_error_message="This statement already has a stance on this claim.",
            ),
            models.CheckConstraint(
                condition=models.Q(stance__in=StanceKind.values), name="stance_kind_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["claim", "stance", "said_on", "statement"], name="stance_side_date_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} {self.stance} {self.claim}"

    def natural_key(self) -> tuple[str, str]:
        return (*self.statement.natural_key(), *self.claim.natural_key())

    natural_key.dependencies = ["statements.statement", "statements.claim"]
