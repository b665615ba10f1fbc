"""Award records: written when a decision is issued (one per line, audited), withdrawn when it
is annulled; a merged unit's awards belong to its successor's history under the old name; the
search finds names without diacritics, within the reader's scope."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.decisions import services as decisions
from recognition.extensions import db
from recognition.history.enums import NomineeKind, RecordSource
from recognition.history.models import AwardRecord
from recognition.history.queries import person_records, search_query, unit_records
from recognition.history.services import EarlierAward, import_awards
from recognition.units.enums import UnitKind
from recognition.units.workflow import merge_unit
from tests.decisions.helpers import passed_person, person_award
from tests.history.conftest import issue_to, passed_unit
from tests.support.factories import UnitFactory, user_with
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration


def _records() -> list[AwardRecord]:
    return list(db.session.scalars(select(AwardRecord).order_by(AwardRecord.id)))


def test_issuing_records_each_line_once_and_audits_it(scene: Scene) -> None:
    award = person_award(scene)
    decision = issue_to(
        scene,
        [passed_unit(scene, scene.commune_a), passed_person(scene, award, name="Nguyễn Văn Án")],
    )
    records = _records()
    assert [(r.source, r.nominee_kind, r.nominee_name) for r in records] == [
        (RecordSource.DECISION, NomineeKind.UNIT, "Xã Sơn Định"),
        (RecordSource.DECISION, NomineeKind.PERSON, "Nguyễn Văn Án"),
    ]
    person = records[1]
    assert (person.person_birth_year, person.unit_name, person.person_key) == (
        1980,
        "Ấp Phú Hữu",
        f"person:nguyen van an|1980|{scene.hamlet_a.id}",
    )
    assert (person.decision_reference, person.decision_on, person.awarding_body_name) == (
        decision.reference,
        decision.issued_on,
        "Huyện Chợ Lách",
    )
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_kind == ObjectKind.AWARD_RECORD)
    ).all()
    assert sorted(e.object_id for e in events) == [r.id for r in records]
    assert {e.action for e in events} == {"record"}


def test_annulling_withdraws_the_records(scene: Scene) -> None:
    decision = issue_to(scene, [passed_unit(scene, scene.commune_a)])
    decisions.annul_decision(decision, actor=scene.chair, reason="Sai đối tượng")
    [record] = _records()
    assert record.is_withdrawn is True
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_kind == ObjectKind.AWARD_RECORD)
    ).all()
    assert sorted(actions) == ["record", "withdraw"]


def test_a_merged_communes_award_belongs_to_its_successor_under_the_old_name(
    scene: Scene,
) -> None:
    issue_to(scene, [passed_unit(scene, scene.commune_a)], today=date(2024, 12, 2))
    phu_phung = UnitFactory(name="Xã Phú Phụng", kind=UnitKind.COMMUNE, parent=scene.body)
    merge_unit(scene.commune_a, successor=phu_phung, actor=scene.admin, on=date(2025, 6, 30))
    collective, people = unit_records(phu_phung)
    assert [(r.unit_name, r.year) for r in collective] == [("Xã Sơn Định", 2024)]
    assert people == []
    # The other commune's history stays its own.
    assert unit_records(scene.commune_b) == ([], [])


def test_the_search_reaches_what_merged_into_the_scope_at_any_depth(scene: Scene) -> None:
    # Xã Sơn Định merges into Xã Phú Phụng, which merges in turn into Xã Tân Phú: the
    # nominator of Xã Tân Phú reads both earlier communes' awards; Xã Vĩnh Bình's stay out.
    issue_to(scene, [passed_unit(scene, scene.commune_a)], today=date(2024, 12, 2))
    earlier = EarlierAward(
        line=2,
        person_name="",
        position="",
        unit=scene.commune_b,
        award_name="Giấy khen",
        reference="12/QĐ-UBND",
        decided_on=date(2019, 5, 6),
    )
    import_awards(
        [earlier], body_name="UBND huyện Chợ Lách", actor=scene.secretariat, file_name="x"
    )
    phu_phung = UnitFactory(name="Xã Phú Phụng", kind=UnitKind.COMMUNE, parent=scene.body)
    tan_phu = UnitFactory(name="Xã Tân Phú", kind=UnitKind.COMMUNE, parent=scene.body)
    merge_unit(scene.commune_a, successor=phu_phung, actor=scene.admin, on=date(2025, 6, 30))
    merge_unit(phu_phung, successor=tan_phu, actor=scene.admin, on=date(2025, 7, 1))
    reader = user_with(Role.NOMINATOR, tan_phu)
    assert [r.unit_name for r in db.session.scalars(search_query(reader, ""))] == ["Xã Sơn Định"]
    middle = user_with(Role.NOMINATOR, scene.commune_b)
    assert [r.unit_name for r in db.session.scalars(search_query(middle, ""))] == ["Xã Vĩnh Bình"]


def test_search_without_diacritics_within_the_scope(scene: Scene) -> None:
    award = person_award(scene)
    issue_to(scene, [passed_person(scene, award, name="Nguyễn Văn Án")])
    earlier = EarlierAward(
        line=2,
        person_name="Trần Thị Ấn",
        position="Chủ tịch Hội Nông dân",
        unit=scene.commune_b,
        award_name="Giấy khen",
        reference="12/QĐ-UBND",
        decided_on=date(2019, 5, 6),
    )
    import_awards(
        [earlier], body_name="UBND huyện Chợ Lách", actor=scene.secretariat, file_name="x"
    )
    found = db.session.scalars(search_query(scene.secretariat, "nguyen van an")).all()
    both = db.session.scalars(search_query(scene.secretariat, "AN")).all()
    assert [r.nominee_name for r in both] == ["Nguyễn Văn Án", "Trần Thị Ấn"]
    assert [r.nominee_name for r in found] == ["Nguyễn Văn Án"]
    # Xã Sơn Định's nominator reads its own people, not Xã Vĩnh Bình's.
    mine = db.session.scalars(search_query(scene.nominator, "")).all()
    assert [r.nominee_name for r in mine] == ["Nguyễn Văn Án"]
    theirs = db.session.scalars(search_query(scene.other_nominator, "an")).all()
    assert [r.nominee_name for r in theirs] == ["Trần Thị Ấn"]
    [record] = found
    assert [r.id for r in person_records(record.person_key)] == [record.id]
