"""Reading the unit tree."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from flask import g, has_request_context
from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select

from recognition.common.text import fold, search_text
from recognition.extensions import db
from recognition.units.models import Unit


@dataclass
class TreeNode:
    unit: Unit
    children: list["TreeNode"] = field(default_factory=list)
    # The size of the whole subtree, when the children below were not all read.
    counted: int | None = None

    @property
    def size(self) -> int:
        if self.counted is not None:
            return self.counted
        return 1 + sum(child.size for child in self.children)


def unit_tree(
    *,
    include_inactive: bool = False,
    within: list[Unit] | None = None,
    levels: int | None = None,
) -> list[TreeNode]:
    """The tree (or the subtrees under `within`, down to `levels` below the deepest of them)
    as nested nodes, siblings in Vietnamese order.

    One query, whatever the size of the tree; it reads only the units it returns.
    """
    query = select(Unit).order_by(Unit.depth, Unit.name_sort)
    if not include_inactive:
        query = query.where(Unit.is_active)
    if within is not None:
        if not within:
            return []
        query = query.where(_inside(within))
        if levels is not None:
            query = query.where(Unit.depth <= max(unit.depth for unit in within) + levels)
    elif levels is not None:
        query = query.where(Unit.depth <= levels)
    units = db.session.scalars(query).all()
    ids = {unit.id for unit in units}
    children: dict[int | None, list[Unit]] = defaultdict(list)
    for unit in units:
        children[unit.parent_id if unit.parent_id in ids else None].append(unit)

    def build(unit: Unit) -> TreeNode:
        return TreeNode(unit, [build(child) for child in children[unit.id]])

    return [build(root) for root in children[None]]


def _inside(areas: list[Unit]) -> ColumnElement[bool]:
    """That a unit is one of `areas` or below one of them."""
    return or_(*(Unit.path.startswith(area.path, autoescape=True) for area in areas))


def subtree_sizes(*, include_inactive: bool = False) -> dict[int, int]:
    """Every unit's subtree size (itself included), from the ids alone (no unit is loaded)."""
    query = select(Unit.id, Unit.parent_id).order_by(Unit.depth.desc())
    if not include_inactive:
        query = query.where(Unit.is_active)
    rows = db.session.execute(query).all()
    sizes: dict[int, int] = defaultdict(int)
    for unit_id, parent_id in rows:  # the deepest first: a unit's size is whole when read
        sizes[unit_id] += 1
        if parent_id is not None:
            sizes[parent_id] += sizes[unit_id]
    return {unit_id: sizes[unit_id] for unit_id, _ in rows}


def shallow_tree(levels: int, sizes: dict[int, int], *, include_inactive: bool) -> list[TreeNode]:
    """The tree down to `levels` below the top, each node counting its whole subtree."""
    tree = unit_tree(include_inactive=include_inactive, levels=levels)

    def count(nodes: list[TreeNode]) -> None:
        for node in nodes:
            node.counted = sizes.get(node.unit.id, 1)
            count(node.children)

    count(tree)
    return tree


def active_subtree_size(unit: Unit) -> int:
    """How many active units a dissolution of `unit` would end: itself and those below it."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Unit)
            .where(Unit.path.startswith(unit.path, autoescape=True), Unit.is_active)
        )
        or 0
    )


def levels_that_fit(within: list[Unit], *, levels: int, at_most: int) -> int:
    """How many levels below `within` (up to `levels`) hold at most `at_most` active units in
    all, from one count per level (0 when not even the first level below fits)."""
    if not within:
        return 0
    top = max(unit.depth for unit in within)
    per_depth = dict(
        db.session.execute(
            select(Unit.depth, func.count())
            .where(
                Unit.is_active,
                Unit.depth <= top + levels,
                _inside(within),
            )
            .group_by(Unit.depth)
        ).all()
    )
    fit, total = 0, sum(count for depth, count in per_depth.items() if depth <= top)
    for level in range(1, levels + 1):
        total += per_depth.get(top + level, 0)
        if total > at_most:
            break
        fit = level
    return fit


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
    ids = unit.ids_above
    if not ids:
        return []
    found = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def bodies_proposed_to(unit: Unit) -> frozenset[int]:
    """The units whose campaigns take `unit`'s dossiers: the unit itself and the units above it
    up to the nearest active awarding body above it, that one included.

    Each level proposes to the level right above it (Luật Thi đua, khen thưởng 2022, art. 84:
    the level that manages proposes to the one above): a hamlet's dossiers go to its commune,
    the commune's to the province; the hamlet reaches the province only through the commune.
    An awarding body also nominates in its own campaigns.
    """
    return proposal_bodies([unit])[unit.id]


def forget_proposal_bodies() -> None:
    """Drop the request's worked-out proposal levels: the tree or a body's flag changed."""
    if has_request_context():
        g.pop("_bodies_proposed_to", None)
        g.pop("_bodies_above", None)


def represents(grant: Unit, unit: Unit) -> bool:
    """Whether a nominator of `grant` acts for `unit`: `unit` is `grant` or lies below it, and
    no active awarding body stands below `grant` down to `unit` itself. A body below acts for
    its own area: the province's office does not file, open or change the dossiers of a
    commune's hamlets, nor the commune's own proposals; a commune's office does its
    hamlets'. The bodies are read once per unit and request."""
    if unit.id == grant.id:
        return True
    if not unit.is_within(grant):
        return False
    if unit.is_awarding_body and unit.is_active:
        return False
    ids = unit.ids_above
    between = ids[ids.index(grant.id) + 1 :] if grant.id in ids else []
    return not between or not set(between) & bodies_above(unit)


def represented_units(grants: Sequence[Unit], *, nominees: bool = False) -> Select[int]:
    """The ids of the units any of `grants` represents (as `represents`), for a query: the
    active bodies below them are read in one statement, whatever their number. With
    `nominees`, the nearest bodies below are in too (a body below is proposed as a whole),
    not the units inside them."""
    if not grants:
        return select(Unit.id).where(false())
    lower = db.session.scalars(
        select(Unit.path).where(
            or_(*(Unit.path.startswith(unit.path, autoescape=True) for unit in grants)),
            Unit.is_awarding_body,
            Unit.is_active,
        )
    ).all()
    conditions = []
    for grant in grants:
        below = [p for p in lower if p != grant.path and p.startswith(grant.path)]
        # The paths nest: a body's area is left out with the body (and any body below it).
        outermost = [p for p in below if not any(p != q and p.startswith(q) for q in below)]
        left_out = (
            (
                ~(Unit.path.startswith(path, autoescape=True) & (Unit.path != path))
                if nominees
                else ~Unit.path.startswith(path, autoescape=True)
            )
            for path in outermost
        )
        conditions.append(and_(Unit.path.startswith(grant.path, autoescape=True), *left_out))
    return select(Unit.id).where(or_(*conditions))


def proposal_bodies(units: Iterable[Unit]) -> dict[int, frozenset[int]]:
    """`bodies_proposed_to` of each unit, by its id: one query for them all, each unit worked
    out once per request."""
    units = list(units)
    known: dict[int, frozenset[int]] = (
        g.setdefault("_bodies_proposed_to", {}) if has_request_context() else {}
    )
    todo = {u.id: u for u in units if u.id not in known}
    if todo:
        paths = {uid: u.ids_above for uid, u in todo.items()}
        bodies = _active_bodies({i for ids in paths.values() for i in ids})
        for uid, ids in paths.items():
            nearest = max((ids.index(i) for i in bodies if i in ids), default=0)
            known[uid] = frozenset([uid, *ids[nearest:]])
    return {u.id: known[u.id] for u in units}


def _active_bodies(ids: set[int]) -> set[int]:
    """Those of `ids` that are active awarding bodies (one query; none for no ids)."""
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Unit.id).where(Unit.id.in_(ids), Unit.is_awarding_body, Unit.is_active)
        )
    )


def bodies_above(unit: Unit) -> set[int]:
    """The active awarding bodies strictly above `unit` (read once per unit and request)."""
    known: dict[int, set[int]] = g.setdefault("_bodies_above", {}) if has_request_context() else {}
    if unit.id not in known:
        known[unit.id] = _active_bodies(set(unit.ids_above))
    return known[unit.id]


def body_between(upper: Unit, unit: Unit, bodies: set[int]) -> bool:
    """Whether one of `bodies` lies strictly between `upper` and `unit` (below `upper`)."""
    ids = unit.ids_above
    if upper.id not in ids:
        return False
    return bool(set(ids[ids.index(upper.id) + 1 :]) & bodies)


def nearest_body_above(unit: Unit) -> Unit | None:
    """The nearest active awarding body above `unit` (where its dossiers go), if any."""
    bodies = bodies_above(unit)
    nearest = [i for i in unit.ids_above if i in bodies]
    return db.session.get(Unit, nearest[-1]) if nearest else None


def unit_choices(
    *, include_inactive: bool = False, excluding: Unit | None = None
) -> list[tuple[int, str]]:
    """(id, indented name) for select boxes, in tree order; without `excluding` and the units
    below it (a unit cannot be merged into, nor succeeded by, itself or its own sub-unit)."""
    result: list[tuple[int, str]] = []

    def walk(nodes: list[TreeNode]) -> None:
        for node in nodes:
            if excluding is not None and node.unit.id == excluding.id:
                continue
            result.append((node.unit.id, "\u2003" * node.unit.depth + node.unit.name))
            walk(node.children)

    walk(unit_tree(include_inactive=include_inactive))
    return result
