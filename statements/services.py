"""Writes that touch several models: ingesting a source, extracting and reviewing drafts.

Choices made here:

- A source is stored as a **draft** when ingested; it becomes published together with
  the first statement an editor publishes from it. So nothing of an ingested report
  is public until an editor publishes a statement.
- Ingest is idempotent by body hash: the same body a second time returns the
  existing source untouched ("unchanged"), whatever title or URL comes with it.
- An explicit ``published_on`` wins over a ``date YYYY-MM-DD`` header in the text.
- Every write leaves a history record naming who (``user``) and why (``origin``).
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from actors.models import Actor, ActorKind, Alias, AliasKind, Role, latest_role_held
from actors.text import fold
from statements.extraction import (
    ActorName,
    Extracted,
    Span,
    extract,
    find_headline,
    guess_name_kind,
    parse_header,
    resolve_speaker,
)
from statements.models import (
    Claim,
    DatePrecision,
    Medium,
    Mode,
    Source,
    Stance,
    Statement,
    Status,
    Tally,
    body_sha256,
    tally_sql,
)
from tracker.slugs import free_slug

TITLE_LENGTH = 120
#: The longest text ingest takes (characters): a 100-page report. Extraction is linear
#: in the text; this bound keeps a paste well inside a web worker's timeout
#: (docs/benchmark.md, "Ingest").
MAX_INGEST_CHARS = 300_000
#: Control characters a text may contain: tab and line breaks (CR is normalised away).
_ALLOWED_CONTROLS = frozenset("\t\n\r")


class IngestError(ValueError):
    """A text that cannot be ingested; the message is one readable line."""


@dataclass
class IngestResult:
    source: Source
    created: bool
    statements: list[Statement] = field(default_factory=list)
    new_actors: list[Actor] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not self.created


@dataclass
class PreparedText:
    """A text checked for ingest: its date, where its body starts, the body itself."""

    text: str
    published_on: datetime.date
    body_offset: int
    body: str


def _control_character(text: str) -> tuple[int, str] | None:
    """The first control character other than tab and line breaks, with its offset."""
    for offset, ch in enumerate(text):
        if (ch < " " or "\x7f" <= ch < "\xa0") and ch not in _ALLOWED_CONTROLS:
            return offset, ch
    return None


def text_prepare(*, text: str, published_on: datetime.date | None = None) -> PreparedText:
    """Check a text before anything is stored; raise IngestError with one line why not."""
    if len(text) > MAX_INGEST_CHARS:
        raise IngestError(
            f"the text has {len(text):,} characters; at most {MAX_INGEST_CHARS:,} can be"
            " ingested at once (split it into parts)"
        )
    # A NUL byte cannot be stored in PostgreSQL text; other control characters are never
    # news text and would show as garbage. A fast scan: most texts have none.
    if not text.isprintable():
        found = _control_character(text)
        if found is not None:
            offset, ch = found
            name = "a NUL byte" if ch == "\x00" else f"the control character U+{ord(ch):04X}"
            raise IngestError(f"the text contains {name} at offset {offset}")
    try:
        header_date, offset = parse_header(text)
    except ValueError as exc:
        raise IngestError(_one_line(str(exc))) from None
    body = text[offset:]
    if not body.strip():
        raise IngestError("empty text (nothing after the date header)" if offset else "empty text")
    day = published_on or header_date
    if day is None:
        raise IngestError("no publication date: no 'date YYYY-MM-DD' header and none given")
    return PreparedText(text=text, published_on=day, body_offset=offset, body=body)


# --- the actor registry -----------------------------------------------------------------


def actor_registry() -> list[ActorName]:
    """Every actor with every name it goes by: two queries, whatever the size."""
    names: dict[int, list[str]] = {}
    slugs: dict[int, tuple[str, str]] = {}
    for pk, name, slug, kind in Actor.objects.values_list("pk", "name", "slug", "kind"):
        names[pk] = [name]
        slugs[pk] = (slug, kind)
    for actor_id, name in Alias.objects.values_list("actor_id", "name"):
        if actor_id in names:
            names[actor_id].append(name)
    return [ActorName(slugs[pk][0], tuple(names[pk]), slugs[pk][1]) for pk in names]


_WORD = re.compile(r"\w+")


class Registry:
    """The actor registry, narrowed per text to actors whose names could be in it.

    The extractor's resolve_speaker looks at every name of every actor on each call;
    with thousands of actors that dominates extraction. An actor can only be meant
    by a text if the last word of one of its names appears in the text, whole or as
    the start of a longer word ("Armenia" in "Armenian"), so the others are left out.
    """

    def __init__(self, actors: Sequence[ActorName]) -> None:
        self.entries = [
            (tuple({words[-1] for n in a.names if (words := _WORD.findall(fold(n)))}), a)
            for a in actors
        ]

    def for_text(self, text: str) -> list[ActorName]:
        tokens = sorted(set(_WORD.findall(fold(text))))

        def present(word: str) -> bool:
            at = bisect.bisect_left(tokens, word)
            return at < len(tokens) and tokens[at].startswith(word)

        return [actor for lasts, actor in self.entries if any(present(w) for w in lasts)]


#: The one actor every speaker the extractor could not name is filed under, so that no
#: actor is made up from a pronoun or a role word. A statement under it cannot be
#: published until an editor names the speaker (``statement_publish``, ``Statement.clean``).
UNRESOLVED_SPEAKER = Statement.UNRESOLVED_SPEAKER_SLUG


def unresolved_speaker(user=None, origin: str = "ingest") -> Actor:
    actor = Actor.objects.filter(slug=UNRESOLVED_SPEAKER).first()
    if actor is None:
        actor = Actor(
            name="Unresolved speaker",
            slug=UNRESOLVED_SPEAKER,
            kind=ActorKind.GROUP,
            needs_review=True,
            description=(
                "Drafts whose speaker the extractor could not name (the words the source "
                "used are kept on each statement). Choose the real speaker before publishing."
            ),
        )
        _stamp(actor, user, origin)
        actor.save()
    return actor


def role_holder(mention: str, day: datetime.date) -> Actor | None:
    """The one actor who held the post ``mention`` names ("the Secretary-General") on
    ``day``, by the registry's roles: a title equal to the mention without its article,
    or that title "of" something ("Secretary-General of the United Nations"), case
    ignored. None when no one or several did."""
    post = " ".join(_ARTICLE.sub("", mention.strip()).split())
    if len(post) < 3 or len(post) > 100:
        return None
    holders = set(
        Role.objects.held_on(day)
        .filter(Q(title__iexact=post) | Q(title__istartswith=f"{post} of "))
        .values_list("actor_id", flat=True)[:2]
    )
    return Actor.objects.filter(pk=holders.pop()).first() if len(holders) == 1 else None


def guess_kind(name: str) -> str:
    """The kind of actor a name suggests, by the extractor's rule (one vocabulary)."""
    kind = guess_name_kind(name)
    return kind if kind in ActorKind.values else ActorKind.ORGANIZATION


class _Speakers:
    """Resolves extracted speakers to actors, proposing new ones for unknown names."""

    def __init__(self, *, registry: Sequence[ActorName], user, origin: str) -> None:
        self.registry = list(registry)
        self.by_slug: dict[str, Actor] = {}
        self.new_by_name: dict[str, Actor] = {}
        self.new_actors: list[Actor] = []
        self.position: dict[str, int] = {}
        self.taken: set[str] = {a.slug for a in self.registry}
        self.user, self.origin = user, origin

    def new_slug(self, name: str) -> str:
        slug = free_slug(Actor, name, fallback="actor", taken=self.taken)
        self.taken.add(slug)
        return slug

    def parent_of(self, item: Extracted) -> Actor | None:
        """The registry's actor for the body or state the extractor says the speaker
        belongs to ("Armenia" for its foreign ministry), if the registry has it."""
        if not item.speaker_parent:
            return None
        found = resolve_speaker(item.speaker_parent, self.registry)
        return Actor.objects.filter(slug=found.slug).first() if found else None

    def resolve(self, item: Extracted) -> Actor:
        slug = item.speaker_actor
        if slug is None:
            for words in (item.speaker, item.speaker_mention.text if item.speaker_mention else ""):
                found = resolve_speaker(words, self.registry) if words else None
                if found is not None:
                    slug = found.slug
                    break
        if slug is not None:
            actor = self.by_slug.get(slug) or Actor.objects.filter(slug=slug).first()
            if actor is not None:
                self.by_slug[slug] = actor
                return actor
        if not item.speaker:
            holder = role_holder(
                item.speaker_mention.text if item.speaker_mention else "", item.said_on
            )
            if holder is not None:
                return holder
        return self._propose(item)

    def _propose(self, item: Extracted) -> Actor:
        name = (item.speaker or "").strip()[:200]
        if not name:  # the extractor could not name the speaker: no actor is made up
            return unresolved_speaker(self.user, self.origin)
        key = fold(name)
        if key in self.new_by_name:
            actor = self.new_by_name[key]
        else:
            actor = Actor(
                name=name,
                slug=self.new_slug(name),
                kind=(
                    item.speaker_kind if item.speaker_kind in ActorKind.values else guess_kind(name)
                ),
                parent=self.parent_of(item),
                needs_review=True,
                description="Proposed by ingest from an unknown name; check before trusting.",
            )
            _stamp(actor, self.user, self.origin)
            actor.save()
            self.new_by_name[key] = actor
            self.new_actors.append(actor)
            self.position[actor.slug] = len(self.registry)
            self.registry.append(ActorName(actor.slug, (actor.name,), actor.kind))
        printed = _printed_name(item)
        if (
            printed
            and fold(printed) not in (key, fold(_ARTICLE.sub("", name)))
            and fold(printed) not in _PRONOUNS
        ):
            alias = Alias.objects.filter(actor=actor, name_folded=fold(printed)).first()
            if alias is None:
                alias = Alias(actor=actor, name=printed, kind=AliasKind.SHORT)
                _stamp(alias, self.user, self.origin)
                alias.save()
                at = self.position[actor.slug]
                entry = self.registry[at]
                self.registry[at] = ActorName(entry.slug, (*entry.names, printed), entry.kind)
        return actor


def _printed_name(item: Extracted) -> str:
    """The printed words naming the speaker, without a leading title or article."""
    printed = " ".join((item.speaker_mention.text if item.speaker_mention else "").split())
    title = " ".join((item.speaker_title or "").split())
    if title and printed.startswith(title + " "):
        printed = printed[len(title) + 1 :]
    printed = _ARTICLE.sub("", printed)
    return printed[:200]


_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_PRONOUNS = {"he", "she", "it", "they", "we", "i", "who", "his", "her", "its", "their"}


def _stamp(obj, user, reason: str) -> None:
    """What simple_history records as who and why for the next save of ``obj``."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    obj._change_reason = reason


def _one_line(message: str) -> str:
    return " ".join(message.split())


# --- statements -------------------------------------------------------------------------


def _shift(span: Span | None, offset: int, length: int) -> dict | None:
    """A span in the input text as a span in the body (offset removed, clipped to it)."""
    if span is None:
        return None
    start = min(max(span.start - offset, 0), length)
    end = min(max(span.end - offset, 0), length)
    if end <= start:
        return None
    return {"start": start, "end": end, "text": span.text}


def _store_drafts(
    *,
    source: Source,
    items: Sequence[Extracted],
    registry: Sequence[ActorName],
    offset: int,
    user,
    origin: str,
) -> tuple[list[Statement], list[Actor]]:
    """Draft statements for extracted items not already at the same span of ``source``."""
    body = source.body
    existing = set(source.statements.values_list("span_start", "span_end"))
    speakers = _Speakers(registry=registry, user=user, origin=origin)
    pending: list[tuple[Extracted, Actor, dict]] = []
    for item in items:
        content = _shift(item.content, offset, len(body))
        if content is None:
            continue
        key = (content["start"], content["end"])
        if key in existing:
            continue
        existing.add(key)
        text = body[content["start"] : content["end"]].strip()
        if not text:
            continue
        pending.append((item, speakers.resolve(item), content))
    roles = Role.objects.filter(actor__in={actor for _, actor, _ in pending}).by_actor()
    created: list[Statement] = []
    for item, actor, content in pending:
        title = (item.speaker_title or "").strip()
        if not title:
            held = latest_role_held(roles.get(actor.pk, []), item.said_on)
            title = held.title if held else ""
        statement = Statement(
            source=source,
            speaker=actor,
            speaker_as_printed=(item.speaker_mention.text if item.speaker_mention else "")[:300],
            speaker_title=title[:300],
            text=body[content["start"] : content["end"]].strip(),
            mode=item.mode if item.mode in Mode.values else Mode.INDIRECT,
            medium=item.medium if item.medium in Medium.values else Medium.OTHER,
            # A date the extractor read past the publication date is a misreading: the
            # source vouches only for "on or before" the day it was published.
            said_on=min(item.said_on, source.published_on),
            date_precision=(
                item.date_precision
                if item.date_precision in DatePrecision.values
                and item.said_on <= source.published_on
                else DatePrecision.ON_OR_BEFORE
            ),
            span_start=content["start"],
            span_end=content["end"],
            status=Status.DRAFT,
            extraction={
                "speaker": item.speaker,
                "mention": _shift(item.speaker_mention, offset, len(body)),
                "cue": _shift(item.cue, offset, len(body)),
                "date_evidence": _shift(item.date_evidence, offset, len(body)),
                "content": content,
            },
        )
        _stamp(statement, user, origin)
        statement.save()
        created.append(statement)
    return created, speakers.new_actors


@transaction.atomic
def source_ingest(
    *,
    text: str,
    published_on: datetime.date | None,
    title: str = "",
    url: str = "",
    publisher: str = "",
    user=None,
    origin: str = "ingest",
) -> IngestResult:
    """Store a text as a draft source with draft statements, or find it already stored.

    ``text`` may begin with a ``date YYYY-MM-DD`` header (not part of the body).
    Raises IngestError (one line) for an empty text, a malformed header or no date.
    """
    prepared = text_prepare(text=text, published_on=published_on)
    existing = Source.objects.filter(sha256=body_sha256(prepared.body)).first()
    if existing is not None:
        return IngestResult(source=existing, created=False)
    url = url.strip()
    if url:
        try:
            URLValidator()(url)
        except ValidationError:
            raise IngestError(f"not a valid URL: {url!r}") from None
        if Source.objects.filter(url=url).exists():
            raise IngestError(f"another source already has the URL {url}")
    headline = find_headline(prepared.text)
    title = _one_line(title)[:500] or (
        _one_line(headline.text)[:500] if headline else _title_from(prepared.body)
    )
    source = Source(
        title=title,
        publisher=publisher.strip()[:200],
        url=url,
        published_on=prepared.published_on,
        body=prepared.body,
        status=Status.DRAFT,
    )
    _stamp(source, user, origin)
    try:
        with transaction.atomic():  # a savepoint: the same text may be arriving right now
            source.save()
    except IntegrityError:
        existing = Source.objects.filter(sha256=source.sha256).first()
        if existing is None:
            raise
        return IngestResult(source=existing, created=False)
    registry = Registry(actor_registry()).for_text(prepared.body)
    items = extract(prepared.text, prepared.published_on, registry)
    statements, new_actors = _store_drafts(
        source=source,
        items=items,
        registry=registry,
        offset=prepared.body_offset,
        user=user,
        origin=origin,
    )
    return IngestResult(source=source, created=True, statements=statements, new_actors=new_actors)


def _title_from(body: str) -> str:
    words = _one_line(body)
    if len(words) <= TITLE_LENGTH:
        return words
    return words[:TITLE_LENGTH].rsplit(" ", 1)[0] + "…"


@transaction.atomic
def statement_extract(*, source: Source, user=None, origin: str = "extract") -> IngestResult:
    """(Re-)run extraction on a stored source; spans already present are never duplicated."""
    registry = Registry(actor_registry()).for_text(source.body)
    items = extract(source.body, source.published_on, registry)
    statements, new_actors = _store_drafts(
        source=source, items=items, registry=registry, offset=0, user=user, origin=origin
    )
    return IngestResult(source=source, created=False, statements=statements, new_actors=new_actors)


@transaction.atomic
def statement_publish(*, statements: Iterable[Statement], user, reason: str = "published") -> int:
    """Publish statements (and their sources, if still drafts). Checks each one first."""
    count = 0
    for statement in statements:
        statement.full_clean()
        if statement.speaker.slug == UNRESOLVED_SPEAKER:
            raise ValidationError(
                {"speaker": f"Statement {statement.pk}: name the speaker before publishing."}
            )
        source = statement.source
        if source.status != Status.PUBLISHED:
            source.status = Status.PUBLISHED
            _stamp(source, user, reason)
            source.save(update_fields=["status", "updated_at", "sha256"])
        if statement.status != Status.PUBLISHED:
            statement.status = Status.PUBLISHED
            _stamp(statement, user, reason)
            statement.save(update_fields=["status", "updated_at"])
            count += 1
    return count


@transaction.atomic
def statement_discard(*, statements: Iterable[Statement], user, reason: str = "discarded") -> int:
    """Discard statements: they stay in the database and history, never public."""
    count = 0
    for statement in statements:
        if statement.status != Status.DISCARDED:
            statement.status = Status.DISCARDED
            _stamp(statement, user, reason)
            statement.save(update_fields=["status", "updated_at"])
            count += 1
    return count


@transaction.atomic
def statement_update(
    *,
    statement: Statement,
    user,
    speaker: Actor,
    tags: Sequence[str] | None = None,
    claim: Claim | None = None,
    new_claim: str = "",
    stance: str = "",
    reason: str = "reviewed",
) -> Statement:
    """Save an editor's corrections to a statement: fields, speaker, tags and a stance.

    ``statement`` carries the edited field values; a ``new_claim`` text creates a claim.
    """
    statement.speaker = speaker
    _stamp(statement, user, reason)
    statement.save()
    if tags is not None:
        statement.tags.set(list(tags))
    if new_claim.strip():
        claim = Claim(
            text=_one_line(new_claim)[:500], slug=free_slug(Claim, new_claim, fallback="claim")
        )
        _stamp(claim, user, reason)
        claim.save()
    if claim is not None and stance:
        existing = Stance.objects.filter(statement=statement, claim=claim).first()
        if existing is None:
            existing = Stance(statement=statement, claim=claim, stance=stance)
        existing.stance = stance
        _stamp(existing, user, reason)
        existing.save()
    return statement


# -- tallies ------------------------------------------------------------------------------


def tallies_rebuild() -> int:
    """Recount every tally (``statements.models.tallies``) from the statements, set-based,
    in one transaction, and set every stance's copy of its statement's date; returns the
    number of tally rows. For writers that bypass the triggers (a bulk load run with
    ``session_replication_role = replica``)."""
    with transaction.atomic(), connection.cursor() as cursor:
        tally_sql.recount(cursor)
        tally_sql.copy_stance_dates(cursor)  # kept by triggers of the same module
    return Tally.objects.count()
