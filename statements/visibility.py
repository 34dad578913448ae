"""Who may see what: the one rule behind every page, list, count, chart, feed, export,
autocomplete, API response and page-cache key.

Two audiences:

- **drafts**: an active staff user with the ``statements.view_statement`` permission
  (editors, reviewers, superusers). Sees drafts, marked as such; never what was
  discarded (a discarded statement, or anything from a discarded source).
- **public**: everyone else, staff without that permission included. Sees published
  statements from published sources, and only the actors, claims, events and tags that
  such a statement (or, for an actor, an editor's own entry) puts on the record.

The public statement condition is ``statements.models.published_q``, written for
PostgreSQL's statement indexes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.db.models import OuterRef, Q, QuerySet, Subquery
from taggit.models import Tag

from actors.models import Actor
from statements.models import (
    CLAIM_KINDS,
    Claim,
    Event,
    Source,
    Stance,
    Statement,
    Status,
    TaggedClaim,
    TaggedEvent,
    TaggedStatement,
    Tally,
    TallyAudience,
    TallyKind,
)
from statements.models.statements import published_q

#: The permission that lets a staff user see drafts.
VIEW_DRAFTS_PERMISSION = "statements.view_statement"

DRAFTS = "drafts"
PUBLIC = "public"


def sees_drafts(user) -> bool:
    """Whether ``user`` sees drafts: active staff allowed to view statements."""
    return bool(
        user is not None
        and user.is_active
        and user.is_staff
        and user.has_perm(VIEW_DRAFTS_PERMISSION)
    )


def audience(user) -> str:
    """Which rows ``user`` may see, as a cache-key part. Every kept summary and count is
    keyed by it, so what the drafts audience saw never reaches the public."""
    return DRAFTS if sees_drafts(user) else PUBLIC


# -- statements and sources ----------------------------------------------------------------


def _sources_with_status(*statuses: str) -> QuerySet:
    return Source.objects.filter(status__in=statuses).values("id")


def statement_q(user, prefix: str = "") -> Q:
    """The visible-statement condition, for ``Statement`` itself (``prefix=""``) or
    through a relation (``prefix="statement__"``), so a query on stances or tag links
    starts from the few related rows instead of hashing every statement."""
    if sees_drafts(user):
        return ~Q(**{f"{prefix}status": Status.DISCARDED}) & ~Q(
            **{f"{prefix}source_id__in": _sources_with_status(Status.DISCARDED)}
        )
    return published_q(prefix)


def statements(user) -> QuerySet:
    """The statements ``user`` may see."""
    return Statement.objects.filter(statement_q(user))


def sources(user) -> QuerySet:
    """The sources ``user`` may see (their bodies included)."""
    if sees_drafts(user):
        return Source.objects.exclude(status=Status.DISCARDED)
    return Source.objects.filter(status=Status.PUBLISHED)


def stances(user) -> QuerySet:
    """Stances of visible statements (their claims are visible through them)."""
    return Stance.objects.filter(statement_q(user, "statement__"))


# -- what statements put on the record -----------------------------------------------------


def _built_once(build: Callable[[], QuerySet]) -> Callable[[], QuerySet]:
    """``build``'s queryset made once per process, handed out as a fresh clone each call.

    The public actor, claim, event and tag querysets nest several others (a tag's
    visibility holds the claims' and the events'); building one costs far more than
    cloning it, and they depend on nothing but the models. The kept queryset is never
    evaluated, only cloned (``.all()``), so no rows are ever kept with it."""
    built = functools.cache(build)
    return lambda: built().all()


def _referenced(model, first: Q | None = None, **referrers: QuerySet) -> QuerySet:
    """Rows of ``model`` meeting ``first`` or having a row in one of ``referrers``
    (querysets correlated with ``OuterRef("pk")``), each referrer tested as a scalar
    ``(SELECT … LIMIT 1) IS NOT NULL``.

    PostgreSQL turns ``EXISTS … OR EXISTS …`` into hashes of every matching row (every
    public statement's speaker, say) before the first row comes out; a scalar subquery is
    probed row by row through the indexes, and only when ``first`` (checked before it)
    did not already decide. Probing wins where nearly every row passes, so a page stops
    after its rows (docs/benchmark.md has the measurements)."""
    aliases = {
        f"seen_{name}": Subquery(qs.order_by().values("pk")[:1])  # any row: no sort
        for name, qs in referrers.items()
    }
    condition = first if first is not None else Q(pk__in=[])
    for alias in aliases:
        condition |= Q(**{f"{alias}__isnull": False})
    return model.objects.alias(**aliases).filter(condition)


def actors(user) -> QuerySet:
    """Actors ``user`` may see. The public sees an actor an editor entered or a reviewer
    approved (``needs_review`` off), and any actor a visible statement names as speaker
    or recipient; an actor ingest proposed for a draft stays private until then."""
    return Actor.objects.all() if sees_drafts(user) else _public_actors()


@_built_once
def _public_actors() -> QuerySet:
    public = statements(None)
    return _referenced(
        Actor,
        Q(needs_review=False),
        spoke=public.filter(speaker=OuterRef("pk")),
        addressed=public.filter(recipients=OuterRef("pk")),
    )


def claims(user) -> QuerySet:
    """Claims ``user`` may see: for the public, those a visible statement takes a
    stance on."""
    return Claim.objects.all() if sees_drafts(user) else _public_claims()


@_built_once
def _public_claims() -> QuerySet:
    return _referenced(Claim, stated=public_tallies(Claim).filter(subject_id=OuterRef("pk")))


def public_tallies(model) -> QuerySet:
    """The tally rows that put a claim or an event (``model``) on the public record: a
    visible statement's stance on the claim, a visible statement or a published source
    about the event. The database keeps them with every write
    (``statements/models/tally_sql.py``), so "is it public" is one index probe per
    object instead of a walk through its stances or links."""
    kinds = {
        Claim: list(CLAIM_KINDS.values()),
        Event: [TallyKind.EVENT_STATEMENTS, TallyKind.EVENT_SOURCES],
    }[model]
    return Tally.objects.filter(kind__in=kinds, audience=TallyAudience.PUBLIC, n__gt=0)


def tag_links(model, user) -> QuerySet:
    """The tag links (``TaggedClaim``, ``TaggedEvent``) of the claims or events (``model``)
    ``user`` may see. For the public, by the subjects of their public tallies: an
    uncorrelated ``IN`` that the database answers as one semi-join per count, where
    ``content_object__in=claims(None)`` tested every linked object through a scalar
    subquery (the tag list counts thousands of links per page)."""
    links = {Claim: TaggedClaim, Event: TaggedEvent}[model].objects.all()
    if sees_drafts(user):
        return links
    return links.filter(content_object_id__in=public_tallies(model).values("subject_id"))


def events(user) -> QuerySet:
    """Events ``user`` may see: for the public, those a visible statement or a
    published source is about."""
    return Event.objects.all() if sees_drafts(user) else _public_events()


@_built_once
def _public_events() -> QuerySet:
    return _referenced(Event, told=public_tallies(Event).filter(subject_id=OuterRef("pk")))


def tags(user) -> QuerySet:
    """Tags ``user`` may see: for the public, those on a visible statement, claim or
    event (probed per tag through the (tag, object) indexes: a tag page or a tag filter
    looks at one tag, and hashing every public tag link to answer for it is far slower
    on a large database; docs/benchmark.md)."""
    return Tag.objects.all() if sees_drafts(user) else _public_tags()


@_built_once
def _public_tags() -> QuerySet:
    return _referenced(
        Tag,
        on_statement=TaggedStatement.objects.filter(
            statement_q(None, "content_object__"), tag=OuterRef("pk")
        ),
        on_claim=TaggedClaim.objects.filter(tag=OuterRef("pk"), content_object__in=claims(None)),
        on_event=TaggedEvent.objects.filter(tag=OuterRef("pk"), content_object__in=events(None)),
    )


def is_draft(statement: Statement) -> bool:
    """Whether a visible statement is shown marked as a draft (it, or its source)."""
    return statement.status != Status.PUBLISHED or statement.source.status != Status.PUBLISHED
