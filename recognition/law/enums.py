"""The award standards the law names, the kinds of a legal rule's value and the council's
vote methods and bases.

The vote method and base live here, below the catalogue, because the law's vote rules name
them; `recognition.campaigns.enums` re-exports them for the catalogue.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from recognition.common.enums import LabelledEnum
from recognition.common.i18n import number


class AwardStandard(LabelledEnum):
    """Which title or commendation of the law an award type is (its legal standard), or the
    body's own title (a movement's model, a local title)."""

    GIAY_KHEN = "giay_khen"
    LAO_DONG_TIEN_TIEN = "lao_dong_tien_tien"
    CSTD_CO_SO = "cstd_co_so"
    TAP_THE_LDTT = "tap_the_ldtt"
    GIA_DINH_VAN_HOA = "gia_dinh_van_hoa"
    THON_AP_VAN_HOA = "thon_ap_van_hoa"
    BANG_KHEN_TINH = "bang_khen_tinh"
    CSTD_TINH = "cstd_tinh"
    TAP_THE_LDXS = "tap_the_ldxs"
    CO_THI_DUA_TINH = "co_thi_dua_tinh"
    OWN_TITLE = "own_title"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.GIAY_KHEN: _l("Certificate of merit (Giấy khen)"),
            cls.LAO_DONG_TIEN_TIEN: _l("Advanced worker (Lao động tiên tiến)"),
            cls.CSTD_CO_SO: _l("Grassroots emulation fighter (Chiến sĩ thi đua cơ sở)"),
            cls.TAP_THE_LDTT: _l("Advanced collective (Tập thể lao động tiên tiến)"),
            cls.GIA_DINH_VAN_HOA: _l("Cultured family (Gia đình văn hóa)"),
            cls.THON_AP_VAN_HOA: _l("Cultured hamlet or residential group (Thôn, ấp văn hóa)"),
            cls.BANG_KHEN_TINH: _l("Provincial chairman's diploma (Bằng khen)"),
            cls.CSTD_TINH: _l("Provincial emulation fighter (Chiến sĩ thi đua cấp tỉnh)"),
            cls.TAP_THE_LDXS: _l("Excellent collective (Tập thể lao động xuất sắc)"),
            cls.CO_THI_DUA_TINH: _l("Provincial emulation flag (Cờ thi đua)"),
            cls.OWN_TITLE: _l("The body's own title"),
        }


class RuleKind(LabelledEnum):
    """What a legal rule's value is, and so how it is entered and checked."""

    TEXT_LINES = "text_lines"
    INTEGER = "integer"
    DECIMAL = "decimal"
    MONEY = "money"
    PERCENT = "percent"
    FRACTION = "fraction"
    STANDARDS = "standards"
    VOTE = "vote"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.TEXT_LINES: _l("Lines of text"),
            cls.INTEGER: _l("Whole number"),
            cls.DECIMAL: _l("Decimal number"),
            cls.MONEY: _l("Amount in đồng"),
            cls.PERCENT: _l("Percentage (empty: none)"),
            cls.FRACTION: _l("Fraction"),
            cls.STANDARDS: _l("List of award standards"),
            cls.VOTE: _l("Vote rule"),
        }

    @property
    def is_one_piece(self) -> bool:
        """A value of this kind is a number and its unit ("2.340.000 đ", "15 %", "2/3"): a
        page keeps it on one line."""
        return self in {
            RuleKind.INTEGER,
            RuleKind.DECIMAL,
            RuleKind.MONEY,
            RuleKind.PERCENT,
            RuleKind.FRACTION,
        }


class RuleGroup(LabelledEnum):
    DECISIONS = "decisions"
    AUTHORITY = "authority"
    VOTES = "votes"
    PROCESSING = "processing"
    MONEY = "money"
    CAPS = "caps"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.DECISIONS: _l("Award decisions"),
            cls.AUTHORITY: _l("Who awards what"),
            cls.VOTES: _l("Council votes"),
            cls.PROCESSING: _l("Processing times"),
            cls.MONEY: _l("Reward money"),
            cls.CAPS: _l("Caps"),
        }


class VoteMethod(LabelledEnum):
    SHOW_OF_HANDS = "show_of_hands"
    SECRET_BALLOT = "secret_ballot"  # a vote method, not a password  # noqa: S105  # nosec B105
    WRITTEN_CONSULTATION = "written_consultation"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.SHOW_OF_HANDS: _l("Show of hands"),
            cls.SECRET_BALLOT: _l("Secret ballot"),
            cls.WRITTEN_CONSULTATION: _l("Written consultation"),
        }


class VoteBase(LabelledEnum):
    ALL_MEMBERS = "all_members"
    PRESENT = "present"
    CONSULTED = "consulted"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.ALL_MEMBERS: _l("All members of the council"),
            cls.PRESENT: _l("Members present"),
            cls.CONSULTED: _l("Members consulted"),
        }

    @property
    def phrase(self) -> str:
        """The base as it reads inside a sentence ("at least 70 % of the members present")."""
        phrases = {
            VoteBase.ALL_MEMBERS: _l("the council's members"),
            VoteBase.PRESENT: _l("the members present"),
            VoteBase.CONSULTED: _l("the members consulted"),
        }
        return str(phrases.get(self, self.label))


# "Quá bán": more than half, which the rules store as the least share above it (50.01 % asks
# for the same count as "more than 50 %" in any council under ten thousand members).
MAJORITY = Decimal("50.01")


def vote_share(percent: Decimal | int | str, base: VoteBase) -> str:
    """The share of votes a rule asks for, as a sentence reads it: "more than half (50 %) of
    the members present" for a majority, else "at least 80 % of the council's members"."""
    if Decimal(percent) == MAJORITY:
        return _("more than half (50 %%) of %(base)s", base=base.phrase)
    return _("at least %(percent)s %% of %(base)s", percent=number(percent), base=base.phrase)


class LawAction(LabelledEnum):
    """What the audit log records of the administrator's changes to the law's values."""

    ADDED = "added"
    CORRECTED = "corrected"
    DELETED = "deleted"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.ADDED: _l("Dated value added"),
            cls.CORRECTED: _l("Dated value corrected"),
            cls.DELETED: _l("Dated value deleted before it came into force"),
        }
