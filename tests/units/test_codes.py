"""Administrative codes name a unit within its validity period: a successor may take up a
predecessor's code, and every lookup by code finds the unit in use."""

from collections.abc import Iterator
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.units.enums import UnitKind
from recognition.units.importing import ImportFailed, import_units_csv
from recognition.units.models import Unit
from recognition.units.services import (
    UnitData,
    create_unit,
    unit_by_code,
    units_by_code,
    update_unit,
)
from recognition.units.workflow import merge_unit, restore_unit
from tests.support.factories import UnitFactory, user_with

pytestmark = pytest.mark.integration

HEADER = "code,name,kind,parent_code,valid_from,valid_to,awarding_body,successor_code"
MERGED_ON = date(2025, 6, 30)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with force_locale("en"):
        yield


@pytest.fixture
def admin() -> User:
    return user_with(Role.ADMIN, UnitFactory(name="Văn phòng quản trị", code="ADM"))


@pytest.fixture
def province() -> Unit:
    return UnitFactory(name="Tỉnh Vĩnh Long", kind=UnitKind.PROVINCE, code="86")


def merged_vinh_binh(province: Unit, admin: User) -> tuple[Unit, Unit]:
    """Xã Vĩnh Bình (28879) merged into a new Xã Phú Phụng that then takes up its code."""
    old = UnitFactory(name="Xã Vĩnh Bình", code="28879", parent=province)
    new = create_unit(UnitData(name="Xã Phú Phụng", kind=UnitKind.COMMUNE), parent=province)
    merge_unit(old, successor=new, actor=admin, on=MERGED_ON)
    update_unit(new, UnitData(name="Xã Phú Phụng", kind=UnitKind.COMMUNE, code="28879"))
    return old, new


def test_a_successor_takes_up_its_predecessors_code(province: Unit, admin: User) -> None:
    old, new = merged_vinh_binh(province, admin)
    db.session.expire_all()

    holders = db.session.execute(
        select(Unit.name, Unit.state, Unit.valid_to).where(Unit.code == "28879").order_by(Unit.id)
    ).all()

    assert holders == [
        ("Xã Vĩnh Bình", "merged", MERGED_ON),
        ("Xã Phú Phụng", "active", None),
    ]
    assert old.successor == new


def test_lookups_by_code_find_the_unit_in_use(province: Unit, admin: User) -> None:
    _old, new = merged_vinh_binh(province, admin)
    gone = UnitFactory(name="Xã Tân Thiềng", code="28891", parent=province)
    merge_unit(gone, successor=new, actor=admin, on=MERGED_ON)

    assert unit_by_code("28879") == new
    # A code no unit in use holds still finds the unit that had it.
    assert unit_by_code("28891") == gone
    assert unit_by_code("99999") is None
    assert units_by_code(["28879", "28891", "99999", ""]) == {"28879": new, "28891": gone}


def test_the_database_refuses_two_units_in_use_with_one_code(province: Unit) -> None:
    UnitFactory(name="Xã Phú Phụng", code="28879", parent=province)
    # Straight to the table, past the service's own check.
    twin = Unit(name="Xã Vĩnh Bình", name_folded="xa vinh binh", name_sort="", kind="commune")
    twin.code = "28879"

    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(twin)
        db.session.flush()


def test_a_code_in_use_is_refused_and_a_retired_one_is_free(province: Unit, admin: User) -> None:
    old = UnitFactory(name="Xã Vĩnh Bình", code="28879", parent=province)
    data = UnitData(name="Xã Phú Phụng", kind=UnitKind.COMMUNE, code="28879")

    with pytest.raises(DomainError) as refused:
        create_unit(data, parent=province)
    merge_unit(old, successor=province, actor=admin, on=MERGED_ON)
    new = create_unit(data, parent=province)

    assert (refused.value.field, refused.value.message) == (
        "code",
        "The administrative code 28879 is already used by another unit.",
    )
    assert (new.code, unit_by_code("28879")) == ("28879", new)


def test_an_ended_unit_keeps_its_code_when_edited(province: Unit, admin: User) -> None:
    old, new = merged_vinh_binh(province, admin)

    update_unit(
        old,
        UnitData(
            name="Xã Vĩnh Bình (cũ)",
            kind=UnitKind.COMMUNE,
            code="28879",
            valid_to=MERGED_ON,
            successor=new,
        ),
    )

    assert (old.name, old.code, old.state) == ("Xã Vĩnh Bình (cũ)", "28879", "merged")


def test_a_unit_whose_code_was_taken_up_is_not_restored(province: Unit, admin: User) -> None:
    old, _new = merged_vinh_binh(province, admin)

    with pytest.raises(DomainError) as refused:
        restore_unit(old, actor=admin)

    assert refused.value.message == (
        "The administrative code 28879 is now used by Xã Phú Phụng: change that unit's code first."
    )
    assert old.state == "merged"


def test_import_reuses_a_retired_code_and_hangs_rows_under_the_unit_in_use(
    province: Unit, admin: User
) -> None:
    _old, new = merged_vinh_binh(province, admin)
    gone = UnitFactory(name="Xã Sơn Định", code="28876", parent=province)
    merge_unit(gone, successor=new, actor=admin, on=MERGED_ON)
    raw = "\n".join(
        [
            HEADER,
            "28876-SQ,Ấp Sơn Qui,ấp,28879,,,0,",
            "28876,Xã Sơn Định mới,xã,86,01/07/2025,,1,",
        ]
    ).encode()

    hamlet, commune = import_units_csv(raw)

    assert (commune.code, commune.state, hamlet.parent) == ("28876", "active", new)
    assert unit_by_code("28876") == commune


def test_import_refuses_a_code_in_use(province: Unit, admin: User) -> None:
    merged_vinh_binh(province, admin)
    raw = "\n".join([HEADER, "28879,Xã Vĩnh Bình,xã,86,,,1,"]).encode()

    with pytest.raises(ImportFailed) as failed:
        import_units_csv(raw)

    assert [(e.line, e.message) for e in failed.value.errors] == [
        (2, "The code 28879 is already used by Xã Phú Phụng: the import adds new units only.")
    ]
