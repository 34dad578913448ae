"""Writes that touch several models at once (keyword-only, atomic)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction

from actors.models import Actor, Alias, AliasKind, MergedSlug
from actors.text import fold


@dataclass
class MergePlan:
    """What a merge would move, per relation: ``{"statements": 3, "aliases": 2, ...}``."""

    counts: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _relations() -> list:
    """Every visible relation pointing at Actor, from any app (actors never imports them)."""
    return [rel for rel in Actor._meta.related_objects if not rel.hidden]


def _label(rel) -> str:
    return rel.get_accessor_name()


def actor_merge_plan(*, merge: Sequence[Actor]) -> MergePlan:
    """Count the rows ``actor_merge`` would move off the ``merge`` actors."""
    plan = MergePlan()
    ids = [actor.pk for actor in merge]
    for rel in _relations():
        if rel.many_to_many and not rel.through._meta.auto_created:
            continue  # moved through its own through model's foreign key
        if rel.many_to_many:
            through = rel.through
            target = _m2m_target_field(rel)
            count = through._default_manager.filter(**{f"{target.name}__in": ids}).count()
        else:
            count = rel.related_model._default_manager.filter(
                **{f"{rel.field.name}__in": ids}
            ).count()
        plan.counts[_label(rel)] = count
        plan.labels[_label(rel)] = (
            f"{rel.related_model._meta.verbose_name_plural} (as {rel.field.verbose_name})"
        )
    return plan


def _m2m_target_field(rel) -> models.ForeignKey:
    """The through-table column that points at Actor for an auto-created M2M."""
    return next(
        f
        for f in rel.through._meta.fields
        if f.is_relation and f.related_model is Actor and f.name != rel.field.m2m_field_name()
    )


def _stamp(obj: models.Model, *, user, reason: str) -> None:
    """Mark an object so the history record written by its next save names who and why."""
    obj._change_reason = reason
    if user is not None:
        obj._history_user = user


def _clashes(obj: models.Model) -> bool:
    """Whether ``obj`` (already pointed at the kept actor in memory) duplicates a stored row.

    Unique constraints over plain fields count NULLs as equal here (two "Prime Minister"
    roles with no start date are the same role), which the database would let through.
    """
    model = type(obj)
    try:
        obj.validate_unique()
        for constraint in obj._meta.constraints:
            if not isinstance(constraint, models.UniqueConstraint):
                continue
            if constraint.fields and not constraint.condition:
                lookup = {}
                for name in constraint.fields:
                    attname = model._meta.get_field(name).attname
                    value = getattr(obj, attname)
                    lookup[attname if value is not None else f"{attname}__isnull"] = (
                        value if value is not None else True
                    )
                if model._default_manager.filter(**lookup).exclude(pk=obj.pk).exists():
                    return True
            else:
                constraint.validate(model, obj)
    except ValidationError:
        return True
    return False


def _ancestor_ids(actor: Actor) -> set[int]:
    seen: set[int] = set()
    parent_id = actor.parent_id
    while parent_id is not None and parent_id not in seen:
        seen.add(parent_id)
        parent_id = Actor.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return seen


def _move_aliases(*, keep: Actor, merged: Actor, user, reason: str) -> None:
    """Aliases move unless the kept actor already has that name (case/accent-insensitive)."""
    known = {keep.name_folded} | set(keep.aliases.values_list("name_folded", flat=True))
    for alias in merged.aliases.all():
        _stamp(alias, user=user, reason=reason)
        if alias.name_folded in known:
            alias.delete()
            continue
        alias.actor = keep
        alias.save(update_fields=["actor"])
        known.add(alias.name_folded)
    if merged.name_folded not in known:
        kind = AliasKind.SHORT if fold(merged.name) in keep.name_folded else AliasKind.FORMER
        alias = Alias(actor=keep, name=merged.name, kind=kind)
        _stamp(alias, user=user, reason=reason)
        alias.save()


def _move_children(*, keep: Actor, merged: Actor, user, reason: str) -> None:
    """Sub-bodies hang under the kept actor, unless that would make a cycle."""
    keep_ancestors = _ancestor_ids(keep)
    for child in Actor.objects.filter(parent=merged):
        if child.pk == keep.pk or child.pk in keep_ancestors:
            fallback = merged.parent_id
            child.parent_id = fallback if fallback not in (keep.pk, merged.pk, child.pk) else None
        else:
            child.parent = keep
        _stamp(child, user=user, reason=reason)
        child.save(update_fields=["parent"])
        if child.pk == keep.pk:
            keep.parent_id = child.parent_id


def _move_foreign_keys(*, rel, keep: Actor, merged: Actor, user, reason: str) -> None:
    """Point each row of a one-to-many relation at ``keep``; drop exact duplicates."""
    name = rel.field.name
    for obj in rel.related_model._default_manager.filter(**{name: merged}):
        setattr(obj, name, keep)
        _stamp(obj, user=user, reason=reason)
        if _clashes(obj):
            setattr(obj, name, merged)
            obj.delete()
        else:
            obj.save(update_fields=[rel.field.attname])


def _move_many_to_many(*, rel, keep: Actor, merged: Actor, user, reason: str) -> None:
    """Re-link through the owning model's manager, so its m2m history is recorded."""
    accessor = rel.field.name
    for owner in rel.related_model._default_manager.filter(**{accessor: merged}):
        _stamp(owner, user=user, reason=reason)
        manager = getattr(owner, accessor)
        manager.remove(merged)
        manager.add(keep)  # a no-op when ``keep`` is already linked


@transaction.atomic
def actor_merge(*, keep: Actor, merge: Sequence[Actor], user=None) -> Actor:
    """Fold the ``merge`` actors into ``keep`` and delete them.

    Everything that points at a merged actor — statements spoken and received, event
    participations, roles held and posts in it, sub-bodies, aliases — is moved to
    ``keep`` (stances belong to statements and move with them). Rows that would
    duplicate one the kept actor already has are dropped instead of moved. Each merged
    name becomes an alias of ``keep``. Every moved row leaves a history record.
    """
    keep = Actor.objects.select_for_update().get(pk=keep.pk)
    merged_actors = list({a.pk: a for a in merge if a.pk != keep.pk}.values())
    for stale in merged_actors:
        merged = Actor.objects.select_for_update().get(pk=stale.pk)
        reason = f"merged actor {merged.name} into {keep.name}"[:100]
        _move_aliases(keep=keep, merged=merged, user=user, reason=reason)
        _move_children(keep=keep, merged=merged, user=user, reason=reason)
        for rel in _relations():
            if rel.related_model is Actor or rel.related_model is Alias:
                continue  # children and aliases handled above
            if rel.many_to_many:
                if rel.through._meta.auto_created:
                    _move_many_to_many(rel=rel, keep=keep, merged=merged, user=user, reason=reason)
                continue  # a custom through model is moved by its own foreign key
            _move_foreign_keys(rel=rel, keep=keep, merged=merged, user=user, reason=reason)
        if not keep.wikidata_id and merged.wikidata_id:
            keep.wikidata_id = merged.wikidata_id
        if not keep.description and merged.description:
            keep.description = merged.description
        _stamp(merged, user=user, reason=reason)
        merged_slug = merged.slug
        merged.delete()
        MergedSlug.objects.create(slug=merged_slug, actor=keep)
    _stamp(keep, user=user, reason=f"merged {len(merged_actors)} actor(s) into {keep.name}"[:100])
    keep.save()
    return keep
