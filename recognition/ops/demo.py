"""Demo data from the Chợ Lách story as it stands in December 2026: Vĩnh Long province and the
four communes that replaced Chợ Lách district, with the district's 2024 campaign kept as
history. Real places, fictional people. Never used in production."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.auth.models import RoleGrant, User
from recognition.auth.passwords import hash_password
from recognition.campaigns.defaults import seed_level_catalogue
from recognition.campaigns.enums import CampaignAction
from recognition.campaigns.models import Campaign
from recognition.campaigns.services import CampaignData, offer_award, save_campaign
from recognition.campaigns.workflow import apply_campaign_action
from recognition.common.text import fold, sort_string
from recognition.council.models import CouncilMember
from recognition.database import local_today
from recognition.decisions.money.queries import fund_of
from recognition.decisions.money.services import save_fund
from recognition.extensions import db
from recognition.law.rules import rules_on
from recognition.ops.demo_awards import import_earlier_awards
from recognition.ops.demo_catalogue import seed_catalogue
from recognition.ops.demo_clusters import seed_cluster, seed_cluster_2024, seed_cluster_campaign
from recognition.ops.demo_decision_2026 import DOSSIERS as DECISION_2026_DOSSIERS
from recognition.ops.demo_decision_2026 import EARLIER_DECISIONS_2026, seed_decision_2026
from recognition.ops.demo_decision_2026 import ISSUED_ON as DECISION_2026_ON
from recognition.ops.demo_history import build_old_tree, reorganise, run_2024_campaign
from recognition.ops.demo_honours import publish_2024_models
from recognition.ops.demo_registration import register_2026
from recognition.ops.demo_signing import seed_signing_key
from recognition.ops.demo_statistics import seed_own_awards
from recognition.ops.demo_steps import continue_register
from recognition.ops.demo_targets import seed_targets
from recognition.ops.demo_units import (
    COMMUNE_OFFICES,
    CULTURE_OFFICE,
    FIRST_DAY,
    NEW_COMMUNES,
    OLD_DISTRICT,
    PROVINCE,
    PROVINCE_OFFICES,
    child,
    ensure_child,
    office_name,
)
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from recognition.units.services import unit_by_code
from recognition.units.settings import stored_settings

DEMO_PASSWORD = "demo"  # demo accounts only  # noqa: S105  # nosec B105
PHU_PHUNG = "28879"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    position: str
    role: Role
    unit: tuple[str, ...]  # a unit's code, then the names of sub-units down to the one meant


def _phu_phung(username: str, name: str, position: str, role: Role) -> DemoAccount:
    return DemoAccount(username, name, f"{position} xã Phú Phụng", role, (PHU_PHUNG,))


ACCOUNTS = [
    DemoAccount("admin", "Lê Quốc Khánh", "Quản trị hệ thống", Role.ADMIN, ("86",)),
    DemoAccount(
        "tinh.chutich", "Phan Văn Lộc", "Chủ tịch UBND tỉnh Vĩnh Long", Role.CHAIR, ("86",)
    ),
    DemoAccount(
        "tinh.cumkhoi",
        "Nguyễn Văn Hải",
        "Chuyên viên Văn phòng UBND tỉnh Vĩnh Long, theo dõi các cụm, khối thi đua",
        Role.NOMINATOR,
        ("86",),
    ),
    DemoAccount(
        "tinh.thuky",
        "Đỗ Thị Hồng Nhung",
        "Phó Giám đốc Sở Nội vụ tỉnh Vĩnh Long, Thường trực Hội đồng",
        Role.SECRETARIAT,
        ("86",),
    ),
    _phu_phung(
        "thuky",
        "Nguyễn Thị Thu Hà",
        "Thường trực Hội đồng, công chức Phòng Văn hóa - Xã hội",
        Role.SECRETARIAT,
    ),
    _phu_phung("chutich", "Trần Văn Minh", "Chủ tịch Hội đồng, Chủ tịch UBND", Role.CHAIR),
    _phu_phung("hoidong1", "Phạm Thanh Tùng", "Phó Chủ tịch UBND", Role.COUNCIL_MEMBER),
    _phu_phung("hoidong2", "Võ Thị Ngọc Lan", "Trưởng phòng Văn hóa - Xã hội", Role.COUNCIL_MEMBER),
    _phu_phung("hoidong3", "Huỳnh Văn Đức", "Chủ tịch Ủy ban MTTQ Việt Nam", Role.COUNCIL_MEMBER),
    _phu_phung("hoidong4", "Đặng Minh Trí", "Trưởng phòng Kinh tế", Role.COUNCIL_MEMBER),
    _phu_phung(
        "hoidong5", "Bùi Thị Kim Phượng", "Chủ tịch Hội Liên hiệp Phụ nữ", Role.COUNCIL_MEMBER
    ),
    _phu_phung("hoidong6", "Ngô Văn Hậu", "Bí thư Đoàn Thanh niên", Role.COUNCIL_MEMBER),
    _phu_phung("hoidong7", "Lâm Thị Diễm", "Chánh Văn phòng HĐND và UBND", Role.COUNCIL_MEMBER),
    DemoAccount(
        "ap.sonqui",
        "Lê Văn Tâm",
        "Trưởng ấp Sơn Qui, Tổ trưởng Tổ công nghệ số cộng đồng ấp Sơn Qui",
        Role.NOMINATOR,
        (PHU_PHUNG, "Ấp Sơn Qui"),
    ),
    DemoAccount(
        "hnd.phuphung",
        "Trương Văn Sang",
        "Chủ tịch Hội Nông dân xã Phú Phụng",
        Role.NOMINATOR,
        (PHU_PHUNG, "Hội Nông dân xã Phú Phụng"),
    ),
    DemoAccount(
        "ap.phuhoa",
        "Nguyễn Thị Mai",
        "Trưởng ấp Phú Hòa",
        Role.NOMINATOR,
        (PHU_PHUNG, "Ấp Phú Hòa"),
    ),
    DemoAccount(
        "ap.vinhchinh",
        "Đặng Văn Hậu",
        "Trưởng ấp Vĩnh Chính",
        Role.NOMINATOR,
        (PHU_PHUNG, "Ấp Vĩnh Chính"),
    ),
    DemoAccount(
        "cholach.chutich", "Nguyễn Hữu Phước", "Chủ tịch UBND xã Chợ Lách", Role.CHAIR, ("28870",)
    ),
    DemoAccount(
        "cholach.thuky",
        "Huỳnh Thị Mỹ Linh",
        "Công chức Phòng Văn hóa - Xã hội xã Chợ Lách, Thường trực Hội đồng",
        Role.SECRETARIAT,
        ("28870",),
    ),
    DemoAccount(
        "vinhthanh.chutich",
        "Lê Thanh Bình",
        "Chủ tịch UBND xã Vĩnh Thành",
        Role.CHAIR,
        ("28894",),
    ),
    DemoAccount(
        "vinhthanh.thuky",
        "Nguyễn Thị Mỹ Duyên",
        "Công chức Phòng Văn hóa - Xã hội xã Vĩnh Thành, Thường trực Hội đồng",
        Role.SECRETARIAT,
        ("28894",),
    ),
    DemoAccount(
        "hkt.chutich",
        "Trần Quốc Việt",
        "Chủ tịch UBND xã Hưng Khánh Trung",
        Role.CHAIR,
        ("28901",),
    ),
    DemoAccount(
        "hkt.thuky",
        "Phạm Thị Bích Ngọc",
        "Công chức Phòng Văn hóa - Xã hội xã Hưng Khánh Trung, Thường trực Hội đồng",
        Role.SECRETARIAT,
        ("28901",),
    ),
    DemoAccount(
        "vp.phuphung",
        "Trần Thị Thanh Thúy",
        "Công chức Văn phòng HĐND và UBND xã Phú Phụng",
        Role.NOMINATOR,
        (PHU_PHUNG,),
    ),
    DemoAccount(
        "vp.cholach",
        "Lê Hoàng Nam",
        "Công chức Văn phòng HĐND và UBND xã Chợ Lách",
        Role.NOMINATOR,
        ("28870",),
    ),
    DemoAccount(
        "vp.vinhthanh",
        "Phạm Văn Khoa",
        "Công chức Văn phòng HĐND và UBND xã Vĩnh Thành",
        Role.NOMINATOR,
        ("28894",),
    ),
    DemoAccount(
        "vp.hkt",
        "Võ Thị Thu Trang",
        "Công chức Văn phòng HĐND và UBND xã Hưng Khánh Trung",
        Role.NOMINATOR,
        ("28901",),
    ),
]

# Who held the district's roles in 2024 (revoked when the district ended). The nominator of
# Xã Sơn Định has no role today.
FORMER_ROLES = [
    ("thuky", Role.SECRETARIAT),
    ("chutich", Role.CHAIR),
    *((f"hoidong{n}", Role.COUNCIL_MEMBER) for n in range(1, 8)),
]
FORMER_ACCOUNTS = [
    DemoAccount(
        "xa.sondinh",
        "Trương Thị Kim Thoa",
        "Công chức Văn hóa - Xã hội xã Sơn Định (đến 30-6-2025)",
        Role.NOMINATOR,
        ("28876",),
    )
]

# Seats on an emulation and commendation council: the district's (term 2021 - 2026, ended with
# the district) and, from 1 July 2025, Xã Phú Phụng's.
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
# Every other body: its chairman chairs, its secretariat is the standing member.
SMALL_COUNCILS = {
    "86": [("tinh.chutich", "chair"), ("tinh.thuky", "standing")],
    "28870": [("cholach.chutich", "chair"), ("cholach.thuky", "standing")],
    "28894": [("vinhthanh.chutich", "chair"), ("vinhthanh.thuky", "standing")],
    "28901": [("hkt.chutich", "chair"), ("hkt.thuky", "standing")],
}
CAMPAIGN_2026 = "Phong trào thi đua “Vĩnh Long chung sức xây dựng nông thôn mới” năm 2026"


def _user(spec: DemoAccount) -> User:
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
    return user


def _grant(user: User, role: Role, unit: Unit) -> None:
    has_grant = db.session.scalar(
        select(RoleGrant.id).where(
            RoleGrant.user_id == user.id, RoleGrant.unit_id == unit.id, RoleGrant.role == role.value
        )
    )
    if has_grant is None:
        db.session.add(RoleGrant(user=user, unit=unit, role=role.value))
        db.session.flush()


def _seat(body: Unit, user: User, role: str, start: date) -> None:
    seated = db.session.scalar(
        select(CouncilMember.id).where(
            CouncilMember.awarding_body_id == body.id, CouncilMember.user_id == user.id
        )
    )
    if seated is None:
        db.session.add(CouncilMember(awarding_body=body, user=user, role=role, term_start=start))
        db.session.flush()


def _located(path: tuple[str, ...]) -> Unit:
    """The unit in use with the code `path[0]`, then down by the names that follow."""
    unit = unit_by_code(path[0])
    for name in path[1:]:
        unit = child(unit, name) if unit is not None else None
    if unit is None or not unit.is_active:
        raise LookupError(f"demo unit {path} not found")
    return unit


def _settings(body: Unit, *, signer: str, issuer: str, superior: str, place: str) -> None:
    settings = stored_settings(body)
    if not settings.signer_name:
        settings.signer_name = signer
        settings.issuer_name = issuer
        settings.signer_office = f"CHỦ TỊCH {issuer}"
        settings.superior_name = superior
        settings.place_name = place
        db.session.flush()


def _history(people: dict[str, User], province: Unit, admin: User) -> None:
    """Chợ Lách district in 2024, and the reorganisation that ended it."""
    old = build_old_tree()
    district = old[OLD_DISTRICT[0]]
    for username, role in FORMER_ROLES:
        _grant(people[username], role, district)
    for spec in FORMER_ACCOUNTS:
        _grant(people[spec.username], spec.role, old[spec.unit[0]])
    for username, seat in COUNCIL:
        _seat(district, people[username], seat, date(2021, 7, 1))
    _settings(
        district,
        signer="Trần Văn Minh",
        issuer="ỦY BAN NHÂN DÂN HUYỆN CHỢ LÁCH",
        superior="",
        place="Chợ Lách",
    )
    campaign = seed_catalogue(district, secretariat=people["thuky"])
    decision = run_2024_campaign(old, campaign, people)
    seed_cluster_2024(old, people["thuky"])
    publish_2024_models(decision, people["thuky"])
    import_earlier_awards(old, people["thuky"])
    reorganise(old, province, admin)


def _today(people: dict[str, User], province: Unit, today: date) -> Campaign:
    """Vĩnh Long's and its communes' offices, roles, councils, settings and catalogues, and Xã
    Phú Phụng's open campaign."""
    for name, kind in PROVINCE_OFFICES:
        ensure_child(province, name, kind)
    province_awards = seed_level_catalogue(province, on=today)
    bodies = {"86": province}
    for code, name in NEW_COMMUNES:
        commune = _located((code,))
        bodies[code] = commune
        for office, kind in COMMUNE_OFFICES:
            ensure_child(commune, office_name(office, name), kind)
        seed_level_catalogue(commune, on=today)
        _settings(
            commune,
            signer=next(
                s.full_name for s in ACCOUNTS if s.role == Role.CHAIR and s.unit == (code,)
            ),
            issuer=f"ỦY BAN NHÂN DÂN {name.upper()}",
            superior=PROVINCE[1].upper(),
            place=name.removeprefix("Xã "),
        )
    _settings(
        province,
        signer="Phan Văn Lộc",
        issuer="ỦY BAN NHÂN DÂN TỈNH VĨNH LONG",
        superior="",
        place="Vĩnh Long",
    )
    for spec in ACCOUNTS:
        _grant(people[spec.username], spec.role, _located(spec.unit))
    for code, seats in [(PHU_PHUNG, COUNCIL), *SMALL_COUNCILS.items()]:
        for username, seat in seats:
            _seat(bodies[code], people[username], seat, FIRST_DAY)
    campaign = _campaign_2026(bodies[PHU_PHUNG], people["thuky"], today)
    seed_cluster_campaign(province, province_awards, people["tinh.thuky"], today)
    seed_cluster(province, people, {code: bodies[code] for code, _name in NEW_COMMUNES})
    _targets(campaign, people, today)
    register_2026(bodies[PHU_PHUNG], people)
    _fund_2026(bodies[PHU_PHUNG], people["thuky"])
    seed_signing_key(bodies[PHU_PHUNG])  # before the decision of 2026, which it signs
    # The register of 2026 goes on from the decisions made outside the system, and the
    # decisions come in the order of their dates: the year-end decision of 1 December, then
    # the round issued today.
    continue_register(bodies[PHU_PHUNG], DECISION_2026_ON.year, EARLIER_DECISIONS_2026)
    _decision_2026(bodies[PHU_PHUNG], people, today)
    seed_own_awards(
        bodies[PHU_PHUNG], seed_level_catalogue(bodies[PHU_PHUNG], on=today), people, today
    )
    return campaign


def _decision_2026(body: Unit, people: dict[str, User], today: date) -> None:
    """Xã Phú Phụng's year-end decision of 2026 (once its day has come)."""
    if today < DECISION_2026_ON:
        return
    names = {spec.unit for spec in DECISION_2026_DOSSIERS}
    units = {name: _located((PHU_PHUNG, name)) for name in names}
    seed_decision_2026(body, seed_level_catalogue(body, on=today), units, people)


# Xã Phú Phụng's emulation fund of 2026, as its estimate sets it (the law's share for movements).
FUND_2026 = 180_000_000


def _fund_2026(body: Unit, secretariat: User) -> None:
    if fund_of(body, 2026) is not None:
        return
    share = rules_on(date(2026, 1, 1)).fund_movement_percent
    save_fund(
        body,
        2026,
        budget=FUND_2026,
        movement_percent=share if share is not None else Decimal(0),
        actor=secretariat,
    )


def _targets(campaign: Campaign, people: dict[str, User], today: date) -> None:
    """Xã Phú Phụng's campaign carries the story's 27 targets, reported by the responsible
    units (the farmers' association and Ấp Sơn Qui by their nominators, the others by the
    secretariat) and confirmed."""
    commune = campaign.awarding_body
    units = {
        "commune": commune,
        "culture": _located((PHU_PHUNG, office_name(CULTURE_OFFICE, commune.name))),
        "farmers": _located((PHU_PHUNG, "Hội Nông dân xã Phú Phụng")),
        "youth": _located((PHU_PHUNG, "Đoàn Thanh niên xã Phú Phụng")),
        "hamlet": _located((PHU_PHUNG, "Ấp Sơn Qui")),
    }
    reporters = {"farmers": people["hnd.phuphung"], "hamlet": people["ap.sonqui"]}
    seed_targets(campaign, units, reporters, people["thuky"], today)


def _campaign_2026(body: Unit, secretariat: User, today: date) -> Campaign:
    """Xã Phú Phụng's campaign, open for 90 days from the day the data is loaded."""
    campaign = db.session.scalar(
        select(Campaign).where(Campaign.awarding_body_id == body.id, Campaign.name == CAMPAIGN_2026)
    )
    if campaign is not None:
        return campaign
    awards = seed_level_catalogue(body, on=today)
    campaign = save_campaign(
        None,
        CampaignData(
            name=CAMPAIGN_2026,
            directive_reference="Kế hoạch phát động phong trào thi đua năm 2026 của UBND xã "
            "Phú Phụng",
            description=(
                "Học tập điển hình, bắt kịp điển hình, vượt qua điển hình.\n"
                "Xây dựng ấp nông thôn mới thông minh, Tổ công nghệ số cộng đồng ở mọi ấp."
            ),
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            opens_on=today,
            closes_on=today + timedelta(90),
        ),
        awarding_body=body,
    )
    for code in ("AP-NTM-TM", "DP-TCNSCD", "APVH", "GK-TT", "GK-CN"):
        offer_award(campaign, awards[code], quota=None)
    apply_campaign_action(campaign, CampaignAction.OPEN, actor=secretariat)
    return campaign


def seed_demo() -> dict[str, int]:
    """Create whatever of the demo data is missing; safe to run again (nothing is overwritten).

    The first run makes the history (Chợ Lách district in 2024 and its reorganisation) and then
    today's province; later runs find the history and add only what today lacks."""
    units_before = db.session.scalar(select(db.func.count(Unit.id))) or 0
    people = {spec.username: _user(spec) for spec in [*ACCOUNTS, *FORMER_ACCOUNTS]}
    province = ensure_child(
        None,
        PROVINCE[1],
        UnitKind.PROVINCE,
        code=PROVINCE[0],
        awarding_body=True,
        valid_from=FIRST_DAY,
    )
    admin = people["admin"]
    _grant(admin, Role.ADMIN, province)
    if db.session.scalar(select(Unit.id).where(Unit.code == OLD_DISTRICT[0])) is None:
        _history(people, province, admin)
    _today(people, province, local_today())
    db.session.flush()
    units_after = db.session.scalar(select(db.func.count(Unit.id))) or 0
    return {"units_created": units_after - units_before, "accounts": len(ACCOUNTS)}
