"""An event's page: participants, sources and related statements."""

from __future__ import annotations

from django.urls import reverse
from django.views.generic import DetailView

from actors.models import Actor
from statements import visibility
from statements.models import ParticipantRole
from statements.pagination import capped_count
from statements.selectors import statement_rows as rows
from statements.selectors.pages import event_for_page
from statements.selectors.roles import attach_roles
from statements.views.common import LATEST, crumbs


class EventDetailView(DetailView):
    template_name = "statements/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return event_for_page(self.request.user, LATEST)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        event = self.object
        groups: dict[str, list[Actor]] = {role: [] for role in ParticipantRole.values}
        for participation in event.participations.all():
            groups[participation.role].append(participation.actor)
        participants = [
            {"role": role, "label": ParticipantRole(role).label + "s", "actors": actors}
            for role, actors in groups.items()
            if actors
        ]
        related = visibility.statements(self.request.user).filter(events=event)
        statements = rows.attach(rows.lean(related).order_by("said_on", "id")[:LATEST])
        attach_roles(statements)
        total = capped_count(related)
        ctx.update(
            participants=participants,
            sources=event.latest_sources[:LATEST],
            more_sources=len(event.latest_sources) > LATEST,
            statements=statements,
            total=total.value,
            total_label=str(total),
            list_url=f"{reverse('statements:statement_list')}?event={event.pk}",
            breadcrumbs=crumbs(("Events", reverse("statements:event_list")), (event.title, None)),
        )
        return ctx
