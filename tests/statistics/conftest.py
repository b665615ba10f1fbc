"""The statistics tests' world: the decision tests' scene, its body acting as a commune (the
level that confers Giấy khen, Lao động tiên tiến and Gia đình văn hóa since 1-7-2025),
issues in 2026 a decision with awards of several kinds (collectives, two individuals — a
woman and a man — and a household) and another one, annulled, that must not count; earlier
awards are imported (a provincial Bằng khen and a Giấy khen of 2026, one of 2022); then Xã
Sơn Định merges into a new Xã Phú Phụng, under whose name its awards count."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask
from flask_babel import force_locale

from recognition.campaigns.enums import AwardKind, NomineeKind
from recognition.campaigns.models import AwardType
from recognition.campaigns.services import offer_award
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
from tests.decisions.helpers import ACHIEVEMENT, drafted
from tests.support.advance import advance_to, answers_to
from tests.support.factories import AwardTypeFactory, NominationFactory, UnitFactory
from tests.workflow.helpers import Scene, build_scene

YEAR = 2026
ISSUED_ON = date(2026, 3, 4)


@pytest.fixture(autouse=True)
def _in_request(app: Flask) -> Iterator[None]:
    with app.test_request_context(base_url="http://localhost/"), force_locale("en"):
        yield


@dataclass
class World:
    scene: Scene
    decision: Decision
    annulled: Decision
    phu_phung: Unit
    hamlet: Unit


def _award(
    scene: Scene,
    code: str,
    name: str,
    kind: AwardKind,
    nominee: NomineeKind,
    standard: AwardStandard,
) -> AwardType:
    award = AwardTypeFactory(
        awarding_body=scene.body,
        code=code,
        name=name,
        kind=kind,
        nominee_kind=nominee,
        standard=standard,
        simplified_allowed=True,
    )
    offer_award(scene.campaign, award, quota=None)
    return award


def _passed(scene: Scene, award: AwardType, **nominee: object) -> Nomination:
    actor = (
        scene.other_nominator if nominee.get("nominee_unit") is scene.commune_b else scene.nominator
    )
    nomination = NominationFactory(
        campaign=scene.campaign, award_type=award, actor=actor, **nominee
    )
    update_nomination(nomination, Report(summary=ACHIEVEMENT), answers_to(award), actor=actor)
    return advance_to(nomination, NominationState.PASSED)


def _person(scene: Scene, award: AwardType, name: str, gender: Gender | None) -> Nomination:
    return _passed(
        scene,
        award,
        person_name=name,
        person_position="Trưởng ấp",
        person_unit=scene.hamlet_a,
        person_birth_year=1980,
        person_gender=gender,
    )


def _issue(scene: Scene, nominations: list[Nomination]) -> Decision:
    decision = drafted(scene, nominations)
    decisions.issue_decision(decision, actor=scene.chair, today=ISSUED_ON)
    return decision


def build_statistics_world() -> World:
    scene = build_scene()
    scene.body.kind = UnitKind.COMMUNE
    giay_khen = _award(
        scene,
        "GK",
        "Giấy khen",
        AwardKind.COMMENDATION,
        NomineeKind.COLLECTIVE,
        AwardStandard.GIAY_KHEN,
    )
    ldtt = _award(
        scene,
        "LDTT",
        "Lao động tiên tiến",
        AwardKind.TITLE,
        NomineeKind.INDIVIDUAL,
        AwardStandard.LAO_DONG_TIEN_TIEN,
    )
    family = _award(
        scene,
        "GDVH",
        "Gia đình văn hóa",
        AwardKind.TITLE,
        NomineeKind.HOUSEHOLD,
        AwardStandard.GIA_DINH_VAN_HOA,
    )
    hamlet = UnitFactory(name="Ấp Thạnh Hưng", kind=UnitKind.HAMLET, parent=scene.commune_a)
    decision = _issue(
        scene,
        [
            _passed(scene, scene.award, nominee_unit=hamlet),
            _passed(scene, giay_khen, nominee_unit=scene.commune_b),
            _person(scene, ldtt, "Nguyễn Thị Lan", Gender.FEMALE),
            _person(scene, ldtt, "Trần Văn Hùng", Gender.MALE),
            _passed(
                scene,
                family,
                person_name="Hộ ông Lê Văn Tư",
                person_unit=scene.hamlet_a,
                person_birth_year=1960,
            ),
        ],
    )
    annulled = _issue(
        scene,
        [
            _passed(scene, giay_khen, nominee_unit=scene.hamlet_a),
            _person(scene, ldtt, "Võ Thị Mai", Gender.FEMALE),
        ],
    )
    decisions.annul_decision(annulled, actor=scene.chair, reason="Hồ sơ không trung thực")
    earlier = [
        EarlierAward(
            2,
            "Phạm Văn Khoa",
            "Chủ tịch Hội Nông dân",
            scene.commune_a,
            "Bằng khen của Chủ tịch UBND tỉnh",
            "2150/QĐ-UBND",
            date(2026, 2, 20),
        ),
        EarlierAward(3, "", "", scene.commune_b, "Giấy khen", "77/QĐ-UBND", date(2026, 1, 30)),
        EarlierAward(4, "", "", scene.commune_a, "Giấy khen", "98/QĐ-UBND", date(2022, 2, 14)),
    ]
    import_awards(
        earlier[:1], body_name="UBND tỉnh Bến Tre", actor=scene.secretariat, file_name="tinh.xlsx"
    )
    import_awards(
        earlier[1:],
        body_name="UBND huyện Chợ Lách",
        actor=scene.secretariat,
        file_name="huyen.xlsx",
    )
    # The body counts as a commune of today (its awards are a commune's); its communes were
    # placed under it as under the district it was: so is the commune formed from one of them.
    scene.body.kind = UnitKind.DISTRICT
    phu_phung = UnitFactory(name="Xã Phú Phụng", kind=UnitKind.COMMUNE, parent=scene.body)
    merge_unit(scene.commune_a, successor=phu_phung, actor=scene.admin, on=date(2025, 6, 30))
    scene.body.kind = UnitKind.COMMUNE
    db.session.flush()
    return World(scene, decision, annulled, phu_phung, hamlet)


@pytest.fixture
def world() -> World:
    return build_statistics_world()
