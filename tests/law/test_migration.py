"""The law's migration on existing data: award types get their standard from their code, a
body's stored copy of the old default legal bases is emptied (the law's bases now come from
the dated rules) and its own lines are kept; the downgrade refuses while the audit log has
events of legal rules."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from recognition import create_app
from recognition.common.audit import ObjectKind, record
from recognition.extensions import db
from tests.conftest import TEST_CONFIG

pytestmark = pytest.mark.integration

BEFORE = "e5b2c8d4a117"
LAW = "l7a2c9e4b310"
OLD_DEFAULT = "\n".join(
    [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy "
        "định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
    ]
)
OWN = "Căn cứ Quy chế thi đua, khen thưởng của tỉnh;"


def _insert(connection, table: str, **values: object) -> None:  # type: ignore[no-untyped-def]
    names = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    statement = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - fixed names
    connection.execute(text(statement), values)


def _world(connection) -> None:  # type: ignore[no-untyped-def]
    now = "2025-01-01 00:00:00"
    for number, name in ((1, "Huyện Chợ Lách"), (2, "Xã Phú Phụng")):
        _insert(
            connection,
            "units",
            id=number,
            name=name,
            name_folded=name,
            name_sort=name,
            kind="district",
            path=f"/{number}/",
            depth=0,
            is_awarding_body=True,
            state="active",
            created_at=now,
            updated_at=now,
        )
    for number, code in enumerate(("LDTT", "CSTDCS", "GK-TT", "BK-CN", "XA-NTM-KM"), start=1):
        _insert(
            connection,
            "award_types",
            id=number,
            awarding_body_id=1,
            code=code,
            name=code,
            certificate_title=code,
            kind="title",
            nominee_kind="individual",
            eligible_unit_kinds="[]",
            description="",
            vote_method="secret_ballot",
            vote_threshold_percent=70,
            vote_base="present",
            quorum_numerator=2,
            quorum_denominator=3,
            chair_must_approve=False,
            abstain_allowed=False,
            absentees_vote_in_writing=True,
            public_posting_days=0,
            simplified_allowed=False,
            position=number,
            is_active=True,
            created_at=now,
        )
    for unit, bases in ((1, OLD_DEFAULT), (2, f"{OLD_DEFAULT}\n{OWN}")):
        _insert(
            connection,
            "body_settings",
            unit_id=unit,
            issuer_name="ỦY BAN NHÂN DÂN",
            superior_name="",
            signer_office="CHỦ TỊCH",
            signer_title="CHỦ TỊCH",
            signer_name="",
            place_name="Chợ Lách",
            number_suffix="QĐ-UBND",
            legal_bases=bases,
            recipients="",
            paper="A4",
        )


def test_existing_rows_get_their_standard_and_lose_the_old_default_bases(
    scratch_url: str,
) -> None:
    scratch = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": scratch_url})
    with scratch.app_context():
        try:
            upgrade(revision=BEFORE)
            with db.engine.begin() as connection:
                _world(connection)

            upgrade(revision=LAW)

            with db.engine.connect() as connection:
                standards = connection.execute(
                    text("SELECT code, standard FROM award_types ORDER BY id")
                ).all()
                bases = connection.execute(
                    text("SELECT legal_bases FROM body_settings ORDER BY unit_id")
                ).scalars()
                assert (standards, list(bases)) == (
                    [
                        ("LDTT", "lao_dong_tien_tien"),
                        ("CSTDCS", "cstd_co_so"),
                        ("GK-TT", "giay_khen"),
                        ("BK-CN", "bang_khen_tinh"),
                        ("XA-NTM-KM", "own_title"),
                    ],
                    ["", f"{OLD_DEFAULT}\n{OWN}"],
                )

            with scratch.test_request_context():
                record(ObjectKind.LAW_RULE, 1, "added", actor=None, subject="base_salary")
                db.session.commit()
            # Flask-Migrate logs the migration's refusal and exits.
            with pytest.raises(SystemExit):
                downgrade(revision=BEFORE)
            with db.engine.connect() as connection:
                version = connection.execute(text("SELECT version_num FROM alembic_version"))
                assert version.scalars().all() == [LAW]
        finally:
            db.session.remove()
            db.engine.dispose()
