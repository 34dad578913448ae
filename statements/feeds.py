"""Atom feeds so analysts can follow a speaker, a tag, a claim or any filtered list.

Feeds are public and cached by readers, so they carry published statements only,
newest first, whoever asks: ``/statements.atom?<filters>`` takes the statement list's
own FilterSet over what the public sees (``selectors.lists.public_statement_spec``).
"""

from __future__ import annotations

import datetime

from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import Feed, add_domain
from django.db.models import Prefetch
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from taggit.models import Tag

from actors.models import Actor
from statements import visibility
from statements.filters import StatementFilter
from statements.models import Claim, Statement
from statements.selectors.lists import public_statement_spec
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

    def get_feed(self, obj, request):
        """Django makes entry links absolute but not author URIs (Atom wants an IRI
        there): make them absolute against the same site."""
        feed = super().get_feed(obj, request)
        domain = get_current_site(request).domain
        for item in feed.items:
            if item.get("author_link"):
                item["author_link"] = add_domain(domain, item["author_link"], request.is_secure())
        return feed

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


class InvalidFilters(Exception):
    def __init__(self, filterset: StatementFilter):
        super().__init__("invalid filters")
        self.filterset = filterset


class FilteredStatementFeed(StatementFeed):
    """``/statements.atom?<filters>``: the latest ``FEED_SIZE`` published statements of
    any statement list, newest first (a feed ignores ``sort``, ``page`` and ``cursor``).
    Filters the list would reject answer 400 with the reasons, as plain text."""

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidFilters as error:
            form = error.filterset.form
            lines = [f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()]
            return HttpResponseBadRequest(
                "These filters cannot be used:\n" + "\n".join(lines) + "\n",
                content_type="text/plain; charset=utf-8",
            )

    def get_object(self, request) -> StatementFilter:
        filterset = public_statement_spec(request.GET).filterset
        if not filterset.is_valid():
            raise InvalidFilters(filterset)
        return filterset

    @staticmethod
    def query(filterset: StatementFilter) -> str:
        data = filterset.data.copy()
        for name in ("page", "cursor", "sort", "bom"):
            data.pop(name, None)
        return f"?{data.urlencode()}" if data else ""

    def title(self, obj: StatementFilter) -> str:
        chips = [chip for chip in obj.chips() if chip["name"] not in ("sort", "bom")]
        if not chips:
            return "All statements"
        return "Statements — " + "; ".join(f"{c['label']}: {c['value']}" for c in chips)

    def subtitle(self, obj: StatementFilter) -> str:
        return "The latest published statements matching these filters, newest first."

    def link(self, obj: StatementFilter) -> str:
        return reverse("statements:statement_list") + self.query(obj)

    def feed_url(self, obj: StatementFilter) -> str:
        return reverse("statements:statement_feed") + self.query(obj)

    def items(self, obj: StatementFilter):
        return (
            obj.qs.select_related("speaker", "source")
            .prefetch_related("tags")
            .order_by("-said_on", "-id")[:FEED_SIZE]
        )
