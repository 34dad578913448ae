"""Atom feeds so analysts can follow a speaker, a tag or a claim.

Feeds are public and cached by readers, so they carry published statements only,
newest first, whoever asks.
"""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from taggit.models import Tag

from actors.models import Actor
from statements import visibility
from statements.models import Claim, Statement
from statements.templatetags.statement_display import format_precise_date

FEED_SIZE = 50


class StatementFeed(Feed):
    """Common shape: one entry per published statement."""

    feed_type = Atom1Feed

    def base_items(self):
        return visibility.statements(None).select_related("speaker", "source")

    def item_title(self, item: Statement) -> str:
        text = " ".join(item.text.split())
        if len(text) > 100:
            text = text[:99].rstrip() + "…"
        return f"{item.speaker.name}: {text}"

    def item_description(self, item: Statement) -> str:
        when = format_precise_date(item.said_on, item.date_precision)
        return f"{item.text}\n\n— {item.speaker.name}, {when}; source: {item.source.title}"

    def item_link(self, item: Statement) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Statement) -> str:
        return f"urn:uuid:{item.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Statement) -> datetime.datetime:
        return datetime.datetime.combine(item.said_on, datetime.time(), tzinfo=datetime.UTC)

    def item_updateddate(self, item: Statement) -> datetime.datetime:
        return item.updated_at

    def item_author_name(self, item: Statement) -> str:
        return item.speaker.name

    def item_author_link(self, item: Statement) -> str:
        return item.speaker.get_absolute_url()

    def item_categories(self, item: Statement) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class SpeakerFeed(StatementFeed):
    def get_object(self, request, slug: str) -> Actor:
        return get_object_or_404(visibility.actors(None), slug=slug)

    def title(self, obj: Actor) -> str:
        return f"Statements by {obj.name}"

    def subtitle(self, obj: Actor) -> str:
        return f"The latest published statements by {obj.name}, newest first."

    def link(self, obj: Actor) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: Actor) -> str:
        return reverse("statements:feed_speaker", args=[obj.slug])

    def items(self, obj: Actor):
        return self.base_items().filter(speaker=obj).prefetch_related("tags")[:FEED_SIZE]


class TagFeed(StatementFeed):
    def get_object(self, request, slug: str) -> Tag:
        return get_object_or_404(visibility.tags(None), slug=slug)

    def title(self, obj: Tag) -> str:
        return f"Statements tagged “{obj.name}”"

    def subtitle(self, obj: Tag) -> str:
        return f"The latest published statements tagged “{obj.name}”, newest first."

    def link(self, obj: Tag) -> str:
        return reverse("statements:tag_detail", args=[obj.slug])

    def feed_url(self, obj: Tag) -> str:
        return reverse("statements:feed_tag", args=[obj.slug])

    def items(self, obj: Tag):
        return self.base_items().filter(tagged_items__tag=obj).prefetch_related("tags")[:FEED_SIZE]


class ClaimFeed(StatementFeed):
    def get_object(self, request, pk: int) -> Claim:
        return get_object_or_404(visibility.claims(None), pk=pk)

    def title(self, obj: Claim) -> str:
        return f"Stances on the claim “{obj.text}”"

    def subtitle(self, obj: Claim) -> str:
        return "Published statements that assert, deny or question this claim, newest first."

    def link(self, obj: Claim) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: Claim) -> str:
        return reverse("statements:feed_claim", args=[obj.pk])

    def items(self, obj: Claim):
        stances = visibility.stances(None).filter(claim=obj)
        return (
            self.base_items()
            .filter(stances__claim=obj)
            .prefetch_related(
                "tags", Prefetch("stances", queryset=stances, to_attr="claim_stances")
            )[:FEED_SIZE]
        )

    def item_title(self, item: Statement) -> str:
        stance = item.claim_stances[0].get_stance_display() if item.claim_stances else ""
        return f"{stance}: {super().item_title(item)}" if stance else super().item_title(item)
