"""A decision cites the law of its date: one issued in 2024 keeps NĐ 98/2023, one of 2026
cites NĐ 152/2025 and Law 72/2025; a draft whose bases are as generated cites the law of the
day it is issued, a draft whose bases were typed keeps them; the body's own bases follow."""

from datetime import date

import pytest

from recognition.decisions import services
from recognition.decisions.documents import render_decision
from recognition.decisions.models import Decision
from recognition.units.settings import stored_settings
from tests.decisions.helpers import one_line, passed, pdftotext
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration

OLD_DECREE = "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023"
NEW_DECREE = "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025"
NEW_LAW = "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15"


def _issued(scene: Scene, *, drafted_on: date, issued_on: date, name: str) -> Decision:
    decision = services.draft_decision(
        scene.body, [passed(scene, name=name)], actor=scene.secretariat, today=drafted_on
    )
    services.issue_decision(decision, actor=scene.chair, today=issued_on)
    return decision


def test_a_2024_decision_keeps_decree_98_and_a_2026_one_cites_decree_152(scene: Scene) -> None:
    old = _issued(scene, drafted_on=date(2024, 3, 1), issued_on=date(2024, 3, 4), name="Ấp Cũ")
    new = _issued(scene, drafted_on=date(2026, 3, 2), issued_on=date(2026, 3, 4), name="Ấp Mới")

    old_text, new_text = (one_line(pdftotext(render_decision(d))) for d in (old, new))
    assert (
        (OLD_DECREE in old_text, NEW_DECREE in old_text, NEW_LAW in old_text),
        (OLD_DECREE in new_text, NEW_DECREE in new_text, NEW_LAW in new_text),
        "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015" in old_text,
    ) == ((True, False, False), (False, True, True), True)


def test_a_draft_issued_after_the_reform_cites_the_law_of_its_issue_day(scene: Scene) -> None:
    decision = _issued(
        scene, drafted_on=date(2025, 6, 20), issued_on=date(2025, 7, 2), name="Ấp Giao Thời"
    )

    assert (decision.legal_bases_on, NEW_DECREE in decision.legal_bases) == (
        date(2025, 7, 2),
        True,
    )


def test_bases_typed_by_hand_are_kept_when_issued(scene: Scene) -> None:
    decision = services.draft_decision(
        scene.body,
        [passed(scene, name="Ấp Sửa Tay")],
        actor=scene.secretariat,
        today=date(2025, 6, 20),
    )
    typed = decision.legal_bases + "\nCăn cứ Quyết định số 12/2025/QĐ-UBND của tỉnh;"
    services.update_draft(
        decision,
        services.DecisionTexts(
            title=decision.title,
            legal_bases=typed,
            articles=decision.articles,
            recipients=decision.recipients,
            signer_title=decision.signer_title,
            signer_name=decision.signer_name,
        ),
        actor=scene.secretariat,
    )

    services.issue_decision(decision, actor=scene.chair, today=date(2025, 7, 2))

    assert (decision.legal_bases, OLD_DECREE in decision.legal_bases) == (typed, True)


def test_the_bodys_own_bases_follow_the_laws(scene: Scene) -> None:
    stored_settings(scene.body).legal_bases = "Căn cứ Quy chế thi đua, khen thưởng của huyện;"

    decision = services.draft_decision(
        scene.body,
        [passed(scene, name="Ấp Bổ Sung")],
        actor=scene.secretariat,
        today=date(2026, 3, 2),
    )

    assert decision.legal_bases.splitlines()[-2:] == [
        "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi "
        "tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
        "Căn cứ Quy chế thi đua, khen thưởng của huyện;",
    ]
