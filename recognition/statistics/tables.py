"""The tables of the yearly report on emulation and commendation, as data.

They start from the former statistical report tables 0601-0605.N/BNV-TĐKT (Thông tư
03/2018/TT-BNV, then 02/2023/TT-BNV; replaced by Thông tư 18/2025/TT-BNV: `CIRCULARS`):
movements launched (0601), state awards (0602), ministry/sector/province awards (0603); the
grassroots awards and the awards by unit are added in the same layout (each table says where
it comes from). The ministry changes its templates: a new layout is a change of the
definitions below (rows, columns, titles), never of the code that fills them
(recognition.statistics.export).

A row selects awards by level, by legal standard and by words of the award's name (folded, as
whole words); a row with neither standards nor words takes every award of its levels. A
column is a measure of the selected awards (or, in the movements' table, of the movements)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from recognition.law.enums import AwardStandard as S
from recognition.statistics.enums import AwardLevel as L

# Measures of a column.
TOTAL = "total"
COLLECTIVE = "collective"
INDIVIDUAL = "individual"
HOUSEHOLD = "household"
WOMEN = "women"
MOVEMENTS = "movements"

# What a table's rows count: awards, movements, or one row per unit (generated).
AWARDS = "awards"
CAMPAIGNS = "campaigns"
UNITS = "units"

# Rows of the movements' table.
ALL_MOVEMENTS = "all"
REGULAR = "regular"
BY_STAGE = "by_stage"


@dataclass(frozen=True)
class ReportColumn:
    header: str
    measure: str
    width: int = 14


@dataclass(frozen=True)
class ReportRow:
    label: str
    levels: frozenset[L] = frozenset(L)
    standards: frozenset[S] = frozenset()
    words: tuple[str, ...] = ()
    movements: str = ALL_MOVEMENTS
    is_total: bool = False


@dataclass(frozen=True)
class ReportTable:
    code: str
    title: str
    counts: str
    columns: tuple[ReportColumn, ...]
    rows: tuple[ReportRow, ...] = ()
    # What a table added to the former ones counts (empty: a former table's layout); where
    # the layout comes from is printed under the title (`source_of`).
    added: str = ""
    note: str = ""
    label_header: str = "Nội dung"
    label_width: int = 48


# The circulars whose statistical report tables the layout follows, by the day each came into
# force: a report cites the one in force on the last day of the year it reports on (as a
# decision cites its legal bases as they stand on its date). TT 03/2018/TT-BNV's tables
# 0601-0605.N/BNV-TĐKT were kept by TT 02/2023/TT-BNV (in force 15-5-2023); TT 18/2025/TT-BNV,
# signed 8-10-2025, replaced them (in force 45 days after signing, the usual term: correct the
# day here if the Official Gazette gives another).
CIRCULARS: tuple[tuple[date, str], ...] = (
    (date(2018, 1, 1), "Thông tư 03/2018/TT-BNV"),
    (date(2023, 5, 15), "Thông tư 02/2023/TT-BNV"),
    (date(2025, 11, 22), "Thông tư 18/2025/TT-BNV"),
)
FORMER_CODES = "{code}.N/BNV-TĐKT"
# Up to TT 02/2023 the tables carried the codes 0601-0605.N/BNV-TĐKT; the circular in force
# since keeps the content in its own tables: the sheet says where its layout comes from.
FORMER = "Theo bố cục biểu {code}.N/BNV-TĐKT ({circular})."
FORMER_REPLACED = (
    "Theo bố cục biểu {code}.N/BNV-TĐKT của Thông tư 02/2023/TT-BNV, nay được thay thế bởi "
    "các biểu thống kê thi đua, khen thưởng của {circular}."
)
ADDED = "Bổ sung bộ biểu thống kê thi đua, khen thưởng ({circular}): {what}."


def circular_for(year: int) -> str:
    """The circular in force on the last day of `year` (the oldest known before it)."""
    last_day = date(year, 12, 31)
    found = CIRCULARS[0][1]
    for since, circular in CIRCULARS:
        if since <= last_day:
            found = circular
    return found


def source_of(table: ReportTable, year: int) -> str:
    """Where the table's layout comes from, for a report on `year`."""
    circular = circular_for(year)
    if table.added:
        return ADDED.format(circular=circular, what=table.added)
    if circular == CIRCULARS[-1][1]:
        return FORMER_REPLACED.format(code=table.code, circular=circular)
    return FORMER.format(code=table.code, circular=circular)


AWARD_COLUMNS = (
    ReportColumn("Tổng số", TOTAL),
    ReportColumn("Tập thể", COLLECTIVE),
    ReportColumn("Cá nhân", INDIVIDUAL),
    ReportColumn("Hộ gia đình", HOUSEHOLD),
    ReportColumn("Trong đó: cá nhân nữ", WOMEN, 16),
)
STATE = frozenset({L.STATE})
PROVINCE = frozenset({L.PROVINCE})
GRASSROOTS = frozenset({L.DISTRICT, L.COMMUNE})


def award_rows(
    levels: frozenset[L], *rows: tuple[str, S | None, tuple[str, ...]]
) -> tuple[ReportRow, ...]:
    """The rows of a table of awards of `levels`: the total, then a row for each (label, legal
    standard or None, words of the name)."""
    return (
        ReportRow("Tổng số", levels, is_total=True),
        *(
            ReportRow(label, levels, frozenset({standard} if standard else ()), words)
            for label, standard, words in rows
        ),
    )


REPORT_TABLES: tuple[ReportTable, ...] = (
    ReportTable(
        code="0601",
        title="SỐ PHONG TRÀO THI ĐUA ĐƯỢC PHÁT ĐỘNG",
        counts=CAMPAIGNS,
        columns=(ReportColumn("Số phong trào", MOVEMENTS),),
        rows=(
            ReportRow("Tổng số phong trào thi đua", movements=ALL_MOVEMENTS, is_total=True),
            ReportRow("Phong trào thi đua thường xuyên", movements=REGULAR),
            ReportRow("Phong trào thi đua theo đợt, chuyên đề", movements=BY_STAGE),
        ),
        note="Phong trào thường xuyên: thời gian thực hiện từ 300 ngày trở lên.",
    ),
    ReportTable(
        code="0602",
        title="SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC",
        counts=AWARDS,
        columns=AWARD_COLUMNS,
        rows=award_rows(
            STATE,
            ("Huân chương", None, ("huan chuong",)),
            ("Huy chương", None, ("huy chuong",)),
            ("Danh hiệu vinh dự Nhà nước", None, ("danh hieu vinh du", "anh hung")),
            ("Bằng khen của Thủ tướng Chính phủ", None, ("thu tuong",)),
            ("Chiến sĩ thi đua toàn quốc", None, ("chien si thi dua toan quoc",)),
            ("Cờ thi đua của Chính phủ", None, ("co thi dua",)),
        ),
    ),
    ReportTable(
        code="0603",
        title="SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, TỈNH",
        counts=AWARDS,
        columns=AWARD_COLUMNS,
        rows=award_rows(
            PROVINCE,
            ("Bằng khen", S.BANG_KHEN_TINH, ("bang khen",)),
            ("Cờ thi đua", S.CO_THI_DUA_TINH, ("co thi dua",)),
            (
                "Chiến sĩ thi đua cấp bộ, ngành, tỉnh",
                S.CSTD_TINH,
                ("chien si thi dua cap tinh", "chien si thi dua cap bo"),
            ),
            ("Tập thể lao động xuất sắc", S.TAP_THE_LDXS, ("lao dong xuat sac",)),
        ),
    ),
    ReportTable(
        code="0604",
        title="SỐ LƯỢNG DANH HIỆU THI ĐUA VÀ HÌNH THỨC KHEN THƯỞNG CẤP CƠ SỞ",
        counts=AWARDS,
        added="danh hiệu và hình thức khen thưởng cấp huyện, cấp xã",
        columns=AWARD_COLUMNS,
        rows=award_rows(
            GRASSROOTS,
            ("Giấy khen", S.GIAY_KHEN, ("giay khen",)),
            ("Chiến sĩ thi đua cơ sở", S.CSTD_CO_SO, ("chien si thi dua co so",)),
            ("Lao động tiên tiến", S.LAO_DONG_TIEN_TIEN, ("^lao dong tien tien",)),
            ("Tập thể lao động tiên tiến", S.TAP_THE_LDTT, ("tap the lao dong tien tien",)),
            ("Gia đình văn hóa", S.GIA_DINH_VAN_HOA, ("gia dinh van hoa",)),
            (
                "Thôn, ấp, tổ dân phố văn hóa",
                S.THON_AP_VAN_HOA,
                ("ap van hoa", "thon van hoa", "to dan pho van hoa"),
            ),
            ("Danh hiệu, điển hình của cơ quan khen thưởng", S.OWN_TITLE, ("dien hinh",)),
        ),
    ),
    ReportTable(
        code="0605",
        title="SỐ LƯỢNG KHEN THƯỞNG THEO ĐƠN VỊ",
        counts=UNITS,
        columns=AWARD_COLUMNS,
        added="khen thưởng theo đơn vị trên địa bàn",
        label_header="Đơn vị",
        label_width=40,
    ),
)
