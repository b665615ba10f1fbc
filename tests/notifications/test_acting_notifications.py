"""Who is told to act when a council vote opens or closes, a decision waits for signature, an
award is issued or a certificate revoked: once each, with the right link."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from recognition.common.outbox import OutboxMessage
from recognition.council import services as council
from recognition.council.enums import Choice, SessionKind
from recognition.decisions import services as decisions
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.notifications.models import Notification
from tests.council.helpers import accepted, new_session, roll, seat_council, vote_all
from tests.decisions.helpers import ISSUE_DAY, drafted, passed, posting_award
from tests.workflow.helpers import Scene, build_scene

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _english(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


def told(after_id: int) -> list[tuple[int, str, str]]:
    return [
        (n.user_id, n.text, n.link)
        for n in db.session.scalars(
            select(Notification)
            .where(Notification.id > after_id)
            .order_by(Notification.user_id, Notification.id)
        )
    ]


def last_id() -> int:
    return max(db.session.scalars(select(Notification.id)), default=0)


def mails_to(address: str) -> list[str]:
    return list(
        db.session.scalars(select(OutboxMessage.subject).where(OutboxMessage.recipient == address))
    )


def test_opening_a_meeting_vote_tells_each_member_who_takes_part_once() -> None:
    scene = build_scene()
    seat_council(scene, size=5)
    session = new_session(scene, [accepted(scene)], present=4)
    (absent,) = [a.member.user for a in session.attendance if not a.present]
    voter = next(a.member.user for a in session.attendance if a.present)
    voter.email = "thanhvien@example.vn"
    start = last_id()

    council.open_vote(session, actor=scene.secretariat)
    with pytest.raises(DomainError):
        council.open_vote(session, actor=scene.secretariat)

    link = f"/council/sessions/{session.id}"
    expected = sorted(
        (a.member.user_id, f"The vote of {session.title} is open: cast your ballot.", link)
        for a in session.attendance
        if a.present
    )
    assert told(start) == expected
    assert absent.id not in {user_id for user_id, _, _ in told(start)}
    assert [session.title in subject for subject in mails_to(voter.email)] == [True]


def test_a_written_consultation_tells_the_members_consulted_and_its_closing_day() -> None:
    scene = build_scene()
    seat_council(scene, size=4)
    session = new_session(scene, [accepted(scene)], kind=SessionKind.WRITTEN)
    start = last_id()

    council.open_vote(session, actor=scene.secretariat)

    texts = told(start)
    assert len(texts) == 4
    assert {text for _, text, _ in texts} == {
        f"A written consultation is open: {session.title}. Send your vote by "
        f"{session.held_on.strftime('%d/%m/%Y')}."
    }


def test_closing_the_vote_tells_the_chair_and_the_secretariat_the_result_once() -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    session = new_session(scene, [accepted(scene)])
    council.open_vote(session, actor=scene.secretariat)
    vote_all(session.items[0], [Choice.AGREE] * 3, roll(session))
    start = last_id()

    council.close_vote(session, actor=scene.secretariat)
    with pytest.raises(DomainError):
        council.close_vote(session, actor=scene.secretariat)

    closed = [
        (user_id, text, link)
        for user_id, text, link in told(start)
        if text.startswith("The vote of")
    ]
    assert closed == [
        (
            scene.chair.id,
            f"The vote of {session.title} is closed: 1 passed, 0 not passed.",
            f"/council/sessions/{session.id}",
        )
    ]


def test_a_drafted_decision_tells_the_chair_it_waits_for_signature() -> None:
    scene = build_scene()
    nomination = passed(scene)
    start = last_id()

    decision = drafted(scene, [nomination])

    assert told(start) == [
        (
            scene.chair.id,
            f"The decision “{decision.title}” is drafted and waits for your signature.",
            f"/decisions/{decision.id}",
        )
    ]


def test_a_posted_decision_tells_the_chair_when_the_posting_ends_once() -> None:
    scene = build_scene()
    decision = drafted(scene, [passed(scene, award=posting_award(scene))])
    start = last_id()

    decisions.start_posting(decision, actor=scene.secretariat, today=date(2026, 3, 1))
    with pytest.raises(DomainError):
        decisions.start_posting(decision, actor=scene.secretariat, today=date(2026, 3, 1))

    assert told(start) == [
        (
            scene.chair.id,
            f"The decision “{decision.title}” is posted publicly until 08/03/2026; it waits "
            "for your signature after that.",
            f"/decisions/{decision.id}",
        )
    ]


def test_issuing_and_revoking_tell_the_nominator_once_each() -> None:
    scene: Scene = build_scene()
    nomination = passed(scene)
    decision = drafted(scene, [nomination])
    start = last_id()
    decisions.issue_decision(decision, actor=scene.chair, today=ISSUE_DAY)
    link = f"/nominations/{nomination.id}"
    awarded = [t for u, t, lk in told(start) if u == scene.nominator.id and lk == link]
    assert len(awarded) == 1 and "awarded" in awarded[0]

    start = last_id()
    decisions.annul_decision(decision, actor=scene.chair, reason="Trùng thành tích")
    with pytest.raises(DomainError):
        decisions.annul_decision(decision, actor=scene.chair, reason="Trùng thành tích")
    revoked = [
        t for u, t, lk in told(start) if u == scene.nominator.id and t.startswith("Certificate")
    ]
    serial = decision.lines[0].certificate.public_serial
    assert revoked == [
        f"Certificate {serial} ({nomination.nominee_name}, {nomination.award_type.name}) was "
        "revoked. Reason: Trùng thành tích"
    ]
