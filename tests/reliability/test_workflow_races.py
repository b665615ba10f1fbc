"""Optimistic locking: a stale write is "someone else changed this", a double click is one event,
and (on PostgreSQL) two people acting on one dossier at the same moment make one transition."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import func, select, text

import tests.conftest
from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.common.audit import AuditEvent, verify_chain
from recognition.errors import ConcurrentUpdate, InvalidTransition
from recognition.extensions import db
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.models import Nomination, NominationSnapshot
from recognition.nominations.permissions import is_nominator_of, is_secretariat_of
from recognition.nominations.services import Report, update_nomination
from recognition.nominations.workflow import apply_transition
from tests.support.factories import user_with
from tests.workflow.helpers import (
    INSIDE,
    build_scene,
    dossier_in,
    draft,
    events_of,
    flashes,
    open_around_today,
    race_database,
)

S = NominationState
CHANGED = (
    "Someone else changed this dossier in the meantime. It has been reloaded; please check it "
    "and try again."
)


@pytest.fixture
def _in_request(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


# --- in one transaction (both databases) ------------------------------------------------------


@pytest.mark.integration
@pytest.mark.usefixtures("_in_request")
def test_a_stale_expected_version_is_refused() -> None:
    # One nominator edits the returned dossier; a colleague, still on the page as it was before,
    # resubmits it: that would send a version they have not seen.
    scene = build_scene()
    nomination = dossier_in(scene, S.RETURNED)
    set_up = len(events_of(nomination))  # the steps that brought it back to the nominator
    seen = nomination.version
    update_nomination(nomination, Report(summary="Bổ sung số liệu"), {}, actor=scene.nominator)

    with pytest.raises(ConcurrentUpdate) as error:
        apply_transition(
            nomination, Action.RESUBMIT, actor=scene.nominator, expected_version=seen, today=INSIDE
        )
    apply_transition(
        nomination,
        Action.RESUBMIT,
        actor=scene.nominator,
        expected_version=nomination.version,
        today=INSIDE,
    )

    assert (error.value.message, [e.action for e in events_of(nomination)][set_up:]) == (
        CHANGED,
        ["edit", "resubmit"],
    )


@pytest.mark.integration
@pytest.mark.usefixtures("_in_request")
def test_a_row_changed_behind_the_sessions_back_is_a_concurrent_update() -> None:
    # Another transaction bumped the row's version after this session loaded it: the UPDATE
    # matches no row and the flush fails, which the workflow reports, never a 500.
    scene = build_scene()
    nomination = dossier_in(scene, S.SUBMITTED)
    db.session.execute(
        text("UPDATE nominations SET version = version + 1 WHERE id = :id"),
        {"id": nomination.id},
    )

    with pytest.raises(ConcurrentUpdate) as error:
        apply_transition(nomination, Action.TAKE, actor=scene.secretariat)
    db.session.rollback()

    assert (error.value.message, events_of(nomination)) == (CHANGED, [])


@pytest.mark.integration
@pytest.mark.usefixtures("_in_request")
def test_a_stale_edit_is_refused_and_keeps_the_stored_text() -> None:
    scene = build_scene()
    nomination = draft(scene, summary="Bản đầu")
    seen = nomination.version
    update_nomination(
        nomination,
        Report(summary="Bản của người thứ nhất"),
        {},
        actor=scene.nominator,
        expected_version=seen,
    )

    with pytest.raises(ConcurrentUpdate):
        update_nomination(
            nomination,
            Report(summary="Bản của người thứ hai"),
            {},
            actor=scene.nominator,
            expected_version=seen,
        )

    assert nomination.summary == "Bản của người thứ nhất"


@pytest.mark.integration
def test_a_double_clicked_submit_is_one_event_and_a_calm_message(as_user, client) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene(**open_around_today())
    nomination = draft(scene)
    db.session.commit()
    version = str(nomination.version)
    as_user(scene.nominator)

    first = client.post_form(f"/nominations/{nomination.id}/do/submit", {"version": version})
    second = client.post_form(f"/nominations/{nomination.id}/do/submit", {"version": version})
    page = client.get(second.headers["Location"]).get_data(as_text=True)

    db.session.expire_all()
    shown = flashes(page)
    assert (
        first.status_code,
        second.status_code,
        [shown[0], shown[-1]],
        len(shown),
        [e.action for e in events_of(nomination)],
        nomination.state,
    ) == (
        302,
        302,
        [
            ("success", "The dossier has been submitted."),
            ("info", "This was already done: the dossier is “Submitted”."),
        ],
        3,
        ["submit"],
        "submitted",
    )
    # Between them, what happens next after the first click (its date depends on today).
    assert shown[1][0] == "info" and shown[1][1].startswith(
        f"The secretariat of {scene.body.name} appraises the dossier within"
    )


@pytest.mark.integration
def test_a_second_reviewer_acting_on_a_decided_dossier_gets_a_readable_409(as_user, client) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene()
    colleague = user_with(Role.SECRETARIAT, scene.body, locale="en", full_name="Đỗ Thị Mai")
    nomination = dossier_in(scene, S.IN_REVIEW)
    set_up = len(events_of(nomination))
    db.session.commit()
    version = str(nomination.version)

    as_user(scene.secretariat)
    sent = client.post_form(
        f"/nominations/{nomination.id}/do/send_back", {"version": version, "comment": "Bổ sung"}
    )
    client.post_form("/logout")
    as_user(colleague)
    late = client.post_form(f"/nominations/{nomination.id}/do/accept", {"version": version})

    db.session.expire_all()
    assert (sent.status_code, late.status_code, nomination.state) == (302, 409, "returned")
    assert [e.action for e in events_of(nomination)][set_up:] == ["send_back"]


# --- real races (PostgreSQL) --------------------------------------------------------------------

on_postgres = pytest.mark.skipif(
    not tests.conftest.ON_POSTGRES, reason="races need PostgreSQL (RECOGNITION_TEST_ON_POSTGRES=1)"
)


@pytest.fixture(scope="module")
def race_app() -> Iterator[Flask]:
    if not tests.conftest.ON_POSTGRES:
        pytest.skip("races need PostgreSQL")
    with race_database("workflow") as built:
        yield built


def _run_together(race_app: Flask, jobs: list[Callable[[], Any]]) -> list[str]:
    """Run each job in its own thread, app context, session and connection, released together by
    a barrier; returns what each did ("ok" or the exception's class name)."""
    barrier = threading.Barrier(len(jobs))
    results: list[str] = ["not run"] * len(jobs)

    def worker(index: int) -> None:
        with race_app.test_request_context(), force_locale("en"):
            try:
                prepared = jobs[index]()
                barrier.wait(timeout=30)
                prepared()
                db.session.commit()
                results[index] = "ok"
            except (ConcurrentUpdate, InvalidTransition) as error:
                db.session.rollback()
                results[index] = type(error).__name__
            except Exception as error:  # reported, so that the assertion shows it
                db.session.rollback()
                results[index] = repr(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _transition(
    nomination_id: int, user_id: int, action: Action, comment: str = ""
) -> Callable[[], Any]:
    """Load everything first (the dossier at the version this user sees), act after the barrier."""

    def prepare() -> Callable[[], Any]:
        nomination = db.session.get(Nomination, nomination_id)
        actor = db.session.get(User, user_id)
        assert nomination is not None and actor is not None
        is_secretariat_of(actor, nomination)
        is_nominator_of(actor, nomination)
        list(nomination.appraisals)
        version = nomination.version

        def act() -> None:
            apply_transition(
                nomination,
                action,
                actor=actor,
                comment=comment,
                expected_version=version,
                today=INSIDE,
            )

        return act

    return prepare


RACES = [
    (Action.SEND_BACK, Action.ACCEPT),
    (Action.ACCEPT, Action.SEND_BACK),
    (Action.SEND_BACK, Action.SEND_BACK),
    (Action.ACCEPT, Action.ACCEPT),
    (Action.REJECT, Action.ACCEPT),
]
TARGETS = {Action.SEND_BACK: "returned", Action.ACCEPT: "accepted", Action.REJECT: "rejected"}


@pytest.mark.postgres
@on_postgres
def test_two_secretariat_users_act_on_one_dossier_at_once(race_app: Flask) -> None:
    with race_app.test_request_context(), force_locale("en"):
        scene = build_scene()
        colleague = user_with(Role.SECRETARIAT, scene.body, full_name="Đỗ Thị Mai")
        dossiers = [dossier_in(scene, S.IN_REVIEW).id for _ in RACES]
        people = (scene.secretariat.id, colleague.id)
        since = db.session.scalar(select(func.max(AuditEvent.id)))  # the set-up's last step
        db.session.commit()

    outcomes = []
    for nomination_id, actions in zip(dossiers, RACES, strict=True):
        jobs = [
            _transition(nomination_id, person, action, comment="Lý do")
            for person, action in zip(people, actions, strict=True)
        ]
        outcomes.append(_run_together(race_app, jobs))

    with race_app.app_context():
        found = []
        for nomination_id, actions, results in zip(dossiers, RACES, outcomes, strict=True):
            nomination = db.session.get(Nomination, nomination_id)
            events = [e for e in events_of(nomination) if e.id > since]
            winner = actions[results.index("ok")] if results.count("ok") == 1 else None
            found.append(
                (
                    sorted(results),
                    [(e.action, e.from_state, e.to_state) for e in events],
                    nomination.state,
                    winner is not None and nomination.state == TARGETS[winner],
                )
            )
        count, problems = verify_chain()
        total = db.session.scalar(select(func.count(AuditEvent.id)))
        db.session.remove()

    for (results, events, state, consistent), actions in zip(found, RACES, strict=True):
        assert results in (["ConcurrentUpdate", "ok"], ["InvalidTransition", "ok"]), results
        assert len(events) == 1 and events[0][1:] == ("in_review", state), events
        assert events[0][0] in {a.value for a in actions}
        assert consistent
    assert (count, problems) == (total, [])


@pytest.mark.postgres
@on_postgres
def test_simultaneous_transitions_on_different_dossiers_keep_one_chain(race_app: Flask) -> None:
    with race_app.test_request_context(), force_locale("en"):
        scene = build_scene()
        reviewers = [scene.secretariat.id] + [
            user_with(Role.SECRETARIAT, scene.body, full_name=f"Thư Ký {n}").id for n in range(5)
        ]
        dossiers = [dossier_in(scene, S.SUBMITTED).id for _ in reviewers]
        since = db.session.scalar(select(func.max(AuditEvent.id)))  # the set-up's last step
        db.session.commit()

    results = _run_together(
        race_app,
        [
            _transition(nomination_id, reviewer, Action.TAKE)
            for nomination_id, reviewer in zip(dossiers, reviewers, strict=True)
        ],
    )

    with race_app.app_context():
        events = list(
            db.session.scalars(
                select(AuditEvent)
                .where(
                    AuditEvent.object_kind == "nomination",
                    AuditEvent.object_id.in_(dossiers),
                    AuditEvent.id > since,
                )
                .order_by(AuditEvent.id)
            )
        )
        links = [e.prev_hash for e in events]
        count, problems = verify_chain()
        total = db.session.scalar(select(func.count(AuditEvent.id)))
        db.session.remove()

    assert results == ["ok"] * len(dossiers)
    assert (len(events), len(set(links)), count, problems) == (
        len(dossiers),
        len(dossiers),
        total,
        [],
    )


@pytest.mark.postgres
@on_postgres
def test_a_double_submitted_form_at_the_same_moment_makes_one_event(race_app: Flask) -> None:
    with race_app.test_request_context(), force_locale("en"):
        scene = build_scene(**open_around_today())
        nomination = draft(scene)
        nomination_id, version, username = (
            nomination.id,
            str(nomination.version),
            scene.nominator.username,
        )
        db.session.commit()

    race_app.test_client_class = tests.conftest.Client
    clients = [race_app.test_client() for _ in range(2)]
    for client in clients:
        assert tests.conftest.log_in(client, username).status_code == 302
    barrier = threading.Barrier(len(clients))
    responses: list[Any] = [None] * len(clients)

    def post(index: int) -> None:
        client = clients[index]
        token = client.csrf_token()
        barrier.wait(timeout=30)
        responses[index] = client.post(
            f"/nominations/{nomination_id}/do/submit",
            data={"csrf_token": token, "version": version},
        )

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    messages = sorted(
        message
        for client, response in zip(clients, responses, strict=True)
        for message in flashes(client.get(response.headers["Location"]).get_data(as_text=True))
    )

    with race_app.app_context():
        nomination = db.session.get(Nomination, nomination_id)
        found = (
            [r.status_code for r in responses],
            [e.action for e in events_of(nomination)],
            db.session.scalar(
                select(func.count(NominationSnapshot.id)).where(
                    NominationSnapshot.nomination_id == nomination_id
                )
            ),
            nomination.state,
        )
        db.session.remove()

    assert found == ([302, 302], ["submit"], 1, "submitted")
    # The request that submitted also says what happens next (its date depends on today).
    next_steps = [m for m in messages if m[1].startswith("The secretariat of ")]
    messages = [m for m in messages if m not in next_steps]
    assert [kind for kind, _ in next_steps] == ["info"]
    assert messages in (
        [
            ("info", "This was already done: the dossier is “Submitted”."),
            ("success", "The dossier has been submitted."),
        ],
        [("success", "The dossier has been submitted."), ("warning", CHANGED)],
    )
