"""A unit's life, exhaustively: every state × action × role gives the new state and one audit
event, or a refusal with its message (409 for the wrong state, 403 for the wrong role)."""

from collections.abc import Iterator
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.units.enums import UnitAction, UnitKind, UnitState
from recognition.units.models import Unit
from recognition.units.workflow import LIFECYCLE, dissolve_unit, merge_unit, restore_unit
from tests.support.factories import UnitFactory, user_with

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with force_locale("en"):
        yield


S = UnitState
A = UnitAction
ON = date(2025, 7, 1)
ROLES = ("admin", "secretariat", "nominator", "anonymous")
# The state each action leads to, from the states it may start in.
EXPECTED = {
    A.MERGE: ({S.ACTIVE}, S.MERGED),
    A.DISSOLVE: ({S.ACTIVE}, S.DISSOLVED),
    A.RESTORE: ({S.MERGED, S.DISSOLVED}, S.ACTIVE),
}


class Anonymous:
    is_authenticated = False
    is_active = False
    is_admin = False
    id = None


def _actor(role: str, root: Unit) -> object:
    if role == "anonymous":
        return Anonymous()
    return user_with(
        {"admin": Role.ADMIN, "secretariat": Role.SECRETARIAT}.get(role, Role.NOMINATOR), root
    )


def _scene(state: UnitState) -> tuple[Unit, Unit, User]:
    """A commune in `state` under a province, and the commune that would succeed it."""
    # One province per scene: a test may set several side by side (names differ per parent).
    root = UnitFactory(
        name=f"Tỉnh Bến Tre ({state.value})", kind=UnitKind.PROVINCE, is_awarding_body=True
    )
    commune = UnitFactory(name="Xã Sơn Định", parent=root)
    successor = UnitFactory(name="Xã Vĩnh Thành", parent=root)
    keeper = user_with(Role.ADMIN, root)
    if state == S.DISSOLVED:
        dissolve_unit(commune, actor=keeper, on=ON)
    elif state == S.MERGED:
        merge_unit(commune, successor=successor, actor=keeper, on=ON)
    return commune, successor, keeper


def _take(action: UnitAction, unit: Unit, successor: Unit, actor: object) -> None:
    if action == A.MERGE:
        merge_unit(unit, successor=successor, actor=actor, on=ON)
    elif action == A.DISSOLVE:
        dissolve_unit(unit, actor=actor, on=ON)
    else:
        restore_unit(unit, actor=actor)


def _events(unit: Unit) -> list[tuple[str, str, str]]:
    return [
        (event.action, event.from_state, event.to_state)
        for event in db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_kind == ObjectKind.UNIT, AuditEvent.object_id == unit.id)
            .order_by(AuditEvent.id)
        )
    ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("state", list(S))
def test_unit_transition_matrix(state: UnitState, action: UnitAction, role: str) -> None:
    unit, successor, _ = _scene(state)
    actor = _actor(role, unit.parent or unit)
    before = _events(unit)
    sources, target = EXPECTED[action]

    if state not in sources:
        with pytest.raises(InvalidTransition) as refused:
            _take(action, unit, successor, actor)
        assert refused.value.message == (
            f"“{action.label}” is not possible while the unit is “{state.label}”."
        )
        assert (unit.state, _events(unit)) == (state, before)
    elif role != "admin":
        with pytest.raises(NotAllowed) as refused:
            _take(action, unit, successor, actor)
        assert refused.value.message == f"You may not do “{action.label}” on this unit."
        assert (unit.state, _events(unit)) == (state, before)
    else:
        _take(action, unit, successor, actor)
        db.session.expire_all()
        stored = db.session.get(Unit, unit.id)
        assert stored.state == target
        assert _events(stored) == [*before, (action.value, state.value, target.value)]


def test_merging_names_the_successor_ends_the_unit_and_moves_its_sub_units() -> None:
    unit, successor, keeper = _scene(S.ACTIVE)
    hamlet = UnitFactory(name="Ấp Phú Hòa", kind=UnitKind.HAMLET, parent=unit)

    merge_unit(unit, successor=successor, actor=keeper, on=ON, comment="Nghị quyết 1/2025")

    db.session.expire_all()
    stored, moved = db.session.get(Unit, unit.id), db.session.get(Unit, hamlet.id)
    assert (stored.state, stored.successor_id, stored.valid_to) == (S.MERGED, successor.id, ON)
    assert (moved.parent_id, moved.state, moved.path) == (
        successor.id,
        S.ACTIVE,
        f"{successor.path}{hamlet.id}/",
    )
    assert _events(moved)[-1] == ("move", "", "")


def test_a_merge_needs_a_successor_outside_the_unit() -> None:
    unit, _, keeper = _scene(S.ACTIVE)
    inside = UnitFactory(parent=unit)

    for successor, message in (
        (None, "Choose the unit it is merged into."),
        (inside, "A unit cannot be merged into itself or one of its own sub-units."),
    ):
        with pytest.raises(DomainError) as refused:
            merge_unit(unit, successor=successor, actor=keeper, on=ON)
        assert str(refused.value) == message
        assert (unit.state, unit.successor_id) == (S.ACTIVE, None)


def test_restoring_a_merged_unit_forgets_its_successor() -> None:
    unit, _, keeper = _scene(S.MERGED)

    restore_unit(unit, actor=keeper)

    assert (unit.state, unit.successor_id, unit.valid_to) == (S.ACTIVE, None, None)


def test_an_admin_whose_grant_is_inside_the_subtree_dissolves_it_whole() -> None:
    root = UnitFactory(name="Huyện Chợ Lách", kind=UnitKind.DISTRICT)
    commune = UnitFactory(parent=root)
    keeper = user_with(Role.ADMIN, root)

    assert dissolve_unit(root, actor=keeper, on=ON) == 2

    states = db.session.scalars(select(Unit.state).where(Unit.id.in_([root.id, commune.id])))
    assert set(states) == {S.DISSOLVED}


def test_the_page_offers_exactly_the_possible_actions() -> None:
    for state, offered in (
        (S.ACTIVE, [A.MERGE, A.DISSOLVE]),
        (S.MERGED, [A.RESTORE]),
        (S.DISSOLVED, [A.RESTORE]),
    ):
        unit, _, keeper = _scene(state)
        assert LIFECYCLE.available(keeper, unit, (A.MERGE, A.DISSOLVE, A.RESTORE)) == offered
        clerk = user_with(Role.NOMINATOR, unit.parent or unit)
        assert LIFECYCLE.available(clerk, unit, (A.MERGE, A.DISSOLVE, A.RESTORE)) == []
