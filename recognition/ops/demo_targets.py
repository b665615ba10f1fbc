"""The targets (chỉ tiêu) of Xã Phú Phụng's 2026 movement, modelled on the 27 targets of the
story's mid-term assessment (Chợ Lách, "3/27 CT đạt và vượt, 3/27 CT xấp xỉ đạt, 6/27 CT đạt
trên 70%, 13/27 CT đạt trên 50%, 2 CT đánh giá cuối nhiệm kỳ"), with invented figures that give
those classes. The texts follow the article (income per person, new-rural communes and smart
hamlets, the cultural tourism village, the national seedling and ornamental plant centre, the
Sơn Quy industrial cluster, community digital-technology teams)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from recognition.auth.models import User
from recognition.campaigns.models import Campaign
from recognition.extensions import db
from recognition.targets.enums import AssessmentTiming, TargetDirection, TargetSector
from recognition.targets.models import Target
from recognition.targets.rules import DEFAULT_BANDS
from recognition.targets.services import (
    Report,
    TargetData,
    confirm_value,
    report_value,
    save_bands,
    save_target,
)
from recognition.units.models import Unit

E, S, C = TargetSector.ECONOMY, TargetSector.SOCIETY, TargetSector.CULTURE
ENV, PARTY, DEF = (
    TargetSector.ENVIRONMENT,
    TargetSector.PARTY_GOVERNMENT,
    TargetSector.DEFENCE_SECURITY,
)
H, L, Y = TargetDirection.HIGHER, TargetDirection.LOWER, TargetDirection.YES_NO
TERM = AssessmentTiming.TERM_END


@dataclass(frozen=True)
class StoryTarget:
    code: str
    sector: TargetSector
    text: str
    measure_unit: str
    direction: TargetDirection
    baseline: str | None
    target: str | None
    value: str | None  # the confirmed mid-term value (None: assessed at the end of the term)
    responsible: str  # commune, culture, farmers, youth or hamlet
    timing: AssessmentTiming = AssessmentTiming.PERIODIC
    expected: str = ""  # the class the value gives (documentation, checked by the tests)


# fmt: off
STORY_TARGETS: tuple[StoryTarget, ...] = (
    # đạt và vượt (3)
    StoryTarget("CT1", E, "Thu nhập bình quân đầu người đạt 82 triệu đồng/người/năm", "triệu đồng/người/năm", H, "68", "82", "83.5", "commune", expected="đạt và vượt"),
    StoryTarget("CT2", S, "Tỷ lệ người dân tham gia bảo hiểm y tế đạt 95%", "%", H, "91", "95", "95.6", "culture", expected="đạt và vượt"),
    StoryTarget("CT3", DEF, "Hoàn thành 100% chỉ tiêu giao quân hằng năm", "", Y, None, None, "1", "commune", expected="đạt và vượt"),
    # xấp xỉ đạt (3)
    StoryTarget("CT4", E, "Giá trị sản xuất cây giống, hoa kiểng đạt 1.250 tỷ đồng", "tỷ đồng", H, "1020", "1250", "1180", "farmers", expected="xấp xỉ đạt"),
    StoryTarget("CT5", C, "Tỷ lệ hộ gia đình đạt danh hiệu Gia đình văn hóa đạt 95%", "%", H, "90", "95", "88", "culture", expected="xấp xỉ đạt"),
    StoryTarget("CT6", S, "Tỷ lệ hộ nghèo giảm còn dưới 1%", "%", L, "2.1", "1", "1.1", "culture", expected="xấp xỉ đạt"),
    # đạt trên 70% (6)
    StoryTarget("CT7", E, "Có 6 ấp đạt chuẩn ấp nông thôn mới thông minh", "ấp", H, "1", "6", "5", "commune", expected="đạt trên 70%"),
    StoryTarget("CT8", S, "Tỷ lệ lao động qua đào tạo đạt 75%", "%", H, "68", "75", "60", "culture", expected="đạt trên 70%"),
    StoryTarget("CT9", E, "Thu ngân sách nhà nước trên địa bàn đạt 120 tỷ đồng", "tỷ đồng", H, "95", "120", "98", "commune", expected="đạt trên 70%"),
    StoryTarget("CT10", E, "Có 12 hợp tác xã nông nghiệp hoạt động hiệu quả", "hợp tác xã", H, "7", "12", "9", "farmers", expected="đạt trên 70%"),
    StoryTarget("CT11", S, "100% ấp có Tổ công nghệ số cộng đồng hoạt động hiệu quả", "%", H, "40", "100", "78", "hamlet", expected="đạt trên 70%"),
    StoryTarget("CT12", ENV, "Tỷ lệ chất thải rắn sinh hoạt được thu gom, xử lý đạt 90%", "%", H, "60", "90", "65", "commune", expected="đạt trên 70%"),
    # đạt trên 50% (13)
    StoryTarget("CT13", E, "Hoàn thành 100% tiêu chí xã nông thôn mới kiểu mẫu", "%", H, "30", "100", "60", "commune", expected="đạt trên 50%"),
    StoryTarget("CT14", E, "Diện tích cây giống, hoa kiểng ứng dụng công nghệ cao đạt 500 ha", "ha", H, "180", "500", "310", "farmers", expected="đạt trên 50%"),
    StoryTarget("CT15", E, "Tổng vốn đầu tư toàn xã hội đạt 1.500 tỷ đồng", "tỷ đồng", H, None, "1500", "870", "commune", expected="đạt trên 50%"),
    StoryTarget("CT16", C, "Đón 150.000 lượt khách du lịch đến Làng Văn hóa du lịch", "lượt khách", H, "40000", "150000", "84000", "culture", expected="đạt trên 50%"),
    StoryTarget("CT17", E, "Thành lập mới 30 doanh nghiệp", "doanh nghiệp", H, None, "30", "17", "commune", expected="đạt trên 50%"),
    StoryTarget("CT18", PARTY, "Tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến toàn trình đạt 80%", "%", H, "25", "80", "46", "commune", expected="đạt trên 50%"),
    StoryTarget("CT19", S, "Tỷ lệ người dân trưởng thành có tài khoản thanh toán điện tử đạt 85%", "%", H, "35", "85", "50", "youth", expected="đạt trên 50%"),
    StoryTarget("CT20", E, "Có 10 sản phẩm OCOP đạt 3 sao trở lên", "sản phẩm", H, "4", "10", "6", "farmers", expected="đạt trên 50%"),
    StoryTarget("CT21", S, "100% trường học đạt chuẩn quốc gia", "%", H, "50", "100", "67", "culture", expected="đạt trên 50%"),
    StoryTarget("CT22", ENV, "Tỷ lệ hộ dân sử dụng nước sạch theo quy chuẩn đạt 70%", "%", H, "20", "70", "38", "commune", expected="đạt trên 50%"),
    StoryTarget("CT23", PARTY, "Kết nạp 60 đảng viên mới", "đảng viên", H, None, "60", "33", "commune", expected="đạt trên 50%"),
    StoryTarget("CT24", PARTY, "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên đạt 90%", "%", H, "80", "90", "56", "commune", expected="đạt trên 50%"),
    StoryTarget("CT25", DEF, "100% ấp đạt chuẩn an toàn về an ninh, trật tự", "%", H, "45", "100", "55", "youth", expected="đạt trên 50%"),
    # đánh giá cuối nhiệm kỳ (2)
    StoryTarget("CT26", C, "Hoàn thành Đề án Làng Văn hóa du lịch", "", Y, None, None, None, "culture", TERM, "đánh giá cuối nhiệm kỳ"),
    StoryTarget("CT27", E, "Trung tâm Giống cây trồng, hoa kiểng quy mô quốc gia đi vào hoạt động", "", Y, None, None, None, "farmers", TERM, "đánh giá cuối nhiệm kỳ"),
)
# fmt: on


def _amount(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def load_story_targets(
    campaign: Campaign,
    units: dict[str, Unit],
    reporters: dict[str, User],
    secretariat: User,
    *,
    as_of: date,
    today: date,
) -> list[Target]:
    """The 27 targets in `campaign`, each with its value reported (by `reporters[key]`, the
    secretariat where none is given) and confirmed by the secretariat."""
    targets = []
    for spec in STORY_TARGETS:
        target = save_target(
            None,
            TargetData(
                code=spec.code,
                text=spec.text,
                sector=spec.sector,
                responsible_unit=units[spec.responsible],
                direction=spec.direction,
                target_value=_amount(spec.target),
                baseline=_amount(spec.baseline),
                measure_unit=spec.measure_unit,
                timing=spec.timing,
            ),
            campaign=campaign,
            actor=secretariat,
        )
        if spec.value is not None:
            reporter = reporters.get(spec.responsible, secretariat)
            value = report_value(
                target,
                Report(
                    value=Decimal(spec.value),
                    as_of_on=as_of,
                    note="Số liệu báo cáo sơ kết giữa kỳ.",
                ),
                actor=reporter,
                today=today,
            )
            confirm_value(value, actor=secretariat)
        targets.append(target)
    return targets


def seed_targets(
    campaign: Campaign,
    units: dict[str, Unit],
    reporters: dict[str, User],
    secretariat: User,
    today: date,
) -> None:
    """The demo campaign's targets (once), the body's classification rules, and one newer
    value of a smart-hamlet target waiting for the secretariat."""
    if db.session.scalar(select(Target.id).where(Target.campaign_id == campaign.id)):
        return
    save_bands(campaign.awarding_body, list(DEFAULT_BANDS), actor=secretariat)
    targets = load_story_targets(
        campaign, units, reporters, secretariat, as_of=today - timedelta(days=5), today=today
    )
    pending = next(t for t in targets if t.code == "CT11")
    report_value(
        pending,
        Report(
            value=Decimal(85),
            as_of_on=today,
            note="Ấp Sơn Qui: Tổ công nghệ số cộng đồng đã hướng dẫn 120 hộ cài đặt dịch vụ công.",
        ),
        actor=reporters.get("hamlet", secretariat),
        today=today,
    )
