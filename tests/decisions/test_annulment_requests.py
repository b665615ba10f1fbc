"""Proposals to annul an issued decision: the secretariat proposes with a reason, the chair is
told and finds it on the dashboard, then annuls (the proposal granted) or dismisses it with a
note (the secretariat told). One proposal waits at a time; only an issued decision can be
proposed; the other roles are refused."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from recognition.common.audit import AuditEvent, ObjectKind
from recognition.decisions import annulments, services
from recognition.decisions.models import AnnulmentRequest, Decision
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.notifications.enums import NotificationKind
from recognition.notifications.models import Notification
from tests.conftest import Client
from tests.decisions.helpers import (
    certificates_of,
    client_for,
    drafted,
    in_english,
    issued,
    passed,
)
from tests.workflow.helpers import Scene, flashes

pytestmark = pytest.mark.integration

REASON = "Thanh tra phát hiện hồ sơ kê khai không trung thực"


@pytest.fixture
def clients(app: Flask, scene: Scene) -> dict[str, Client]:
    class Clients(dict[str, Client]):
        def __missing__(self, role: str) -> Client:
            self[role] = in_english(client_for(app, scene.users[role]))
            return self[role]

    return Clients()


def committed(value: Any) -> Any:
    db.session.commit()
    return value


def notified(user: Any, kind: NotificationKind) -> list[tuple[str, str]]:
    return [
        (n.text, n.link)
        for n in db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id, Notification.kind == kind)
            .order_by(Notification.id)
        )
    ]


def proposals(decision: Decision) -> list[tuple[str, str, str]]:
    db.session.expire_all()
    return [
        (p.state, p.reason, p.decision_note)
        for p in db.session.scalars(
            select(AnnulmentRequest)
            .where(AnnulmentRequest.decision_id == decision.id)
            .order_by(AnnulmentRequest.id)
        )
    ]


def dashboard_list(client: Client) -> tuple[int | None, list[str]]:
    html = client.get("/dashboard").get_data(as_text=True)
    count = re.search(r'data-count="annulment-requests">(\d+)<', html)
    block = re.search(r'<ul[^>]*data-list="annulment-requests">(.*?)</ul>', html, re.S)
    links = re.findall(r'<a href="([^"]+)">', block.group(1)) if block else []
    return (int(count.group(1)) if count else None), links


def decision_logged(decision: Decision) -> list[tuple[str, str, str]]:
    return [
        (e.action, e.action_label, e.comment)
        for e in db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.object_kind == ObjectKind.DECISION.value,
                AuditEvent.object_id == decision.id,
            )
            .order_by(AuditEvent.id)
        )
    ]


def test_a_proposal_reaches_the_chair_who_dismisses_it(
    scene: Scene, clients: dict[str, Client]
) -> None:
    decision = committed(issued(scene, 1))
    link = f"/decisions/{decision.id}"
    form = f'action="{link}/annulment-request"'
    offered = {
        role: form in clients[role].get(link).get_data(as_text=True)
        for role in ("secretariat", "chair", "admin")
    }

    sent = clients["secretariat"].post_form(f"{link}/annulment-request", {"reason": REASON})
    chair_told = notified(scene.chair, NotificationKind.ANNULMENT_REQUESTED)
    listed = dashboard_list(clients["chair"])
    page = clients["chair"].get(link).get_data(as_text=True)
    dismissed = clients["chair"].post_form(
        f"{link}/annulment-request/dismiss", {"note": "Đã xác minh lại, hồ sơ đúng"}
    )
    listed_after = dashboard_list(clients["chair"])

    assert offered == {"secretariat": True, "chair": False, "admin": False}
    assert sent.status_code == 302
    assert chair_told == [
        (f"Phạm Văn Đức proposes to annul decision {decision.reference}. Reason: {REASON}", link)
    ]
    assert listed == (1, [f"{link}#annulment-request"])
    assert REASON in page and "Proposed by Phạm Văn Đức" in page
    assert f'action="{link}/annulment-request/dismiss"' in page
    # The annul form starts from the proposal's reason.
    assert re.search(rf'<textarea[^>]*name="reason"[^>]*>\s*{REASON}</textarea>', page)
    assert dismissed.status_code == 302
    assert proposals(decision) == [("dismissed", REASON, "Đã xác minh lại, hồ sơ đúng")]
    assert decision.state == "issued"
    assert notified(scene.secretariat, NotificationKind.ANNULMENT_DISMISSED) == [
        (
            f"The chair dismissed the proposal to annul decision {decision.reference}. Reason: "
            "Đã xác minh lại, hồ sơ đúng",
            link,
        )
    ]
    assert listed_after == (None, [])
    assert decision_logged(decision)[-2:] == [
        ("request_annulment", "Propose to annul", REASON),
        ("dismiss_annulment", "Dismiss the proposal to annul", "Đã xác minh lại, hồ sơ đúng"),
    ]


def test_annulling_grants_the_proposal_and_revokes_the_certificates(
    scene: Scene, clients: dict[str, Client]
) -> None:
    decision = committed(issued(scene, 2))
    link = f"/decisions/{decision.id}"
    clients["secretariat"].post_form(f"{link}/annulment-request", {"reason": REASON})

    done = clients["chair"].post_form(f"{link}/annul", {"reason": REASON})

    assert done.status_code == 302
    assert proposals(decision) == [("granted", REASON, REASON)]
    granted = db.session.scalars(select(AnnulmentRequest)).one()
    assert (granted.decided_by_id, granted.decided_at) == (scene.chair.id, decision.annulled_at)
    assert (decision.state, [c.state for c in certificates_of(decision)]) == (
        "annulled",
        ["revoked", "revoked"],
    )
    assert dashboard_list(clients["chair"]) == (None, [])


def test_the_chair_still_annuls_without_a_proposal(scene: Scene) -> None:
    decision = issued(scene, 1)

    services.annul_decision(decision, actor=scene.chair, reason="Sai sót")

    assert (decision.state, proposals(decision)) == ("annulled", [])


def test_a_second_waiting_proposal_is_refused(scene: Scene, clients: dict[str, Client]) -> None:
    decision = committed(issued(scene, 1))
    url = f"/decisions/{decision.id}/annulment-request"
    clients["secretariat"].post_form(url, {"reason": REASON})

    again = clients["secretariat"].post_form(
        url,
        {"reason": "Khiếu nại"},
        headers={"Referer": f"http://localhost/decisions/{decision.id}"},
        follow_redirects=True,
    )

    assert (
        "danger",
        "A proposal to annul this decision already waits for the chair; it must be decided "
        "before another is made.",
    ) in flashes(again.get_data(as_text=True))
    assert proposals(decision) == [("pending", REASON, "")]
    page = clients["secretariat"].get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert f'action="{url}"' not in page  # no second form offered


def test_the_database_keeps_one_waiting_proposal_per_decision(scene: Scene) -> None:
    decision = issued(scene, 1)
    annulments.request_annulment(decision, actor=scene.secretariat, reason=REASON)
    twin = AnnulmentRequest(
        decision_id=decision.id, reason="x", requested_by_id=scene.secretariat.id
    )

    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(twin)

    # A dismissed one leaves room for a new proposal.
    annulments.dismiss_annulment_request(decision, actor=scene.chair, note="Không có căn cứ")
    annulments.request_annulment(decision, actor=scene.secretariat, reason="Khiếu nại mới")
    assert [p[0] for p in proposals(decision)] == ["dismissed", "pending"]


def test_only_an_issued_decision_can_be_proposed(scene: Scene) -> None:
    draft = drafted(scene, [passed(scene, name="Ấp Nháp")])
    annulled = issued(scene, 1)
    services.annul_decision(annulled, actor=scene.chair, reason="Sai sót")

    refusals = []
    for decision in (draft, annulled):
        with pytest.raises(InvalidTransition) as refused:
            annulments.request_annulment(decision, actor=scene.secretariat, reason=REASON)
        refusals.append(refused.value.message)

    assert refusals == ["Only an issued decision can be proposed for annulment."] * 2
    assert db.session.scalars(select(AnnulmentRequest)).all() == []


def test_a_proposal_needs_a_reason_and_a_dismissal_a_note(
    scene: Scene, clients: dict[str, Client]
) -> None:
    decision = committed(issued(scene, 1))
    link = f"/decisions/{decision.id}"

    empty = clients["secretariat"].post_form(
        f"{link}/annulment-request", {"reason": "  "}, follow_redirects=True
    )
    with pytest.raises(DomainError):
        annulments.request_annulment(decision, actor=scene.secretariat, reason=" \n ")
    clients["secretariat"].post_form(f"{link}/annulment-request", {"reason": REASON})
    no_note = clients["chair"].post_form(
        f"{link}/annulment-request/dismiss", {"note": ""}, follow_redirects=True
    )

    assert ("danger", "Please give a reason.") in flashes(empty.get_data(as_text=True))
    assert ("danger", "Please say why the proposal is dismissed.") in flashes(
        no_note.get_data(as_text=True)
    )
    assert proposals(decision) == [("pending", REASON, "")]


def test_dismissing_with_nothing_waiting_is_refused(scene: Scene) -> None:
    decision = issued(scene, 1)

    with pytest.raises(DomainError) as refused:
        annulments.dismiss_annulment_request(decision, actor=scene.chair, note="Không")

    assert refused.value.message == "No proposal to annul this decision is waiting."


@pytest.mark.parametrize("role", ["nominator", "council_member", "chair", "admin"])
def test_only_the_secretariat_proposes(scene: Scene, clients: dict[str, Client], role: str) -> None:
    decision = committed(issued(scene, 1))

    response = clients[role].post_form(
        f"/decisions/{decision.id}/annulment-request", {"reason": REASON}
    )

    assert response.status_code == 403
    with pytest.raises(NotAllowed):
        annulments.request_annulment(decision, actor=scene.users[role], reason=REASON)
    assert proposals(decision) == []


@pytest.mark.parametrize("role", ["nominator", "council_member", "secretariat", "admin"])
def test_only_the_chair_dismisses(scene: Scene, clients: dict[str, Client], role: str) -> None:
    decision = issued(scene, 1)
    annulments.request_annulment(decision, actor=scene.secretariat, reason=REASON)
    committed(decision)

    response = clients[role].post_form(
        f"/decisions/{decision.id}/annulment-request/dismiss", {"note": "Không"}
    )

    assert response.status_code == 403
    assert proposals(decision) == [("pending", REASON, "")]


def test_the_secretariat_of_another_body_cannot_propose(scene: Scene) -> None:
    decision = issued(scene, 1)

    with pytest.raises(NotAllowed):
        annulments.request_annulment(decision, actor=scene.other_secretariat, reason=REASON)


def test_the_dashboard_queries_do_not_grow_with_the_proposals(
    app: Flask, scene: Scene, count_queries: Any
) -> None:
    first = issued(scene, 1, names=["Ấp Một"])
    annulments.request_annulment(first, actor=scene.secretariat, reason=REASON)
    db.session.commit()
    chair = client_for(app, scene.chair)
    chair.get("/dashboard")
    with count_queries() as few:
        chair.get("/dashboard")
    for i in range(3):
        more = issued(scene, 1, names=[f"Ấp Nhiều {i}"])
        annulments.request_annulment(more, actor=scene.secretariat, reason=REASON)
    db.session.commit()

    with count_queries() as many:
        listed = dashboard_list(chair)

    assert (listed[0], len(listed[1])) == (4, 4)
    assert many() == few()


def test_a_proposal_made_again_in_the_same_words_is_told_again(
    scene: Scene, clients: dict[str, Client]
) -> None:
    decision = committed(issued(scene, 1))
    link = f"/decisions/{decision.id}"
    for _ in range(2):
        clients["secretariat"].post_form(f"{link}/annulment-request", {"reason": REASON})
        clients["chair"].post_form(f"{link}/annulment-request/dismiss", {"note": "Chưa đủ căn cứ"})

    assert len(notified(scene.chair, NotificationKind.ANNULMENT_REQUESTED)) == 2
    assert len(notified(scene.secretariat, NotificationKind.ANNULMENT_DISMISSED)) == 2
