"""The overview page ``/``: counts, latest statements, most active speakers, top
tags and statements per week — a constant number of queries."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import render
from taggit.models import Tag

from actors.models import Actor
from statements.models import Claim, Event, Statement
from statements.views.details import attach_roles, visible_sources, weekly_chart

LATEST = 10
TOP_SPEAKERS = 10
TOP_TAGS = 20


def overview(request):
    visible = Statement.objects.visible_to(request.user)
    latest = list(visible.for_list()[:LATEST])
    attach_roles(latest)
    # Most active speakers and top tags count published statements only, for everyone.
    published = Statement.objects.published()
    speakers = (
        Actor.objects.filter(statements__in=published)
        .annotate(n=Count("statements", distinct=True))
        .order_by("-n", "name", "id")[:TOP_SPEAKERS]
    )
    tags = (
        Tag.objects.filter(statements_taggedstatement_items__content_object__in=published)
        .annotate(n=Count("statements_taggedstatement_items", distinct=True))
        .order_by("-n", "name", "id")[:TOP_TAGS]
    )
    counts = {
        "statements": visible.count(),
        "actors": Actor.objects.count(),
        "claims": Claim.objects.count(),
        "events": Event.objects.count(),
        "sources": visible_sources(request.user).count(),
    }
    return render(
        request,
        "statements/overview.html",
        {
            "counts": counts,
            "latest": latest,
            "speakers": list(speakers),
            "tags": list(tags),
            "chart": weekly_chart(visible, title="Statements per week"),
        },
    )
