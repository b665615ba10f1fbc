"""The session's and the agenda item's lives: the transition matrix (every state × action ×
role), the buttons the page draws from it, the refusals of forced actions, and the audit
events of a whole vote (a sound chain that never names a choice or a receipt)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.auth.models import RoleGrant
from recognition.common.audit import AuditEvent, ObjectKind, verify_chain
from recognition.council import services
from recognition.council.enums import (
    Choice,
    CouncilAction,
    CouncilRole,
    ItemAction,
    ItemState,
    Presence,
    SessionAction,
    SessionState,
)
from recognition.council.models import CouncilSession
from recognition.council.workflow import ITEM_LIFE, SESSION_LIFE
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from tests.council.helpers import (
    accepted,
    client_for,
    new_session,
    roll,
    seat,
    seat_council,
    vote_all,
    voting_session,
)
from tests.support.factories import UserFactory
from tests.workflow.helpers import OPENS, Scene, build_scene, error_page

pytestmark = pytest.mark.integration

S, A = SessionState, SessionAction
ROLES = ("secretariat", "chair", "council_member", "nominator", "other_secretariat", "admin")

# (action, from state) → who may, and the state it leads to. Everything else is refused.
MATRIX: dict[tuple[SessionAction, SessionState], tuple[frozenset[str], SessionState]] = {
    (A.OPEN, S.PLANNED): (frozenset({"secretariat"}), S.VOTING),
    (A.CLOSE, S.VOTING): (frozenset({"secretariat", "chair"}), S.CLOSED),
}


@pytest.fixture(autouse=True)
def _english(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


def session_in(scene: Scene, state: SessionState) -> CouncilSession:
    """A session of the scene's seated council, in `state`, with one item everyone attends."""
    session = new_session(scene, [accepted(scene)])
    if state != S.PLANNED:
        services.open_vote(session, actor=scene.secretariat)
    if state == S.CLOSED:
        services.close_vote(session, actor=scene.secretariat)
    return session


def session_events(session: CouncilSession) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.object_kind == ObjectKind.COUNCIL_SESSION,
                AuditEvent.object_id == session.id,
            )
            .order_by(AuditEvent.id)
        )
    )


@pytest.mark.no_database
def test_the_table_is_the_matrix() -> None:
    found = {
        (action, source): transition.target
        for action, transition in SESSION_LIFE.table.items()
        for source in transition.sources
    }
    assert found == {key: target for key, (_who, target) in MATRIX.items()}


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("action", [A.OPEN, A.CLOSE])
@pytest.mark.parametrize("role", ROLES)
def test_every_state_action_and_role(state: SessionState, action: SessionAction, role: str) -> None:
    scene = build_scene()
    seat_council(scene, size=5)
    session = session_in(scene, state)
    actor = getattr(scene, role)
    allowed, target = MATRIX.get((action, state), (frozenset(), state))
    before = len(session_events(session))
    run = services.open_vote if action == A.OPEN else services.close_vote

    if (action, state) not in MATRIX:
        with pytest.raises(InvalidTransition) as refused:
            run(session, actor=actor)
        assert refused.value.status_code == 409
        assert refused.value.message in (
            "The agenda and attendance can only change before the vote opens.",
            "The vote of this session is not open.",
        )
    elif role not in allowed:
        with pytest.raises(NotAllowed) as refused:
            run(session, actor=actor)
        assert refused.value.status_code == 403
        assert refused.value.message == f"You may not do “{action.label}” here."
    else:
        run(session, actor=actor)
        event = session_events(session)[-1]
        assert (event.action, event.from_state, event.to_state, event.actor_id) == (
            action.value,
            state.value,
            target.value,
            actor.id,
        )
    assert session.state == (target if role in allowed else state)
    assert len(session_events(session)) == before + (1 if role in allowed else 0)


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("role", ("secretariat", "chair", "council_member"))
def test_the_page_offers_what_the_table_allows(app: Flask, state: SessionState, role: str) -> None:
    scene = build_scene()
    scene.award.chair_must_approve = True  # the chair's approval is offered where it counts
    seat_council(scene, size=5)
    session = session_in(scene, state)
    db.session.commit()
    user = getattr(scene, role)

    page = client_for(app, user).get(f"/council/sessions/{session.id}").get_data(as_text=True)

    offered = {
        action
        for action in (A.OPEN, A.CLOSE)
        if f'action="/council/sessions/{session.id}/{action.value}"' in page
    }
    assert offered == set(SESSION_LIFE.available(user, session))
    assert offered == {
        action for (action, source), (who, _t) in MATRIX.items() if source == state and role in who
    }
    approve = f'action="/council/sessions/{session.id}/approve"' in page
    assert approve == (state == S.VOTING and role == "chair")


@pytest.mark.parametrize(
    ("state", "role", "url", "status", "message"),
    [
        (S.VOTING, "secretariat", "open", 409, "The agenda and attendance can only change"),
        (S.CLOSED, "chair", "close", 409, "The vote of this session is not open."),
        (S.PLANNED, "secretariat", "close", 409, "The vote of this session is not open."),
        (S.PLANNED, "chair", "open", 403, ""),
        (S.VOTING, "council_member", "close", 403, ""),
        (S.VOTING, "secretariat", "approve", 403, ""),
    ],
)
def test_a_forced_action_is_refused_with_a_message(
    app: Flask, state: SessionState, role: str, url: str, status: int, message: str
) -> None:
    scene = build_scene()
    seat_council(scene, size=5)
    session = session_in(scene, state)
    db.session.commit()
    events = len(session_events(session))

    response = client_for(app, getattr(scene, role)).post_form(
        f"/council/sessions/{session.id}/{url}"
    )

    assert response.status_code == status
    assert message in error_page(response.get_data(as_text=True))[1]
    db.session.expire_all()
    assert (db.session.get(CouncilSession, session.id).state, len(session_events(session))) == (
        state,
        events,
    )


def test_an_item_closes_once_from_pending_to_its_outcome() -> None:
    scene = build_scene()
    seat_council(scene, size=5)
    session = voting_session(scene, [accepted(scene)])
    item = session.items[0]
    assert (item.state, item.outcome) == (ItemState.PENDING, None)
    assert ITEM_LIFE.available(scene.council_member, item) == []
    assert ITEM_LIFE.available(scene.chair, item) == [ItemAction.CLOSE]

    vote_all(item, [Choice.AGREE] * 5, roll(session))
    services.close_vote(session, actor=scene.chair)

    assert (item.state, item.outcome) == (ItemState.PASSED, "passed")
    with pytest.raises(InvalidTransition):
        ITEM_LIFE.apply(item, ItemAction.CLOSE, actor=scene.chair, outcome=ItemState.FAILED)


def test_a_whole_vote_leaves_its_events_and_a_sound_chain_without_any_choice() -> None:
    scene = build_scene()
    seats = seat_council(scene, size=5)
    first, second = accepted(scene), accepted(scene)
    session = new_session(scene, [first, second])
    services.set_attendance(
        session, {m.id: "present" for m in roll(session)[:4]}, actor=scene.secretariat
    )
    services.open_vote(session, actor=scene.secretariat)
    before_votes = db.session.query(AuditEvent).count()
    trackers = [
        services.cast_vote(item, member, choice)
        for item in session.items
        for member, choice in zip(
            roll(session)[:4],
            [Choice.AGREE, Choice.AGREE, Choice.DISAGREE, Choice.AGREE],
            strict=True,
        )
    ]
    assert db.session.query(AuditEvent).count() == before_votes  # a vote writes no event
    services.approve_as_chair(session, actor=scene.chair)
    services.close_vote(session, actor=scene.chair)
    services.end_term(seats[-1], on=session.held_on, actor=scene.secretariat)

    assert [(e.action, e.from_state, e.to_state) for e in session_events(session)] == [
        ("create", "", "planned"),
        ("attendance", "", "planned"),
        ("attendance", "", "planned"),
        ("open", "planned", "voting"),
        ("approve", "", "voting"),
        ("close", "voting", "closed"),
    ]
    items = list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_kind == ObjectKind.AGENDA_ITEM)
            .order_by(AuditEvent.id)
        )
    )
    added = [(item.id, "add", "pending") for item in session.items]
    closed = [(item.id, "close", item.state.value) for item in session.items]
    assert [(e.object_id, e.action, e.to_state) for e in items] == added + closed
    assert {item.state for item in session.items} <= {ItemState.PASSED, ItemState.FAILED}
    council = list(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_kind == ObjectKind.COUNCIL)
        )
    )
    assert council == [CouncilAction.ADD_MEMBER] * 5 + [CouncilAction.END_TERM]
    every = list(db.session.scalars(select(AuditEvent)))
    written = " ".join(f"{e.subject} {e.action} {e.comment}" for e in every)
    assert [t for t in trackers if t in written] == []
    assert "agree" not in {e.action for e in every} | {e.to_state for e in every}
    assert verify_chain()[1] == []


def test_attendance_changes_name_the_members_and_nothing_when_unchanged(app: Flask) -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    session = new_session(scene, [], present=0)
    member = seat(session, scene.chair)
    events = len(session_events(session))

    services.set_attendance(session, {member.id: "writing"}, actor=scene.secretariat)
    services.set_attendance(session, {member.id: "writing"}, actor=scene.secretariat)

    with force_locale(app.config["BABEL_DEFAULT_LOCALE"]):
        comment = f"{scene.chair.full_name}: {Presence.ABSENT.label} → {Presence.WRITING.label}"
    changed = session_events(session)[events:]
    assert [(e.action, e.comment, e.actor_id) for e in changed] == [
        ("attendance", comment, scene.secretariat.id)
    ]


def test_a_seat_is_offered_only_to_people_of_the_body(app: Flask) -> None:
    # A seat grants a role on the body: the page offers the people who hold a role on the
    # body or a unit within it, not the installation's every account, nor an API client's.
    scene = build_scene()
    seat_council(scene, size=1)
    inside = UserFactory(full_name="Người Trong Huyện")
    outside = UserFactory(full_name="Người Ngoài Huyện")
    system = UserFactory(username="api-0a1b2c3d4e5f", full_name="API · Cổng thử")
    db.session.add_all(
        [
            RoleGrant(user=inside, unit=scene.commune_b, role=Role.NOMINATOR),
            RoleGrant(user=outside, unit=scene.province, role=Role.NOMINATOR),
            RoleGrant(user=system, unit=scene.hamlet_a, role=Role.NOMINATOR),
        ]
    )
    db.session.commit()
    client = client_for(app, scene.secretariat)

    page = client.get(f"/council/members/{scene.body.id}").get_data(as_text=True)
    assert "Người Trong Huyện" in page
    assert "Người Ngoài Huyện" not in page and "API · Cổng thử" not in page
    for stranger in (outside, system):
        response = client.post_form(
            f"/council/members/{scene.body.id}",
            {"user_id": stranger.id, "role": "chair", "term_start": "2025-01-01"},
        )
        assert response.status_code == 200
        assert not stranger.holds(Role.COUNCIL_MEMBER, scene.body)
    with pytest.raises(DomainError):
        services.add_member(scene.body, system, role=CouncilRole.MEMBER, term_start=OPENS)


def test_a_member_added_by_the_page_is_audited_with_the_actor(app: Flask) -> None:
    scene = build_scene()
    seat_council(scene, size=2)
    newcomer = UserFactory(full_name="Lý Thị Mới")
    db.session.add(RoleGrant(user=newcomer, unit=scene.hamlet_a, role=Role.NOMINATOR))
    db.session.commit()

    response = client_for(app, scene.secretariat).post_form(
        f"/council/members/{scene.body.id}",
        {"user_id": newcomer.id, "role": "member", "term_start": "2025-01-01"},
    )

    assert response.status_code == 302
    event = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_kind == ObjectKind.COUNCIL)
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None
    assert (event.object_id, event.action, event.actor_id, event.subject) == (
        scene.body.id,
        "add_member",
        scene.secretariat.id,
        scene.body.name,
    )
    assert event.comment.startswith("Lý Thị Mới — ")
