"""The role a speaker held when they spoke, for many statements at once."""

from __future__ import annotations

from collections.abc import Iterable

from actors.models import Role, latest_role_held
from statements.models import Statement


def attach_roles(statements: Iterable[Statement], roles: Iterable[Role] | None = None) -> None:
    """Set ``statement.role_at_time``: the printed speaker title, else the title of the
    role the speaker held on the day (``latest_role_held``). One query for all the
    speakers, none when every title is printed or ``roles`` is given."""
    statements = list(statements)
    missing = [s for s in statements if not s.speaker_title]
    if not missing:
        for s in statements:
            s.role_at_time = s.speaker_title
        return
    if roles is None:
        roles = Role.objects.filter(actor_id__in={s.speaker_id for s in missing})
    by_actor: dict[int, list[Role]] = {}
    for role in roles:
        by_actor.setdefault(role.actor_id, []).append(role)
    for s in statements:
        held = (
            None if s.speaker_title else latest_role_held(by_actor.get(s.speaker_id, []), s.said_on)
        )
        s.role_at_time = s.speaker_title or (held.title if held else "")
