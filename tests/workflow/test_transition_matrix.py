"""The nomination's life, checked against docs/design.md: every state × action × role.

The expectation is the design's table written out again here, not read from the code's
TRANSITIONS: the point is to find where the code and the design disagree.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask_babel import force_locale

from recognition.common.audit import AuditHead, event_digest
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.workflow import (
    PAGE_ACTIONS,
    TRANSITIONS,
    apply_transition,
    available_actions,
)
from tests.workflow.helpers import (
    INSIDE,
    ROLES,
    Scene,
    build_scene,
    dossier_in,
    error_page,
    events_of,
    flashes,
    offered_actions,
)

pytestmark = pytest.mark.integration

S = NominationState

# docs/design.md, "The nomination's life": action → (from states, to state, who may do it).
# close_vote goes to passed or failed; the matrix asks for `passed` (the outcome is given).
DESIGN: dict[str, tuple[frozenset[str], str, frozenset[str]]] = {
    "submit": (frozenset({"draft"}), "submitted", frozenset({"nominator"})),
    "take": (frozenset({"submitted"}), "in_review", frozenset({"secretariat"})),
    "send_back": (frozenset({"in_review"}), "returned", frozenset({"secretariat"})),
    "resubmit": (frozenset({"returned"}), "submitted", frozenset({"nominator"})),
    "reject": (frozenset({"in_review"}), "rejected", frozenset({"secretariat"})),
    "accept": (frozenset({"in_review"}), "accepted", frozenset({"secretariat"})),
    "schedule": (frozenset({"accepted"}), "on_agenda", frozenset({"secretariat"})),
    "unschedule": (frozenset({"on_agenda"}), "accepted", frozenset({"secretariat"})),
    "pass_simplified": (frozenset({"accepted"}), "passed", frozenset({"chair"})),
    "close_vote": (frozenset({"on_agenda"}), "passed", frozenset({"chair", "secretariat"})),
    "award": (frozenset({"passed"}), "awarded", frozenset({"chair"})),
    "annul": (frozenset({"awarded"}), "annulled", frozenset({"chair"})),
    "withdraw": (
        frozenset({"draft", "submitted", "returned", "accepted"}),
        "withdrawn",
        frozenset({"nominator"}),
    ),
    "reopen": (frozenset({"rejected", "failed"}), "in_review", frozenset({"chair"})),
}
ALL_STATES = (
    "draft",
    "submitted",
    "in_review",
    "returned",
    "accepted",
    "rejected",
    "on_agenda",
    "passed",
    "failed",
    "awarded",
    "annulled",
    "withdrawn",
)
COMMENT = "Lý do: kiểm tra ma trận"

# Where the code knowingly departs from the table, with the reason given in the code. Each
# entry is a question for docs/design.md; anything else that differs fails the matrix.
DEVIATIONS: set[tuple[str, str]] = set()


def sources_of(action: str) -> frozenset[str]:
    """The design's source states of `action`, less the known deviations."""
    return frozenset(s for s in DESIGN[action][0] if (s, action) not in DEVIATIONS)


def expected_outcome(state: str, action: str, role: str) -> str:
    sources, target, roles = DESIGN[action]
    if state not in sources or (state, action) in DEVIATIONS:
        return "409"
    if role not in roles:
        return "403"
    return f"→{target}"


@pytest.fixture(autouse=True)
def _request() -> Iterator[None]:
    with force_locale("en"):
        yield


@pytest.fixture
def _in_request(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.mark.no_database
def test_the_design_names_every_state_and_the_code_every_action() -> None:
    assert (
        sorted(s.value for s in NominationState),
        sorted(a.value for a in TRANSITIONS),
    ) == (sorted(ALL_STATES), sorted(DESIGN))


def _attempt(scene: Scene, nomination: Nomination, action: str, role: str) -> str:
    """Try one action as one role; returns "403", "409" or "→target" (event checked)."""
    actor = scene.users[role]
    head = db.session.get(AuditHead, 1)
    head_before = head.last_hash if head else "0" * 64
    before_events = len(events_of(nomination))
    source = nomination.state
    try:
        event = apply_transition(
            nomination,
            Action(action),
            actor=actor,
            comment=COMMENT,
            expected_version=nomination.version,
            outcome=S.PASSED if action == "close_vote" else None,
            today=INSIDE,
        )
    except NotAllowed:
        return "403"
    except InvalidTransition:
        return "409"
    except DomainError as error:
        return f"guard: {error.message}"
    db.session.flush()
    db.session.expire_all()
    stored = db.session.get(Nomination, nomination.id)
    events = events_of(stored)
    head = db.session.get(AuditHead, 1)
    seen = (
        len(events) - before_events,
        (event.action, event.from_state, event.to_state, event.actor_id, event.comment),
        event.version == stored.version,
        event.prev_hash == head_before,
        event.hash == event_digest(event),
        head.last_hash == event.hash,
    )
    wanted = (1, (action, source, stored.state, actor.id, COMMENT), True, True, True, True)
    if seen != wanted:
        return f"→{stored.state} but the event is wrong: {seen}"
    return f"→{stored.state}"


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.usefixtures("_in_request")
def test_every_action_by_every_role(state: str) -> None:
    scene = build_scene()
    nomination = dossier_in(scene, S(state))
    found: dict[tuple[str, str], str] = {}
    for action in DESIGN:
        for role in ROLES:
            savepoint = db.session.begin_nested()
            try:
                found[(action, role)] = _attempt(scene, nomination, action, role)
            finally:
                savepoint.rollback()
                db.session.expire_all()
            assert nomination.state == state  # the savepoint undid the attempt

    expected = {
        (action, role): expected_outcome(state, action, role) for action in DESIGN for role in ROLES
    }
    assert found == expected


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.usefixtures("_in_request")
def test_available_actions_are_the_designs_page_actions(state: str) -> None:
    scene = build_scene()
    nomination = dossier_in(scene, S(state))

    found = {
        role: {a.value for a in available_actions(scene.users[role], nomination)} for role in ROLES
    }

    expected = {
        role: {
            a.value for a in PAGE_ACTIONS if expected_outcome(state, a.value, role).startswith("→")
        }
        for role in ROLES
    }
    assert found == expected


@pytest.mark.usefixtures("_in_request")
def test_edit_is_not_a_transition_in_any_state() -> None:
    scene = build_scene()
    found = {}
    for state in ALL_STATES:
        nomination = dossier_in(scene, S(state))
        try:
            apply_transition(nomination, Action.EDIT, actor=scene.nominator, today=INSIDE)
        except InvalidTransition:
            found[state] = "409"
        else:
            found[state] = nomination.state
    assert found == dict.fromkeys(ALL_STATES, "409")


@pytest.mark.usefixtures("_in_request")
def test_close_vote_takes_the_computed_outcome_and_nothing_else() -> None:
    scene = build_scene()
    failed = dossier_in(scene, S.ON_AGENDA)
    passed = dossier_in(scene, S.ON_AGENDA)
    odd = dossier_in(scene, S.ON_AGENDA)
    missing = dossier_in(scene, S.ON_AGENDA)
    setup = len(events_of(odd))  # the same history for each

    apply_transition(failed, Action.CLOSE_VOTE, actor=scene.secretariat, outcome=S.FAILED)
    apply_transition(passed, Action.CLOSE_VOTE, actor=scene.chair, outcome=S.PASSED)
    refused = []
    for nomination, outcome in ((odd, S.AWARDED), (missing, None)):
        with pytest.raises(InvalidTransition) as error:
            apply_transition(nomination, Action.CLOSE_VOTE, actor=scene.chair, outcome=outcome)
        refused.append((error.value.message, nomination.state, len(events_of(nomination)) - setup))

    assert (failed.state, passed.state, refused) == (
        "failed",
        "passed",
        [
            ("The outcome of this action is not valid.", "on_agenda", 0),
            ("The outcome of this action is not valid.", "on_agenda", 0),
        ],
    )


# --- through HTTP ---------------------------------------------------------------------------


def _gallery(scene: Scene) -> dict[str, Nomination]:
    """One complete, appraised dossier in each state (distinct nominees)."""
    gallery = {state: dossier_in(scene, S(state)) for state in ALL_STATES}
    db.session.commit()
    return gallery


def test_pages_offer_exactly_the_designs_actions(as_user, client) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene()
    gallery = _gallery(scene)
    found: dict[tuple[str, str], set[str]] = {}
    for role in ROLES:
        as_user(scene.users[role])
        for state, nomination in gallery.items():
            response = client.get(f"/nominations/{nomination.id}")
            offered = (
                offered_actions(response.get_data(as_text=True), nomination.id)
                if response.status_code == 200
                else set()
            )
            found[(state, role)] = offered
            assert response.status_code in (200, 403)
        client.post_form("/logout")

    expected = {
        (state, role): {
            a.value for a in PAGE_ACTIONS if expected_outcome(state, a.value, role).startswith("→")
        }
        for state in ALL_STATES
        for role in ROLES
    }
    # The design lets a nominator withdraw a draft; the page offers deleting the draft instead
    # (a draft never sent is deleted, not withdrawn), and the action stays possible by a POST.
    expected[("draft", "nominator")] -= {"withdraw"}
    assert found == expected


def test_a_forced_impossible_action_is_a_readable_409(as_user, client) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene()
    gallery = _gallery(scene)
    as_user(scene.nominator)  # the nominator sees its dossiers in every state
    found: dict[tuple[str, str], tuple[int, str]] = {}
    expected: dict[tuple[str, str], tuple[int, str]] = {}
    labels = {s: s.label for s in S}
    for state, nomination in gallery.items():
        for action in PAGE_ACTIONS:
            target = DESIGN[action.value][1]
            if state in sources_of(action.value):
                continue
            response = client.post_form(
                f"/nominations/{nomination.id}/do/{action.value}",
                {"version": str(nomination.version), "comment": COMMENT},
            )
            if response.status_code == 302:
                page = client.get(response.headers["Location"]).get_data(as_text=True)
                found[(state, action.value)] = (302, " ".join(text for _c, text in flashes(page)))
            else:
                found[(state, action.value)] = (
                    response.status_code,
                    " | ".join(error_page(response.get_data(as_text=True))),
                )
            if state == target:  # a repeated click: the dossier is already where it would go
                expected[(state, action.value)] = (
                    302,
                    f"This was already done: the dossier is “{labels[S(state)]}”.",
                )
            else:
                expected[(state, action.value)] = (
                    409,
                    "This action cannot be done now | "
                    f"“{action.label}” is not possible while the dossier is "
                    f"“{labels[S(state)]}”.",
                )
    assert found == expected
    assert {n.id: n.state for n in gallery.values()} == {
        n.id: state for state, n in gallery.items()
    }


def test_a_role_refusal_is_a_403(as_user, client) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene()
    gallery = _gallery(scene)
    found: dict[tuple[str, str, str], int] = {}
    for role in ROLES:
        as_user(scene.users[role])
        for action in PAGE_ACTIONS:
            if role in DESIGN[action.value][2]:
                continue
            for state in sources_of(action.value):
                nomination = gallery[state]
                response = client.post_form(
                    f"/nominations/{nomination.id}/do/{action.value}",
                    {"version": str(nomination.version), "comment": COMMENT},
                )
                found[(role, action.value, state)] = response.status_code
        client.post_form("/logout")

    expected = {
        (role, action.value, state): 403
        for role in ROLES
        for action in PAGE_ACTIONS
        if role not in DESIGN[action.value][2]
        for state in sources_of(action.value)
    }
    assert found == expected
    db.session.expire_all()
    assert {state: db.session.get(Nomination, n.id).state for state, n in gallery.items()} == {
        state: state for state in ALL_STATES
    }


def test_an_allowed_action_through_the_page(as_user, client) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene()
    nomination = dossier_in(scene, S.SUBMITTED)
    db.session.commit()
    as_user(scene.secretariat)

    response = client.post_form(
        f"/nominations/{nomination.id}/do/take", {"version": str(nomination.version)}
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)

    db.session.expire_all()
    assert (
        response.status_code,
        flashes(page),
        nomination.state,
        events_of(nomination)[-1].action,
    ) == (
        302,
        [("success", "The appraisal of the dossier has started.")],
        "in_review",
        "take",
    )
