"""actor_merge: everything moves to the kept actor, nothing is lost, duplicates fold."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User

from actors.models import Actor, Alias, AliasKind, Role
from actors.services import actor_merge, actor_merge_plan
from statements.models import EventParticipant, Stance, Statement

pytestmark = pytest.mark.django_db


def totals() -> dict[str, int]:
    return {
        "statements": Statement.objects.count(),
        "recipient_links": Statement.recipients.through.objects.count(),
        "stances": Stance.objects.count(),
        "participations": EventParticipant.objects.count(),
    }


@pytest.fixture
def pair(make):
    """A kept actor and a duplicate, sharing some rows and each with their own."""
    keep = make.actor("Nikol Pashinyan", wikidata_id="")
    dup = make.actor("Nikol Pashinian", wikidata_id="Q3487339", description="Armenian PM")
    other = make.actor("Antony Blinken")
    Alias.objects.create(actor=keep, name="Pashinyan", kind=AliasKind.SHORT)
    Alias.objects.create(actor=dup, name="PASHINYAN", kind=AliasKind.SHORT)  # same, other case
    Alias.objects.create(actor=dup, name="Armenian PM", kind=AliasKind.TITLE)
    Role.objects.create(actor=keep, title="Prime Minister", start_date=datetime.date(2018, 5, 8))
    Role.objects.create(actor=dup, title="Prime Minister", start_date=datetime.date(2018, 5, 8))
    Role.objects.create(actor=dup, title="MP", start_date=datetime.date(2017, 1, 1))
    Role.objects.create(actor=keep, title="Party leader")  # no start date, on both
    Role.objects.create(actor=dup, title="Party leader")
    ministry = make.actor("Armenian government office", parent=dup)
    Role.objects.create(actor=other, title="Envoy", organization=dup)

    spoken = [make.statement(speaker=dup) for _ in range(3)]
    make.statement(speaker=keep)
    both = make.statement(speaker=other)
    both.recipients.add(keep, dup)  # a recipient clash
    only_dup = make.statement(speaker=other)
    only_dup.recipients.add(dup)
    claim = make.claim()
    for statement in spoken:
        make.stance(statement, claim, "asserts")

    event = make.event()
    EventParticipant.objects.create(event=event, actor=keep, role="participant")
    EventParticipant.objects.create(event=event, actor=dup, role="participant")  # clash
    EventParticipant.objects.create(event=event, actor=dup, role="recipient")
    return {
        "keep": keep,
        "dup": dup,
        "other": other,
        "ministry": ministry,
        "spoken": spoken,
        "both": both,
        "only_dup": only_dup,
        "event": event,
    }


def test_merge_moves_everything_and_loses_nothing(pair):
    keep, dup = pair["keep"], pair["dup"]
    before = totals()
    actors_before = Actor.objects.count()

    result = actor_merge(keep=keep, merge=[dup])

    assert result.pk == keep.pk
    assert not Actor.objects.filter(pk=dup.pk).exists()
    assert Actor.objects.count() == actors_before - 1
    # Only exact duplicates go: one recipient link and one participation were doubled.
    assert totals() == {
        **before,
        "recipient_links": before["recipient_links"] - 1,
        "participations": before["participations"] - 1,
    }
    # statements spoken
    assert Statement.objects.filter(speaker=keep).count() == 4
    # statements received: the one addressed to both keeps one link; the other moved
    assert list(pair["both"].recipients.all()) == [keep]
    assert list(pair["only_dup"].recipients.all()) == [keep]
    # stances stay on their (moved) statements
    assert Stance.objects.filter(statement__speaker=keep).count() == 3
    # aliases: case-insensitive duplicate folded, the new one moved, the old name added
    names = sorted(keep.aliases.values_list("name", flat=True))
    assert names == ["Armenian PM", "Nikol Pashinian", "Pashinyan"]
    assert keep.aliases.get(name="Nikol Pashinian").kind == AliasKind.FORMER
    # roles: the duplicate folded, the other moved; a post in the merged body moved
    assert sorted(keep.roles.values_list("title", flat=True)) == [
        "MP",
        "Party leader",
        "Prime Minister",
    ]
    assert Role.objects.get(title="Envoy").organization == keep
    # participations: the duplicate folded, the other role moved
    assert sorted(
        EventParticipant.objects.filter(event=pair["event"]).values_list("actor_id", "role")
    ) == [(keep.pk, "participant"), (keep.pk, "recipient")]
    # sub-bodies hang under the kept actor
    pair["ministry"].refresh_from_db()
    assert pair["ministry"].parent == keep
    # what the kept actor lacked, it takes from the merged one
    keep.refresh_from_db()
    assert keep.wikidata_id == "Q3487339"
    assert keep.description == "Armenian PM"


def test_merge_leaves_history_naming_user_and_reason(pair):
    user = User.objects.create_user("merger")
    actor_merge(keep=pair["keep"], merge=[pair["dup"]], user=user)
    record = pair["spoken"][0].history.order_by("-history_id").first()
    assert record.speaker_id == pair["keep"].pk
    assert record.history_user == user
    assert record.history_change_reason == "merged actor Nikol Pashinian into Nikol Pashinyan"
    deleted = Actor.history.filter(id=pair["dup"].pk, history_type="-").get()
    assert deleted.history_user == user
    recipients_record = pair["only_dup"].history.order_by("-history_id").first()
    assert list(recipients_record.recipients.values_list("actor_id", flat=True)) == [
        pair["keep"].pk
    ]


def test_merge_plan_counts_what_will_move(pair):
    plan = actor_merge_plan(merge=[pair["dup"]])
    assert plan.counts["statements"] == 3
    assert plan.counts["statements_received"] == 2
    assert plan.counts["aliases"] == 2
    assert plan.counts["roles"] == 3
    assert plan.counts["posts"] == 1
    assert plan.counts["participations"] == 2
    assert plan.counts["children"] == 1
    assert "events" not in plan.counts  # moved through participations, not counted twice


def test_merging_several_and_the_alias_already_present(make):
    keep = make.actor("Azerbaijan")
    Alias.objects.create(actor=keep, name="Baku", kind=AliasKind.METONYM)
    baku = make.actor("baku")
    azeri = make.actor("Republic of Azerbaijan")
    make.statement(speaker=baku)
    make.statement(speaker=azeri)
    actor_merge(keep=keep, merge=[baku, azeri, keep])
    assert Actor.objects.filter(pk__in=[baku.pk, azeri.pk]).count() == 0
    assert sorted(keep.aliases.values_list("name", flat=True)) == [
        "Baku",
        "Republic of Azerbaijan",
    ]
    assert Statement.objects.filter(speaker=keep).count() == 2


def test_merging_a_parent_into_its_child_makes_no_cycle(make):
    state = make.actor("Armenia")
    ministry = make.actor("Ministry", parent=state)
    office = make.actor("Office", parent=ministry)
    actor_merge(keep=office, merge=[ministry])
    office.refresh_from_db()
    assert office.parent == state
    # and the other way round: the kept actor's old parent is gone, no self-parenting
    actor_merge(keep=office, merge=[state])
    office.refresh_from_db()
    assert office.parent is None


def test_a_failing_merge_changes_nothing(pair, monkeypatch):
    before = totals()
    aliases_before = Alias.objects.count()

    def boom(self, *args, **kwargs):
        raise RuntimeError("halfway")

    monkeypatch.setattr(EventParticipant, "save", boom)
    with pytest.raises(RuntimeError):
        actor_merge(keep=pair["keep"], merge=[pair["dup"]])
    assert Actor.objects.filter(pk=pair["dup"].pk).exists()
    assert totals() == before
    assert Alias.objects.count() == aliases_before
    assert Statement.objects.filter(speaker=pair["dup"]).count() == 3
