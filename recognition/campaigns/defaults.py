"""A level's starting catalogue: the titles and commendations the law lets a commune's or a
province's chairman award, and the commune's movement models, with the law's vote rules.

`seed_level_catalogue(body, on=day)` creates only what the body's catalogue lacks (by code),
through the catalogue's services, so every award type and criterion it adds is audited. No
cap is set: the 15 % cap on Chiến sĩ thi đua cơ sở (NĐ 91/2017) lapsed on 1-1-2024.
"""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from recognition.auth.models import User
from recognition.campaigns.criteria_sets import SOURCES, Spec, model_criteria
from recognition.campaigns.criteria_standards import (
    GIAY_KHEN,
    LAW_2022,
    PROVINCE_CRITERIA,
    STANDARD_CRITERIA,
)
from recognition.campaigns.enums import AwardKind, NomineeKind, default_report_sections
from recognition.campaigns.models import AwardType
from recognition.campaigns.services import (
    AwardTypeData,
    CriterionData,
    save_award_type,
    save_criterion,
)
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.law.enums import AwardStandard
from recognition.law.rules import LEVELS, rules_on
from recognition.units.enums import UnitKind
from recognition.units.models import Unit

A = AwardStandard
COMMUNES = [UnitKind.COMMUNE.value, UnitKind.WARD.value, UnitKind.TOWNSHIP.value]
HAMLETS = [UnitKind.HAMLET.value, UnitKind.RESIDENTIAL_GROUP.value]


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    kind: AwardKind
    nominee: NomineeKind
    standard: AwardStandard
    eligible: tuple[str, ...] = ()
    certificate_title: str = ""  # upper-case name unless given
    description: str = ""


# A commune's catalogue; "{body}" is the commune's name inside a sentence ("xã Phú Phụng").
COMMUNE_ENTRIES = [
    Entry(
        "GK-TT",
        "Giấy khen của Chủ tịch UBND {body} (tập thể)",
        AwardKind.COMMENDATION,
        NomineeKind.COLLECTIVE,
        A.GIAY_KHEN,
        certificate_title="GIẤY KHEN",
    ),
    Entry(
        "GK-CN",
        "Giấy khen của Chủ tịch UBND {body} (cá nhân)",
        AwardKind.COMMENDATION,
        NomineeKind.INDIVIDUAL,
        A.GIAY_KHEN,
        certificate_title="GIẤY KHEN",
    ),
    Entry(
        "LDTT",
        "Lao động tiên tiến",
        AwardKind.TITLE,
        NomineeKind.INDIVIDUAL,
        A.LAO_DONG_TIEN_TIEN,
    ),
    Entry(
        "CSTDCS",
        "Chiến sĩ thi đua cơ sở",
        AwardKind.TITLE,
        NomineeKind.INDIVIDUAL,
        A.CSTD_CO_SO,
    ),
    Entry(
        "TTLDTT",
        "Tập thể lao động tiên tiến",
        AwardKind.TITLE,
        NomineeKind.COLLECTIVE,
        A.TAP_THE_LDTT,
    ),
    Entry("GDVH", "Gia đình văn hóa", AwardKind.TITLE, NomineeKind.HOUSEHOLD, A.GIA_DINH_VAN_HOA),
    Entry(
        "APVH",
        "Ấp văn hóa",
        AwardKind.TITLE,
        NomineeKind.COLLECTIVE,
        A.THON_AP_VAN_HOA,
        tuple(HAMLETS),
    ),
    Entry(
        "XA-NTM-KM",
        "Điển hình xã đạt chuẩn nông thôn mới kiểu mẫu",
        AwardKind.MODEL,
        NomineeKind.COLLECTIVE,
        A.OWN_TITLE,
        tuple(COMMUNES),
    ),
    Entry(
        "XA-NTM-TM",
        "Điển hình xã nông thôn mới thông minh",
        AwardKind.MODEL,
        NomineeKind.COLLECTIVE,
        A.OWN_TITLE,
        tuple(COMMUNES),
    ),
    Entry(
        "AP-NTM-TM",
        "Điển hình ấp nông thôn mới thông minh",
        AwardKind.MODEL,
        NomineeKind.COLLECTIVE,
        A.OWN_TITLE,
        (UnitKind.HAMLET.value,),
    ),
    Entry(
        "DP-TCNSCD",
        "Điển hình địa phương xây dựng và nhân rộng Tổ chuyển đổi số cộng đồng hiệu quả",
        AwardKind.MODEL,
        NomineeKind.COLLECTIVE,
        A.OWN_TITLE,
        # The locality that builds the teams, or the effective team itself.
        (*COMMUNES, *HAMLETS, UnitKind.TEAM.value),
        certificate_title="ĐIỂN HÌNH XÂY DỰNG TỔ CHUYỂN ĐỔI SỐ CỘNG ĐỒNG HIỆU QUẢ",
    ),
]


def _commune_entries(body: Unit) -> list[Entry]:
    place = f"{body.name[:1].lower()}{body.name[1:]}"
    return [replace(entry, name=entry.name.format(body=place)) for entry in COMMUNE_ENTRIES]


PROVINCE_ENTRIES = [
    Entry(
        "BK-TT",
        "Bằng khen của Chủ tịch UBND tỉnh (tập thể)",
        AwardKind.COMMENDATION,
        NomineeKind.COLLECTIVE,
        A.BANG_KHEN_TINH,
        certificate_title="BẰNG KHEN",
    ),
    Entry(
        "BK-CN",
        "Bằng khen của Chủ tịch UBND tỉnh (cá nhân)",
        AwardKind.COMMENDATION,
        NomineeKind.INDIVIDUAL,
        A.BANG_KHEN_TINH,
        certificate_title="BẰNG KHEN",
    ),
    Entry(
        "CSTD-TINH",
        "Chiến sĩ thi đua cấp tỉnh",
        AwardKind.TITLE,
        NomineeKind.INDIVIDUAL,
        A.CSTD_TINH,
    ),
    Entry(
        "TTLDXS",
        "Tập thể lao động xuất sắc",
        AwardKind.TITLE,
        NomineeKind.COLLECTIVE,
        A.TAP_THE_LDXS,
    ),
    Entry(
        "CO-THI-DUA",
        "Cờ thi đua của Ủy ban nhân dân tỉnh",
        AwardKind.TITLE,
        NomineeKind.COLLECTIVE,
        A.CO_THI_DUA_TINH,
        certificate_title="CỜ THI ĐUA",
    ),
]


def _entries_and_criteria(body: Unit, on: date) -> list[tuple[Entry, list[Spec], str]]:
    level = LEVELS.get(body.kind)
    if level == "province":
        return [(e, PROVINCE_CRITERIA[e.code], LAW_2022) for e in PROVINCE_ENTRIES]
    if level != "commune":
        raise DomainError(
            _("Default catalogues exist for communes, wards, townships and provinces.")
        )
    period, models = model_criteria(on)
    result = []
    for entry in _commune_entries(body):
        if entry.code in models:
            result.append((entry, models[entry.code], SOURCES[period][entry.code]))
        else:
            result.append((entry, STANDARD_CRITERIA.get(entry.code, GIAY_KHEN), LAW_2022))
    return result


def _data(entry: Entry, on: date, source: str) -> AwardTypeData:
    rules = rules_on(on)
    vote = rules.vote(entry.standard)
    numerator, denominator = rules.quorum
    return AwardTypeData(
        code=entry.code,
        name=entry.name,
        certificate_title=entry.certificate_title or entry.name.upper(),
        kind=entry.kind,
        nominee_kind=entry.nominee,
        standard=entry.standard,
        eligible_unit_kinds=list(entry.eligible),
        required_report_sections=default_report_sections(entry.standard, entry.kind),
        description=f"Tiêu chí theo {source}.",
        vote_method=vote.method,
        vote_threshold_percent=vote.threshold,
        vote_base=vote.base,
        quorum_numerator=numerator,
        quorum_denominator=denominator,
        absentees_vote_in_writing=vote.absentees_in_writing,
        public_posting_days=rules.posting_days if entry.kind == AwardKind.MODEL else 0,
        # No vote is required for these: a simplified procedure may be used.
        simplified_allowed=not vote.required and entry.kind == AwardKind.COMMENDATION,
    )


def lacks_defaults(body: Unit, codes: set[str], *, on: date) -> bool:
    """Whether the body's catalogue (its award types' `codes`) lacks an award type of its
    level's starting catalogue."""
    return any(
        entry.code not in codes for entry, _criteria, _source in _entries_and_criteria(body, on)
    )


def seed_level_catalogue(
    body: Unit, *, on: date, actor: User | None = None
) -> dict[str, AwardType]:
    """The body's starting catalogue by code: creates the award types (and their criteria)
    it lacks, leaves those it has; audited as catalogue events."""
    existing = {
        a.code: a
        for a in db.session.scalars(select(AwardType).where(AwardType.awarding_body_id == body.id))
    }
    result: dict[str, AwardType] = {}
    position = max((a.position for a in existing.values()), default=0)
    for entry, criteria, source in _entries_and_criteria(body, on):
        found = existing.get(entry.code)
        if found is None:
            position += 1
            found = save_award_type(None, _data(entry, on, source), awarding_body=body, actor=actor)
            found.position = position
            for code, group, text, measure, target, unit_label, evidence, required in criteria:
                save_criterion(
                    found,
                    None,
                    CriterionData(
                        code=code,
                        text=text,
                        group=group,
                        required=required,
                        measure=measure,
                        target=Decimal(target) if target else None,
                        unit_label=unit_label,
                        evidence_required=evidence,
                    ),
                    actor=actor,
                )
        result[entry.code] = found
    db.session.flush()
    return result
