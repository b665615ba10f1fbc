"""Each kind of notification reaches its people in the application and, through a real SMTP
server (aiosmtpd), by e-mail in Vietnamese; a user who chose "in the application only" gets
no e-mail."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from recognition.auth.enums import NotificationDelivery
from recognition.auth.models import User
from recognition.common.outbox import OutboxMessage, deliver_pending
from recognition.council import services as council
from recognition.council.enums import SessionKind
from recognition.decisions import annulments
from recognition.decisions import services as decisions
from recognition.extensions import db
from recognition.nominations.enums import HoldKind, NominationState
from recognition.nominations.holds import hold_nomination, release_hold
from recognition.notifications.enums import NotificationKind as K
from recognition.notifications.models import Notification
from recognition.notifications.reminders import send_due_reminders
from recognition.registration.services import open_registration, remind_unregistered
from recognition.review.deadlines import add_working_days
from tests.council.helpers import HELD_ON, accepted, new_session, seat_council
from tests.decisions.helpers import drafted, issued, passed, posting_award
from tests.support.smtp import PUBLIC_URL, Received, SmtpServer
from tests.workflow.helpers import CLOSES, Scene, build_scene, dossier_in, draft

pytestmark = pytest.mark.integration

PREFIX = "[Thi đua - Khen thưởng] "


@pytest.fixture(autouse=True)
def _context(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield


def vietnamese_scene() -> Scene:
    """The workflow scene, everybody Vietnamese-speaking with an address."""
    scene = build_scene(locale="vi")
    for role, user in scene.users.items():
        user.email = f"{role.replace('_', '.')}@chola.example.vn"
        user.locale = "vi"
    db.session.flush()
    return scene


def with_council(scene: Scene, size: int = 4) -> list[User]:
    members = [seat.user for seat in seat_council(scene, size=size, locale="vi")]
    for number, user in enumerate(members):
        user.email = user.email or f"thanhvien{number}@chola.example.vn"
    db.session.flush()
    return members


def at(day: date, hour: int = 8) -> datetime:
    """`hour` o'clock in Việt Nam on `day`, in UTC (the reminder job's clock)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=7)


# --- each kind: how it is caused, who is told, the Vietnamese it says -----------------------


@dataclass(frozen=True)
class Case:
    kind: K
    cause: Callable[[Scene], list[User]]  # does the step; returns who must be told
    phrase: str


def _state(state: NominationState) -> Callable[[Scene], list[User]]:
    def cause(scene: Scene) -> list[User]:
        dossier_in(scene, state)
        return {
            NominationState.SUBMITTED: [scene.secretariat],
            NominationState.PASSED: [scene.nominator, scene.secretariat],
            NominationState.FAILED: [scene.nominator, scene.secretariat],
        }.get(state, [scene.nominator])

    return cause


def _held(scene: Scene) -> list[User]:
    hold_nomination(
        accepted(scene), kind=HoldKind.INSPECTION, reason="Đang thanh tra", actor=scene.secretariat
    )
    return [scene.nominator]


def _released(scene: Scene) -> list[User]:
    nomination = accepted(scene)
    hold_nomination(
        nomination, kind=HoldKind.INSPECTION, reason="Đang thanh tra", actor=scene.secretariat
    )
    release_hold(nomination, reason="Đã có kết luận thanh tra", actor=scene.secretariat)
    return [scene.nominator]


def _vote_opened(scene: Scene) -> list[User]:
    members = with_council(scene)
    session = new_session(scene, [accepted(scene)])
    council.open_vote(session, actor=scene.secretariat)
    return members


def _consultation_opened(scene: Scene) -> list[User]:
    members = with_council(scene)
    session = new_session(scene, [accepted(scene)], kind=SessionKind.WRITTEN)
    council.open_vote(session, actor=scene.secretariat)
    return members


def _vote_closed(scene: Scene) -> list[User]:
    with_council(scene, size=3)
    session = new_session(scene, [accepted(scene)])
    council.open_vote(session, actor=scene.secretariat)
    council.close_vote(session, actor=scene.secretariat)
    return [scene.chair]


def _to_sign(scene: Scene) -> list[User]:
    drafted(scene, [passed(scene)])
    return [scene.chair]


def _revoked(scene: Scene) -> list[User]:
    decision = issued(scene, count=1)
    decisions.annul_decision(decision, actor=scene.chair, reason="Trùng thành tích")
    return [scene.nominator]


def _annulment_requested(scene: Scene) -> list[User]:
    decision = issued(scene, count=1)
    annulments.request_annulment(
        decision, actor=scene.secretariat, reason="Thanh tra kết luận kê khai sai"
    )
    return [scene.chair]


def _annulment_dismissed(scene: Scene) -> list[User]:
    decision = issued(scene, count=1)
    annulments.request_annulment(decision, actor=scene.secretariat, reason="Có khiếu nại")
    annulments.dismiss_annulment_request(
        decision, actor=scene.chair, note="Khiếu nại không có căn cứ"
    )
    return [scene.secretariat]


def _consultation_closing(scene: Scene) -> list[User]:
    members = with_council(scene)
    session = new_session(scene, [accepted(scene)], kind=SessionKind.WRITTEN)
    council.open_vote(session, actor=scene.secretariat)
    send_due_reminders(now=at(HELD_ON - timedelta(days=1)))
    return members


def _posting_ended(scene: Scene) -> list[User]:
    decision = drafted(scene, [passed(scene, award=posting_award(scene))])
    decisions.start_posting(decision, actor=scene.secretariat, today=date(2026, 3, 1))
    send_due_reminders(now=at(date(2026, 3, 9)))
    return [scene.secretariat]


def _posting_comment(scene: Scene) -> list[User]:
    decision = drafted(scene, [passed(scene, award=posting_award(scene))])
    decisions.start_posting(decision, actor=scene.secretariat, today=date(2026, 3, 1))
    decisions.add_feedback(
        decision,
        name="Nguyễn Văn Dân",
        contact="",
        text="Đề nghị xem lại thành tích của ấp",
        today=date(2026, 3, 2),
    )
    return [scene.secretariat]


def _appraisal_due(scene: Scene) -> list[User]:
    nomination = dossier_in(scene, NominationState.SUBMITTED)
    nomination.submitted_at = at(date(2025, 6, 16), 10)  # a Monday
    due = add_working_days(date(2025, 6, 16), 10)
    send_due_reminders(now=at(due - timedelta(days=1)))
    return [scene.secretariat]


def _window_closing(scene: Scene) -> list[User]:
    draft(scene)
    send_due_reminders(now=at(CLOSES - timedelta(days=2)))
    return [scene.nominator]


def _registration_reminder(scene: Scene) -> list[User]:
    year = CLOSES.year
    call = open_registration(
        scene.body,
        actor=scene.secretariat,
        year=year,
        deadline=date(year, 1, 31),
        pledge="Giao ước",
    )
    remind_unregistered(call, actor=scene.secretariat)
    return [scene.nominator, scene.other_nominator]


CASES = [
    Case(K.DOSSIER_SUBMITTED, _state(NominationState.SUBMITTED), "Hồ sơ mới cần thẩm định: "),
    Case(K.DOSSIER_RETURNED, _state(NominationState.RETURNED), "đã được trả lại để bổ sung"),
    Case(K.DOSSIER_ACCEPTED, _state(NominationState.ACCEPTED), "đã được chấp nhận"),
    Case(K.DOSSIER_REJECTED, _state(NominationState.REJECTED), "đã bị từ chối"),
    Case(K.DOSSIER_PASSED, _state(NominationState.PASSED), "Hội đồng đã thông qua đề nghị tặng"),
    Case(K.DOSSIER_FAILED, _state(NominationState.FAILED), "Hội đồng không thông qua"),
    Case(
        K.DOSSIER_AWARDED,
        _state(NominationState.AWARDED),
        "đã được tặng Tập thể tiêu biểu (Quyết định số ",
    ),
    Case(K.AWARD_ANNULLED, _state(NominationState.ANNULLED), "đã bị hủy bỏ"),
    Case(K.DOSSIER_HELD, _held, "được tạm hoãn xét khen thưởng: "),
    Case(K.DOSSIER_RELEASED, _released, "được tiếp tục xét khen thưởng. Lý do: Đã có kết luận"),
    Case(K.VOTE_OPENED, _vote_opened, "Đã mở biểu quyết Phiên họp xét khen thưởng"),
    Case(K.CONSULTATION_OPENED, _consultation_opened, "Đã mở lấy ý kiến bằng văn bản: "),
    Case(K.VOTE_CLOSED, _vote_closed, "Đã kết thúc biểu quyết Phiên họp"),
    Case(K.DECISION_TO_SIGN, _to_sign, "đã được soạn và đang chờ đồng chí ký ban hành"),
    Case(K.CERTIFICATE_REVOKED, _revoked, "đã bị thu hồi. Lý do: Trùng thành tích"),
    Case(
        K.ANNULMENT_REQUESTED,
        _annulment_requested,
        "đề nghị hủy bỏ Quyết định số 01/QĐ-UBND. Lý do: Thanh tra kết luận kê khai sai",
    ),
    Case(
        K.ANNULMENT_DISMISSED,
        _annulment_dismissed,
        "không chấp nhận đề nghị hủy bỏ Quyết định số 01/QĐ-UBND. Lý do: Khiếu nại không có",
    ),
    Case(
        K.CONSULTATION_CLOSING,
        _consultation_closing,
        "kết thúc vào ngày mai (10/07/2025); đồng chí chưa gửi phiếu",
    ),
    Case(K.POSTING_ENDED, _posting_ended, "Thời gian niêm yết công khai Quyết định"),
    Case(
        K.POSTING_COMMENT,
        _posting_comment,
        "” của Nguyễn Văn Dân: “Đề nghị xem lại thành tích của ấp”",
    ),
    Case(K.APPRAISAL_DUE, _appraisal_due, "cần được thẩm định xong chậm nhất ngày 30/06/2025"),
    Case(K.WINDOW_CLOSING, _window_closing, "Thời hạn nộp hồ sơ của Phong trào thi đua"),
    Case(K.REGISTRATION_REMINDER, _registration_reminder, "chưa đăng ký thi đua năm 2025 với"),
]


@pytest.mark.no_database
def test_every_kind_has_a_case() -> None:
    assert sorted(case.kind for case in CASES) == sorted(set(K) - {K.GENERAL})


def expected_mail(user: User, note: Notification) -> Received:
    assert user.email is not None
    return Received(
        sender="thidua-khenthuong@localhost",
        recipients=[user.email],
        to=user.email,
        subject=PREFIX + note.text[:120],
        body=f"{user.full_name},\n\n{note.text}\n\n{PUBLIC_URL}{note.link}\n",
    )


def notes_of(kind: K) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(Notification.kind == kind).order_by(Notification.id)
        )
    )


@pytest.mark.parametrize("case", CASES, ids=[case.kind.value for case in CASES])
def test_each_kind_arrives_in_the_app_and_by_mail_in_vietnamese(
    case: Case, smtp: SmtpServer
) -> None:
    scene = vietnamese_scene()

    told = case.cause(scene)
    db.session.commit()
    deliver_pending(limit=500)

    notes = notes_of(case.kind)
    users = {user.id: user for user in told}
    subjects = {PREFIX + note.text[:120] for note in notes}
    mails = [m for m in smtp.messages if m.subject in subjects]
    assert sorted(note.user_id for note in notes) == sorted(users)
    assert [case.phrase in note.text for note in notes] == [True] * len(users)
    assert sorted(mails, key=lambda m: m.to) == sorted(
        (expected_mail(users[note.user_id], note) for note in notes), key=lambda m: m.to
    )


def test_a_user_told_in_the_application_only_gets_no_mail(smtp: SmtpServer) -> None:
    scene = vietnamese_scene()
    scene.nominator.notification_delivery = NotificationDelivery.APP_ONLY

    dossier_in(scene, NominationState.RETURNED)
    db.session.commit()
    deliver_pending()

    (returned,) = notes_of(K.DOSSIER_RETURNED)
    queued_to = set(db.session.scalars(select(OutboxMessage.recipient)))
    assert (returned.user_id, "đã được trả lại để bổ sung" in returned.text) == (
        scene.nominator.id,
        True,
    )
    assert scene.nominator.email not in queued_to
    assert scene.nominator.email not in {m.to for m in smtp.messages}
    assert scene.secretariat.email in {m.to for m in smtp.messages}  # chose e-mail: told
