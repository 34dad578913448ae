"""Events: what happened, who took part, which sources tell of it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from actors.models import Actor
from statements.models.choices import DatePrecision, EventKind, ParticipantRole
from statements.models.tags import TaggedEvent
from tracker.concurrency import VersionedModel


class EventQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug: str) -> Event:
        return self.get(slug=slug)


class Event(VersionedModel):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True, default="")
    kind = models.CharField(max_length=12, choices=EventKind, default=EventKind.OTHER)
    mode = models.CharField(
        max_length=40, blank=True, default="", help_text="How it happened, e.g. phone, in person."
    )
    start_date = models.DateField()
    start_precision = models.CharField(
        max_length=12, choices=DatePrecision, default=DatePrecision.DAY
    )
    end_date = models.DateField(null=True, blank=True)
    end_precision = models.CharField(
        max_length=12, choices=DatePrecision, default=DatePrecision.DAY
    )
    location = models.CharField(max_length=200, blank=True, default="")
    participants = models.ManyToManyField(
        Actor, through="EventParticipant", related_name="events", blank=True
    )
    sources = models.ManyToManyField("statements.Source", related_name="events", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tags = TaggableManager(through=TaggedEvent, blank=True)
    history = HistoricalRecords(m2m_fields=[sources])
    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["-start_date", "-id"], name="event_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="event_end_after_start",
                violation_error_message="An event cannot end before it starts.",
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="event_slug_not_blank"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("statements:event_detail", args=[self.pk])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "An event cannot end before it starts."})


class EventParticipantQuerySet(models.QuerySet):
    def get_by_natural_key(self, event_slug: str, actor_slug: str, role: str):
        return self.get(event__slug=event_slug, actor__slug=actor_slug, role=role)


class EventParticipant(VersionedModel):
    # A participation is part of its event.
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    # An actor who took part in events must not vanish from them silently.
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(
        max_length=12, choices=ParticipantRole, default=ParticipantRole.PARTICIPANT
    )

    history = HistoricalRecords()
    objects = EventParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["event", "role", "actor"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "actor", "role"],
                name="event_participant_unique",
                violation_error_message="This actor already takes part in that role.",
            )
        ]
        indexes = [models.Index(fields=["actor", "event"], name="participant_actor_idx")]

    def __str__(self) -> str:
        return f"{self.actor} ({self.role}) in {self.event}"

    def natural_key(self) -> tuple[str, str, str]:
        return (*self.event.natural_key(), *self.actor.natural_key(), self.role)

    natural_key.dependencies = ["statements.event", "actors.actor"]
