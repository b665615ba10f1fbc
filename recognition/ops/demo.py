"""Demo data from the Chợ Lách story: real places, fictional people. Never used in production."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.auth.models import RoleGrant, User
from recognition.auth.passwords import hash_password
from recognition.common.text import fold, sort_string
from recognition.council.models import CouncilMember
from recognition.database import local_today
from recognition.extensions import db
from recognition.ops.demo_catalogue import seed_catalogue
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from recognition.units.services import UnitData, create_unit
from recognition.units.settings import stored_settings

DEMO_PASSWORD = "demo"  # demo accounts only  # noqa: S105  # nosec B105

# Communes and the town of Chợ Lách district (codes from the national list of administrative
# units, as before the 2025 reorganisation), each with a few hamlets.
COMMUNES = [
    ("28810", "Thị trấn Chợ Lách", UnitKind.TOWNSHIP, ["Khu phố 1", "Khu phố 2", "Khu phố 3"]),
    ("28813", "Xã Phú Phụng", UnitKind.COMMUNE, ["Ấp Phú Hòa", "Ấp Phú Thuận", "Ấp Phú Lợi"]),
    ("28816", "Xã Sơn Định", UnitKind.COMMUNE, ["Ấp Sơn Lân", "Ấp Sơn Qui", "Ấp Định Bình"]),
    ("28819", "Xã Vĩnh Bình", UnitKind.COMMUNE, ["Ấp Vĩnh Hưng", "Ấp Vĩnh Chính", "Ấp Vĩnh An"]),
    ("28822", "Xã Hòa Nghĩa", UnitKind.COMMUNE, ["Ấp Hòa Thạnh", "Ấp Hòa Khánh", "Ấp Nghĩa Huấn"]),
    ("28825", "Xã Long Thới", UnitKind.COMMUNE, ["Ấp Long Hiệp", "Ấp Long Khánh", "Ấp Long Hội"]),
    ("28828", "Xã Phú Sơn", UnitKind.COMMUNE, ["Ấp Phú Hiệp", "Ấp Phú Thạnh", "Ấp Sơn Phú"]),
    ("28831", "Xã Tân Thiềng", UnitKind.COMMUNE, ["Ấp Tân Hòa", "Ấp Tân Thuận", "Ấp Thiềng Đức"]),
    ("28834", "Xã Vĩnh Thành", UnitKind.COMMUNE, ["Ấp Vĩnh Phú", "Ấp Vĩnh Thới", "Ấp Thành An"]),
    ("28837", "Xã Vĩnh Hòa", UnitKind.COMMUNE, ["Ấp Hòa Phú", "Ấp Vĩnh Lợi", "Ấp Hòa Lợi"]),
    (
        "28840",
        "Xã Hưng Khánh Trung B",
        UnitKind.COMMUNE,
        ["Ấp Hưng Hòa", "Ấp Hưng Nhơn", "Ấp Khánh Hòa"],
    ),
]

DISTRICT_OFFICES = [
    ("832-VP", "Văn phòng HĐND và UBND huyện Chợ Lách", UnitKind.DEPARTMENT),
    ("832-NV", "Phòng Nội vụ huyện Chợ Lách", UnitKind.DEPARTMENT),
    ("832-HND", "Hội Nông dân huyện Chợ Lách", UnitKind.ASSOCIATION),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    position: str
    role: Role
    unit_code: str


ACCOUNTS = [
    DemoAccount("admin", "Lê Quốc Khánh", "Quản trị hệ thống", Role.ADMIN, "83"),
    DemoAccount(
        "thuky",
        "Nguyễn Thị Thu Hà",
        "Phó Trưởng phòng Nội vụ, Thường trực Hội đồng",
        Role.SECRETARIAT,
        "832",
    ),
    DemoAccount(
        "chutich", "Trần Văn Minh", "Chủ tịch UBND huyện, Chủ tịch Hội đồng", Role.CHAIR, "832"
    ),
    DemoAccount(
        "hoidong1", "Phạm Thanh Tùng", "Phó Chủ tịch UBND huyện", Role.COUNCIL_MEMBER, "832"
    ),
    DemoAccount("hoidong2", "Võ Thị Ngọc Lan", "Trưởng phòng Nội vụ", Role.COUNCIL_MEMBER, "832"),
    DemoAccount(
        "hoidong3", "Huỳnh Văn Đức", "Chủ tịch Ủy ban MTTQ huyện", Role.COUNCIL_MEMBER, "832"
    ),
    DemoAccount("hoidong4", "Đặng Minh Trí", "Trưởng phòng Kinh tế", Role.COUNCIL_MEMBER, "832"),
    DemoAccount(
        "hoidong5",
        "Bùi Thị Kim Phượng",
        "Chủ tịch Hội Liên hiệp Phụ nữ huyện",
        Role.COUNCIL_MEMBER,
        "832",
    ),
    DemoAccount("hoidong6", "Ngô Văn Hậu", "Bí thư Huyện đoàn", Role.COUNCIL_MEMBER, "832"),
    DemoAccount(
        "hoidong7", "Lâm Thị Diễm", "Chủ tịch Liên đoàn Lao động huyện", Role.COUNCIL_MEMBER, "832"
    ),
    DemoAccount(
        "xa.sondinh",
        "Trương Văn Sang",
        "Công chức Văn hóa - Xã hội xã Sơn Định",
        Role.NOMINATOR,
        "28816",
    ),
    DemoAccount(
        "xa.vinhthanh",
        "Nguyễn Thị Mỹ Duyên",
        "Công chức Văn phòng - Thống kê xã Vĩnh Thành",
        Role.NOMINATOR,
        "28834",
    ),
]


def _unit(
    code: str | None, name: str, kind: UnitKind, parent: Unit | None, *, awarding_body: bool = False
) -> Unit:
    """The unit with this code (or name under parent), created when missing."""
    query = select(Unit)
    if code:
        query = query.where(Unit.code == code)
    else:
        query = query.where(Unit.name == name, Unit.parent_id == (parent.id if parent else None))
    existing = db.session.scalars(query).first()
    if existing is not None:
        return existing
    data = UnitData(name=name, kind=kind, code=code, is_awarding_body=awarding_body)
    return create_unit(data, parent=parent)


def _account(spec: DemoAccount, units: dict[str, Unit]) -> User:
    user = db.session.scalar(select(User).where(User.username == spec.username))
    if user is None:
        user = User(
            username=spec.username,
            full_name=spec.full_name,
            full_name_folded=fold(spec.full_name),
            full_name_sort=sort_string(spec.full_name),
            position=spec.position,
            password_hash=hash_password(DEMO_PASSWORD),
            session_version=1,
        )
        db.session.add(user)
        db.session.flush()
    unit = units[spec.unit_code]
    has_grant = db.session.scalar(
        select(RoleGrant.id).where(
            RoleGrant.user_id == user.id,
            RoleGrant.unit_id == unit.id,
            RoleGrant.role == spec.role.value,
        )
    )
    if has_grant is None:
        db.session.add(RoleGrant(user=user, unit=unit, role=spec.role.value))
    return user


# Seats on the district's emulation and commendation council (term 2021 - 2026).
COUNCIL = [
    ("chutich", "chair"),
    ("hoidong1", "vice_chair"),
    ("thuky", "standing"),
    ("hoidong2", "member"),
    ("hoidong3", "member"),
    ("hoidong4", "member"),
    ("hoidong5", "member"),
    ("hoidong6", "member"),
    ("hoidong7", "secretary"),
]


def _council(district: Unit) -> None:
    for username, role in COUNCIL:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            continue
        seated = db.session.scalar(
            select(CouncilMember.id).where(
                CouncilMember.awarding_body_id == district.id, CouncilMember.user_id == user.id
            )
        )
        if seated is None:
            db.session.add(
                CouncilMember(
                    awarding_body=district, user=user, role=role, term_start=date(2021, 7, 1)
                )
            )


def _settings(district: Unit) -> None:
    settings = stored_settings(district)
    if not settings.signer_name:
        settings.signer_name = "Trần Văn Minh"
        settings.issuer_name = "ỦY BAN NHÂN DÂN HUYỆN CHỢ LÁCH"


def seed_demo() -> dict[str, int]:
    """Create whatever of the demo data is missing; safe to run again (nothing is overwritten)."""
    units_before = db.session.scalar(select(db.func.count(Unit.id))) or 0
    province = _unit("83", "Tỉnh Bến Tre", UnitKind.PROVINCE, None, awarding_body=True)
    district = _unit("832", "Huyện Chợ Lách", UnitKind.DISTRICT, province, awarding_body=True)
    units = {"83": province, "832": district}
    for code, name, kind in DISTRICT_OFFICES:
        units[code] = _unit(code, name, kind, district)
    for code, name, kind, hamlets in COMMUNES:
        commune = _unit(code, name, kind, district, awarding_body=True)
        units[code] = commune
        for hamlet_name in hamlets:
            hamlet = _unit(None, hamlet_name, UnitKind.HAMLET, commune)
            _unit(
                None,
                f"Tổ công nghệ số cộng đồng {hamlet_name.replace('Ấp ', 'ấp ')}",
                UnitKind.TEAM,
                hamlet,
            )
    accounts = {spec.username: _account(spec, units) for spec in ACCOUNTS}
    seed_catalogue(district, today=local_today(), secretariat=accounts["thuky"])
    _council(district)
    _settings(district)
    db.session.flush()
    units_after = db.session.scalar(select(db.func.count(Unit.id))) or 0
    return {"units_created": units_after - units_before, "accounts": len(ACCOUNTS)}
