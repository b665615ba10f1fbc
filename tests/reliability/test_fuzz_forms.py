"""Every form of the app, driven by Hypothesis through the test client (docs/reliability.md,
"Fuzzing"): empty and huge strings, NUL and control characters, decomposed Vietnamese and
combining-mark floods, zero-width and direction characters, bad dates, huge numbers, unknown
choices, junk files, missing, duplicated and unknown fields. Every request must answer below
500, and every text written to the database must be NFC.

Each POST endpoint of `app.url_map` is a target below, posted by a role that may use it on an
object that accepts it, so that most examples reach the form's validation and the services
(a target list that misses an endpoint fails `test_every_form_is_fuzzed`). The world is the
access matrix's (tests/access_table.py describes it) plus a few objects that the forms need:
an award for persons with criteria of every measure, a show-of-hands vote, draft decisions.
Each example runs in a savepoint that is rolled back, so every example starts from that world
(a dossier submitted by one example is a draft again for the next).

RECOGNITION_FUZZ_EXAMPLES sets the examples per form; by default they come in two passes
(tests/support/passes.py): `make test`'s quick pass, 20 in the SQLite run and 10 in the
PostgreSQL run, and the deep pass (`make fuzz-deep`, which `.ci/run` adds), 130 and 40 (`make
fuzz`: 5000). Together they try 200 per form: the forms and their handling are the same on
both databases, and what PostgreSQL adds (its length limits, types and constraints) shows
within the first examples, at more than twice the cost of each. With CI set, those are
derandomised (the same on every run, tests/conftest.py); each other run and pass draws from a
seed of its own, so that its examples are not another's again. In the deep pass a small
unseeded run of each form follows (`test_fuzz_form_unseeded`, RECOGNITION_FUZZ_UNSEEDED
examples, a tenth by default and at least 10) and keeps finding new inputs. What a run without
a seed finds becomes an explicit `examples` entry of its target, replayed on every run.
"""

from __future__ import annotations

import functools
import io
import os
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, ClassVar
from urllib.parse import urlsplit

import pytest
from flask import Flask, current_app, url_for
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, example, given, seed, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import event, select

from recognition.admin.forms import (
    AuditFilterForm,
    ClearThrottleForm,
    GrantForm,
    NewUserForm,
    SearchForm,
    UserForm,
)
from recognition.api.enums import Scope
from recognition.api.forms import ClientForm
from recognition.auth.enums import Role
from recognition.auth.forms import ChangePasswordForm, LoginForm, NotificationDeliveryForm
from recognition.auth.models import User
from recognition.auth.workflow import disable_user
from recognition.blanks.forms import BlankLayoutForm
from recognition.blanks.services import default_boxes
from recognition.campaigns.criteria_csv import COLUMNS as CRITERIA_COLUMNS
from recognition.campaigns.enums import CampaignStatus, MeasureKind, NomineeKind, VoteMethod
from recognition.campaigns.forms import (
    AwardTypeForm,
    CampaignForm,
    CriterionForm,
    CsvUploadForm,
    ExtendForm,
    OfferForm,
)
from recognition.campaigns.models import AwardType, Campaign
from recognition.campaigns.services import offer_award
from recognition.certificates import print_jobs as print_jobs
from recognition.clusters.forms import ClusterForm, LineForm, OfficerForm, ProposeForm
from recognition.clusters.forms import MemberForm as ClusterMemberForm
from recognition.clusters.models import Cluster
from recognition.clusters.services import (
    CriterionData,
    ScoreEntry,
    lock_result,
    save_agreed_scores,
    save_criterion,
)
from recognition.common import file_checks, pdf
from recognition.common.forms import ConfirmForm, Form
from recognition.council.ballot_box import CHOICE_CODES
from recognition.council.enums import Choice, SessionState
from recognition.council.forms import (
    ConflictForm,
    HandsForm,
    MemberForm,
    SecretaryForm,
    SessionForm,
)
from recognition.database import local_today
from recognition.decisions import annulments
from recognition.decisions import services as decisions
from recognition.decisions.forms import (
    AnnulForm,
    AnnulmentRequestForm,
    DecisionForm,
    DismissAnnulmentForm,
    FeedbackForm,
    IssueForm,
    SettingsForm,
    VerifyUploadForm,
)
from recognition.decisions.money.forms import AmountForm, FundForm
from recognition.extensions import db, limiter
from recognition.history.forms import ImportAwardsForm
from recognition.history.importing import COLUMNS as AWARD_COLUMNS
from recognition.honours.forms import PublishForm, UnpublishForm
from recognition.law.forms import LawValueForm
from recognition.nominations.enums import Action, Gender, HoldKind, NominationState
from recognition.nominations.forms import (
    ActionForm,
    FilterForm,
    HoldForm,
    ImportCandidatesForm,
    NewNominationForm,
    ReleaseForm,
    dossier_form_class,
)
from recognition.nominations.holds import hold_nomination
from recognition.nominations.importing import COLUMNS as CANDIDATE_COLUMNS
from recognition.nominations.workflow import apply_transition
from recognition.notifications.forms import OpenNotificationForm
from recognition.registration.forms import CallForm, ChangeCallForm, RegisterForm
from recognition.review.forms import appraisal_form_class
from recognition.targets.forms import BandsForm, RejectForm, ReportForm, TargetForm
from recognition.targets.importing import COLUMNS as TARGET_COLUMNS
from recognition.units.enums import UnitKind
from recognition.units.forms import ImportUnitsForm, MergeUnitForm, MoveUnitForm, UnitForm
from recognition.units.importing import COLUMNS as UNIT_COLUMNS
from recognition.units.models import Unit
from tests.conftest import ON_POSTGRES, PASSWORD, Client, shared_transaction
from tests.reliability.fuzzing import (
    HOSTILE_NUMBERS,
    PDF,
    PNG,
    FieldSpec,
    Upload,
    WriteWatch,
    csv_files,
    dates_near,
    form_data,
    form_specs,
    multidict,
    nfd,
    raw_spec,
    text_values,
)
from tests.support.factories import (
    AwardTypeFactory,
    CriterionFactory,
    NominationFactory,
    UnitFactory,
    cluster_of,
    dissolve,
    user_with,
)
from tests.support.object_store import put_back, store_of_its_own
from tests.support.passes import DEEP, examples
from tests.test_access_matrix import (
    VALID_FORMS,
    Staff,
    Thing,
    World,
    _advance,
    _dossier,
    _Now,
    _session,
    build_world,
    sign_in,
)

pytestmark = pytest.mark.integration

WEASYPRINT_HTML, WEASYPRINT_CSS = pdf.HTML, pdf.CSS
LOGIN_WALL = 0  # the status recorded for a redirect to the login page
# CI fuzzes in two passes of its own seeds: `make test` runs the quick pass (20 examples a
# form on SQLite, 10 on PostgreSQL) and `.ci/run` then the deep pass (`make fuzz-deep`: 130 on
# SQLite, 40 on PostgreSQL, each followed by a tenth as many unseeded): 200 distinct examples a
# form in all.
EXAMPLES = examples("RECOGNITION_FUZZ_EXAMPLES", quick=(20, 10), deep=(130, 40))
UNSEEDED_EXAMPLES = int(os.environ.get("RECOGNITION_FUZZ_UNSEEDED", max(10, EXAMPLES // 10)))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


# --- the world -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Extras:
    """What the access matrix's world lacks for the forms (all of D, the district)."""

    person_award: Thing  # for individuals, with a yes/no, a number and a text criterion
    person_draft: Thing  # a draft for a person, by A's nominator
    hands_session: Thing  # a meeting voting by show of hands on one dossier
    hands_item: Thing
    draft_to_post: Thing  # a draft decision whose title is posted publicly first
    draft_to_issue: Thing  # a draft decision that may be issued at once
    award_ids: tuple[int, ...]  # every award type of D
    dissolved_unit: Thing  # a hamlet of A that was dissolved (to restore)
    disabled_user: Thing  # a disabled account (to enable)
    held: Thing  # a dossier in appraisal that the secretariat holds (to release)
    withdrawn: Thing  # a dossier A's nominator withdrew (to start a new draft from)
    proposed: Thing  # an issued decision whose annulment the secretariat proposed
    locked_cluster: Thing  # a cluster of D with A alone, scored and locked (to propose)


@dataclass
class Fuzz:
    world: World
    extras: Extras
    watch: WriteWatch
    urls: dict[tuple[str, str], str] = field(default_factory=dict)
    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _locked_cluster(district: Unit, unit_a: Unit, secretariat: User) -> Cluster:
    cluster = cluster_of(
        district, [unit_a], actor=secretariat, year=local_today().year, name="Cụm đã khóa"
    )
    data = CriterionData(code="TC1", text="Tiêu chí thử", max_points=Decimal(10))
    line = save_criterion(cluster, None, data, actor=secretariat)
    entries = {line.id: ScoreEntry(points="8")}
    save_agreed_scores(cluster.members[0], entries, votes=None, actor=secretariat)
    lock_result(cluster, actor=secretariat)
    return cluster


def build_extras(world: World) -> Extras:
    """The objects of `Extras`, built through the services like the world."""
    district = db.session.get(Unit, world.district.id)
    unit_a = db.session.get(Unit, world.get("unit", "a").id)
    campaign = db.session.get(Campaign, world.get("campaign", "a").id)
    nominator = _user(world, "nominator_a")
    staff = Staff(_user(world, "secretariat"), _user(world, "chair"))
    assert district is not None and unit_a is not None and campaign is not None

    person_award = AwardTypeFactory(awarding_body=district, nominee_kind=NomineeKind.INDIVIDUAL)
    for measure in MeasureKind:
        CriterionFactory(award_type=person_award, measure=measure, required=False)
    hands_award = AwardTypeFactory(
        awarding_body=district, vote_method=VoteMethod.SHOW_OF_HANDS, abstain_allowed=True
    )
    posted_award = AwardTypeFactory(
        awarding_body=district, simplified_allowed=True, public_posting_days=15
    )
    plain_award = AwardTypeFactory(awarding_body=district, simplified_allowed=True)
    for award in (person_award, hands_award, posted_award, plain_award):
        offer_award(campaign, award, quota=None)

    person_draft = NominationFactory(
        campaign=campaign,
        award_type=person_award,
        actor=nominator,
        person_name="Lê Thị Hồng",
        person_unit=unit_a,
        person_birth_year=1980,
    )
    hamlets = [
        UnitFactory(name=f"Ấp Thử {n}", kind=UnitKind.HAMLET, parent=unit_a) for n in range(5)
    ]
    voted, _ = _dossier(campaign, hands_award, hamlets[0], nominator)
    _advance(voted, NominationState.ACCEPTED, nominator, staff)
    hands = _session(district, voted, staff, SessionState.VOTING)
    drafts = []
    for award, hamlet in ((posted_award, hamlets[1]), (plain_award, hamlets[2])):
        passed, _ = _dossier(campaign, award, hamlet, nominator)
        _advance(passed, NominationState.PASSED, nominator, staff)
        drafts.append(decisions.draft_decision(district, [passed], actor=staff.secretariat))
    awarded, _ = _dossier(campaign, plain_award, hamlets[4], nominator)
    _advance(awarded, NominationState.PASSED, nominator, staff)
    proposed = decisions.draft_decision(district, [awarded], actor=staff.secretariat)
    decisions.issue_decision(proposed, actor=staff.chair, today=local_today())
    annulments.request_annulment(proposed, actor=staff.secretariat, reason="Có khiếu nại")
    held, _ = _dossier(campaign, plain_award, hamlets[3], nominator)
    _advance(held, NominationState.IN_REVIEW, nominator, staff)
    hold_nomination(
        held, kind=HoldKind.COMPLAINT, reason="Đang giải quyết khiếu nại", actor=staff.secretariat
    )
    gone = UnitFactory(name="Ấp Rút Hồ Sơ", kind=UnitKind.HAMLET, parent=unit_a)
    withdrawn, _ = _dossier(campaign, plain_award, gone, nominator)
    apply_transition(withdrawn, Action.SUBMIT, actor=nominator)
    apply_transition(withdrawn, Action.WITHDRAW, actor=nominator, comment="Nộp nhầm")
    awards = db.session.scalars(
        select(AwardType.id).where(AwardType.awarding_body_id == district.id)
    ).all()
    dissolved = UnitFactory(name="Ấp Đã Giải Thể", kind=UnitKind.HAMLET, parent=unit_a)
    dissolve(dissolved, on=local_today())
    disabled = user_with(Role.NOMINATOR, unit_a, full_name="Trần Văn Nghỉ")
    disable_user(disabled, actor=_user(world, "admin"))
    locked = _locked_cluster(district, unit_a, staff.secretariat)
    extras = Extras(
        locked_cluster=Thing(locked.id),
        person_award=Thing(person_award.id),
        person_draft=Thing(person_draft.id, version=person_draft.version),
        hands_session=Thing(hands.id),
        hands_item=Thing(hands.items[0].id),
        draft_to_post=Thing(drafts[0].id),
        draft_to_issue=Thing(drafts[1].id),
        award_ids=tuple(awards),
        dissolved_unit=Thing(dissolved.id),
        disabled_user=Thing(disabled.id),
        held=Thing(held.id, version=held.version),
        withdrawn=Thing(withdrawn.id),
        proposed=Thing(proposed.id),
    )
    db.session.commit()
    return extras


def _user(world: World, role: str) -> Any:
    from recognition.auth.models import User

    return db.session.get(User, world.accounts[role].id)


SIGNED_IN_ROLES = ("anonymous", "nominator_a", "secretariat", "council", "chair", "admin")


@pytest.fixture(scope="module")
def fuzz(app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzz]:
    """The world and its extras, signed in, in an outer transaction rolled back after the
    module; a listener on the engine watches every text written."""
    app.test_client_class = Client
    with store_of_its_own(app, tmp_path_factory.mktemp("fuzz-uploads")):
        yield from _fuzz_in_transaction(app)


def _fuzz_in_transaction(app: Flask) -> Iterator[Fuzz]:
    watch = WriteWatch()
    state = None
    with shared_transaction(app) as connection:
        event.listen(connection, "before_cursor_execute", watch)
        try:
            with app.test_request_context():  # the workflow's notifications build links
                world = build_world(connection, app.config["SESSION_COOKIE_NAME"])
                extras = build_extras(world)
                for role in SIGNED_IN_ROLES:
                    world.clients[role] = sign_in(app, world, role)
                    cookie = world.clients[role].get_cookie(world.cookie_name)
                    assert cookie is not None
                    world.cookies[role] = cookie.value
            watch.take()  # the world's own names are NFC; what matters is what forms write
            state = Fuzz(world, extras, watch)
            yield state
        finally:
            event.remove(connection, "before_cursor_execute", watch)
    if state is not None and state.statuses:
        _report(state)


@pytest.fixture(autouse=True)
def _isolated(app: Flask, fuzz: Fuzz) -> Iterator[None]:
    """Replaces the conftest's isolation: each test runs in a savepoint of the module's
    transaction (each example in a savepoint of that one)."""
    with app.app_context():
        savepoint = fuzz.world.connection.begin_nested()
        db.session.remove()
        try:
            yield
        finally:
            db.session.remove()
            savepoint.rollback()


class _LaidOutOnce:
    """WeasyPrint's HTML, laid out once per distinct page. Every example of a form that issues
    or prints certificates does it again to the same world (rolled back each time): the same
    numbers, the same pages. WeasyPrint is external; the PDF tests check what it makes."""

    pages: ClassVar[dict[str, _Rendered]] = {}

    def __init__(self, string: str, **kwargs: Any) -> None:
        self.string, self.kwargs = string, kwargs

    def render(self, **kwargs: Any) -> _Rendered:
        if self.string not in self.pages:
            sheets = [s.parsed() for s in kwargs.pop("stylesheets", [])]
            document = WEASYPRINT_HTML(string=self.string, **self.kwargs)
            self.pages[self.string] = _Rendered(document.render(stylesheets=sheets, **kwargs))
        return self.pages[self.string]

    def write_pdf(self, **kwargs: Any) -> bytes:
        return self.render().write_pdf()


class _ParsedWhenUsed:
    """WeasyPrint's CSS, parsed only for a page that is laid out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs = args, kwargs

    def parsed(self) -> Any:
        return WEASYPRINT_CSS(*self.args, **self.kwargs)


class _Rendered:
    """A laid-out document whose PDF is written once."""

    def __init__(self, document: Any) -> None:
        self.document, self.pdf = document, b""

    def __getattr__(self, name: str) -> Any:
        return getattr(self.document, name)

    def write_pdf(self, *args: Any, **kwargs: Any) -> bytes:
        if not self.pdf:
            self.pdf = bytes(self.document.write_pdf(*args, **kwargs) or b"")
        return self.pdf


@pytest.fixture
def externals(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint laid out once per page, in this process; an uploaded PDF opened by the
    sandboxed probe once per distinct content (a child process each time costs 0.13 s, and the
    examples upload the same few files again and again; tests/nominations/test_uploads checks
    the probe); background print jobs run in place (as in the access matrix)."""
    monkeypatch.setattr(file_checks, "_probe_pdf", functools.cache(file_checks._probe_pdf))
    monkeypatch.setattr(pdf, "HTML", _LaidOutOnce)
    monkeypatch.setattr(pdf, "CSS", _ParsedWhenUsed)
    monkeypatch.setitem(current_app.config, "PDF_PROCESSES", 0)
    monkeypatch.setattr(print_jobs, "threading", SimpleNamespace(Thread=_Now))


def _report(state: Fuzz) -> None:
    total: Counter[int] = Counter()
    for counts in state.statuses.values():
        total.update(counts)
    lines = [
        f"fuzzed {len(state.statuses)} forms, {sum(total.values())} requests in "
        f"{sum(state.seconds.values()):.1f} s; statuses {dict(sorted(total.items()))}"
    ]
    for name, counts in sorted(state.statuses.items()):
        lines.append(f"  {name}: {dict(sorted(counts.items()))} {state.seconds[name]:.1f} s")
    sys.stderr.write("\n".join(lines) + "\n")


# --- the targets -----------------------------------------------------------------------------

Hints = dict[str, SearchStrategy[Any]]


@dataclass(frozen=True)
class Ctx:
    world: World
    extras: Extras

    def id(self, kind: str, side: str = "a") -> int:
        return self.world.get(kind, side).id

    def ids(self, *values: int | str) -> SearchStrategy[str]:
        return st.sampled_from([str(value) for value in values])

    @property
    def units(self) -> list[int]:
        w = self.world
        return [w.province.id, w.district.id, self.id("unit"), self.id("unit", "b"), w.free_unit.id]

    @property
    def users(self) -> list[int]:
        return [thing.id for thing in self.world.accounts.values()] + [
            self.id("user"),
            self.id("user", "b"),
        ]


FormOf = Callable[[Ctx], type[FlaskForm]]
Example = tuple[dict[str, Any], list[tuple[str, Any]]]


@dataclass(frozen=True)
class Target:
    """One form posted by `role` to `endpoint` with the URL values `url` gives (plain values
    or strategies). `hints` are the valid values of fields whose choices the view fills in;
    `raw` the fields the view reads from `request.form` itself. `examples` are inputs that
    once failed, as (URL values, posted fields), tried first on every run."""

    endpoint: str
    role: str
    form: type[FlaskForm] | FormOf
    url: Callable[[Ctx], dict[str, Any]] = lambda c: {}
    hints: Callable[[Ctx], Hints] = lambda c: {}
    raw: Callable[[Ctx], Hints] = lambda c: {}
    method: str = "POST"
    name: str = ""
    examples: Callable[[Ctx], list[Example]] = lambda c: []

    @property
    def id(self) -> str:
        return self.name or self.endpoint

    def form_class(self, ctx: Ctx) -> type[FlaskForm]:
        if isinstance(self.form, type):
            return self.form
        return self.form(ctx)


def _unit_kinds() -> SearchStrategy[str]:
    return st.sampled_from([kind.value for kind in UnitKind])


def _unit_hints(c: Ctx) -> Hints:
    maybe = st.one_of(st.just(""), c.ids(*c.units))
    return {
        "kind": _unit_kinds(),
        "code": st.one_of(
            st.just(""), text_values(20), st.sampled_from([c.world.get("unit", "a").code])
        ),
        "parent_id": maybe,
        "successor_id": maybe,
    }


def _units_csv(c: Ctx) -> SearchStrategy[Any]:
    row = st.tuples(
        st.from_regex(r"FZ[0-9]{1,6}", fullmatch=True),
        text_values(60),
        _unit_kinds(),
        st.sampled_from(["", c.world.get("unit", "a").code, c.world.district.code]),
        st.one_of(st.just(""), dates_near(local_today())),
        st.one_of(st.just(""), dates_near(local_today())),
        st.sampled_from(["", "1", "0", "có", "x"]),
        st.just(""),
    ).map(list)
    return csv_files(UNIT_COLUMNS, row)


def _pdf_uploads() -> SearchStrategy[Any]:
    """A PDF to verify: a plain one, a truncated or damaged one, or no PDF at all."""
    damaged = st.builds(lambda cut: PDF[:cut], st.integers(min_value=5, max_value=len(PDF)))
    content = st.one_of(st.just(PDF), damaged, st.sampled_from([b"", b"%PDF-1.7\n%%EOF"]))
    return st.builds(Upload, content, st.sampled_from(["giấy khen.pdf", "x.png", ""]))


def _xlsx_upload(
    header: SearchStrategy[list[Any]], rows: SearchStrategy[list[list[Any]]], name: str
) -> SearchStrategy[Any]:
    """A workbook of `header` and `rows` uploaded as `name`, or a file that is no workbook."""

    def write(head: list[Any], body: list[list[Any]]) -> bytes:
        book = Workbook()
        sheet = book.worksheets[0]
        for row in [head, *body]:
            sheet.append(
                [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row]
            )
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    workbook = st.builds(Upload, st.builds(write, header, rows), st.just(name))
    junk = st.builds(
        Upload, st.sampled_from([PDF, b"", b"PK\x03\x04" + b"\x00" * 64]), st.just("x.xlsx")
    )
    return st.one_of(workbook, junk)


def _awards_xlsx(c: Ctx) -> SearchStrategy[Any]:
    """An import of earlier awards: the template's header (or a mangled one) and rows of
    plausible or hostile cells, or a file that is no workbook at all."""
    cell = st.one_of(
        text_values(60),
        st.sampled_from(["31/02/2023", "01/01/2020", "2023-12-01", "", "=1+1"]),
        st.integers(min_value=-(2**40), max_value=2**40),
    )
    unit = st.sampled_from([c.world.get("unit", "a").name, "Xã Không Có", ""])
    valid = st.tuples(
        st.just(1),
        text_values(60),
        text_values(60),
        unit,
        text_values(60),
        text_values(20),
        st.one_of(
            st.dates(date(1990, 1, 1), date(2030, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y")),
            cell,
        ),
    ).map(list)
    rows = st.lists(st.one_of(valid, st.lists(cell, max_size=9)), max_size=4)
    header = st.one_of(st.just(list(AWARD_COLUMNS)), st.lists(text_values(20), max_size=8))

    return _xlsx_upload(header, rows, "khen thưởng.xlsx")


def _candidates_xlsx(c: Ctx) -> SearchStrategy[Any]:
    """A list of candidates: the template's header (or a mangled one) and rows of plausible
    or hostile cells (units of A and elsewhere, the campaign's titles by code or name, years
    and genders right and wrong), or a file that is no workbook at all."""
    cell = st.one_of(
        text_values(60), st.sampled_from(["", "=1+1", "Nam", "Nữ", "1985"]), st.integers()
    )
    award = st.sampled_from(
        [c.extras.person_award.code, c.extras.person_award.name, "Bằng khen", ""]
    )
    unit = st.sampled_from([c.world.free_unit.name, c.world.get("unit", "b").name, "Ấp Không Có"])
    valid = st.tuples(
        st.just(1),
        text_values(60),
        st.one_of(st.integers(min_value=1800, max_value=2100), cell),
        st.sampled_from(["", "Nam", "Nữ", "khác"]),
        text_values(60),
        unit,
        award,
        text_values(200),
    ).map(list)
    rows = st.lists(st.one_of(valid, st.lists(cell, max_size=9)), max_size=4)
    header = st.one_of(st.just(list(CANDIDATE_COLUMNS)), st.lists(text_values(20), max_size=9))

    return _xlsx_upload(header, rows, "danh sách.xlsx")


def _criteria_csv(c: Ctx) -> SearchStrategy[Any]:
    row = st.tuples(
        st.from_regex(r"TC[0-9]{1,4}", fullmatch=True),
        text_values(60),
        text_values(300, multiline=True),
        st.sampled_from(["1", "0", ""]),
        st.sampled_from(["yes_no", "number", "text", nfd("văn bản"), "Số"]),
        st.sampled_from(["", "5", "1,5", "NaN", "1e309", "-1"]),
        st.one_of(st.just(""), text_values(40)),
        st.sampled_from(["1", "0", ""]),
    ).map(list)
    return csv_files(CRITERIA_COLUMNS, row)


def _usernames(c: Ctx) -> SearchStrategy[str]:
    existing = [thing.name for thing in c.world.accounts.values()]
    return st.one_of(
        st.from_regex(r"[a-z][a-z0-9._-]{2,20}", fullmatch=True),
        st.sampled_from(existing + [name.upper() for name in existing]),
    )


def _user_hints(c: Ctx) -> Hints:
    emails = ["", "an@example.com", "nguyễn@ví-dụ.vn", nfd("trần@example.com"), "AN@Example.COM"]
    return {"username": _usernames(c), "email": st.sampled_from(emails)}


def _csv(*lines: str) -> Upload:
    return Upload("\r\n".join(lines).encode("utf-8"), "import.csv")


# Found by unseeded runs (PostgreSQL): a cell longer than its String(n) column passed the
# importer and failed the INSERT (StringDataRightTruncation, a 500; SQLite stores it whole).
CRITERIA_TOO_LONG = [
    _csv("code,text", f"{'K' * 21},Có"),
    _csv("code,group,text,unit", f"TC1,{'N' * 201},{'V' * 2001},{'%' * 41}"),
]
UNITS_TOO_LONG = [
    _csv("code,name,kind", f"{'K' * 21},Ấp Một,Ấp"),
    _csv("code,name,kind,parent_code", f"A1,{'N' * 201},Ấp,{'P' * 21}"),
]
# A page number beyond what an OFFSET holds, and NUL in a query (both a 500 on PostgreSQL).
PAGES_AND_NUL: list[Example] = [
    ({}, [("page", str(10**25))]),
    ({}, [("page", str(2**63))]),
    ({}, [("page", "-1")]),
    ({}, [("q", "\x00")]),
]
PAGES = st.sampled_from(["", "1", "2", "3"])
YEARS = st.one_of(
    st.sampled_from(["", "2025", "1944", "2200", "-1", "２０２５"]),
    st.integers(-(10**20), 10**20).map(str),
)


NEW_PASSWORDS = ["Mật-khẩu-mới-2024-an-toàn", nfd("Mật-khẩu-mới-2024-an-toàn"), "ngắn", PASSWORD]


def _award_hints(c: Ctx) -> Hints:
    # A cap and a history rule each take two fields, both given or both empty, and the quorum
    # is a fraction: mostly empty or fitting, so that most examples are saved.
    awards = st.one_of(st.just(""), st.just(""), st.just(""), c.ids(*c.extras.award_ids))
    return {
        "code": st.one_of(text_values(30), st.sampled_from([c.world.get("award_type", "a").code])),
        "cap_base_id": awards,
        "cap_percent": st.sampled_from(["", "", "", "12.5"]),
        "history_award_id": awards,
        "history_years": st.sampled_from(["", "", "", "3"]),
        "quorum_numerator": st.sampled_from(["1", "2"]),
        "quorum_denominator": st.sampled_from(["2", "3"]),
    }


def _dossier_form(award: Callable[[Ctx], int], person: bool) -> FormOf:
    def build(c: Ctx) -> type[FlaskForm]:
        found = db.session.get(AwardType, award(c))
        assert found is not None
        return dossier_form_class(found, person=person)

    return build


def _dossier_hints(c: Ctx, version: int) -> Hints:
    person_units = st.one_of(
        st.just(""), c.ids(c.id("unit"), c.world.free_unit.id, c.id("unit", "b"))
    )
    return {
        "version": st.sampled_from([str(version), str(version + 1), ""]),
        "person_unit_id": person_units,
        "person_gender": st.sampled_from(["", *(g.value for g in Gender)]),
    }


def _appraisal_form(c: Ctx) -> type[FlaskForm]:
    award = db.session.get(AwardType, c.id("award_type"))
    assert award is not None
    return appraisal_form_class(award)


def _layout_hints(c: Ctx) -> Hints:
    hints: Hints = {
        "scan": st.builds(Upload, st.just(PNG), st.sampled_from(["phôi.png", nfd("phôi.png")]))
    }
    for name, box in default_boxes("A4").items():
        for part, value in (("x", box.x), ("y", box.y), ("width", box.width), ("size", box.size)):
            if part == "size" and name == "qr":
                continue
            middle = Decimal(str(value))
            near = st.decimals(middle - 2, middle + 2, places=2).map(
                lambda d: str(d).replace(".", ",")
            )
            hints[f"{name}_{part}"] = st.one_of(st.just(str(value)), near)
    return hints


def _target_hints(c: Ctx) -> Hints:
    units = [c.id("unit"), c.id("unit", "b"), c.world.free_unit.id, c.world.district.id]
    return {
        "responsible_unit_id": st.one_of(c.ids(*units), st.just("")),
        "code": st.one_of(text_values(20), st.sampled_from(["CT1", "ct2", nfd("CT-Đ")])),
        "baseline": st.sampled_from(["", "2,1", "68", "-4", "0"]),
        "target_value": st.sampled_from(["", "1", "82", "0", "1.500", "999999999999.99"]),
    }


def _targets_csv(c: Ctx) -> SearchStrategy[Any]:
    row = st.tuples(
        st.from_regex(r"CT[0-9]{1,4}", fullmatch=True),
        st.sampled_from(["economy", "Kinh tế", nfd("Xã hội"), "xa hoi", "?", ""]),
        text_values(300, multiline=True),
        st.one_of(st.just(""), text_values(60)),
        st.sampled_from(["", "higher", "lower", "yes_no", "Càng thấp càng tốt", "x"]),
        st.sampled_from(["", "68", "2,1", "NaN", "1e309", "-1"]),
        st.sampled_from(["", "82", "1", "0", "1e999999999", "999999999999.999"]),
        st.sampled_from(["", c.world.get("unit", "a").code, "Xã A", nfd("Xã A"), "?"]),
        st.sampled_from(["", "periodic", "term_end", "cuối nhiệm kỳ", "?"]),
    ).map(list)
    return csv_files(TARGET_COLUMNS, row)


def _reject_form(c: Ctx) -> type[FlaskForm]:
    prefix = f"r{c.id('target_value')}"

    class PrefixedRejectForm(RejectForm):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, prefix=prefix, **kwargs)

    return PrefixedRejectForm


def _actions(*likely: Action) -> SearchStrategy[str]:
    """Any action (and one that does not exist), the ones the role may take more often."""
    every = st.sampled_from([action.value for action in Action] + ["nothing"])
    return st.one_of(st.sampled_from([action.value for action in likely]), every)


REDIRECTS = st.sampled_from(
    [
        "/dashboard",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
        "javascript:alert(1)",
    ]
)


def _points() -> SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["7,5", "10", "0", "10.05", "", "bảy", *HOSTILE_NUMBERS]),
        text_values(20),
    )


def _cluster_hints(c: Ctx) -> Hints:
    keys = st.sampled_from(["", "votes", "deductions", "criterion:TC1", "criterion:", "x"])
    return {
        "kind": st.sampled_from(["cluster", "block", "x"]),
        "tie_breaks": st.lists(keys, max_size=4).map("\n".join),
    }


def _line_hints(c: Ctx) -> Hints:
    return {"max_points": _points(), "parent_id": c.ids(0, c.id("line"), c.id("line", "b"))}


TARGETS: list[Target] = [
    # Accounts and sessions.
    Target(
        "auth.login",
        "anonymous",
        LoginForm,
        hints=lambda c: {
            "username": st.one_of(
                _usernames(c), st.sampled_from([f"  {c.world.accounts['nominator_a'].name} "])
            ),
            "password": st.sampled_from([PASSWORD, nfd(PASSWORD), "sai mật khẩu"]),
        },
    ),
    Target(
        "auth.set_language",
        "anonymous",
        ConfirmForm,
        url=lambda c: {"code": st.sampled_from(["en", "vi", "fr", "xx"])},
        raw=lambda c: {"next": REDIRECTS},
    ),
    Target(
        "auth.change_password",
        "nominator_a",
        ChangePasswordForm,
        hints=lambda c: {
            "current_password": st.sampled_from([PASSWORD, nfd(PASSWORD)]),
            "new_password": st.sampled_from(NEW_PASSWORDS),
            "confirm_password": st.sampled_from(NEW_PASSWORDS),
        },
    ),
    Target("auth.notification_settings", "nominator_a", NotificationDeliveryForm),
    Target("auth.logout", "nominator_a", ConfirmForm),
    Target("notifications.read_all", "nominator_a", ConfirmForm),
    Target("notifications.open_one", "nominator_a", OpenNotificationForm),
    # The unit tree.
    Target("units.create", "admin", UnitForm, hints=_unit_hints),
    Target(
        "units.edit", "admin", UnitForm, url=lambda c: {"unit_id": c.id("unit")}, hints=_unit_hints
    ),
    Target(
        "units.move",
        "admin",
        MoveUnitForm,
        url=lambda c: {"unit_id": c.id("unit")},
        hints=lambda c: {"parent_id": st.one_of(st.just(""), c.ids(*c.units))},
    ),
    # The form is only the token: a hamlet with nothing under it, since dissolving commune A
    # and its subtree on every example tried the cascade (tests/units has it), not the form.
    Target(
        "units.deactivate", "admin", ConfirmForm, url=lambda c: {"unit_id": c.world.free_unit.id}
    ),
    Target(
        "units.reactivate",
        "admin",
        ConfirmForm,
        url=lambda c: {"unit_id": st.sampled_from([c.id("unit"), c.extras.dissolved_unit.id])},
    ),
    Target(
        "units.merge",
        "admin",
        MergeUnitForm,
        url=lambda c: {"unit_id": c.id("unit", "b")},
        hints=lambda c: {"successor_id": st.one_of(st.just(""), c.ids(*c.units))},
    ),
    Target(
        "units.import_csv",
        "admin",
        ImportUnitsForm,
        hints=lambda c: {"file": _units_csv(c)},
        examples=lambda c: [({}, [("file", upload)]) for upload in UNITS_TOO_LONG],
    ),
    # Accounts and roles.
    Target("admin.create_user_view", "admin", NewUserForm, hints=_user_hints),
    Target(
        "admin.edit_user",
        "admin",
        UserForm,
        url=lambda c: {"user_id": c.id("user")},
        hints=_user_hints,
    ),
    Target("admin.disable", "admin", ConfirmForm, url=lambda c: {"user_id": c.id("user")}),
    Target(
        "admin.enable",
        "admin",
        ConfirmForm,
        url=lambda c: {"user_id": st.sampled_from([c.id("user"), c.extras.disabled_user.id])},
    ),
    Target(
        "admin.reset_password_view", "admin", ConfirmForm, url=lambda c: {"user_id": c.id("user")}
    ),
    Target(
        "admin.add_grant",
        "admin",
        GrantForm,
        url=lambda c: {"user_id": c.id("user")},
        hints=lambda c: {
            "role": st.sampled_from([role.value for role in Role]),
            "unit_id": c.ids(*c.units),
        },
    ),
    Target(
        "admin.revoke",
        "admin",
        ConfirmForm,
        url=lambda c: {"user_id": c.id("user"), "grant_id": c.id("grant")},
    ),
    Target(
        "admin.users",
        "admin",
        SearchForm,
        method="GET",
        raw=lambda c: {"page": PAGES},
        examples=lambda c: PAGES_AND_NUL,
    ),
    Target(
        "logs.audit",
        "admin",
        AuditFilterForm,
        method="GET",
        hints=lambda c: {
            "kind": st.sampled_from(["", "nomination", "unit", "nonsense"]),
            "since": st.one_of(st.just(""), dates_near(local_today())),
            "until": st.one_of(st.just(""), dates_near(local_today())),
        },
        raw=lambda c: {"page": PAGES},
        examples=lambda c: PAGES_AND_NUL,
    ),
    Target(
        "admin.clear_login_throttle",
        "admin",
        ClearThrottleForm,
        hints=lambda c: {"username": _usernames(c)},
        # Found by an unseeded run (PostgreSQL): a NUL user name reached the DELETE (a 500).
        examples=lambda c: [({}, [("username", "\x00")]), ({}, [("username", "a\x00b")])],
    ),
    # API clients.
    Target(
        "api_clients.create",
        "admin",
        ClientForm,
        hints=lambda c: {
            "scopes": st.sampled_from([scope.value for scope in Scope]),
            "unit_id": c.ids(*c.units),
        },
    ),
    Target(
        "api_clients.revoke",
        "admin",
        ConfirmForm,
        url=lambda c: {"client_id": c.id("api_client")},
    ),
    # The law in force: a value of each kind of rule.
    *(
        Target(
            "law.rule",
            "admin",
            LawValueForm,
            url=lambda c, key=key: {"key": key},
            hints=lambda c: {
                "valid_from": st.sampled_from(["2026-07-01", "1989-12-31", "2101-01-01"]),
                "source": st.sampled_from(["Nghị định số 152/2025/NĐ-CP", ""]),
                "text": st.sampled_from(["2.340.000", "0,3", "15", "2/3", "Căn cứ …", ""]),
                "method": st.sampled_from(["secret_ballot", "show_of_hands"]),
                "threshold": st.sampled_from(["80", "90,5", "0", "101"]),
                "base": st.sampled_from(["all_members", "present"]),
                "standards": st.sampled_from(["giay_khen", "cstd_co_so", "x"]),
            },
            name=f"law.rule-{key}",
        )
        for key in (
            "decision.bases",
            "base_salary",
            "coefficient.cstd_co_so",
            "cap.cstdcs_percent",
            "vote.quorum",
            "authority.commune",
            "vote.cstd_co_so",
        )
    ),
    # A dated value not yet in force (the matrix tries the one in force: refused).
    Target(
        "law.delete_value",
        "admin",
        ConfirmForm,
        url=lambda c: {"law_value_id": c.id("law_value")},
    ),
    # The catalogue.
    Target(
        "campaigns.seed_defaults",
        "secretariat",
        ConfirmForm,
        url=lambda c: {"body_id": c.world.district.id},
    ),
    Target(
        "campaigns.new_award_type",
        "secretariat",
        AwardTypeForm,
        url=lambda c: {"body_id": c.world.district.id},
        hints=_award_hints,
        # A code of 30 characters typed and 31 in capitals ("ﬁ" is "FI").
        examples=lambda c: [
            (
                {"body_id": c.world.district.id},
                [
                    ("code", "Nguyễn Thị Ánh Tuyết ﬁ Huyện C"),
                    ("name", "Ấp Sơn Định"),
                    ("certificate_title", "Ấp Sơn Định"),
                    ("kind", "title"),
                    ("nominee_kind", "collective"),
                    ("vote_method", "show_of_hands"),
                    ("vote_threshold_percent", "1.00"),
                    ("vote_base", "all_members"),
                    ("quorum_numerator", "1"),
                    ("quorum_denominator", "2"),
                ],
            )
        ],
    ),
    Target(
        "campaigns.edit_award_type",
        "secretariat",
        AwardTypeForm,
        url=lambda c: {"award_type_id": c.id("award_type")},
        hints=_award_hints,
    ),
    Target(
        "campaigns.criterion",
        "secretariat",
        CriterionForm,
        url=lambda c: {"award_type_id": c.id("award_type")},
        name="campaigns.criterion-new",
    ),
    Target(
        "campaigns.criterion",
        "secretariat",
        CriterionForm,
        url=lambda c: {"award_type_id": c.id("award_type"), "criterion_id": c.id("criterion")},
        name="campaigns.criterion-edit",
    ),
    Target(
        "campaigns.remove_criterion",
        "admin",
        ConfirmForm,
        url=lambda c: {
            "award_type_id": c.id("award_type", "b"),
            "criterion_id": c.id("criterion", "b"),
        },
    ),
    Target(
        "campaigns.import_criteria",
        "secretariat",
        CsvUploadForm,
        url=lambda c: {"award_type_id": c.id("award_type")},
        hints=lambda c: {"file": _criteria_csv(c)},
        examples=lambda c: [
            ({"award_type_id": c.id("award_type")}, [("file", upload)])
            for upload in CRITERIA_TOO_LONG
        ],
    ),
    # Campaigns.
    Target(
        "campaigns.new_campaign",
        "secretariat",
        CampaignForm,
        url=lambda c: {"body_id": c.world.district.id},
    ),
    Target(
        "campaigns.edit_campaign",
        "secretariat",
        CampaignForm,
        url=lambda c: {"campaign_id": c.id("campaign")},
    ),
    Target(
        "campaigns.change_status",
        "secretariat",
        ConfirmForm,
        url=lambda c: {
            "campaign_id": c.id("campaign"),
            "status": st.sampled_from([s.value for s in CampaignStatus] + ["zzz"]),
        },
        # Every status once: one of them is a move the world's campaign can make, so each run
        # shows the route taking a good request (random draws alone may only meet refusals).
        examples=lambda c: [
            ({"campaign_id": c.id("campaign"), "status": s.value}, []) for s in CampaignStatus
        ],
    ),
    Target(
        "campaigns.extend",
        "secretariat",
        ExtendForm,
        url=lambda c: {"campaign_id": c.id("campaign")},
    ),
    Target(
        "campaigns.add_offer",
        "secretariat",
        OfferForm,
        url=lambda c: {"campaign_id": c.id("campaign")},
        hints=lambda c: {"award_type_id": c.ids(*c.extras.award_ids, c.id("award_type", "b"))},
    ),
    Target(
        "campaigns.remove_offer",
        "admin",
        ConfirmForm,
        url=lambda c: {"campaign_id": c.id("campaign", "b"), "offer_id": c.id("offer", "b")},
    ),
    # Dossiers.
    Target(
        "nominations.create",
        "nominator_a",
        NewNominationForm,
        url=lambda c: {"campaign_id": c.id("campaign")},
        hints=lambda c: {
            "award_type_id": c.ids(c.id("award_type"), c.extras.person_award.id),
            # Mostly the one unit of A's area with no dossier yet, so that most are created.
            "nominee_unit_id": st.one_of(c.ids(c.world.free_unit.id), st.just(""), c.ids(*c.units)),
            "person_unit_id": st.one_of(
                c.ids(c.world.free_unit.id, c.id("unit")), st.just(""), c.ids(*c.units)
            ),
            "person_gender": st.sampled_from(["", *(g.value for g in Gender)]),
        },
    ),
    Target(
        "nominations.import_candidates_page",
        "nominator_a",
        ImportCandidatesForm,
        url=lambda c: {"campaign_id": c.id("campaign")},
        hints=lambda c: {"file": _candidates_xlsx(c)},
    ),
    Target(
        "nominations.edit",
        "nominator_a",
        _dossier_form(lambda c: c.id("award_type"), person=False),
        url=lambda c: {"nomination_id": c.id("nomination", "draft")},
        hints=lambda c: {
            "version": st.sampled_from([str(c.world.get("nomination", "draft").version), "", "x"])
        },
        raw=lambda c: {"then": st.sampled_from(["submit", "save"])},
        name="nominations.edit-collective",
    ),
    Target(
        "nominations.edit",
        "nominator_a",
        _dossier_form(lambda c: c.extras.person_award.id, person=True),
        url=lambda c: {"nomination_id": c.extras.person_draft.id},
        hints=lambda c: _dossier_hints(c, c.extras.person_draft.version),
        raw=lambda c: {"then": st.sampled_from(["submit", "save"])},
        name="nominations.edit-person",
    ),
    Target(
        "nominations.act",
        "secretariat",
        ActionForm,
        url=lambda c: {
            "nomination_id": c.id("nomination"),
            "action": _actions(Action.SEND_BACK, Action.ACCEPT, Action.REJECT),
        },
        hints=lambda c: {
            "version": st.sampled_from([str(c.world.get("nomination", "a").version), ""])
        },
        raw=lambda c: {"next": REDIRECTS},
        name="nominations.act-secretariat",
    ),
    Target(
        "nominations.act",
        "nominator_a",
        ActionForm,
        url=lambda c: {
            "nomination_id": c.id("nomination", "draft"),
            "action": _actions(Action.SUBMIT, Action.WITHDRAW),
        },
        hints=lambda c: {
            "version": st.sampled_from([str(c.world.get("nomination", "draft").version), ""])
        },
        raw=lambda c: {"next": REDIRECTS},
        name="nominations.act-nominator",
    ),
    Target(
        "nominations.hold",
        "secretariat",
        HoldForm,
        url=lambda c: {"nomination_id": st.sampled_from([c.id("nomination"), c.extras.held.id])},
        hints=lambda c: {
            "kind": st.sampled_from([*(k.value for k in HoldKind), "", "x"]),
            "version": st.sampled_from([str(c.world.get("nomination", "a").version), "", "x"]),
        },
    ),
    Target(
        "nominations.release",
        "secretariat",
        ReleaseForm,
        url=lambda c: {"nomination_id": st.sampled_from([c.extras.held.id, c.id("nomination")])},
        hints=lambda c: {"version": st.sampled_from([str(c.extras.held.version), "", "x"])},
    ),
    Target(
        "nominations.delete",
        "nominator_a",
        ConfirmForm,
        url=lambda c: {"nomination_id": c.id("nomination", "draft")},
    ),
    Target(
        "nominations.copy",
        "nominator_a",
        ConfirmForm,
        url=lambda c: {
            "nomination_id": st.sampled_from([c.extras.withdrawn.id, c.id("nomination", "draft")])
        },
    ),
    Target(
        "nominations.remove_file",
        "nominator_a",
        ConfirmForm,
        url=lambda c: {
            "nomination_id": c.id("nomination", "draft"),
            "attachment_id": c.id("attachment", "draft"),
        },
    ),
    # The yearly statistics read only a year from the query string (no form of their own).
    *(
        Target(
            endpoint,
            "secretariat",
            lambda c: FlaskForm,
            url=lambda c: {"body_id": c.id("body")},
            method="GET",
            raw=lambda c: {"year": YEARS},
            examples=lambda c: [
                ({"body_id": c.id("body")}, [("year", str(10**25))]),
                ({"body_id": c.id("body")}, [("year", "\x00")]),
            ],
        )
        for endpoint in ("statistics.body", "statistics.report")
    ),
    Target(
        "nominations.index",
        "nominator_a",
        FilterForm,
        method="GET",
        hints=lambda c: {
            "campaign": st.one_of(st.just(""), c.ids(c.id("campaign"), c.id("campaign", "b"))),
            "award_type": st.one_of(st.just(""), c.ids(*c.extras.award_ids)),
            "state": st.sampled_from(["", *(s.value for s in NominationState)]),
            "unit": st.one_of(st.just(""), c.ids(*c.units)),
        },
        raw=lambda c: {"page": PAGES},
        examples=lambda c: PAGES_AND_NUL,
    ),
    # Appraisal.
    Target(
        "review.save_appraisal",
        "secretariat",
        _appraisal_form,
        url=lambda c: {"nomination_id": c.id("nomination")},
    ),
    # The council.
    Target(
        "council.members",
        "secretariat",
        MemberForm,
        url=lambda c: {"body_id": c.world.district.id},
        hints=lambda c: {"user_id": c.ids(*c.users)},
    ),
    Target(
        "council.end_member",
        "secretariat",
        ConfirmForm,
        url=lambda c: {"body_id": c.world.district.id, "member_id": c.id("member")},
    ),
    Target(
        "council.new_session",
        "secretariat",
        SessionForm,
        url=lambda c: {"body_id": c.world.district.id},
    ),
    Target(
        "council.add_items",
        "secretariat",
        ConfirmForm,
        url=lambda c: {"session_id": c.id("session", "planned")},
        raw=lambda c: {"nomination_id": c.ids(c.world.accepted.id, c.id("nomination"))},
    ),
    Target(
        "council.move",
        "secretariat",
        ConfirmForm,
        url=lambda c: {
            "session_id": c.id("session", "planned"),
            "item_id": c.id("item", "planned"),
            "direction": st.sampled_from(["up", "down", "sideways"]),
        },
    ),
    Target(
        "council.remove_item",
        "secretariat",
        ConfirmForm,
        url=lambda c: {
            "session_id": c.id("session", "planned"),
            "item_id": c.id("item", "planned"),
        },
    ),
    Target(
        "council.attendance",
        "secretariat",
        ConfirmForm,
        url=lambda c: {"session_id": c.id("session", "planned")},
        raw=lambda c: {
            f"m{seat}": st.sampled_from(["present", "writing", "absent"])
            for seat in sorted(set(c.world.seats))
        },
    ),
    Target(
        "council.secretary",
        "secretariat",
        SecretaryForm,
        url=lambda c: {
            "session_id": st.sampled_from(
                [c.id("session"), c.id("session", "planned"), c.id("session", "closed")]
            )
        },
        hints=lambda c: {"member_id": st.one_of(st.just(""), c.ids(*sorted(set(c.world.seats))))},
    ),
    Target(
        "council.open_vote",
        "secretariat",
        ConfirmForm,
        url=lambda c: {"session_id": c.id("session", "planned")},
    ),
    Target(
        "council.hands",
        "secretariat",
        HandsForm,
        url=lambda c: {"session_id": c.extras.hands_session.id, "item_id": c.extras.hands_item.id},
        hints=lambda c: {
            name: st.integers(0, 3).map(str) for name in ("agree", "disagree", "abstain")
        },
    ),
    Target(
        "council.vote",
        "council",
        ConfirmForm,
        url=lambda c: {"session_id": c.id("session"), "item_id": c.id("item")},
        raw=lambda c: {
            "step": st.sampled_from(["cast", "confirm"]),
            "choice": st.sampled_from([*CHOICE_CODES.values(), *(c.value for c in Choice)]),
        },
    ),
    Target(
        "council.conflict",
        "council",
        ConflictForm,
        url=lambda c: {"session_id": c.id("session"), "item_id": c.id("item")},
    ),
    Target(
        "council.close",
        "secretariat",
        ConfirmForm,
        url=lambda c: {"session_id": c.id("session")},
        raw=lambda c: {"chair_approved": st.sampled_from(["1", "0"])},
    ),
    Target(
        "council.approve",
        "chair",
        ConfirmForm,
        url=lambda c: {"session_id": c.id("session")},
    ),
    # Decisions and certificates.
    Target(
        "decisions.create",
        "secretariat",
        ConfirmForm,
        url=lambda c: {"body_id": c.world.district.id},
        raw=lambda c: {
            "nomination_id": c.ids(c.world.free_passed["a"].id, c.world.free_passed["b"].id)
        },
    ),
    Target(
        "decisions.detail",
        "secretariat",
        DecisionForm,
        url=lambda c: {"decision_id": c.id("decision", "posted")},
    ),
    Target(
        "decisions.post",
        "secretariat",
        ConfirmForm,
        url=lambda c: {"decision_id": c.extras.draft_to_post.id},
    ),
    Target(
        "decisions.issue",
        "chair",
        IssueForm,
        url=lambda c: {"decision_id": c.extras.draft_to_issue.id},
    ),
    Target(
        "decisions.annul",
        "chair",
        AnnulForm,
        url=lambda c: {"decision_id": c.id("decision")},
    ),
    Target(
        "decisions.request_annulment",
        "secretariat",
        AnnulmentRequestForm,
        url=lambda c: {"decision_id": c.id("decision")},
    ),
    Target(
        "decisions.dismiss_annulment",
        "chair",
        DismissAnnulmentForm,
        url=lambda c: {"decision_id": c.extras.proposed.id},
    ),
    Target(
        "money.amount",
        "secretariat",
        AmountForm,
        url=lambda c: {
            "decision_id": c.id("decision", "posted"),
            "position": st.sampled_from([1, 2, 0]),
        },
        hints=lambda c: {
            "amount": st.sampled_from(["", "1.080.000", "1 080 000 đ", "-5", "9" * 20, "x"])
        },
    ),
    Target(
        "money.fund",
        "secretariat",
        FundForm,
        url=lambda c: {"body_id": c.world.district.id},
        hints=lambda c: {
            "budget": st.sampled_from(["", "50.000.000", "0", "-1", "9" * 20, "1e9"]),
            "year": st.sampled_from(["2026", "1999", "99999999999", ""]),
        },
    ),
    Target(
        "decisions.settings",
        "secretariat",
        SettingsForm,
        url=lambda c: {"body_id": c.world.district.id},
        hints=lambda c: {"emblem": st.builds(Upload, st.just(PNG), st.just("quốc huy.png"))},
    ),
    Target(
        "certificates.start_print",
        "secretariat",
        ConfirmForm,
        url=lambda c: {"decision_id": c.id("decision")},
    ),
    Target(
        "honours.publish",
        "secretariat",
        PublishForm,
        url=lambda c: {"certificate_id": c.id("certificate")},
        hints=lambda c: {
            "photo_1": st.builds(Upload, st.just(PNG), st.just("ảnh tập thể.png")),
            "photo_2": st.builds(Upload, st.sampled_from([PNG, PDF]), st.just("ảnh.png")),
            "remove_photos": c.ids(c.id("photo")),
        },
    ),
    Target(
        "honours.unpublish",
        "secretariat",
        UnpublishForm,
        url=lambda c: {"entry_id": c.id("entry")},
    ),
    Target(
        "history.import_xlsx",
        "secretariat",
        ImportAwardsForm,
        hints=lambda c: {"file": _awards_xlsx(c)},
    ),
    Target(
        "registration.new_call",
        "secretariat",
        CallForm,
        url=lambda c: {"body_id": c.world.district.id},
        hints=lambda c: {
            "year": st.sampled_from([str(local_today().year + 1), "2200", "1999", "0"]),
            "deadline": dates_near(local_today()),
        },
    ),
    Target(
        "registration.change_call",
        "secretariat",
        ChangeCallForm,
        url=lambda c: {"call_id": c.id("call")},
        hints=lambda c: {"deadline": dates_near(local_today())},
    ),
    Target(
        "registration.register",
        "nominator_a",
        RegisterForm,
        url=lambda c: {"call_id": c.id("call"), "unit_id": c.id("unit")},
        hints=lambda c: {
            f"award_{n}": c.ids("", c.id("award_type"), c.id("award_type", "b"))
            for n in range(1, 9)
        },
    ),
    Target(
        "registration.remind",
        "secretariat",
        ConfirmForm,
        url=lambda c: {"call_id": c.id("call")},
    ),
    Target(
        "blanks.layout",
        "secretariat",
        BlankLayoutForm,
        url=lambda c: {"body_id": c.world.district.id},
        hints=_layout_hints,
    ),
    # Emulation clusters (D's cluster "a", led by A).
    Target(
        "clusters.new",
        "secretariat",
        ClusterForm,
        url=lambda c: {"body_id": c.world.district.id},
        hints=_cluster_hints,
    ),
    Target(
        "clusters.edit",
        "secretariat",
        ClusterForm,
        url=lambda c: {"cluster_id": c.id("cluster")},
        hints=_cluster_hints,
    ),
    Target(
        "clusters.members",
        "secretariat",
        ClusterMemberForm,
        url=lambda c: {"cluster_id": c.id("cluster")},
        hints=lambda c: {"unit_id": c.ids(*c.units)},
    ),
    Target(
        "clusters.remove",
        "secretariat",
        ConfirmForm,
        url=lambda c: {
            "cluster_id": c.id("cluster"),
            "cluster_member_id": c.id("cluster_member"),
        },
    ),
    Target(
        "clusters.officers",
        "secretariat",
        OfficerForm,
        url=lambda c: {"cluster_id": c.id("cluster")},
        hints=lambda c: {"officer_unit_id": c.ids(c.id("cluster_unit"), *c.units)},
    ),
    Target(
        "clusters.new_line",
        "secretariat",
        LineForm,
        url=lambda c: {"cluster_id": c.id("cluster")},
        hints=_line_hints,
    ),
    Target(
        "clusters.line",
        "secretariat",
        LineForm,
        url=lambda c: {"cluster_id": c.id("cluster"), "line_id": c.id("line")},
        hints=_line_hints,
    ),
    Target(
        "clusters.remove_line",
        "secretariat",
        ConfirmForm,
        url=lambda c: {"cluster_id": c.id("cluster"), "line_id": c.id("line")},
    ),
    Target(
        "clusters.score",
        "nominator_a",
        ConfirmForm,
        url=lambda c: {
            "cluster_id": c.id("cluster"),
            "cluster_member_id": c.id("cluster_member"),
        },
        raw=lambda c: {
            f"p{c.id('line')}": _points(),
            f"n{c.id('line')}": text_values(3000, multiline=True),
            f"e{c.id('line')}": text_values(600),
            "p99999999999": _points(),
        },
    ),
    Target(
        "clusters.agree",
        "nominator_a",
        ConfirmForm,
        url=lambda c: {
            "cluster_id": c.id("cluster"),
            "cluster_member_id": c.id("cluster_member"),
        },
        raw=lambda c: {
            f"a{c.id('line')}": _points(),
            f"an{c.id('line')}": text_values(3000, multiline=True),
            "votes": _points(),
        },
    ),
    Target(
        "clusters.lock",
        "nominator_a",
        ConfirmForm,
        url=lambda c: {"cluster_id": c.id("cluster")},
    ),
    Target(
        "clusters.propose",
        "nominator_a",
        ProposeForm,
        url=lambda c: {
            "cluster_id": st.sampled_from([c.extras.locked_cluster.id, c.id("cluster")])
        },
        hints=lambda c: {
            "campaign_id": c.ids(c.id("campaign"), c.id("campaign", "b")),
            "first_award_id": c.ids(c.id("award_type"), c.id("award_type", "b")),
            "next_award_id": c.ids(c.id("award_type"), c.id("award_type", "b")),
        },
    ),
    Target(
        "public.verify_file",
        "anonymous",
        VerifyUploadForm,
        hints=lambda c: {"file": _pdf_uploads()},
    ),
    Target(
        "public.posting",
        "anonymous",
        FeedbackForm,
        url=lambda c: {"decision_id": c.id("decision", "posted")},
    ),
    # A movement's targets.
    Target(
        "targets.new_target",
        "secretariat",
        TargetForm,
        url=lambda c: {"campaign_id": c.id("campaign")},
        hints=_target_hints,
    ),
    Target(
        "targets.edit",
        "secretariat",
        TargetForm,
        url=lambda c: {"target_id": c.id("target")},
        hints=_target_hints,
    ),
    Target(
        "targets.report",
        "nominator_a",
        ReportForm,
        url=lambda c: {"target_id": c.id("target")},
        hints=lambda c: {"as_of_on": dates_near(local_today() - timedelta(days=30))},
    ),
    Target(
        "targets.import_targets",
        "secretariat",
        CsvUploadForm,
        url=lambda c: {"campaign_id": c.id("campaign")},
        hints=lambda c: {"file": _targets_csv(c)},
    ),
    Target(
        "targets.bands",
        "secretariat",
        BandsForm,
        url=lambda c: {"body_id": c.world.district.id},
        hints=lambda c: {
            f"min_{n}": st.sampled_from(["", "100", "90", "70,5", "50", "0", "1000.01"])
            for n in range(1, 7)
        },
    ),
    Target(
        "targets.confirm",
        "secretariat",
        ConfirmForm,
        url=lambda c: {"target_id": c.id("target"), "value_id": c.id("target_value")},
    ),
    Target(
        "targets.withdraw",
        "secretariat",
        ConfirmForm,
        url=lambda c: {"target_id": c.id("target"), "value_id": c.id("target_value")},
    ),
    # The page names each pending value's reason field after the value: posted without that
    # prefix, then with it (so that the examples reach the service).
    Target(
        "targets.reject",
        "secretariat",
        RejectForm,
        url=lambda c: {"target_id": c.id("target"), "value_id": c.id("target_value")},
        name="targets.reject-unprefixed",
    ),
    Target(
        "targets.reject",
        "secretariat",
        _reject_form,
        url=lambda c: {"target_id": c.id("target"), "value_id": c.id("target_value")},
    ),
]

# POST endpoints not fuzzed here, each with its reason. Empty: every form is fuzzed.
# The JSON API's writes read JSON or a multipart file, never a form: schemathesis drives them
# with examples drawn from the OpenAPI document (tests/api/test_schemathesis.py).
_API_WRITES = "a JSON API operation: fuzzed by schemathesis in tests/api"
EXCLUDED: dict[str, str] = {
    "api_dossiers.create": _API_WRITES,
    "api_dossiers.attach": _API_WRITES,
    "api_dossiers.submit": _API_WRITES,
    "api_dossiers.resubmit": _API_WRITES,
}


# --- the tests -------------------------------------------------------------------------------


def _post_endpoints(app: Flask) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())}


def _form_classes() -> set[type[FlaskForm]]:
    """Every form class a module of the app defines (the per-award forms are built by
    functions, which their targets call)."""
    found = set()
    pending = list(FlaskForm.__subclasses__())
    while pending:
        form = pending.pop()
        pending += form.__subclasses__()
        module = sys.modules.get(form.__module__)
        if (
            form.__module__.startswith("recognition")
            and getattr(module, form.__name__, None) is form
            and form is not Form  # the app's base of every form
        ):
            found.add(form)
    return found


def test_every_form_is_fuzzed(app: Flask) -> None:
    posts = _post_endpoints(app)
    fuzzed = {target.endpoint for target in TARGETS if target.method == "POST"}
    assert posts - fuzzed - set(EXCLUDED) == set(), "POST endpoints neither fuzzed nor excluded"
    assert fuzzed - posts == set(), "targets that are not POST endpoints"
    assert set(EXCLUDED) - posts == set() and set(EXCLUDED) & fuzzed == set()
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {target.endpoint for target in TARGETS} - endpoints == set()
    used = {target.form for target in TARGETS if isinstance(target.form, type)}
    assert _form_classes() - used == set(), "form classes no target posts"
    assert len({target.id for target in TARGETS}) == len(TARGETS)


def _send(
    app: Flask, fuzz: Fuzz, target: Target, values: dict[str, Any], pairs: list[Any]
) -> tuple[int, list[tuple[str, str]]]:
    """One request in a savepoint rolled back afterwards; its status and the non-NFC texts
    it wrote."""
    world = fuzz.world
    db.session.remove()  # before the savepoint: closing a session rolls back its own
    savepoint = world.connection.begin_nested()
    limiter.reset()
    fuzz.watch.take()
    fuzz.watch.writes = 0
    try:
        client = world.client(target.role)
        url = _url(app, fuzz, target.endpoint, values)
        if target.method == "GET":
            # Servers refuse a request line over 8 kB before the app sees it.
            query = [(name, str(value)[:8_000]) for name, value in pairs]
            response = client.get(url, query_string=multidict(None, query))
        else:
            # A long text goes as multipart (werkzeug decodes a long urlencoded body slowly).
            long = any(isinstance(value, str) and len(value) > 1_000 for _, value in pairs)
            response = client.post(
                url,
                data=multidict(client.csrf_token(), pairs),
                content_type="multipart/form-data" if long else None,
            )
        location = urlsplit(response.headers.get("Location", ""))
        if location.path == "/login" and location.query.startswith("next="):
            return LOGIN_WALL, fuzz.watch.take()  # the session is dead: nothing was fuzzed
        return response.status_code, fuzz.watch.take()
    finally:
        db.session.remove()
        savepoint.rollback()
        if fuzz.watch.writes:  # a file is deleted only after its row is (a listing on S3)
            put_back(fuzz.world.files)


def _url(app: Flask, fuzz: Fuzz, endpoint: str, values: dict[str, Any]) -> str:
    key = (endpoint, repr(sorted(values.items())))
    if key not in fuzz.urls:
        with app.test_request_context():
            fuzz.urls[key] = url_for(endpoint, **values)
    return fuzz.urls[key]


def _strategies(
    app: Flask, target: Target, ctx: Ctx
) -> tuple[SearchStrategy[dict[str, Any]], list[FieldSpec]]:
    with app.test_request_context():
        form = target.form_class(ctx)(meta={"csrf": False})
        specs = form_specs(form, local_today(), target.hints(ctx))
    specs += [raw_spec(name, values) for name, values in target.raw(ctx).items()]
    url = st.fixed_dictionaries(
        {
            name: value if isinstance(value, SearchStrategy) else st.just(value)
            for name, value in target.url(ctx).items()
        }
    )
    return url, specs


def _replayed(fuzz: Fuzz, target: Target, ctx: Ctx) -> list[Example]:
    """The target's own examples, then the form the access matrix posts to its route (when its
    URL is fixed): each run, however few its examples, then shows the route taking a good form."""
    examples = target.examples(ctx)
    url = target.url(ctx)
    valid = VALID_FORMS.get(target.endpoint)
    if valid is not None and not any(isinstance(v, SearchStrategy) for v in url.values()):
        form = valid(fuzz.world, "a")
        pairs = [
            (name, item)
            for name, value in form.items()
            for item in (value if isinstance(value, list) else [value])
        ]
        examples = [*examples, (url, pairs)]
    return examples


def _fuzz(
    app: Flask, fuzz: Fuzz, target: Target, chosen: settings, *, run: str, replay: bool
) -> Counter[int]:
    """Post `target` as `chosen` says (after its regression examples when `replay`); the
    statuses seen."""
    ctx = Ctx(fuzz.world, fuzz.extras)
    url, specs = _strategies(app, target, ctx)
    statuses: Counter[int] = Counter()

    def post(values: dict[str, Any], pairs: list[Any]) -> None:
        status, not_nfc = _send(app, fuzz, target, values, pairs)
        statuses[status] += 1
        assert status < 500
        assert not_nfc == [], "text written to the database that is not NFC"

    for values, pairs in _replayed(fuzz, target, ctx) if replay else []:
        post = example(values, pairs)(post)
    test = chosen(given(url, form_data(specs))(post))
    if chosen.derandomize and (ON_POSTGRES or DEEP):
        # Derandomised inputs depend on the test alone: each other run and pass gets a seed of
        # its own, so that it tries other inputs than the quick SQLite pass.
        tag = " ".join(["deep"] * DEEP + ["postgresql"] * ON_POSTGRES)
        test = seed(zlib.crc32(f"{tag} {run}".encode()))(test)
    started = time.perf_counter()
    try:
        test()
    finally:
        fuzz.statuses[run] = statuses
        fuzz.seconds[run] = time.perf_counter() - started
    return statuses


@pytest.mark.usefixtures("externals")
@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.id)
def test_fuzz_form(app: Flask, fuzz: Fuzz, target: Target) -> None:
    statuses = _fuzz(app, fuzz, target, FUZZ_SETTINGS, run=target.id, replay=True)
    # A target that never gets past the login wall, the role and the object checks would
    # fuzz nothing.
    assert any(status < 400 for status in statuses if status != LOGIN_WALL), dict(statuses)


@pytest.mark.usefixtures("externals")
@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.id)
def test_fuzz_form_unseeded(app: Flask, fuzz: Fuzz, target: Target) -> None:
    # A derandomised run tries the same inputs every time: this one tries new ones, so that CI
    # keeps exploring. Its failure prints the input, to be added to the target's `examples`.
    if not settings.default.derandomize:
        pytest.skip("test_fuzz_form is unseeded already (CI is not set)")
    if not DEEP:
        pytest.skip("the unseeded examples run in the deep pass (make fuzz-deep)")
    unseeded = settings(FUZZ_SETTINGS, derandomize=False, max_examples=UNSEEDED_EXAMPLES)
    _fuzz(app, fuzz, target, unseeded, run=f"{target.id} (unseeded)", replay=False)
