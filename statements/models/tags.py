"""Tag links: one django-taggit vocabulary, one FK through-table per tagged model.

Through-models with real foreign keys (not taggit's generic relation) keep tag
filters on indexed integer joins, with a unique (object, tag) pair each.
"""

import simple_history
from django.db import models
from taggit.models import TaggedItemBase


class TaggedItem(TaggedItemBase):
    """Abstract base: the object and its tag, unique together, indexed both ways."""

    class Meta:
        abstract = True

    def natural_key(self) -> tuple:
        return (*self.content_object.natural_key(), *self.tag.natural_key())


class TaggedQuerySet(models.QuerySet):
    def get_by_natural_key(self, *key):
        *object_key, tag_name = key
        related = self.model._meta.get_field("content_object").related_model
        obj = related._default_manager.get_by_natural_key(*object_key)
        return self.get(content_object=obj, tag__name=tag_name)


class TaggedStatement(TaggedItem):
    # A tag link means nothing once its statement is gone.
    content_object = models.ForeignKey(
        "statements.Statement", on_delete=models.CASCADE, related_name="tagged_items"
    )

    objects = TaggedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="tagged_statement_unique"
            )
        ]
        indexes = [models.Index(fields=["tag", "content_object"], name="tagged_statement_tag_idx")]


class TaggedClaim(TaggedItem):
    # A tag link means nothing once its claim is gone.
    content_object = models.ForeignKey(
        "statements.Claim", on_delete=models.CASCADE, related_name="tagged_items"
    )

    objects = TaggedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_claim_unique")
        ]
        indexes = [models.Index(fields=["tag", "content_object"], name="tagged_claim_tag_idx")]


class TaggedEvent(TaggedItem):
    # A tag link means nothing once its event is gone.
    content_object = models.ForeignKey(
        "statements.Event", on_delete=models.CASCADE, related_name="tagged_items"
    )

    objects = TaggedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_event_unique")
        ]
        indexes = [models.Index(fields=["tag", "content_object"], name="tagged_event_tag_idx")]


# Tag changes are writes too: every link added or removed leaves a historical row
# (who, when, which tag). The history models are installed into the ``tracker`` app,
# whose migrations create their tables, so registering them here changes no schema.
for _through in (TaggedStatement, TaggedClaim, TaggedEvent):
    simple_history.register(_through, app="tracker")
