"""Criteria of the law's titles and commendations a level's catalogue starts with (Law on
Emulation and Commendation 06/2022/QH15), as data; the body adjusts them."""

from recognition.campaigns.criteria_sets import Spec, T, spec

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
