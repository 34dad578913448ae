"""``/feeds/``: what a feed is and which ones the tracker offers."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from statements.views.common import crumbs


def about_feeds(request):
    return render(
        request,
        "statements/feeds.html",
        {
            "list_url": reverse("statements:statement_list"),
            "feed_url": reverse("statements:statement_feed"),
            "breadcrumbs": crumbs(("Feeds", None)),
        },
    )
