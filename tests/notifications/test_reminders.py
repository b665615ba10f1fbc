"""Deadline reminders: due on the right days only, sent once across reruns, restarts and two
workers at once, by `flask send-reminders` and by the RQ cron job."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

import tests.conftest
from recognition.council import services as council
from recognition.council.enums import Choice, SessionKind
from recognition.database import local_today
from recognition.decisions import services as decisions
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.notifications.enums import NotificationKind as K
from recognition.notifications.models import Notification, SentReminder
from recognition.notifications.reminders import send_due_reminders
from tests.council.helpers import (
    HELD_ON,
    accepted,
    award_with,
    new_session,
    seat,
    seat_council,
)
from tests.decisions.helpers import drafted, passed, posting_award
from tests.workflow.helpers import CLOSES, build_scene, dossier_in, draft, race_database

pytestmark = pytest.mark.integration

NONE = {"consultation_closing": 0, "posting_ended": 0, "appraisal_due": 0, "window_closing": 0}


def at(day: date, hour: int = 8) -> datetime:
    """`hour` o'clock in Việt Nam on `day`, in UTC."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=7)


def sent(kind: K) -> list[tuple[int, str]]:
    return [
        (n.user_id, n.link)
        for n in db.session.scalars(
            select(Notification).where(Notification.kind == kind).order_by(Notification.id)
        )
    ]


@pytest.fixture
def context(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield


# --- due on the right days ---------------------------------------------------------------------


@pytest.mark.usefixtures("context")
def test_the_window_reminder_comes_within_two_days_of_the_closing_day_only() -> None:
    scene = build_scene()
    draft(scene)
    draft(scene)
    dossier_in(scene, NominationState.SUBMITTED)  # submitted: nothing to remind of

    early = send_due_reminders(now=at(CLOSES - timedelta(days=3)))
    due = send_due_reminders(now=at(CLOSES - timedelta(days=2)))
    again = send_due_reminders(now=at(CLOSES - timedelta(days=1)))
    after = send_due_reminders(now=at(CLOSES + timedelta(days=1)))

    (note,) = db.session.scalars(select(Notification).where(Notification.kind == K.WINDOW_CLOSING))
    assert (early, due, again, after) == (NONE, NONE | {"window_closing": 1}, NONE, NONE)
    assert (note.user_id, note.link, note.text) == (
        scene.nominator.id,
        f"/nominations/?campaign={scene.campaign.id}&state=draft",
        "The submission window of Phong trào thi đua “Đồng khởi mới” closes on 30/06/2025: "
        "2 draft dossiers have not been submitted yet.",
    )


@pytest.mark.usefixtures("context")
def test_the_consultation_reminder_skips_those_who_voted_and_comes_the_day_before() -> None:
    scene = build_scene()
    seat_council(scene, size=4)
    session = new_session(scene, [accepted(scene)], kind=SessionKind.WRITTEN)
    council.open_vote(session, actor=scene.secretariat)
    council.cast_vote(session.items[0], seat(session, scene.chair), Choice.AGREE, today=HELD_ON)

    two_days = send_due_reminders(now=at(HELD_ON - timedelta(days=2)))
    day_before = send_due_reminders(now=at(HELD_ON - timedelta(days=1)))
    closing_day = send_due_reminders(now=at(HELD_ON))

    voters = sorted(
        a.member.user_id for a in session.attendance if a.member.user_id != scene.chair.id
    )
    assert (two_days, day_before, closing_day) == (
        NONE,
        NONE | {"consultation_closing": 3},
        NONE,
    )
    assert sorted(user for user, _ in sent(K.CONSULTATION_CLOSING)) == voters


@pytest.mark.usefixtures("context")
def test_a_meeting_reminds_only_its_absentees_who_vote_in_writing() -> None:
    scene = build_scene()
    seat_council(scene, size=5)
    award = award_with(scene, code="TTXS", name="Tập thể xuất sắc")
    award.absentees_vote_in_writing = True
    session = new_session(scene, [accepted(scene, award)], present=3)
    writer, absent = (a.member for a in session.attendance[3:])
    council.set_attendance(
        session,
        {a.member_id: "present" for a in session.attendance[:3]} | {writer.id: "writing"},
    )
    session.consultation_closes_on = HELD_ON + timedelta(days=3)
    council.open_vote(session, actor=scene.secretariat)

    day_before = send_due_reminders(now=at(HELD_ON + timedelta(days=2)))

    assert day_before == NONE | {"consultation_closing": 1}
    assert sent(K.CONSULTATION_CLOSING) == [(writer.user_id, f"/council/sessions/{session.id}")]
    assert absent.user_id not in {user for user, _ in sent(K.CONSULTATION_CLOSING)}


@pytest.mark.usefixtures("context")
def test_the_posting_reminder_comes_after_the_last_day_until_the_decision_is_issued() -> None:
    scene = build_scene()
    decision = drafted(scene, [passed(scene, award=posting_award(scene))])
    decisions.start_posting(decision, actor=scene.secretariat, today=date(2026, 3, 1))

    last_day = send_due_reminders(now=at(date(2026, 3, 8)))
    next_day = send_due_reminders(now=at(date(2026, 3, 9)))
    later = send_due_reminders(now=at(date(2026, 3, 12)))

    assert (last_day, next_day, later) == (NONE, NONE | {"posting_ended": 1}, NONE)
    assert sent(K.POSTING_ENDED) == [(scene.secretariat.id, f"/decisions/{decision.id}")]


@pytest.mark.usefixtures("context")
def test_the_appraisal_reminder_comes_two_working_days_before_the_deadline() -> None:
    scene = build_scene()
    nomination = dossier_in(scene, NominationState.SUBMITTED)
    # Received Monday 16-6-2025: ten working days, due Monday 30-6-2025.
    nomination.submitted_at = at(date(2025, 6, 16), 10)
    held = dossier_in(scene, NominationState.IN_REVIEW)
    held.submitted_at = at(date(2025, 6, 16), 10)
    held.hold_kind = "inspection"
    held.hold_reason = "Đang thanh tra"
    held.held_at = at(date(2025, 6, 20))
    held.held_by = scene.secretariat
    db.session.flush()

    wednesday = send_due_reminders(now=at(date(2025, 6, 25)))
    thursday = send_due_reminders(now=at(date(2025, 6, 26)))
    friday = send_due_reminders(now=at(date(2025, 6, 27)))

    assert (wednesday, thursday, friday) == (NONE, NONE | {"appraisal_due": 1}, NONE)
    assert sent(K.APPRAISAL_DUE) == [(scene.secretariat.id, f"/review/{nomination.id}")]


# --- once: rerun, restart (the command twice), two workers ------------------------------------


def test_the_command_sends_once_when_run_again(app: Flask) -> None:
    with app.app_context():
        scene = build_scene()
        draft(scene)
        db.session.commit()
        nominator_id = scene.nominator.id
    runner = app.test_cli_runner()

    first = runner.invoke(args=["send-reminders", "--now", "2025-06-28T01:00"])
    second = runner.invoke(args=["send-reminders", "--now", "2025-06-28T09:00"])

    with app.app_context():
        told = sent(K.WINDOW_CLOSING)
        recorded = db.session.scalar(select(func.count(SentReminder.id)))
    assert (first.exit_code, second.exit_code) == (0, 0)
    assert first.output.startswith(
        "reminders: consultation_closing 0, posting_ended 0, appraisal_due 0, window_closing 1;"
    )
    assert second.output.startswith(
        "reminders: consultation_closing 0, posting_ended 0, appraisal_due 0, window_closing 0;"
    )
    assert (len(told), told[0][0], recorded) == (1, nominator_id, 1)


@pytest.mark.postgres
@pytest.mark.skipif(not tests.conftest.ON_POSTGRES, reason="needs PostgreSQL")
def test_two_workers_at_once_send_each_reminder_once() -> None:
    with race_database("reminders") as race_app:
        with race_app.app_context():
            scene = build_scene()
            for _ in range(3):
                draft(scene)
            decision = drafted(scene, [passed(scene, award=posting_award(scene))])
            decisions.start_posting(decision, actor=scene.secretariat, today=date(2025, 6, 10))
            db.session.commit()
            people = (scene.secretariat.id, scene.nominator.id)
            db.session.remove()
        barrier = threading.Barrier(2)
        results: list[Any] = [None, None]

        def worker(index: int) -> None:
            with race_app.app_context():
                try:
                    barrier.wait(timeout=30)
                    results[index] = send_due_reminders(now=at(CLOSES - timedelta(days=1)))
                    time.sleep(0.5)  # hold the transaction open while the other one runs
                    db.session.commit()
                except Exception as error:  # reported by the assertion below
                    db.session.rollback()
                    results[index] = repr(error)
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        with race_app.app_context():
            kinds = sorted(
                (n.kind.value, n.user_id)
                for n in db.session.scalars(
                    select(Notification).where(
                        Notification.kind.in_([K.WINDOW_CLOSING, K.POSTING_ENDED])
                    )
                )
            )
            recorded = db.session.scalar(select(func.count(SentReminder.id)))
            db.session.remove()

    totals = {
        kind: sum(r[kind] for r in results if isinstance(r, dict))
        for kind in ("window_closing", "posting_ended")
    }
    assert all(isinstance(r, dict) for r in results), results
    assert totals == {"window_closing": 1, "posting_ended": 1}
    assert kinds == sorted([("posting_ended", people[0]), ("window_closing", people[1])])
    assert recorded == 2


# --- the RQ cron job ---------------------------------------------------------------------------


@pytest.mark.no_database
def test_the_cron_config_registers_the_reminders_job_hourly() -> None:
    from redis import Redis
    from rq.cron import CronScheduler

    from recognition.worker import send_reminders

    scheduler = CronScheduler(connection=Redis(host="127.0.0.1", port=6379, db=15))
    scheduler.load_config_from_file("recognition.cron")

    (job,) = scheduler.get_jobs()
    assert (job.func, job.queue_name, job.cron, job.name) == (
        send_reminders,
        "recognition",
        "7 * * * *",
        "send-reminders",
    )


@pytest.mark.committing
@pytest.mark.sqlite_only
def test_the_cron_job_runs_on_a_worker_and_sends_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown
    from rq import Queue, SimpleWorker
    from rq.cron import CronScheduler

    import recognition.worker

    redis = Redis(host="127.0.0.1", port=6379, db=15)
    try:
        redis.ping()
    except RedisDown:
        pytest.skip("no Redis on 127.0.0.1:6379")
    job_app = tests.conftest.build_app(f"sqlite:///{tmp_path / 'cron.sqlite'}")
    with job_app.app_context():
        today = local_today()
        scene = build_scene(opens_on=today - timedelta(days=5), closes_on=today + timedelta(days=1))
        draft(scene)
        db.session.commit()
        nominator_id = scene.nominator.id
        db.session.remove()
    monkeypatch.setattr(recognition.worker, "create_app", lambda config: job_app)
    scheduler = CronScheduler(connection=redis)
    scheduler.load_config_from_file("recognition.cron")
    (cron_job,) = scheduler.get_jobs()
    queue = Queue("recognition", connection=redis)
    queue.empty()

    class BurstWorker(SimpleWorker):
        """Without the channel for commands sent to a running worker (stop, kill): stopping
        its listening thread can wait out that thread's 60-second read, when the reply to the
        unsubscription was read before the thread was told to stop (seen under load)."""

        def subscribe(self) -> None:
            pass

    runs = []
    for _ in range(2):  # the hourly run, then the next one (or a restarted scheduler)
        job = cron_job.enqueue(redis)
        BurstWorker([queue], connection=redis).work(burst=True)
        runs.append(job.return_value())

    with job_app.app_context():
        told = sent(K.WINDOW_CLOSING)
        db.session.remove()
        db.engine.dispose()
    queue.empty()
    assert runs == [NONE | {"window_closing": 1}, NONE]
    assert [user for user, _ in told] == [nominator_id]
