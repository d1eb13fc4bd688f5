"""Ordered members of a collection (an exhibition's items, a walk's stops): one way to move
and renumber them, so both keep `position` and the loaded list in step."""

from __future__ import annotations

from memoire.core.errors import ValidationError


def renumber(members: list, ordered: list) -> None:
    """Give `ordered` positions 0, 1, …; sort the loaded `members` list the same way (a
    relationship's order_by only applies when it is loaded)."""
    for position, member in enumerate(ordered):
        member.position = position
    members.sort(key=lambda m: m.position)


def move(members: list, member, offset: int) -> None:
    """Move `member` `offset` places (-1 earlier, +1 later); the ends stay where they are."""
    ordered = sorted(members, key=lambda m: m.position)
    index = ordered.index(member)
    target = max(0, min(len(ordered) - 1, index + offset))
    ordered.insert(target, ordered.pop(index))
    renumber(members, ordered)


def reorder(members: list, ids: list[int], message) -> None:
    """Put `members` in the order of `ids`, which must name each member once."""
    by_id = {member.id: member for member in members}
    if sorted(ids) != sorted(by_id):
        raise ValidationError(message, field="order")
    renumber(members, [by_id[i] for i in ids])
