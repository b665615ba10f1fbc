"""An account's life, exhaustively: every state × action × role gives the new state and one
audit event, or a refusal with its message (409 wrong state, 403 wrong role); and the events
that leave the state alone (created, edited, password reset or changed, role granted or
removed) are audited without any secret."""

from collections.abc import Iterator

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from recognition.admin.services import (
    UserData,
    create_user,
    grant_role,
    reset_password,
    revoke_grant,
    update_user,
)
from recognition.auth.enums import AccountAction, AccountState, Role
from recognition.auth.models import User
from recognition.auth.passwords import hash_password
from recognition.auth.services import change_own_password
from recognition.auth.workflow import LIFECYCLE, disable_user, enable_user
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from tests.conftest import PASSWORD
from tests.support.factories import UnitFactory, UserFactory, user_with

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with force_locale("en"):
        yield


S = AccountState
A = AccountAction
EXPECTED = {A.DISABLE: (S.ACTIVE, S.DISABLED), A.ENABLE: (S.DISABLED, S.ACTIVE)}
ROLES = ("admin", "secretariat", "nominator", "self")


@pytest.fixture
def root() -> Unit:
    return UnitFactory(name="Tỉnh Bến Tre", kind=UnitKind.PROVINCE, is_awarding_body=True)


@pytest.fixture
def admin(root: Unit) -> User:
    return user_with(Role.ADMIN, root, full_name="Lê Quốc Khánh")


def _events(kind: ObjectKind, object_id: int) -> list[tuple[str, str, str, str]]:
    return [
        (e.action, e.from_state, e.to_state, e.subject)
        for e in db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_kind == kind, AuditEvent.object_id == object_id)
            .order_by(AuditEvent.id)
        )
    ]


def _take(action: AccountAction, user: User, actor: User) -> None:
    (disable_user if action == A.DISABLE else enable_user)(user, actor=actor)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("state", list(S))
def test_account_transition_matrix(
    state: AccountState, action: AccountAction, role: str, root: Unit, admin: User
) -> None:
    user = user_with(Role.NOMINATOR, root, full_name="Trương Văn Sang", username="sang")
    if state == S.DISABLED:
        disable_user(user, actor=admin)
    actor = {
        "admin": admin,
        "secretariat": user_with(Role.SECRETARIAT, root),
        "nominator": user_with(Role.NOMINATOR, root),
        "self": user,
    }[role]
    before = _events(ObjectKind.ACCOUNT, user.id)
    source, target = EXPECTED[action]

    if state != source:
        with pytest.raises(InvalidTransition) as refused:
            _take(action, user, actor)
        assert refused.value.message == (
            f"“{action.label}” is not possible while the account is “{state.label}”."
        )
    elif role == "self" and action == A.DISABLE:
        with pytest.raises(DomainError) as refused:
            _take(action, user, actor)
        assert refused.value.message == "You cannot disable your own account."
    elif role != "admin":
        with pytest.raises(NotAllowed) as refused:
            _take(action, user, actor)
        assert refused.value.message == f"You may not do “{action.label}” on this account."
    else:
        _take(action, user, actor)
        assert user.state == target
        assert (user.disabled_at is None) == (target == S.ACTIVE)
        assert _events(ObjectKind.ACCOUNT, user.id) == [
            *before,
            (action.value, source.value, target.value, "Trương Văn Sang (sang)"),
        ]
        return
    assert (user.state, _events(ObjectKind.ACCOUNT, user.id)) == (state, before)


def test_disabling_ends_every_session(admin: User) -> None:
    user = UserFactory()
    version = user.session_version

    disable_user(user, actor=admin)

    assert user.session_version == version + 1


def test_account_events_that_keep_the_state_are_audited_without_secrets(admin: User) -> None:
    user, temporary = create_user(
        UserData(username="duyen", full_name="Nguyễn Thị Mỹ Duyên"), actor=admin
    )
    update_user(
        user,
        UserData(username="duyen", full_name="Nguyễn Thị Mỹ Duyên", position="Thư ký"),
        actor=admin,
    )
    reset_password(user, actor=admin)
    user.password_hash = hash_password(PASSWORD)  # as if the user had chosen it
    change_own_password(user, current=PASSWORD, new="mot-mat-khau-moi-dai")

    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_kind == ObjectKind.ACCOUNT, AuditEvent.object_id == user.id)
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.actor_id) for e in events] == [
        ("create", admin.id),
        ("edit", admin.id),
        ("reset_password", admin.id),
        ("change_password", user.id),
    ]
    for event in events:
        text = " ".join((event.subject, event.comment, event.from_state, event.to_state))
        assert temporary not in text
        assert "mot-mat-khau-moi-dai" not in text


def test_granting_and_removing_a_role_are_audited(admin: User, root: Unit) -> None:
    user = UserFactory(full_name="Trương Văn Sang", username="sang")

    grant = grant_role(user, role=Role.SECRETARIAT, unit=root, actor=admin)
    revoke_grant(grant, actor=admin)

    assert _events(ObjectKind.ROLE_GRANT, user.id) == [
        ("grant", "", "", "Secretariat · Trương Văn Sang (sang) · Tỉnh Bến Tre"),
        ("revoke", "", "", "Secretariat · Trương Văn Sang (sang) · Tỉnh Bến Tre"),
    ]


def test_the_page_offers_exactly_the_possible_actions(admin: User, root: Unit) -> None:
    user = UserFactory()
    assert LIFECYCLE.available(admin, user) == [A.DISABLE]
    disable_user(user, actor=admin)
    assert LIFECYCLE.available(admin, user) == [A.ENABLE]
    assert LIFECYCLE.available(user_with(Role.NOMINATOR, root), user) == []
