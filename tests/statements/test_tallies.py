"""Tallies (statements per day, in all, per speaker and per tag, per audience) stay
exact under any sequence of writes, whichever path makes them: the triggers of
migration 0013 against a count made here in Python from the rows themselves, and the
set-based rebuild against the same count."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from taggit.models import Tag

from actors.models import Actor
from actors.services import actor_merge
from statements import visibility
from statements.models import (
    CLAIM_KINDS,
    UNDATED,
    Claim,
    Event,
    Source,
    Stance,
    Statement,
    Status,
    TaggedStatement,
    Tally,
)
from statements.selectors.pages import overview_counts
from statements.services import tallies_rebuild

PUBLIC, DRAFTS = 1, 2
DAYS = [datetime.date(2023, 9, 1) + datetime.timedelta(days=d) for d in (0, 1, 9, 40)]
STATUSES = list(Status.values)
OPENING = "An opening both sources share. "


def audiences_of(status: str, source_status: str) -> list[int]:
    audiences = []
    if status == Status.PUBLISHED and source_status == Status.PUBLISHED:
        audiences.append(PUBLIC)
    if Status.DISCARDED not in (status, source_status):
        audiences.append(DRAFTS)
    return audiences


def expected() -> Counter:
    """Each statement's contribution, counted from the stored rows."""
    counts: Counter = Counter()
    tags: dict[int, list[int]] = {}
    for statement_id, tag_id in TaggedStatement.objects.values_list("content_object_id", "tag_id"):
        tags.setdefault(statement_id, []).append(tag_id)
    stances: dict[int, list[tuple[int, str]]] = {}
    for statement_id, claim_id, kind in Stance.objects.values_list(
        "statement_id", "claim_id", "stance"
    ):
        stances.setdefault(statement_id, []).append((claim_id, kind))
    about: dict[int, list[int]] = {}
    for statement_id, event_id in Statement.events.through.objects.values_list(
        "statement_id", "event_id"
    ):
        about.setdefault(statement_id, []).append(event_id)
    for event_id, status in Event.sources.through.objects.values_list("event_id", "source__status"):
        for audience in audiences_of(Status.PUBLISHED, status):
            counts[(7, event_id, audience, UNDATED)] += 1
    for s in Statement.objects.select_related("source"):
        audiences = audiences_of(s.status, s.source.status)
        subjects = [(0, 0, s.said_on), (1, s.speaker_id, s.said_on), (8, s.speaker_id, UNDATED)]
        subjects += [(2, tag, s.said_on) for tag in tags.get(s.pk, [])]
        subjects += [(9, tag, UNDATED) for tag in tags.get(s.pk, [])]
        subjects += [(CLAIM_KINDS[kind], claim, UNDATED) for claim, kind in stances.get(s.pk, [])]
        subjects += [(6, event, UNDATED) for event in about.get(s.pk, [])]
        for audience in audiences:
            for kind, subject, day in subjects:
                counts[(kind, subject, audience, day)] += 1
    return counts


def publicly_stated() -> set:
    """Claims a published statement from a published source takes a stance on."""
    return {
        stance.claim
        for stance in Stance.objects.select_related("claim", "statement__source")
        if stance.statement.status == Status.PUBLISHED
        and stance.statement.source.status == Status.PUBLISHED
    }


def publicly_told() -> set:
    """Events a published statement from a published source, or a published source,
    is about."""
    told = {
        event
        for statement in Statement.objects.prefetch_related("events").select_related("source")
        if statement.status == Status.PUBLISHED and statement.source.status == Status.PUBLISHED
        for event in statement.events.all()
    }
    return told | set(Event.objects.filter(sources__status=Status.PUBLISHED))


def stored() -> Counter:
    return Counter(
        {
            (kind, subject, audience, day): n
            for kind, subject, audience, day, n in Tally.objects.exclude(n=0).values_list(
                "kind", "subject_id", "audience", "day", "n"
            )
        }
    )


def misdated_stances() -> list:
    """Stances whose copy of their statement's date is not the statement's."""
    return [
        stance.pk
        for stance in Stance.objects.select_related("statement")
        if stance.said_on != stance.statement.said_on
    ]


index = st.integers(min_value=0, max_value=5)
OPERATIONS = st.one_of(
    st.tuples(st.just("create"), index, index, st.sampled_from(DAYS), st.sampled_from(STATUSES)),
    st.tuples(st.just("status"), index, st.sampled_from(STATUSES)),
    st.tuples(st.just("publish_all_of_speaker"), index),
    st.tuples(st.just("day"), index, st.sampled_from(DAYS)),
    st.tuples(st.just("speaker"), index, index),
    st.tuples(st.just("move_source"), index, index),
    st.tuples(st.just("source_status"), index, st.sampled_from(STATUSES)),
    st.tuples(st.just("tag"), index, index),
    st.tuples(st.just("untag"), index, index),
    st.tuples(st.just("delete"), index),
    st.tuples(st.just("stance"), index, index, st.sampled_from(["asserts", "denies", "questions"])),
    st.tuples(st.just("unstance"), index),
    st.tuples(st.just("about_event"), index, index),
    st.tuples(st.just("not_about_event"), index, index),
    st.tuples(st.just("source_about_event"), index, index),
    st.tuples(st.just("source_not_about_event"), index, index),
    st.tuples(st.just("turn_stance"), index, st.sampled_from(["asserts", "denies", "questions"])),
    st.tuples(st.just("merge"), index, index),
)


def pick(rows: list, i: int):
    return rows[i % len(rows)] if rows else None


def apply(operation: tuple, make) -> None:
    name, *args = operation
    statements = list(Statement.objects.order_by("id"))
    actors = list(Actor.objects.order_by("id"))
    sources = list(Source.objects.order_by("id"))
    tags = list(Tag.objects.order_by("id"))
    claims = list(Claim.objects.order_by("id"))
    events = list(Event.objects.order_by("id"))
    stances = list(Stance.objects.order_by("id"))
    statement = pick(statements, args[0])
    if name == "create":
        make.statement(
            source=pick(sources, args[1]),
            speaker=pick(actors, args[0]),
            text=OPENING[:20],
            said_on=args[2],
            status=args[3],
        )
    elif name == "source_status":
        source = pick(sources, args[0])
        source.status = args[1]
        source.save()
    elif name == "publish_all_of_speaker":
        Statement.objects.filter(speaker=pick(actors, args[0])).update(status=Status.PUBLISHED)
    elif name == "merge":
        keep, gone = pick(actors, args[0]), pick(actors, args[1])
        if keep != gone and len(actors) > 1:
            actor_merge(keep=keep, merge=[gone])
    elif name == "source_about_event":
        pick(events, args[1]).sources.add(pick(sources, args[0]))
    elif name == "source_not_about_event":
        pick(events, args[1]).sources.remove(pick(sources, args[0]))
    elif name == "unstance":
        if stances:
            pick(stances, args[0]).delete()
    elif name == "turn_stance":
        if stances:
            Stance.objects.filter(pk=pick(stances, args[0]).pk).update(stance=args[1])
    elif statement is None:
        return
    elif name == "about_event":
        statement.events.add(pick(events, args[1]))
    elif name == "not_about_event":
        statement.events.remove(pick(events, args[1]))
    elif name == "stance":
        if not statement.stances.filter(claim=pick(claims, args[1])).exists():
            make.stance(statement, pick(claims, args[1]), args[2])
    elif name == "status":
        statement.status = args[1]
        statement.save()
    elif name == "day":
        statement.said_on = args[1]
        statement.save()
    elif name == "speaker":
        Statement.objects.filter(pk=statement.pk).update(speaker=pick(actors, args[1]))
    elif name == "move_source":
        Statement.objects.filter(pk=statement.pk).update(source=pick(sources, args[1]))
    elif name == "tag":
        statement.tags.add(pick(tags, args[1]))
    elif name == "untag":
        statement.tags.remove(pick(tags, args[1]))
    elif name == "delete":
        statement.delete()


@pytest.mark.django_db(transaction=False)
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(OPERATIONS, min_size=1, max_size=25))
# Every trigger, every time, whatever the random draw finds.
@example([("create", 0, 0, DAYS[0], "published"), ("source_status", 0, "draft")])
@example([("create", 0, 0, DAYS[0], "draft"), ("source_status", 0, "discarded")])
@example([("create", 0, 0, DAYS[0], "published"), ("tag", 0, 1), ("day", 0, DAYS[2])])
@example([("create", 0, 0, DAYS[0], "published"), ("tag", 0, 1), ("untag", 0, 1)])
@example([("create", 0, 0, DAYS[0], "published"), ("tag", 0, 1), ("delete", 0)])
@example(
    [
        ("create", 0, 0, DAYS[0], "published"),
        ("stance", 0, 1, "asserts"),
        ("turn_stance", 0, "denies"),
        ("status", 0, "draft"),
        ("delete", 0),
    ]
)
@example([("create", 0, 0, DAYS[0], "published"), ("stance", 0, 1, "denies"), ("unstance", 0)])
@example(
    [
        ("create", 0, 0, DAYS[0], "published"),
        ("about_event", 0, 1),
        ("source_about_event", 1, 2),
        ("source_status", 1, "draft"),
        ("source_status", 0, "discarded"),
        ("not_about_event", 0, 1),
        ("source_not_about_event", 1, 2),
    ]
)
@example([("create", 0, 0, DAYS[1], "draft"), ("publish_all_of_speaker", 0)])
@example([("create", 0, 0, DAYS[1], "published"), ("speaker", 0, 1), ("merge", 2, 1)])
@example(
    [
        ("create", 0, 0, DAYS[1], "published"),
        ("source_status", 1, "draft"),
        ("move_source", 0, 1),
        ("status", 0, "discarded"),
    ]
)
def test_tallies_stay_exact_under_any_writes(make, operations):
    with transaction.atomic():
        for n in range(3):
            make.actor(f"Speaker {n}")
            make.source(body=f"{OPENING}Source {n}. " * 3, status=Status.PUBLISHED)
            Tag.objects.create(name=f"topic {n}", slug=f"topic-{n}")
            make.claim()
            make.event()
        for operation in operations:
            apply(operation, make)
            assert stored() == expected(), operation
            assert misdated_stances() == [], operation
            assert set(visibility.claims(None)) == publicly_stated(), operation
            assert set(visibility.events(None)) == publicly_told(), operation
            counts = overview_counts(None)
            assert counts["claims"].value == len(publicly_stated()), operation
            assert counts["events"].value == len(publicly_told()), operation
        tallies_rebuild()
        assert stored() == expected()
        assert not Tally.objects.filter(n__lt=0).exists()
        transaction.set_rollback(True)


def test_the_seed_is_tallied_once_loaded(seed):
    public = Tally.objects.filter(kind=0, audience=PUBLIC)
    assert sum(public.values_list("n", flat=True)) == Statement.objects.count() == 12
    assert stored() == expected()


def test_a_tag_rename_moves_no_count(db, make):
    tag = Tag.objects.create(name="lachin", slug="lachin")
    make.statement(tags=[tag])
    before = stored()
    tag.slug, tag.name = "lachin-corridor", "Lachin corridor"
    tag.save()
    assert stored() == before == expected()


def test_sqlite_triggers_are_lifted_over_migrate_and_the_tallies_recounted(db, make):
    """SQLite drops a table's triggers when Django rebuilds the table in a migration:
    the hooks take them off before ``migrate`` and put them back after, recounting."""
    from django.apps import apps
    from django.db import connection

    from statements.models import tally_sql

    if connection.vendor != "sqlite":
        pytest.skip("the migrate hooks act on SQLite only")
    statements = apps.get_app_config("statements")
    make.statement()
    tally_sql._before_migrate(sender=statements)
    make.statement()  # written while the triggers are away
    assert stored() != expected()
    tally_sql._after_migrate(sender=statements, plan=[("a migration", False)])
    assert stored() == expected()
    make.statement(status=Status.DRAFT)  # the triggers are back
    assert stored() == expected()
    stance = Stance.objects.create(statement=make.statement(), claim=make.claim(), stance="denies")
    Statement.objects.filter(pk=stance.statement_id).update(said_on=DAYS[2])
    assert misdated_stances() == []  # the stance date triggers are back as well


def test_recount_command_checks_and_repairs_the_tallies(db, make):
    from io import StringIO

    from django.core.management import CommandError, call_command
    from django.db import connection

    from statements.models import tally_sql

    make.statement(tags=["lachin"])
    out = StringIO()
    call_command("recount_tallies", "--check", stdout=out)
    assert "0 differed" in out.getvalue()
    Tally.objects.filter(kind=0).update(n=99)  # as a write with the triggers off would
    with pytest.raises(CommandError, match="differ from a fresh count"):
        call_command("recount_tallies", "--check", stdout=StringIO())
    assert Tally.objects.filter(n=99).exists()  # --check wrote nothing
    call_command("recount_tallies", stdout=StringIO())
    assert stored() == expected()
    call_command("recount_tallies", "--check", stdout=StringIO())
    stance = Stance.objects.create(
        statement=Statement.objects.get(), claim=make.claim(), stance="asserts"
    )
    with connection.cursor() as cursor:  # as a write with the triggers off would leave it
        for sql in tally_sql.stance_date_drop_sql(connection.vendor):
            cursor.execute(sql)
        Stance.objects.filter(pk=stance.pk).update(said_on=None)
        for sql in tally_sql.stance_date_create_sql(connection.vendor):
            cursor.execute(sql)
    with pytest.raises(CommandError, match="1 stance"):
        call_command("recount_tallies", "--check", stdout=StringIO())
    call_command("recount_tallies", stdout=StringIO())
    assert misdated_stances() == []


def test_rows_loaded_before_the_rows_they_name_are_counted_once_all_are_in(db, make):
    """A restore loads rows in any order, foreign keys checked at the end: links and
    statements that name a source, statement or event not yet loaded are counted when
    it arrives."""
    from django.db import connection

    from statements.models import Event

    speaker, claim, event = make.actor(), make.claim(), make.event()
    tag = Tag.objects.create(name="late", slug="late")
    source_id, statement_id = 90_001, 90_002
    with transaction.atomic(), connection.constraint_checks_disabled():
        Stance.objects.create(statement_id=statement_id, claim=claim, stance="denies")
        TaggedStatement.objects.create(content_object_id=statement_id, tag=tag)
        Statement.events.through.objects.create(statement_id=statement_id, event=event)
        Event.sources.through.objects.create(source_id=source_id, event=event)
        Statement.objects.create(
            pk=statement_id,
            source_id=source_id,
            speaker=speaker,
            text=OPENING[:20],
            span_start=0,
            span_end=20,
            said_on=DAYS[0],
            status=Status.PUBLISHED,
        )
        Source.objects.create(
            pk=source_id, title="Late", body=OPENING * 3, published_on=DAYS[0], status="published"
        )
    assert stored() == expected()
    assert {kind for kind, *_ in stored()} == {0, 1, 2, 4, 6, 7, 8, 9}
    assert misdated_stances() == []  # the stance took its date when its statement came


def test_sqlite_tallies_are_recounted_after_a_flush(db, make):
    """SQLite's ``flush`` deletes row by row, and may empty the tallies before the
    statements, whose delete triggers then leave negative counts; the hook that runs
    after it (``post_migrate`` without a plan) counts again."""
    from django.apps import apps
    from django.db import connection

    from statements.models import tally_sql

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's flush truncates, triggers untouched")
    make.statement(tags=["x"])
    Tally.objects.all().delete()
    TaggedStatement.objects.all().delete()
    Statement.objects.all().delete()
    assert Tally.objects.filter(n__lt=0).exists()
    tally_sql._after_migrate(sender=apps.get_app_config("statements"), plan=None)
    assert stored() == expected() == Counter()
    tally_sql._after_migrate(sender=apps.get_app_config("statements"), plan=[])
    assert not Tally.objects.exists()


def test_a_stance_keeps_its_statements_date_whatever_writes(db, make):
    """``Stance.said_on`` is the statement's, kept by the database: a stance saved again
    from an instance that never read it, a move to another statement, a change of the
    statement's date."""
    claim = make.claim()
    first, second = make.statement(said_on=DAYS[0]), make.statement(said_on=DAYS[1])
    stance = Stance.objects.create(statement=first, claim=claim, stance="asserts")
    assert stance.said_on is None  # the instance never read the row back
    assert Stance.objects.get(pk=stance.pk).said_on == DAYS[0]
    stance.stance = "denies"
    stance.save()  # writes the instance's empty copy; the database sets it again
    assert Stance.objects.get(pk=stance.pk).said_on == DAYS[0]
    Stance.objects.filter(pk=stance.pk).update(statement=second)
    assert Stance.objects.get(pk=stance.pk).said_on == DAYS[1]
    second.said_on = DAYS[2]
    second.save()
    assert Stance.objects.get(pk=stance.pk).said_on == DAYS[2]
    Stance.objects.filter(pk=stance.pk).update(said_on=DAYS[0])  # a wrong copy is refused
    assert misdated_stances() == []
