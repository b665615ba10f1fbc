"""The award history as the eligibility checks read it: an award of a decision issued here
counts for the person after the merger of their unit, and no longer once the decision is
annulled."""

from __future__ import annotations

from datetime import date

import pytest

from recognition.campaigns.enums import CampaignStatus, NomineeKind
from recognition.campaigns.models import AwardType
from recognition.decisions import services as decisions
from recognition.extensions import db
from recognition.history.models import AwardRecord
from recognition.nominations.history_guards import history_problem
from recognition.nominations.models import Nomination
from recognition.units.enums import UnitKind
from recognition.units.workflow import merge_unit
from tests.decisions.helpers import passed_person, person_award
from tests.history.conftest import issue_to
from tests.support.factories import (
    AwardTypeFactory,
    CampaignFactory,
    NominationFactory,
    UnitFactory,
    an_admin,
)
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration


def next_year(scene: Scene, earlier: AwardType) -> tuple[AwardType, object]:
    """A 2026 campaign offering a title that needs `earlier` in the year before."""
    senior = AwardTypeFactory(
        awarding_body=scene.body,
        code="CSTD-1",
        name="Danh hiệu cần một năm",
        nominee_kind=NomineeKind.INDIVIDUAL,
        history_award=earlier,
        history_years=1,
    )
    campaign = CampaignFactory(
        awarding_body=scene.body,
        name="Năm 2026",
        opens_on=date(2026, 6, 1),
        closes_on=date(2026, 6, 30),
        awards=[senior],
        status=CampaignStatus.OPEN,
    )
    return senior, campaign


def nominate(scene: Scene, senior: AwardType, campaign: object, hamlet: object) -> Nomination:
    return NominationFactory(
        campaign=campaign,
        award_type=senior,
        actor=scene.nominator,
        person_name="Nguyễn Văn Án",
        person_unit=hamlet,
        person_birth_year=1980,
    )


def test_an_issued_award_counts_across_the_merger_until_it_is_annulled(scene: Scene) -> None:
    award = person_award(scene)
    award.simplified_allowed = False  # passed by the council's vote: a merit award
    decision = issue_to(scene, [passed_person(scene, award, name="Nguyễn Văn Án")])
    # Ấp Phú Hữu merges into a new hamlet of the same commune: the person now lives there.
    merged_into = UnitFactory(name="Ấp Phú Hữu Mới", kind=UnitKind.HAMLET, parent=scene.commune_a)
    merge_unit(
        scene.hamlet_a, successor=merged_into, actor=an_admin(scene.body), on=date(2025, 12, 31)
    )
    senior, campaign = next_year(scene, award)
    nomination = nominate(scene, senior, campaign, merged_into)
    record = db.session.query(AwardRecord).one()
    assert record.nomination_id == decision.lines[0].nomination_id

    assert history_problem(nomination) is None

    decisions.annul_decision(decision, actor=scene.chair, reason="Hồ sơ không trung thực")

    assert history_problem(nomination) == (
        "Danh hiệu cần một năm requires Chiến sĩ thi đua cơ sở in each of the 1 years before; "
        "it is missing for 2025."
    )


def test_an_award_by_the_simplified_procedure_does_not_count(scene: Scene) -> None:
    award = person_award(scene)  # its dossiers pass by the simplified procedure
    issue_to(scene, [passed_person(scene, award, name="Nguyễn Văn Án")])
    senior, campaign = next_year(scene, award)
    nomination = nominate(scene, senior, campaign, scene.hamlet_a)

    assert history_problem(nomination) == (
        "Danh hiệu cần một năm requires Chiến sĩ thi đua cơ sở in each of the 1 years before; "
        "it is missing for 2025. Sudden and thematic awards, and awards by the simplified "
        "procedure, do not count towards merit awards (NĐ 152/2025/NĐ-CP, art. 4)."
    )
