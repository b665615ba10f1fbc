"""Route × role access matrix, built from `app.url_map` against tests/access_table.py.

Each case takes the session of one role, sends one request (GET, or POST with a valid CSRF
token and a valid form) and compares the outcome with the table: no unauthorised 2xx, no 5xx.
A refused POST must also leave every row as it was, and so must every GET, for every role.

Thousands of cases: building the units, accounts, catalogue, campaigns and dossiers and
logging in for each would take minutes, so the module builds its world once, inside an outer
transaction, and each test runs in a savepoint of it that is rolled back afterwards (the
`_isolated` fixture below replaces the conftest's for this module; uploaded files, which live
outside the database, are put back too). The canary pair at the end proves the rollback.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask, url_for
from sqlalchemy import Connection, select

from recognition import create_app, storage
from recognition.admin.services import disable_user
from recognition.auth.enums import Role
from recognition.auth.models import RoleGrant, User
from recognition.campaigns.enums import CampaignStatus, MeasureKind
from recognition.campaigns.models import AwardType, Campaign
from recognition.database import local_today
from recognition.extensions import db, limiter
from recognition.nominations.enums import Action
from recognition.nominations.models import Attachment, Nomination
from recognition.nominations.services import Answer, Report, add_attachment, update_nomination
from recognition.nominations.workflow import apply_transition
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from tests.access_table import (
    ACCESS,
    BAD,
    CONFLICT,
    FORBIDDEN,
    IGNORED,
    LOGIN,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    OK,
    ROLES,
    UNAUTHORIZED,
)
from tests.conftest import PASSWORD, TEST_CONFIG, Client, log_in
from tests.factories import (
    AwardTypeFactory,
    CampaignFactory,
    CriterionFactory,
    NominationFactory,
    UnitFactory,
    user_with,
)

pytestmark = pytest.mark.integration

NEW_PASSWORD = "Quy-trinh-xet-duyet-2024"
MISSING_ID = 987_654_321  # fits every id column, belongs to nothing
OUT_OF_RANGE_ID = 2**31  # one more than a PostgreSQL integer holds
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

# The id in the URL that names the object a route acts on, and the kind of object it is.
PRIMARY = {
    "unit_id": "unit",
    "user_id": "user",
    "body_id": "body",
    "award_type_id": "award_type",
    "campaign_id": "campaign",
    "nomination_id": "nomination",
}
# A second id that must belong to the first object ("mismatch" gives it the other side's).
SECONDARY = {
    "grant_id": "grant",
    "criterion_id": "criterion",
    "offer_id": "offer",
    "attachment_id": "attachment",
}
# URL arguments that are not ids: one value that the route accepts.
CONSTANTS = {"code": "en", "status": CampaignStatus.CLOSED.value, "action": "send_back"}


# --- the routes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    arguments: frozenset[str]

    @property
    def key(self) -> tuple[str, str]:
        return (self.endpoint, self.method)


def routes_of(app: Flask) -> list[Route]:
    """Every rule × method but `static` (an endpoint may have several rules)."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            routes.add(Route(rule.endpoint, method, frozenset(rule.arguments)))
    return sorted(routes, key=lambda r: (r.endpoint, r.method, sorted(r.arguments)))


# Collection needs the routes before the session's app exists: a throwaway app (no database
# is touched) gives the same url_map, and test_table_covers_every_route checks the real one.
ROUTES = routes_of(create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"}))


def variants_of(route: Route) -> list[str]:
    variants = ["-"]
    if route.arguments & PRIMARY.keys():
        variants = ["a", "b", "missing", "out_of_range"]
        if "nomination_id" in route.arguments:
            variants.append("draft")
        if route.arguments & SECONDARY.keys():
            variants.append("mismatch")
    if route.method == "POST":
        variants.append("empty")
    return variants


@dataclass(frozen=True)
class Case:
    route: Route
    role: str
    variant: str

    @property
    def id(self) -> str:
        extra = sorted(self.route.arguments & SECONDARY.keys())
        rule = f"[{','.join(extra)}]" if extra else ""
        return f"{self.route.endpoint}{rule}-{self.route.method}-{self.role}-{self.variant}"


CASES = [
    Case(route, role, variant)
    for route in ROUTES
    for variant in variants_of(route)
    for role in ROLES
]
GET_CASES = [
    Case(route, role, "a" if route.arguments & PRIMARY.keys() else "-")
    for route in ROUTES
    if route.method == "GET"
    for role in ROLES
]


def expected(case: Case) -> str:
    """The table's outcome for this case (see the rules in tests/access_table.py)."""
    outcome = ACCESS[case.route.key][case.role]
    if isinstance(outcome, str):
        outcome = {"*": outcome}
    if case.variant in outcome:
        return outcome[case.variant]
    if case.variant == "out_of_range":
        return NOT_FOUND
    base = outcome.get("a", outcome["*"])
    if case.variant in {"missing", "mismatch"} and base in {OK, IGNORED, BAD, CONFLICT}:
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
    codes = {
        400: BAD,
        401: UNAUTHORIZED,
        403: FORBIDDEN,
        404: NOT_FOUND,
        405: METHOD_NOT_ALLOWED,
        409: CONFLICT,
    }
    return codes.get(status, f"HTTP {status}")


# --- the world the cases run in --------------------------------------------------------------


@dataclass(frozen=True)
class Thing:
    """What a request needs of an object: plain values, so that building a URL or a form never
    touches the database."""

    id: int
    name: str = ""
    kind: str = ""
    code: str = ""
    version: int = 0
    day: date | None = None  # a campaign's closing day


@dataclass
class World:
    """See tests/access_table.py for who holds which role where, and what each side is."""

    objects: dict[str, dict[str, Thing]]  # kind → side ("a", "b", "draft") → object
    accounts: dict[str, Thing]  # by role
    province: Thing
    district: Thing
    free_unit: Thing  # in A's area, not nominated yet
    connection: Connection
    cookie_name: str
    files: dict[str, bytes] = field(default_factory=dict)  # storage key → content
    clients: dict[str, Client] = field(default_factory=dict)  # by role
    cookies: dict[str, str] = field(default_factory=dict)  # each client's session cookie
    rows: dict[str, tuple[int, str]] = field(default_factory=dict)  # the snapshot at the start

    def client(self, role: str) -> Client:
        """The client of `role`, with its session as it was after signing in."""
        client = self.clients[role]
        client.set_cookie(self.cookie_name, self.cookies[role])
        return client

    def side(self, kind: str, side: str) -> Thing:
        return self.objects[kind][side]


def _thing(obj: Any) -> Thing:
    if isinstance(obj, Unit):
        return Thing(obj.id, obj.name, obj.kind, obj.code or "")
    if isinstance(obj, User):
        return Thing(obj.id, obj.username)
    if isinstance(obj, AwardType):
        return Thing(obj.id, obj.name, code=obj.code)
    if isinstance(obj, Campaign):
        return Thing(obj.id, obj.name, day=obj.closes_on)
    if isinstance(obj, Nomination):
        return Thing(obj.id, obj.nominee_name, version=obj.version)
    return Thing(obj.id)


def _dossier(
    campaign: Campaign, award: AwardType, unit: Unit, nominator: User, secretariat: User | None
) -> tuple[Nomination, Attachment]:
    """A dossier for `unit` with its criteria answered and a file; submitted and taken into
    appraisal by `secretariat` when one is given."""
    nomination = NominationFactory(
        campaign=campaign, award_type=award, nominee_unit=unit, actor=nominator
    )
    answers = {c.id: Answer(met=True, evidence_note="Báo cáo tổng kết") for c in award.criteria}
    update_nomination(nomination, Report(summary="Hoàn thành xuất sắc"), answers, actor=nominator)
    attachment = add_attachment(nomination, io.BytesIO(PDF), "bao-cao.pdf", actor=nominator)
    if secretariat is not None:
        apply_transition(nomination, Action.SUBMIT, actor=nominator)
        apply_transition(nomination, Action.TAKE, actor=secretariat)
    db.session.flush()
    return nomination, attachment


def build_world(connection: Connection, cookie_name: str) -> World:
    today = local_today()
    province = UnitFactory(name="Tỉnh Thử", kind=UnitKind.PROVINCE, is_awarding_body=True)
    district = UnitFactory(
        name="Huyện Thử", kind=UnitKind.DISTRICT, parent=province, is_awarding_body=True
    )
    unit_a = UnitFactory(name="Xã A", parent=district)
    unit_b = UnitFactory(name="Xã B", parent=district)
    hamlet_a = UnitFactory(name="Ấp Một", kind=UnitKind.HAMLET, parent=unit_a)
    free_unit = UnitFactory(name="Ấp Hai", kind=UnitKind.HAMLET, parent=unit_a)
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
        "a": user_with(Role.NOMINATOR, unit_a),
        "b": user_with(Role.NOMINATOR, unit_b),
    }
    bodies = {"a": district, "b": province}
    awards = {side: AwardTypeFactory(awarding_body=body) for side, body in bodies.items()}
    criteria = {side: CriterionFactory(award_type=award) for side, award in awards.items()}
    campaigns = {
        side: CampaignFactory(
            awarding_body=body,
            awards=[awards[side]],
            status=CampaignStatus.OPEN,
            opens_on=today - timedelta(days=10),
            closes_on=today + timedelta(days=30),
        )
        for side, body in bodies.items()
    }
    nominator_a, nominator_b = accounts["nominator_a"], accounts["nominator_b"]
    campaign, award, secretariat = campaigns["a"], awards["a"], accounts["secretariat"]
    dossiers = {
        "a": _dossier(campaign, award, unit_a, nominator_a, secretariat),
        "b": _dossier(campaign, award, unit_b, nominator_b, secretariat),
        "draft": _dossier(campaign, award, hamlet_a, nominator_a, None),
    }
    files = {attachment.storage_key: PDF for _, attachment in dossiers.values()}
    world = World(
        objects={
            "unit": {"a": _thing(unit_a), "b": _thing(unit_b)},
            "user": {side: _thing(user) for side, user in targets.items()},
            "grant": {side: _thing(user.grants[0]) for side, user in targets.items()},
            "body": {side: _thing(body) for side, body in bodies.items()},
            "award_type": {side: _thing(award) for side, award in awards.items()},
            "criterion": {side: _thing(criterion) for side, criterion in criteria.items()},
            "campaign": {side: _thing(campaign) for side, campaign in campaigns.items()},
            "offer": {side: _thing(campaign.offers[0]) for side, campaign in campaigns.items()},
            "nomination": {side: _thing(nomination) for side, (nomination, _) in dossiers.items()},
            "attachment": {side: _thing(file) for side, (_, file) in dossiers.items()},
        },
        accounts={role: _thing(user) for role, user in accounts.items()},
        province=_thing(province),
        district=_thing(district),
        free_unit=_thing(free_unit),
        connection=connection,
        cookie_name=cookie_name,
        files=files,
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
def world(app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The world, signed in, in an outer transaction rolled back after the module."""
    app.test_client_class = Client
    upload_dir = app.config["UPLOAD_DIR"]
    app.config["UPLOAD_DIR"] = str(tmp_path_factory.mktemp("uploads"))
    with app.app_context():
        engine = db.engines[None]
        connection = engine.connect()
        outer = connection.begin()
        db.engines[None] = connection  # type: ignore[assignment]
        db.session.remove()
        limiter.reset()
    try:
        with app.test_request_context():  # the workflow's notifications build links
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
        app.config["UPLOAD_DIR"] = upload_dir


@pytest.fixture(autouse=True)
def _isolated(app: Flask, world: World) -> Iterator[None]:
    """Replaces the conftest's isolation here: each test runs in a savepoint of the module's
    transaction (every session's commits nest inside it), rolled back afterwards; a file that
    a test deleted from the upload folder is written back."""
    with app.app_context():
        savepoint = world.connection.begin_nested()
        db.session.remove()
        limiter.reset()
        try:
            yield
        finally:
            db.session.remove()
            savepoint.rollback()
            for key, content in world.files.items():
                path: Path = storage.path_for(key)
                if not path.exists():
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(content)


# --- the requests ----------------------------------------------------------------------------


def _absent(variant: str) -> int:
    return OUT_OF_RANGE_ID if variant == "out_of_range" else MISSING_ID


def url_values(case: Case, world: World) -> dict[str, Any]:
    variant = case.variant
    side = {"empty": "a", "mismatch": "a"}.get(variant, variant)
    values: dict[str, Any] = {}
    for argument in case.route.arguments:
        if argument in CONSTANTS:
            values[argument] = CONSTANTS[argument]
        elif argument == "round_number":
            values[argument] = 1  # the first submission
        elif argument in PRIMARY or argument in SECONDARY:
            kind = PRIMARY.get(argument) or SECONDARY[argument]
            wanted = "b" if variant == "mismatch" and argument in SECONDARY else side
            objects = world.objects[kind]
            if kind != "nomination" and kind != "attachment" and wanted == "draft":
                wanted = "a"
            values[argument] = objects[wanted].id if wanted in objects else _absent(variant)
        else:
            raise AssertionError(f"no value for the URL argument {argument!r}")
    return values


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _award_form(code: str) -> dict[str, Any]:
    return {
        "code": code,
        "name": "Danh hiệu đổi tên",
        "certificate_title": "GIẤY KHEN",
        "kind": "commendation",
        "nominee_kind": "collective",
        "vote_method": "secret_ballot",
        "vote_threshold_percent": "70",
        "vote_base": "present",
        "quorum_numerator": "2",
        "quorum_denominator": "3",
        "public_posting_days": "0",
        "cap_base_id": "",
        "history_award_id": "",
    }


def _dossier_form(w: World, side: str) -> dict[str, Any]:
    criterion = w.side("criterion", "a").id  # every dossier is for the "a" award type
    return {
        "version": str(w.side("nomination", side).version),
        "summary": "Tóm tắt đã sửa",
        f"c{criterion}_met": "yes",
        f"c{criterion}_note": "Biên bản kiểm tra",
    }


FormBuilder = Callable[[World, str], dict[str, Any]]

# A form the route accepts, so that a role let through really does the action; `side` is the
# side of the object in the URL ("a", "b" or "draft").
VALID_FORMS: dict[str, FormBuilder] = {
    "auth.login": lambda w, side: {"username": w.side("user", "a").name, "password": PASSWORD},
    "auth.logout": lambda w, side: {},
    "auth.set_language": lambda w, side: {"next": "/dashboard"},
    "auth.change_password": lambda w, side: {
        "current_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
    },
    "units.create": lambda w, side: {
        "name": "Ấp Mới Lập",
        "kind": UnitKind.HAMLET.value,
        "code": "",
        "parent_id": str(w.side("unit", "a").id),
        "successor_id": "",
    },
    "units.edit": lambda w, side: {
        "name": f"{w.side('unit', side).name} (đổi tên)",
        "kind": w.side("unit", side).kind,
        "code": w.side("unit", side).code,
        "successor_id": "",
        "is_awarding_body": "y",
    },
    "units.move": lambda w, side: {"parent_id": str(w.province.id)},
    "units.deactivate": lambda w, side: {},
    "units.reactivate": lambda w, side: {},
    "units.import_csv": lambda w, side: {
        "file": (
            io.BytesIO(
                _csv(
                    "code,name,kind,parent_code",
                    f"T-IMPORT-1,Ấp Nhập Khẩu,hamlet,{w.side('unit', 'a').code}",
                )
            ),
            "units.csv",
        )
    },
    "admin.create_user_view": lambda w, side: {
        "username": "tai.khoan.moi",
        "full_name": "Nguyễn Văn Mới",
        "position": "",
        "email": "",
        "password": "",
    },
    "admin.edit_user": lambda w, side: {
        "username": w.side("user", side).name,
        "full_name": "Trần Thị Đổi Tên",
        "position": "Công chức",
        "email": "",
    },
    "admin.disable": lambda w, side: {},
    "admin.enable": lambda w, side: {},
    "admin.reset_password_view": lambda w, side: {},
    "admin.add_grant": lambda w, side: {
        "role": Role.SECRETARIAT.value,
        "unit_id": str(w.district.id),
    },
    "admin.revoke": lambda w, side: {},
    "notifications.read_all": lambda w, side: {},
    "campaigns.new_award_type": lambda w, side: _award_form("MOI-01"),
    "campaigns.edit_award_type": lambda w, side: _award_form(w.side("award_type", side).code),
    "campaigns.criterion": lambda w, side: {
        "code": "TC-MOI",
        "text": "Tiêu chí mới",
        "measure": MeasureKind.YES_NO.value,
        "required": "y",
    },
    "campaigns.remove_criterion": lambda w, side: {},
    "campaigns.import_criteria": lambda w, side: {
        "file": (io.BytesIO(_csv("code,text", "TC-CSV,Tiêu chí từ tệp")), "criteria.csv")
    },
    "campaigns.new_campaign": lambda w, side: {
        "name": "Phong trào mới",
        "opens_on": local_today().isoformat(),
        "closes_on": (local_today() + timedelta(days=30)).isoformat(),
    },
    "campaigns.edit_campaign": lambda w, side: {
        "name": f"{w.side('campaign', side).name} (sửa)",
        "opens_on": (local_today() - timedelta(days=10)).isoformat(),
        "closes_on": str(w.side("campaign", side).day),
    },
    "campaigns.change_status": lambda w, side: {},
    "campaigns.extend": lambda w, side: {
        "closes_on": (w.side("campaign", side).day or local_today()) + timedelta(days=10)
    },
    "campaigns.add_offer": lambda w, side: {
        "award_type_id": str(w.side("award_type", side).id),
        "quota": "5",
    },
    "campaigns.remove_offer": lambda w, side: {},
    "nominations.create": lambda w, side: {
        "award_type_id": str(w.side("award_type", side).id),
        "nominee_unit_id": str(w.free_unit.id),
    },
    "nominations.edit": _dossier_form,
    "nominations.act": lambda w, side: {
        "version": str(w.side("nomination", side).version),
        "comment": "Đề nghị bổ sung minh chứng.",
    },
    "nominations.delete": lambda w, side: {},
    "nominations.remove_file": lambda w, side: {},
    "review.save_appraisal": lambda w, side: {
        f"v{w.side('criterion', 'a').id}": "agree",
        f"n{w.side('criterion', 'a').id}": "Đúng với hồ sơ",
    },
}


def send(case: Case, world: World) -> Any:
    """The case's request, from the case's role."""
    client = world.client(case.role)
    with client.application.test_request_context():
        url = url_for(case.route.endpoint, **url_values(case, world))
    if case.route.method == "GET":
        return client.get(url)
    if case.variant == "empty":
        return client.post_form(url, {})
    side = case.variant if case.variant in {"b", "draft"} else "a"
    return client.post_form(url, VALID_FORMS[case.route.endpoint](world, side))


def _snapshot_queries() -> list[tuple[str, str]]:
    """One plain SELECT per table, in primary-key order (run by the driver: thousands of
    snapshots, so no ORM or type processing on the way)."""
    queries = []
    for table in db.metadata.sorted_tables:
        order = ", ".join(f'"{column.name}"' for column in table.primary_key.columns)
        queries.append((table.name, f'SELECT * FROM "{table.name}" ORDER BY {order}'))
    return queries


def snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a hash of every row, for every table."""
    state = {}
    connection = db.session.connection()
    for name, query in _snapshot_queries():
        rows = connection.exec_driver_sql(query).fetchall()
        digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
        state[name] = (len(rows), digest)
    db.session.rollback()  # end the read (a savepoint of the shared connection)
    return state


# --- the tests -------------------------------------------------------------------------------


def test_table_covers_every_route(app: Flask) -> None:
    routes = {route.key for route in routes_of(app)}
    assert routes_of(app) == ROUTES
    assert routes - set(ACCESS) == set(), "routes missing from tests/access_table.py"
    assert set(ACCESS) - routes == set(), "rows of tests/access_table.py with no route"
    incomplete = {key for key, by_role in ACCESS.items() if set(by_role) != set(ROLES)}
    assert incomplete == set()
    posts = {route.endpoint for route in ROUTES if route.method == "POST"}
    assert posts - set(VALID_FORMS) == set(), "POST routes without a valid form here"


def test_the_world_is_real(world: World) -> None:
    """The matrix would prove little if its ids pointed at nothing or at the wrong thing."""
    grants = world.objects["grant"]
    held = db.session.execute(
        select(RoleGrant.id, RoleGrant.user_id).where(
            RoleGrant.id.in_([g.id for g in grants.values()])
        )
    ).all()
    assert sorted(held) == sorted((grants[s].id, world.side("user", s).id) for s in ("a", "b"))
    states = {
        side: db.session.get(Nomination, thing.id).state  # type: ignore[union-attr]
        for side, thing in world.objects["nomination"].items()
    }
    assert states == {"a": "in_review", "b": "in_review", "draft": "draft"}
    assert db.session.get(Unit, MISSING_ID) is None
    assert db.session.get(User, MISSING_ID) is None
    assert db.session.get(Nomination, MISSING_ID) is None


@pytest.mark.parametrize("role", ["disabled", "nominator_a"])
def test_the_disabled_session_is_dead(world: World, role: str) -> None:
    response = world.client(role).get("/dashboard")
    assert outcome_of(response) == (LOGIN if role == "disabled" else OK)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_access(world: World, case: Case) -> None:
    assert case.route.key in ACCESS, f"{case.route.key} is missing from tests/access_table.py"
    want = expected(case)
    before = snapshot() if want != OK and case.route.method == "POST" else None
    response = send(case, world)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    got = outcome_of(response)
    if want == IGNORED and got == OK:
        got = IGNORED  # provided that no row changed, checked below
    assert got == want, (response.status_code, response.headers.get("Location"))
    if before is not None:
        assert snapshot() == before, "a refused request changed rows"


@pytest.mark.parametrize("case", GET_CASES, ids=lambda case: case.id)
def test_get_changes_nothing(world: World, case: Case) -> None:
    before = snapshot()  # every role logged in when the world was built
    response = send(case, world)
    assert response.status_code < 500
    assert snapshot() == before


# The canary pair: the first test changes rows and a file through the app, the second proves
# that the rollback took them away (and that all the cases left the world as it was built).


def test_canary_nominator_deletes_the_draft(world: World) -> None:
    route = Route("nominations.delete", "POST", frozenset({"nomination_id"}))
    assert outcome_of(send(Case(route, "nominator_a", "draft"), world)) == OK
    assert db.session.get(Nomination, world.side("nomination", "draft").id) is None
    assert [storage.path_for(key).exists() for key in world.files].count(False) == 1
    assert snapshot() != world.rows


def test_canary_the_draft_is_back(world: World) -> None:
    assert db.session.get(Nomination, world.side("nomination", "draft").id) is not None
    assert all(storage.path_for(key).read_bytes() == PDF for key in world.files)
    assert snapshot() == world.rows
