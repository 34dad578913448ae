"""Database constraints and validation of the actors app: each rejects a bad row."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actors.models import Actor, Alias, Role
from actors.text import fold

pytestmark = pytest.mark.django_db


def rejected(create) -> bool:
    """True when the database refuses the row (inside a savepoint, so the test goes on)."""
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_fold_ignores_case_accents_and_spacing():
    assert fold("  Pashinián ") == "pashinian"
    assert fold("KARABAKH’S  army") == "karabakh's army"


def test_slug_is_unique(make):
    make.actor("Antony Blinken", slug="antony-blinken")
    assert rejected(lambda: Actor.objects.create(name="Other", slug="antony-blinken"))


def test_wikidata_id_format_is_enforced_by_the_database(make):
    make.actor("Armenia", slug="armenia", wikidata_id="Q399")
    for bad in ("399", "q399", "Q0", "Q12x", "P31"):
        assert rejected(
            lambda bad=bad: Actor.objects.create(name="X", slug=f"x-{bad}", wikidata_id=bad)
        )


def test_wikidata_id_format_is_a_form_error():
    actor = Actor(name="Armenia", slug="armenia", wikidata_id="armenia")
    with pytest.raises(ValidationError) as excinfo:
        actor.full_clean()
    assert "Wikidata" in str(excinfo.value)


def test_alias_unique_per_actor_case_insensitively(make):
    azerbaijan = make.actor("Azerbaijan", slug="azerbaijan", kind="state")
    Alias.objects.create(actor=azerbaijan, name="Baku", kind="metonym")
    assert rejected(lambda: Alias.objects.create(actor=azerbaijan, name="BAKU", kind="metonym"))
    # Another actor may carry the same alias.
    other = make.actor("City of Baku", slug="city-of-baku", kind="government")
    Alias.objects.create(actor=other, name="Baku")


def test_alias_duplicate_is_a_form_error_even_with_accents(make):
    actor = make.actor("Nikol Pashinian", slug="nikol-pashinian")
    Alias.objects.create(actor=actor, name="Pashinyan")
    with pytest.raises(ValidationError) as excinfo:
        Alias(actor=actor, name="PASHINYÁN").full_clean()
    assert "already has that alias" in str(excinfo.value)


def test_matching_finds_names_and_aliases_ignoring_case_and_accents(make):
    actor = make.actor("Nikol Pashinian", slug="nikol-pashinian")
    Alias.objects.create(actor=actor, name="Pashinyan", kind="transliteration")
    assert list(Actor.objects.matching("PASHINYÁN")) == [actor]
    assert list(Actor.objects.matching("nikol pashinian")) == [actor]
    assert not Actor.objects.matching("Aliyev").exists()


def test_role_cannot_end_before_it_starts(make):
    actor = make.actor()
    assert rejected(
        lambda: Role.objects.create(
            actor=actor,
            title="Minister",
            start_date=datetime.date(2023, 1, 2),
            end_date=datetime.date(2023, 1, 1),
        )
    )
    role = Role(
        actor=actor,
        title="Minister",
        start_date=datetime.date(2023, 1, 2),
        end_date=datetime.date(2023, 1, 1),
    )
    with pytest.raises(ValidationError) as excinfo:
        role.full_clean()
    assert "end_date" in excinfo.value.message_dict


def test_role_on_a_date(make):
    actor = make.actor("Antony Blinken", slug="antony-blinken")
    Role.objects.create(
        actor=actor,
        title="Deputy Secretary of State",
        start_date=datetime.date(2015, 1, 9),
        end_date=datetime.date(2017, 1, 20),
    )
    Role.objects.create(
        actor=actor, title="Secretary of State", start_date=datetime.date(2021, 1, 26)
    )
    assert actor.role_on(datetime.date(2023, 9, 10)).title == "Secretary of State"
    assert actor.role_on(datetime.date(2016, 6, 1)).title == "Deputy Secretary of State"
    assert actor.role_on(datetime.date(2019, 6, 1)) is None


def test_actor_cannot_be_its_own_ancestor(make):
    state = make.actor("Azerbaijan", slug="azerbaijan", kind="state")
    ministry = make.actor("Ministry of Defence", slug="mod", kind="military", parent=state)
    state.parent = ministry
    with pytest.raises(ValidationError):
        state.full_clean()
