"""Groups: an actor, every actor below it, and people while they held a post in one
of them (the ``within`` filter, an actor page's "with its members" total).

The hierarchy is small next to the statements, so it is walked in Python (two
queries: parent links, posts), and the statements are then selected by speaker ids and
by (speaker, date range) for the posts: index ranges on (speaker, said_on).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from actors.models import Actor, Role


@dataclass
class Group:
    """Who speaks for an actor: ``members`` always, ``posts[person]`` within those
    (start, end) date ranges (an open end is unbounded)."""

    members: set[int]
    posts: dict[int, list[tuple[datetime.date | None, datetime.date | None]]] = field(
        default_factory=dict
    )

    @property
    def has_members(self) -> bool:
        return len(self.members) > 1 or bool(self.posts)

    def statements_q(self, prefix: str = "") -> Q:
        """Statements said by the group (``prefix`` for a relation, like ``statement__``).

        ``speaker IN (everyone) AND (speaker IN (members) OR (speaker = p AND said_on in
        a post's dates) OR …)``: the first test is one the speaker index answers, and
        the date tests only run for the rows it lets through."""
        condition = Q(**{f"{prefix}speaker_id__in": sorted(self.members)})
        if not self.posts:
            return condition
        for person, spans in sorted(self.posts.items()):
            for start, end in spans:
                held = Q(**{f"{prefix}speaker_id": person})
                if start:
                    held &= Q(**{f"{prefix}said_on__gte": start})
                if end:
                    held &= Q(**{f"{prefix}said_on__lte": end})
                condition |= held
        everyone = sorted(self.members | set(self.posts))
        return Q(**{f"{prefix}speaker_id__in": everyone}) & condition


def group_of(actor: Actor) -> Group:
    """``actor``, every actor below it at any depth, and the posts held in any of them."""
    children: dict[int, list[int]] = {}
    links = Actor.objects.filter(parent__isnull=False).order_by().values_list("pk", "parent_id")
    for pk, parent in links:
        children.setdefault(parent, []).append(pk)
    members, stack = {actor.pk}, [actor.pk]
    while stack:  # a cycle (the model forbids one, the database does not) ends here
        for child in children.get(stack.pop(), []):
            if child not in members:
                members.add(child)
                stack.append(child)
    group = Group(members)
    roles = (
        Role.objects.filter(organization_id__in=members)
        .order_by()
        .values_list("actor_id", "start_date", "end_date")
    )
    for person, start, end in roles:
        if person in members:
            continue
        if start is None and end is None:  # a post with no dates: all they said
            group.members.add(person)
            group.posts.pop(person, None)
        else:
            group.posts.setdefault(person, []).append((start, end))
    for person in group.members:
        group.posts.pop(person, None)
    return group
