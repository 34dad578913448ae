"""The overview page ``/``: counts, latest statements, most active speakers, top tags
and statements per week — a constant number of queries, each bounded to an index
range whatever the number of statements: counts stop at ``COUNT_CAP``, rankings cover
the last ``WINDOW_DAYS`` days of data and the chart the last ``CHART_WEEKS`` weeks."""

from __future__ import annotations

import datetime

from django.db.models import Count, F
from django.shortcuts import render

from actors.models import Actor
from statements.models import Claim, Event, Statement, TaggedStatement
from statements.views.details import (
    attach_roles,
    capped_count,
    count_label,
    visible_sources,
    weekly_chart,
)

LATEST = 10
TOP_SPEAKERS = 10
TOP_TAGS = 20
WINDOW_DAYS = 90


def overview(request):
    visible = Statement.objects.visible_to(request.user)
    latest = list(visible.for_list()[:LATEST])
    attach_roles(latest)
    newest = latest[0].said_on if latest else None
    since = newest - datetime.timedelta(days=WINDOW_DAYS - 1) if newest else None
    # Most active speakers and top tags count published statements only, for everyone,
    # over the last WINDOW_DAYS days up to the newest statement (a said_on range).
    recent = Statement.objects.published().filter(said_on__gte=since or datetime.date.max)
    speakers = (
        Actor.objects.filter(statements__in=recent)
        .annotate(n=Count("statements", distinct=True))
        .order_by("-n", "name", "id")[:TOP_SPEAKERS]
    )
    tags = (
        TaggedStatement.objects.filter(content_object__in=recent)
        .values("tag_id", name=F("tag__name"), slug=F("tag__slug"))
        .annotate(n=Count("content_object", distinct=True))
        .order_by("-n", "name", "tag_id")[:TOP_TAGS]
    )
    counts = {
        name: capped_count(queryset)
        for name, queryset in [
            ("statements", visible),
            ("actors", Actor.objects.all()),
            ("claims", Claim.objects.all()),
            ("events", Event.objects.all()),
            ("sources", visible_sources(request.user)),
        ]
    }
    return render(
        request,
        "statements/overview.html",
        {
            "counts": counts,
            "labels": {name: count_label(n) for name, n in counts.items()},
            "latest": latest,
            "speakers": list(speakers),
            "tags": list(tags),
            "window_days": WINDOW_DAYS,
            "window_since": since,
            "newest": newest,
            "chart": weekly_chart(visible, title="Statements per week", newest=newest),
        },
    )
