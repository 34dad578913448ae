"""A claim's page: who asserts it, who denies it, who questions it, and when."""

from __future__ import annotations

from django.urls import reverse
from django.views.generic import DetailView

from statements import visibility
from statements.selectors import pages, tallies
from statements.selectors.roles import attach_roles
from statements.templatetags.statement_display import stance_items
from statements.views.common import crumbs
from tracker.data_version import summary


class ClaimDetailView(DetailView):
    template_name = "statements/claim_detail.html"
    context_object_name = "claim"

    def get_queryset(self):
        return visibility.claims(self.request.user).prefetch_related("tags")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        claim, user = self.object, self.request.user
        limit = pages.SIDE_LIMIT

        # Each side is kept rendered per data version (tracker/data_version.py): a busy
        # claim's sides sort thousands of stances by date.
        def rendered_sides() -> dict[str, dict]:
            found = pages.claim_sides(claim, user)
            totals = tallies.stances_on(claim.pk, user)
            attach_roles([st.statement for rows in found.values() for st in rows[:limit]])
            return {
                kind: {
                    "count": min(len(rows), limit),
                    "total": totals[kind],
                    "more": len(rows) > limit,
                    "html": stance_items(rows[:limit]),
                }
                for kind, rows in found.items()
            }

        sides = summary(
            self.request, f"claim:{claim.pk}:{visibility.audience(user)}", rendered_sides
        )
        list_url = f"{reverse('statements:statement_list')}?claim={claim.pk}"

        def side(kind: str, heading: str, empty: str) -> dict:
            return {
                "stance": kind,
                "heading": heading,
                "count": sides[kind]["count"],
                "items": sides[kind]["html"],
                "empty": empty,
                "total_label": f"{sides[kind]['total']:,}",
                "more": sides[kind]["more"],
                "list_url": f"{list_url}&stance={kind}",
            }

        ctx.update(
            sides=[
                side("asserts", "Who asserts", "Nobody asserts this claim in a visible statement."),
                side("denies", "Who denies", "Nobody denies this claim in a visible statement."),
            ]
            + ([side("questions", "Who questions", "")] if sides["questions"]["count"] else []),
            side_limit=limit,
            list_url=list_url,
            feed_url=reverse("statements:feed_claim", args=[claim.pk]),
            breadcrumbs=crumbs(
                ("Claims", reverse("statements:claim_list")), (f"Claim {claim.pk}", None)
            ),
        )
        return ctx
