"""The legal rules the application applies, each with its dated default values.

A rule's value changes when the law does: each default is `(valid_from, value, source,
uncertain)`, and the value in force on a day is the one with the latest `valid_from` on or
before it (`recognition.law.rules.rules_on`). The administrator adds or corrects dated values
on the law page (`LawValue` rows), which take precedence over these defaults on the same day.

Values are kept in their JSON form (what the table stores): text lines and award standards as
lists, decimals as strings, amounts in đồng and days as integers, a fraction as two integers,
a vote rule as a mapping. Sources: /docs and DOMAIN "The law in force".

Each kind of value has the bounds that make sense for it (`KIND_BOUNDS`: an amount of at
least 1 đồng, a coefficient above 0, at least one line of legal bases); a rule whose meaning
differs says so with its own `bounds` (the district's powers are empty since 1-7-2025).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from recognition.law.enums import AwardStandard, RuleGroup, RuleKind, VoteBase, VoteMethod

A = AwardStandard

# Law on Emulation and Commendation 06/2022/QH15 and NĐ 98/2023/NĐ-CP: in force 1-1-2024.
LAW_2022 = date(2024, 1, 1)
# Two levels of local government (Law 72/2025/QH15) and NĐ 152/2025/NĐ-CP: 1-7-2025.
REFORM_2025 = date(2025, 7, 1)

ND_98 = "Nghị định số 98/2023/NĐ-CP"
ND_152 = "Nghị định số 152/2025/NĐ-CP"


@dataclass(frozen=True)
class Dated:
    """One dated value of a rule, as the law (or the administrator) sets it."""

    valid_from: date
    value: Any
    source: str
    uncertain: bool = False
    note: str = ""


@dataclass(frozen=True)
class Bounds:
    """The values that make sense for a rule: a number from `least` to `most` (`least` itself
    refused when `above_least`: "more than 0"); `may_be_empty` lets a list, or a percentage,
    be left empty (no award, no cap)."""

    least: Decimal = Decimal(0)
    most: Decimal = Decimal(0)
    above_least: bool = False
    may_be_empty: bool = False


LARGEST_MONEY = 10**12

# What each kind of value allows unless its rule says otherwise: a base salary or a rounding
# step of 0 đ, a coefficient of 0 or a decision with no "Căn cứ" line make no sense. A vote
# rule's threshold and a fraction are bounded by their own parsers (above 0, at most 100 % or 1).
KIND_BOUNDS = {
    RuleKind.TEXT_LINES: Bounds(),
    RuleKind.INTEGER: Bounds(Decimal(1), Decimal(3650)),
    RuleKind.MONEY: Bounds(Decimal(1), Decimal(LARGEST_MONEY)),
    RuleKind.DECIMAL: Bounds(Decimal(0), Decimal(1000), above_least=True),
    RuleKind.PERCENT: Bounds(Decimal(0), Decimal(100), above_least=True, may_be_empty=True),
    RuleKind.FRACTION: Bounds(Decimal(0), Decimal(1), above_least=True),
    RuleKind.STANDARDS: Bounds(),
    RuleKind.VOTE: Bounds(Decimal(0), Decimal(100), above_least=True),
}


@dataclass(frozen=True)
class Rule:
    key: str
    label: Any  # a lazy gettext string
    kind: RuleKind
    group: RuleGroup
    defaults: tuple[Dated, ...]
    # For a vote rule or a coefficient: the standard it is about.
    standard: AwardStandard | None = None
    # Where the kind's bounds (KIND_BOUNDS) do not fit the rule's meaning.
    own_bounds: Bounds | None = field(default=None, repr=False)
    # A change reported for this day whose text is not yet known: the law page reminds the
    # administrator to enter it (`recognition.law.rules.expected_changes`).
    expected_from: date | None = None

    @property
    def bounds(self) -> Bounds:
        """The values the administrator may enter for this rule."""
        return self.own_bounds if self.own_bounds is not None else KIND_BOUNDS[self.kind]


BASES_2024 = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức "
    "chính quyền địa phương ngày 22 tháng 11 năm 2019;",
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
    "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi "
    "tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
]
# Each law with its number and date, as the decisions of the two-level government cite them.
BASES_2025 = [
    "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;",
    "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;",
    "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi "
    "tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
]

PROVINCE_AWARDS = [A.BANG_KHEN_TINH, A.CSTD_TINH, A.TAP_THE_LDXS, A.CO_THI_DUA_TINH]
DISTRICT_AWARDS_2024 = [
    A.GIAY_KHEN,
    A.LAO_DONG_TIEN_TIEN,
    A.CSTD_CO_SO,
    A.TAP_THE_LDTT,
    A.THON_AP_VAN_HOA,
]
COMMUNE_AWARDS_2024 = [A.GIAY_KHEN, A.GIA_DINH_VAN_HOA]
# Since 1-7-2025 the commune chairman holds the former district powers and the commune's own.
COMMUNE_AWARDS_2025 = [
    A.GIAY_KHEN,
    A.LAO_DONG_TIEN_TIEN,
    A.CSTD_CO_SO,
    A.TAP_THE_LDTT,
    A.GIA_DINH_VAN_HOA,
    A.THON_AP_VAN_HOA,
]


def _label_of(standard: AwardStandard) -> LazyString:
    """The standard's label, translated when shown (not when this module is imported)."""
    return LazyString(lambda: standard.label)


def _standards(values: list[AwardStandard]) -> list[str]:
    return [value.value for value in values]


def vote_value(
    *,
    required: bool,
    method: VoteMethod,
    threshold: str,
    base: VoteBase,
    absentees_in_writing: bool,
) -> dict[str, Any]:
    """A vote rule in its stored form."""
    return {
        "required": required,
        "method": method.value,
        "threshold": threshold,
        "base": base.value,
        "absentees_in_writing": absentees_in_writing,
    }


# NĐ 98/2023 art. 30(7), kept by NĐ 152/2025 until a newer text changes it: a vote is required
# for Chiến sĩ thi đua cơ sở and above and for Cờ thi đua; absent members vote in writing.
VOTED = {A.CSTD_CO_SO: "80", A.CO_THI_DUA_TINH: "80", A.CSTD_TINH: "90"}
VOTE_SOURCE = f"{ND_98}, Điều 30 khoản 7 (giữ nguyên theo {ND_152})"
MAJORITY_SOURCE = "Quy chế hoạt động của Hội đồng Thi đua - Khen thưởng (biểu quyết theo đa số)"


def _vote_rule(standard: AwardStandard) -> Rule:
    threshold = VOTED.get(standard)
    if threshold is not None:
        dated = Dated(
            LAW_2022,
            vote_value(
                required=True,
                method=VoteMethod.SECRET_BALLOT,
                threshold=threshold,
                base=VoteBase.ALL_MEMBERS,
                absentees_in_writing=True,
            ),
            VOTE_SOURCE,
        )
    else:
        # No vote is required; where the council votes, more than half of those present.
        dated = Dated(
            LAW_2022,
            vote_value(
                required=False,
                method=VoteMethod.SHOW_OF_HANDS,
                threshold="50.01",
                base=VoteBase.PRESENT,
                absentees_in_writing=False,
            ),
            MAJORITY_SOURCE,
            uncertain=True,
        )
    return Rule(
        f"vote.{standard.value}",
        _label_of(standard),
        RuleKind.VOTE,
        RuleGroup.VOTES,
        (dated,),
        standard=standard,
    )


COEFFICIENT_SOURCE = f"{ND_152}, Điều 49 - 54"
# (key suffix, standard, coefficient, uncertain)
COEFFICIENTS = [
    ("lao_dong_tien_tien", A.LAO_DONG_TIEN_TIEN, "0.3", False),
    ("cstd_co_so", A.CSTD_CO_SO, "1.0", False),
    ("cstd_tinh", A.CSTD_TINH, "3.0", False),
    ("tap_the_ldtt", A.TAP_THE_LDTT, "0.8", False),
    ("tap_the_ldxs", A.TAP_THE_LDXS, "1.5", False),
    ("thon_ap_van_hoa", A.THON_AP_VAN_HOA, "1.5", False),
    ("giay_khen.collective", A.GIAY_KHEN, "0.6", False),
    # The decree's reading for an individual's Giấy khen is not settled: 0.3 is the usual one.
    ("giay_khen.individual", A.GIAY_KHEN, "0.3", True),
    ("bang_khen_tinh.collective", A.BANG_KHEN_TINH, "3.0", False),
    # An individual's: half the collective's, as the decrees pair them (NĐ 98/2023 gave a
    # collective twice an individual's); a setting until the reading is settled.
    ("bang_khen_tinh.individual", A.BANG_KHEN_TINH, "1.5", True),
]

COEFFICIENT_LABELS = {
    "giay_khen.collective": _l("Certificate of merit, collective"),
    "giay_khen.individual": _l("Certificate of merit, individual"),
    "bang_khen_tinh.collective": _l("Provincial chairman's diploma, collective"),
    "bang_khen_tinh.individual": _l("Provincial chairman's diploma, individual"),
}


def _coefficient_rule(suffix: str, standard: AwardStandard, value: str, uncertain: bool) -> Rule:
    return Rule(
        f"coefficient.{suffix}",
        COEFFICIENT_LABELS.get(suffix, _label_of(standard)),
        RuleKind.DECIMAL,
        RuleGroup.MONEY,
        (Dated(REFORM_2025, value, COEFFICIENT_SOURCE, uncertain),),
        standard=standard,
    )


_RULES: list[Rule] = [
    Rule(
        "decision.bases",
        _l("Legal bases a decision cites (“Căn cứ …”)"),
        RuleKind.TEXT_LINES,
        RuleGroup.DECISIONS,
        (
            Dated(LAW_2022, BASES_2024, f"Luật Thi đua, khen thưởng 06/2022/QH15; {ND_98}"),
            Dated(REFORM_2025, BASES_2025, f"Luật 72/2025/QH15; {ND_152}"),
        ),
    ),
    Rule(
        "authority.province",
        _l("Awarded by the provincial chairman"),
        RuleKind.STANDARDS,
        RuleGroup.AUTHORITY,
        (
            Dated(
                LAW_2022, _standards(PROVINCE_AWARDS), f"Luật Thi đua, khen thưởng 2022; {ND_98}"
            ),
            Dated(
                REFORM_2025,
                _standards(PROVINCE_AWARDS),
                f"{ND_152}; Nghị định số 129/2025/NĐ-CP",
            ),
        ),
    ),
    Rule(
        "authority.district",
        _l("Awarded by the district chairman (until 30/06/2025)"),
        RuleKind.STANDARDS,
        RuleGroup.AUTHORITY,
        (
            Dated(
                LAW_2022,
                _standards(DISTRICT_AWARDS_2024),
                f"Luật Thi đua, khen thưởng 2022; {ND_98}",
            ),
            Dated(
                REFORM_2025,
                [],
                "Luật 72/2025/QH15: chính quyền địa phương hai cấp, không còn cấp huyện",
            ),
        ),
        # Empty since 1-7-2025: there is no district chairman any more.
        own_bounds=Bounds(may_be_empty=True),
    ),
    Rule(
        "authority.commune",
        _l("Awarded by the commune chairman"),
        RuleKind.STANDARDS,
        RuleGroup.AUTHORITY,
        (
            Dated(
                LAW_2022,
                _standards(COMMUNE_AWARDS_2024),
                f"Luật Thi đua, khen thưởng 2022; {ND_98}",
                uncertain=True,
            ),
            Dated(
                REFORM_2025,
                _standards(COMMUNE_AWARDS_2025),
                f"Nghị định số 129/2025/NĐ-CP; {ND_152}",
            ),
        ),
    ),
    *(_vote_rule(standard) for standard in AwardStandard),
    Rule(
        "vote.quorum",
        _l("Quorum of a council meeting (share of all members)"),
        RuleKind.FRACTION,
        RuleGroup.VOTES,
        (
            Dated(
                LAW_2022,
                [2, 3],
                "Quy định của tỉnh (ví dụ Bắc Ninh số 86/2025): họp khi có ít nhất 2/3 thành viên",
                uncertain=True,
            ),
        ),
    ),
    Rule(
        "processing_days.commune",
        _l("Working days a commune has to process a dossier"),
        RuleKind.INTEGER,
        RuleGroup.PROCESSING,
        (Dated(REFORM_2025, 20, "Quyết định số 638/QĐ-BNV năm 2025 (thủ tục cấp xã)"),),
    ),
    Rule(
        "posting_days.default",
        _l("Days a list is posted publicly before the decision (default)"),
        RuleKind.INTEGER,
        RuleGroup.PROCESSING,
        (Dated(LAW_2022, 5, "Quy định của tỉnh về công khai danh sách đề nghị", uncertain=True),),
        # 0: the province asks for no posting time by default (an award type may still ask).
        own_bounds=Bounds(Decimal(0), Decimal(365)),
    ),
    *(_coefficient_rule(*spec) for spec in COEFFICIENTS),
    Rule(
        "base_salary",
        _l("Base salary (mức lương cơ sở)"),
        RuleKind.MONEY,
        RuleGroup.MONEY,
        (
            Dated(date(2023, 7, 1), 1_800_000, "Nghị định số 24/2023/NĐ-CP"),
            Dated(date(2024, 7, 1), 2_340_000, "Nghị định số 73/2024/NĐ-CP"),
        ),
        # DOMAIN: a newer figure from 1-7-2026 is reported; the administrator enters it.
        expected_from=date(2026, 7, 1),
    ),
    Rule(
        "money.rounding",
        _l("Reward amounts are rounded up to a multiple of (đồng)"),
        RuleKind.MONEY,
        RuleGroup.MONEY,
        (Dated(REFORM_2025, 10_000, COEFFICIENT_SOURCE),),
    ),
    Rule(
        "money.household_multiplier",
        _l("A household's reward (times an individual's)"),
        RuleKind.DECIMAL,
        RuleGroup.MONEY,
        (Dated(REFORM_2025, "1.5", COEFFICIENT_SOURCE),),
    ),
    Rule(
        "fund.movement_percent",
        _l("Share of the emulation fund for organising movements (percent)"),
        RuleKind.PERCENT,
        RuleGroup.MONEY,
        (Dated(REFORM_2025, "20", "Thông tư số 28/2025/TT-BTC", uncertain=True),),
        # The fund always keeps a share for movements: unlike a cap, never "none".
        own_bounds=Bounds(Decimal(0), Decimal(100), above_least=True),
    ),
    Rule(
        "cap.cstdcs_percent",
        _l("Cap on Chiến sĩ thi đua cơ sở (percent of Lao động tiên tiến)"),
        RuleKind.PERCENT,
        RuleGroup.CAPS,
        (
            Dated(
                LAW_2022,
                None,
                "Luật Thi đua, khen thưởng 2022; Nghị định số 91/2017/NĐ-CP hết hiệu lực",
                note="Mức 15 % của Nghị định 91/2017/NĐ-CP hết hiệu lực từ 01/01/2024.",
            ),
        ),
    ),
]

RULES: dict[str, Rule] = {rule.key: rule for rule in _RULES}
