"""The overview page ``/``: counts, latest statements, most active speakers, top tags
and statements per week — a constant number of queries, each bounded to an index
range whatever the number of statements: counts stop at ``COUNT_CAP``, rankings cover
the latest ``RECENT`` published statements and the chart the last ``CHART_WEEKS`` weeks."""

from __future__ import annotations

from django.db.models import Count, F
from django.shortcuts import render

from actors.models import Actor
from statements import rows
from statements.models import Claim, Event, TaggedStatement
from statements.views.details import (
    attach_roles,
    audience,
    capped_count,
    count_label,
    visible_sources,
    visible_statements,
    weekly_chart,
)
from tracker.summaries import summary

LATEST = 10
TOP_SPEAKERS = 10
TOP_TAGS = 20
RECENT = 2_000


def overview(request):
    visible = visible_statements(request.user)
    latest = rows.attach(rows.lean(visible)[:LATEST])
    attach_roles(latest)
    newest = latest[0].said_on if latest else None

    def aggregates() -> dict:
        # Most active speakers and top tags count published statements only, for
        # everyone, over the latest RECENT of them (a backward range on said_on).
        recent = visible_statements(None).order_by("-said_on", "-id").values("pk")[:RECENT]
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
        return {
            "counts": counts,
            "labels": {name: count_label(n) for name, n in counts.items()},
            "speakers": list(speakers),
            "tags": list(tags),
            "chart": weekly_chart(visible, title="Statements per week", newest=newest),
        }

    # Everything but the latest rows is a summary of the whole table: cached per data
    # version (tracker/summaries.py), so it costs its queries once per write, not per view.
    cached = summary(request, f"overview:{audience(request.user)}:{newest}", aggregates)
    return render(
        request,
        "statements/overview.html",
        {**cached, "latest": latest, "recent": RECENT, "newest": newest},
    )
