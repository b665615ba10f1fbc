"""Accounts and role grants kept by administrators: services and the user-list query."""

import re
from collections.abc import Iterator
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from recognition.admin.queries import users_for_admin
from recognition.admin.services import (
    UserData,
    create_user,
    grant_role,
    reset_password,
    revoke_grant,
    update_user,
)
from recognition.auth.enums import AccountAction, Role
from recognition.auth.models import RoleGrant, User
from recognition.auth.passwords import verify_password
from recognition.auth.services import authenticate
from recognition.auth.workflow import LIFECYCLE as ACCOUNT_LIFE
from recognition.auth.workflow import disable_user, enable_user
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from recognition.units.workflow import dissolve_unit
from tests.conftest import PASSWORD
from tests.support.factories import UnitFactory, UserFactory, grant, user_with

pytestmark = pytest.mark.integration

TEMPORARY = re.compile(r"[a-hj-km-np-z2-9]{4}-[a-hj-km-np-z2-9]{4}-[a-hj-km-np-z2-9]{4}")
STRONG = "Mua-xuan-tren-song-7"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with force_locale("en"):
        yield


@pytest.fixture
def root() -> Unit:
    return UnitFactory(
        name="Tỉnh Bến Tre", kind=UnitKind.PROVINCE, code="83", is_awarding_body=True
    )


@pytest.fixture
def admin(root: Unit) -> User:
    return user_with(Role.ADMIN, root, full_name="Lê Quốc Khánh")


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


# --- create and edit -----------------------------------------------------------------------


def test_create_user_without_password_makes_a_temporary_one() -> None:
    user, temporary = create_user(
        UserData(
            username="  Xa.SonDinh ",
            full_name=" Trương  Văn Sang ",
            email="sang@example.vn",
            position="Công chức Văn hóa - Xã hội",
        )
    )

    assert temporary is not None
    assert TEMPORARY.fullmatch(temporary)
    stored = fresh(user)
    assert (stored.username, stored.full_name, stored.full_name_folded) == (
        "xa.sondinh",
        "Trương Văn Sang",
        "truong van sang",
    )
    assert (stored.email, stored.position) == ("sang@example.vn", "Công chức Văn hóa - Xã hội")
    assert stored.must_change_password is True
    assert verify_password(stored, temporary) is True


def test_temporary_passwords_differ() -> None:
    _, first = create_user(UserData(username="mot", full_name="Người Một"))
    _, second = create_user(UserData(username="hai", full_name="Người Hai"))

    assert first != second


def test_create_user_with_an_initial_password() -> None:
    user, temporary = create_user(
        UserData(username="thuky", full_name="Nguyễn Thị Thu Hà"), password=STRONG
    )

    assert temporary is None
    assert fresh(user).must_change_password is True
    assert verify_password(fresh(user), STRONG) is True


def test_weak_initial_password_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        create_user(UserData(username="thuky", full_name="Nguyễn Thị Thu Hà"), password="thuky")

    assert refused.value.field == "password"
    assert db.session.scalar(select(User).where(User.username == "thuky")) is None


def test_duplicate_username_is_refused_whatever_its_case() -> None:
    UserFactory(username="nguyen.a")

    with pytest.raises(DomainError) as refused:
        create_user(UserData(username="Nguyen.A", full_name="Nguyễn Văn A"))

    assert (refused.value.field, refused.value.message) == (
        "username",
        "The user name nguyen.a is already taken.",
    )


def test_empty_full_name_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        create_user(UserData(username="trong", full_name=" \u200b "))

    assert refused.value.field == "full_name"


def test_update_user(admin: User) -> None:
    user = UserFactory(username="cu", full_name="Tên Cũ")

    update_user(
        user,
        UserData(username="moi", full_name="Nguyễn Thị Mỹ Duyên", email="", position=""),
        actor=admin,
    )

    stored = fresh(user)
    assert (stored.username, stored.full_name, stored.full_name_folded, stored.email) == (
        "moi",
        "Nguyễn Thị Mỹ Duyên",
        "nguyen thi my duyen",
        None,
    )


def test_update_user_may_keep_its_username_but_not_take_anothers(admin: User) -> None:
    UserFactory(username="taken")
    user = UserFactory(username="mine")

    update_user(user, UserData(username="mine", full_name="Tên Mới"), actor=admin)
    with pytest.raises(DomainError) as refused:
        update_user(user, UserData(username="taken", full_name="Tên Mới"), actor=admin)

    assert refused.value.field == "username"
    assert fresh(user).username == "mine"


# --- disable, enable, reset ----------------------------------------------------------------


def test_disable_user_ends_its_sessions(admin: User) -> None:
    user = UserFactory()
    version = user.session_version

    disable_user(user, actor=admin)

    stored = fresh(user)
    assert stored.disabled_at is not None
    assert stored.is_active is False
    assert stored.session_version == version + 1
    assert authenticate(username=stored.username, password=PASSWORD) is None


def test_cannot_disable_yourself(admin: User, root: Unit) -> None:
    user_with(Role.ADMIN, root)  # another admin: only the self rule applies

    with pytest.raises(DomainError) as refused:
        disable_user(admin, actor=admin)

    assert refused.value.message == "You cannot disable your own account."
    assert fresh(admin).disabled_at is None


def test_cannot_disable_the_last_active_admin(admin: User, root: Unit) -> None:
    other_admin = user_with(Role.ADMIN, root)
    disable_user(other_admin, actor=admin)
    refusal = ACCOUNT_LIFE.refusal(admin, AccountAction.DISABLE)

    assert refusal == "This is the last active administrator; keep at least one."
    assert fresh(admin).disabled_at is None


def test_an_admin_grant_on_a_deactivated_unit_does_not_count(admin: User, root: Unit) -> None:
    closed = UnitFactory(name="Huyện Đã Giải Thể", parent=root)
    former = user_with(Role.ADMIN, closed)
    dissolve_unit(closed, actor=admin, on=date(2025, 7, 1))
    assert fresh(former).is_admin is False
    refusal = ACCOUNT_LIFE.refusal(admin, AccountAction.DISABLE)

    assert refusal == "This is the last active administrator; keep at least one."
    assert fresh(admin).disabled_at is None


def test_disabling_an_admin_is_allowed_while_another_remains(admin: User, root: Unit) -> None:
    other_admin = user_with(Role.ADMIN, root)

    disable_user(other_admin, actor=admin)

    assert fresh(other_admin).disabled_at is not None


def test_enable_user(admin: User) -> None:
    user = UserFactory()
    disable_user(user, actor=admin)

    enable_user(user, actor=admin)

    assert fresh(user).disabled_at is None
    assert authenticate(username=user.username, password=PASSWORD) is not None


def test_reset_password_replaces_the_old_one(admin: User) -> None:
    user = UserFactory()
    version = user.session_version

    temporary = reset_password(user, actor=admin)

    assert TEMPORARY.fullmatch(temporary)
    stored = fresh(user)
    assert stored.must_change_password is True
    assert stored.session_version == version + 1
    assert stored.password_changed_at is not None
    assert authenticate(username=user.username, password=PASSWORD) is None
    assert authenticate(username=user.username, password=temporary) == stored


# --- grants --------------------------------------------------------------------------------


def test_grant_role(admin: User, root: Unit) -> None:
    user = UserFactory()
    commune = UnitFactory(name="Xã Sơn Định", parent=root)

    granted = grant_role(user, role=Role.NOMINATOR, unit=commune, actor=admin)

    db.session.expire_all()
    stored = db.session.get(RoleGrant, granted.id)
    assert (stored.user_id, stored.unit_id, stored.role, stored.granted_by_id) == (
        user.id,
        commune.id,
        "nominator",
        admin.id,
    )
    assert fresh(user).roles == {Role.NOMINATOR}


@pytest.mark.parametrize(
    ("role", "label"),
    [
        (Role.SECRETARIAT, "Secretariat"),
        (Role.COUNCIL_MEMBER, "Council member"),
        (Role.CHAIR, "Chair"),
    ],
)
def test_awarding_body_roles_need_an_awarding_body(
    admin: User, root: Unit, role: Role, label: str
) -> None:
    user = UserFactory()
    hamlet = UnitFactory(name="Ấp Sơn Lân", kind=UnitKind.HAMLET, parent=root)

    with pytest.raises(DomainError) as refused:
        grant_role(user, role=role, unit=hamlet, actor=admin)

    assert (refused.value.field, refused.value.message) == (
        "unit_id",
        f"{label} can only be granted on an awarding body; Ấp Sơn Lân is not one.",
    )
    assert fresh(user).grants == []
    grant_role(user, role=role, unit=root, actor=admin)
    assert fresh(user).roles == {role}


def test_duplicate_grant_is_refused(admin: User, root: Unit) -> None:
    user = UserFactory(full_name="Nguyễn Thị Thu Hà")
    grant_role(user, role=Role.SECRETARIAT, unit=root, actor=admin)

    with pytest.raises(DomainError) as refused:
        grant_role(user, role=Role.SECRETARIAT, unit=root, actor=admin)

    assert refused.value.message == "Nguyễn Thị Thu Hà already has this role on Tỉnh Bến Tre."
    assert len(fresh(user).grants) == 1


def test_grant_on_a_deactivated_unit_is_refused(admin: User, root: Unit) -> None:
    closed = UnitFactory(parent=root)
    dissolve_unit(closed, actor=admin, on=date(2025, 7, 1))
    user = UserFactory()

    with pytest.raises(DomainError) as refused:
        grant_role(user, role=Role.NOMINATOR, unit=closed, actor=admin)

    assert refused.value.field == "unit_id"
    assert fresh(user).grants == []


def test_revoke_grant(admin: User, root: Unit) -> None:
    user = user_with(Role.NOMINATOR, root)
    grant(user, Role.SECRETARIAT, root)
    nominator = next(g for g in user.grants if g.role == "nominator")

    revoke_grant(nominator, actor=admin)

    assert [g.role for g in fresh(user).grants] == ["secretariat"]
    assert db.session.get(RoleGrant, nominator.id) is None


def test_last_admin_keeps_their_admin_grant(admin: User) -> None:
    admin_grant = admin.grants[0]

    with pytest.raises(DomainError) as refused:
        revoke_grant(admin_grant, actor=admin)

    assert refused.value.message == "This is the last active administrator; keep at least one."
    assert fresh(admin).is_admin is True


def test_admin_grant_may_go_while_another_admin_remains(admin: User, root: Unit) -> None:
    other = user_with(Role.ADMIN, root)

    revoke_grant(other.grants[0], actor=admin)

    assert fresh(other).is_admin is False


def test_a_second_admin_grant_of_the_last_admin_may_go(admin: User, root: Unit) -> None:
    district = UnitFactory(parent=root)
    extra = grant(admin, Role.ADMIN, district)

    revoke_grant(extra, actor=admin)

    assert [g.unit_id for g in fresh(admin).grants] == [root.id]


def test_last_admin_keeps_the_active_grant_when_the_other_is_on_a_closed_unit(
    admin: User, root: Unit
) -> None:
    closed = UnitFactory(parent=root)
    grant(admin, Role.ADMIN, closed)
    dissolve_unit(closed, actor=admin, on=date(2025, 7, 1))
    active = next(g for g in fresh(admin).grants if g.unit_id == root.id)

    with pytest.raises(DomainError):
        revoke_grant(active, actor=admin)

    assert fresh(admin).is_admin is True


# --- the user list query -------------------------------------------------------------------


def names(**filters: str) -> list[str]:
    return [user.full_name for user in db.session.scalars(users_for_admin(**filters))]


@pytest.fixture
def people() -> dict[str, User]:
    return {
        name: UserFactory(full_name=name, username=username)
        for name, username in [
            ("Nguyễn Thị Thu Hà", "thuky"),
            ("Trần Văn Minh", "chutich"),
            ("Nguyễn Thị Mỹ Duyên", "xa.vinhthanh"),
            ("Nguyễn Văn An", "nguyen.van.an"),
            ("Trần Thị Nguyên", "nguyen.tran"),
            ("Đặng Minh Trí", "hoidong4"),
            ("Dương Văn Dũng", "duong"),
        ]
    }


def test_users_in_vietnamese_order(people: dict[str, User]) -> None:
    assert names() == [
        "Dương Văn Dũng",
        "Đặng Minh Trí",
        "Nguyễn Thị Mỹ Duyên",
        "Nguyễn Thị Thu Hà",
        "Nguyễn Văn An",
        "Trần Thị Nguyên",
        "Trần Văn Minh",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nguyen thi", ["Nguyễn Thị Mỹ Duyên", "Nguyễn Thị Thu Hà"]),
        ("NGUYỄN  THỊ", ["Nguyễn Thị Mỹ Duyên", "Nguyễn Thị Thu Hà"]),
        ("dang", ["Đặng Minh Trí"]),
        ("minh", ["Đặng Minh Trí", "Trần Văn Minh"]),
        ("xa.vinh", ["Nguyễn Thị Mỹ Duyên"]),
        (
            "nguyen",
            ["Nguyễn Thị Mỹ Duyên", "Nguyễn Thị Thu Hà", "Nguyễn Văn An", "Trần Thị Nguyên"],
        ),
        ("50%", []),
    ],
)
def test_search_ignores_diacritics_and_case(
    people: dict[str, User], text: str, expected: list[str]
) -> None:
    assert names(text=text) == expected


def test_status_filter(people: dict[str, User], admin: User) -> None:
    disable_user(people["Trần Văn Minh"], actor=admin)

    assert names(text="tran", status="disabled") == ["Trần Văn Minh"]
    assert names(text="tran", status="active") == ["Trần Thị Nguyên"]
    assert names(text="tran", status="all") == ["Trần Thị Nguyên", "Trần Văn Minh"]
