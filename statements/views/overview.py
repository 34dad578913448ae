"""The overview page ``/``: counts, latest statements, most active speakers, top tags
and statements per week — a constant number of queries, each bounded to an index
range whatever the number of statements (``statements.selectors.pages``)."""

from __future__ import annotations

from django.shortcuts import render

from statements import visibility
from statements.selectors import pages, tallies
from statements.selectors import statement_rows as rows
from statements.selectors.roles import attach_roles
from statements.views.common import weekly_chart
from tracker.data_version import summary

LATEST = 10


def overview(request):
    visible = visibility.statements(request.user)
    latest = rows.attach(rows.lean(visible)[:LATEST])
    attach_roles(latest)
    newest = latest[0].said_on if latest else None

    def aggregates() -> dict:
        counts = pages.overview_counts(request.user)
        return {
            **pages.overview_rankings(),
            "counts": {name: count.value for name, count in counts.items()},
            "labels": {name: str(count) for name, count in counts.items()},
            "chart": weekly_chart(tallies.per_day(request.user), title="Statements"),
        }

    # Everything but the latest rows summarises the whole table: kept per data version
    # (tracker/data_version.py), so it costs its queries once per write, not per view.
    cached = summary(request, f"overview:{visibility.audience(request.user)}:{newest}", aggregates)
    return render(
        request,
        "statements/overview.html",
        {**cached, "latest": latest, "recent": pages.OVERVIEW_WINDOW, "newest": newest},
    )
