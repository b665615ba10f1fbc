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
