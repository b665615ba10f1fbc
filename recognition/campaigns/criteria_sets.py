"""Criteria sets of the titles a level's catalogue starts with, as data per period.

The model new-rural titles follow QĐ 319/QĐ-TTg (2022) for 2021 - 2025 and QĐ 51/2025/QĐ-TTg
(one national set of 10 criteria and 47 indicators) for 2026 - 2030; the smart-hamlet and
"effective team" titles are local titles whose criteria the awarding body defines (community
digital-technology teams: CV 793/BTTTT-THH, 2022). These are plausible starting sets, each
labelled with its source, to be adjusted by the body.
"""

from datetime import date

from recognition.campaigns.enums import MeasureKind

Y, N, T = MeasureKind.YES_NO, MeasureKind.NUMBER, MeasureKind.TEXT

# code, group, text, measure, target, unit label, evidence required, required
Spec = tuple[str, str, str, MeasureKind, str | None, str, bool, bool]


def spec(
    code: str,
    group: str,
    text: str,
    measure: MeasureKind = Y,
    target: str | None = None,
    unit_label: str = "",
    evidence: bool = False,
    required: bool = True,
) -> Spec:
    return (code, group, text, measure, target, unit_label, evidence, required)


QD_319 = "QĐ 319/QĐ-TTg (2022), giai đoạn 2021 - 2025"
QD_51 = "QĐ 51/2025/QĐ-TTg, giai đoạn 2026 - 2030"
CV_793 = "CV 793/BTTTT-THH (2022); tiêu chí do cơ quan khen thưởng quy định"

MODELS_2021_2025: dict[str, list[Spec]] = {
    "XA-NTM-KM": [
        spec("KM1", "Điều kiện", "Đã đạt chuẩn xã nông thôn mới nâng cao", evidence=True),
        spec(
            "KM2",
            "Thu nhập",
            "Thu nhập bình quân đầu người cao hơn mức của xã nông thôn mới nâng cao",
            N,
            "10",
            "%",
            True,
        ),
        spec("KM3", "Thôn, ấp thông minh", "Có ít nhất một ấp thông minh", N, "1", "ấp", True),
        spec(
            "KM4",
            "Lĩnh vực nổi trội",
            "Có ít nhất một lĩnh vực nổi trội, tiêu biểu (văn hóa, du lịch, giáo dục, y tế, "
            "chuyển đổi số…)",
            T,
            evidence=True,
        ),
        spec(
            "KM5",
            "Sự hài lòng",
            "Tỷ lệ người dân hài lòng với kết quả xây dựng nông thôn mới",
            N,
            "95",
            "%",
            required=False,
        ),
    ],
    "XA-NTM-TM": [
        spec(
            "TM1",
            "Chính quyền số",
            "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến toàn trình",
            N,
            "80",
            "%",
            True,
        ),
        spec(
            "TM2",
            "Xã hội số",
            "Tỷ lệ người trưởng thành có tài khoản thanh toán điện tử",
            N,
            "70",
            "%",
            True,
        ),
        spec(
            "TM3", "Xã hội số", "Tổ công nghệ số cộng đồng hoạt động ở tất cả các ấp", evidence=True
        ),
        spec(
            "TM4",
            "Kinh tế số",
            "Ứng dụng nền tảng số trong sản xuất, tiêu thụ nông sản (sàn thương mại điện tử, "
            "truy xuất nguồn gốc)",
            T,
            evidence=True,
        ),
        spec("TM5", "An ninh", "Hệ thống camera an ninh kết nối với Công an xã", required=False),
    ],
    "AP-NTM-TM": [
        spec(
            "ATM1", "Hạ tầng số", "Tỷ lệ hộ có đường truyền internet cáp quang", N, "90", "%", True
        ),
        spec(
            "ATM2",
            "Hạ tầng số",
            "Có điểm truy cập wifi công cộng tại nhà văn hóa ấp",
            required=False,
        ),
        spec(
            "ATM3",
            "Tổ công nghệ số",
            "Tổ công nghệ số cộng đồng của ấp hoạt động thường xuyên",
            evidence=True,
        ),
        spec(
            "ATM4",
            "Truyền thanh",
            "Có hệ thống loa truyền thanh ứng dụng công nghệ thông tin - viễn thông",
            required=False,
        ),
    ],
    "DP-TCNSCD": [
        spec(
            "CDS1",
            "Tổ chức",
            "100% ấp có Tổ công nghệ số cộng đồng được kiện toàn theo Công văn 793/BTTTT-THH",
            evidence=True,
        ),
        spec(
            "CDS2",
            "Hiệu quả",
            "Số lượt người dân được Tổ hướng dẫn sử dụng dịch vụ công trực tuyến trong năm",
            N,
            "500",
            "lượt",
            True,
        ),
        spec(
            "CDS3",
            "Hiệu quả",
            "Tỷ lệ hộ gia đình có người biết sử dụng dịch vụ công trực tuyến",
            N,
            "60",
            "%",
            True,
        ),
        spec(
            "CDS4",
            "Nhân rộng",
            "Mô hình, cách làm sáng tạo của Tổ được nhân rộng",
            T,
            required=False,
        ),
    ],
}

# 2026 - 2030: the national set of QĐ 51/2025/QĐ-TTg (10 criteria, 47 indicators) frames the
# new-rural titles; the lines below are a plausible selection, to be checked against the set
# and the province's guidance.
MODELS_2026_2030: dict[str, list[Spec]] = {
    "XA-NTM-KM": [
        spec(
            "HD1",
            "Điều kiện",
            "Đạt chuẩn xã nông thôn mới theo Bộ tiêu chí quốc gia giai đoạn 2026 - 2030",
            evidence=True,
        ),
        spec(
            "HD2",
            "Kinh tế",
            "Thu nhập bình quân đầu người so với mức chuẩn của Bộ tiêu chí",
            N,
            "120",
            "%",
            True,
        ),
        spec(
            "HD3",
            "Chuyển đổi số",
            "Tỷ lệ thủ tục hành chính được giải quyết trực tuyến toàn trình",
            N,
            "90",
            "%",
            True,
        ),
        spec(
            "HD4",
            "Môi trường",
            "Tỷ lệ chất thải rắn sinh hoạt được thu gom, xử lý theo quy định",
            N,
            "95",
            "%",
            True,
        ),
        spec(
            "HD5",
            "Văn hóa",
            "Có mô hình văn hóa, du lịch nông thôn hoặc sản phẩm OCOP tiêu biểu",
            T,
            required=False,
        ),
    ],
    "XA-NTM-TM": [
        spec(
            "STM1",
            "Chính quyền số",
            "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến toàn trình",
            N,
            "90",
            "%",
            True,
        ),
        spec(
            "STM2",
            "Xã hội số",
            "Tỷ lệ người trưởng thành có tài khoản thanh toán điện tử",
            N,
            "85",
            "%",
            True,
        ),
        spec(
            "STM3",
            "Xã hội số",
            "Tổ công nghệ số cộng đồng hoạt động ở tất cả các ấp",
            evidence=True,
        ),
        spec(
            "STM4",
            "Kinh tế số",
            "Tỷ lệ hộ sản xuất, kinh doanh bán hàng qua nền tảng số",
            N,
            "30",
            "%",
            True,
        ),
    ],
    "AP-NTM-TM": [
        spec(
            "SA1", "Hạ tầng số", "Tỷ lệ hộ có đường truyền internet cáp quang", N, "95", "%", True
        ),
        spec(
            "SA2",
            "Tổ công nghệ số",
            "Tổ công nghệ số cộng đồng của ấp hoạt động thường xuyên",
            evidence=True,
        ),
        spec(
            "SA3",
            "Dịch vụ số",
            "Tỷ lệ hộ dùng ít nhất một dịch vụ công trực tuyến trong năm",
            N,
            "70",
            "%",
            True,
        ),
    ],
    "DP-TCNSCD": MODELS_2021_2025["DP-TCNSCD"],
}

SOURCES = {
    "2021-2025": {
        "XA-NTM-KM": QD_319,
        "XA-NTM-TM": QD_319,
        "AP-NTM-TM": CV_793,
        "DP-TCNSCD": CV_793,
    },
    "2026-2030": {"XA-NTM-KM": QD_51, "XA-NTM-TM": QD_51, "AP-NTM-TM": QD_51, "DP-TCNSCD": CV_793},
}


def model_criteria(on: date) -> tuple[str, dict[str, list[Spec]]]:
    """The period containing `on` and its criteria sets of the model titles."""
    if on >= date(2026, 1, 1):
        return "2026-2030", MODELS_2026_2030
    return "2021-2025", MODELS_2021_2025


# Law 06/2022/QH15: Lao động tiên tiến = hoàn thành tốt nhiệm vụ trở lên and team spirit;
# Chiến sĩ thi đua cơ sở = Lao động tiên tiến and (excellent duties, or a recognised
# initiative, or an accepted research project).
LAW_2022 = "Luật Thi đua, khen thưởng 06/2022/QH15"
ONE_OF = "Đạt ít nhất một trong các tiêu chuẩn sau"
STANDARD_CRITERIA: dict[str, list[Spec]] = {
    "LDTT": [
        spec("LD1", "", "Hoàn thành tốt nhiệm vụ trở lên"),
        spec("LD2", "", "Chấp hành tốt chủ trương, chính sách của Đảng, pháp luật của Nhà nước"),
        spec(
            "LD3",
            "",
            "Có tinh thần tự lực, tự cường; đoàn kết, tương trợ, tích cực tham gia phong trào thi đua",
        ),
    ],
    "CSTDCS": [
        spec("CS1", "", "Đạt danh hiệu Lao động tiên tiến", evidence=True),
        spec("CS2", ONE_OF, "Hoàn thành xuất sắc nhiệm vụ", required=False),
        spec("CS3", ONE_OF, "Có sáng kiến được cơ sở công nhận", T, evidence=True, required=False),
        spec(
            "CS4",
            ONE_OF,
            "Có đề tài khoa học, đề án được nghiệm thu",
            T,
            evidence=True,
            required=False,
        ),
    ],
    "TTLDTT": [
        spec("TT1", "", "Hoàn thành tốt nhiệm vụ và kế hoạch được giao"),
        spec("TT2", "", "Có phong trào thi đua thường xuyên, thiết thực, có hiệu quả"),
        spec(
            "TT3",
            "",
            "Có trên 50% cá nhân đạt danh hiệu Lao động tiên tiến và không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên",
            evidence=True,
        ),
        spec("TT4", "", "Nội bộ đoàn kết, chấp hành tốt chủ trương, chính sách, pháp luật"),
    ],
    "GDVH": [
        spec(
            "GD1",
            "",
            "Gương mẫu chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước; tích cực tham gia phong trào thi đua của địa phương",
        ),
        spec("GD2", "", "Gia đình hạnh phúc, tiến bộ, tương trợ giúp đỡ mọi người trong cộng đồng"),
        spec(
            "GD3",
            "",
            "Tổ chức lao động, sản xuất, kinh doanh, công tác, học tập đạt năng suất, hiệu quả",
        ),
    ],
    "APVH": [
        spec("AP1", "", "Đời sống kinh tế ổn định và từng bước phát triển"),
        spec("AP2", "", "Đời sống văn hóa, tinh thần lành mạnh, phong phú"),
        spec("AP3", "", "Môi trường cảnh quan sạch - xanh - đẹp"),
        spec("AP4", "", "Chấp hành tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước"),
        spec("AP5", "", "Có tinh thần đoàn kết, tương trợ, giúp đỡ lẫn nhau trong cộng đồng"),
    ],
}
GIAY_KHEN: list[Spec] = [
    spec("GK1", "", "Có thành tích xuất sắc được bình xét trong phong trào thi đua", T),
]
BANG_KHEN: list[Spec] = [
    spec(
        "BK1",
        "",
        "Có thành tích xuất sắc, tiêu biểu được bình xét trong các phong trào thi đua do tỉnh phát động",
        T,
        evidence=True,
    ),
]
PROVINCE_CRITERIA: dict[str, list[Spec]] = {
    "BK-TT": BANG_KHEN,
    "BK-CN": BANG_KHEN,
    "CSTD-TINH": [
        spec(
            "CT1",
            "",
            "Có thành tích tiêu biểu xuất sắc trong số những cá nhân có 03 lần liên tục đạt danh hiệu Chiến sĩ thi đua cơ sở",
            evidence=True,
        ),
        spec(
            "CT2",
            "",
            "Có sáng kiến, đề tài khoa học, đề án được Hội đồng cấp tỉnh công nhận có phạm vi ảnh hưởng trong tỉnh",
            T,
            evidence=True,
        ),
    ],
    "TTLDXS": [
        spec(
            "XS1",
            "",
            "Sáng tạo, vượt khó hoàn thành xuất sắc nhiệm vụ, thực hiện tốt nghĩa vụ với Nhà nước",
        ),
        spec("XS2", "", "Có phong trào thi đua thường xuyên, thiết thực, hiệu quả"),
        spec(
            "XS3",
            "",
            "100% cá nhân hoàn thành nhiệm vụ, trong đó ít nhất 70% đạt danh hiệu Lao động tiên tiến",
            evidence=True,
        ),
        spec(
            "XS4",
            "",
            "Có cá nhân đạt danh hiệu Chiến sĩ thi đua cơ sở và không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên",
            evidence=True,
        ),
    ],
    "CO-THI-DUA": [
        spec(
            "CO1",
            "",
            "Hoàn thành vượt mức các chỉ tiêu thi đua và nhiệm vụ được giao trong năm; là tập thể tiêu biểu xuất sắc của tỉnh",
            evidence=True,
        ),
        spec("CO2", "", "Có nhân tố mới, mô hình mới để các tập thể khác học tập", T),
        spec(
            "CO3",
            "",
            "Nội bộ đoàn kết, tích cực thực hành tiết kiệm, chống lãng phí, chống tham nhũng và các tệ nạn xã hội",
        ),
    ],
}
