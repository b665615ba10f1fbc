"""The demo's awards of Xã Phú Phụng itself, so that its yearly statistics have figures: the
year-end review of its first half-year (July to December 2025) and this year's sudden awards
to the community digital-technology teams, each through dossiers, appraisal, the council and
a decision issued by the chair, with the dates they had."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from recognition.auth.models import User
from recognition.campaigns.enums import CampaignAction
from recognition.campaigns.models import AwardType, Campaign
from recognition.campaigns.services import CampaignData
from recognition.campaigns.workflow import apply_campaign_action
from recognition.extensions import db
from recognition.nominations.enums import Gender
from recognition.nominations.models import Nomination
from recognition.nominations.services import Report
from recognition.ops import demo_steps as steps
from recognition.ops.demo_units import team_name
from recognition.units.models import Unit

REVIEW_2025 = "Tổng kết phong trào thi đua 6 tháng cuối năm 2025"
SUDDEN = "Khen thưởng đột xuất Tổ công nghệ số cộng đồng năm {year}"


@dataclass(frozen=True)
class Dossier:
    """A nominee: a hamlet or unit of the commune (by name), or a person of one."""

    code: str
    unit: str
    nominator: str
    person: str = ""
    position: str = ""
    gender: Gender | None = None
    birth_year: int | None = None


@dataclass(frozen=True)
class Round:
    """A campaign and its way to a decision, day by day."""

    name: str
    directive: str
    period: tuple[date, date]
    opens_on: date
    closes_on: date
    submitted_on: date
    session_on: date
    issued_on: date
    dossiers: tuple[Dossier, ...]


_SON_QUI, _PHU_HOA = "Ấp Sơn Qui", "Ấp Phú Hòa"
DOSSIERS_2025 = (
    Dossier("APVH", _SON_QUI, "ap.sonqui"),
    Dossier("APVH", _PHU_HOA, "ap.phuhoa"),
    Dossier("GK-TT", "Hội Nông dân xã Phú Phụng", "hnd.phuphung"),
    Dossier(
        "LDTT", _SON_QUI, "ap.sonqui", "Trương Thị Mỹ Linh", "Bí thư Chi bộ ấp", Gender.FEMALE, 1979
    ),
    Dossier("LDTT", _SON_QUI, "ap.sonqui", "Lê Văn Tâm", "Trưởng ấp", Gender.MALE, 1975),
    Dossier("LDTT", _PHU_HOA, "ap.phuhoa", "Nguyễn Thị Mai", "Trưởng ấp", Gender.FEMALE, 1982),
    Dossier("LDTT", _PHU_HOA, "ap.phuhoa", "Lê Văn Phúc", "Công an viên", Gender.MALE, 1988),
    Dossier(
        "GK-CN", _PHU_HOA, "ap.phuhoa", "Đặng Thị Thu", "Chi hội trưởng Phụ nữ", Gender.FEMALE, 1990
    ),
    Dossier("GDVH", _SON_QUI, "ap.sonqui", "Hộ ông Nguyễn Văn Sáu", "", None, 1958),
    Dossier("GDVH", _PHU_HOA, "ap.phuhoa", "Hộ bà Võ Thị Hồng", "", None, 1964),
)


def _rounds(today: date) -> list[Round]:
    review = Round(
        name=REVIEW_2025,
        directive="Kế hoạch tổng kết công tác thi đua, khen thưởng năm 2025 của UBND xã Phú Phụng",
        period=(date(2025, 7, 1), date(2025, 12, 31)),
        opens_on=date(2025, 11, 17),
        closes_on=date(2025, 12, 5),
        submitted_on=date(2025, 12, 1),
        session_on=date(2025, 12, 12),
        issued_on=date(2025, 12, 26),
        dossiers=DOSSIERS_2025,
    )
    opens = max(date(today.year, 1, 1), today - timedelta(days=20))
    sudden = Round(
        name=SUDDEN.format(year=today.year),
        directive="Hướng dẫn số 793/BTTTT-THH năm 2022 về Tổ công nghệ số cộng đồng",
        period=(opens, today),
        opens_on=opens,
        closes_on=today,
        submitted_on=opens,
        session_on=today,
        issued_on=today,
        dossiers=(
            Dossier("GK-TT", team_name(_SON_QUI), "ap.sonqui"),
            Dossier(
                "GK-CN",
                _SON_QUI,
                "ap.sonqui",
                "Phan Thị Ngọc Hân",
                "Tổ viên Tổ công nghệ số cộng đồng",
                Gender.FEMALE,
                1998,
            ),
        ),
    )
    return [review, sudden]


def _at(day: date) -> datetime:
    """9 a.m. in Vietnam (UTC+7) on `day`."""
    return datetime.combine(day, time(2, 0), tzinfo=UTC)


def _unit(commune: Unit, name: str) -> Unit:
    """The unit of the commune with this name (a hamlet, an association, a hamlet's team)."""
    return (
        db.session.scalars(
            select(Unit)
            .where(Unit.path.startswith(commune.path), Unit.name == name)
            .order_by(Unit.depth, Unit.id)
        ).first()
        or commune
    )


def _dossier(
    campaign: Campaign, spec: Dossier, award: AwardType, people: dict[str, User], day: date
) -> Nomination:
    unit = _unit(campaign.awarding_body, spec.unit)
    name = spec.person or unit.name
    summary = f"{name}: hoàn thành xuất sắc nhiệm vụ, tích cực hưởng ứng phong trào thi đua."
    report = Report(
        summary=summary,
        general=f"{name}: đặc điểm tình hình, nhiệm vụ được giao.",
        achievements=summary,
        criteria="Đạt các tiêu chuẩn của danh hiệu, hình thức khen thưởng.",
        commendations="",
    )
    return steps.submit_dossier(
        campaign,
        award,
        steps.nominee(unit, spec),
        report,
        nominator=people[spec.nominator],
        note="Báo cáo thành tích của đơn vị",
        text="Hoàn thành tốt nhiệm vụ được giao",
        at=_at(day),
    )


def _run(body: Unit, spec: Round, awards: dict[str, AwardType], people: dict[str, User]) -> None:
    secretariat, chair = people["thuky"], people["chutich"]
    data = CampaignData(
        name=spec.name,
        directive_reference=spec.directive,
        description="",
        period_start=spec.period[0],
        period_end=spec.period[1],
        opens_on=spec.opens_on,
        closes_on=spec.closes_on,
    )
    offered = [awards[code] for code in dict.fromkeys(d.code for d in spec.dossiers)]
    campaign = steps.open_campaign(body, data, offered, secretariat=secretariat)
    dossiers = [
        _dossier(campaign, d, awards[d.code], people, spec.submitted_on) for d in spec.dossiers
    ]
    meeting = steps.Meeting(
        title=f"Phiên họp xét khen thưởng: {spec.name}",
        place="Hội trường UBND xã Phú Phụng",
        held_on=spec.session_on,
    )
    steps.to_decision(
        body,
        dossiers,
        secretariat=secretariat,
        chair=chair,
        appraised_at=_at(spec.submitted_on),
        meeting=meeting,
        issued_on=spec.issued_on,
    )
    apply_campaign_action(campaign, CampaignAction.CLOSE, actor=secretariat)


def seed_own_awards(
    body: Unit, awards: dict[str, AwardType], people: dict[str, User], today: date
) -> None:
    """Xã Phú Phụng's rounds of awards that are missing (made once each)."""
    for spec in _rounds(today):
        found = db.session.scalar(
            select(Campaign.id).where(
                Campaign.awarding_body_id == body.id, Campaign.name == spec.name
            )
        )
        if found is None:
            _run(body, spec, awards, people)
    db.session.flush()
