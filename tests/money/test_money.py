"""Reward money on decisions: each line's amount by the law of the decision's day, the
secretariat's correction (audited, with a reason), amounts frozen at issue, the payment list
as XLSX (read back cell by cell) and as PDF, and the emulation fund with its warning."""

from __future__ import annotations

import io
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select

from recognition.campaigns.enums import AwardKind, NomineeKind
from recognition.campaigns.services import offer_award
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.database import local_today
from recognition.decisions import services as decision_services
from recognition.decisions.models import Decision
from recognition.decisions.money import services
from recognition.decisions.money.payments import payment_workbook, render_payment_list
from recognition.decisions.money.queries import decision_money, fund_check, fund_status
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.law.enums import AwardStandard
from recognition.units.enums import UnitKind
from tests.decisions.helpers import (
    ISSUE_DAY,
    client_for,
    drafted,
    in_english,
    one_line,
    page_text,
    passed,
    passed_person,
    pdftotext,
)
from tests.support.factories import LAW_VOTE, AwardTypeFactory
from tests.workflow.helpers import Scene, flashes

pytestmark = pytest.mark.integration


@pytest.fixture
def money_scene(scene: Scene) -> Scene:
    """The scene's body confers the commune's titles (the law's authority since 1-7-2025): a
    cultured hamlet (collective title, 1.5), a Giấy khen for a collective (0.6) and Chiến sĩ
    thi đua cơ sở (individual title, 1.0)."""
    scene.body.kind = UnitKind.COMMUNE
    scene.award.standard = AwardStandard.THON_AP_VAN_HOA
    scene.award.kind = AwardKind.TITLE
    giay_khen = AwardTypeFactory(
        awarding_body=scene.body,
        code="GK",
        name="Giấy khen",
        kind=AwardKind.COMMENDATION,
        nominee_kind=NomineeKind.COLLECTIVE,
        standard=AwardStandard.GIAY_KHEN,
        simplified_allowed=True,
    )
    offer_award(scene.campaign, giay_khen, quota=None)
    cstd = AwardTypeFactory(
        awarding_body=scene.body,
        code="CSTDCS",
        name="Chiến sĩ thi đua cơ sở",
        kind=AwardKind.TITLE,
        nominee_kind=NomineeKind.INDIVIDUAL,
        standard=AwardStandard.CSTD_CO_SO,
        simplified_allowed=True,
        **LAW_VOTE,
    )
    offer_award(scene.campaign, cstd, quota=None)
    scene.users["giay_khen"] = giay_khen  # type: ignore[assignment]
    scene.users["cstd"] = cstd  # type: ignore[assignment]
    db.session.flush()
    return scene


def _decision(scene: Scene) -> Decision:
    return drafted(
        scene,
        [
            passed(scene, name="Ấp Phú Lợi"),
            passed(scene, name="=Ấp Tân Hòa", award=scene.users["giay_khen"]),  # type: ignore[arg-type]
            passed_person(scene, scene.users["cstd"], name="Nguyễn Thị Mai"),  # type: ignore[arg-type]
        ],
    )


def test_each_line_carries_its_amount_by_the_law_of_the_day(money_scene: Scene) -> None:
    decision = _decision(money_scene)
    money = decision_money(decision)
    assert money.day == local_today()
    by_name = {m.line.recipient: m for m in money.lines}
    assert by_name["Ấp Phú Lợi"].amount == 3_510_000
    assert by_name["=Ấp Tân Hòa"].amount == 1_410_000  # 0.6 × 2,340,000 = 1,404,000, up
    assert by_name["Nguyễn Thị Mai"].amount == 2_340_000
    assert money.total == 3_510_000 + 1_410_000 + 2_340_000


def test_an_override_needs_a_reason_and_is_audited(money_scene: Scene) -> None:
    decision = _decision(money_scene)
    line = next(line for line in decision.lines if line.recipient == "Ấp Phú Lợi")
    with pytest.raises(DomainError) as refused:
        services.override_amount(
            decision, line, 3_000_000, reason="  ", actor=money_scene.secretariat
        )
    assert refused.value.field == "reason"
    with pytest.raises(NotAllowed):
        services.override_amount(decision, line, 3_000_000, reason="x", actor=money_scene.chair)
    assert line.amount_override is None
    services.override_amount(
        decision,
        line,
        3_000_000,
        reason="Theo dự toán được giao",
        actor=money_scene.secretariat,
    )
    paid = {m.line.recipient: m.amount for m in decision_money(decision).lines}
    assert paid["Ấp Phú Lợi"] == 3_000_000
    event = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_kind == ObjectKind.DECISION, AuditEvent.object_id == decision.id)
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None and event.action == "override_amount"
    assert event.actor_id == money_scene.secretariat.id
    assert "3.510.000 đ → 3.000.000 đ" in event.comment
    assert "Theo dự toán được giao" in event.comment
    # Back to the computed amount.
    services.override_amount(decision, line, None, reason="Sửa lại", actor=money_scene.secretariat)
    assert decision_money(decision).lines[0].amount in {3_510_000, 1_410_000, 2_340_000}
    assert line.amount_override is None


def test_the_amounts_are_frozen_at_issue(money_scene: Scene) -> None:
    decision = _decision(money_scene)
    line = next(line for line in decision.lines if line.recipient == "Nguyễn Thị Mai")
    services.override_amount(
        decision, line, 2_000_000, reason="Theo quyết toán", actor=money_scene.secretariat
    )
    decision_services.issue_decision(decision, actor=money_scene.chair, today=ISSUE_DAY)
    stored = {line.recipient: line.amount for line in decision.lines}
    assert stored == {
        "Ấp Phú Lợi": 3_510_000,
        "=Ấp Tân Hòa": 1_410_000,
        "Nguyễn Thị Mai": 2_000_000,
    }
    assert decision_money(decision).day == ISSUE_DAY
    with pytest.raises(InvalidTransition):
        services.override_amount(decision, line, 1, reason="x", actor=money_scene.secretariat)


def test_the_payment_list_as_xlsx_reads_back_cell_by_cell(money_scene: Scene) -> None:
    decision = _decision(money_scene)
    sheet = load_workbook(io.BytesIO(payment_workbook(decision))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "DANH SÁCH CHI TIỀN THƯỞNG"
    assert rows[4] == [
        "STT",
        "Họ tên/Tập thể",
        "Đơn vị",
        "Hình thức",
        "Số tiền (đồng)",
        "Ký nhận",
        "Ghi chú",
    ]
    body = rows[5:]
    money = decision_money(decision)
    expected = [
        [
            m.line.position,
            # A name that starts like a formula gets the apostrophe that keeps it text.
            "'" + m.line.recipient if m.line.recipient.startswith("=") else m.line.recipient,
            # A person's unit (and its commune below the body), not their position; a
            # collective's: the unit it belongs to.
            f"{m.line.nomination.person_unit.name}, xã Sơn Định"
            if m.line.nomination.is_person
            else m.line.detail or "Xã Sơn Định",
            m.line.award_type.name,
            m.amount,
            None,
            None,
        ]
        for m in money.lines
    ]
    assert body[:-2] == expected
    assert "'=Ấp Tân Hòa" in [row[1] for row in body]
    assert body[-2] == [None, "Tổng cộng", None, None, 7_260_000, None, None]
    assert body[-1][:2] == [None, "Bằng chữ: Bảy triệu hai trăm sáu mươi nghìn đồng."]
    # A name that looks like a formula is text, never a formula.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert [sheet.column_dimensions[c].width for c in "ABCDEFG"] == [6, 32, 38, 40, 16, 18, 44]


def test_the_payment_list_pdf_renders(money_scene: Scene) -> None:
    decision = _decision(money_scene)
    pdf = render_payment_list(decision)
    if os.environ.get("RECOGNITION_SCREENSHOTS"):
        (Path(__file__).parents[1] / "artifacts" / "payment-list.pdf").write_bytes(pdf)
    text = pdftotext(pdf)
    for expected in (
        "DANH SÁCH CHI TIỀN THƯỞNG",
        "Ký nhận",
        "Ấp Phú Lợi",
        "Nguyễn Thị Mai",
        "3.510.000",
        "7.260.000",
        "Tổng cộng",
        "Bằng chữ: Bảy triệu hai trăm sáu mươi nghìn đồng.",
    ):
        assert expected in text


def test_the_fund_warns_when_a_decision_exceeds_what_is_left(money_scene: Scene) -> None:
    decision = _decision(money_scene)
    year = local_today().year
    assert fund_check(decision, decision_money(decision)).exceeds is False  # no fund: no warning
    with pytest.raises(NotAllowed):
        services.save_fund(
            money_scene.body, year, budget=1, movement_percent=Decimal(20), actor=money_scene.chair
        )
    with pytest.raises(DomainError) as refused:
        services.save_fund(
            money_scene.body,
            year,
            budget=10_000_000,
            movement_percent=Decimal(120),
            actor=money_scene.secretariat,
        )
    assert refused.value.field == "movement_percent"
    services.save_fund(
        money_scene.body,
        year,
        budget=10_000_000,
        movement_percent=Decimal(20),
        actor=money_scene.secretariat,
    )
    status = fund_status(money_scene.body, year)
    assert (status.reserved, status.for_awards, status.paid) == (2_000_000, 8_000_000, 0)
    assert status.committed == 7_260_000
    assert status.remaining == 740_000
    check = fund_check(decision, decision_money(decision))
    assert check is not None and check.exceeds is False  # 7,260,000 of 8,000,000
    services.save_fund(
        money_scene.body,
        year,
        budget=8_000_000,
        movement_percent=Decimal(20),
        actor=money_scene.secretariat,
    )
    check = fund_check(decision, decision_money(decision))
    assert check is not None and check.exceeds is True  # 7,260,000 of 6,400,000
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_kind == ObjectKind.EMULATION_FUND)
    ).all()
    assert [e.comment for e in events] == ["10.000.000 đ; 20 %", "8.000.000 đ; 20 %"]


def test_paid_counts_the_issued_decisions_of_the_year(money_scene: Scene) -> None:
    decision = _decision(money_scene)
    decision_services.issue_decision(decision, actor=money_scene.chair, today=ISSUE_DAY)
    assert fund_status(money_scene.body, ISSUE_DAY.year).paid == 7_260_000
    assert fund_status(money_scene.body, ISSUE_DAY.year + 1).paid == 0


# --- pages ------------------------------------------------------------------------------------


def test_the_decision_page_shows_the_computation_and_the_warning(
    app: Flask, money_scene: Scene
) -> None:
    decision = _decision(money_scene)
    services.save_fund(
        money_scene.body,
        local_today().year,
        budget=1_000_000,
        movement_percent=Decimal(20),
        actor=money_scene.secretariat,
    )
    db.session.commit()
    client = in_english(client_for(app, money_scene.secretariat))
    html = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    text = page_text(html)
    assert "Reward money" in text
    assert "2,340,000 đ" in text and "7,260,000 đ" in text
    assert 'id="fund-warning"' in html
    assert f"/money/decisions/{decision.id}/payments.xlsx" in html
    assert f"/money/decisions/{decision.id}/payments.pdf" in html


def test_the_amount_form_keeps_what_was_typed_and_names_the_field(
    app: Flask, money_scene: Scene
) -> None:
    decision = _decision(money_scene)
    db.session.commit()
    client = in_english(client_for(app, money_scene.secretariat))
    url = f"/money/decisions/{decision.id}/amounts/1"
    response = client.post_form(url, {"amount": "12abc", "reason": ""})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'value="12abc"' in html
    assert "Enter a whole amount in đồng" in html
    assert "This field is required." in html
    response = client.post_form(url, {"amount": "1.500.000 đ", "reason": "Theo dự toán"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Decision, decision.id).lines[0].amount_override == 1_500_000
    chair = client_for(app, money_scene.chair)
    assert chair.post_form(url, {"amount": "1", "reason": "x"}).status_code == 403


def test_the_fund_page(app: Flask, money_scene: Scene) -> None:
    db.session.commit()
    client = in_english(client_for(app, money_scene.secretariat))
    url = f"/money/funds/{money_scene.body.id}?year=2026"
    # Reached from the decisions page.
    assert f'href="/money/funds/{money_scene.body.id}"' in client.get("/decisions/").get_data(
        as_text=True
    )
    response = client.post_form(url, {"year": "2026", "budget": "-5", "movement_percent": "20"})
    assert response.status_code == 200
    assert "Enter a whole amount in đồng" in response.get_data(as_text=True)
    # One and a half đồng is not an amount (its comma was once dropped: 15 đồng).
    response = client.post_form(url, {"year": "2026", "budget": "1,5", "movement_percent": "1,5"})
    assert response.status_code == 200
    assert "Enter a whole amount in đồng, e.g. 1,080,000." in response.get_data(as_text=True)
    response = client.post_form(
        url, {"year": "2026", "budget": "50.000.000", "movement_percent": ""}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ("success", "The fund has been saved.") in flashes(page)
    text = page_text(page)
    assert "50,000,000 đ" in text and "10,000,000 đ" in text  # the law's 20 % kept
    chair = client_for(app, money_scene.chair)
    assert chair.get(url).status_code == 200
    assert chair.post_form(url, {"year": "2026", "budget": "1"}).status_code == 403
    # A share with decimals, written as the reader's language writes it.
    client.post_form(url, {"year": "2026", "budget": "50,000,000", "movement_percent": "12.5"})
    assert "Kept for organising movements (12.5 %)" in page_text(
        client.get(url).get_data(as_text=True)
    )
    vietnamese = client_for(app, money_scene.secretariat)
    money_scene.secretariat.locale = "vi"
    db.session.commit()
    assert "(12,5 %)" in page_text(vietnamese.get(url).get_data(as_text=True))


def test_issuing_over_the_fund_warns_and_does_not_refuse(app: Flask, money_scene: Scene) -> None:
    decision = _decision(money_scene)
    services.save_fund(
        money_scene.body,
        local_today().year,
        budget=1_000_000,
        movement_percent=Decimal(20),
        actor=money_scene.secretariat,
    )
    db.session.commit()
    chair = in_english(client_for(app, money_scene.chair))
    response = chair.post_form(f"/decisions/{decision.id}/issue", follow_redirects=True)
    assert response.status_code == 200
    assert (
        "warning",
        f"This decision pays more than is left in the emulation fund of {local_today().year}.",
    ) in flashes(response.get_data(as_text=True))
    db.session.expire_all()
    issued = db.session.get(Decision, decision.id)
    assert issued is not None and issued.reference is not None
    assert sum(line.amount or 0 for line in issued.lines) == 7_260_000


def test_a_budget_below_what_is_committed_is_saved_with_a_warning(
    app: Flask, money_scene: Scene
) -> None:
    _decision(money_scene)  # a draft committing 7,260,000 đ this year
    db.session.commit()
    client = in_english(client_for(app, money_scene.secretariat))
    year = local_today().year
    url = f"/money/funds/{money_scene.body.id}?year={year}"

    response = client.post_form(
        url, {"year": str(year), "budget": "5,000,000", "movement_percent": "20"}
    )

    assert response.status_code == 302
    shown = flashes(client.get(response.headers["Location"]).get_data(as_text=True))
    # 80 % of 5,000,000 left for awards, 7,260,000 committed: 3,260,000 over.
    assert (
        "warning",
        "The budget is below what the year's decisions have paid and committed: 3,260,000 đ over.",
    ) in shown
    response = client.post_form(
        url, {"year": str(year), "budget": "50,000,000", "movement_percent": "20"}
    )
    shown = flashes(client.get(response.headers["Location"]).get_data(as_text=True))
    assert [category for category, _ in shown] == ["success"]


def test_a_payment_list_says_so_across_its_pages_while_it_pays_nothing(
    money_scene: Scene,
) -> None:
    # An annulled decision's list printed clean, ready to pay, as the decision's own PDF
    # carried "ĐÃ HỦY BỎ".
    decision = _decision(money_scene)
    marks = {}
    for state in ("draft", "issued", "annulled"):
        if state == "issued":
            decision_services.issue_decision(decision, actor=money_scene.chair, today=ISSUE_DAY)
        if state == "annulled":
            decision_services.annul_decision(
                decision, actor=money_scene.chair, reason="Sai đối tượng khen thưởng"
            )
        text = one_line(pdftotext(render_payment_list(decision), raw=True))
        title = load_workbook(io.BytesIO(payment_workbook(decision))).active["A2"].value
        marks[state] = (
            "DỰ THẢO" in text,
            "ĐÃ HỦY BỎ" in text,
            title.endswith(("(dự thảo)", "(ĐÃ HỦY BỎ)")),
        )

    assert marks == {
        "draft": (True, False, True),
        "issued": (False, False, False),
        "annulled": (False, True, True),
    }


def test_an_issued_decision_says_when_the_law_recorded_for_its_day_changed_since(
    app: Flask, money_scene: Scene
) -> None:
    # A base salary of its day entered after the issue: the columns computed by today's
    # record beside the amount paid, which stays as frozen, contradicted it without a word.
    from recognition.law.models import LawValue

    decision = _decision(money_scene)
    decision_services.issue_decision(decision, actor=money_scene.chair, today=ISSUE_DAY)
    db.session.add(
        LawValue(
            key="base_salary", valid_from=date(2026, 1, 1), value=2_530_000, source="x", note=""
        )
    )
    db.session.commit()

    text = page_text(
        in_english(client_for(app, money_scene.secretariat))
        .get(f"/decisions/{decision.id}")
        .get_data(as_text=True)
    )

    assert [line.amount for line in decision.lines] == [3_510_000, 1_410_000, 2_340_000]
    assert (
        "Paid 2,340,000 đ as computed at issue; the law now recorded for that day gives "
        "2,530,000 đ" in text
    )


def test_an_annulled_decision_s_money_is_shown_apart_on_the_fund(
    app: Flask, money_scene: Scene
) -> None:
    decision = _decision(money_scene)
    decision_services.issue_decision(decision, actor=money_scene.chair, today=ISSUE_DAY)
    year = decision.year
    services.save_fund(
        money_scene.body,
        year,
        budget=50_000_000,
        movement_percent=Decimal(20),
        actor=money_scene.secretariat,
    )
    before = fund_status(money_scene.body, year)
    decision_services.annul_decision(
        decision, actor=money_scene.chair, reason="Sai đối tượng khen thưởng"
    )
    db.session.commit()
    after = fund_status(money_scene.body, year)
    page = page_text(
        in_english(client_for(app, money_scene.secretariat))
        .get(f"/money/funds/{money_scene.body.id}?year={year}")
        .get_data(as_text=True)
    )

    assert (before.paid, before.annulled) == (7_260_000, 0)
    # Until it is recovered, the money is no more left to spend than before.
    assert (after.paid, after.annulled, after.remaining) == (0, 7_260_000, before.remaining)
    assert before.remaining == 40_000_000 - 7_260_000
    assert (
        "Paid by decisions annulled since (to be recovered; not counted above) 7,260,000 đ" in page
    )
