"""What the overview and the detail pages read, each query bounded to an index range
whatever the number of statements: counts stop at ``pagination.COUNT_CAP``, rankings
look at a window of the latest statements, lists at their first rows."""

from __future__ import annotations

from django.db.models import Count, F, Max, Prefetch, QuerySet
from taggit.models import Tag

from actors.models import Actor
from statements import pagination, visibility
from statements.filters import tagged_with
from statements.filters.groups import group_count, group_of
from statements.models import (
    Claim,
    Event,
    EventParticipant,
    Source,
    Stance,
    StanceKind,
    Statement,
    TaggedClaim,
    TaggedEvent,
    TaggedStatement,
    TallyKind,
)
from statements.selectors import tallies

#: Rankings on an actor page look at the actor's latest ``ACTOR_WINDOW`` statements.
ACTOR_WINDOW = 500
#: The overview's rankings look at the latest ``OVERVIEW_WINDOW`` published statements.
OVERVIEW_WINDOW = 2_000
#: A claim page lists the first ``SIDE_LIMIT`` stances of each side.
SIDE_LIMIT = 100
TOP = 10
TOP_TAGS = 20


# -- statement --------------------------------------------------------------------------


def statement_for_page(user) -> QuerySet:
    """Visible statements with everything their page shows."""
    return (
        visibility.statements(user)
        .select_related("speaker", "source")
        .prefetch_related(
            "tags",
            "recipients",
            "events",
            Prefetch("stances", queryset=Stance.objects.select_related("claim")),
        )
    )


#: What a reader relies on in a statement: a change to any of these after it was
#: published is shown on its page as a correction.
CORRECTED_FIELDS = {
    "text": "wording",
    "speaker_id": "speaker",
    "speaker_title": "speaker's title",
    "said_on": "date",
    "date_precision": "date precision",
    "mode": "quotation mode",
    "medium": "medium",
    "source_id": "source",
    "span_start": "place in the source",
    "span_end": "place in the source",
}


def corrections(statement: Statement) -> list[dict]:
    """Each change to what a reader relies on made after the statement was first
    published, oldest first: ``{"on": date, "changed": [labels], "earlier_text": str}``
    (``earlier_text`` only when the wording changed). One query, over the statement's
    own history."""
    fields = list(CORRECTED_FIELDS)
    records = statement.history.order_by("history_date", "history_id").values(
        *fields, "status", "history_date"
    )
    found, previous, published = [], None, False
    for record in records:
        if published and previous is not None:
            changed = [name for name in fields if record[name] != previous[name]]
            if changed:
                found.append(
                    {
                        "on": record["history_date"].date(),
                        "changed": list(dict.fromkeys(CORRECTED_FIELDS[n] for n in changed)),
                        "earlier_text": previous["text"] if "text" in changed else "",
                    }
                )
        published = published or record["status"] == "published"
        previous = record
    return found


# -- actor ------------------------------------------------------------------------------


def actor_merged_into(slug: str, user) -> Actor | None:
    """The visible actor that the actor once at ``slug`` was merged into, if any."""
    return visibility.actors(user).filter(merged_slugs__slug=slug).first()


def actor_aggregates(actor: Actor, user) -> dict:
    """Count, first date, statements per day, claims by stance, co-speakers and
    recipients of what ``actor`` said (as ``user`` may see it); with members
    (``filters.groups``), the capped count of what the actor, the bodies below it and
    their officials said, else None."""
    visible = visibility.statements(user)
    said = visible.filter(speaker=actor)
    per_day = tallies.per_day(user, TallyKind.SPEAKER, actor.pk)
    recent = said.order_by("-said_on", "-id").values("pk")[:ACTOR_WINDOW]
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
    group = group_of(actor)
    with_members = None
    if group.has_members:
        said_by_group = visible.filter(group.statements_q())
        # PostgreSQL: range by range, each range its own condition (not the group's OR).
        counted = group_count(visible, group, pagination.COUNT_CAP)
        with_members = (
            pagination.capped_count(said_by_group)
            if counted is None
            else pagination.CappedCount.of(counted)
        )
    return {
        "totals": {
            "n": tallies.total(user, TallyKind.SPEAKER, actor.pk),
            "first": per_day[0][0] if per_day else None,
        },
        "per_day": per_day,
        "with_members": with_members,
        "claims": claims,
        "co_speakers": list(co_speakers),
        "recipients": list(recipients),
    }


# -- claim ------------------------------------------------------------------------------


#: What a claim's side shows of each stance (``stance_items``, ``attach_roles``): a
#: busy claim shows 300, and loading whole rows (timestamps, bodies' neighbours) was a
#: large part of the page's time after a write.
SIDE_FIELDS = (
    "stance",
    "claim_id",
    "said_on",
    "statement__id",
    "statement__text",
    "statement__said_on",
    "statement__date_precision",
    "statement__mode",
    "statement__status",
    "statement__speaker_title",
    "statement__speaker__name",
    "statement__speaker__slug",
    "statement__speaker__kind",
    "statement__source__title",
)


def claim_sides(claim: Claim, user) -> dict[str, list[Stance]]:
    """Per stance, the first ``SIDE_LIMIT + 1`` visible stances in date order (one
    more tells that there are more; the filterable list counts them)."""
    on_claim = visibility.stances(user).filter(claim=claim)
    return {
        kind: list(
            on_claim.filter(stance=kind)
            .select_related("statement__speaker", "statement__source")
            .only(*SIDE_FIELDS)
            # said_on is the statement's, copied: one index holds the side in this order
            .order_by("said_on", "statement_id")[: SIDE_LIMIT + 1]
        )
        for kind in StanceKind.values
    }


# -- event ------------------------------------------------------------------------------


def event_for_page(user, latest: int) -> QuerySet:
    """Visible events with their participants and their latest ``latest + 1`` visible
    sources (without bodies)."""
    return visibility.events(user).prefetch_related(
        "tags",
        Prefetch(
            "participations",
            queryset=EventParticipant.objects.select_related("actor").order_by(
                "role", "actor__name", "actor_id"
            ),
        ),
        Prefetch(
            "sources",
            queryset=visibility.sources(user)
            .defer("body")
            .order_by("-published_on", "-id")[: latest + 1],
            to_attr="latest_sources",
        ),
    )


# -- tag --------------------------------------------------------------------------------


def tagged_statements(tag: Tag, user) -> QuerySet:
    """Visible statements carrying ``tag``, through the (tag, object) index."""
    return tagged_with(visibility.statements(user), TaggedStatement, tag.pk)


def tagged_claims(tag: Tag, user, limit: int) -> list[Claim]:
    links = TaggedClaim.objects.filter(tag=tag).values("content_object_id")
    return list(visibility.claims(user).filter(pk__in=links).order_by("text", "id")[:limit])


def tagged_events(tag: Tag, user, limit: int) -> list[Event]:
    links = TaggedEvent.objects.filter(tag=tag).values("content_object_id")
    return list(visibility.events(user).filter(pk__in=links).order_by("-start_date", "-id")[:limit])


# -- source -----------------------------------------------------------------------------


def statements_in_source(source: Source, user) -> list[Statement]:
    """The visible statements of ``source`` in the order their spans stand in it."""
    return list(
        visibility.statements(user)
        .filter(source=source)
        .select_related("speaker")
        .order_by("span_start", "-span_end", "id")
    )


# -- overview ---------------------------------------------------------------------------


def overview_rankings() -> dict:
    """Most active speakers and top tags over the latest ``OVERVIEW_WINDOW`` published
    statements (a backward range on said_on), the same for everyone."""
    recent = visibility.statements(None).order_by("-said_on", "-id").values("pk")[:OVERVIEW_WINDOW]
    speakers = (
        Actor.objects.filter(statements__in=recent)
        .annotate(n=Count("statements", distinct=True))
        .order_by("-n", "name", "id")[:TOP]
    )
    tags = (
        TaggedStatement.objects.filter(content_object__in=recent)
        .values("tag_id", name=F("tag__name"), slug=F("tag__slug"))
        .annotate(n=Count("content_object", distinct=True))
        .order_by("-n", "name", "tag_id")[:TOP_TAGS]
    )
    return {"speakers": list(speakers), "tags": list(tags)}


def overview_counts(user) -> dict:
    """Counts of what ``user`` may see: statements exact (from the tallies), and for
    the public the claims and events too (the distinct subjects of their public
    tallies, ``visibility.public_tallies``); the rest capped."""
    exact = {"statements": pagination.CappedCount(tallies.total(user), capped=False)}
    counted = [("actors", visibility.actors(user))]
    for name, model in [("claims", Claim), ("events", Event)]:
        if visibility.sees_drafts(user):
            counted.append((name, model.objects.all()))
        else:
            subjects = visibility.public_tallies(model).values("subject_id").distinct()
            exact[name] = pagination.CappedCount(subjects.count(), capped=False)
    counted.append(("sources", visibility.sources(user)))
    return exact | {name: pagination.capped_count(queryset) for name, queryset in counted}
