"""Route × role access matrix, built from `app.url_map` against tests/access_table.py.

Each case takes the session of one role, sends one request (GET, or POST with a valid CSRF
token and a valid form) and compares the outcome with the table: no unauthorised 2xx, no 5xx.
A refused POST must also leave every row as it was, and so must every GET, for every role.

Some 900 cases: building the units and accounts and logging in for each would take most of a
minute, so the module builds its world once, inside an outer transaction, and each test runs
in a savepoint of it that is rolled back afterwards (the `_isolated` fixture below replaces the
conftest's for this module). The canary pair at the end proves that the rollback works.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask, url_for
from sqlalchemy import Connection, select

from recognition import create_app
from recognition.admin.services import disable_user
from recognition.auth.enums import Role
from recognition.auth.models import RoleGrant, User
from recognition.extensions import db, limiter
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from tests.access_table import (
    ACCESS,
    BAD,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    ROLES,
    UNAUTHORIZED,
)
from tests.conftest import PASSWORD, TEST_CONFIG, Client, log_in
from tests.factories import UnitFactory, user_with

pytestmark = pytest.mark.integration

NEW_PASSWORD = "Quy-trinh-xet-duyet-2024"
MISSING_ID = 987_654_321  # fits every id column, belongs to nothing
OUT_OF_RANGE_ID = 2**31  # one more than a PostgreSQL integer holds
OBJECT_ARGUMENTS = {"unit_id", "user_id"}


# --- the routes ------------------------------------------------------------------------------


def routes_of(app: Flask) -> dict[tuple[str, str], frozenset[str]]:
    """(endpoint, method) → the URL arguments of its rule, for every route but `static`."""
    routes = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes[(rule.endpoint, method)] = frozenset(rule.arguments)
    return routes


# Collection needs the routes before the session's app exists: a throwaway app (no database
# is touched) gives the same url_map, and test_table_covers_every_route checks the real one.
ROUTES = routes_of(create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"}))


def variants_of(method: str, arguments: frozenset[str]) -> list[str]:
    if arguments & OBJECT_ARGUMENTS:
        variants = ["unit_a", "unit_b", "missing", "out_of_range"]
        if "grant_id" in arguments:
            variants.append("mismatch")
    else:
        variants = ["-"]
    if method == "POST":
        variants.append("empty")  # the CSRF token alone, on the first variant's object
    return variants


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    role: str
    variant: str

    @property
    def id(self) -> str:
        return f"{self.endpoint}-{self.method}-{self.role}-{self.variant}"


CASES = [
    Case(endpoint, method, role, variant)
    for (endpoint, method), arguments in sorted(ROUTES.items())
    for variant in variants_of(method, arguments)
    for role in ROLES
]
GET_CASES = [
    Case(endpoint, "GET", role, "unit_a" if arguments & OBJECT_ARGUMENTS else "-")
    for (endpoint, method), arguments in sorted(ROUTES.items())
    if method == "GET"
    for role in ROLES
]


def expected(case: Case) -> str:
    """The table's outcome for this case (see the rules in tests/access_table.py)."""
    if case.variant == "out_of_range":
        return NOT_FOUND
    outcome = ACCESS[(case.endpoint, case.method)][case.role]
    if isinstance(outcome, str):
        base = outcome
    else:
        if case.variant in outcome:
            return outcome[case.variant]
        base = outcome.get("unit_a", outcome.get("-", ""))
    if case.variant in {"missing", "mismatch"} and base in {OK, BAD}:
        return NOT_FOUND
    return base


def outcome_of(response: Any) -> str:
    status = response.status_code
    if 200 <= status < 300:
        return OK
    if status in {301, 302, 303, 307, 308}:
        location = urlsplit(response.headers["Location"])
        if location.path == "/login" and location.query.startswith("next="):
            return LOGIN
        return OK
    codes = {400: BAD, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND}
    return codes.get(status, f"HTTP {status}")


# --- the world the cases run in --------------------------------------------------------------


@dataclass(frozen=True)
class Thing:
    """What a request needs of a unit, an account or a grant: plain values, so that building a
    URL or a form never touches the database."""

    id: int
    name: str = ""
    kind: str = ""
    code: str = ""


@dataclass
class World:
    """Two communes A and B under an awarding district; one account per role, each with a
    signed-in client; one account on each commune, with its grant, for the account routes."""

    province: Thing
    district: Thing
    units: dict[str, Thing]  # "unit_a", "unit_b"
    targets: dict[str, Thing]  # the account on each commune
    grants: dict[str, Thing]  # its nominator grant
    accounts: dict[str, Thing]  # by role
    connection: Connection
    cookie_name: str
    clients: dict[str, Client] = field(default_factory=dict)  # by role
    cookies: dict[str, str] = field(default_factory=dict)  # each client's session cookie
    rows: dict[str, tuple[int, str]] = field(default_factory=dict)  # the snapshot at the start

    def client(self, role: str) -> Client:
        """The client of `role`, with its session as it was after signing in."""
        client = self.clients[role]
        client.set_cookie(self.cookie_name, self.cookies[role])
        return client


def _thing(obj: Unit | User | RoleGrant) -> Thing:
    if isinstance(obj, Unit):
        return Thing(obj.id, obj.name, obj.kind, obj.code or "")
    if isinstance(obj, User):
        return Thing(obj.id, obj.username)
    return Thing(obj.id)


def build_world(connection: Connection, cookie_name: str) -> World:
    province = UnitFactory(name="Tỉnh Thử", kind=UnitKind.PROVINCE, is_awarding_body=True)
    district = UnitFactory(
        name="Huyện Thử", kind=UnitKind.DISTRICT, parent=province, is_awarding_body=True
    )
    unit_a = UnitFactory(name="Xã A", parent=district)
    unit_b = UnitFactory(name="Xã B", parent=district)
    accounts = {
        "nominator_a": user_with(Role.NOMINATOR, unit_a),
        "nominator_b": user_with(Role.NOMINATOR, unit_b),
        "secretariat": user_with(Role.SECRETARIAT, district),
        "council": user_with(Role.COUNCIL_MEMBER, district),
        "chair": user_with(Role.CHAIR, district),
        "admin": user_with(Role.ADMIN, province),
        "disabled": user_with(Role.NOMINATOR, unit_a),
    }
    targets = {
        "unit_a": user_with(Role.NOMINATOR, unit_a),
        "unit_b": user_with(Role.NOMINATOR, unit_b),
    }
    world = World(
        province=_thing(province),
        district=_thing(district),
        units={"unit_a": _thing(unit_a), "unit_b": _thing(unit_b)},
        targets={key: _thing(user) for key, user in targets.items()},
        grants={key: _thing(user.grants[0]) for key, user in targets.items()},
        accounts={role: _thing(user) for role, user in accounts.items()},
        connection=connection,
        cookie_name=cookie_name,
    )
    db.session.commit()
    return world


def sign_in(app: Flask, world: World, role: str) -> Client:
    """A client with the session of `role`. For "disabled": a session whose account was
    disabled after it logged in, which must be dead."""
    client = app.test_client()
    assert isinstance(client, Client)
    if role != "anonymous":
        response = log_in(client, world.accounts[role].name)
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
    if role == "disabled":
        user = db.session.get(User, world.accounts[role].id)
        admin = db.session.get(User, world.accounts["admin"].id)
        assert user is not None and admin is not None
        disable_user(user, actor=admin)
        db.session.commit()
    client.csrf_token()  # fetched (and kept by the client) now, while nothing is measured
    return client


@pytest.fixture(scope="module")
def world(app: Flask) -> Iterator[World]:
    """The world, signed in, in an outer transaction rolled back after the module."""
    app.test_client_class = Client
    with app.app_context():
        engine = db.engines[None]
        connection = engine.connect()
        outer = connection.begin()
        db.engines[None] = connection  # type: ignore[assignment]
        db.session.remove()
        limiter.reset()
    try:
        with app.app_context():
            built = build_world(connection, app.config["SESSION_COOKIE_NAME"])
            for role in ROLES:
                built.clients[role] = sign_in(app, built, role)
                cookie = built.clients[role].get_cookie(built.cookie_name)
                assert cookie is not None
                built.cookies[role] = cookie.value
            built.rows = snapshot()
        yield built
    finally:
        with app.app_context():
            db.session.remove()
            outer.rollback()
            connection.close()
            db.engines[None] = engine


@pytest.fixture(autouse=True)
def _isolated(app: Flask, world: World) -> Iterator[None]:
    """Replaces the conftest's isolation here: each test runs in a savepoint of the module's
    transaction (every session's commits nest inside it), rolled back afterwards."""
    with app.app_context():
        savepoint = world.connection.begin_nested()
        db.session.remove()
        limiter.reset()
        try:
            yield
        finally:
            db.session.remove()
            savepoint.rollback()


# --- the requests ----------------------------------------------------------------------------


def _absent(variant: str) -> int:
    return OUT_OF_RANGE_ID if variant == "out_of_range" else MISSING_ID


def url_values(case: Case, arguments: frozenset[str], world: World) -> dict[str, Any]:
    variant = "unit_a" if case.variant == "empty" else case.variant
    values: dict[str, Any] = {}
    if "code" in arguments:
        values["code"] = "en"
    if "unit_id" in arguments:
        unit = world.units.get(variant)
        values["unit_id"] = unit.id if unit else _absent(variant)
    if "user_id" in arguments:
        user = world.targets["unit_a"] if variant == "mismatch" else world.targets.get(variant)
        values["user_id"] = user.id if user else _absent(variant)
    if "grant_id" in arguments:
        # "mismatch": the grant of B's account under A's account.
        role_grant = world.grants["unit_b"] if variant == "mismatch" else world.grants.get(variant)
        values["grant_id"] = role_grant.id if role_grant else _absent(variant)
    return values


def _unit_csv(world: World) -> bytes:
    parent = world.units["unit_a"].code
    return f"code,name,kind,parent_code\nT-IMPORT-1,Ấp Nhập Khẩu,hamlet,{parent}\n".encode()


FormBuilder = Callable[[World, Thing, Thing], dict[str, Any]]

# A form the route accepts, so that a role let through really does the action.
VALID_FORMS: dict[str, FormBuilder] = {
    "auth.login": lambda w, unit, user: {
        "username": w.targets["unit_a"].name,
        "password": PASSWORD,
    },
    "auth.logout": lambda w, unit, user: {},
    "auth.set_language": lambda w, unit, user: {"next": "/dashboard"},
    "auth.change_password": lambda w, unit, user: {
        "current_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
    },
    "units.create": lambda w, unit, user: {
        "name": "Ấp Mới Lập",
        "kind": UnitKind.HAMLET.value,
        "code": "",
        "parent_id": str(w.units["unit_a"].id),
        "successor_id": "",
    },
    "units.edit": lambda w, unit, user: {
        "name": f"{unit.name} (đổi tên)",
        "kind": unit.kind,
        "code": unit.code,
        "successor_id": "",
        "is_awarding_body": "y",
    },
    "units.move": lambda w, unit, user: {"parent_id": str(w.province.id)},
    "units.deactivate": lambda w, unit, user: {},
    "units.reactivate": lambda w, unit, user: {},
    "units.import_csv": lambda w, unit, user: {"file": (io.BytesIO(_unit_csv(w)), "units.csv")},
    "admin.create_user_view": lambda w, unit, user: {
        "username": "tai.khoan.moi",
        "full_name": "Nguyễn Văn Mới",
        "position": "",
        "email": "",
        "password": "",
    },
    "admin.edit_user": lambda w, unit, user: {
        "username": user.name,
        "full_name": "Trần Thị Đổi Tên",
        "position": "Công chức",
        "email": "",
    },
    "admin.disable": lambda w, unit, user: {},
    "admin.enable": lambda w, unit, user: {},
    "admin.reset_password_view": lambda w, unit, user: {},
    "admin.add_grant": lambda w, unit, user: {
        "role": Role.SECRETARIAT.value,
        "unit_id": str(w.district.id),
    },
    "admin.revoke": lambda w, unit, user: {},
}


def send(case: Case, world: World) -> Any:
    """The case's request, from the case's role."""
    client = world.client(case.role)
    arguments = ROUTES[(case.endpoint, case.method)]
    with client.application.test_request_context():
        url = url_for(case.endpoint, **url_values(case, arguments, world))
    if case.method == "GET":
        return client.get(url)
    side = "unit_b" if case.variant == "unit_b" else "unit_a"
    form = VALID_FORMS[case.endpoint](world, world.units[side], world.targets[side])
    return client.post_form(url, {} if case.variant == "empty" else form)


def snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a hash of every row, for every table."""
    state = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
        state[table.name] = (len(rows), digest)
    db.session.rollback()  # end the read (a savepoint of the shared connection)
    return state


# --- the tests -------------------------------------------------------------------------------


def test_table_covers_every_route(app: Flask) -> None:
    routes = set(routes_of(app))
    assert routes == set(ROUTES)
    assert routes - set(ACCESS) == set(), "routes missing from tests/access_table.py"
    assert set(ACCESS) - routes == set(), "rows of tests/access_table.py with no route"
    incomplete = {key for key, by_role in ACCESS.items() if set(by_role) != set(ROLES)}
    assert incomplete == set()


def test_the_world_is_real(world: World) -> None:
    """The matrix would prove little if its ids pointed at nothing."""
    held = db.session.execute(
        select(RoleGrant.id, RoleGrant.user_id).where(
            RoleGrant.id.in_([g.id for g in world.grants.values()])
        )
    ).all()
    assert sorted(held) == sorted(
        (world.grants[side].id, world.targets[side].id) for side in ("unit_a", "unit_b")
    )
    assert world.units["unit_a"].id != world.units["unit_b"].id
    assert db.session.get(Unit, MISSING_ID) is None
    assert db.session.get(User, MISSING_ID) is None


@pytest.mark.parametrize("role", ["disabled", "nominator_a"])
def test_the_disabled_session_is_dead(world: World, role: str) -> None:
    response = world.client(role).get("/dashboard")
    assert outcome_of(response) == (LOGIN if role == "disabled" else OK)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_access(world: World, case: Case) -> None:
    key = (case.endpoint, case.method)
    assert key in ACCESS, f"{key} is missing from tests/access_table.py"
    want = expected(case)
    before = snapshot() if want != OK and case.method == "POST" else None
    response = send(case, world)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    assert outcome_of(response) == want, (response.status_code, response.headers.get("Location"))
    if before is not None:
        assert snapshot() == before, "a refused request changed rows"


@pytest.mark.parametrize("case", GET_CASES, ids=lambda case: case.id)
def test_get_changes_nothing(world: World, case: Case) -> None:
    before = snapshot()  # every role logged in when the world was built
    response = send(case, world)
    assert response.status_code < 500
    assert snapshot() == before


# The canary pair: the first test changes rows through the app, the second proves that the
# savepoint rollback took them away (and that ~900 cases left the world as it was built).


def test_canary_admin_deactivates_unit_a(world: World) -> None:
    case = Case("units.deactivate", "POST", "admin", "unit_a")
    assert outcome_of(send(case, world)) == OK
    unit = db.session.get(Unit, world.units["unit_a"].id)
    assert unit is not None
    assert unit.is_active is False
    assert snapshot() != world.rows


def test_canary_unit_a_is_active_again(world: World) -> None:
    unit = db.session.get(Unit, world.units["unit_a"].id)
    assert unit is not None
    assert unit.is_active is True
    assert snapshot() == world.rows
