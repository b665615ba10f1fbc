"""The unit tree services: create, edit, move, deactivate, reactivate."""

from collections.abc import Iterator
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.common.audit import AuditEvent
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from recognition.units.services import (
    UnitData,
    check_name_free,
    create_unit,
    kind_fits,
    move_unit,
    update_unit,
)
from recognition.units.workflow import deactivated_with, merge_unit, restore_unit
from tests.support.factories import UnitFactory, dissolve, user_with

pytestmark = pytest.mark.integration


@pytest.fixture
def keeper() -> User:
    """An administrator of a tree of their own (none of the units the tests end)."""
    return user_with(Role.ADMIN, UnitFactory(name="Văn phòng quản trị"))


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with force_locale("en"):
        yield


def shape(*units: Unit) -> list[tuple[str, str, int]]:
    """(name, path, depth) as stored, read back from the database."""
    db.session.expire_all()
    return [(u.name, u.path, u.depth) for u in (db.session.get(Unit, u.id) for u in units)]


def chain(length: int, parent: Unit | None = None) -> list[Unit]:
    units = []
    for level in range(length):
        parent = UnitFactory(name=f"Cấp {level}", parent=parent)
        units.append(parent)
    return units


# --- create --------------------------------------------------------------------------------


def test_create_root_unit() -> None:
    unit = create_unit(
        UnitData(name="  Tỉnh  Bến Tre ", kind=UnitKind.PROVINCE, code="83"), parent=None
    )

    assert shape(unit) == [("Tỉnh Bến Tre", f"/{unit.id}/", 0)]
    assert unit.parent_id is None
    assert unit.name_folded == "tinh ben tre"
    assert unit.is_active is True


def test_create_under_a_parent_sets_path_and_depth() -> None:
    province = UnitFactory(name="Tỉnh Bến Tre", kind=UnitKind.PROVINCE)
    district = UnitFactory(name="Huyện Chợ Lách", kind=UnitKind.DISTRICT, parent=province)
    commune = UnitFactory(name="Xã Sơn Định", parent=district)

    assert shape(province, district, commune) == [
        ("Tỉnh Bến Tre", f"/{province.id}/", 0),
        ("Huyện Chợ Lách", f"/{province.id}/{district.id}/", 1),
        ("Xã Sơn Định", f"/{province.id}/{district.id}/{commune.id}/", 2),
    ]
    assert commune.parent_id == district.id


def test_create_under_a_deactivated_unit_is_refused() -> None:
    parent = UnitFactory()
    dissolve(parent, on=date(2025, 7, 1))

    with pytest.raises(DomainError) as refused:
        create_unit(UnitData(name="Ấp Mới", kind=UnitKind.HAMLET), parent=parent)

    assert refused.value.field == "parent_id"
    assert db.session.scalar(select(Unit).where(Unit.name == "Ấp Mới")) is None


def test_duplicate_administrative_code_is_refused() -> None:
    UnitFactory(code="28816")

    with pytest.raises(DomainError) as refused:
        create_unit(UnitData(name="Xã Khác", kind=UnitKind.COMMUNE, code=" 28816 "), parent=None)

    assert refused.value.field == "code"
    assert refused.value.message == (
        "The administrative code 28816 is already used by another unit."
    )


def test_units_without_codes_can_coexist() -> None:
    first = UnitFactory(code=None)
    second = UnitFactory(code="")

    assert (first.code, second.code) == (None, None)


@pytest.mark.no_database
def test_valid_to_before_valid_from_is_refused() -> None:
    data = UnitData(
        name="Xã Sơn Định",
        kind=UnitKind.COMMUNE,
        valid_from=date(2024, 1, 1),
        valid_to=date(2023, 12, 31),
    )

    with pytest.raises(DomainError) as refused:
        create_unit(data, parent=None)

    assert refused.value.field == "valid_to"


@pytest.mark.no_database
def test_empty_name_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        create_unit(UnitData(name=" \u200b ", kind=UnitKind.COMMUNE), parent=None)

    assert refused.value.field == "name"


P, D, C, W, T, H, G = (
    UnitKind.PROVINCE,
    UnitKind.DISTRICT,
    UnitKind.COMMUNE,
    UnitKind.WARD,
    UnitKind.TOWNSHIP,
    UnitKind.HAMLET,
    UnitKind.RESIDENTIAL_GROUP,
)
ORGANISATIONS = [
    UnitKind.DEPARTMENT,
    UnitKind.ASSOCIATION,
    UnitKind.TEAM,
    UnitKind.SCHOOL,
    UnitKind.ENTERPRISE,
    UnitKind.OTHER,
]
# What each administrative kind may belong to (any kind may be at the top).
FITS = {P: set(), D: {P}, C: {P, D}, W: {P, D}, T: {P, D}, H: {P, D, C, W, T}, G: {P, D, C, W, T}}


@pytest.mark.unit
@pytest.mark.parametrize("kind", list(UnitKind))
def test_an_administrative_unit_belongs_only_to_one_of_a_higher_level(kind: UnitKind) -> None:
    fitting = {parent for parent in UnitKind if kind_fits(kind, parent)}

    assert kind_fits(kind, None) is True
    assert fitting == (FITS[kind] if kind in FITS else set(UnitKind))


def test_create_under_a_parent_that_cannot_hold_the_kind_is_refused() -> None:
    commune = UnitFactory(name="Xã Chợ Lách")
    hamlet = UnitFactory(name="Ấp Hòa Thạnh", kind=UnitKind.HAMLET, parent=commune)

    with pytest.raises(DomainError) as refused:
        create_unit(UnitData(name="Ấp Con", kind=UnitKind.HAMLET), parent=hamlet)

    assert refused.value.field == "parent_id"
    assert [u.name for u in db.session.get(Unit, hamlet.id).children] == []


def test_a_kind_change_must_fit_the_parent_and_the_sub_units() -> None:
    province = UnitFactory(name="Tỉnh Vĩnh Long", kind=UnitKind.PROVINCE)
    commune = UnitFactory(name="Xã Phú Phụng", parent=province)
    UnitFactory(name="Ấp Phú Hòa", kind=UnitKind.HAMLET, parent=commune)

    for kind, message in (
        (
            UnitKind.PROVINCE,
            "A unit of kind “Province” cannot belong to Tỉnh Vĩnh Long (Province): an "
            "administrative unit belongs only to an administrative unit of a higher level.",
        ),
        (
            UnitKind.HAMLET,
            "Ấp Phú Hòa (Hamlet) belongs to this unit: a unit of kind “Hamlet” cannot hold it.",
        ),
    ):
        with pytest.raises(DomainError) as refused:
            update_unit(commune, UnitData(name="Xã Phú Phụng", kind=kind, code=commune.code))
        assert (refused.value.field, refused.value.message) == ("kind", message)

    update_unit(commune, UnitData(name="Xã Phú Phụng", kind=UnitKind.WARD, code=commune.code))
    assert db.session.get(Unit, commune.id).kind == UnitKind.WARD


def test_a_name_is_used_once_among_the_units_in_use_under_a_parent(keeper: User) -> None:
    commune = UnitFactory(name="Xã Phú Phụng")
    other = UnitFactory(name="Xã Vĩnh Thành")
    hamlet = UnitFactory(name="Ấp Phú Hòa", kind=UnitKind.HAMLET, parent=commune)
    UnitFactory(name="Ấp Phú Hòa", kind=UnitKind.HAMLET, parent=other)  # another parent
    closed = UnitFactory(name="Ấp Sơn Qui", kind=UnitKind.HAMLET, parent=commune)
    dissolve(closed, on=date(2025, 7, 1))
    UnitFactory(name="Ấp Sơn Qui", kind=UnitKind.HAMLET, parent=commune)  # the other ended
    UnitFactory(name="Ấp Định Bình", kind=UnitKind.HAMLET, parent=commune)

    with pytest.raises(DomainError) as refused:
        check_name_free("AP PHU  HOA", commune)
    assert (refused.value.field, refused.value.message) == (
        "name",
        "Xã Phú Phụng already has a unit in use named Ấp Phú Hòa.",
    )
    with pytest.raises(DomainError) as renamed:
        check_name_free("Ấp Định Bình", commune, unit=hamlet)
    assert renamed.value.field == "name"
    with pytest.raises(DomainError) as top:
        check_name_free("Xã Phú Phụng", None)
    assert top.value.message == "A unit named Xã Phú Phụng is already in use at the top level."
    moved = db.session.scalars(
        select(Unit).where(Unit.parent_id == other.id, Unit.name == "Ấp Phú Hòa")
    ).one()
    with pytest.raises(DomainError) as move:
        check_name_free(moved.name, commune, unit=moved, field="parent_id")
    assert move.value.field == "parent_id"
    # Its own name, written again where it stands, and a new name are no conflict.
    check_name_free("ấp phú hòa", commune, unit=hamlet)
    check_name_free("Ấp Phú Hòa 2", commune)


def test_a_merger_takes_over_sub_units_of_the_same_name(keeper: User) -> None:
    # Merged communes may each have had an "Ấp 1": they move all the same, to be renamed.
    province = UnitFactory(name="Tỉnh Vĩnh Long", kind=UnitKind.PROVINCE)
    new = UnitFactory(name="Xã Phú Phụng", parent=province)
    UnitFactory(name="Ấp 1", kind=UnitKind.HAMLET, parent=new)
    old = UnitFactory(name="Xã Sơn Định", parent=province)
    moved = UnitFactory(name="Ấp 1", kind=UnitKind.HAMLET, parent=old)

    merge_unit(old, successor=new, actor=keeper, on=date(2025, 6, 30))

    assert db.session.get(Unit, moved.id).parent_id == new.id


# --- update and successor ------------------------------------------------------------------


def test_update_changes_own_fields_and_search_keys() -> None:
    unit = UnitFactory(name="Xã Cũ", code="OLD1")

    update_unit(
        unit,
        UnitData(
            name="Xã Sơn Định",
            kind=UnitKind.COMMUNE,
            code="28816",
            valid_from=date(2020, 1, 1),
            is_awarding_body=True,
        ),
    )

    db.session.expire_all()
    stored = db.session.get(Unit, unit.id)
    assert (stored.name, stored.name_folded, stored.code, stored.valid_from) == (
        "Xã Sơn Định",
        "xa son dinh",
        "28816",
        date(2020, 1, 1),
    )
    assert stored.is_awarding_body is True


def test_update_may_keep_its_own_code() -> None:
    unit = UnitFactory(code="28816", name="Xã Sơn Định")

    update_unit(unit, UnitData(name="Xã Sơn Định mới", kind=UnitKind.COMMUNE, code="28816"))

    assert unit.code == "28816"


def test_update_to_another_units_code_is_refused() -> None:
    UnitFactory(code="28816")
    unit = UnitFactory(code="28819")

    with pytest.raises(DomainError) as refused:
        update_unit(unit, UnitData(name="Xã Vĩnh Bình", kind=UnitKind.COMMUNE, code="28816"))

    assert refused.value.field == "code"


def test_successor_is_set_and_read_back() -> None:
    old = UnitFactory(name="Xã Sơn Định")
    merged = UnitFactory(name="Xã Chợ Lách")

    update_unit(
        old,
        UnitData(
            name="Xã Sơn Định",
            kind=UnitKind.COMMUNE,
            code=old.code,
            valid_to=date(2025, 6, 30),
            successor=merged,
        ),
    )

    db.session.expire_all()
    stored = db.session.get(Unit, old.id)
    assert stored.successor_id == merged.id
    assert stored.successor.name == "Xã Chợ Lách"


def test_a_unit_cannot_be_its_own_successor() -> None:
    unit = UnitFactory()

    with pytest.raises(DomainError) as refused:
        update_unit(unit, UnitData(name=unit.name, kind=UnitKind.COMMUNE, successor=unit))

    assert refused.value.field == "successor_id"


def test_two_units_cannot_succeed_each_other() -> None:
    first = UnitFactory(name="Ấp Một", kind=UnitKind.HAMLET)
    second = UnitFactory(name="Ấp Hai", kind=UnitKind.HAMLET)
    third = UnitFactory(name="Ấp Ba", kind=UnitKind.HAMLET)
    ended = date(2025, 6, 30)
    update_unit(
        first, UnitData(name="Ấp Một", kind=UnitKind.HAMLET, valid_to=ended, successor=second)
    )
    update_unit(
        second, UnitData(name="Ấp Hai", kind=UnitKind.HAMLET, valid_to=ended, successor=third)
    )

    with pytest.raises(DomainError) as refused:
        update_unit(
            third, UnitData(name="Ấp Ba", kind=UnitKind.HAMLET, valid_to=ended, successor=first)
        )

    assert (refused.value.field, refused.value.message) == (
        "successor_id",
        "Ấp Một was itself succeeded by this unit: a unit cannot be succeeded by one that "
        "passed to it.",
    )
    assert db.session.get(Unit, third.id).successor_id is None


def test_a_unit_in_use_is_not_given_a_successor_without_its_last_day() -> None:
    unit = UnitFactory(name="Ấp Một", kind=UnitKind.HAMLET)
    other = UnitFactory(name="Ấp Hai", kind=UnitKind.HAMLET)

    with pytest.raises(DomainError) as refused:
        update_unit(unit, UnitData(name="Ấp Một", kind=UnitKind.HAMLET, successor=other))

    assert refused.value.field == "successor_id"
    assert "give its last day" in refused.value.message


def test_a_unit_cannot_be_succeeded_by_one_of_its_sub_units() -> None:
    commune = UnitFactory(name="Xã Sơn Định")
    hamlet = UnitFactory(name="Ấp Sơn Qui", kind=UnitKind.HAMLET, parent=commune)

    with pytest.raises(DomainError) as refused:
        update_unit(commune, UnitData(name="Xã Sơn Định", kind=UnitKind.COMMUNE, successor=hamlet))

    assert (refused.value.field, refused.value.message) == (
        "successor_id",
        "A unit cannot be succeeded by one of its own sub-units.",
    )


# --- move ----------------------------------------------------------------------------------


def test_move_updates_paths_and_depths_of_the_whole_subtree() -> None:
    left = UnitFactory(name="Trái", kind=UnitKind.PROVINCE)
    right = UnitFactory(name="Phải", kind=UnitKind.PROVINCE)
    commune = UnitFactory(name="Xã", parent=left)
    hamlet = UnitFactory(name="Ấp", parent=commune)
    team = UnitFactory(name="Tổ", parent=hamlet)
    bystander = UnitFactory(name="Bên cạnh", parent=left)
    deeper = UnitFactory(name="Sâu hơn", kind=UnitKind.DISTRICT, parent=right)

    move_unit(commune, new_parent=deeper)

    r, d, c, h, t = right.id, deeper.id, commune.id, hamlet.id, team.id
    assert shape(commune, hamlet, team, bystander) == [
        ("Xã", f"/{r}/{d}/{c}/", 2),
        ("Ấp", f"/{r}/{d}/{c}/{h}/", 3),
        ("Tổ", f"/{r}/{d}/{c}/{h}/{t}/", 4),
        ("Bên cạnh", f"/{left.id}/{bystander.id}/", 1),
    ]
    assert db.session.get(Unit, commune.id).parent_id == deeper.id


def test_move_to_the_top_level() -> None:
    root = UnitFactory(name="Gốc")
    commune = UnitFactory(name="Xã", parent=root)
    hamlet = UnitFactory(name="Ấp", parent=commune)

    move_unit(commune, new_parent=None)

    assert shape(commune, hamlet) == [
        ("Xã", f"/{commune.id}/", 0),
        ("Ấp", f"/{commune.id}/{hamlet.id}/", 1),
    ]
    assert db.session.get(Unit, commune.id).parent_id is None


@pytest.mark.parametrize("size", [1, 12])
def test_move_updates_descendants_in_one_statement(size: int, count_queries) -> None:  # type: ignore[no-untyped-def]
    target = UnitFactory(name="Đích", kind=UnitKind.PROVINCE)
    moved = UnitFactory(name="Xã")
    hamlets = [UnitFactory(name=f"Ấp {n}", parent=moved) for n in range(size)]
    db.session.flush()

    with count_queries() as queries:
        move_unit(moved, new_parent=target)
    updates = [s for s in queries.statements if s.lstrip().upper().startswith("UPDATE")]

    # One UPDATE for the unit itself, one for all of its descendants, whatever their number.
    assert len(updates) == 2
    assert {u.depth for u in (db.session.get(Unit, h.id) for h in hamlets)} == {2}


def test_move_does_not_touch_units_whose_path_only_shares_a_prefix() -> None:
    # Unit 1's path "/1/" must not match "/10/…" or "/1x/…": the trailing slash separates.
    root = UnitFactory(name="Gốc")
    moved = UnitFactory(name="Xã", parent=root)
    others = [UnitFactory(name=f"Khác {n}") for n in range(12)]
    target = UnitFactory(name="Đích")
    before = shape(*others)

    move_unit(moved, new_parent=target)

    assert shape(*others) == before


@pytest.mark.parametrize("where", ["itself", "child", "grandchild"])
def test_move_under_itself_or_a_descendant_is_refused(where: str) -> None:
    unit, child, grandchild = chain(3)
    target = {"itself": unit, "child": child, "grandchild": grandchild}[where]
    before = shape(unit, child, grandchild)

    with pytest.raises(DomainError) as refused:
        move_unit(unit, new_parent=target)

    assert refused.value.field == "parent_id"
    assert shape(unit, child, grandchild) == before


def test_move_under_a_deactivated_unit_is_refused() -> None:
    unit = UnitFactory()
    closed = UnitFactory()
    dissolve(closed, on=date(2025, 7, 1))

    with pytest.raises(DomainError) as refused:
        move_unit(unit, new_parent=closed)

    assert refused.value.field == "parent_id"
    assert db.session.get(Unit, unit.id).parent_id is None


# --- deactivate / reactivate ---------------------------------------------------------------


def test_deactivate_cascades_to_the_subtree_and_sets_valid_to() -> None:
    district = UnitFactory(name="Huyện")
    commune, _hamlet, _team = chain(3, parent=district)
    UnitFactory(name="Xã bên", parent=district)
    UnitFactory(name="Ấp cũ", parent=commune, valid_to=date(2020, 1, 1))

    count = dissolve(commune, on=date(2025, 7, 1))

    assert count == 4
    db.session.expire_all()
    states = {
        u.name: (u.is_active, u.valid_to)
        for u in db.session.scalars(select(Unit).where(Unit.path.startswith(district.path)))
    }
    assert states == {
        "Huyện": (True, None),
        "Cấp 0": (False, date(2025, 7, 1)),
        "Cấp 1": (False, date(2025, 7, 1)),
        "Cấp 2": (False, date(2025, 7, 1)),
        "Xã bên": (True, None),
        "Ấp cũ": (False, date(2020, 1, 1)),  # an earlier end date is kept
    }


def test_deactivate_a_unit_that_starts_in_the_future() -> None:
    # A unit valid from a future date ends the day it starts, never before it (CHECK validity).
    unit = UnitFactory(valid_from=date(2025, 9, 1))

    dissolve(unit, on=date(2025, 7, 1))

    db.session.expire_all()
    stored = db.session.get(Unit, unit.id)
    assert (stored.is_active, stored.valid_from, stored.valid_to) == (
        False,
        date(2025, 9, 1),
        date(2025, 9, 1),
    )


def test_reactivate_clears_valid_to(keeper: User) -> None:
    unit = UnitFactory()
    dissolve(unit, on=date(2025, 7, 1))

    restore_unit(unit, actor=keeper)

    db.session.expire_all()
    stored = db.session.get(Unit, unit.id)
    assert (stored.is_active, stored.valid_to) == (True, None)


def test_reactivate_requires_an_active_parent(keeper: User) -> None:
    parent = UnitFactory(name="Huyện Chợ Lách")
    child = UnitFactory(parent=parent)
    dissolve(parent, on=date(2025, 7, 1))

    with pytest.raises(DomainError) as refused:
        restore_unit(child, actor=keeper)

    assert refused.value.message == "Reactivate the parent unit Huyện Chợ Lách first."
    assert db.session.get(Unit, child.id).is_active is False

    # The parent comes back with the units deactivated with it.
    assert restore_unit(parent, actor=keeper) == 2

    assert db.session.get(Unit, child.id).is_active is True


def test_reactivate_brings_back_the_units_deactivated_with_it(keeper: User) -> None:
    commune = UnitFactory(name="Xã Vĩnh Thành")
    hamlet = UnitFactory(name="Ấp Vĩnh Phú", kind=UnitKind.HAMLET, parent=commune)
    team = UnitFactory(name="Tổ công nghệ số ấp Vĩnh Phú", kind=UnitKind.TEAM, parent=hamlet)
    office = UnitFactory(name="Hội Nông dân xã", kind=UnitKind.ASSOCIATION, parent=commune)
    earlier = UnitFactory(name="Ấp Thành An", kind=UnitKind.HAMLET, parent=commune)
    dissolve(earlier, on=date(2025, 3, 1))
    assert dissolve(commune, on=date(2025, 7, 1)) == 4

    assert [u.name for u in deactivated_with(commune)] == [hamlet.name, office.name, team.name]
    count = restore_unit(commune, actor=keeper)

    assert count == 4
    db.session.expire_all()
    states = {u.name: (u.is_active, u.valid_to) for u in (commune, hamlet, team, office, earlier)}
    assert states == {
        "Xã Vĩnh Thành": (True, None),
        "Ấp Vĩnh Phú": (True, None),
        "Tổ công nghệ số ấp Vĩnh Phú": (True, None),
        "Hội Nông dân xã": (True, None),
        "Ấp Thành An": (False, date(2025, 3, 1)),  # deactivated on its own before: stays so
    }
    restored = db.session.scalars(
        select(AuditEvent.object_id).where(AuditEvent.action == "restore")
    ).all()
    assert sorted(restored) == sorted([commune.id, hamlet.id, team.id, office.id])


def test_a_sub_unit_deactivated_again_on_its_own_stays_deactivated(keeper: User) -> None:
    commune = UnitFactory(name="Xã Vĩnh Thành")
    hamlet = UnitFactory(name="Ấp Vĩnh Phú", kind=UnitKind.HAMLET, parent=commune)
    dissolve(commune, on=date(2025, 7, 1))
    restore_unit(commune, actor=keeper)
    dissolve(hamlet, on=date(2025, 8, 1))
    dissolve(commune, on=date(2025, 9, 1))

    assert restore_unit(commune, actor=keeper) == 1

    assert db.session.get(Unit, hamlet.id).is_active is False


def test_reactivating_a_subtree_is_all_or_nothing(keeper: User) -> None:
    commune = UnitFactory(name="Xã Vĩnh Thành")
    UnitFactory(name="Phòng Văn hóa", kind=UnitKind.DEPARTMENT, code="VH-1", parent=commune)
    dissolve(commune, on=date(2025, 7, 1))
    UnitFactory(name="Phòng Văn hóa mới", kind=UnitKind.DEPARTMENT, code="VH-1")

    with pytest.raises(DomainError) as refused:
        restore_unit(commune, actor=keeper)

    assert refused.value.message == (
        "The administrative code VH-1 is now used by Phòng Văn hóa mới: change that unit's "
        "code first."
    )
