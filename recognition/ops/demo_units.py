"""The demo's places: Chợ Lách district as it was until 30 June 2025 and the four communes of
Vĩnh Long province that replaced it (NQ 1687/NQ-UBTVQH15 of 16-6-2025). Real places and codes
from the national list of administrative units; the hamlets are those of the story."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from recognition.extensions import db
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from recognition.units.services import UnitData, create_unit

# The last day of the district level: the new communes start on 1 July 2025 (Law 72/2025/QH15).
LAST_DAY = date(2025, 6, 30)
FIRST_DAY = date(2025, 7, 1)

OLD_PROVINCE = ("83", "Tỉnh Bến Tre")
OLD_DISTRICT = ("832", "Huyện Chợ Lách")
PROVINCE = ("86", "Tỉnh Vĩnh Long")


@dataclass(frozen=True)
class OldCommune:
    code: str
    name: str
    kind: UnitKind
    hamlets: tuple[str, ...]
    successor: str  # the code of the new commune formed from it


OLD_COMMUNES = [
    OldCommune(
        "28870", "Thị trấn Chợ Lách", UnitKind.TOWNSHIP, ("Khu phố 1", "Khu phố 2"), "28870"
    ),
    OldCommune("28873", "Xã Phú Phụng", UnitKind.COMMUNE, ("Ấp Phú Hòa", "Ấp Phú Thuận"), "28879"),
    OldCommune(
        "28876",
        "Xã Sơn Định",
        UnitKind.COMMUNE,
        ("Ấp Sơn Lân", "Ấp Sơn Qui", "Ấp Định Bình"),
        "28879",
    ),
    OldCommune(
        "28879", "Xã Vĩnh Bình", UnitKind.COMMUNE, ("Ấp Vĩnh Hưng", "Ấp Vĩnh Chính"), "28879"
    ),
    OldCommune(
        "28882", "Xã Hòa Nghĩa", UnitKind.COMMUNE, ("Ấp Hòa Thạnh", "Ấp Nghĩa Huấn"), "28870"
    ),
    OldCommune(
        "28885", "Xã Long Thới", UnitKind.COMMUNE, ("Ấp Long Hiệp", "Ấp Long Khánh"), "28870"
    ),
    OldCommune("28888", "Xã Phú Sơn", UnitKind.COMMUNE, ("Ấp Phú Hiệp", "Ấp Sơn Phú"), "28894"),
    OldCommune(
        "28891", "Xã Tân Thiềng", UnitKind.COMMUNE, ("Ấp Tân Hòa", "Ấp Thiềng Đức"), "28894"
    ),
    OldCommune("28894", "Xã Vĩnh Thành", UnitKind.COMMUNE, ("Ấp Vĩnh Phú", "Ấp Thành An"), "28894"),
    OldCommune("28897", "Xã Vĩnh Hòa", UnitKind.COMMUNE, ("Ấp Hòa Phú", "Ấp Vĩnh Lợi"), "28901"),
    OldCommune(
        "28900",
        "Xã Hưng Khánh Trung B",
        UnitKind.COMMUNE,
        ("Ấp Hưng Hòa", "Ấp Hưng Nhơn"),
        "28901",
    ),
]

# Xã Hưng Khánh Trung also took in Xã Hưng Khánh Trung A of Mỏ Cày Bắc district, whose code
# (28901) it kept; that district is not part of the demo.
NEW_COMMUNES = [
    ("28870", "Xã Chợ Lách"),
    ("28879", "Xã Phú Phụng"),
    ("28894", "Xã Vĩnh Thành"),
    ("28901", "Xã Hưng Khánh Trung"),
]

DISTRICT_OFFICES = [
    ("Văn phòng HĐND và UBND huyện Chợ Lách", UnitKind.DEPARTMENT),
    ("Phòng Nội vụ huyện Chợ Lách", UnitKind.DEPARTMENT),
    ("Hội Nông dân huyện Chợ Lách", UnitKind.ASSOCIATION),
]

# Offices of every new commune; the first is the standing body of its council.
CULTURE_OFFICE = "Phòng Văn hóa - Xã hội"
COMMUNE_OFFICES = [
    (CULTURE_OFFICE, UnitKind.DEPARTMENT),
    ("Hội Nông dân xã", UnitKind.ASSOCIATION),
    ("Đoàn Thanh niên xã", UnitKind.ASSOCIATION),
]
PROVINCE_OFFICES = [("Sở Nội vụ tỉnh Vĩnh Long", UnitKind.DEPARTMENT)]


def team_name(hamlet: str) -> str:
    """The community digital-technology team of a hamlet (CV 793/BTTTT-THH: one per hamlet)."""
    return f"Tổ công nghệ số cộng đồng {hamlet.replace('Ấp ', 'ấp ').replace('Khu phố', 'khu phố')}"


def office_name(office: str, commune: str) -> str:
    """ "Phòng Văn hóa - Xã hội xã Phú Phụng" from the office and "Xã Phú Phụng"."""
    return f"{office.removesuffix(' xã')} {commune[0].lower()}{commune[1:]}"


def child(parent: Unit, name: str) -> Unit | None:
    """The sub-unit of `parent` with this name, if there is one."""
    return db.session.scalars(
        select(Unit).where(Unit.parent_id == parent.id, Unit.name == name).order_by(Unit.id)
    ).first()


def ensure_child(
    parent: Unit | None,
    name: str,
    kind: UnitKind,
    *,
    code: str | None = None,
    awarding_body: bool = False,
    valid_from: date | None = None,
) -> Unit:
    """The sub-unit of `parent` with this name, created when missing."""
    existing = child(parent, name) if parent is not None else None
    if existing is None and parent is None:
        existing = db.session.scalars(
            select(Unit).where(Unit.parent_id.is_(None), Unit.name == name)
        ).first()
    if existing is not None:
        return existing
    data = UnitData(
        name=name, kind=kind, code=code, is_awarding_body=awarding_body, valid_from=valid_from
    )
    return create_unit(data, parent=parent)


def add_hamlet(commune: Unit, name: str) -> Unit:
    """A hamlet of `commune` with its community digital-technology team."""
    hamlet = ensure_child(commune, name, UnitKind.HAMLET)
    ensure_child(hamlet, team_name(name), UnitKind.TEAM)
    return hamlet
