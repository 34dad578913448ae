"""Actors: who speaks, who is addressed, who takes part."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from actors.text import fold
from tracker.concurrency import VersionedModel

WIKIDATA_ID_PATTERN = r"^(Q[1-9][0-9]*)?$"


class ActorKind(models.TextChoices):
    PERSON = "person", "Person"
    STATE = "state", "State"
    GOVERNMENT = "government", "Government"
    MILITARY = "military", "Military"
    ORGANIZATION = "organization", "Organization"
    MEDIA = "media", "Media"
    GROUP = "group", "Group"


class AliasKind(models.TextChoices):
    TRANSLITERATION = "transliteration", "Transliteration"
    SHORT = "short", "Short form"
    METONYM = "metonym", "Metonym"
    FORMER = "former", "Former name"
    TITLE = "title", "Title"


class ActorQuerySet(models.QuerySet):
    def matching(self, name: str) -> ActorQuerySet:
        """Actors whose name or an alias equals ``name``, ignoring case and accents."""
        folded = fold(name)
        return self.filter(Q(name_folded=folded) | Q(aliases__name_folded=folded)).distinct()

    def get_by_natural_key(self, slug: str) -> Actor:
        return self.get(slug=slug)


class Actor(VersionedModel):
    name = models.CharField(max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True, default="")
    slug = models.SlugField(max_length=200, unique=True, help_text="Permanent; never reused.")
    kind = models.CharField(max_length=20, choices=ActorKind, default=ActorKind.PERSON)
    description = models.TextField(blank=True, default="")
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, default="", help_text="Like Q42, or blank."
    )
    # An institution's sub-bodies outlive a deleted parent; the link is just cleared.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    needs_review = models.BooleanField(
        default=False, help_text="Proposed by ingest from an unknown name; check before trusting."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        permissions = [("merge_actor", "Can merge duplicate actors")]
        indexes = [models.Index(fields=["name", "id"], name="actor_name_id_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(wikidata_id__regex=WIKIDATA_ID_PATTERN),
                name="actor_wikidata_id_format",
                violation_error_message="A Wikidata id looks like Q42.",
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="actor_slug_not_blank"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="actor_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("actors:actor_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean(self) -> None:
        super().clean()
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "An actor cannot be its own parent."})
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": "This parent would make a cycle."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    def role_on(self, day: datetime.date) -> Role | None:
        """The role this actor held on ``day`` (``latest_role_held``)."""
        return latest_role_held(self.roles.held_on(day), day)


class MergedSlug(models.Model):
    """The slug of an actor merged into another: its old URLs redirect to the actor it
    was merged into, so no permalink breaks."""

    slug = models.SlugField(max_length=200, unique=True)
    # The redirect is only as alive as its target; merging the target again moves it.
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="merged_slugs")
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "slug of a merged actor"

    def __str__(self) -> str:
        return f"{self.slug} → {self.actor.slug}"


class AliasQuerySet(models.QuerySet):
    def get_by_natural_key(self, actor_slug: str, name: str) -> Alias:
        return self.get(actor__slug=actor_slug, name=name)


class Alias(VersionedModel):
    # An alias means nothing without its actor.
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True, default="")
    kind = models.CharField(max_length=20, choices=AliasKind, default=AliasKind.SHORT)

    history = HistoricalRecords()
    objects = AliasQuerySet.as_manager()

    class Meta:
        ordering = ["actor", "name"]
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(
                "actor",
                Lower("name"),
                name="alias_unique_per_actor_ci",
                violation_error_message="This actor already has that alias.",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="alias_name_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    def natural_key(self) -> tuple[str, str]:
        return (*self.actor.natural_key(), self.name)

    natural_key.dependencies = ["actors.actor"]

    def clean(self) -> None:
        super().clean()
        if not self.actor_id:
            return
        clash = Alias.objects.filter(actor_id=self.actor_id, name_folded=fold(self.name))
        if self.pk:
            clash = clash.exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError({"name": "This actor already has that alias."})


def latest_role_held(roles: Iterable[Role], day: datetime.date) -> Role | None:
    """Of ``roles``, the one held on ``day``; when several were, the one that started
    latest (an open start counts as earliest), then the newest entry. The one rule for
    "the role a speaker held on a date", wherever it is needed."""
    held = [role for role in roles if role.held_on(day)]
    return max(held, key=lambda role: (role.start_date or datetime.date.min, role.pk), default=None)


class RoleQuerySet(models.QuerySet):
    def held_on(self, day: datetime.date) -> RoleQuerySet:
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=day),
            Q(end_date__isnull=True) | Q(end_date__gte=day),
        )

    def by_actor(self) -> dict[int, list[Role]]:
        """These roles grouped by actor id (one query)."""
        grouped: dict[int, list[Role]] = {}
        for role in self:
            grouped.setdefault(role.actor_id, []).append(role)
        return grouped

    def get_by_natural_key(self, actor_slug: str, title: str, start: str | None) -> Role:
        return self.get(actor__slug=actor_slug, title=title, start_date=start)


class Role(VersionedModel):
    # A post belongs to its holder's record; it goes with the actor.
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=200)
    # The organisation may be removed while the post is remembered by its title.
    organization = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["actor", "start_date", "id"]
        indexes = [models.Index(fields=["actor", "start_date", "id"], name="role_actor_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="role_end_after_start",
                violation_error_message="A role cannot end before it starts.",
            ),
            models.UniqueConstraint(
                fields=["actor", "title", "start_date"], name="role_unique_per_actor_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.actor})"

    def natural_key(self) -> tuple:
        start = self.start_date.isoformat() if self.start_date else None
        return (*self.actor.natural_key(), self.title, start)

    natural_key.dependencies = ["actors.actor"]

    def held_on(self, day: datetime.date) -> bool:
        """Whether this role was held on ``day`` (open ends count as held)."""
        return (self.start_date is None or self.start_date <= day) and (
            self.end_date is None or self.end_date >= day
        )

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "A role cannot end before it starts."})
