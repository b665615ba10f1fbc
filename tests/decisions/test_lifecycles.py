"""The lives of a decision, a certificate and a print job: every state × action × role of
each transition table, the audit events they write, and the chain that holds them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from recognition.campaigns.models import AwardType
from recognition.certificates import print_jobs as jobs
from recognition.certificates.enums import (
    CertificateAction,
    CertificateState,
    PrintJobAction,
    PrintJobState,
)
from recognition.certificates.models import PrintJob
from recognition.certificates.workflow import CERTIFICATE_LIFECYCLE, PRINT_JOB_LIFECYCLE
from recognition.common.audit import AuditEvent, ObjectKind, verify_chain
from recognition.database import local_today
from recognition.decisions import services
from recognition.decisions.enums import DecisionAction, DecisionState
from recognition.decisions.models import Decision
from recognition.decisions.workflow import LIFECYCLE
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from tests.decisions.helpers import (
    ISSUE_DAY,
    certificates_of,
    client_for,
    drafted,
    in_english,
    issued,
    passed,
    posting_award,
)
from tests.workflow.helpers import Scene, build_scene, error_page

pytestmark = pytest.mark.integration

D = DecisionState
ROLES = ["nominator", "secretariat", "other_secretariat", "council_member", "chair", "admin"]
POSTING_DAYS = 7
ISSUE_AFTER_POSTING = ISSUE_DAY + timedelta(days=POSTING_DAYS + 1)


@pytest.fixture(autouse=True)
def _in_request(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path))
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture
def scene() -> Scene:
    return build_scene()


def events(kind: ObjectKind, object_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_kind == kind, AuditEvent.object_id == object_id)
            .order_by(AuditEvent.id)
        )
    )


def trail(kind: ObjectKind, object_id: int) -> list[tuple[str, str, str, int | None]]:
    return [(e.action, e.from_state, e.to_state, e.actor_id) for e in events(kind, object_id)]


def chain_holds() -> bool:
    checked, problems = verify_chain()
    return checked > 0 and problems == []


# --- the decision -----------------------------------------------------------------------------


def decision_in(scene: Scene, state: DecisionState, award: AwardType | None = None) -> Decision:
    """A decision of a title posted for 7 days, brought to `state` through the services."""
    award = award or posting_award(scene, days=POSTING_DAYS)
    decision = drafted(scene, [passed(scene, award=award)])
    if state == D.DRAFT:
        return decision
    services.start_posting(decision, actor=scene.secretariat, today=ISSUE_DAY)
    if state == D.POSTED:
        return decision
    services.issue_decision(decision, actor=scene.chair, today=ISSUE_AFTER_POSTING)
    if state == D.ISSUED:
        return decision
    services.annul_decision(decision, actor=scene.chair, reason="Sai sót trong danh sách")
    return decision


def act(decision: Decision, action: DecisionAction, actor: Any) -> AuditEvent:
    if action == DecisionAction.POST:
        return services.start_posting(decision, actor=actor, today=ISSUE_DAY)
    if action == DecisionAction.ISSUE:
        return services.issue_decision(decision, actor=actor, today=ISSUE_AFTER_POSTING)
    return services.annul_decision(decision, actor=actor, reason="Hồ sơ khai không trung thực")


# (state, action) → the new state, or the refusal of the business guard (a DomainError that
# is neither 403 nor 409), for the role the table allows.
DECISION_OUTCOMES: dict[tuple[DecisionState, DecisionAction], DecisionState | str] = {
    (D.DRAFT, DecisionAction.POST): D.POSTED,
    (D.DRAFT, DecisionAction.ISSUE): "These titles must first be posted publicly for 7 days.",
    (D.POSTED, DecisionAction.ISSUE): D.ISSUED,
    (D.ISSUED, DecisionAction.ANNUL): D.ANNULLED,
}
DECISION_ROLES = {
    DecisionAction.POST: "secretariat",
    DecisionAction.ISSUE: "chair",
    DecisionAction.ANNUL: "chair",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(DecisionAction))
@pytest.mark.parametrize("state", list(DecisionState))
def test_decision_matrix(
    scene: Scene, state: DecisionState, action: DecisionAction, role: str
) -> None:
    decision = decision_in(scene, state)
    before = len(events(ObjectKind.DECISION, decision.id))
    actor = scene.users[role]
    outcome = DECISION_OUTCOMES.get((state, action))

    if outcome is None:
        with pytest.raises(InvalidTransition) as refused:
            act(decision, action, actor)
        assert (bool(refused.value.message), decision.state) == (True, state)
    elif role != DECISION_ROLES[action]:
        with pytest.raises(NotAllowed) as refused:
            act(decision, action, actor)
        assert (bool(refused.value.message), decision.state) == (True, state)
    elif not isinstance(outcome, DecisionState):
        with pytest.raises(DomainError) as refused:
            act(decision, action, actor)
        assert (refused.value.message, decision.state, decision.number) == (outcome, state, None)
    else:
        event = act(decision, action, actor)
        assert (decision.state, event.action, event.from_state, event.to_state) == (
            outcome,
            action,
            state,
            outcome,
        )
        assert (len(events(ObjectKind.DECISION, decision.id)), chain_holds()) == (before + 1, True)
        return
    assert len(events(ObjectKind.DECISION, decision.id)) == before


def test_a_decision_s_whole_life_is_in_the_log_with_its_certificates(scene: Scene) -> None:
    decision = decision_in(scene, D.ANNULLED)
    certificate = certificates_of(decision)[0]
    secretariat, chair = scene.secretariat.id, scene.chair.id

    assert (
        trail(ObjectKind.DECISION, decision.id),
        trail(ObjectKind.CERTIFICATE, certificate.id),
        [e.comment for e in events(ObjectKind.CERTIFICATE, certificate.id)],
        (decision.issued_at is not None, decision.issued_by_id, decision.annulled_at is not None),
        chain_holds(),
    ) == (
        [
            ("post", "draft", "posted", secretariat),
            ("issue", "posted", "issued", chair),
            ("annul", "issued", "annulled", chair),
        ],
        [("revoke", "valid", "revoked", chair)],
        ["Sai sót trong danh sách"],
        (True, chair, True),
        True,
    )


def test_a_refused_issue_allocates_no_number(scene: Scene) -> None:
    decision = decision_in(scene, D.POSTED)

    with pytest.raises(DomainError):  # the posting runs until ISSUE_DAY + 7
        services.issue_decision(decision, actor=scene.chair, today=ISSUE_DAY)
    with pytest.raises(NotAllowed):
        services.issue_decision(decision, actor=scene.secretariat, today=ISSUE_AFTER_POSTING)
    services.issue_decision(decision, actor=scene.chair, today=ISSUE_AFTER_POSTING)

    assert (decision.number, decision.reference.split("/")[0]) == (1, "01")


def test_the_page_actions_are_those_of_the_table(scene: Scene) -> None:
    award = posting_award(scene, days=POSTING_DAYS)
    found = {
        (state.value, role): [a.value for a in LIFECYCLE.available(scene.users[role], decision)]
        for state in DecisionState
        for decision in [decision_in(scene, state, award)]
        for role in ("secretariat", "chair", "council_member", "admin")
    }

    assert {key: actions for key, actions in found.items() if actions} == {
        ("draft", "secretariat"): ["post"],
        ("draft", "chair"): ["issue"],
        ("posted", "chair"): ["issue"],
        ("issued", "chair"): ["annul"],
    }


# --- the certificate --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", list(CertificateState))
def test_certificate_matrix(scene: Scene, state: CertificateState, role: str) -> None:
    certificate = certificates_of(issued(scene, 1))[0]
    if state == CertificateState.REVOKED:
        CERTIFICATE_LIFECYCLE.apply(
            certificate, CertificateAction.REVOKE, actor=scene.chair, comment="Sai sót"
        )
    before = len(events(ObjectKind.CERTIFICATE, certificate.id))
    actor = scene.users[role]

    def revoke() -> AuditEvent:
        return CERTIFICATE_LIFECYCLE.apply(
            certificate, CertificateAction.REVOKE, actor=actor, comment="Cấp nhầm"
        )

    if state == CertificateState.REVOKED:
        with pytest.raises(InvalidTransition) as refused:
            revoke()
    elif role != "chair":
        with pytest.raises(NotAllowed) as refused:
            revoke()
    else:
        event = revoke()
        assert (
            certificate.state,
            certificate.revoked_at is not None,
            (event.action, event.from_state, event.to_state, event.comment),
            chain_holds(),
        ) == (CertificateState.REVOKED, True, ("revoke", "valid", "revoked", "Cấp nhầm"), True)
        return
    assert (bool(refused.value.message), certificate.state) == (True, state)
    assert len(events(ObjectKind.CERTIFICATE, certificate.id)) == before


def test_a_certificate_is_revoked_only_with_a_reason(scene: Scene) -> None:
    certificate = certificates_of(issued(scene, 1))[0]

    with pytest.raises(DomainError) as refused:
        CERTIFICATE_LIFECYCLE.apply(certificate, CertificateAction.REVOKE, actor=scene.chair)

    assert (refused.value.message, certificate.state) == (
        "Please give a reason.",
        CertificateState.VALID,
    )


# --- the print job ----------------------------------------------------------------------------

J = PrintJobState
PRINT_JOB_OUTCOMES = {
    (J.QUEUED, PrintJobAction.START): J.RUNNING,
    (J.QUEUED, PrintJobAction.FAIL): J.FAILED,
    (J.RUNNING, PrintJobAction.FINISH): J.DONE,
    (J.RUNNING, PrintJobAction.FAIL): J.FAILED,
}
PATHS = {
    J.QUEUED: [],
    J.RUNNING: [PrintJobAction.START],
    J.DONE: [PrintJobAction.START, PrintJobAction.FINISH],
    J.FAILED: [PrintJobAction.FAIL],
}


@pytest.mark.parametrize("actor", ["application", "requester", "other"])
@pytest.mark.parametrize("action", list(PrintJobAction))
@pytest.mark.parametrize("state", list(PrintJobState))
def test_print_job_matrix(
    scene: Scene, state: PrintJobState, action: PrintJobAction, actor: str
) -> None:
    job = jobs.start_print_job(issued(scene, 1), actor=scene.chair)
    for step in PATHS[state]:
        PRINT_JOB_LIFECYCLE.apply(job, step, actor=None)
    before = len(events(ObjectKind.PRINT_JOB, job.id))
    who = {"application": None, "requester": scene.chair, "other": scene.secretariat}[actor]
    outcome = PRINT_JOB_OUTCOMES.get((state, action))

    if outcome is None:
        with pytest.raises(InvalidTransition) as refused:
            PRINT_JOB_LIFECYCLE.apply(job, action, actor=who)
    elif actor == "other":
        with pytest.raises(NotAllowed) as refused:
            PRINT_JOB_LIFECYCLE.apply(job, action, actor=who)
    else:
        event = PRINT_JOB_LIFECYCLE.apply(job, action, actor=who)
        assert (
            job.state,
            (event.action, event.from_state, event.to_state, event.actor_id),
            job.finished_at is not None,
            chain_holds(),
        ) == (
            outcome,
            (action, state, outcome, None if who is None else who.id),
            outcome in (J.DONE, J.FAILED),
            True,
        )
        return
    assert (bool(refused.value.message), job.state) == (True, state)
    assert len(events(ObjectKind.PRINT_JOB, job.id)) == before


def test_a_job_run_by_the_worker_is_logged_as_the_application_s(scene: Scene) -> None:
    job = jobs.start_print_job(issued(scene, 1), actor=scene.chair)
    db.session.commit()

    jobs.run_print_job(job.id)

    assert (trail(ObjectKind.PRINT_JOB, job.id), chain_holds()) == (
        [("start", "queued", "running", None), ("finish", "running", "done", None)],
        True,
    )


def test_a_failed_job_is_logged_with_its_error(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = jobs.start_print_job(issued(scene, 1), actor=scene.chair)
    db.session.commit()

    def broken(*args: object, **kwargs: object) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(jobs, "render_batch", broken)
    jobs.run_print_job(job.id)

    assert (
        trail(ObjectKind.PRINT_JOB, job.id),
        events(ObjectKind.PRINT_JOB, job.id)[-1].comment,
        chain_holds(),
    ) == (
        [("start", "queued", "running", None), ("fail", "running", "failed", None)],
        "OSError: disk full",
        True,
    )


def test_a_job_is_dispatched_once_its_transaction_commits(
    scene: Scene, dispatched: list[tuple[Any, ...]]
) -> None:
    decision = issued(scene, 1)
    kept = jobs.start_print_job(decision, actor=scene.chair)
    before_commit = list(dispatched)
    db.session.commit()
    after_commit = [job_id for _, job_id in dispatched]

    jobs.start_print_job(decision, actor=scene.chair)
    db.session.rollback()

    assert (before_commit, after_commit, [job_id for _, job_id in dispatched]) == (
        [],
        [kept.id],
        [kept.id],
    )
    assert db.session.get(PrintJob, kept.id).state == PrintJobState.QUEUED


# --- the pages --------------------------------------------------------------------------------


def offered(html: str) -> set[str]:
    """The decision actions a page offers as forms."""
    return set(re.findall(r'action="/decisions/\d+/(post|issue|annul)"', html))


def test_the_pages_offer_what_the_table_allows(app: Flask, scene: Scene) -> None:
    award = posting_award(scene, days=POSTING_DAYS)
    decisions = {state: decision_in(scene, state, award) for state in DecisionState}
    db.session.commit()
    roles = ("secretariat", "chair", "admin")
    clients = {role: client_for(app, scene.users[role]) for role in roles}
    today = local_today()

    found = {
        (state.value, role): offered(
            clients[role].get(f"/decisions/{decision.id}").get_data(as_text=True)
        )
        for state, decision in decisions.items()
        for role in roles
    }
    # The table's actions for the user, less those its guard refuses today (the posting of
    # the posted decision, started on ISSUE_DAY, has long ended; a draft of a posted title
    # cannot be issued).
    expected = {
        (state.value, role): {
            action.value
            for action in LIFECYCLE.available(scene.users[role], decision)
            if not LIFECYCLE.refusal(decision, action, today=today)
        }
        for state, decision in decisions.items()
        for role in roles
    }

    assert (found, {key: value for key, value in found.items() if value}) == (
        expected,
        {
            ("draft", "secretariat"): {"post"},
            ("posted", "chair"): {"issue"},
            ("issued", "chair"): {"annul"},
        },
    )


@pytest.mark.parametrize(
    ("role", "action", "message"),
    [
        ("secretariat", "post", "Only a draft can be posted."),
        ("chair", "issue", "This decision has already been issued or annulled."),
        ("chair", "annul", "Only an issued decision can be annulled."),
    ],
)
def test_a_forced_impossible_action_is_a_409_page_with_its_message(
    app: Flask, scene: Scene, role: str, action: str, message: str
) -> None:
    decision = decision_in(scene, D.ANNULLED)
    db.session.commit()
    client = in_english(client_for(app, scene.users[role]))

    response = client.post_form(f"/decisions/{decision.id}/{action}", {"reason": "Lần nữa"})

    db.session.expire_all()
    assert (
        response.status_code,
        error_page(response.get_data(as_text=True))[1],
        decision.state,
        len(events(ObjectKind.DECISION, decision.id)),
    ) == (409, message, D.ANNULLED, 3)
