"""Targets and their values through the services: who may do what, the checks on each field,
evidence files stored by content, confirm and reject, and the audit event of every change."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from recognition.campaigns.enums import CampaignStatus
from recognition.common import storage
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.errors import ConcurrentUpdate, DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.notifications.models import Notification
from recognition.targets.enums import AssessmentTiming, TargetDirection, TargetSector, ValueState
from recognition.targets.models import Target, TargetBand, TargetValue
from recognition.targets.queries import bands_of, target_rows_of
from recognition.targets.rules import DEFAULT_BANDS, Band
from recognition.targets.services import (
    Report,
    TargetData,
    Upload,
    confirm_value,
    reject_value,
    report_value,
    save_bands,
    save_target,
)
from tests.nominations import PDF
from tests.support.factories import move_campaign
from tests.support.object_store import isolate_store, stored_keys
from tests.targets.conftest import Movement

pytestmark = pytest.mark.integration

TODAY = date(2025, 1, 15)


@pytest.fixture(autouse=True)
def _english() -> object:
    with force_locale("en"):
        yield


@pytest.fixture
def uploads(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "uploads"
    isolate_store(app, folder, monkeypatch)
    return folder


def income(movement: Movement, **changes: object) -> TargetData:
    values: dict[str, object] = {
        "code": "ct1",
        "text": "Thu nhập bình quân đầu người đạt 82 triệu đồng/người/năm",
        "sector": TargetSector.ECONOMY,
        "responsible_unit": movement.units["farmers"],
        "target_value": Decimal(82),
        "baseline": Decimal(68),
        "measure_unit": "triệu đồng/người/năm",
    }
    values.update(changes)
    return TargetData(**values)  # type: ignore[arg-type]


@pytest.fixture
def target(movement: Movement) -> Target:
    return save_target(
        None, income(movement), campaign=movement.campaign, actor=movement.secretariat
    )


def events() -> list[tuple[str, int, str, str, str]]:
    rows = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_kind == ObjectKind.TARGET)
        .order_by(AuditEvent.id)
    )
    return [(e.action, e.object_id, e.from_state, e.to_state, e.comment) for e in rows]


def test_a_target_is_created_cleaned_and_audited(movement: Movement, target: Target) -> None:
    assert (target.code, target.position, target.direction) == ("CT1", 1, TargetDirection.HIGHER)
    assert target.responsible_unit == movement.units["farmers"]
    assert events() == [("created", target.id, "", "", "")]
    event = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_kind == ObjectKind.TARGET, AuditEvent.object_id == target.id
        )
    ).one()
    assert event.subject.startswith("CT1 · Thu nhập bình quân")


def test_a_change_records_the_fields_changed(movement: Movement, target: Target) -> None:
    save_target(
        target,
        income(movement, target_value=Decimal(85), timing=AssessmentTiming.TERM_END),
        campaign=movement.campaign,
        actor=movement.secretariat,
    )
    save_target(
        target,
        income(movement, target_value=Decimal(85), timing=AssessmentTiming.TERM_END),
        campaign=movement.campaign,
        actor=movement.secretariat,
    )
    assert events()[1:] == [("changed", target.id, "", "", "target_value, timing")]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": " "}, "code", "A target needs a code and a text."),
        ({"text": "\u200b"}, "code", "A target needs a code and a text."),
        ({"code": "ﬁ" * 11}, "code", "The code is at most 20 characters."),
        ({"target_value": None}, "target_value", "Enter the target value."),
        (
            {"target_value": Decimal("1e13")},
            "target_value",
            "Enter a number of at most 12 digits before the decimal point.",
        ),
        (
            {"target_value": Decimal("1e999999999")},
            "target_value",
            "Enter a number of at most 12 digits before the decimal point.",
        ),
        (
            {"target_value": Decimal("999999999999.999")},
            "target_value",
            "Enter a number of at most 12 digits before the decimal point.",
        ),
        (
            {"baseline": Decimal("NaN")},
            "baseline",
            "Enter a number of at most 12 digits before the decimal point.",
        ),
    ],
)
def test_a_target_s_fields_are_checked(
    movement: Movement, changes: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(DomainError) as refused:
        save_target(
            None,
            income(movement, **changes),
            campaign=movement.campaign,
            actor=movement.secretariat,
        )
    assert (refused.value.field, refused.value.message) == (field, message)


def test_codes_are_unique_within_a_campaign(movement: Movement, target: Target) -> None:
    with pytest.raises(DomainError, match=r"The code CT1 is already used by another target\."):
        save_target(None, income(movement), campaign=movement.campaign, actor=movement.secretariat)


def test_the_responsible_unit_is_one_of_the_body(movement: Movement) -> None:
    outside = movement.outsider.units_with(movement.outsider.grants[0].role)[0]
    with pytest.raises(DomainError) as refused:
        save_target(
            None,
            income(movement, responsible_unit=outside),
            campaign=movement.campaign,
            actor=movement.secretariat,
        )
    assert refused.value.field == "responsible_unit_id"


def test_a_yes_no_target_keeps_no_figures(movement: Movement) -> None:
    target = save_target(
        None,
        income(movement, direction=TargetDirection.YES_NO),
        campaign=movement.campaign,
        actor=movement.secretariat,
    )
    assert (target.target_value, target.baseline) == (None, None)


def test_only_the_secretariat_keeps_targets(movement: Movement) -> None:
    for actor in (movement.farmers_nominator, movement.chair, movement.outsider):
        with pytest.raises(NotAllowed):
            save_target(None, income(movement), campaign=movement.campaign, actor=actor)


def test_an_archived_campaign_s_targets_do_not_change(movement: Movement, target: Target) -> None:
    move_campaign(movement.campaign, CampaignStatus.CLOSED, actor=movement.secretariat)
    move_campaign(movement.campaign, CampaignStatus.ARCHIVED, actor=movement.secretariat)
    with pytest.raises(DomainError, match="archived"):
        save_target(
            target,
            income(movement, text="Khác"),
            campaign=movement.campaign,
            actor=movement.secretariat,
        )
    with pytest.raises(NotAllowed):
        report_value(
            target, Report(Decimal(80), TODAY), actor=movement.farmers_nominator, today=TODAY
        )


def test_the_responsible_unit_reports_with_evidence_and_the_secretariat_confirms(
    movement: Movement, target: Target, uploads: Path
) -> None:
    value = report_value(
        target,
        Report(
            Decimal("80.456"),
            date(2024, 12, 31),
            note="Báo cáo sơ kết\u0301",
            files=[Upload(io.BytesIO(PDF), "Báo cáo thu nhập.pdf")],
        ),
        actor=movement.farmers_nominator,
        today=TODAY,
    )
    assert (value.value, value.state, value.note) == (
        Decimal("80.46"),
        ValueState.REPORTED,
        "Báo cáo sơ kết\u0301",
    )
    [evidence] = value.evidence
    assert (evidence.original_name, evidence.content_type, evidence.size_bytes) == (
        "Báo cáo thu nhập.pdf",
        "application/pdf",
        len(PDF),
    )
    assert stored_keys() == [evidence.storage_key]
    assert storage.read_bytes(evidence.storage_key) == PDF
    assert target_rows_of(movement.campaign, list(DEFAULT_BANDS))[0].latest is None

    confirm_value(value, actor=movement.secretariat)

    assert (value.state, value.decided_by_id) == (ValueState.CONFIRMED, movement.secretariat.id)
    row = target_rows_of(movement.campaign, list(DEFAULT_BANDS))[0]
    assert (row.latest, row.classification.label, row.classification.progress) == (
        value,
        "xấp xỉ đạt",
        Decimal("98.1"),
    )
    assert [e[:4] for e in events()] == [
        ("created", target.id, "", ""),
        ("reported", target.id, "", "reported"),
        ("confirmed", target.id, "reported", "confirmed"),
    ]
    assert events()[1][4] == "80.46 (2024-12-31); Báo cáo thu nhập.pdf"


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_stored(
    movement: Movement, target: Target, uploads: Path
) -> None:
    with pytest.raises(DomainError) as refused:
        report_value(
            target,
            Report(Decimal(80), TODAY, files=[Upload(io.BytesIO(b"<html>x</html>"), "a.pdf")]),
            actor=movement.farmers_nominator,
            today=TODAY,
        )
    assert refused.value.field == "files"
    assert refused.value.message == "The file a.pdf is not a PDF, JPEG, PNG, DOCX or XLSX document."
    db.session.rollback()
    assert stored_keys() == []


@pytest.mark.parametrize(
    ("report", "field", "message"),
    [
        (
            Report(Decimal(80), TODAY + timedelta(days=1)),
            "as_of_on",
            "The day of the value cannot be in the future.",
        ),
        (
            Report(Decimal(80), date(2010, 1, 1)),
            "as_of_on",
            "The day of the value is long before the campaign's period.",
        ),
        (
            Report(Decimal("1e12"), TODAY),
            "value",
            "Enter a number of at most 12 digits before the decimal point.",
        ),
        (
            Report(
                Decimal(1), TODAY, files=[Upload(io.BytesIO(PDF), f"{n}.pdf") for n in range(6)]
            ),
            "files",
            "At most 5 files per report.",
        ),
    ],
)
def test_a_report_is_checked(
    movement: Movement, target: Target, report: Report, field: str, message: str
) -> None:
    with pytest.raises(DomainError) as refused:
        report_value(target, report, actor=movement.farmers_nominator, today=TODAY)
    assert (refused.value.field, refused.value.message) == (field, message)


def test_a_yes_no_value_is_one_or_zero(movement: Movement) -> None:
    target = save_target(
        None,
        income(movement, direction=TargetDirection.YES_NO),
        campaign=movement.campaign,
        actor=movement.secretariat,
    )
    with pytest.raises(DomainError, match=r"Answer yes \(1\) or no \(0\)."):
        report_value(
            target, Report(Decimal(2), TODAY), actor=movement.farmers_nominator, today=TODAY
        )
    assert (
        report_value(
            target, Report(Decimal(1), TODAY), actor=movement.farmers_nominator, today=TODAY
        ).value
        == 1
    )


def test_who_may_report(movement: Movement, target: Target) -> None:
    for actor in (movement.hamlet_nominator, movement.outsider, movement.chair):
        with pytest.raises(NotAllowed):
            report_value(target, Report(Decimal(80), TODAY), actor=actor, today=TODAY)
    # The secretariat may enter a unit's figure itself.
    assert report_value(
        target, Report(Decimal(80), TODAY), actor=movement.secretariat, today=TODAY
    ).id


def test_a_rejection_needs_a_reason_and_is_final(movement: Movement, target: Target) -> None:
    value = report_value(
        target, Report(Decimal(80), TODAY), actor=movement.farmers_nominator, today=TODAY
    )
    with pytest.raises(DomainError, match=r"Please give a reason\."):
        reject_value(value, actor=movement.secretariat, reason=" \u200b ")
    with pytest.raises(NotAllowed):
        reject_value(value, actor=movement.farmers_nominator, reason="Tự từ chối")

    reject_value(value, actor=movement.secretariat, reason="Chưa khớp số liệu thống kê")

    assert (value.state, value.reason) == (ValueState.REJECTED, "Chưa khớp số liệu thống kê")
    assert events()[-1] == (
        "rejected",
        target.id,
        "reported",
        "rejected",
        "80 (2025-01-15): Chưa khớp số liệu thống kê",
    )
    with pytest.raises(InvalidTransition):
        confirm_value(value, actor=movement.secretariat)
    with pytest.raises(InvalidTransition):
        reject_value(value, actor=movement.secretariat, reason="Lần nữa")
    assert target_rows_of(movement.campaign, list(DEFAULT_BANDS))[0].latest is None


def test_the_latest_confirmed_value_counts(movement: Movement, target: Target) -> None:
    older = report_value(
        target,
        Report(Decimal(83), date(2024, 6, 30)),
        actor=movement.farmers_nominator,
        today=TODAY,
    )
    newer = report_value(
        target,
        Report(Decimal(41), date(2024, 12, 31)),
        actor=movement.farmers_nominator,
        today=TODAY,
    )
    confirm_value(newer, actor=movement.secretariat)
    confirm_value(older, actor=movement.secretariat)  # confirmed later, but of an earlier day
    pending = report_value(
        target, Report(Decimal(90), TODAY), actor=movement.farmers_nominator, today=TODAY
    )

    row = target_rows_of(movement.campaign, list(DEFAULT_BANDS))[0]

    assert (row.latest, row.classification.label, row.pending) == (newer, "đạt trên 50%", 1)
    assert pending.state == ValueState.REPORTED


def test_a_stale_decision_is_a_conflict(movement: Movement, target: Target) -> None:
    value = report_value(
        target, Report(Decimal(80), TODAY), actor=movement.farmers_nominator, today=TODAY
    )
    db.session.commit()
    db.session.execute(
        TargetValue.__table__.update()
        .where(TargetValue.id == value.id)
        .values(version=TargetValue.version + 1)
    )
    with pytest.raises(ConcurrentUpdate):
        confirm_value(value, actor=movement.secretariat)


def test_a_body_s_bands_are_data(movement: Movement) -> None:
    assert bands_of(movement.body) == list(DEFAULT_BANDS)
    save_bands(
        movement.body,
        [
            Band("chưa đạt", Decimal(0)),
            Band("hoàn thành", Decimal(100)),
            Band("cơ bản đạt", Decimal(80)),
        ],
        actor=movement.secretariat,
    )
    assert [(b.name, b.min_percent) for b in bands_of(movement.body)] == [
        ("hoàn thành", Decimal(100)),
        ("cơ bản đạt", Decimal(80)),
        ("chưa đạt", Decimal(0)),
    ]
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None
    assert (event.object_kind, event.action, event.comment) == (
        ObjectKind.BODY_SETTINGS,
        "target_bands_changed",
        "chưa đạt ≥ 0 %; hoàn thành ≥ 100 %; cơ bản đạt ≥ 80 %",
    )
    assert event.action_label == "Classification rules of targets changed"


@pytest.mark.parametrize(
    "bands",
    [
        [Band("đạt", Decimal(100))],
        [Band("đạt", Decimal(100)), Band("đạt", Decimal(50))],
        [Band("đạt", Decimal(100)), Band(" ", Decimal(50))],
        [Band("đạt", Decimal(100)), Band("chưa", Decimal(100))],
        [Band("đạt", Decimal(100)), Band("chưa", Decimal(-1))],
        # The same minimum once stored with two decimals.
        [Band("đạt", Decimal(0)), Band("chưa", Decimal("1e-400"))],
        [Band("đạt", Decimal("1e309")), Band("chưa", Decimal(0))],
    ],
)
def test_bands_are_checked(movement: Movement, bands: list[Band]) -> None:
    with pytest.raises(DomainError):
        save_bands(movement.body, bands, actor=movement.secretariat)
    assert db.session.scalars(select(TargetBand)).all() == []


def test_the_reporter_learns_the_decision(movement: Movement, target: Target) -> None:
    first = report_value(
        target,
        Report(Decimal(80), date(2024, 12, 31)),
        actor=movement.farmers_nominator,
        today=TODAY,
    )
    second = report_value(
        target, Report(Decimal(81), TODAY), actor=movement.farmers_nominator, today=TODAY
    )
    own = report_value(target, Report(Decimal(82), TODAY), actor=movement.secretariat, today=TODAY)
    confirm_value(first, actor=movement.secretariat)
    reject_value(second, actor=movement.secretariat, reason="Chưa khớp thống kê")
    confirm_value(own, actor=movement.secretariat)

    told = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    assert [(n.user_id, n.text, n.link) for n in told] == [
        (
            movement.farmers_nominator.id,
            "Số liệu của chỉ tiêu CT1 tính đến 31/12/2024 đã được xác nhận.",
            f"/targets/{target.id}",
        ),
        (
            movement.farmers_nominator.id,
            "Số liệu của chỉ tiêu CT1 tính đến 15/01/2025 không được xác nhận: Chưa khớp thống kê",
            f"/targets/{target.id}",
        ),
    ]
