"""The demo's decision of 2026: Xã Phú Phụng's year-end titles (individuals, a hamlet, the
farmers' association and a household), through dossiers, appraisal, the council's meeting
and the chairman's decision, signed with the demo key (none of these titles is posted
publicly), with the dates they had. Its lines carry reward money by the decree: the payment
list, the emulation fund and the award history show figures.

Trương Thị Mỹ Linh, whose 2022 and 2023 awards were imported under Xã Sơn Định, is awarded
both Lao động tiên tiến and Chiến sĩ thi đua cơ sở of 2026: only the higher title is paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from recognition.auth.models import User
from recognition.campaigns.enums import CampaignAction
from recognition.campaigns.models import AwardType, Campaign
from recognition.campaigns.services import CampaignData
from recognition.campaigns.workflow import apply_campaign_action
from recognition.decisions.models import Decision
from recognition.extensions import db
from recognition.nominations.enums import Gender
from recognition.nominations.models import Nomination
from recognition.nominations.services import Report
from recognition.ops import demo_steps as steps
from recognition.ops.demo_signing import sign_with_demo_key
from recognition.units.models import Unit

CAMPAIGN = "Bình xét danh hiệu thi đua và hình thức khen thưởng năm 2026"
OPENS_ON = date(2026, 11, 2)
CLOSES_ON = date(2026, 11, 20)
SUBMITTED_ON = date(2026, 11, 10)
# 8 a.m. in Vietnam (UTC+7).
SUBMITTED_AT = datetime(2026, 11, 10, 1, 0, tzinfo=UTC)
SESSION_ON = date(2026, 11, 24)
DRAFTED_ON = date(2026, 11, 25)
ISSUED_ON = date(2026, 12, 1)
# The people's committee numbers all its decisions in one register: 1,186 were issued in 2026
# before this one, on other matters.
EARLIER_DECISIONS_2026 = 1186
OFFERED = ("LDTT", "CSTDCS", "TTLDTT", "APVH", "GDVH")


@dataclass(frozen=True)
class Dossier:
    code: str
    nominator: str  # the demo account that nominates
    unit: str  # the unit nominated, or the person's unit
    summary: str
    person: str = ""
    position: str = ""
    birth_year: int | None = None
    gender: Gender | None = None


DOSSIERS = [
    Dossier(
        "CSTDCS",
        "ap.sonqui",
        "Ấp Sơn Qui",
        "Hoàn thành xuất sắc nhiệm vụ năm 2026; sáng kiến “Sổ tay số của chi bộ ấp” được Hội "
        "đồng sáng kiến xã công nhận.",
        "Trương Thị Mỹ Linh",
        "Bí thư Chi bộ ấp Sơn Qui",
        1979,
        Gender.FEMALE,
    ),
    Dossier(
        "LDTT",
        "ap.sonqui",
        "Ấp Sơn Qui",
        "Hoàn thành tốt nhiệm vụ năm 2026; đoàn kết, gương mẫu.",
        "Trương Thị Mỹ Linh",
        "Bí thư Chi bộ ấp Sơn Qui",
        1979,
        Gender.FEMALE,
    ),
    Dossier(
        "LDTT",
        "ap.phuhoa",
        "Ấp Phú Hòa",
        "Hoàn thành tốt nhiệm vụ năm 2026; vận động 100 % hộ tham gia bảo hiểm y tế.",
        "Lê Văn Phúc",
        "Trưởng Ban công tác Mặt trận ấp Phú Hòa",
        1972,
        Gender.MALE,
    ),
    Dossier(
        "APVH",
        "ap.sonqui",
        "Ấp Sơn Qui",
        "Giữ vững danh hiệu Ấp văn hóa; 98 % hộ đạt Gia đình văn hóa, không có tệ nạn xã hội.",
    ),
    Dossier(
        "TTLDTT",
        "hnd.phuphung",
        "Hội Nông dân xã Phú Phụng",
        "Hoàn thành tốt nhiệm vụ năm 2026; 312 hộ đạt danh hiệu sản xuất, kinh doanh giỏi.",
    ),
    Dossier(
        "GDVH",
        "ap.phuhoa",
        "Ấp Phú Hòa",
        "Gia đình ông Nguyễn Văn Sáu: 3 năm liền đạt Gia đình văn hóa, làm kinh tế vườn giỏi.",
        "Hộ ông Nguyễn Văn Sáu",
        "Chủ hộ",
        1965,
        Gender.MALE,
    ),
]


def _campaign(body: Unit, awards: dict[str, AwardType], secretariat: User) -> Campaign:
    data = CampaignData(
        name=CAMPAIGN,
        directive_reference="Hướng dẫn bình xét thi đua, khen thưởng năm 2026 của UBND xã "
        "Phú Phụng",
        description="Bình xét danh hiệu thi đua và hình thức khen thưởng cuối năm 2026.",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        opens_on=OPENS_ON,
        closes_on=CLOSES_ON,
    )
    return steps.open_campaign(
        body, data, [awards[code] for code in OFFERED], secretariat=secretariat
    )


def _dossier(
    campaign: Campaign,
    spec: Dossier,
    awards: dict[str, AwardType],
    units: dict[str, Unit],
    people: dict[str, User],
) -> Nomination:
    unit = units[spec.unit]
    report = Report(
        summary=spec.summary,
        general=f"{spec.person or unit.name}: đặc điểm tình hình, nhiệm vụ được giao.",
        achievements=spec.summary,
        criteria="Đạt toàn bộ tiêu chuẩn của danh hiệu.",
        commendations="Xem lịch sử khen thưởng.",
    )
    return steps.submit_dossier(
        campaign,
        awards[spec.code],
        steps.nominee(unit, spec),
        report,
        nominator=people[spec.nominator],
        note="Báo cáo tổng kết năm 2026",
        text="Đạt theo báo cáo tổng kết năm",
        at=SUBMITTED_AT,
    )


def seed_decision_2026(
    body: Unit, awards: dict[str, AwardType], units: dict[str, Unit], people: dict[str, User]
) -> Decision | None:
    """Xã Phú Phụng's decision of 1 December 2026, signed by the chair with the body's demo
    key, unless the demo already has it (or the day has not come yet)."""
    known = db.session.scalar(
        select(Campaign).where(Campaign.awarding_body_id == body.id, Campaign.name == CAMPAIGN)
    )
    if known is not None:
        return None
    secretariat, chair = people["thuky"], people["chutich"]
    campaign = _campaign(body, awards, secretariat)
    dossiers = [_dossier(campaign, spec, awards, units, people) for spec in DOSSIERS]
    steps.continue_register(body, ISSUED_ON.year, EARLIER_DECISIONS_2026)
    meeting = steps.Meeting(
        title="Phiên họp xét thi đua, khen thưởng năm 2026",
        place="Hội trường UBND xã Phú Phụng",
        held_on=SESSION_ON,
    )
    decision = steps.to_decision(
        body,
        dossiers,
        secretariat=secretariat,
        chair=chair,
        appraised_at=SUBMITTED_AT,
        meeting=meeting,
        drafted_on=DRAFTED_ON,
        issued_on=ISSUED_ON,
    )
    sign_with_demo_key(decision, chair=chair)
    apply_campaign_action(campaign, CampaignAction.CLOSE, actor=secretariat)
    return decision
