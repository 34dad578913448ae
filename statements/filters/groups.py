"""Groups: an actor, every actor below it, and people while they held a post in one
of them (the ``within`` filter, an actor page's "with its members" total).

The hierarchy is small next to the statements, so it is walked in Python (two
queries: parent links, posts), and the statements are then selected by speaker ids and
by (speaker, date range) for the posts: index ranges on (speaker, said_on).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Q, QuerySet

from actors.models import Actor, Role


@dataclass
class Group:
    """Who speaks for an actor: ``members`` always, ``posts[person]`` within those
    (start, end) date ranges (an open end is unbounded)."""

    members: set[int]
    posts: dict[int, list[tuple[datetime.date | None, datetime.date | None]]] = field(
        default_factory=dict
    )

    def ranges(self) -> list[tuple[int, datetime.date, datetime.date]]:
        """(speaker, first day, last day): every day for a member, each post's dates
        (an open end is ``date.min`` or ``date.max``; overlapping posts of one person
        merged, so that no statement is in two ranges)."""
        out = [(member, datetime.date.min, datetime.date.max) for member in sorted(self.members)]
        for person, spans in sorted(self.posts.items()):
            merged: list[list[datetime.date]] = []
            for start, end in sorted(
                (start or datetime.date.min, end or datetime.date.max) for start, end in spans
            ):
                if merged and start <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], end)
                else:
                    merged.append([start, end])
            out += [(person, start, end) for start, end in merged]
        return out

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


# -- a group's page and count, one index range per speaker (PostgreSQL) ------------------

#: Values compiled into one range's query and then replaced by the columns of the
#: ranges' ``VALUES`` list (never a real speaker or a real date bound).
_SPEAKER = -7_364_019_283
_FIRST, _LAST = datetime.date(1, 1, 2), datetime.date(9999, 12, 30)
_COLUMNS = {_SPEAKER: "g.speaker", _FIRST: "g.first_day", _LAST: "g.last_day"}


def _per_range(group: Group, one_range: QuerySet) -> tuple[str, list] | None:
    """``FROM (VALUES ranges) g CROSS JOIN LATERAL (one_range for g's speaker and
    dates) k``: ``one_range`` (a queryset filtered to the sentinel range) compiled once,
    its sentinels made references to ``g``. None where that does not hold (not
    PostgreSQL, or a sentinel not found exactly once)."""
    connection = connections[one_range.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = one_range.query.get_compiler(connection=connection).as_sql()
    pieces = sql.split("%s")
    if "%%" in sql or len(pieces) != len(params) + 1:
        return None
    out, kept, found = [pieces[0]], [], []
    for param, piece in zip(params, pieces[1:], strict=True):
        column = _COLUMNS.get(param) if type(param) in (int, datetime.date) else None
        if column:
            found.append(column)
            out.append(column)
        else:
            out.append("%s")
            kept.append(param)
        out.append(piece)
    if sorted(found) != sorted(_COLUMNS.values()):
        return None
    ranges = group.ranges()
    values = ", ".join(["(%s::bigint, %s::date, %s::date)"] * len(ranges))
    return (
        f"FROM (VALUES {values}) AS g(speaker, first_day, last_day) "
        f"CROSS JOIN LATERAL ({''.join(out)}) AS k",
        [value for row in ranges for value in row] + kept,
    )


def _in_range(queryset: QuerySet) -> QuerySet:
    return queryset.filter(speaker_id=_SPEAKER, said_on__gte=_FIRST, said_on__lte=_LAST)


def group_keys(
    queryset: QuerySet, group: Group, order: list[str], start: int, stop: int
) -> list[int] | None:
    """The ids of ``queryset[start:stop]`` in ``order`` (said_on and id, either way),
    where ``queryset`` holds the group's statements: the first ``stop`` of each range
    read from the (speaker, said_on) index, then merged. Its cost follows the number of
    ranges and the page, not the group's statements (a country's 120,000 at 10M: the
    plain query sorted them all). None where it does not apply (SQLite)."""
    fields = [name.lstrip("-") for name in order]
    if sorted(fields) != ["id", "said_on"]:
        return None
    per_range = _per_range(group, _in_range(queryset).order_by(*order).values_list(*fields)[:stop])
    if per_range is None:
        return None
    sql, params = per_range
    direction = {name.lstrip("-"): "DESC" if name.startswith("-") else "ASC" for name in order}
    ordering = ", ".join(f"k.{field} {direction[field]}" for field in fields)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            f"SELECT k.id {sql} ORDER BY {ordering} LIMIT %s OFFSET %s",
            [*params, stop - start, start],
        )
        return [row[0] for row in cursor.fetchall()]


def group_count(queryset: QuerySet, group: Group, cap: int) -> int | None:
    """``SELECT COUNT(*)`` of ``queryset``'s first ``cap + 1`` rows, range by range (the
    count stops reading once it has them). None where it does not apply (SQLite)."""
    per_range = _per_range(group, _in_range(queryset).order_by().values_list("id")[: cap + 1])
    if per_range is None:
        return None
    sql, params = per_range
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 {sql} LIMIT %s) AS c", [*params, cap + 1])
        return cursor.fetchone()[0]
