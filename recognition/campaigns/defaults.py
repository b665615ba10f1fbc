"""The standard catalogue of an awarding body's level: what a commune's or a province's
chairman awards under the law in force on a date (Law 06/2022/QH15, NĐ 152/2025/NĐ-CP), with a
first set of criteria each body then edits as its own."""

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select

from recognition.campaigns.enums import AwardKind, MeasureKind, NomineeKind, VoteBase, VoteMethod
from recognition.campaigns.models import AwardType
from recognition.campaigns.services import (
    AwardTypeData,
    CriterionData,
    save_award_type,
    save_criterion,
)
from recognition.extensions import db
from recognition.units.enums import UnitKind
from recognition.units.models import Unit

Y, N, T = MeasureKind.YES_NO, MeasureKind.NUMBER, MeasureKind.TEXT
C, P, H = NomineeKind.COLLECTIVE, NomineeKind.INDIVIDUAL, NomineeKind.HOUSEHOLD
HANDS, SECRET = VoteMethod.SHOW_OF_HANDS, VoteMethod.SECRET_BALLOT
COMMUNES = [UnitKind.COMMUNE.value, UnitKind.WARD.value, UnitKind.TOWNSHIP.value]


class Spec(NamedTuple):
    code: str
    name: str
    certificate_title: str
    kind: AwardKind
    nominee: NomineeKind
    eligible: list[str]
    vote: tuple[VoteMethod, int, VoteBase]
    criteria: list[tuple[str, str, MeasureKind, str | None, str]]


_PRESENT_70 = (SECRET, 70, VoteBase.PRESENT)
_GOOD_WORK = ("TC1", "Hoàn thành tốt nhiệm vụ được giao", Y, None, "")

COMMUNE_LEVEL = [
    Spec(
        "GK-TT",
        "Giấy khen của Chủ tịch UBND xã (tập thể)",
        "GIẤY KHEN",
        AwardKind.COMMENDATION,
        C,
        [],
        (HANDS, 50, VoteBase.PRESENT),
        [("GK1", "Có thành tích xuất sắc được bình xét trong phong trào thi đua", T, None, "")],
    ),
    Spec(
        "GK-CN",
        "Giấy khen của Chủ tịch UBND xã (cá nhân)",
        "GIẤY KHEN",
        AwardKind.COMMENDATION,
        P,
        [],
        (HANDS, 50, VoteBase.PRESENT),
        [("GK1", "Có thành tích xuất sắc được bình xét trong phong trào thi đua", T, None, "")],
    ),
    Spec(
        "LDTT",
        "Lao động tiên tiến",
        "LAO ĐỘNG TIÊN TIẾN",
        AwardKind.TITLE,
        P,
        [],
        (HANDS, 50, VoteBase.PRESENT),
        [_GOOD_WORK, ("TC2", "Có tinh thần tự lực, tự cường, đoàn kết, tương trợ", Y, None, "")],
    ),
    Spec(
        "CSTDCS",
        "Chiến sĩ thi đua cơ sở",
        "CHIẾN SĨ THI ĐUA CƠ SỞ",
        AwardKind.TITLE,
        P,
        [],
        (SECRET, 80, VoteBase.ALL_MEMBERS),
        [
            ("CS1", "Đạt danh hiệu Lao động tiên tiến", Y, None, ""),
            ("CS2", "Có sáng kiến được công nhận hoặc đề tài được nghiệm thu", T, None, ""),
        ],
    ),
    Spec(
        "TTLDTT",
        "Tập thể lao động tiên tiến",
        "TẬP THỂ LAO ĐỘNG TIÊN TIẾN",
        AwardKind.TITLE,
        C,
        [],
        (HANDS, 50, VoteBase.PRESENT),
        [_GOOD_WORK],
    ),
    Spec(
        "GDVH",
        "Gia đình văn hóa",
        "GIA ĐÌNH VĂN HÓA",
        AwardKind.TITLE,
        H,
        [],
        (HANDS, 50, VoteBase.PRESENT),
        [("GD1", "Gương mẫu chấp hành chủ trương, chính sách, pháp luật", Y, None, "")],
    ),
    Spec(
        "APVH",
        "Ấp văn hóa",
        "ẤP VĂN HÓA",
        AwardKind.TITLE,
        C,
        [UnitKind.HAMLET.value],
        (HANDS, 50, VoteBase.PRESENT),
        [("AV1", "Tỷ lệ hộ gia đình đạt danh hiệu Gia đình văn hóa", N, "70", "%")],
    ),
    Spec(
        "XA-NTM-KM",
        "Điển hình xã đạt chuẩn nông thôn mới kiểu mẫu",
        "ĐIỂN HÌNH XÃ NÔNG THÔN MỚI KIỂU MẪU",
        AwardKind.MODEL,
        C,
        COMMUNES,
        _PRESENT_70,
        [("KM1", "Đã đạt chuẩn xã nông thôn mới nâng cao", Y, None, "")],
    ),
    Spec(
        "XA-NTM-TM",
        "Điển hình xã nông thôn mới thông minh",
        "ĐIỂN HÌNH XÃ NÔNG THÔN MỚI THÔNG MINH",
        AwardKind.MODEL,
        C,
        COMMUNES,
        _PRESENT_70,
        [("TM1", "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến toàn trình", N, "80", "%")],
    ),
    Spec(
        "AP-NTM-TM",
        "Điển hình ấp nông thôn mới thông minh",
        "ĐIỂN HÌNH ẤP NÔNG THÔN MỚI THÔNG MINH",
        AwardKind.MODEL,
        C,
        [UnitKind.HAMLET.value],
        _PRESENT_70,
        [("ATM1", "Tổ công nghệ số cộng đồng của ấp hoạt động thường xuyên", Y, None, "")],
    ),
    Spec(
        "DP-TCNSCD",
        "Điển hình xây dựng và nhân rộng Tổ công nghệ số cộng đồng hiệu quả",
        "ĐIỂN HÌNH XÂY DỰNG TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG HIỆU QUẢ",
        AwardKind.MODEL,
        C,
        [],
        _PRESENT_70,
        [("CDS1", "Số lượt người dân được Tổ hướng dẫn dùng dịch vụ công", N, "500", "lượt")],
    ),
]

PROVINCE_LEVEL = [
    Spec(
        "BK-TT",
        "Bằng khen của Chủ tịch UBND tỉnh (tập thể)",
        "BẰNG KHEN",
        AwardKind.COMMENDATION,
        C,
        [],
        _PRESENT_70,
        [("BK1", "Có thành tích xuất sắc, tiêu biểu trong phong trào thi đua", T, None, "")],
    ),
    Spec(
        "BK-CN",
        "Bằng khen của Chủ tịch UBND tỉnh (cá nhân)",
        "BẰNG KHEN",
        AwardKind.COMMENDATION,
        P,
        [],
        _PRESENT_70,
        [("BK1", "Có thành tích xuất sắc, tiêu biểu trong phong trào thi đua", T, None, "")],
    ),
    Spec(
        "CSTD-TINH",
        "Chiến sĩ thi đua cấp tỉnh",
        "CHIẾN SĨ THI ĐUA CẤP TỈNH",
        AwardKind.TITLE,
        P,
        [],
        (SECRET, 90, VoteBase.ALL_MEMBERS),
        [("CT1", "Ba lần liên tục đạt danh hiệu Chiến sĩ thi đua cơ sở", Y, None, "")],
    ),
    Spec(
        "TTLDXS",
        "Tập thể lao động xuất sắc",
        "TẬP THỂ LAO ĐỘNG XUẤT SẮC",
        AwardKind.TITLE,
        C,
        [],
        _PRESENT_70,
        [("XS1", "Hoàn thành xuất sắc nhiệm vụ được giao", Y, None, "")],
    ),
    Spec(
        "CO-THI-DUA",
        "Cờ thi đua của Ủy ban nhân dân tỉnh",
        "CỜ THI ĐUA",
        AwardKind.TITLE,
        C,
        [],
        (SECRET, 80, VoteBase.ALL_MEMBERS),
        [("CO1", "Tiêu biểu xuất sắc, dẫn đầu khối, cụm thi đua", Y, None, "")],
    ),
]


def _award_type(body: Unit, spec: Spec, position: int) -> AwardType:
    existing = db.session.scalar(
        select(AwardType).where(AwardType.awarding_body_id == body.id, AwardType.code == spec.code)
    )
    if existing is not None:
        return existing
    method, threshold, base = spec.vote
    award = save_award_type(
        None,
        AwardTypeData(
            code=spec.code,
            name=spec.name,
            certificate_title=spec.certificate_title,
            kind=spec.kind,
            nominee_kind=spec.nominee,
            eligible_unit_kinds=spec.eligible,
            vote_method=method,
            vote_threshold_percent=Decimal(threshold),
            vote_base=base,
            simplified_allowed=spec.kind == AwardKind.COMMENDATION,
            public_posting_days=5 if spec.kind == AwardKind.MODEL else 0,
        ),
        awarding_body=body,
    )
    award.position = position
    for code, text, measure, target, unit_label in spec.criteria:
        save_criterion(
            award,
            None,
            CriterionData(
                code=code,
                text=text,
                measure=measure,
                target=Decimal(target) if target else None,
                unit_label=unit_label,
            ),
        )
    return award


def seed_level_catalogue(body: Unit, *, on: date) -> dict[str, AwardType]:
    """The award types a body of this level awards on `on`, by code; those it lacks are created
    (existing ones are left as the body edited them)."""
    specs = PROVINCE_LEVEL if body.kind == UnitKind.PROVINCE else COMMUNE_LEVEL
    return {spec.code: _award_type(body, spec, i) for i, spec in enumerate(specs)}
