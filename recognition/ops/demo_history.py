"""The demo's history: Chợ Lách district's 2024 peak campaign, its dossiers, council session,
decision and certificates, made through the services with the dates they had; then the
reorganisation of 1 July 2025, through the units' own workflow so the audit log tells it."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from recognition.admin.services import revoke_grant
from recognition.auth.models import User
from recognition.campaigns.enums import CampaignAction
from recognition.campaigns.models import AwardType, Campaign
from recognition.campaigns.workflow import apply_campaign_action
from recognition.council import services as council
from recognition.council.models import CouncilMember
from recognition.decisions.models import Decision
from recognition.extensions import db
from recognition.nominations.models import Nomination
from recognition.nominations.services import Nominee, Report
from recognition.ops import demo_steps as steps
from recognition.ops.demo_units import (
    DISTRICT_OFFICES,
    FIRST_DAY,
    LAST_DAY,
    NEW_COMMUNES,
    OLD_COMMUNES,
    OLD_DISTRICT,
    OLD_PROVINCE,
    add_hamlet,
    ensure_child,
)
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from recognition.units.services import UnitData, update_unit
from recognition.units.workflow import dissolve_unit, merge_unit

SUBMITTED_ON = date(2024, 10, 21)
# 9 a.m. in Vietnam (UTC+7): when the dossiers were sent and appraised.
SUBMITTED_AT = datetime(2024, 10, 21, 2, 0, tzinfo=UTC)
SESSION_ON = date(2024, 11, 15)
POSTED_ON = date(2024, 11, 18)
ISSUED_ON = date(2024, 12, 2)
# Decisions 1 to 14 of 2024 were issued on paper before the district used the system: its
# register continues at 15.
PAPER_DECISIONS_2024 = 14


def build_old_tree() -> dict[str, Unit]:
    """Bến Tre province, Chợ Lách district, its offices and eleven communes with hamlets."""
    province = ensure_child(
        None, OLD_PROVINCE[1], UnitKind.PROVINCE, code=OLD_PROVINCE[0], awarding_body=True
    )
    district = ensure_child(
        province, OLD_DISTRICT[1], UnitKind.DISTRICT, code=OLD_DISTRICT[0], awarding_body=True
    )
    units = {OLD_PROVINCE[0]: province, OLD_DISTRICT[0]: district}
    for name, kind in DISTRICT_OFFICES:
        ensure_child(district, name, kind)
    for spec in OLD_COMMUNES:
        commune = ensure_child(district, spec.name, spec.kind, code=spec.code, awarding_body=True)
        units[spec.code] = commune
        for hamlet in spec.hamlets:
            add_hamlet(commune, hamlet)
    return units


def _report(nominee: Unit, summary: str) -> Report:
    """A report with every section written, whatever its award type requires."""
    return Report(
        summary=summary,
        general=f"{nominee.name}: đặc điểm tình hình, chức năng, nhiệm vụ được giao.",
        achievements=summary,
        criteria="Đạt toàn bộ tiêu chí theo bộ tiêu chí của danh hiệu.",
        commendations="Năm 2023: Giấy khen của Chủ tịch UBND huyện.",
    )


def _dossier(
    campaign: Campaign, code: str, nominee: Unit, nominator: User, summary: str
) -> Nomination:
    """A dossier submitted in 2024, appraised and accepted by the district's secretariat."""
    award = db.session.scalars(
        select(AwardType).where(
            AwardType.awarding_body_id == campaign.awarding_body_id, AwardType.code == code
        )
    ).one()
    return steps.submit_dossier(
        campaign,
        award,
        Nominee(unit=nominee),
        _report(nominee, summary),
        nominator=nominator,
        note="Báo cáo tổng kết năm 2024",
        text="Mô hình “Ấp số - Dân thông thái”",
        at=SUBMITTED_AT,
    )


def run_2024_campaign(
    units: dict[str, Unit], campaign: Campaign, people: dict[str, User]
) -> Decision:
    """Xã Sơn Định's dossiers (Ấp Sơn Qui a model smart hamlet, the commune an outstanding
    collective) through appraisal, the council and the district's decision; then the campaign
    closes."""
    son_dinh = units["28876"]
    son_qui = next(h for h in son_dinh.children if h.name == "Ấp Sơn Qui")
    nominator, secretariat, chair = people["xa.sondinh"], people["thuky"], people["chutich"]
    dossiers = [
        _dossier(
            campaign,
            "AP-NTM-TM",
            son_qui,
            nominator,
            "Ấp Sơn Qui: 96 % hộ có internet cáp quang, Tổ công nghệ số cộng đồng hướng dẫn 612 "
            "lượt người dân dùng dịch vụ công trực tuyến.",
        ),
        _dossier(
            campaign,
            "TTTB-DKM",
            son_dinh,
            nominator,
            "Hoàn thành xuất sắc nhiệm vụ 3 năm 2021 - 2023; mô hình “Ấp số - Dân thông thái”.",
        ),
    ]
    district = units[OLD_DISTRICT[0]]
    steps.continue_register(district, ISSUED_ON.year, PAPER_DECISIONS_2024)
    # The district council's meeting of 15 November 2024; its decision of 2 December 2024,
    # after five days of public posting.
    meeting = steps.Meeting(
        title="Phiên họp xét khen thưởng Cao điểm thi đua “Đồng khởi mới” năm 2024",
        place="Hội trường UBND huyện Chợ Lách",
        held_on=SESSION_ON,
    )
    decision = steps.to_decision(
        district,
        dossiers,
        secretariat=secretariat,
        chair=chair,
        appraised_at=SUBMITTED_AT,
        meeting=meeting,
        posted_on=POSTED_ON,
        issued_on=ISSUED_ON,
    )
    apply_campaign_action(campaign, CampaignAction.CLOSE, actor=secretariat)
    return decision


def _end_district_roles(district: Unit, admin: User) -> None:
    """The district's council seats end on its last day and its role grants are revoked."""
    for member in db.session.scalars(
        select(CouncilMember).where(CouncilMember.awarding_body_id == district.id)
    ):
        if member.term_end is None:
            council.end_term(member, on=LAST_DAY, actor=admin)
    below = {district.id, *(c.id for c in district.children)}
    for user in db.session.scalars(select(User)):
        for grant in [g for g in user.grants if g.unit_id in below]:
            revoke_grant(grant, actor=admin)


def reorganise(old: dict[str, Unit], province: Unit, admin: User) -> dict[str, Unit]:
    """1 July 2025: the four new communes of Vĩnh Long take over Chợ Lách's communes (their
    hamlets move with them), the district's offices are dissolved, the district merges into Xã
    Chợ Lách (its former seat, the township's successor) and Bến Tre into Vĩnh Long; then each
    new commune takes up the code it keeps."""
    comment = "Nghị quyết số 1687/NQ-UBTVQH15 ngày 16-6-2025"
    new = {
        code: ensure_child(
            province, name, UnitKind.COMMUNE, awarding_body=True, valid_from=FIRST_DAY
        )
        for code, name in NEW_COMMUNES
    }
    district = old[OLD_DISTRICT[0]]
    _end_district_roles(district, admin)
    for spec in OLD_COMMUNES:
        merge_unit(
            old[spec.code], successor=new[spec.successor], actor=admin, on=LAST_DAY, comment=comment
        )
    for office in [c for c in district.children if c.is_active]:
        dissolve_unit(office, actor=admin, on=LAST_DAY, comment=comment)
    # The district had no single successor; its seat, the township, became Xã Chợ Lách.
    merge_unit(district, successor=new["28870"], actor=admin, on=LAST_DAY, comment=comment)
    merge_unit(
        old[OLD_PROVINCE[0]],
        successor=province,
        actor=admin,
        on=LAST_DAY,
        comment="Nghị quyết số 202/2025/QH15 ngày 12-6-2025",
    )
    for code, unit in new.items():
        data = UnitData(
            name=unit.name,
            kind=unit.kind,
            code=code,
            valid_from=unit.valid_from,
            is_awarding_body=True,
        )
        update_unit(unit, data, actor=admin)
    return new
