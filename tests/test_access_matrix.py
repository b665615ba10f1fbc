"""Route × role access matrix, built from `app.url_map` against tests/access_table.py.

Each case takes the session of one role, sends one request (GET, or POST with a valid CSRF
token and a valid form) and compares the outcome with the table: no unauthorised 2xx, no 5xx.
A refused POST must also leave every row as it was, and so must every GET, for every role.
The PostgreSQL run leaves out the cases the login wall stops (`on_this_database`).

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
from decimal import Decimal
from functools import cache
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pikepdf
import pytest
from flask import Flask, url_for
from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter
from sqlalchemy import Connection, event, select

from recognition import create_app
from recognition.api.services import create_client
from recognition.auth.enums import Role
from recognition.auth.models import RoleGrant, User
from recognition.auth.workflow import disable_user
from recognition.blanks.services import default_boxes
from recognition.campaigns.enums import CampaignStatus, MeasureKind
from recognition.campaigns.models import AwardType, Campaign
from recognition.certificates import print_jobs as print_jobs
from recognition.certificates.codes import public_code
from recognition.certificates.models import PrintJob
from recognition.certificates.print_jobs import run_print_job, start_print_job
from recognition.certificates.rendering import store_certificates
from recognition.clusters.services import CriterionData, save_criterion
from recognition.common import pdf, storage
from recognition.council import services as council
from recognition.council.ballot_box import CHOICE_CODES
from recognition.council.enums import Choice, CouncilRole, SessionKind, SessionState
from recognition.council.models import CouncilSession
from recognition.database import local_today
from recognition.decisions import services as decisions
from recognition.decisions.models import Decision
from recognition.extensions import db, limiter
from recognition.history.models import AwardRecord
from recognition.honours.services import PhotoUpload, publish_entry
from recognition.law.services import ValueInput, save_law_value
from recognition.nominations.attachments import add_attachment
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.importing import COLUMNS as CANDIDATE_COLUMNS
from recognition.nominations.models import Attachment, Nomination
from recognition.nominations.services import Answer, Report, update_nomination
from recognition.nominations.workflow import apply_transition
from recognition.registration.services import Line, open_registration, register_unit
from recognition.review.services import Verdict, record_appraisal
from recognition.targets.enums import TargetSector
from recognition.targets.models import Target, TargetValue
from recognition.targets.services import Report as ValueReport
from recognition.targets.services import TargetData, Upload, report_value, save_target
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
from tests.conftest import (
    ON_POSTGRES,
    PASSWORD,
    TEST_CONFIG,
    Client,
    ballot_keys,
    log_in,
    restore_ballot_keys,
    shared_transaction,
)
from tests.support.factories import (
    AwardTypeFactory,
    CampaignFactory,
    CriterionFactory,
    NominationFactory,
    UnitFactory,
    UserFactory,
    cluster_of,
    grant,
    user_with,
)
from tests.support.object_store import put_back, store_of_its_own

pytestmark = pytest.mark.integration

NEW_PASSWORD = "Quy-trinh-xet-duyet-2024"
MISSING_ID = 987_654_321  # fits every id column, belongs to nothing
OUT_OF_RANGE_ID = 2**31  # one more than a PostgreSQL integer holds


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _blank_pdf()  # an evidence file, and what the stubbed PDF renderer returns


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    return out.getvalue()


PNG = _png()  # a photo of the honour board

# The id in the URL that names the object a route acts on, and its kind; when a route has
# several, the first in this order is the one its variants are about.
PRIMARY = {
    "nomination_id": "nomination",
    "session_id": "session",
    "decision_id": "decision",
    "job_id": "job",
    "certificate_id": "certificate",
    "target_id": "target",
    "call_id": "call",
    "registration_id": "registration",
    "entry_id": "entry",
    "record_id": "record",
    "photo_id": "photo",
    "campaign_id": "campaign",
    "award_type_id": "award_type",
    "body_id": "body",
    "cluster_id": "cluster",
    "unit_id": "unit",
    "user_id": "user",
    "client_id": "api_client",
    "law_value_id": "law_value",
}
# A second id that must belong to the first object ("mismatch" gives it the "b" side's).
SECONDARY = {
    "grant_id": "grant",
    "criterion_id": "criterion",
    "offer_id": "offer",
    "attachment_id": "attachment",
    "item_id": "item",
    "member_id": "member",
    "cluster_member_id": "cluster_member",
    "line_id": "line",
    "value_id": "target_value",
    "evidence_id": "evidence",
}
# Objects in more states than "a" and "b" (see tests/access_table.py).
EXTRA_SIDES = {
    "nomination": ["draft"],
    "session": ["planned", "closed"],
    "decision": ["posted"],
}
# URL arguments that are not ids: one value that the route accepts.
CONSTANTS = {
    "code": "en",
    "status": CampaignStatus.CLOSED.value,
    "action": "send_back",
    "direction": "up",
    "round_number": 1,
    "key": "base_salary",
    "position": 1,
}


# --- the routes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    arguments: frozenset[str]

    @property
    def key(self) -> tuple[str, str]:
        return (self.endpoint, self.method)

    @property
    def kind(self) -> str | None:
        """The kind of object the route is about, if any."""
        return next((kind for arg, kind in PRIMARY.items() if arg in self.arguments), None)


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
    if case.variant in {"missing", "mismatch"} and base in LET_THROUGH | {BAD, CONFLICT}:
        return NOT_FOUND
    return base


LET_THROUGH = {OK, IGNORED}


def behind_the_wall(route: Route, role: str) -> bool:
    """The login wall stops `role` whatever the object (it is checked before any lookup)."""
    return route.key in ACCESS and all(
        expected(Case(route, role, variant)) in {LOGIN, UNAUTHORIZED}
        for variant in ("a", "missing")
    )


def cases_of(route: Route) -> list[Case]:
    """Every role with the "a" and "b" objects (and the route's kind's other states), a
    missing id and, for two ids, a mismatched pair. The roles the login wall stops, stopped
    with the "a" object and a missing id, are not tried with the others. An id out of range
    is tried once (it is refused by the routing, whoever asks); the CSRF token alone only for
    the roles the valid form lets through (the others are refused before the form is read)."""
    variants = ["-"]
    if route.kind:
        variants = ["a", "b", *EXTRA_SIDES.get(route.kind, []), "missing"]
        if route.arguments & SECONDARY.keys():
            variants.append("mismatch")
    cases = [
        Case(route, role, variant)
        for variant in variants
        for role in ROLES
        if variant in {"-", "a", "missing"} or not behind_the_wall(route, role)
    ]
    if route.kind:
        cases.append(Case(route, "admin", "out_of_range"))
    if route.method == "POST" and route.key in ACCESS:
        first = variants[0]
        cases += [
            Case(route, role, "empty")
            for role in ROLES
            if expected(Case(route, role, first)) in LET_THROUGH
        ]
    return cases


def on_this_database(case: Case) -> bool:
    """Every case on SQLite. On PostgreSQL, the refusals of the login wall and of the role and
    scope checks are left out: the wall refuses before any query of the route runs, and a
    refused role or unit runs the statements of the check that a permitted case runs too (with
    other ids), so the second database has nothing to add there. The permitted cases, the
    missing ids, the ids out of range above all, the conflicts and the bad forms run on both."""
    return not ON_POSTGRES or expected(case) not in {LOGIN, UNAUTHORIZED, FORBIDDEN}


CASES = [case for route in ROUTES for case in cases_of(route) if on_this_database(case)]


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

    objects: dict[str, dict[str, Thing]]  # kind → side ("a", "b", "draft", …) → object
    accounts: dict[str, Thing]  # by role
    province: Thing
    district: Thing
    free_unit: Thing  # in A's area, not nominated yet
    accepted: Thing  # an accepted dossier of D, on no agenda
    free_passed: dict[str, Thing]  # a passed dossier of each body, in no decision
    seats: list[int]  # the council members' ids (attendance form)
    certificate: Certificate  # serial and code of the "a" certificate (public check)
    connection: Connection
    cookie_name: str
    files: dict[str, bytes] = field(default_factory=dict)  # storage key → content
    clients: dict[str, Client] = field(default_factory=dict)  # by role
    cookies: dict[str, str] = field(default_factory=dict)  # each client's session cookie
    rows: dict[str, tuple[int, str]] = field(default_factory=dict)  # the snapshot at the start
    writes: Writes = field(default_factory=lambda: Writes())  # write statements on `connection`

    def client(self, role: str) -> Client:
        """The client of `role`, with its session as it was after signing in."""
        client = self.clients[role]
        client.set_cookie(self.cookie_name, self.cookies[role])
        return client

    def get(self, kind: str, side: str) -> Thing:
        """The object of that side, or the "a" one for a kind that has no such side."""
        objects = self.objects[kind]
        return objects.get(side, objects["a"])


@dataclass(frozen=True)
class Certificate:
    serial: str
    code: str


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


@dataclass
class Staff:
    """Who acts for an awarding body while the world is built."""

    secretariat: User
    chair: User


def _dossier(
    campaign: Campaign, award: AwardType, unit: Unit, nominator: User, *, file: bool = False
) -> tuple[Nomination, Attachment | None]:
    """A draft for `unit` with its criteria answered (and a file)."""
    nomination = NominationFactory(
        campaign=campaign, award_type=award, nominee_unit=unit, actor=nominator
    )
    answers = {c.id: Answer(met=True, evidence_note="Báo cáo tổng kết") for c in award.criteria}
    update_nomination(nomination, Report(summary="Hoàn thành xuất sắc"), answers, actor=nominator)
    attachment = None
    if file:
        attachment = add_attachment(nomination, io.BytesIO(PDF), "bao-cao.pdf", actor=nominator)
    return nomination, attachment


def _advance(nomination: Nomination, to: NominationState, nominator: User, staff: Staff) -> None:
    """Submit, take, appraise and accept (and pass by the simplified procedure) as needed."""
    apply_transition(nomination, Action.SUBMIT, actor=nominator)
    apply_transition(nomination, Action.TAKE, actor=staff.secretariat)
    if to == NominationState.IN_REVIEW:
        return
    verdicts = {c.id: Verdict(agree=True) for c in nomination.award_type.criteria}
    record_appraisal(nomination, verdicts, actor=staff.secretariat)
    apply_transition(nomination, Action.ACCEPT, actor=staff.secretariat)
    if to == NominationState.PASSED:
        apply_transition(nomination, Action.PASS_SIMPLIFIED, actor=staff.chair)


def _session(body: Unit, nomination: Nomination, staff: Staff, to: SessionState) -> CouncilSession:
    """A meeting today with `nomination` on its agenda, every member present; its vote open,
    or voted (every member agrees) and closed."""
    session = council.create_session(
        body,
        council.SessionData(
            title="Phiên họp xét khen thưởng", kind=SessionKind.MEETING, held_on=local_today()
        ),
    )
    council.add_to_agenda(session, [nomination], actor=staff.secretariat)
    council.set_attendance(session, {a.member_id: "present" for a in session.attendance})
    if to == SessionState.PLANNED:
        return session
    council.open_vote(session, actor=staff.secretariat)
    if to == SessionState.CLOSED:
        for attendance in session.attendance:
            council.cast_vote(session.items[0], attendance.member, Choice.AGREE)
        council.close_vote(session, actor=staff.chair, chair_approved=True)
    return session


def _record_of(decision: Decision) -> AwardRecord:
    """The award record issuing `decision` wrote for its first line."""
    line_id = decision.lines[0].id
    return db.session.scalars(
        select(AwardRecord).where(AwardRecord.decision_line_id == line_id)
    ).one()


def _decision(body: Unit, nomination: Nomination, staff: Staff, *, issue: bool) -> Decision:
    """A decision for `nomination`: issued (with its certificate's PDF), or posted."""
    decision = decisions.draft_decision(body, [nomination], actor=staff.secretariat)
    if issue:
        decisions.issue_decision(decision, actor=staff.chair, today=local_today())
        store_certificates(decision)
    else:
        decisions.start_posting(decision, actor=staff.secretariat, today=local_today())
    return decision


def _target(
    campaign: Campaign, unit: Unit, nominator: User, secretariat: User
) -> tuple[Target, TargetValue]:
    """A target of `campaign` that `unit` answers for, with a value its nominator reported (with
    an evidence file), awaiting the secretariat."""
    target = save_target(
        None,
        TargetData(
            code="CT1",
            text="Thu nhập bình quân đầu người đạt 82 triệu đồng/người/năm",
            sector=TargetSector.ECONOMY,
            responsible_unit=unit,
            target_value=Decimal(82),
        ),
        campaign=campaign,
        actor=secretariat,
    )
    value = report_value(
        target,
        ValueReport(
            Decimal(80), local_today(), files=[Upload(io.BytesIO(PDF), "bao-cao-thu-nhap.pdf")]
        ),
        actor=nominator,
        today=local_today(),
    )
    return target, value


def build_world(connection: Connection, cookie_name: str) -> World:
    """The units, accounts, catalogue, campaigns, dossiers, council sessions and decisions
    described in tests/access_table.py, built through the services."""
    today = local_today()
    province = UnitFactory(name="Tỉnh Thử", kind=UnitKind.PROVINCE, is_awarding_body=True)
    district = UnitFactory(
        name="Huyện Thử", kind=UnitKind.DISTRICT, parent=province, is_awarding_body=True
    )
    unit_a = UnitFactory(name="Xã A", parent=district)
    unit_b = UnitFactory(name="Xã B", parent=district)
    hamlets_a = [
        UnitFactory(name=f"Ấp A{n}", kind=UnitKind.HAMLET, parent=unit_a) for n in range(8)
    ]
    # B's nominator also proposes to the province for an office directly below it (a commune's
    # dossiers go to its district, never over its head to the province).
    office_b = UnitFactory(name="Văn phòng B", kind=UnitKind.DEPARTMENT, parent=province)
    hamlets_b = [
        UnitFactory(name=f"Tổ B{n}", kind=UnitKind.TEAM, parent=office_b) for n in range(3)
    ]
    accounts = {
        "nominator_a": user_with(Role.NOMINATOR, unit_a),
        "nominator_b": user_with(Role.NOMINATOR, unit_b),
        "secretariat": user_with(Role.SECRETARIAT, district),
        "council": user_with(Role.COUNCIL_MEMBER, district),
        "council_off_roll": user_with(Role.COUNCIL_MEMBER, district),
        "chair": user_with(Role.CHAIR, district),
        "admin": user_with(Role.ADMIN, province),
        "disabled": user_with(Role.NOMINATOR, unit_a),
    }
    nominator_a, nominator_b = accounts["nominator_a"], accounts["nominator_b"]
    grant(nominator_b, Role.NOMINATOR, office_b)
    targets = {"a": user_with(Role.NOMINATOR, unit_a), "b": user_with(Role.NOMINATOR, unit_b)}
    # The province's secretariat and chair (one person) and its council: no role of the matrix.
    province_staff_user = user_with(Role.SECRETARIAT, province)
    grant(province_staff_user, Role.CHAIR, province)
    staff = {
        "a": Staff(accounts["secretariat"], accounts["chair"]),
        "b": Staff(province_staff_user, province_staff_user),
    }
    seats = {
        "a": council.add_member(
            district, accounts["council"], role=CouncilRole.MEMBER, term_start=today - timedelta(30)
        ),
        "b": council.add_member(
            province, UserFactory(), role=CouncilRole.MEMBER, term_start=today - timedelta(30)
        ),
    }
    council.add_member(
        district, accounts["chair"], role=CouncilRole.CHAIR, term_start=today - timedelta(30)
    )
    # On the council from tomorrow: not on the roll of today's sessions.
    council.add_member(
        district,
        accounts["council_off_roll"],
        role=CouncilRole.MEMBER,
        term_start=today + timedelta(1),
    )

    bodies = {"a": district, "b": province}
    awards = {side: AwardTypeFactory(awarding_body=body) for side, body in bodies.items()}
    criteria = {side: CriterionFactory(award_type=award) for side, award in awards.items()}
    # Titles passed without a council vote: posted publicly first (D), or not (P).
    simple = {
        "a": AwardTypeFactory(
            awarding_body=district, simplified_allowed=True, public_posting_days=15
        ),
        "b": AwardTypeFactory(awarding_body=province, simplified_allowed=True),
    }
    campaigns = {
        side: CampaignFactory(
            awarding_body=body,
            awards=[awards[side], simple[side]],
            status=CampaignStatus.OPEN,
            opens_on=today - timedelta(days=10),
            closes_on=today + timedelta(days=30),
        )
        for side, body in bodies.items()
    }
    offers = {
        side: next(o for o in campaign.offers if o.award_type_id == awards[side].id)
        for side, campaign in campaigns.items()
    }
    in_d, in_p = campaigns["a"], campaigns["b"]
    award_d = awards["a"]

    # Dossiers of D's campaign (by the nominators of A and B) and of P's (by B's).
    dossiers = {
        "a": _dossier(in_d, award_d, unit_a, nominator_a, file=True),
        "b": _dossier(in_d, award_d, unit_b, nominator_b, file=True),
        "draft": _dossier(in_d, award_d, hamlets_a[0], nominator_a, file=True),
    }
    for side, nominator in (("a", nominator_a), ("b", nominator_b)):
        _advance(dossiers[side][0], NominationState.IN_REVIEW, nominator, staff["a"])
    accepted, _ = _dossier(in_d, award_d, hamlets_a[1], nominator_a)
    _advance(accepted, NominationState.ACCEPTED, nominator_a, staff["a"])

    agenda = {
        "a": _dossier(in_d, award_d, hamlets_a[2], nominator_a)[0],
        "planned": _dossier(in_d, award_d, hamlets_a[3], nominator_a)[0],
        "closed": _dossier(in_d, award_d, hamlets_a[4], nominator_a)[0],
        "b": _dossier(in_p, simple["b"], hamlets_b[0], nominator_b)[0],
    }
    for side, nomination in agenda.items():
        nominator = nominator_b if side == "b" else nominator_a
        _advance(
            nomination, NominationState.ACCEPTED, nominator, staff["b" if side == "b" else "a"]
        )
    states = {
        "a": SessionState.VOTING,
        "planned": SessionState.PLANNED,
        "closed": SessionState.CLOSED,
        "b": SessionState.VOTING,
    }
    sessions = {
        side: _session(bodies.get(side, district), agenda[side], staff.get(side, staff["a"]), state)
        for side, state in states.items()
    }

    passed = {
        "a": _dossier(in_d, simple["a"], hamlets_a[5], nominator_a)[0],
        "free_a": _dossier(in_d, simple["a"], hamlets_a[6], nominator_a)[0],
        "b": _dossier(in_p, simple["b"], hamlets_b[1], nominator_b)[0],
        "free_b": _dossier(in_p, simple["b"], hamlets_b[2], nominator_b)[0],
    }
    for side, nomination in passed.items():
        nominator = nominator_b if side.endswith("b") else nominator_a
        _advance(nomination, NominationState.PASSED, nominator, staff[side[-1]])
    decided = {
        "a": _decision(district, agenda["closed"], staff["a"], issue=True),
        "b": _decision(province, passed["b"], staff["b"], issue=True),
        "posted": _decision(district, passed["a"], staff["a"], issue=False),
    }
    certificates = {side: decided[side].lines[0].certificate for side in ("a", "b")}
    # The world runs its print jobs itself: the threads their commits dispatch never start.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(print_jobs, "threading", SimpleNamespace(Thread=_NotStarted))
        jobs = {side: start_print_job(decided[side], actor=staff[side].chair) for side in "ab"}
        for job in jobs.values():
            run_print_job(job.id)

    # Clusters of today's year: D's with A (its lead), P's with D (its lead).
    cluster_staff = {"a": accounts["secretariat"], "b": province_staff_user}
    clusters = {
        "a": cluster_of(district, [unit_a], actor=cluster_staff["a"], year=today.year),
        "b": cluster_of(province, [district], actor=cluster_staff["b"], year=today.year),
    }
    lines = {
        side: save_criterion(
            cluster,
            None,
            CriterionData(code="TC1", text="Tiêu chí thử", max_points=Decimal(10)),
            actor=cluster_staff[side],
        )
        for side, cluster in clusters.items()
    }
    movement_targets = {
        side: _target(campaigns[side], unit, nominator, staff[side].secretariat)
        for side, unit, nominator in (("a", unit_a, nominator_a), ("b", unit_b, nominator_b))
    }

    # Each body's first award on its honour board, with a photo.
    entries = {
        side: publish_entry(
            certificate,  # type: ignore[arg-type]
            actor=staff[side].secretariat,
            story="Gương điển hình tiên tiến",
            photos=[PhotoUpload(io.BytesIO(PNG), "ảnh.png", "Ảnh tập thể", "photo_1")],
        )
        for side, certificate in certificates.items()
    }
    # Each body's registration for this year: Xã A registered with D, D with P.
    calls = {
        side: open_registration(
            body,
            actor=staff[side].secretariat,
            year=today.year,
            deadline=date(today.year, 1, 31),
            pledge="Giao ước thi đua",
        )
        for side, body in bodies.items()
    }
    registrations = {
        "a": register_unit(
            calls["a"], unit_a, actor=nominator_a, lines=[Line(awards["a"])], sign=True
        ),
        "b": register_unit(
            calls["b"],
            district,
            actor=user_with(Role.NOMINATOR, district),
            lines=[Line(awards["b"])],
            sign=True,
        ),
    }
    files = {a.storage_key: PDF for _, a in dossiers.values() if a is not None}
    files |= {value.evidence[0].storage_key: PDF for _, value in movement_targets.values()}
    # The photos as stored (drawn again without their metadata when published).
    files.update(
        {
            e.photos[0].storage_key: storage.read_bytes(e.photos[0].storage_key)
            for e in entries.values()
        }
    )
    stored = [c.pdf_key for c in certificates.values() if c is not None]
    stored += [db.session.get(PrintJob, job.id).result_key for job in jobs.values()]  # type: ignore[union-attr]
    for key in stored:
        assert key is not None
        files[key] = storage.read_bytes(key)
    api_clients = {
        side: create_client(f"Cổng {side}", scopes=["read"], unit=unit, actor=None)[0]
        for side, unit in (("a", unit_a), ("b", unit_b))
    }
    law_values = {
        side: save_law_value(
            "base_salary",
            ValueInput(valid_from=today + timedelta(days=days), text="2340000", source="NĐ"),
            actor=accounts["admin"],
        )
        for side, days in (("a", 30), ("b", -30))
    }
    world = World(
        objects={
            "unit": {"a": _thing(unit_a), "b": _thing(unit_b)},
            "user": {side: _thing(user) for side, user in targets.items()},
            "grant": {side: _thing(user.grants[0]) for side, user in targets.items()},
            "body": {side: _thing(body) for side, body in bodies.items()},
            "award_type": {side: _thing(award) for side, award in awards.items()},
            "criterion": {side: _thing(criterion) for side, criterion in criteria.items()},
            "campaign": {side: _thing(campaign) for side, campaign in campaigns.items()},
            "offer": {side: _thing(offer) for side, offer in offers.items()},
            "nomination": {side: _thing(nomination) for side, (nomination, _) in dossiers.items()},
            "attachment": {side: _thing(file) for side, (_, file) in dossiers.items()},
            "member": {side: _thing(seat) for side, seat in seats.items()},
            "session": {side: _thing(session) for side, session in sessions.items()},
            "item": {side: _thing(session.items[0]) for side, session in sessions.items()},
            "decision": {side: _thing(decision) for side, decision in decided.items()},
            "certificate": {side: _thing(c) for side, c in certificates.items()},
            "job": {side: _thing(job) for side, job in jobs.items()},
            "cluster": {side: _thing(cluster) for side, cluster in clusters.items()},
            "cluster_member": {side: _thing(c.members[0]) for side, c in clusters.items()},
            "cluster_unit": {side: _thing(c.members[0].unit) for side, c in clusters.items()},
            "line": {side: _thing(line) for side, line in lines.items()},
            "target": {side: _thing(target) for side, (target, _) in movement_targets.items()},
            "target_value": {side: _thing(value) for side, (_, value) in movement_targets.items()},
            "evidence": {
                side: _thing(value.evidence[0]) for side, (_, value) in movement_targets.items()
            },
            "entry": {side: _thing(entry) for side, entry in entries.items()},
            "record": {side: _thing(_record_of(decided[side])) for side in "ab"},
            "call": {side: _thing(call) for side, call in calls.items()},
            "registration": {side: _thing(r) for side, r in registrations.items()},
            "photo": {side: _thing(entry.photos[0]) for side, entry in entries.items()},
            "api_client": {side: _thing(client) for side, client in api_clients.items()},
            "law_value": {side: _thing(value) for side, value in law_values.items()},
        },
        accounts={role: _thing(user) for role, user in accounts.items()},
        province=_thing(province),
        district=_thing(district),
        free_unit=_thing(hamlets_a[7]),
        accepted=_thing(accepted),
        free_passed={"a": _thing(passed["free_a"]), "b": _thing(passed["free_b"])},
        seats=[a.member_id for session in sessions.values() for a in session.attendance],
        certificate=Certificate(
            certificates["a"].public_serial,  # type: ignore[union-attr]
            public_code(certificates["a"].key_id, certificates["a"].code),  # type: ignore[union-attr]
        ),
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


class Writes:
    """Counts the INSERT, UPDATE and DELETE statements run on a connection (an event listener)."""

    VERBS = ("INSERT", "UPDATE", "DELETE")

    def __init__(self) -> None:
        self.seen = 0

    def __call__(self, connection: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip()[:6].upper() in self.VERBS:
            self.seen += 1


@pytest.fixture(scope="module")
def world(app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The world, signed in, in an outer transaction rolled back after the module, with its
    files in a store of its own."""
    app.test_client_class = Client
    with store_of_its_own(app, tmp_path_factory.mktemp("uploads")):
        yield from _world_in_transaction(app)


def _world_in_transaction(app: Flask) -> Iterator[World]:
    writes = Writes()
    with shared_transaction(app) as connection:
        try:
            with app.test_request_context():  # the workflow's notifications build links
                built = build_world(connection, app.config["SESSION_COOKIE_NAME"])
                for role in ROLES:
                    built.clients[role] = sign_in(app, built, role)
                    cookie = built.clients[role].get_cookie(built.cookie_name)
                    assert cookie is not None
                    built.cookies[role] = cookie.value
                built.rows = snapshot()
            event.listen(connection, "before_cursor_execute", writes)
            built.writes = writes
            yield built
        finally:
            if event.contains(connection, "before_cursor_execute", writes):
                event.remove(connection, "before_cursor_execute", writes)


@pytest.fixture(autouse=True)
def _isolated(app: Flask, world: World) -> Iterator[None]:
    """Replaces the conftest's isolation here: each test runs in a savepoint of the module's
    transaction (every session's commits nest inside it), rolled back afterwards; a file that
    a test deleted from the upload folder is written back."""
    with app.app_context():
        savepoint = world.connection.begin_nested()
        db.session.remove()
        limiter.reset()
        keys = ballot_keys(app)
        world.writes.seen = 0
        try:
            yield
        finally:
            db.session.remove()
            savepoint.rollback()
            restore_ballot_keys(app, keys)
            if world.writes.seen:  # a file is deleted only after its row is (a listing on S3)
                put_back(world.files)


class _LaidOutByNobody:
    """WeasyPrint's `HTML`, minus the layout: the page is still rendered by Jinja (so a
    template error still fails the case), but no PDF is laid out. WeasyPrint is an external
    library and takes a third of a second a page; the PDF tests check what it makes."""

    def __init__(self, string: str, **kwargs: Any) -> None:
        assert string
        # One page per certificate sheet (the layered certificates count them), else one.
        self.page_count = max(1, string.count('<div class="sheet'))

    def write_pdf(self, **kwargs: Any) -> bytes:
        if self.page_count == 1:
            return PDF
        document = pikepdf.new()
        for _ in range(self.page_count):
            document.add_blank_page()
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    def render(self, **kwargs: Any) -> Any:
        anchors = dict.fromkeys(("header", "qr-slot", "serial"), (0.0, 0.0, 10.0, 10.0))
        page = SimpleNamespace(anchors=anchors, height=793.7)
        return SimpleNamespace(pages=[page] * self.page_count, write_pdf=self.write_pdf)


class _NotStarted:
    """A thread that is never started (the world runs its print jobs in place)."""

    def __init__(self, **_: Any) -> None:
        pass

    def start(self) -> None:
        pass


class _Now:
    """A thread that runs when it is started, in the caller's thread: a background print job
    started by a request must not touch the test's shared connection from another thread."""

    def __init__(self, target: Callable[..., Any], args: tuple[Any, ...] = (), **_: Any) -> None:
        self.target, self.args = target, args

    def start(self) -> None:
        self.target(*self.args)


@pytest.fixture
def externals(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint without layout, rendering in this process so that the stand-in is the one
    used, and background threads run in place (see above)."""
    monkeypatch.setitem(app.config, "PDF_PROCESSES", 0)
    monkeypatch.setattr(pdf, "HTML", _LaidOutByNobody)
    monkeypatch.setattr(print_jobs, "threading", SimpleNamespace(Thread=_Now))


# --- the requests ----------------------------------------------------------------------------


def url_values(case: Case, world: World) -> dict[str, Any]:
    variant = case.variant
    side = {"empty": "a", "mismatch": "a", "-": "a"}.get(variant, variant)
    absent = OUT_OF_RANGE_ID if variant == "out_of_range" else MISSING_ID
    values: dict[str, Any] = {}
    for argument in case.route.arguments:
        if argument in CONSTANTS:
            values[argument] = CONSTANTS[argument]
        elif argument == "serial":  # the public check of a certificate, with its code
            values["serial"], values["c"] = world.certificate.serial, world.certificate.code
        elif argument in PRIMARY or argument in SECONDARY:
            kind = PRIMARY.get(argument) or SECONDARY[argument]
            if variant in {"missing", "out_of_range"}:
                values[argument] = absent
            elif variant == "mismatch" and argument in SECONDARY:
                values[argument] = world.get(kind, "b").id
            else:
                values[argument] = world.get(kind, side).id
        else:
            raise AssertionError(f"no value for the URL argument {argument!r}")
    return values


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _awards_xlsx(unit_name: str) -> bytes:
    """An import of one earlier award to a person of `unit_name`."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(["STT", "Họ tên", "Chức vụ", "Đơn vị", "Hình thức", "Số quyết định", "Ngày"])
    sheet.append([1, "Nguyễn Văn Nhập", "", unit_name, "Giấy khen", "3/QĐ-UBND", "05/01/2020"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _candidates_xlsx(unit_name: str, award_code: str) -> bytes:
    """An import of one candidate dossier: the unit `unit_name` for the title `award_code`."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(list(CANDIDATE_COLUMNS))
    sheet.append([1, None, None, None, None, unit_name, award_code, "Đơn vị tiêu biểu"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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
    criterion = w.get("criterion", "a").id  # every dossier of the matrix is for D's award
    return {
        "version": str(w.get("nomination", side).version),
        "summary": "Tóm tắt đã sửa",
        f"c{criterion}_met": "yes",
        f"c{criterion}_note": "Biên bản kiểm tra",
    }


def _settings_form(w: World, side: str) -> dict[str, Any]:
    return {
        "superior_name": "",
        "issuer_name": "ỦY BAN NHÂN DÂN HUYỆN THỬ",
        "signer_office": "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN THỬ",
        "signer_title": "CHỦ TỊCH",
        "signer_name": "Trần Văn Ký",
        "place_name": "Thử",
        "number_suffix": "QĐ-UBND",
        "legal_bases": "Căn cứ Luật Thi đua, khen thưởng;",
        "recipients": "- Lưu: VT.",
        "paper": "A4",
    }


def _blank_layout_form(w: World, side: str) -> dict[str, Any]:
    data: dict[str, Any] = {"offset_x": "0", "offset_y": "0"}
    for name, box in default_boxes("A4").items():
        data.update({f"{name}_x": box.x, f"{name}_y": box.y, f"{name}_width": box.width})
        if name != "qr":
            data.update({f"{name}_size": box.size, f"{name}_align": box.align})
        data[f"{name}_shown"] = "y"
    return data


def _decision_form(w: World, side: str) -> dict[str, Any]:
    return {
        "title": "Về việc tặng Giấy khen",
        "legal_bases": "Căn cứ Luật Thi đua, khen thưởng;",
        "articles": "Điều 1. Tặng Giấy khen.",
        "recipients": "- Lưu: VT.",
        "signer_title": "CHỦ TỊCH",
        "signer_name": "Trần Văn Ký",
    }


def _target_form(w: World, side: str, code: str) -> dict[str, Any]:
    return {
        "code": code,
        "text": "Tỷ lệ hộ nghèo giảm còn dưới 1%",
        "sector": "society",
        "direction": "lower",
        "measure_unit": "%",
        "baseline": "2,1",
        "target_value": "1",
        "responsible_unit_id": str(w.get("unit", side).id),
        "timing": "periodic",
    }


def _today(days: int = 0) -> str:
    return (local_today() + timedelta(days=days)).isoformat()


FormBuilder = Callable[[World, str], dict[str, Any]]

# A form the route accepts, so that a role let through really does the action; `side` is the
# side of the object in the URL ("a", "b", "draft", "planned", …).
VALID_FORMS: dict[str, FormBuilder] = {
    # The API reads no form: a session is refused before any body is read (401).
    "api_dossiers.create": lambda w, side: {},
    "api_dossiers.update": lambda w, side: {},
    "api_dossiers.attach": lambda w, side: {},
    "api_dossiers.submit": lambda w, side: {},
    "api_dossiers.resubmit": lambda w, side: {},
    "api_clients.create": lambda w, side: {
        "name": "Cổng thông tin thử",
        "scopes": ["read"],
        "unit_id": str(w.get("unit", "a").id),
    },
    "api_clients.revoke": lambda w, side: {},
    "money.amount": lambda w, side: {"amount": "1.000.000", "reason": "Theo dự toán"},
    "money.fund": lambda w, side: {
        "year": "2026",
        "budget": "50.000.000",
        "movement_percent": "20",
    },
    "auth.login": lambda w, side: {"username": w.get("user", "a").name, "password": PASSWORD},
    "auth.logout": lambda w, side: {},
    "auth.set_language": lambda w, side: {"next": "/dashboard"},
    "auth.notification_settings": lambda w, side: {"delivery": "app_only"},
    "auth.change_password": lambda w, side: {
        "current_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
    },
    "units.create": lambda w, side: {
        "name": "Ấp Mới Lập",
        "kind": UnitKind.HAMLET.value,
        "code": "",
        "parent_id": str(w.get("unit", "a").id),
        "successor_id": "",
    },
    "units.edit": lambda w, side: {
        "name": f"{w.get('unit', side).name} (đổi tên)",
        "kind": w.get("unit", side).kind,
        "code": w.get("unit", side).code,
        "successor_id": "",
        "is_awarding_body": "y",
    },
    "units.move": lambda w, side: {"parent_id": str(w.province.id)},
    "units.deactivate": lambda w, side: {},
    "units.reactivate": lambda w, side: {},
    "units.merge": lambda w, side: {"successor_id": str(w.province.id)},
    "units.import_csv": lambda w, side: {
        "file": (
            io.BytesIO(
                _csv(
                    "code,name,kind,parent_code",
                    f"T-IMPORT-1,Ấp Nhập Khẩu,hamlet,{w.get('unit', 'a').code}",
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
        "username": w.get("user", side).name,
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
    "admin.clear_login_throttle": lambda w, side: {"username": w.get("user", side).name},
    "notifications.read_all": lambda w, side: {},
    "notifications.open_one": lambda w, side: {"notification": "1"},
    "campaigns.new_award_type": lambda w, side: _award_form("MOI-01"),
    "campaigns.edit_award_type": lambda w, side: _award_form(w.get("award_type", side).code),
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
        "opens_on": _today(),
        "closes_on": _today(30),
    },
    "campaigns.edit_campaign": lambda w, side: {
        "name": f"{w.get('campaign', side).name} (sửa)",
        "opens_on": _today(-10),
        "closes_on": str(w.get("campaign", side).day),
    },
    "campaigns.change_status": lambda w, side: {},
    "campaigns.seed_defaults": lambda w, side: {},
    "law.delete_value": lambda w, side: {},
    "law.rule": lambda w, side: {
        "valid_from": _today(),
        "text": "2.530.000",
        "source": "Nghị định số 73/2024/NĐ-CP",
    },
    "campaigns.extend": lambda w, side: {"closes_on": _today(60)},
    "campaigns.add_offer": lambda w, side: {
        "award_type_id": str(w.get("award_type", side).id),
        "quota": "5",
    },
    "campaigns.remove_offer": lambda w, side: {},
    "nominations.create": lambda w, side: {
        "award_type_id": str(w.get("award_type", side).id),
        "nominee_unit_id": str(w.free_unit.id),
    },
    "nominations.import_candidates_page": lambda w, side: {
        "file": (
            io.BytesIO(_candidates_xlsx(w.free_unit.name, w.get("award_type", side).code)),
            "ds.xlsx",
        ),
    },
    "nominations.edit": _dossier_form,
    "nominations.act": lambda w, side: {
        "version": str(w.get("nomination", side).version),
        "comment": "Đề nghị bổ sung minh chứng.",
    },
    "nominations.hold": lambda w, side: {
        "version": str(w.get("nomination", side).version),
        "kind": "inspection",
        "reason": "Thông báo thanh tra số 12/TB-TTr",
    },
    "nominations.release": lambda w, side: {
        "version": str(w.get("nomination", side).version),
        "reason": "Kết luận thanh tra: không vi phạm",
    },
    "nominations.delete": lambda w, side: {},
    "nominations.copy": lambda w, side: {},
    "nominations.remove_file": lambda w, side: {},
    "review.save_appraisal": lambda w, side: {
        f"v{w.get('criterion', 'a').id}": "agree",
        f"n{w.get('criterion', 'a').id}": "Đúng với hồ sơ",
    },
    "council.members": lambda w, side: {
        "user_id": str(w.get("user", "a").id),
        "role": CouncilRole.MEMBER.value,
        "term_start": _today(),
    },
    "council.end_member": lambda w, side: {},
    "council.new_session": lambda w, side: {
        "title": "Phiên họp mới",
        "kind": SessionKind.MEETING.value,
        "held_on": _today(),
        "place": "Hội trường",
    },
    "council.add_items": lambda w, side: {"nomination_id": str(w.accepted.id)},
    "council.move": lambda w, side: {},
    "council.remove_item": lambda w, side: {},
    "council.attendance": lambda w, side: {f"m{seat}": "present" for seat in w.seats},
    "council.secretary": lambda w, side: {"member_id": str(w.get("member", "a").id)},
    "council.open_vote": lambda w, side: {},
    "council.hands": lambda w, side: {"agree": "1", "disagree": "0", "abstain": "0"},
    "council.vote": lambda w, side: {"step": "cast", "choice": CHOICE_CODES[Choice.AGREE]},
    "council.conflict": lambda w, side: {"reason": "Người thân của người được đề nghị"},
    "council.close": lambda w, side: {"chair_approved": "1"},
    "council.approve": lambda w, side: {},
    "decisions.create": lambda w, side: {
        "nomination_id": str(w.free_passed.get(side, w.free_passed["a"]).id)
    },
    "decisions.detail": _decision_form,
    "decisions.post": lambda w, side: {},
    "decisions.issue": lambda w, side: {},
    "decisions.annul": lambda w, side: {"reason": "Sai sót trong danh sách"},
    "decisions.request_annulment": lambda w, side: {"reason": "Kết luận thanh tra"},
    "decisions.dismiss_annulment": lambda w, side: {"note": "Khiếu nại không có căn cứ"},
    "decisions.settings": _settings_form,
    "certificates.start_print": lambda w, side: {},
    "honours.publish": lambda w, side: {"story": "Gương điển hình tiên tiến năm nay"},
    "history.import_xlsx": lambda w, side: {
        "awarding_body_name": "UBND huyện Chợ Lách",
        "file": (io.BytesIO(_awards_xlsx(w.get("unit", "a").name)), "khen-thuong.xlsx"),
    },
    "registration.new_call": lambda w, side: {
        "year": str(local_today().year + 1),
        "deadline": f"{local_today().year + 1}-01-31",
        "pledge": "Giao ước thi đua năm sau",
    },
    "registration.register": lambda w, side: {
        "award_1": str(w.get("award_type", "a").id),
        "nominee_1": "Ấp A1",
        "sign": "y",
    },
    "registration.remind": lambda w, side: {},
    "registration.change_call": lambda w, side: {
        "deadline": f"{local_today().year}-02-28",
        "pledge": "Giao ước thi đua",
    },
    "honours.unpublish": lambda w, side: {"reason": "Chưa xin phép dùng ảnh"},
    "blanks.layout": _blank_layout_form,
    "clusters.new": lambda w, side: {"name": "Cụm thi đua mới", "kind": "cluster", "year": "2027"},
    "clusters.edit": lambda w, side: {
        "name": "Cụm thi đua số 1 (sửa)",
        "kind": "cluster",
        "year": str(local_today().year),
    },
    "clusters.members": lambda w, side: {"unit_id": str(w.get("unit", "b").id)},
    "clusters.remove": lambda w, side: {},
    "clusters.officers": lambda w, side: {
        "officer_unit_id": str(w.get("cluster_unit", side).id),
        "role": "deputy",
        "valid_from": _today(),
    },
    "clusters.new_line": lambda w, side: {
        "code": "TC9",
        "text": "Tiêu chí mới",
        "max_points": "5",
        "parent_id": "0",
    },
    "clusters.line": lambda w, side: {
        "code": "TC1",
        "text": "Tiêu chí thử (sửa)",
        "max_points": "12,5",
        "parent_id": "0",
    },
    "clusters.remove_line": lambda w, side: {},
    "clusters.score": lambda w, side: {f"p{w.get('line', side).id}": "7,5", "n": "Ghi chú"},
    "clusters.agree": lambda w, side: {f"a{w.get('line', side).id}": "7", "votes": "2"},
    "clusters.lock": lambda w, side: {},
    "clusters.propose": lambda w, side: {},
    "targets.new_target": lambda w, side: _target_form(w, side, "CT-MOI"),
    "targets.edit": lambda w, side: _target_form(w, side, "CT1"),
    "targets.report": lambda w, side: {"value": "81,5", "as_of_on": _today()},
    "targets.confirm": lambda w, side: {},
    "targets.withdraw": lambda w, side: {},
    "targets.import_targets": lambda w, side: {
        "file": (
            io.BytesIO(_csv("code,sector,text,target", "CT-CSV,economy,Chỉ tiêu từ tệp,10")),
            "chi-tieu.csv",
        )
    },
    "targets.bands": lambda w, side: {
        "name_1": "hoàn thành",
        "min_1": "100",
        "name_2": "cơ bản hoàn thành",
        "min_2": "80",
        "name_3": "chưa hoàn thành",
        "min_3": "0",
    },
    "targets.reject": lambda w, side: {
        f"r{w.get('target_value', side).id}-reason": "Số liệu chưa khớp thống kê"
    },
    "public.verify_file": lambda w, side: {"file": (io.BytesIO(PDF), "giay-khen.pdf")},
    "public.posting": lambda w, side: {
        "name": "Nguyễn Văn Dân",
        "contact": "",
        "text": "Tôi đồng ý với danh sách.",
    },
}


def send(case: Case, world: World) -> Any:
    """The case's request, from the case's role."""
    client = world.client(case.role)
    with client.application.test_request_context():
        url = url_for(case.route.endpoint, **url_values(case, world))
    if case.route.method == "GET":
        return client.get(url)
    if case.route.method not in {"POST", "GET"}:  # PATCH (the API): the form as its body
        form = {"csrf_token": client.csrf_token(), **VALID_FORMS[case.route.endpoint](world, "a")}
        return client.open(url, method=case.route.method, data=form)
    if case.variant == "empty":
        return client.post_form(url, {})
    side = case.variant if case.variant not in {"-", "missing", "mismatch"} else "a"
    return client.post_form(url, VALID_FORMS[case.route.endpoint](world, side))


@cache
def _snapshot_queries() -> list[tuple[str, str]]:
    """One plain SELECT per table, in primary-key order (run by the driver: thousands of
    snapshots, so no ORM or type processing on the way). Names come from our own metadata."""
    queries = []
    for table in db.metadata.sorted_tables:
        order = ", ".join(f'"{column.name}"' for column in table.primary_key.columns)
        queries.append((table.name, f'SELECT * FROM "{table.name}" ORDER BY {order}'))  # noqa: S608
    return queries


def sent_without_writing(case: Case, world: World) -> tuple[Any, bool]:
    """The case's response, and whether the request ran no INSERT, UPDATE or DELETE."""
    world.writes.seen = 0
    response = send(case, world)
    return response, world.writes.seen == 0


def assert_no_row_changed(world: World, wrote: bool, message: str = "") -> None:
    """The rows are the world's as built: certain when the request wrote nothing; otherwise (a
    write that a savepoint rolled back, say) every table is compared with the snapshot."""
    if wrote:
        assert snapshot() == world.rows, message


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
    posts = {route.endpoint for route in ROUTES if route.method in {"POST", "PATCH"}}
    assert posts - set(VALID_FORMS) == set(), "POST routes without a valid form here"


def test_the_world_is_real(world: World) -> None:
    """The matrix would prove little if its ids pointed at nothing or at the wrong thing."""

    def state(model: Any, kind: str) -> dict[str, str]:
        return {
            side: db.session.get(model, thing.id).state  # type: ignore[union-attr]
            for side, thing in world.objects[kind].items()
        }

    assert state(Nomination, "nomination") == {"a": "in_review", "b": "in_review", "draft": "draft"}
    assert state(CouncilSession, "session") == {
        "a": "voting",
        "b": "voting",
        "planned": "planned",
        "closed": "closed",
    }
    assert state(Decision, "decision") == {"a": "issued", "b": "issued", "posted": "posted"}
    grants = world.objects["grant"]
    held = db.session.execute(
        select(RoleGrant.id, RoleGrant.user_id).where(
            RoleGrant.id.in_([g.id for g in grants.values()])
        )
    ).all()
    assert sorted(held) == sorted((grants[s].id, world.get("user", s).id) for s in ("a", "b"))
    assert db.session.get(Unit, MISSING_ID) is None
    assert db.session.get(Nomination, MISSING_ID) is None


@pytest.mark.parametrize("role", ["disabled", "nominator_a"])
def test_the_disabled_session_is_dead(world: World, role: str) -> None:
    response = world.client(role).get("/dashboard")
    assert outcome_of(response) == (LOGIN if role == "disabled" else OK)


# GET routes known to write, each a breach of "a GET changes no row" to be fixed: their
# allowed cases are expected to fail (strict: once fixed, they pass and this list must shrink).
GET_WRITES: dict[str, str] = {}


def _param(case: Case) -> Any:
    reason = GET_WRITES.get(case.route.endpoint)
    if reason and case.route.method == "GET" and expected(case) == OK:
        return pytest.param(case, id=case.id, marks=pytest.mark.xfail(reason=reason, strict=True))
    return pytest.param(case, id=case.id)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
@pytest.mark.usefixtures("externals")
def test_access(world: World, case: Case) -> None:
    assert case.route.key in ACCESS, f"{case.route.key} is missing from tests/access_table.py"
    want = expected(case)
    response, clean = sent_without_writing(case, world)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    got = outcome_of(response)
    if want == IGNORED and got == OK:
        got = IGNORED  # provided that no row changed, checked below
    assert got == want, (response.status_code, response.headers.get("Location"))
    if case.route.method == "GET":
        # A GET changes no row, whoever asks and whatever it answers. The snapshot is the
        # world's, taken once every role had logged in (a login writes users.last_login_at).
        assert_no_row_changed(world, not clean, "a GET changed rows")
    elif want != OK:
        # Every test starts from the world as built (the canary pair proves it).
        assert_no_row_changed(world, not clean, "a refused request changed rows")


# The canary pair: the first test changes rows and a file through the app, the second proves
# that the rollback took them away (and that all the cases left the world as it was built).


def test_canary_nominator_deletes_the_draft(world: World) -> None:
    route = Route("nominations.delete", "POST", frozenset({"nomination_id"}))
    assert outcome_of(send(Case(route, "nominator_a", "draft"), world)) == OK
    assert db.session.get(Nomination, world.get("nomination", "draft").id) is None
    assert [storage.exists(key) for key in world.files].count(False) == 1
    assert snapshot() != world.rows


def test_canary_the_draft_is_back(world: World) -> None:
    assert db.session.get(Nomination, world.get("nomination", "draft").id) is not None
    assert all(storage.read_bytes(key) == content for key, content in world.files.items())
    assert snapshot() == world.rows
