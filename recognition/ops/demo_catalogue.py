"""The award catalogue Chợ Lách district used in 2024 and its 2024 - 2025 peak campaign (the
district ended on 30 June 2025; its catalogue and campaign stay as history).

Criteria follow public frames where they exist (QĐ 319/QĐ-TTg 2022 for model new-rural
communes, CV 793/BTTTT-THH 2022 for community digital-technology teams); the smart-hamlet and
"effective team" sets are local titles whose criteria the awarding body defines, so these are
plausible examples, to be replaced by the body's own.
"""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from recognition.auth.models import User
from recognition.campaigns.enums import (
    AwardKind,
    CampaignAction,
    MeasureKind,
    NomineeKind,
    VoteBase,
    VoteMethod,
    default_report_sections,
)
from recognition.campaigns.models import AwardType, Campaign
from recognition.campaigns.services import (
    AwardTypeData,
    CampaignData,
    CriterionData,
    offer_award,
    save_award_type,
    save_campaign,
    save_criterion,
)
from recognition.campaigns.workflow import apply_campaign_action
from recognition.extensions import db
from recognition.law.enums import AwardStandard
from recognition.units.enums import UnitKind
from recognition.units.models import Unit

# The law's standard of the titles that are one (the others are the district's own titles).
STANDARDS = {
    "GK": AwardStandard.GIAY_KHEN,
    "LDTT": AwardStandard.LAO_DONG_TIEN_TIEN,
    "CSTDCS": AwardStandard.CSTD_CO_SO,
}
Y, N, T = MeasureKind.YES_NO, MeasureKind.NUMBER, MeasureKind.TEXT
COMMUNES = [UnitKind.COMMUNE.value, UnitKind.TOWNSHIP.value, UnitKind.WARD.value]

# code, name, certificate title, kind, nominee kind, eligible kinds, vote, criteria
CATALOGUE = [
    (
        "XA-NTM-KM",
        "Điển hình xã đạt chuẩn nông thôn mới kiểu mẫu",
        "ĐIỂN HÌNH XÃ NÔNG THÔN MỚI KIỂU MẪU",
        AwardKind.MODEL,
        NomineeKind.COLLECTIVE,
        COMMUNES,
        (VoteMethod.SECRET_BALLOT, 90, VoteBase.ALL_MEMBERS),
        [
            ("KM1", "Điều kiện", "Đã đạt chuẩn xã nông thôn mới nâng cao", Y, None, "", True),
            (
                "KM2",
                "Thu nhập",
                "Thu nhập bình quân đầu người cao hơn mức của xã nông thôn mới nâng cao",
                N,
                "10",
                "%",
                True,
            ),
            ("KM3", "Thôn, ấp thông minh", "Có ít nhất một ấp thông minh", N, "1", "ấp", True),
            (
                "KM4",
                "Lĩnh vực nổi trội",
                "Có ít nhất một lĩnh vực nổi trội, tiêu biểu (văn hóa, du lịch, giáo dục, y tế, chuyển đổi số…)",
                T,
                None,
                "",
                True,
            ),
            (
                "KM5",
                "Sự hài lòng",
                "Tỷ lệ người dân hài lòng với kết quả xây dựng nông thôn mới",
                N,
                "95",
                "%",
                False,
            ),
        ],
    ),
    (
        "XA-NTM-TM",
        "Điển hình xã nông thôn mới thông minh",
        "ĐIỂN HÌNH XÃ NÔNG THÔN MỚI THÔNG MINH",
        AwardKind.MODEL,
        NomineeKind.COLLECTIVE,
        COMMUNES,
        (VoteMethod.SECRET_BALLOT, 90, VoteBase.ALL_MEMBERS),
        [
            (
                "TM1",
                "Chính quyền số",
                "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến toàn trình",
                N,
                "80",
                "%",
                True,
            ),
            (
                "TM2",
                "Xã hội số",
                "Tỷ lệ người trưởng thành có tài khoản thanh toán điện tử",
                N,
                "70",
                "%",
                True,
            ),
            (
                "TM3",
                "Xã hội số",
                "Tổ công nghệ số cộng đồng hoạt động ở tất cả các ấp",
                Y,
                None,
                "",
                True,
            ),
            (
                "TM4",
                "Kinh tế số",
                "Ứng dụng nền tảng số trong sản xuất, tiêu thụ nông sản (sàn thương mại điện tử, truy xuất nguồn gốc)",
                T,
                None,
                "",
                True,
            ),
            (
                "TM5",
                "An ninh",
                "Hệ thống camera an ninh kết nối với Công an xã",
                Y,
                None,
                "",
                False,
            ),
        ],
    ),
    (
        "AP-NTM-TM",
        "Điển hình ấp nông thôn mới thông minh",
        "ĐIỂN HÌNH ẤP NÔNG THÔN MỚI THÔNG MINH",
        AwardKind.MODEL,
        NomineeKind.COLLECTIVE,
        [UnitKind.HAMLET.value],
        (VoteMethod.SECRET_BALLOT, 70, VoteBase.PRESENT),
        [
            (
                "ATM1",
                "Hạ tầng số",
                "Tỷ lệ hộ có đường truyền internet cáp quang",
                N,
                "90",
                "%",
                True,
            ),
            (
                "ATM2",
                "Hạ tầng số",
                "Có điểm truy cập wifi công cộng tại nhà văn hóa ấp",
                Y,
                None,
                "",
                False,
            ),
            (
                "ATM3",
                "Tổ công nghệ số",
                "Tổ công nghệ số cộng đồng của ấp hoạt động thường xuyên",
                Y,
                None,
                "",
                True,
            ),
            (
                "ATM4",
                "Truyền thanh",
                "Có hệ thống loa truyền thanh ứng dụng công nghệ thông tin - viễn thông",
                Y,
                None,
                "",
                False,
            ),
        ],
    ),
    (
        "DP-TCNSCD",
        "Điển hình địa phương xây dựng và nhân rộng Tổ chuyển đổi số cộng đồng hiệu quả",
        "ĐIỂN HÌNH XÂY DỰNG TỔ CHUYỂN ĐỔI SỐ CỘNG ĐỒNG HIỆU QUẢ",
        AwardKind.MODEL,
        NomineeKind.COLLECTIVE,
        COMMUNES,
        (VoteMethod.SECRET_BALLOT, 70, VoteBase.PRESENT),
        [
            (
                "CDS1",
                "Tổ chức",
                "100% ấp có Tổ công nghệ số cộng đồng được kiện toàn theo Công văn 793/BTTTT-THH",
                Y,
                None,
                "",
                True,
            ),
            (
                "CDS2",
                "Hiệu quả",
                "Số lượt người dân được Tổ hướng dẫn sử dụng dịch vụ công trực tuyến trong năm",
                N,
                "500",
                "lượt",
                True,
            ),
            (
                "CDS3",
                "Hiệu quả",
                "Tỷ lệ hộ gia đình có người biết sử dụng dịch vụ công trực tuyến",
                N,
                "60",
                "%",
                True,
            ),
            (
                "CDS4",
                "Nhân rộng",
                "Mô hình, cách làm sáng tạo của Tổ được nhân rộng",
                T,
                None,
                "",
                False,
            ),
        ],
    ),
    (
        "TTTB-DKM",
        "Tập thể tiêu biểu 3 năm thực hiện phong trào thi đua “Đồng khởi mới”",
        "GIẤY KHEN",
        AwardKind.COMMENDATION,
        NomineeKind.COLLECTIVE,
        [],
        (VoteMethod.SECRET_BALLOT, 70, VoteBase.PRESENT),
        [
            ("TB1", "", "Hoàn thành xuất sắc nhiệm vụ trong 3 năm 2021 - 2023", Y, None, "", True),
            (
                "TB2",
                "",
                "Có mô hình, cách làm hay trong phong trào thi đua “Đồng khởi mới”",
                T,
                None,
                "",
                True,
            ),
            (
                "TB3",
                "",
                "Nội bộ đoàn kết, chấp hành tốt chủ trương, chính sách, pháp luật",
                Y,
                None,
                "",
                True,
            ),
        ],
    ),
    (
        "GK-TT",
        "Giấy khen của Chủ tịch UBND huyện (tập thể)",
        "GIẤY KHEN",
        AwardKind.COMMENDATION,
        NomineeKind.COLLECTIVE,
        [],
        (VoteMethod.SHOW_OF_HANDS, 70, VoteBase.PRESENT),
        [
            (
                "GK1",
                "",
                "Có thành tích xuất sắc được bình xét trong phong trào thi đua",
                T,
                None,
                "",
                True,
            ),
        ],
    ),
    (
        "GK-CN",
        "Giấy khen của Chủ tịch UBND huyện (cá nhân)",
        "GIẤY KHEN",
        AwardKind.COMMENDATION,
        NomineeKind.INDIVIDUAL,
        [],
        (VoteMethod.SHOW_OF_HANDS, 70, VoteBase.PRESENT),
        [
            (
                "GK1",
                "",
                "Có thành tích xuất sắc được bình xét trong phong trào thi đua",
                T,
                None,
                "",
                True,
            ),
        ],
    ),
    (
        "LDTT",
        "Lao động tiên tiến",
        "LAO ĐỘNG TIÊN TIẾN",
        AwardKind.TITLE,
        NomineeKind.INDIVIDUAL,
        [],
        (VoteMethod.SHOW_OF_HANDS, 50, VoteBase.PRESENT),
        [
            ("LD1", "", "Hoàn thành tốt nhiệm vụ được giao", Y, None, "", True),
            (
                "LD2",
                "",
                "Chấp hành tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước",
                Y,
                None,
                "",
                True,
            ),
            (
                "LD3",
                "",
                "Tích cực học tập chính trị, văn hóa, chuyên môn, nghiệp vụ",
                Y,
                None,
                "",
                True,
            ),
        ],
    ),
    (
        "CSTDCS",
        "Chiến sĩ thi đua cơ sở",
        "CHIẾN SĨ THI ĐUA CƠ SỞ",
        AwardKind.TITLE,
        NomineeKind.INDIVIDUAL,
        [],
        (VoteMethod.SECRET_BALLOT, 80, VoteBase.ALL_MEMBERS),
        [
            ("CS1", "", "Đạt danh hiệu Lao động tiên tiến trong năm", Y, None, "", True),
            (
                "CS2",
                "",
                "Có sáng kiến được cơ sở công nhận, hoặc đề tài, đề án được nghiệm thu",
                T,
                None,
                "",
                True,
            ),
        ],
    ),
]


def _award_type(body: Unit, spec: tuple, position: int) -> AwardType:
    code, name, title, kind, nominee, kinds, (method, threshold, base), criteria = spec
    award = db.session.scalar(
        select(AwardType).where(AwardType.awarding_body_id == body.id, AwardType.code == code)
    )
    if award is not None:
        return award
    standard = STANDARDS.get(code.split("-")[0], AwardStandard.OWN_TITLE)
    award = save_award_type(
        None,
        AwardTypeData(
            code=code,
            name=name,
            certificate_title=title,
            kind=kind,
            nominee_kind=nominee,
            eligible_unit_kinds=kinds,
            vote_method=method,
            vote_threshold_percent=Decimal(threshold),
            vote_base=base,
            standard=standard,
            required_report_sections=default_report_sections(standard, kind),
            simplified_allowed=code.startswith("GK"),
            public_posting_days=5 if kind == AwardKind.MODEL else 0,
        ),
        awarding_body=body,
    )
    award.position = position
    for c_code, group, text, measure, target, unit_label, evidence in criteria:
        save_criterion(
            award,
            None,
            CriterionData(
                code=c_code,
                group=group,
                text=text,
                measure=measure,
                target=Decimal(target) if target else None,
                unit_label=unit_label,
                evidence_required=evidence,
            ),
        )
    return award


def seed_catalogue(district: Unit, *, secretariat: User) -> Campaign:
    """The district's catalogue and its campaign, opened by `secretariat` (created once)."""
    awards = {spec[0]: _award_type(district, spec, i) for i, spec in enumerate(CATALOGUE)}
    name = "Cao điểm thi đua “Đồng khởi mới” năm 2024 - 2025"
    campaign = db.session.scalar(
        select(Campaign).where(Campaign.awarding_body_id == district.id, Campaign.name == name)
    )
    if campaign is None:
        campaign = save_campaign(
            None,
            CampaignData(
                name=name,
                directive_reference="Chỉ thị số 01-CT/TU ngày 17-10-2020 của Ban Thường vụ Tỉnh ủy",
                description=(
                    "Học tập điển hình, bắt kịp điển hình, vượt qua điển hình.\n"
                    "Hiểu đúng - Nhận thức sâu - Đồng thuận cao - Tích cực hưởng ứng thực "
                    "hiện."
                ),
                period_start=date(2024, 1, 1),
                period_end=date(2025, 12, 31),
                opens_on=date(2024, 3, 4),
                closes_on=date(2024, 10, 31),
            ),
            awarding_body=district,
        )
        for code in (
            "XA-NTM-KM",
            "XA-NTM-TM",
            "AP-NTM-TM",
            "DP-TCNSCD",
            "TTTB-DKM",
            "GK-TT",
            "GK-CN",
        ):
            offer_award(campaign, awards[code], quota=2 if code.startswith("GK") else None)
        apply_campaign_action(campaign, CampaignAction.OPEN, actor=secretariat)
    db.session.flush()
    return campaign
