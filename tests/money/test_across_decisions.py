"""The highest title of a period across decisions: what earlier issued decisions (not annulled)
and earlier awards imported into the history paid for the nominee's titles of the same period
is deducted; nothing when they paid as much or more (NĐ 152/2025/NĐ-CP art. 49-54)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from flask import Flask
from openpyxl import load_workbook

from recognition.campaigns.enums import AwardKind, NomineeKind
from recognition.campaigns.models import AwardType
from recognition.campaigns.services import offer_award
from recognition.decisions import services as decision_services
from recognition.decisions.money.compute import MoneyRule
from recognition.decisions.money.payments import payment_workbook
from recognition.decisions.money.queries import decision_money
from recognition.extensions import db
from recognition.history.services import EarlierAward, import_awards
from recognition.law.enums import AwardStandard
from recognition.units.enums import UnitKind
from tests.decisions.helpers import (
    ISSUE_DAY,
    client_for,
    drafted,
    in_english,
    page_text,
    passed_person,
)
from tests.support.factories import LAW_VOTE, AwardTypeFactory
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration

NAME = "Nguyễn Thị Mai"


def title(scene: Scene, standard: AwardStandard, code: str, name: str) -> AwardType:
    award = AwardTypeFactory(
        awarding_body=scene.body,
        code=code,
        name=name,
        kind=AwardKind.TITLE,
        nominee_kind=NomineeKind.INDIVIDUAL,
        standard=standard,
        **(LAW_VOTE if standard == AwardStandard.CSTD_CO_SO else {}),
    )
    offer_award(scene.campaign, award, quota=None)
    return award


@pytest.fixture
def titles(scene: Scene) -> dict[str, AwardType]:
    scene.body.kind = UnitKind.COMMUNE
    db.session.flush()
    return {
        "LDTT": title(scene, AwardStandard.LAO_DONG_TIEN_TIEN, "LDTT", "Lao động tiên tiến"),
        "CSTDCS": title(scene, AwardStandard.CSTD_CO_SO, "CSTDCS", "Chiến sĩ thi đua cơ sở"),
    }


def issue(scene: Scene, award: AwardType, day: date = ISSUE_DAY, name: str = NAME):  # type: ignore[no-untyped-def]
    decision = drafted(scene, [passed_person(scene, award, name=name)])
    decision_services.issue_decision(decision, actor=scene.chair, today=day)
    return decision


def later(scene: Scene, award: AwardType, name: str = NAME) -> tuple[int, MoneyRule, int]:
    """A later decision for `name`'s `award` of the same period: its amount, rule, and what
    was paid before."""
    decision = drafted(scene, [passed_person(scene, award, name=name)])
    (line,) = decision_money(decision).lines
    return line.amount, line.computed.rule, line.computed.earlier


@pytest.mark.parametrize(
    ("first", "then", "expected"),
    [
        # A lower title after a higher one: nothing, and why.
        ("CSTDCS", "LDTT", (0, MoneyRule.PAID_EARLIER, 2_340_000)),
        # A higher title after a lower one: the difference.
        ("LDTT", "CSTDCS", (1_630_000, MoneyRule.DIFFERENCE, 710_000)),
    ],
)
def test_a_later_decision_pays_only_up_to_the_highest(
    scene: Scene, titles: dict[str, AwardType], first: str, then: str,
    expected: tuple[int, MoneyRule, int],
) -> None:  # fmt: skip
    issue(scene, titles[first])

    assert later(scene, titles[then]) == expected


def test_an_annulled_decision_paid_nothing(scene: Scene, titles: dict[str, AwardType]) -> None:
    decision = issue(scene, titles["CSTDCS"])
    decision_services.annul_decision(decision, actor=scene.chair, reason="Hồ sơ không trung thực")

    assert later(scene, titles["LDTT"]) == (710_000, MoneyRule.PAID, 0)


def test_another_persons_awards_do_not_count(scene: Scene, titles: dict[str, AwardType]) -> None:
    issue(scene, titles["CSTDCS"], name="Lê Văn Tám")

    assert later(scene, titles["LDTT"]) == (710_000, MoneyRule.PAID, 0)


def test_an_issued_decision_reads_only_the_decisions_before_it(
    scene: Scene, titles: dict[str, AwardType]
) -> None:
    first = issue(scene, titles["LDTT"])
    second = issue(scene, titles["CSTDCS"], day=ISSUE_DAY + timedelta(days=1))

    assert [m.amount for m in decision_money(first).lines] == [710_000]
    assert [(m.amount, m.computed.rule) for m in decision_money(second).lines] == [
        (1_630_000, MoneyRule.DIFFERENCE)
    ]
    assert [line.amount for line in second.lines] == [1_630_000]  # frozen at issue


def test_an_imported_award_of_the_period_counts(scene: Scene, titles: dict[str, AwardType]) -> None:
    row = EarlierAward(
        2, NAME, "Trưởng ấp", scene.hamlet_a, "Lao động tiên tiến", "90/QĐ-UBND",
        date(2025, 12, 20),
    )  # fmt: skip
    import_awards([row], body_name="UBND xã", actor=scene.chair, file_name="cu.xlsx")

    assert later(scene, titles["CSTDCS"]) == (1_630_000, MoneyRule.DIFFERENCE, 710_000)
    assert later(scene, titles["LDTT"], name=NAME)[:2] == (0, MoneyRule.PAID_EARLIER)


def test_an_imported_commendation_is_not_a_title(
    scene: Scene, titles: dict[str, AwardType]
) -> None:
    row = EarlierAward(
        2, NAME, "Trưởng ấp", scene.hamlet_a, "Giấy khen", "91/QĐ-UBND", date(2025, 12, 20)
    )
    import_awards([row], body_name="UBND xã", actor=scene.chair, file_name="cu.xlsx")

    assert later(scene, titles["LDTT"]) == (710_000, MoneyRule.PAID, 0)


def test_the_decision_page_says_what_was_paid_before(
    app: Flask, scene: Scene, titles: dict[str, AwardType]
) -> None:
    first = issue(scene, titles["LDTT"])
    decision = drafted(scene, [passed_person(scene, titles["CSTDCS"], name=NAME)])
    db.session.commit()
    client = in_english(client_for(app, scene.secretariat))

    text = page_text(client.get(f"/decisions/{decision.id}").get_data(as_text=True))

    assert (
        "A lower title of the same period was paid earlier: the difference is paid: "
        f"710,000 đ paid before by {first.reference}"
    ) in text
    assert "1,630,000 đ" in text


@pytest.mark.parametrize(
    ("first", "then", "amount", "note"),
    [
        (
            "LDTT",
            "CSTDCS",
            1_630_000,
            "Chi phần chênh lệch: 2.340.000 đ trừ 710.000 đ đã chi theo {ref}",
        ),
        (
            "CSTDCS",
            "LDTT",
            0,
            "Không chi: cùng kỳ đã chi 2.340.000 đ theo {ref} (chỉ chi mức cao nhất)",
        ),
    ],
)
def test_the_payment_list_says_why_a_line_is_paid_less(
    scene: Scene, titles: dict[str, AwardType], first: str, then: str, amount: int, note: str
) -> None:  # fmt: skip
    earlier = issue(scene, titles[first])
    decision = drafted(scene, [passed_person(scene, titles[then], name=NAME)])

    sheet = load_workbook(io.BytesIO(payment_workbook(decision))).active
    assert sheet is not None
    row = [cell.value for cell in sheet[6]]

    assert (row[4], row[6]) == (amount, note.format(ref=earlier.reference))
