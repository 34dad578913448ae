"""One statement: text, speaker and role, date, source excerpt, claims, events, tags."""

from __future__ import annotations

from django.urls import reverse
from django.views.generic import DetailView

from statements import visibility
from statements.selectors.pages import corrections, statement_for_page
from statements.selectors.roles import attach_roles
from statements.views.common import crumbs


class StatementDetailView(DetailView):
    template_name = "statements/statement_detail.html"
    context_object_name = "statement"

    def get_queryset(self):
        return statement_for_page(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        s = self.object
        attach_roles([s])
        ctx.update(
            excerpt=s.source.excerpt(s.span_start, s.span_end),
            source_anchor=f"{s.source.get_absolute_url()}#s{s.pk}",
            permalink=self.request.build_absolute_uri(s.get_absolute_url()),
            is_draft=visibility.is_draft(s),
            corrections=corrections(s),
            breadcrumbs=crumbs(
                ("Statements", reverse("statements:statement_list")),
                (f"Statement {s.pk}", None),
            ),
        )
        return ctx
