"""A tag's page: the latest statements, claims and events carrying it."""

from __future__ import annotations

from django.urls import reverse
from django.views.generic import DetailView

from statements import visibility
from statements.models import TallyKind
from statements.selectors import pages, tallies
from statements.selectors import statement_rows as rows
from statements.selectors.roles import attach_roles
from statements.views.common import LATEST, crumbs
from tracker.data_version import summary


class TagDetailView(DetailView):
    template_name = "statements/tag_detail.html"
    context_object_name = "tag"
    slug_field = "slug"

    def get_queryset(self):
        return visibility.tags(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        tag, user = self.object, self.request.user
        tagged = pages.tagged_statements(tag, user)
        statements = rows.attach(rows.lean(tagged).order_by("-said_on", "-id")[:LATEST])
        attach_roles(statements)
        # The count (from the tallies) and the first LATEST claims and events (one more tells that there
        # are more), kept per data version: the lists walk the rows carrying the tag.
        cached = summary(
            self.request,
            f"tag:{tag.pk}:{visibility.audience(user)}",
            lambda: {
                "total": tallies.total(user, TallyKind.TAG, tag.pk),
                "claims": pages.tagged_claims(tag, user, LATEST + 1),
                "events": pages.tagged_events(tag, user, LATEST + 1),
            },
        )
        total, claims, events = cached["total"], cached["claims"], cached["events"]
        ctx.update(
            statements=statements,
            total=total,
            total_label=f"{total:,}",
            claims=claims[:LATEST],
            more_claims=len(claims) > LATEST,
            events=events[:LATEST],
            more_events=len(events) > LATEST,
            latest=LATEST,
            list_url=f"{reverse('statements:statement_list')}?tag={tag.slug}",
            feed_url=reverse("statements:feed_tag", args=[tag.slug]),
            breadcrumbs=crumbs(("Tags", reverse("statements:tag_list")), (tag.name, None)),
        )
        return ctx
