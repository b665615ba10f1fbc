"""A province with its levels, for the statistics that count each award once per body: Tỉnh
Bến Tre (awarding body) above two new communes (awarding bodies since 1-7-2025), Xã Sơn Định
and Xã Vĩnh Bình, each with a hamlet; Huyện Chợ Lách, dissolved on 1-7-2025 into Xã Sơn Định
(the commune of its former seat), whose old Xã Phú Sơn merged into Xã Sơn Định the same day.

Issued through the decision services: in 2025 the province's Bằng khen to Xã Vĩnh Bình (1),
Xã Sơn Định's decision (3 awards: Lao động tiên tiến and Giấy khen to the same woman, Lao động
tiên tiến to a man), Xã Vĩnh Bình's Giấy khen to its hamlet (1) and a decision of Xã Sơn Định
annulled afterwards (1); the district's Giấy khen of 2024 to a hamlet of Xã Phú Sơn (1).
Imported into the history: Giấy khen of 2023 conferred by the district (1) and by Xã Sơn Định
(1), both to hamlets now within Xã Sơn Định."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.enums import AwardKind, CampaignStatus, NomineeKind
from recognition.campaigns.models import AwardType, Campaign
from recognition.decisions import services as decisions
from recognition.decisions.models import Decision
from recognition.extensions import db
from recognition.history.services import EarlierAward, import_awards
from recognition.law.enums import AwardStandard
from recognition.nominations.enums import Gender, NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.services import Report, update_nomination
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from recognition.units.workflow import merge_unit
from tests.support.advance import advance_to, answers_to
from tests.support.factories import (
    AwardTypeFactory,
    CampaignFactory,
    NominationFactory,
    UnitFactory,
    an_admin,
    user_with,
)

DISSOLVED_ON = date(2025, 7, 1)
ISSUED_2025 = date(2025, 10, 15)  # after 1-7-2025: the communes confer their awards
ISSUED_2024 = date(2024, 6, 14)
ACHIEVEMENT = "Hoàn thành xuất sắc nhiệm vụ năm"


@dataclass
class Body:
    """An awarding body with its secretariat, chair, nominator and open campaign."""

    unit: Unit
    secretariat: User
    chair: User
    nominator: User
    campaign: Campaign
    awards: dict[str, AwardType] = field(default_factory=dict)


@dataclass
class Levels:
    province: Body
    commune_a: Body
    commune_b: Body
    district: Body
    hamlet_a: Unit
    hamlet_b: Unit
    old_hamlet: Unit  # of Xã Phú Sơn, under Xã Sơn Định since the merger
    annulled: Decision


Offer = tuple[str, str, NomineeKind, AwardStandard]  # code, name, nominee, legal standard


def _award(
    unit: Unit, code: str, name: str, nominee: NomineeKind, standard: AwardStandard
) -> AwardType:
    title = standard == AwardStandard.LAO_DONG_TIEN_TIEN
    return AwardTypeFactory(
        awarding_body=unit,
        code=code,
        name=name,
        kind=AwardKind.TITLE if title else AwardKind.COMMENDATION,
        nominee_kind=nominee,
        standard=standard,
        simplified_allowed=True,
    )


def _body(unit: Unit, nominator_on: Unit, opens_on: date, *offers: Offer) -> Body:
    """The body's users and its campaign opened on `opens_on` offering `offers`."""
    awards = {offer[0]: _award(unit, *offer) for offer in offers}
    campaign = CampaignFactory(
        awarding_body=unit,
        name=f"Phong trào thi đua {opens_on.year} — {unit.name}",
        opens_on=opens_on,
        closes_on=opens_on + timedelta(days=27),
        awards=list(awards.values()),
        status=CampaignStatus.OPEN,
    )
    return Body(
        unit=unit,
        secretariat=user_with(Role.SECRETARIAT, unit),
        chair=user_with(Role.CHAIR, unit),
        nominator=user_with(Role.NOMINATOR, nominator_on),
        campaign=campaign,
        awards=awards,
    )


def passed(body: Body, code: str, **nominee: object) -> Nomination:
    """A dossier of the body's nominator for the award `code`, passed (simplified procedure)."""
    award = body.awards[code]
    nomination = NominationFactory(
        campaign=body.campaign, award_type=award, actor=body.nominator, **nominee
    )
    update_nomination(
        nomination, Report(summary=ACHIEVEMENT), answers_to(award), actor=body.nominator
    )
    return advance_to(nomination, NominationState.PASSED)


def person(body: Body, code: str, name: str, gender: Gender, unit: Unit) -> Nomination:
    return passed(
        body,
        code,
        person_name=name,
        person_position="Cán bộ ấp",
        person_unit=unit,
        person_birth_year=1985,
        person_gender=gender,
    )


def issue(body: Body, nominations: list[Nomination], on: date = ISSUED_2025) -> Decision:
    decision = decisions.draft_decision(body.unit, nominations, actor=body.secretariat, today=on)
    decisions.issue_decision(decision, actor=body.chair, today=on)
    return decision


GIAY_KHEN: Offer = ("GK", "Giấy khen", NomineeKind.COLLECTIVE, AwardStandard.GIAY_KHEN)
OPENS_2025 = date(2025, 8, 1)


def commune_with_decision(province: Body, name: str) -> Unit:
    """Another commune of the province (awarding body) with a hamlet, and its decision of 2025
    awarding the hamlet Giấy khen."""
    unit = UnitFactory(
        name=name, kind=UnitKind.COMMUNE, parent=province.unit, is_awarding_body=True
    )
    hamlet = UnitFactory(name=f"Ấp Một {name}", kind=UnitKind.HAMLET, parent=unit)
    body = _body(unit, unit, OPENS_2025, GIAY_KHEN)
    issue(body, [passed(body, "GK", nominee_unit=hamlet)])
    return unit


def build_levels() -> Levels:
    province_unit = UnitFactory(name="Tỉnh Bến Tre", kind=UnitKind.PROVINCE, is_awarding_body=True)

    def awarding(name: str, kind: UnitKind) -> Unit:
        return UnitFactory(name=name, kind=kind, parent=province_unit, is_awarding_body=True)

    district_unit = awarding("Huyện Chợ Lách", UnitKind.DISTRICT)
    old_commune = UnitFactory(name="Xã Phú Sơn", kind=UnitKind.COMMUNE, parent=district_unit)
    old_hamlet = UnitFactory(name="Ấp Phú Hữu", kind=UnitKind.HAMLET, parent=old_commune)
    a_unit = awarding("Xã Sơn Định", UnitKind.COMMUNE)
    b_unit = awarding("Xã Vĩnh Bình", UnitKind.COMMUNE)
    hamlet_a = UnitFactory(name="Ấp Thạnh Hưng", kind=UnitKind.HAMLET, parent=a_unit)
    hamlet_b = UnitFactory(name="Ấp Vĩnh Hòa", kind=UnitKind.HAMLET, parent=b_unit)

    # The district's Giấy khen of 2024, while it stood.
    district = _body(district_unit, old_commune, date(2024, 3, 1), GIAY_KHEN)
    issue(district, [passed(district, "GK", nominee_unit=old_hamlet)], on=ISSUED_2024)

    bang_khen = (
        "BK",
        "Bằng khen của Chủ tịch UBND tỉnh",
        NomineeKind.COLLECTIVE,
        AwardStandard.BANG_KHEN_TINH,
    )
    province = _body(province_unit, b_unit, OPENS_2025, bang_khen)
    issue(province, [passed(province, "BK", nominee_unit=b_unit)])

    commune_a = _body(
        a_unit,
        a_unit,
        OPENS_2025,
        ("LDTT", "Lao động tiên tiến", NomineeKind.INDIVIDUAL, AwardStandard.LAO_DONG_TIEN_TIEN),
        ("GKCN", "Giấy khen", NomineeKind.INDIVIDUAL, AwardStandard.GIAY_KHEN),
        GIAY_KHEN,
    )
    issue(
        commune_a,
        [
            person(commune_a, "LDTT", "Nguyễn Thị Lan", Gender.FEMALE, hamlet_a),
            person(commune_a, "GKCN", "Nguyễn Thị Lan", Gender.FEMALE, hamlet_a),
            person(commune_a, "LDTT", "Trần Văn Hùng", Gender.MALE, hamlet_a),
        ],
    )
    annulled = issue(commune_a, [passed(commune_a, "GK", nominee_unit=hamlet_a)])
    decisions.annul_decision(annulled, actor=commune_a.chair, reason="Hồ sơ không trung thực")

    commune_b = _body(b_unit, b_unit, OPENS_2025, GIAY_KHEN)
    issue(commune_b, [passed(commune_b, "GK", nominee_unit=hamlet_b)])

    admin = an_admin(province_unit)
    merge_unit(old_commune, successor=a_unit, actor=admin, on=DISSOLVED_ON)
    merge_unit(district_unit, successor=a_unit, actor=admin, on=DISSOLVED_ON)

    def imported(unit: Unit, body_name: str, reference: str, on: date) -> None:
        row = EarlierAward(2, "", "", unit, "Giấy khen", reference, on)
        import_awards([row], body_name=body_name, actor=admin, file_name="lich-su.xlsx")

    imported(old_hamlet, "UBND huyện Chợ Lách", "45/QĐ-UBND", date(2023, 5, 10))
    imported(hamlet_a, "UBND xã Sơn Định", "12/QĐ-UBND", date(2023, 8, 20))
    db.session.flush()
    return Levels(
        province, commune_a, commune_b, district, hamlet_a, hamlet_b, old_hamlet, annulled
    )
