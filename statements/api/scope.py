"""What a caller of the API may see: one function per model, each a queryset.

Every "may this user see it" decision of the API is made here and nowhere else: the
viewsets, filters and serializers only ever start from these querysets. Staff
(``is_active`` and ``is_staff``, signed in or holding a token) see drafts too;
everyone else sees published statements from published sources, and of the tables
without a status of their own (actors, claims, events, tags) only the rows something
visible refers to, so a draft's new claim, event, tag or speaker never shows before
the draft is published.
"""

from __future__ import annotations

from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Subquery
from taggit.models import Tag

from actors.models import Actor
from statements.models import Claim, Event, Source, Stance, Statement
from statements.views.details import is_staff, visible_sources
from statements.views.lists import listed_statements

__all__ = [
    "actors_for",
    "claims_for",
    "events_for",
    "is_staff",
    "sources_for",
    "stances_for",
    "statements_for",
    "tags_for",
]


def _referenced(model: type[Model], **referrers: QuerySet) -> QuerySet:
    """Rows of ``model`` that at least one of ``referrers`` (querysets correlated with
    ``OuterRef("pk")``) has a row for, each tested as a scalar ``(SELECT … LIMIT 1) IS
    NOT NULL``.

    PostgreSQL turns ``EXISTS … OR EXISTS …`` into hashes of every matching row, and
    probes these row by row through the indexes instead. Probing wins where nearly every
    row passes, so a page stops after its rows: events (the anonymous event list, 200k
    statements: 150 ms hashed, 7 ms probed). Hashing wins where many rows fail, as for
    actors and tags (there probing took 60–110 ms, hashing 11–15 ms).
    """
    aliases = {f"seen_{name}": Subquery(qs.values("pk")[:1]) for name, qs in referrers.items()}
    condition = Q()
    for alias in aliases:
        condition |= Q(**{f"{alias}__isnull": False})
    return model.objects.alias(**aliases).filter(condition)


def statements_for(user) -> QuerySet[Statement]:
    """The statements of the HTML list for ``user`` (the API lists the same rows)."""
    return listed_statements(user)


def sources_for(user) -> QuerySet[Source]:
    return visible_sources(user)


def stances_for(user) -> QuerySet[Stance]:
    """Stances of the statements ``user`` may see."""
    visible = statements_for(user).filter(pk=OuterRef("statement_id"))
    return Stance.objects.filter(Exists(visible))


def claims_for(user) -> QuerySet[Claim]:
    """Staff: every claim. Others: claims a visible statement takes a stance on."""
    if is_staff(user):
        return Claim.objects.all()
    return Claim.objects.filter(Exists(stances_for(user).filter(claim_id=OuterRef("pk"))))


def events_for(user) -> QuerySet[Event]:
    """Staff: every event. Others: events a visible statement or source refers to."""
    if is_staff(user):
        return Event.objects.all()
    return _referenced(
        Event,
        told=statements_for(user).filter(events=OuterRef("pk")),
        sourced=sources_for(user).filter(events=OuterRef("pk")),
    )


def actors_for(user) -> QuerySet[Actor]:
    """Staff: every actor. Others: speakers and recipients of visible statements, the
    institutions those speakers belong to (one level up), participants of visible
    events."""
    if is_staff(user):
        return Actor.objects.all()
    statements = statements_for(user)
    spoke = Exists(statements.filter(speaker_id=OuterRef("pk")))
    addressed = Exists(statements.filter(recipients=OuterRef("pk")))
    speaker_parent = Exists(statements.filter(speaker__parent_id=OuterRef("pk")))
    took_part = Exists(events_for(user).filter(participations__actor_id=OuterRef("pk")))
    return Actor.objects.filter(spoke | addressed | speaker_parent | took_part)


def tags_for(user) -> QuerySet[Tag]:
    """Staff: every tag. Others: tags on a visible statement, claim or event."""
    if is_staff(user):
        return Tag.objects.all()
    on_statement = Exists(statements_for(user).filter(tagged_items__tag_id=OuterRef("pk")))
    on_claim = Exists(claims_for(user).filter(tagged_items__tag_id=OuterRef("pk")))
    on_event = Exists(events_for(user).filter(tagged_items__tag_id=OuterRef("pk")))
    return Tag.objects.filter(on_statement | on_claim | on_event)
