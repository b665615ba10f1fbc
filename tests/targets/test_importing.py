"""A campaign's targets from CSV: every row or none, each bad line named, the labels people
type understood, units found by code or name, and each target created or changed audited."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from recognition.common.audit import AuditEvent, ObjectKind
from recognition.common.csvfiles import ImportFailed
from recognition.extensions import db
from recognition.targets.enums import AssessmentTiming, TargetDirection, TargetSector
from recognition.targets.importing import import_targets_csv
from recognition.targets.models import Target
from tests.targets.conftest import Movement

pytestmark = pytest.mark.integration

GOOD = (
    "code,sector,text,unit,direction,baseline,target,responsible,timing\n"
    "CT1,Kinh tế,Thu nhập bình quân đầu người đạt 82 triệu đồng/người/năm,triệu đồng,"
    "higher,68,82,,\n"
    'ct6,xa hoi,"Tỷ lệ hộ nghèo giảm còn dưới 1%",%,Càng thấp càng tốt,"2,1",1,'
    "Phòng Văn hóa - Xã hội xã Phú Phụng,\n"
    "CT26,Văn hóa,Hoàn thành Đề án Làng Văn hóa du lịch,,co/khong,,,"
    "hội nông dân xã phú phụng,cuối nhiệm kỳ\n"
)


def targets() -> list[tuple[Any, ...]]:
    rows = db.session.scalars(select(Target).order_by(Target.position))
    return [
        (
            t.code,
            t.sector,
            t.direction,
            t.baseline,
            t.target_value,
            t.responsible_unit.name,
            t.timing,
        )
        for t in rows
    ]


def test_a_file_is_imported_whole(movement: Movement) -> None:
    count = import_targets_csv(movement.campaign, GOOD.encode(), actor=movement.secretariat)

    assert count == 3
    assert targets() == [
        (
            "CT1",
            TargetSector.ECONOMY,
            TargetDirection.HIGHER,
            Decimal(68),
            Decimal(82),
            "Xã Phú Phụng",
            AssessmentTiming.PERIODIC,
        ),
        (
            "CT6",
            TargetSector.SOCIETY,
            TargetDirection.LOWER,
            Decimal("2.1"),
            Decimal(1),
            "Phòng Văn hóa - Xã hội xã Phú Phụng",
            AssessmentTiming.PERIODIC,
        ),
        (
            "CT26",
            TargetSector.CULTURE,
            TargetDirection.YES_NO,
            None,
            None,
            "Hội Nông dân xã Phú Phụng",
            AssessmentTiming.TERM_END,
        ),
    ]
    created = db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.object_kind == ObjectKind.TARGET, AuditEvent.action == "created"
        )
    )
    assert created == 3
    # Again, with one change: the existing codes are updated, not duplicated.
    import_targets_csv(
        movement.campaign, GOOD.replace(",68,82,", ",68,85,").encode(), actor=movement.secretariat
    )
    assert [t[4] for t in targets()] == [Decimal(85), Decimal(1), None]


def test_every_bad_line_is_named_and_nothing_is_imported(movement: Movement) -> None:
    bad = (
        "code,sector,text,direction,target,responsible,timing\n"
        "CT1,Kinh tế,Thu nhập,higher,82,,\n"
        "CT2,Nông nghiệp,Diện tích lúa,higher,mười,,\n"
        "CT3,Xã hội,Tỷ lệ hộ nghèo,xuống,1,Xã Không Có,hằng tháng\n"
        "CT1,Kinh tế,Lặp lại,higher,1,,\n"
        ",Kinh tế,,higher,1,,\n"
        "CT9,Kinh tế,Thiếu chỉ tiêu,higher,,,\n"
    )
    with force_locale("en"), pytest.raises(ImportFailed) as failed:
        import_targets_csv(movement.campaign, bad.encode(), actor=movement.secretariat)
    assert [(e.line, e.message) for e in failed.value.errors] == [
        (3, "Unknown sector “Nông nghiệp”."),
        (3, "The target “mười” is not a number."),
        (4, "Unknown direction “xuống”."),
        (4, "Unknown timing “hằng tháng”."),
        (4, "No unit “Xã Không Có” in Xã Phú Phụng."),
        (5, "The code CT1 is repeated (first on line 2)."),
        (6, "A target needs a code and a text."),
    ]
    assert targets() == []
    # The rows pass the file's checks, one is refused by the service: still nothing.
    with force_locale("en"), pytest.raises(ImportFailed) as refused:
        import_targets_csv(
            movement.campaign,
            "code,sector,text,target\nCT1,economy,Thu nhập,82\nCT9,economy,Thiếu,\n".encode(),
            actor=movement.secretariat,
        )
    assert [(e.line, e.message) for e in refused.value.errors] == [(3, "Enter the target value.")]
    assert targets() == []


def test_a_file_without_the_columns_is_refused(movement: Movement) -> None:
    with force_locale("en"), pytest.raises(ImportFailed) as failed:
        import_targets_csv(movement.campaign, b"code,text\nCT1,x\n", actor=movement.secretariat)
    assert failed.value.errors[0].message.startswith("Missing columns: sector.")


def test_the_page_imports_and_shows_the_errors(movement: Movement, login: Any) -> None:
    client = login(movement.secretariat)
    url = f"/campaigns/{movement.campaign.id}/targets/import"
    refused = client.post(
        url,
        data={
            "csrf_token": client.csrf_token(),
            "file": (io.BytesIO(b"code,sector,text\nCT1,?,x\n"), "chi-tieu.csv"),
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 200
    assert "Dòng 2: Không rõ sector “?”." in refused.get_data(as_text=True)
    done = client.post(
        url,
        data={
            "csrf_token": client.csrf_token(),
            "file": (io.BytesIO(GOOD.encode()), "chi-tieu.csv"),
        },
        content_type="multipart/form-data",
    )
    assert done.status_code == 302
    assert len(targets()) == 3
    assert login(movement.farmers_nominator).post_form(url).status_code == 403
