"""Who confers what is the law of the decision's date (DOMAIN.md, "Who awards what"): the
scene's body is a district, whose chairman conferred Tập thể lao động tiên tiến until
30-6-2025 and never a province's Bằng khen; a body's own title is never checked."""

from __future__ import annotations

from datetime import date

import pytest

from recognition.campaigns.models import AwardType
from recognition.campaigns.services import offer_award
from recognition.decisions import services
from recognition.decisions.enums import DecisionState
from recognition.errors import DomainError
from recognition.law.enums import AwardStandard
from tests.decisions.helpers import passed
from tests.support.factories import AwardTypeFactory
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration

BEFORE = date(2024, 12, 2)  # the district still exists
AFTER = date(2026, 3, 4)  # two levels of government: no district


def _award(scene: Scene, standard: AwardStandard) -> AwardType:
    award = AwardTypeFactory(awarding_body=scene.body, standard=standard)
    offer_award(scene.campaign, award, quota=None)
    return award


def test_a_district_confers_its_titles_under_the_law_of_2024(scene: Scene) -> None:
    award = _award(scene, AwardStandard.TAP_THE_LDTT)
    decision = services.draft_decision(
        scene.body, [passed(scene, award=award)], actor=scene.secretariat, today=BEFORE
    )
    services.issue_decision(decision, actor=scene.chair, today=BEFORE)
    assert (decision.state, decision.issued_on) == (DecisionState.ISSUED, BEFORE)


def test_after_1_july_2025_a_district_confers_nothing(scene: Scene) -> None:
    award = _award(scene, AwardStandard.TAP_THE_LDTT)
    nomination = passed(scene, award=award)
    with pytest.raises(DomainError) as refused:
        services.draft_decision(scene.body, [nomination], actor=scene.secretariat, today=AFTER)
    assert "04/03/2026" in str(refused.value) and award.name in str(refused.value)


def test_a_draft_of_2024_cannot_be_issued_under_the_law_of_2026(scene: Scene) -> None:
    award = _award(scene, AwardStandard.TAP_THE_LDTT)
    decision = services.draft_decision(
        scene.body, [passed(scene, award=award)], actor=scene.secretariat, today=BEFORE
    )
    with pytest.raises(DomainError) as refused:
        services.issue_decision(decision, actor=scene.chair, today=AFTER)
    assert award.name in str(refused.value)
    assert (decision.state, decision.number) == (DecisionState.DRAFT, None)


def test_a_district_never_conferred_the_provinces_bang_khen(scene: Scene) -> None:
    award = _award(scene, AwardStandard.BANG_KHEN_TINH)
    with pytest.raises(DomainError):
        services.draft_decision(
            scene.body, [passed(scene, award=award)], actor=scene.secretariat, today=BEFORE
        )


def test_the_bodys_own_titles_are_not_checked(scene: Scene) -> None:
    award = _award(scene, AwardStandard.OWN_TITLE)
    decision = services.draft_decision(
        scene.body, [passed(scene, award=award)], actor=scene.secretariat, today=AFTER
    )
    services.issue_decision(decision, actor=scene.chair, today=AFTER)
    assert decision.state == DecisionState.ISSUED
