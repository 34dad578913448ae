"""Cached summaries (tracker/data_version.py): reused until the next write, never stale,
never shared between what staff and the public may see."""

from __future__ import annotations

import datetime
import re

import pytest
from django.apps import apps as global_apps
from django.core.management import call_command
from django.db.models import F

from statements.models import Statement, Status
from tests.conftest import drafts_reader
from tests.statements.test_details import (
    ACTOR_DETAIL_QUERIES,
    CLAIM_DETAIL_QUERIES,
    TAG_DETAIL_QUERIES,
)
from tests.statements.test_overview import OVERVIEW_QUERIES
from tracker.data_version import current_version
from tracker.models import DataVersion

pytestmark = pytest.mark.django_db

# The overview's summary is speakers, tags, 5 capped counts and the chart (8 queries).
OVERVIEW_CACHED_QUERIES = OVERVIEW_QUERIES - 8
ACTOR_CACHED_QUERIES = ACTOR_DETAIL_QUERIES - 7  # totals, stances, co-speakers, recipients,
# chart, the group (parent links, posts)
CLAIM_CACHED_QUERIES = CLAIM_DETAIL_QUERIES - 5  # the three sides, their totals, their roles
TAG_CACHED_QUERIES = TAG_DETAIL_QUERIES - 3  # the total, the first claims and events


def overview_statement_count(client) -> str:
    html = client.get("/").content.decode()
    return re.search(r"<strong>([^<]*)</strong> statements?<", html).group(1)


def test_a_summary_is_computed_once_per_data_version(client, make, django_assert_num_queries):
    speaker = make.actor("Cached Speaker", slug="cached")
    claim = make.claim("The road is open")
    for day in range(1, 4):
        s = make.statement(speaker=speaker, said_on=datetime.date(2023, 9, day), tags=["t"])
        make.stance(s, claim)
    pages = [
        ("/", OVERVIEW_QUERIES, OVERVIEW_CACHED_QUERIES),
        ("/actors/cached/", ACTOR_DETAIL_QUERIES, ACTOR_CACHED_QUERIES),
        (f"/claims/{claim.pk}/", CLAIM_DETAIL_QUERIES, CLAIM_CACHED_QUERIES),
        ("/tags/t/", TAG_DETAIL_QUERIES, TAG_CACHED_QUERIES),
    ]
    for url, cold, warm in pages:
        with django_assert_num_queries(cold):
            first = client.get(url).content
        with django_assert_num_queries(warm):
            second = client.get(url).content
        assert first == second, url


def test_every_write_path_raises_the_version(make):
    versions = [current_version()]

    def changed() -> bool:
        versions.append(current_version())
        return versions[-1] != versions[-2]

    statement = make.statement()
    assert changed()
    statement.text = statement.text + "!"
    statement.save()
    assert changed()
    statement.tags.add("new-tag")
    assert changed()
    statement.tags.clear()
    assert changed()
    statement.recipients.add(make.actor())
    assert changed()
    make.stance(statement, make.claim())
    assert changed()
    source = statement.source
    source.status = Status.DRAFT
    source.save()
    assert changed()
    statement.delete()
    assert changed()
    assert not changed()  # reading does not raise it


def test_a_write_shows_at_once(client, make):
    make.statement(said_on=datetime.date(2023, 9, 1))
    assert overview_statement_count(client) == "1"
    make.statement(said_on=datetime.date(2023, 9, 2))
    assert overview_statement_count(client) == "2"
    draft = make.statement(said_on=datetime.date(2023, 9, 3), status=Status.DRAFT)
    assert overview_statement_count(client) == "2"
    draft.status = Status.PUBLISHED
    draft.save()
    assert overview_statement_count(client) == "3"


def test_a_write_by_another_process_shows_at_once(client, make):
    """Another worker's cache is keyed by the same database row: once the number moves,
    every process recomputes (simulated with an UPDATE that sends no signal)."""
    older = make.statement(said_on=datetime.date(2023, 9, 1))
    make.statement(said_on=datetime.date(2023, 9, 2))
    assert overview_statement_count(client) == "2"
    Statement.objects.filter(pk=older.pk).update(status=Status.DRAFT)  # sends no signal
    assert overview_statement_count(client) == "2"  # this process could not know
    DataVersion.objects.filter(pk=1).update(number=F("number") + 1)  # what a save does
    assert overview_statement_count(client) == "1"


def test_staff_summaries_never_reach_the_public(client, make):
    make.statement(said_on=datetime.date(2023, 9, 1))
    make.statement(said_on=datetime.date(2023, 9, 2), status=Status.DRAFT)
    staff = drafts_reader("staffer", password="x" * 16)
    client.force_login(staff)
    assert overview_statement_count(client) == "2"  # staff see the draft, cached as staff
    client.logout()
    assert overview_statement_count(client) == "1"


def test_loaddata_raises_the_version():
    before = current_version()
    call_command("loaddata", "fixtures/karabakh-2023-09-10.json", verbosity=0)
    assert current_version() != before


def test_migration_model_states_do_not_raise_the_version():
    """A data migration saves through the migration's own model classes, possibly
    before the version table exists: those saves are not tracked."""
    from django.db.migrations.state import ProjectState

    from tracker.data_version import _tracked

    historical = ProjectState.from_apps(global_apps).apps.get_model("statements", "Statement")
    assert not _tracked(historical)
    assert _tracked(Statement)
