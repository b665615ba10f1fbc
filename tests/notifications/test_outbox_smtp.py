"""E-mail through a real SMTP server (aiosmtpd on 127.0.0.1): written with the change, sent only
after commit, kept and retried when the server is down, never sent twice."""

from __future__ import annotations

import html
import re
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import func, select

import tests.conftest
from recognition.auth.enums import Role
from recognition.common import outbox
from recognition.common.outbox import OutboxMessage, deliver_pending
from recognition.extensions import db
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.workflow import apply_transition
from recognition.notifications.services import queue_mail
from tests.support.factories import user_with
from tests.support.smtp import PUBLIC_URL, SENDER, Received, SmtpServer, point_mail_at
from tests.workflow.helpers import (
    INSIDE,
    Scene,
    build_scene,
    draft,
    open_around_today,
    race_database,
)

pytestmark = pytest.mark.integration


class Clock:
    """The outbox's clock: the real time until a test sets it."""

    def __init__(self) -> None:
        self.now: datetime | None = None

    def __call__(self) -> datetime:
        return self.now or datetime.now(UTC)

    def freeze(self) -> datetime:
        self.now = datetime.now(UTC)
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(outbox, "utcnow", clock)
    return clock


def with_emails(scene: Scene) -> Scene:
    """Vietnamese-speaking people with addresses (only the secretariat is told of a submit)."""
    for role, user in scene.users.items():
        user.email = f"{role.replace('_', '.')}@chola.example.vn"
        user.locale = "vi"
    db.session.flush()
    return scene


def queued() -> list[tuple[str, int, bool]]:
    return [
        (m.recipient, m.attempts, m.sent_at is not None)
        for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    ]


def submit_through_the_page(client: Any, scene: Scene) -> tuple[int, Any]:
    nomination = draft(scene)
    db.session.commit()
    response = client.post_form(
        f"/nominations/{nomination.id}/do/submit", {"version": str(nomination.version)}
    )
    db.session.expire_all()
    return response.status_code, nomination


# --- (1) a committed change is delivered --------------------------------------------------------


def test_a_committed_submit_reaches_the_secretariat_in_vietnamese(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client, smtp: SmtpServer
) -> None:
    scene = with_emails(build_scene(**open_around_today()))
    colleague = user_with(
        Role.SECRETARIAT,
        scene.body,
        full_name="Đỗ Thị Mai",
        email="mai.do@chola.example.vn",
        locale="vi",
    )
    as_user(scene.nominator)

    status, nomination = submit_through_the_page(client, scene)
    before = (smtp.messages, queued())
    result = deliver_pending()

    text = f"Hồ sơ mới cần thẩm định: {nomination.nominee_name} — Tập thể tiêu biểu."
    link = f"{PUBLIC_URL}/nominations/{nomination.id}"
    assert (status, before, result) == (
        302,
        ([], [("secretariat@chola.example.vn", 0, False), ("mai.do@chola.example.vn", 0, False)]),
        (2, 0),
    )
    assert sorted(smtp.messages, key=lambda m: m.to) == [
        Received(
            sender=SENDER,
            recipients=["mai.do@chola.example.vn"],
            to="mai.do@chola.example.vn",
            subject=f"[Thi đua - Khen thưởng] {text}",
            body=f"{colleague.full_name},\n\n{text}\n\n{link}\n",
        ),
        Received(
            sender=SENDER,
            recipients=["secretariat@chola.example.vn"],
            to="secretariat@chola.example.vn",
            subject=f"[Thi đua - Khen thưởng] {text}",
            body=f"Phạm Văn Đức,\n\n{text}\n\n{link}\n",
        ),
    ]
    assert queued() == [
        ("secretariat@chola.example.vn", 1, True),
        ("mai.do@chola.example.vn", 1, True),
    ]


# --- (2) a rolled-back change sends nothing -----------------------------------------------------


def test_a_rolled_back_transition_queues_and_sends_nothing(app: Flask, smtp: SmtpServer) -> None:
    with app.test_request_context(), force_locale("vi"):
        scene = with_emails(build_scene())
        nomination = draft(scene)
        savepoint = db.session.begin_nested()
        apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
        db.session.flush()
        inside = queued()
        savepoint.rollback()

    outside = queued()
    result = deliver_pending()

    assert (inside, outside, result, smtp.messages, nomination.state) == (
        [("secretariat@chola.example.vn", 0, False)],
        [],
        (0, 0),
        [],
        NominationState.DRAFT.value,
    )


def test_a_refused_action_through_the_page_queues_nothing(  # type: ignore[no-untyped-def]
    as_user, client, smtp: SmtpServer
) -> None:
    scene = with_emails(build_scene(**open_around_today()))
    nomination = draft(scene, answered=False)  # the guard refuses the submission
    db.session.commit()
    as_user(scene.nominator)

    response = client.post_form(
        f"/nominations/{nomination.id}/do/submit", {"version": str(nomination.version)}
    )

    assert (response.status_code, queued(), deliver_pending(), smtp.messages) == (
        302,
        [],
        (0, 0),
        [],
    )


# --- (3) the server is down: the request succeeds, the message waits ----------------------------


def mail_page_rows(page: str) -> list[tuple[str, ...]]:
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)
    rows = re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S) if body else []
    return [
        tuple(
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        )
        for row in rows
    ]


def test_an_unreachable_server_keeps_the_message_for_a_later_attempt(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client, smtp: SmtpServer, clock: Clock
) -> None:
    smtp.stop()  # the port is now closed: connections are refused
    scene = with_emails(build_scene(**open_around_today()))
    for role in ("nominator", "secretariat", "admin"):
        scene.users[role].locale = "en"
    as_user(scene.nominator)

    status, nomination = submit_through_the_page(client, scene)
    failed_at = clock.freeze()
    first = deliver_pending()
    (message,) = db.session.scalars(select(OutboxMessage))
    waiting = (
        message.attempts,
        message.sent_at,
        message.last_error.split(":")[0],
        message.next_attempt_at,
    )
    client.post_form("/logout")
    as_user(scene.admin)
    listed = mail_page_rows(client.get("/admin/mail").get_data(as_text=True))
    too_soon = deliver_pending()

    smtp.start()  # the server is back, on the same port
    clock.now = failed_at + timedelta(minutes=3)
    later = deliver_pending()
    db.session.expire_all()
    delivered = (message.attempts, message.sent_at, message.last_error)
    emptied = client.get("/admin/mail").get_data(as_text=True)

    subject = (
        "[Emulation & Commendation] New dossier to appraise: "
        f"{nomination.nominee_name} — Tập thể tiêu biểu."
    )
    assert (status, first, waiting, too_soon, later) == (
        302,
        (0, 1),
        (1, None, "ConnectionRefusedError", failed_at + timedelta(minutes=2)),
        (0, 0),
        (1, 0),
    )
    assert [(row[1], row[2], row[3], row[5].split(":")[0]) for row in listed] == [
        ("secretariat@chola.example.vn", subject, "1", "ConnectionRefusedError")
    ]
    assert ([m.subject for m in smtp.messages], delivered) == (
        [subject],
        (2, clock.now, ""),
    )
    assert (mail_page_rows(emptied), "Every e-mail has been delivered." in emptied) == ([], True)


# --- (4) never twice -----------------------------------------------------------------------------


def test_delivering_again_sends_nothing_twice(app: Flask, smtp: SmtpServer) -> None:
    with app.test_request_context():
        for n in range(3):
            queue_mail(f"nguoi{n}@chola.example.vn", subject=f"Thư số {n}", body="Nội dung")
        db.session.commit()

    first, second = deliver_pending(), deliver_pending()

    assert (first, second, sorted(m.subject for m in smtp.messages)) == (
        (3, 0),
        (0, 0),
        ["Thư số 0", "Thư số 1", "Thư số 2"],
    )


SUBJECTS = [
    "[Thi đua - Khen thưởng] Hồ sơ mới cần thẩm định: Ấp Thử 1 — Tập thể tiêu biểu.",
    "[Thi đua - Khen thưởng] Hồ sơ của Ấp Phú Hữu (Tập thể lao động xuất sắc) đã được trả lại "
    "để bổ sung. Ý kiến: Bổ sung biên bản họp",
    "[Thi đua - Khen thưởng] Hội đồng đã thông qua Nguyễn Thị Đào cho danh hiệu Chiến sĩ thi "
    "đua cơ sở.",
    "[Emulation & Commendation] New dossier to appraise: Ấp Thử 4 — Tập thể tiêu biểu.",
    "Thư số 1",
]


def test_long_vietnamese_subjects_arrive_word_for_word(app: Flask, smtp: SmtpServer) -> None:
    # Folded subjects must keep the space at each fold (RFC 2047 ignores the whitespace between
    # two encoded words, so a space the encoder leaves outside them is lost).
    with app.test_request_context():
        for subject in SUBJECTS:
            queue_mail("nguoi.nhan@chola.example.vn", subject=subject, body=subject)
        db.session.commit()

    deliver_pending()

    assert [(m.subject, m.body) for m in smtp.messages] == [(s, s) for s in SUBJECTS]


@pytest.mark.postgres
@pytest.mark.skipif(not tests.conftest.ON_POSTGRES, reason="needs PostgreSQL")
def test_two_workers_at_once_send_each_message_once(monkeypatch: pytest.MonkeyPatch) -> None:
    server = SmtpServer()
    server.start()
    try:
        with race_database("outbox") as race_app:
            point_mail_at(race_app, monkeypatch, server.port)
            with race_app.app_context():
                for n in range(40):
                    queue_mail(f"nguoi{n}@chola.example.vn", subject=f"Thư số {n}", body="Nội dung")
                db.session.commit()
                db.session.remove()
            barrier = threading.Barrier(2)
            results: list[Any] = [None, None]

            def worker(index: int) -> None:
                with race_app.app_context():
                    barrier.wait(timeout=30)
                    try:
                        results[index] = deliver_pending(limit=100)
                    finally:
                        db.session.remove()

            threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            with race_app.app_context():
                unsent = db.session.scalar(
                    select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))
                )
                db.session.remove()
    finally:
        server.stop()

    subjects = sorted(m.subject for m in server.messages)
    assert (sum(r[0] for r in results), sum(r[1] for r in results), unsent) == (40, 0, 0)
    assert subjects == sorted(f"Thư số {n}" for n in range(40))
