"""The audit log: every transition and every later edit is an event; the log is append-only in the
database and hash-chained, and the check (service, command, admin page) finds any tampering."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

import tests.conftest
from recognition.common.audit import (
    GENESIS,
    AuditEvent,
    AuditHead,
    ChainProblem,
    event_digest,
    verify_chain,
)
from recognition.database import local_today
from recognition.extensions import db
from recognition.nominations.attachments import add_attachment, remove_attachment
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.services import Report, update_nomination
from recognition.nominations.workflow import apply_transition
from tests.workflow.helpers import (
    INSIDE,
    ROLES,
    Scene,
    appraise_all,
    build_scene,
    draft,
    events_of,
    new_hamlet,
    pdf_upload,
)

pytestmark = pytest.mark.integration

S = NominationState
ALTERED = "content altered: hash does not match"
BROKEN = "link broken: the event before it was altered or removed"
TRUNCATED = "the newest events were removed (the head does not match the last event)"


@pytest.fixture
def _in_request(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture
def uploads(app: Flask, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path))
    return tmp_path


def whole_life(scene: Scene) -> Nomination:
    """A dossier taken through every kind of step, with edits before and after submission."""
    nomination = draft(scene)
    update_nomination(nomination, Report(summary="Sửa trước khi nộp"), {}, actor=scene.nominator)
    apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
    apply_transition(nomination, Action.TAKE, actor=scene.secretariat)
    apply_transition(nomination, Action.SEND_BACK, actor=scene.secretariat, comment="Bổ sung")
    update_nomination(nomination, Report(summary="Đã bổ sung"), {}, actor=scene.nominator)
    attachment = add_attachment(
        nomination, pdf_upload(), "Biên bản.pdf", actor=scene.nominator, criterion=scene.text
    )
    remove_attachment(attachment, actor=scene.nominator)
    apply_transition(nomination, Action.RESUBMIT, actor=scene.nominator, today=INSIDE)
    apply_transition(nomination, Action.TAKE, actor=scene.secretariat)
    appraise_all(nomination, scene.secretariat)
    apply_transition(nomination, Action.ACCEPT, actor=scene.secretariat)
    apply_transition(nomination, Action.SCHEDULE, actor=scene.secretariat)
    apply_transition(nomination, Action.CLOSE_VOTE, actor=scene.chair, outcome=S.FAILED)
    apply_transition(nomination, Action.REOPEN, actor=scene.chair, comment="Kiểm phiếu sai")
    apply_transition(nomination, Action.ACCEPT, actor=scene.secretariat)
    apply_transition(nomination, Action.PASS_SIMPLIFIED, actor=scene.chair)
    apply_transition(nomination, Action.AWARD, actor=scene.chair)
    apply_transition(nomination, Action.ANNUL, actor=scene.chair, comment="Hồ sơ không trung thực")
    db.session.flush()
    return nomination


@pytest.mark.usefixtures("_in_request", "uploads")
def test_every_transition_and_every_later_edit_is_an_event() -> None:
    scene = build_scene()
    n, s, c = scene.nominator.id, scene.secretariat.id, scene.chair.id

    nomination = whole_life(scene)

    assert [
        (e.action, e.from_state, e.to_state, e.actor_id, e.comment) for e in events_of(nomination)
    ] == [
        ("submit", "draft", "submitted", n, ""),
        ("take", "submitted", "in_review", s, ""),
        ("send_back", "in_review", "returned", s, "Bổ sung"),
        ("edit", "returned", "returned", n, "summary"),
        ("edit", "returned", "returned", n, "+file:Biên bản.pdf"),
        ("edit", "returned", "returned", n, "-file:Biên bản.pdf"),
        ("resubmit", "returned", "submitted", n, ""),
        ("take", "submitted", "in_review", s, ""),
        ("accept", "in_review", "accepted", s, ""),
        ("schedule", "accepted", "on_agenda", s, ""),
        ("close_vote", "on_agenda", "failed", c, ""),
        ("reopen", "failed", "in_review", c, "Kiểm phiếu sai"),
        ("accept", "in_review", "accepted", s, ""),
        ("pass_simplified", "accepted", "passed", c, ""),
        ("award", "passed", "awarded", c, ""),
        ("annul", "awarded", "annulled", c, "Hồ sơ không trung thực"),
    ]


@pytest.mark.usefixtures("_in_request", "uploads")
def test_the_chain_links_every_event_to_the_one_before() -> None:
    before, _ = verify_chain()
    scene = build_scene()
    setup, _ = verify_chain()  # the catalogue and the campaign's opening are events too
    whole_life(scene)
    whole_life(scene)

    events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    head = db.session.get(AuditHead, 1)
    links = [(e.prev_hash, e.hash == event_digest(e)) for e in events]
    expected = [(GENESIS if i == 0 else events[i - 1].hash, True) for i in range(len(events))]

    assert (links, head.last_hash, head.last_event_id) == (expected, events[-1].hash, events[-1].id)
    assert verify_chain() == (setup + 32, [])
    assert setup > before


# --- the database refuses changes ------------------------------------------------------------


@pytest.mark.usefixtures("_in_request")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET comment = 'sửa lén' WHERE id = :id",
        "DELETE FROM audit_events WHERE id = :id",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_event(statement: str) -> None:
    scene = build_scene()
    nomination = draft(scene)
    apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
    db.session.flush()
    (event,) = events_of(nomination)

    savepoint = db.session.begin_nested()
    with pytest.raises(DBAPIError, match="audit_events is append-only"):
        db.session.execute(text(statement), {"id": event.id})
    savepoint.rollback()

    db.session.expire_all()
    assert [(e.id, e.comment) for e in events_of(nomination)] == [(event.id, "")]


# --- tampering (triggers dropped inside the test's transaction, restored by its rollback) -----


def drop_append_only_triggers() -> None:
    if tests.conftest.ON_POSTGRES:
        db.session.execute(text("DROP TRIGGER audit_events_append_only ON audit_events"))
    else:
        db.session.execute(text("DROP TRIGGER audit_events_no_update"))
        db.session.execute(text("DROP TRIGGER audit_events_no_delete"))


def history(scene: Scene, dossiers: int = 2) -> list[AuditEvent]:
    """A few events on a few dossiers (all committed to the chain)."""
    for _ in range(dossiers):
        nomination = draft(scene)
        apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
        apply_transition(nomination, Action.TAKE, actor=scene.secretariat)
        apply_transition(nomination, Action.SEND_BACK, actor=scene.secretariat, comment="Bổ sung")
    db.session.flush()
    # The whole chain: the scene's catalogue and campaign are events too.
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def tamper(statement: str, event_id: int) -> None:
    drop_append_only_triggers()
    db.session.execute(text(statement), {"id": event_id})
    db.session.expire_all()  # what a fresh process would read


@pytest.mark.usefixtures("_in_request")
def test_an_altered_comment_is_found() -> None:
    events = history(build_scene())
    victim = events[-3]

    tamper("UPDATE audit_events SET comment = 'Không có ý kiến' WHERE id = :id", victim.id)

    assert verify_chain() == (len(events), [ChainProblem(victim.id, ALTERED, "content")])


@pytest.mark.usefixtures("_in_request")
def test_a_deleted_middle_event_breaks_the_link_of_the_next() -> None:
    events = history(build_scene())
    victim, successor = events[2].id, events[3].id

    tamper("DELETE FROM audit_events WHERE id = :id", victim)

    assert verify_chain() == (len(events) - 1, [ChainProblem(successor, BROKEN, "link")])


@pytest.mark.usefixtures("_in_request")
def test_a_deleted_last_event_no_longer_matches_the_head() -> None:
    events = history(build_scene())
    victim = events[-1].id

    tamper("DELETE FROM audit_events WHERE id = :id", victim)

    assert verify_chain() == (len(events) - 1, [ChainProblem(victim, TRUNCATED, "head")])


# --- `flask audit verify` ---------------------------------------------------------------------


def test_the_command_reports_intact_then_the_altered_event(app: Flask) -> None:
    with app.test_request_context(), force_locale("en"):
        events = history(build_scene())
    runner = app.test_cli_runner()

    intact = runner.invoke(args=["audit", "verify"])
    tamper("UPDATE audit_events SET action = 'edit' WHERE id = :id", events[1].id)
    broken = runner.invoke(args=["audit", "verify"])

    assert (intact.exit_code, intact.stdout, intact.stderr) == (
        0,
        f"audit chain intact: {len(events)} events\n",
        "",
    )
    assert (broken.exit_code, broken.stdout, broken.stderr) == (
        1,
        "",
        f"event {events[1].id}: {ALTERED}\n",
    )


# --- the administrators' pages ----------------------------------------------------------------


def listed(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr><td class="small">(\d+)</td>', html)]


def test_the_audit_log_is_searched_by_reference_and_by_name_without_accents(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        setup = list(db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id.desc())))
        first = draft(scene, nominee=new_hamlet(scene, "Ấp Tân Thạnh"))
        second = draft(scene, nominee=new_hamlet(scene, "Ấp Hòa Nghĩa"))
        for nomination in (first, second):
            apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
        apply_transition(second, Action.TAKE, actor=scene.secretariat)
        db.session.commit()
        (first_submit,) = events_of(first)
        second_submit, second_take = events_of(second)
        reference = first.reference
    as_user(scene.admin)

    def search(query: str) -> list[int]:
        return listed(client.get("/admin/audit", query_string={"q": query}).get_data(as_text=True))

    assert {
        "reference": search(reference.lower()),
        "nominee": search("tan thanh"),
        "actor": search("PHAM VAN DUC"),
        "nobody": search("Nguyễn Không Có"),
        "everything": search(""),
    } == {
        "reference": [first_submit.id],
        "nominee": [first_submit.id],
        "actor": [second_take.id],  # Phạm Văn Đức, the secretariat
        "nobody": [],
        "everything": [second_take.id, second_submit.id, first_submit.id, *setup],
    }


def test_only_administrators_see_the_audit_log_and_the_mail_queue(as_user, client) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene()
    db.session.commit()
    found = {}
    for role in ROLES:
        as_user(scene.users[role])
        found[role] = [
            client.get(url).status_code
            for url in ("/admin/audit", "/admin/audit/verify", "/admin/mail")
        ]
        client.post_form("/logout")

    assert found == {role: [200] * 3 if role == "admin" else [403] * 3 for role in ROLES}


def test_the_verify_page_names_the_altered_event(app: Flask, as_user, client) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        events = history(scene, dossiers=1)
        db.session.commit()
    as_user(scene.admin)
    intact = client.get("/admin/audit/verify").get_data(as_text=True)

    victim = next(e.id for e in events if e.comment)  # a reason given ("Bổ sung")
    tamper("UPDATE audit_events SET comment = '' WHERE id = :id", victim)
    db.session.commit()
    broken = client.get("/admin/audit/verify").get_data(as_text=True)

    def alert(html: str) -> str:
        found = re.search(
            r'<div class="alert alert-(?:success|danger)"[^>]*>(.*?)</div>', html, re.S
        )
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip() if found else ""

    assert (alert(intact), alert(broken)) == (
        f"The chain of {len(events)} events is intact.",
        f"1 problem found in {len(events)} events. Event {victim}: "
        "the content was altered: its hash does not match",
    )


def test_the_audit_log_is_narrowed_to_a_period_and_a_wrong_date_is_said(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        every = list(db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id.desc())))
        db.session.commit()
        today = local_today()
    as_user(scene.admin)

    def search(**period: str) -> tuple[list[int], list[str], list[str]]:
        html = client.get("/admin/audit", query_string=period).get_data(as_text=True)
        errors = re.findall(
            r'<div class="invalid-feedback d-block" id="(\w+)-error">([^<]*)</div>', html
        )
        typed = re.findall(r'<input[^>]*name="(?:since|until)"[^>]*value="([^"]*)"', html)
        return listed(html), [f"{name}: {text}" for name, text in errors], typed

    day = timedelta(days=1)
    assert {
        "today": search(since=today.isoformat(), until=today.isoformat()),
        "written": search(since=today.strftime("%d/%m/%Y")),
        "before": search(until=(today - day).isoformat()),
        "after": search(since=(today + day).isoformat()),
        "backwards": search(since=today.isoformat(), until=(today - day).isoformat()),
        "wrong": search(since="31/02/2026"),
        "far": search(until="9999-12-31"),
    } == {
        "today": (every, [], [today.isoformat(), today.isoformat()]),
        # As typed where the browser has no date picker (the box is plain text).
        "written": (every, [], [today.strftime("%d/%m/%Y"), ""]),
        "before": ([], [], ["", (today - day).isoformat()]),
        "after": ([], [], [(today + day).isoformat(), ""]),
        "backwards": (
            [],
            ["until: The end of the period comes before its start."],
            [today.isoformat(), (today - day).isoformat()],
        ),
        # The typed text stays in its box, said wrong; nothing is listed as if filtered.
        "wrong": (
            [],
            ["since: The date must be a date written dd/mm/yyyy."],
            ["31/02/2026", ""],
        ),
        # A day with no next one to end the period on (found by the forms' fuzzing: a 500).
        "far": ([], ["until: Choose a day between the years 1900 and 2100."], ["", "9999-12-31"]),
    }
