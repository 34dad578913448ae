"""Detail pages: one statement, actor, claim, event, tag or source.

Public pages show published data only; staff also see drafts, marked as such
(``Statement.objects.visible_to(user)``). Every page runs a constant number of
queries whatever the number of rows (tests pin the budgets).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Prefetch, Q
from django.db.models.functions import TruncWeek
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.generic import DetailView
from taggit.models import Tag

from actors.models import Actor, Role
from statements import rows
from statements.charts import weekly_bar_chart
from statements.filters import tagged_with
from statements.models import (
    Claim,
    Event,
    EventParticipant,
    ParticipantRole,
    Source,
    Stance,
    StanceKind,
    Statement,
    Status,
    TaggedStatement,
)
from tracker.summaries import summary

LATEST = 50
EXCERPT_CONTEXT = 300
TOP = 10
# Pages must not care how many rows there are: counts stop at COUNT_CAP ("more than
# 10,000"), charts cover the last CHART_WEEKS weeks before the newest statement,
# rankings on an actor page look at the actor's latest RECENT statements, and a
# claim page lists the first SIDE_LIMIT stances of each side.
COUNT_CAP = 10_000
CHART_WEEKS = 104
RECENT = 500
SIDE_LIMIT = 100


# --- shared helpers ------------------------------------------------------------------


def is_staff(user) -> bool:
    return bool(user is not None and user.is_active and user.is_staff)


def audience(user) -> str:
    """Which rows ``user`` may see, as a cache-key part: ``"staff"`` (drafts too) or
    ``"public"``. Every kept summary is keyed by it, so staff views never reach the public."""
    return "staff" if is_staff(user) else "public"


def visible_sources(user):
    if is_staff(user):
        return Source.objects.exclude(status=Status.DISCARDED)
    return Source.objects.published()


def visible_statements(user):
    """``Statement.objects.visible_to(user)``, written so PostgreSQL can stay on the
    statement indexes: public rows exclude the few unpublished sources with a hashed
    ``NOT IN`` instead of joining every statement to its source."""
    if is_staff(user):
        return Statement.objects.visible_to(user)
    return Statement.objects.filter(status=Status.PUBLISHED).exclude(
        source_id__in=Source.objects.exclude(status=Status.PUBLISHED).values("id")
    )


def visible_q(user, prefix: str = "") -> Q:
    """The ``visible_statements`` condition for a relation (``prefix="statement__"``),
    so PostgreSQL joins from the few related rows instead of hashing every statement."""
    if is_staff(user):
        return ~Q(**{f"{prefix}status": Status.DISCARDED})
    return Q(**{f"{prefix}status": Status.PUBLISHED}) & ~Q(
        **{f"{prefix}source_id__in": Source.objects.exclude(status=Status.PUBLISHED).values("id")}
    )


def capped_count(queryset, cap: int | None = None) -> int:
    """The number of rows, counted up to ``cap + 1`` only (an index range, never the
    whole table): a result above ``cap`` means "more than ``cap``"."""
    cap = COUNT_CAP if cap is None else cap
    return queryset.order_by()[: cap + 1].count()


def count_label(n: int, cap: int | None = None) -> str:
    cap = COUNT_CAP if cap is None else cap
    return f"more than {cap:,}" if n > cap else str(n)


def chart_start(newest: datetime.date | None, weeks: int = CHART_WEEKS) -> datetime.date | None:
    """The Monday ``weeks - 1`` weeks before the week of ``newest``: the chart window."""
    if newest is None:
        return None
    monday = newest - datetime.timedelta(days=newest.weekday())
    return monday - datetime.timedelta(weeks=weeks - 1)


def weekly_counts(
    statements, since: datetime.date | None = None
) -> list[tuple[datetime.date, int]]:
    """Statements per week, aggregated in the database: the last ``MAX_WEEKS`` weeks
    that have any, oldest first. ``since`` bounds the scan to an index range."""
    from statements.charts import MAX_WEEKS

    if since is not None:
        statements = statements.filter(said_on__gte=since)
    rows = (
        statements.order_by()
        .annotate(week=TruncWeek("said_on"))
        .values("week")
        .annotate(n=Count("id"))
        .order_by("-week")[:MAX_WEEKS]
    )
    return [(row["week"], row["n"]) for row in reversed(rows)]


def weekly_chart(statements, *, title: str, newest: datetime.date | None = None):
    """The weekly chart of ``statements``; with ``newest`` (the newest statement's date)
    only the ``CHART_WEEKS`` weeks up to it are counted, and ``since`` says from when."""
    since = chart_start(newest)
    chart = weekly_bar_chart(weekly_counts(statements, since), title=title)
    return {
        "svg": mark_safe(chart.svg),  # noqa: S308 - built from escaped parts
        "empty": chart.empty,
        "total": chart.total,
        "since": since,
        "weeks": CHART_WEEKS,
    }  # noqa: S308 - built from escaped parts


def attach_roles(statements, roles: list[Role] | None = None) -> None:
    """Set ``statement.role_at_time``: the printed speaker title, else the role the
    speaker held on the day (one query for all speakers, or none if ``roles`` given)."""
    statements = list(statements)
    missing = [s for s in statements if not s.speaker_title]
    if not missing:
        for s in statements:
            s.role_at_time = s.speaker_title
        return
    if roles is None:
        roles = list(
            Role.objects.filter(actor_id__in={s.speaker_id for s in missing}).order_by(
                "-start_date", "-id"
            )
        )
    by_actor: dict[int, list[Role]] = defaultdict(list)
    for role in roles:
        by_actor[role.actor_id].append(role)
    for s in statements:
        s.role_at_time = s.speaker_title or role_held(by_actor.get(s.speaker_id, []), s.said_on)


def role_held(roles: list[Role], day: datetime.date) -> str:
    """The title of the latest-starting role held on ``day`` (as ``Actor.role_on``)."""
    held = [
        r
        for r in roles
        if (r.start_date is None or r.start_date <= day)
        and (r.end_date is None or r.end_date >= day)
    ]
    if not held:
        return ""
    held.sort(key=lambda r: (r.start_date or datetime.date.min, r.id), reverse=True)
    return held[0].title


def crumbs(*items: tuple[str, str | None]) -> list[dict]:
    trail = [("Overview", reverse("statements:overview")), *items]
    return [{"label": label, "url": url} for label, url in trail]


# --- statement -----------------------------------------------------------------------


class StatementDetailView(DetailView):
    template_name = "statements/statement_detail.html"
    context_object_name = "statement"

    def get_queryset(self):
        return (
            Statement.objects.visible_to(self.request.user)
            .select_related("speaker", "source")
            .prefetch_related(
                "tags",
                "recipients",
                "events",
                Prefetch("stances", queryset=Stance.objects.select_related("claim")),
            )
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        s = self.object
        attach_roles([s])
        body = s.source.body
        start = min(s.span_start, len(body))
        end = min(max(s.span_end, start), len(body))
        before_start = max(0, start - EXCERPT_CONTEXT)
        after_end = min(len(body), end + EXCERPT_CONTEXT)
        # Cut at a word boundary when there is one, not in the middle of a word.
        if before_start > 0:
            space = body.find(" ", before_start, start)
            before_start = space + 1 if space != -1 else before_start
        if after_end < len(body):
            space = body.rfind(" ", end, after_end)
            after_end = space if space != -1 else after_end
        ctx.update(
            excerpt={
                "before": body[before_start:start],
                "span": body[start:end],
                "after": body[end:after_end],
                "cut_before": before_start > 0,
                "cut_after": after_end < len(body),
            },
            source_anchor=f"{s.source.get_absolute_url()}#s{s.pk}",
            permalink=self.request.build_absolute_uri(s.get_absolute_url()),
            is_draft=s.status != Status.PUBLISHED or s.source.status != Status.PUBLISHED,
            breadcrumbs=crumbs(
                ("Statements", reverse("statements:statement_list")),
                (f"Statement {s.pk}", None),
            ),
        )
        return ctx


# --- actor ---------------------------------------------------------------------------


class ActorDetailView(DetailView):
    template_name = "actors/actor_detail.html"
    context_object_name = "actor"
    slug_field = "slug"

    def get_queryset(self):
        return Actor.objects.select_related("parent")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        actor = self.object
        visible = visible_statements(self.request.user)
        said = visible.filter(speaker=actor)

        roles = list(actor.roles.select_related("organization").order_by("start_date", "id"))
        statements = rows.attach(rows.lean(said)[:LATEST])
        attach_roles(statements, roles)
        last_said = statements[0].said_on if statements else None

        def aggregates() -> dict:
            # Count and first date from the oldest COUNT_CAP + 1 rows of the
            # (speaker, said_on, id) index: exact up to the cap, "more than" beyond.
            # (An aggregate over the slice itself: ``pk IN (slice)`` joined the table
            # back, 96 ms for a speaker of 116k statements against 5 ms.)
            totals = said.order_by("said_on", "id")[: COUNT_CAP + 1].aggregate(
                n=Count("id"), first=Min("said_on")
            )
            # Rankings look at the actor's latest RECENT statements (an index range).
            recent = said.order_by("-said_on", "-id").values("pk")[:RECENT]
            stance_rows = (
                Stance.objects.filter(statement__in=recent)
                .values("claim_id", "claim__text", "stance")
                .annotate(n=Count("id"), last=Max("statement__said_on"))
                .order_by("stance", "-n", "-last", "claim_id")
            )
            claims: dict[str, list[dict]] = {kind: [] for kind in StanceKind.values}
            for row in stance_rows:
                claims[row["stance"]].append(row)
            own_sources = Statement.objects.filter(pk__in=recent).values("source_id")
            co_speakers = (
                Actor.objects.filter(statements__in=visible.filter(source__in=own_sources))
                .exclude(pk=actor.pk)
                .annotate(
                    shared_sources=Count("statements__source", distinct=True),
                    shared_statements=Count("statements", distinct=True),
                )
                .order_by("-shared_sources", "-shared_statements", "name", "id")[:TOP]
            )
            recipients = (
                Actor.objects.filter(statements_received__in=recent)
                .annotate(n=Count("statements_received", distinct=True))
                .order_by("-n", "name", "id")[:TOP]
            )
            return {
                "totals": totals,
                "claims": claims,
                "co_speakers": list(co_speakers),
                "recipients": list(recipients),
                "chart": weekly_chart(
                    said, title=f"Statements per week by {actor.name}", newest=last_said
                ),
            }

        # Aggregates over all the actor's statements, cached per data version
        # (tracker/summaries.py): their queries run once per write, not per view.
        cached = summary(
            self.request, f"actor:{actor.pk}:{audience(self.request.user)}", aggregates
        )
        totals, claims = cached["totals"], cached["claims"]

        ctx.update(
            roles=roles,
            aliases=list(actor.aliases.all()),
            children=list(actor.children.all()),
            statements=statements,
            total=totals["n"],
            total_label=count_label(totals["n"]),
            first_said=totals["first"],
            last_said=last_said,
            recent=RECENT,
            windowed=totals["n"] > RECENT,
            chart=cached["chart"],
            claim_sides=[
                {
                    "stance": "asserts",
                    "heading": "Claims asserted",
                    "rows": claims["asserts"],
                    "empty": "Asserts no recorded claim.",
                },
                {
                    "stance": "denies",
                    "heading": "Claims denied",
                    "rows": claims["denies"],
                    "empty": "Denies no recorded claim.",
                },
            ]
            + (
                [
                    {
                        "stance": "questions",
                        "heading": "Claims questioned",
                        "rows": claims["questions"],
                        "empty": "",
                    }
                ]
                if claims["questions"]
                else []
            ),
            co_speakers=cached["co_speakers"],
            recipients=cached["recipients"],
            list_url=f"{reverse('statements:statement_list')}?speaker={actor.slug}",
            feed_url=reverse("statements:feed_speaker", args=[actor.slug]),
            breadcrumbs=crumbs(("Actors", reverse("actors:actor_list")), (actor.name, None)),
        )
        return ctx


# --- claim ---------------------------------------------------------------------------


class ClaimDetailView(DetailView):
    template_name = "statements/claim_detail.html"
    context_object_name = "claim"

    def get_queryset(self):
        return Claim.objects.prefetch_related("tags")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        claim = self.object

        # Per side: the SIDE_LIMIT earliest stances in date order; one more row tells
        # that there are more (the filterable list counts them), so no count query.
        # Each side is kept rendered: 200 items cost ~60 ms through the template.
        def stance_sides() -> dict[str, dict]:
            on_claim = Stance.objects.filter(
                visible_q(self.request.user, "statement__"), claim=claim
            )
            found: dict[str, list[Stance]] = {}
            for kind in StanceKind.values:
                found[kind] = list(
                    on_claim.filter(stance=kind)
                    .select_related("statement__speaker", "statement__source")
                    .defer(
                        "statement__extraction",
                        "statement__search_vector",
                        "statement__source__body",
                    )
                    .order_by("statement__said_on", "statement__id")[: SIDE_LIMIT + 1]
                )
            attach_roles([st.statement for rows in found.values() for st in rows[:SIDE_LIMIT]])
            return {
                kind: {
                    "count": min(len(rows), SIDE_LIMIT),
                    "more": len(rows) > SIDE_LIMIT,
                    "html": render_to_string(
                        "includes/stance_items.html", {"stances": rows[:SIDE_LIMIT]}
                    ),
                }
                for kind, rows in found.items()
            }

        # A busy claim's sides sort thousands of stances by date: cached per data
        # version (tracker/summaries.py), recomputed after any write.
        sides = summary(
            self.request, f"claim:{claim.pk}:{audience(self.request.user)}", stance_sides
        )
        list_url = f"{reverse('statements:statement_list')}?claim={claim.pk}"

        def side(kind: str, heading: str, empty: str) -> dict:
            return {
                "stance": kind,
                "heading": heading,
                "count": sides[kind]["count"],
                "items": sides[kind]["html"],
                "empty": empty,
                "total_label": (
                    f"more than {SIDE_LIMIT}" if sides[kind]["more"] else sides[kind]["count"]
                ),
                "more": sides[kind]["more"],
                "list_url": f"{list_url}&stance={kind}",
            }

        ctx.update(
            sides=[
                side("asserts", "Who asserts", "Nobody asserts this claim in a visible statement."),
                side("denies", "Who denies", "Nobody denies this claim in a visible statement."),
            ]
            + ([side("questions", "Who questions", "")] if sides["questions"]["count"] else []),
            side_limit=SIDE_LIMIT,
            list_url=list_url,
            feed_url=reverse("statements:feed_claim", args=[claim.pk]),
            breadcrumbs=crumbs(
                ("Claims", reverse("statements:claim_list")), (f"Claim {claim.pk}", None)
            ),
        )
        return ctx


# --- event ---------------------------------------------------------------------------


class EventDetailView(DetailView):
    template_name = "statements/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return Event.objects.prefetch_related(
            "tags",
            Prefetch(
                "participations",
                queryset=EventParticipant.objects.select_related("actor").order_by(
                    "role", "actor__name", "actor_id"
                ),
            ),
            # The latest LATEST + 1 sources (one more tells that there are more), without
            # their bodies.
            Prefetch(
                "sources",
                queryset=visible_sources(self.request.user)
                .defer("body")
                .order_by("-published_on", "-id")[: LATEST + 1],
                to_attr="latest_sources",
            ),
        )

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
        related = Statement.objects.visible_to(self.request.user).filter(events=event)
        statements = rows.attach(rows.lean(related).order_by("said_on", "id")[:LATEST])
        attach_roles(statements)
        ctx.update(
            participants=participants,
            sources=event.latest_sources[:LATEST],
            more_sources=len(event.latest_sources) > LATEST,
            statements=statements,
            total=(total := capped_count(related)),
            total_label=count_label(total),
            list_url=f"{reverse('statements:statement_list')}?event={event.pk}",
            breadcrumbs=crumbs(("Events", reverse("statements:event_list")), (event.title, None)),
        )
        return ctx


# --- tag -----------------------------------------------------------------------------


class TagDetailView(DetailView):
    template_name = "statements/tag_detail.html"
    context_object_name = "tag"
    slug_field = "slug"

    def get_queryset(self):
        return Tag.objects.all()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        tag = self.object
        # The tag is resolved already: filter by its id through the (tag, object)
        # index (``tagged_with``), never by joining on the tag's name.
        tagged = tagged_with(visible_statements(self.request.user), TaggedStatement, tag.pk)
        statements = rows.attach(rows.lean(tagged).order_by("-said_on", "-id")[:LATEST])
        attach_roles(statements)
        total = summary(
            self.request,
            f"tag:{tag.pk}:{audience(self.request.user)}",
            lambda: capped_count(tagged),
        )
        ctx.update(
            statements=statements,
            total=total,
            total_label=count_label(total),
            # The first LATEST claims and events (one more tells that there are more).
            claims=(
                claims := list(
                    Claim.objects.filter(tagged_items__tag=tag).order_by("text", "id")[: LATEST + 1]
                )
            )[:LATEST],
            more_claims=len(claims) > LATEST,
            events=(
                events := list(
                    Event.objects.filter(tagged_items__tag=tag).order_by("-start_date", "-id")[
                        : LATEST + 1
                    ]
                )
            )[:LATEST],
            more_events=len(events) > LATEST,
            latest=LATEST,
            list_url=f"{reverse('statements:statement_list')}?tag={tag.slug}",
            feed_url=reverse("statements:feed_tag", args=[tag.slug]),
            breadcrumbs=crumbs(("Tags", reverse("statements:tag_list")), (tag.name, None)),
        )
        return ctx


# --- source --------------------------------------------------------------------------


@dataclass
class Segment:
    text: str
    statements: list[Statement] = field(default_factory=list)
    starts: list[Statement] = field(default_factory=list)

    @property
    def link(self) -> Statement | None:
        """The innermost (latest-starting, shortest) statement covering this segment."""
        return self.statements[-1] if self.statements else None

    @property
    def depth(self) -> int:
        return min(len(self.statements), 3)

    @property
    def ids(self) -> str:
        return " ".join(f"s{s.pk}" for s in self.statements)


def segment_body(body: str, statements: list[Statement]) -> list[list[Segment]]:
    """Split ``body`` into paragraphs of segments; every segment knows all the
    statements whose span covers it (nested and overlapping spans included), and
    the statements that start at it. Newlines end paragraphs."""
    n = len(body)
    spans = []
    for s in statements:
        start = min(max(s.span_start, 0), n)
        end = min(max(s.span_end, start), n)
        spans.append((start, end, s))
    # Outer spans first at a shared start, so the innermost ends up last.
    spans.sort(key=lambda item: (item[0], -item[1], item[2].pk))
    cuts = sorted({0, n, *(a for a, _, _ in spans), *(b for _, b, _ in spans)})

    paragraphs: list[list[Segment]] = [[]]
    started: set[int] = set()
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [s for start, end, s in spans if start <= a and end >= b and end > start]
        starts = [s for start, _, s in spans if start == a and s.pk not in started]
        started.update(s.pk for s in starts)
        for i, part in enumerate(body[a:b].split("\n")):
            if i:
                paragraphs.append([])
            if part or starts:
                paragraphs[-1].append(Segment(part, covering, starts))
                starts = []
    # Statements whose span is empty or sits at the very end still get an anchor.
    leftovers = [s for _, _, s in spans if s.pk not in started]
    if leftovers:
        paragraphs[-1].append(Segment("", [], leftovers))
    return [p for p in paragraphs if any(seg.text.strip() or seg.starts for seg in p)]


class SourceDetailView(DetailView):
    template_name = "statements/source_detail.html"
    context_object_name = "source"

    def get_queryset(self):
        return visible_sources(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        source = self.object
        statements = list(
            Statement.objects.visible_to(self.request.user)
            .filter(source=source)
            .select_related("speaker")
            .order_by("span_start", "-span_end", "id")
        )
        attach_roles(statements)
        for number, s in enumerate(statements, start=1):
            s.number = number
            s.is_draft = s.status != Status.PUBLISHED
        ctx.update(
            paragraphs=segment_body(source.body, statements),
            statements=statements,
            is_draft=source.status != Status.PUBLISHED,
            breadcrumbs=crumbs(
                ("Statements", reverse("statements:statement_list")), (source.title, None)
            ),
        )
        return ctx
