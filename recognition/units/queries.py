"""Reading the unit tree."""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from recognition.common.text import fold, search_text
from recognition.extensions import db
from recognition.units.models import Unit


@dataclass
class TreeNode:
    unit: Unit
    children: list["TreeNode"] = field(default_factory=list)

    @property
    def size(self) -> int:
        return 1 + sum(child.size for child in self.children)


def unit_tree(
    *, include_inactive: bool = False, within: list[Unit] | None = None
) -> list[TreeNode]:
    """The tree (or the subtrees under `within`) as nested nodes, siblings in Vietnamese order.

    One query, whatever the size of the tree.
    """
    query = select(Unit).order_by(Unit.depth, Unit.name_sort)
    if not include_inactive:
        query = query.where(Unit.is_active)
    units = db.session.scalars(query).all()
    if within is not None:
        prefixes = tuple(unit.path for unit in within)
        units = [unit for unit in units if unit.path.startswith(prefixes)]
    ids = {unit.id for unit in units}
    children: dict[int | None, list[Unit]] = defaultdict(list)
    for unit in units:
        children[unit.parent_id if unit.parent_id in ids else None].append(unit)

    def build(unit: Unit) -> TreeNode:
        return TreeNode(unit, [build(child) for child in children[unit.id]])

    return [build(root) for root in children[None]]


def search_units(text: str, *, include_inactive: bool = False, limit: int = 200) -> list[Unit]:
    """Units whose name or code contains `text`, ignoring case and Vietnamese diacritics."""
    text = search_text(text)
    needle = fold(text)
    if not needle:
        return []
    query = (
        select(Unit)
        .where(
            Unit.name_folded.contains(needle, autoescape=True)
            | Unit.code.contains(text.strip(), autoescape=True)
        )
        .order_by(Unit.name_sort)
        .limit(limit)
    )
    if not include_inactive:
        query = query.where(Unit.is_active)
    return list(db.session.scalars(query))


def ancestors_of(unit: Unit) -> list[Unit]:
    """The chain from the root down to the unit's parent, in one query."""
    ids = [int(part) for part in unit.path.strip("/").split("/")[:-1] if part]
    if not ids:
        return []
    found = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def unit_choices(*, include_inactive: bool = False) -> list[tuple[int, str]]:
    """(id, indented name) for select boxes, in tree order."""
    result: list[tuple[int, str]] = []

    def walk(nodes: list[TreeNode]) -> None:
        for node in nodes:
            result.append((node.unit.id, "\u2003" * node.unit.depth + node.unit.name))
            walk(node.children)

    walk(unit_tree(include_inactive=include_inactive))
    return result
