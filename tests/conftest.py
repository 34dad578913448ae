"""Shared fixtures: the seed report, and small factories for every model."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.management import call_command

from actors.models import Actor, ActorKind
from statements.models import Claim, Event, Source, Stance, Statement, Status

SEED_FIXTURE = "fixtures/karabakh-2023-09-10.json"

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _no_background_csv_refresh(settings):
    """No thread outliving a test; tests that queue CSV rows drain the queue themselves."""
    settings.CSV_REFRESH_IN_BACKGROUND = False


@pytest.fixture
def seed(db):
    """The hand-entered seed report, loaded as `make run` loads it."""
    call_command("loaddata", SEED_FIXTURE, verbosity=0)


class Factory:
    """Plain functions that create valid rows with sensible defaults."""

    @staticmethod
    def actor(name: str | None = None, **kwargs) -> Actor:
        n = next(_counter)
        name = name or f"Actor {n}"
        kwargs.setdefault("slug", f"{name.lower().replace(' ', '-')}-{n}")
        kwargs.setdefault("kind", ActorKind.PERSON)
        return Actor.objects.create(name=name, **kwargs)

    @staticmethod
    def source(body: str | None = None, **kwargs) -> Source:
        n = next(_counter)
        body = body or f"Source body number {n}. " * 20
        kwargs.setdefault("title", f"Source {n}")
        kwargs.setdefault("published_on", datetime.date(2023, 9, 10))
        return Source.objects.create(body=body, **kwargs)

    @classmethod
    def statement(cls, source: Source | None = None, speaker: Actor | None = None, **kwargs):
        source = source or cls.source()
        speaker = speaker or cls.actor()
        kwargs.setdefault("text", source.body[:20])
        kwargs.setdefault("span_start", 0)
        kwargs.setdefault("span_end", min(20, len(source.body)))
        kwargs.setdefault("said_on", source.published_on)
        kwargs.setdefault("status", Status.PUBLISHED)
        tags = kwargs.pop("tags", ())
        statement = Statement.objects.create(source=source, speaker=speaker, **kwargs)
        if tags:
            statement.tags.add(*tags)
        return statement

    @staticmethod
    def claim(text: str | None = None, **kwargs) -> Claim:
        n = next(_counter)
        kwargs.setdefault("slug", f"claim-{n}")
        return Claim.objects.create(text=text or f"Claim number {n}", **kwargs)

    @staticmethod
    def stance(statement: Statement, claim: Claim, stance: str = "asserts") -> Stance:
        return Stance.objects.create(statement=statement, claim=claim, stance=stance)

    @staticmethod
    def event(title: str | None = None, **kwargs) -> Event:
        n = next(_counter)
        kwargs.setdefault("slug", f"event-{n}")
        kwargs.setdefault("start_date", datetime.date(2023, 9, 9))
        return Event.objects.create(title=title or f"Event {n}", **kwargs)


@pytest.fixture
def make():
    return Factory


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Every test starts with cold caches (datalists, summaries, counts) and without the
    whole-page cache, which would answer repeated requests before any view runs (its
    own tests, tests/tracker/test_page_cache.py, turn it on)."""
    from django.core.cache import caches

    settings.PAGE_CACHE_SECONDS = 0
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


def drafts_reader(username: str = "ed", **extra):
    """A staff user allowed to view statements: the audience that sees drafts
    (``statements.visibility``). Plain staff without that permission see what the
    public sees."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user(username, is_staff=True, **extra)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="statements", codename="view_statement")
    )
    return user
