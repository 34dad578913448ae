"""An actor's page: statements over time, roles, aliases, claims asserted and denied."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.views.generic import DetailView

from actors.models import Actor, Role
from statements import visibility
from statements.selectors import statement_rows as rows
from statements.selectors.pages import ACTOR_WINDOW, actor_aggregates, actor_merged_into
from statements.selectors.roles import attach_roles
from statements.views.common import LATEST, crumbs, weekly_chart
from tracker.data_version import summary


@dataclass(frozen=True)
class RoleLine:
    """One role as the page prints it: "Minister of Foreign Affairs · Ministry of Foreign
    Affairs of Azerbaijan · since 16 Jul 2020"."""

    title: str
    organization: Actor | None
    period: str


def _day(day) -> str:
    return f"{day.day} {day:%b %Y}"


def role_period(role: Role) -> str:
    if role.start_date and role.end_date:
        return f"{_day(role.start_date)} – {_day(role.end_date)}"
    if role.start_date:
        return f"since {_day(role.start_date)}"
    if role.end_date:
        return f"until {_day(role.end_date)}"
    return ""


def role_title(role: Role) -> str:
    """The title without the "of <place>" its organisation's name already says
    ("Minister of Foreign Affairs of Azerbaijan" beside "Ministry of Foreign Affairs of
    Azerbaijan" reads "Minister of Foreign Affairs")."""
    title = role.title.strip()
    organization = role.organization.name.strip() if role.organization else ""
    head, of, place = title.rpartition(" of ")
    if of and head and place and organization.casefold().endswith(f"{of}{place}".casefold()):
        return head
    return title


def role_line(role: Role) -> RoleLine:
    return RoleLine(role_title(role), role.organization, role_period(role))


class ActorDetailView(DetailView):
    template_name = "actors/actor_detail.html"
    context_object_name = "actor"
    slug_field = "slug"

    def get_queryset(self):
        return visibility.actors(self.request.user).select_related("parent")

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A merged actor's permalink leads to the actor it was merged into.
            survivor = actor_merged_into(kwargs["slug"], request.user)
            if survivor is None:
                raise
            return HttpResponsePermanentRedirect(survivor.get_absolute_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        actor, user = self.object, self.request.user
        said = visibility.statements(user).filter(speaker=actor)

        roles = list(actor.roles.select_related("organization").order_by("start_date", "id"))
        statements = rows.attach(rows.lean(said)[:LATEST])
        attach_roles(statements, roles)
        last_said = statements[0].said_on if statements else None

        def aggregates() -> dict:
            found = actor_aggregates(actor, user)
            per_day = found.pop("per_day")
            return {**found, "chart": weekly_chart(per_day, title=f"Statements by {actor.name}")}

        # Aggregates over all the actor's statements, kept per data version
        # (tracker/data_version.py): their queries run once per write, not per view.
        cached = summary(self.request, f"actor:{actor.pk}:{visibility.audience(user)}", aggregates)
        totals, claims = cached["totals"], cached["claims"]
        with_members = cached["with_members"]
        sides = [
            ("asserts", "Claims asserted", "Asserts no recorded claim."),
            ("denies", "Claims denied", "Denies no recorded claim."),
        ]
        if claims["questions"]:
            sides.append(("questions", "Claims questioned", ""))
        ctx.update(
            roles=roles,
            role_lines=[role_line(role) for role in roles],
            aliases=list(actor.aliases.all()),
            children=list(actor.children.all()),
            statements=statements,
            total=totals["n"],
            total_label=f"{totals['n']:,}",
            first_said=totals["first"],
            last_said=last_said,
            recent=ACTOR_WINDOW,
            windowed=totals["n"] > ACTOR_WINDOW,
            chart=cached["chart"],
            claim_sides=[
                {"stance": kind, "heading": heading, "rows": claims[kind], "empty": empty}
                for kind, heading, empty in sides
            ],
            co_speakers=cached["co_speakers"],
            recipients=cached["recipients"],
            list_url=f"{reverse('statements:statement_list')}?speaker={actor.slug}",
            members_total=with_members.value if with_members else None,
            members_label=str(with_members) if with_members else "",
            within_url=f"{reverse('statements:statement_list')}?within={actor.slug}",
            feed_url=reverse("statements:feed_speaker", args=[actor.slug]),
            breadcrumbs=crumbs(("Actors", reverse("actors:actor_list")), (actor.name, None)),
        )
        return ctx
