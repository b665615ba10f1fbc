"""Reading parts of the unit tree: only the units asked for."""

from __future__ import annotations

import pytest
from flask import Flask

from recognition.extensions import db
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from recognition.units.queries import levels_that_fit, unit_tree
from tests.support.factories import UnitFactory

pytestmark = pytest.mark.integration


def _province() -> tuple[Unit, list[Unit]]:
    """A province of 3 communes, each with 4 hamlets, one hamlet with 2 teams; and a second
    province the counts must leave out."""
    province = UnitFactory(name="Tỉnh Thử", kind=UnitKind.PROVINCE)
    communes = [UnitFactory(name=f"Xã {n}", parent=province) for n in range(3)]
    hamlets = [
        UnitFactory(name=f"Ấp {c}-{n}", kind=UnitKind.HAMLET, parent=commune)
        for c, commune in enumerate(communes)
        for n in range(4)
    ]
    for n in range(2):
        UnitFactory(name=f"Tổ {n}", kind=UnitKind.TEAM, parent=hamlets[0])
    other = UnitFactory(name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    UnitFactory(name="Xã Khác", parent=other)
    db.session.flush()
    return province, communes


@pytest.mark.parametrize(
    ("at_most", "fit"), [(1, 0), (3, 0), (4, 1), (15, 1), (16, 2), (17, 2), (18, 3), (99, 3)]
)
def test_the_levels_below_an_area_that_fit_in_a_select_box(
    app: Flask, at_most: int, fit: int
) -> None:
    province, _ = _province()
    # 1 province, 3 communes (4 in all), 12 hamlets (16), 2 teams (18).
    assert levels_that_fit([province], levels=3, at_most=at_most) == fit


def test_the_levels_are_counted_below_each_area(app: Flask) -> None:
    province, communes = _province()

    assert levels_that_fit(communes[1:], levels=2, at_most=10) == 2  # 2 communes, 8 hamlets
    assert levels_that_fit(communes[1:], levels=2, at_most=9) == 0
    assert levels_that_fit([], levels=2, at_most=10) == 0
    assert levels_that_fit([province], levels=1, at_most=99) == 1


def test_a_tree_within_areas_reads_their_levels_only(app: Flask) -> None:
    province, communes = _province()

    def names(nodes: list) -> list:  # type: ignore[type-arg]
        return [(node.unit.name, names(node.children)) for node in nodes]

    assert names(unit_tree(within=[communes[2]], levels=1)) == [
        ("Xã 2", [("Ấp 2-0", []), ("Ấp 2-1", []), ("Ấp 2-2", []), ("Ấp 2-3", [])])
    ]
    assert [n.unit.name for n in unit_tree(within=[province], levels=1)[0].children] == [
        "Xã 0",
        "Xã 1",
        "Xã 2",
    ]
    assert all(not n.children for n in unit_tree(within=[province], levels=1)[0].children)
    assert unit_tree(within=[]) == []


def test_a_shallow_tree_counts_the_units_it_does_not_read(app: Flask) -> None:
    from recognition.units.queries import shallow_tree, subtree_sizes

    province, communes = _province()
    sizes = subtree_sizes()

    tree = shallow_tree(1, sizes, include_inactive=False)
    ours = next(node for node in tree if node.unit.id == province.id)

    assert (sizes[province.id], sizes[communes[0].id], sizes[communes[1].id]) == (18, 7, 5)
    assert [(n.unit.name, n.size, n.children) for n in ours.children] == [
        ("Xã 0", 7, []),
        ("Xã 1", 5, []),
        ("Xã 2", 5, []),
    ]
    assert ours.size == 18
