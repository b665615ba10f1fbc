"""The Chợ Lách demo data: complete, and safe to load twice."""

import pytest
from sqlalchemy import func, select

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.auth.services import authenticate
from recognition.extensions import db
from recognition.ops.demo import ACCOUNTS, COMMUNES, DEMO_PASSWORD, seed_demo
from recognition.units.models import Unit

pytestmark = pytest.mark.integration


def count_units() -> int:
    return db.session.scalar(select(func.count(Unit.id))) or 0


def unit(code: str) -> Unit:
    return db.session.scalars(select(Unit).where(Unit.code == code)).one()


def test_seed_twice_creates_the_tree_once() -> None:
    first = seed_demo()
    units = count_units()
    users = db.session.scalar(select(func.count(User.id)))

    second = seed_demo()

    # Province, district, 3 offices, 11 communes/town, 3 hamlets each with one team.
    assert first == {"units_created": 2 + 3 + 11 + 11 * 3 * 2, "accounts": 12}
    assert second == {"units_created": 0, "accounts": 12}
    assert count_units() == units == 82
    assert db.session.scalar(select(func.count(User.id))) == users == 12


def test_demo_accounts_exist_with_their_roles() -> None:
    seed_demo()
    db.session.expire_all()

    accounts = {
        user.username: sorted((grant.role, grant.unit.code) for grant in user.grants)
        for user in db.session.scalars(select(User))
    }

    assert accounts == {
        "admin": [("admin", "83")],
        "thuky": [("secretariat", "832")],
        "chutich": [("chair", "832")],
        **{f"hoidong{n}": [("council_member", "832")] for n in range(1, 8)},
        "xa.sondinh": [("nominator", "28816")],
        "xa.vinhthanh": [("nominator", "28834")],
    }
    assert len(ACCOUNTS) == 12


def test_the_demo_password_works_for_every_account() -> None:
    seed_demo()

    for spec in ACCOUNTS:
        user = authenticate(username=spec.username, password=DEMO_PASSWORD)
        assert user is not None, spec.username
        assert (user.full_name, user.is_active) == (spec.full_name, True)
    assert authenticate(username="thuky", password="not-demo") is None


def test_roles_are_effective() -> None:
    seed_demo()
    db.session.expire_all()
    by_name = {u.username: u for u in db.session.scalars(select(User))}

    assert by_name["admin"].is_admin is True
    assert by_name["xa.sondinh"].has_role(Role.NOMINATOR, unit("28816")) is True
    assert by_name["xa.sondinh"].has_role(Role.NOMINATOR, unit("28834")) is False
    assert by_name["chutich"].roles == {Role.CHAIR}


def test_cho_lach_district_is_an_awarding_body_over_eleven_communes() -> None:
    seed_demo()
    db.session.expire_all()
    district = unit("832")

    communes = sorted(
        (child.code, child.name, child.kind, child.is_awarding_body)
        for child in district.children
        if child.kind in ("commune", "township")
    )

    assert (district.name, district.kind, district.is_awarding_body) == (
        "Huyện Chợ Lách",
        "district",
        True,
    )
    assert district.parent.code == "83"
    assert communes == sorted((code, name, kind.value, True) for code, name, kind, _ in COMMUNES)
    assert len(communes) == 11
    assert [c[1] for c in communes if c[2] == "township"] == ["Thị trấn Chợ Lách"]


def test_each_commune_has_its_hamlets_and_their_teams() -> None:
    seed_demo()
    db.session.expire_all()
    son_dinh = unit("28816")

    hamlets = sorted(child.name for child in son_dinh.children)
    teams = sorted(team.name for hamlet in son_dinh.children for team in hamlet.children)

    assert hamlets == ["Ấp Sơn Lân", "Ấp Sơn Qui", "Ấp Định Bình"]
    assert teams == [
        "Tổ công nghệ số cộng đồng ấp Sơn Lân",
        "Tổ công nghệ số cộng đồng ấp Sơn Qui",
        "Tổ công nghệ số cộng đồng ấp Định Bình",
    ]
    deepest = son_dinh.children[0].children[0]
    assert (deepest.depth, deepest.path.startswith(son_dinh.path)) == (4, True)
