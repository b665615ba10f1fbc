"""The migrations build exactly the models' schema, and go down and up again."""

import hashlib
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import Connection, inspect, select, text

from recognition import create_app
from recognition.campaigns.enums import AwardKind, ReportSection
from recognition.campaigns.models import AwardType
from recognition.common.audit import GENESIS, AuditEvent, ObjectKind, verify_chain
from recognition.common.text import fold
from recognition.database import built_on
from recognition.extensions import db
from recognition.law.enums import AwardStandard
from recognition.nominations.enums import Action
from recognition.nominations.models import Nomination
from recognition.nominations.workflow import apply_transition
from tests.conftest import TEST_CONFIG
from tests.support.factories import AwardTypeFactory
from tests.workflow.helpers import INSIDE, build_scene, draft

pytestmark = pytest.mark.integration

TABLES = {"units", "users", "role_grants"}


def schema_diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection,
        opts={"compare_type": True, "include_object": built_on(connection.dialect.name)},
    )
    return compare_metadata(context, db.metadata)


def test_migrations_match_the_models(app: Flask) -> None:
    assert schema_diff(db.session.connection()) == []


def test_model_tables_are_all_built(app: Flask) -> None:
    built = set(inspect(db.session.connection()).get_table_names())

    assert built >= TABLES
    assert set(db.metadata.tables) <= built


def test_downgrade_to_base_then_upgrade_again(scratch_url: str) -> None:
    scratch = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": scratch_url})
    with scratch.app_context():
        try:
            upgrade()
            assert set(inspect(db.engine).get_table_names()) >= TABLES

            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}

            upgrade()
            with db.engine.connect() as connection:
                assert schema_diff(connection) == []
                version = connection.execute(text("SELECT version_num FROM alembic_version"))
                assert len(version.all()) == 1
        finally:
            db.session.remove()
            db.engine.dispose()


def _aware(value: Any) -> datetime:
    """A timestamp as the application reads it (SQLite hands back the text it stored)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _old_digest(row: Any) -> str:
    """The dossier event's hash before the log covered every object (revision c4f1e2a9d703)."""
    parts = [
        str(row.nomination_id),
        str(row.actor_id),
        row.action,
        row.from_state,
        row.to_state,
        row.comment,
        str(row.version),
        _aware(row.created_at).isoformat(timespec="microseconds"),
        row.prev_hash,
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def test_the_audit_log_keeps_its_chain_across_the_move_to_every_object(scratch_url: str) -> None:
    """Dossier events written before the log covered every object keep a verifying chain both
    ways: down to `nomination_events` (old hashes) and up again to `audit_events`."""
    scratch = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": scratch_url})
    with scratch.app_context(), scratch.test_request_context():
        try:
            upgrade()
            scene = build_scene()
            nomination = draft(scene)
            apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
            apply_transition(nomination, Action.TAKE, actor=scene.secretariat)
            apply_transition(
                nomination, Action.SEND_BACK, actor=scene.secretariat, comment="Bổ sung"
            )
            reference, nominee, nomination_id = (
                nomination.reference,
                nomination.nominee_name,
                nomination.id,
            )
            db.session.commit()
            db.session.remove()

            downgrade(revision="c4f1e2a9d703")
            with db.engine.connect() as connection:
                rows = connection.execute(text("SELECT * FROM nomination_events ORDER BY id")).all()
                head = connection.execute(text("SELECT last_hash FROM audit_head")).scalar()
            links = [row.prev_hash for row in rows]
            assert [row.action for row in rows] == ["submit", "take", "send_back"]
            assert [_old_digest(row) for row in rows] == [row.hash for row in rows]
            assert links == [GENESIS] + [row.hash for row in rows[:-1]]
            assert head == rows[-1].hash

            upgrade()
            events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
            assert verify_chain() == (3, [])
            assert {(e.object_kind, e.object_id) for e in events} == {
                (ObjectKind.NOMINATION, nomination_id)
            }
            assert events[0].subject == f"{reference} · {nominee}"
            assert events[0].subject_folded == fold(events[0].subject)
        finally:
            db.session.remove()
            db.engine.dispose()


def test_the_required_report_sections_are_backfilled_by_standard(scratch_url: str) -> None:
    """Award types that existed before the column get the sections of their standard."""
    scratch = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": scratch_url})
    with scratch.app_context(), scratch.test_request_context():
        try:
            upgrade()
            made = {
                code: AwardTypeFactory(code=code, standard=standard, kind=kind).id
                for code, standard, kind in (
                    ("GK", AwardStandard.GIAY_KHEN, AwardKind.COMMENDATION),
                    ("BK", AwardStandard.BANG_KHEN_TINH, AwardKind.COMMENDATION),
                    ("KDC", AwardStandard.OWN_TITLE, AwardKind.MODEL),
                    ("LDTT", AwardStandard.LAO_DONG_TIEN_TIEN, AwardKind.TITLE),
                )
            }
            db.session.commit()
            db.session.remove()

            downgrade(revision="m7c1d2e3f405")
            upgrade()

            full = [s.value for s in ReportSection]
            assert {
                code: db.session.get(AwardType, award_id).required_report_sections  # type: ignore[union-attr]
                for code, award_id in made.items()
            } == {
                "GK": ["report_achievements"],
                "BK": full,
                "KDC": full,
                "LDTT": ["report_achievements"],
            }
        finally:
            db.session.remove()
            db.engine.dispose()


def test_the_report_texts_move_to_their_own_table_and_back(scratch_url: str) -> None:
    """A dossier's summary and report sections, kept in its row before the move, are in its
    `nomination_reports` row after it; the downgrade puts them back in the dossier's row."""
    scratch = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": scratch_url})
    texts = {
        "summary": "Tổ công nghệ số cộng đồng tiêu biểu",
        "report_general": "Ấp Sơn Quới, xã Phú Phụng",
        "report_achievements": "Hướng dẫn 600 lượt người dân dùng dịch vụ công trực tuyến",
        "report_criteria": "Đạt đủ 5/5 tiêu chí",
        "report_commendations": "",
    }
    with scratch.app_context(), scratch.test_request_context():
        try:
            upgrade()
            nomination = draft(build_scene())
            for name, value in texts.items():
                setattr(nomination, name, value)
            db.session.commit()
            nomination_id = nomination.id
            db.session.remove()

            downgrade(revision="w8c0e2a4b673")
            columns = ", ".join(texts)
            row = db.session.execute(
                text(f"SELECT {columns} FROM nominations WHERE id = :id"),  # noqa: S608
                {"id": nomination_id},
            ).one()
            assert dict(row._mapping) == texts
            assert "nomination_reports" not in inspect(db.engine).get_table_names()
            db.session.remove()

            upgrade()
            moved = db.session.get(Nomination, nomination_id)
            assert moved is not None
            assert {name: getattr(moved, name) for name in texts} == texts
            assert not {c["name"] for c in inspect(db.engine).get_columns("nominations")} & set(
                texts
            )
        finally:
            db.session.remove()
            db.engine.dispose()
