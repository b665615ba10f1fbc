"""Accessibility of every page a person sees, checked with axe-core in headless Chromium.

Each demo role (and an anonymous visitor) opens the pages of its navigation and the main object
pages: a dossier as a draft and in appraisal, a council session with its vote open and one
closed, the phone ballot, decisions as a draft, posted and issued, a print job, the public
verification and posting pages, the error pages. The objects are made through the services in
the live server's database (tests/e2e/world.py). Every page is checked in Vietnamese on a
desktop screen; the main ones also in English and on a phone. axe-core (tests/vendor/axe-core, never
served by the app) is injected into each page; any violation of impact "serious" or "critical"
fails the test, listed with its page, rule, impact, elements and help text. Every violation,
whatever its impact, is written to tests/artifacts/axe-<visitor>-<part>.json.

Which pages: every page of PAGES, none left out or merged with another. A visitor's list is
cut into consecutive parts of about PART_SIZE checks (a page listed `en` and `phone` counts
three), each a test with its own browser context and login, so that the two workers share the
secretariat's hundred-odd checks instead of one worker taking them all.

The app's CSP (script-src 'self') blocks the injected script, as it should block any inline
script: the contexts here bypass the CSP, and a test proves the CSP does block it otherwise.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Error as PlaywrightError
from werkzeug.exceptions import NotFound

from recognition.extensions import db
from recognition.ops.demo import DEMO_PASSWORD
from tests.conftest import ON_POSTGRES
from tests.e2e.conftest import made_once, screenshot
from tests.e2e.world import build_world

# The pages are the same whatever the database: checked once, in the SQLite run.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(ON_POSTGRES, reason="accessibility is checked in the SQLite run"),
]

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
FAILING = ("serious", "critical")
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
MISSING = 987_654_321


@dataclass(frozen=True)
class Page:
    """A page to check: its path (with `{names}` from the world), the status it answers, and
    whether it is checked in English and on a phone too. `step` names an action done on the
    page before the check (see STEPS); `shot` names a screenshot in tests/artifacts."""

    path: str
    status: int = 200
    en: bool = False
    phone: bool = False
    step: str = ""
    shot: str = ""


ANONYMOUS = "anonymous"

PAGES: dict[str, list[Page]] = {
    ANONYMOUS: [
        Page("/login", en=True, phone=True, shot="login"),
        Page("/login", step="failed-login"),
        Page("/verify/{serial}?c={code}", en=True, phone=True, shot="verify-valid"),
        Page("/verify/{serial}?c=0000-0000", status=404, en=True, phone=True),
        Page("/verify/NO-SUCH-SERIAL?c=0000", status=404),
        # The number printed under the QR code, typed alone: how to check it.
        Page("/verify/{serial}", en=True, phone=True, shot="verify-number-alone"),
        Page("/verify/file", en=True, phone=True, shot="verify-file"),
        Page("/posted/{posted_decision}", en=True, phone=True, shot="posting"),
        Page("/honours/", en=True, phone=True, shot="honours"),
        Page("/honours/?q=son+qui&year=2024", en=True),
        Page("/honours/{honour_entry}", en=True, phone=True, shot="honour-entry"),
        Page(f"/honours/{MISSING}", status=404),
        Page("/no-such-page", status=404, en=True),
        Page("/api/v1/docs", en=True, shot="api-docs"),
    ],
    "admin": [
        Page("/dashboard", en=True, phone=True),
        Page("/statistics/", en=True, phone=True, shot="statistics-bodies"),
        Page("/admin/units/", en=True, phone=True, shot="units"),
        Page("/admin/units/{commune}"),
        Page("/admin/units/{commune}/edit"),
        Page("/admin/units/{commune}/move"),
        Page("/admin/units/new"),
        Page("/admin/units/import"),
        Page("/admin/users/", en=True, phone=True, shot="users"),
        Page("/admin/users/{nominator}"),
        Page("/admin/users/{nominator}/edit"),
        Page("/admin/users/login-throttles", en=True),
        Page("/admin/users/new"),
        Page("/admin/users/new", step="new-account"),
        Page("/admin/api-clients/", en=True, phone=True, shot="api-clients"),
        Page("/admin/api-clients/new", en=True, shot="api-client-new"),
        Page("/admin/audit", en=True, shot="audit"),
        Page("/admin/audit/verify"),
        Page("/admin/mail"),
        Page("/admin/law", en=True, phone=True, shot="law"),
        Page("/admin/law/base_salary", en=True),
        Page("/admin/law/vote.cstd_co_so"),
        Page("/admin/law/authority.commune"),
        Page("/campaigns/"),
        Page("/nominations/"),
        Page("/notifications/"),
        Page("/account/password"),
        Page("/account/notifications"),
        Page("/clusters/", en=True, phone=True, shot="clusters"),
        Page("/clusters/new/{province}"),
        Page("/clusters/{cluster}", en=True, phone=True, shot="cluster"),
        Page("/clusters/{cluster}/edit"),
        Page("/clusters/{cluster}/lines/{line}"),
        Page("/clusters/{cluster}/ranking", en=True, phone=True, shot="cluster-ranking"),
        Page("/clusters/{cluster}/members/{cluster_member}/score", en=True),
        Page("/clusters/units/{commune}/history", en=True, shot="cluster-history"),
    ],
    "thuky": [
        Page("/dashboard", en=True, phone=True),
        Page("/campaigns/", en=True),
        Page("/campaigns/{campaign}", en=True, phone=True),
        Page("/campaigns/{campaign}/edit"),
        Page("/campaigns/new/{body}"),
        Page("/catalogue/", en=True, shot="catalogue"),
        Page("/catalogue/{award}", en=True),
        Page("/catalogue/{award}/edit"),
        Page("/catalogue/new/{body}"),
        Page("/catalogue/{award}/criteria/new"),
        Page("/catalogue/{award}/criteria/{criterion}"),
        Page("/nominations/", en=True),
        Page("/nominations/{in_review}"),
        Page("/review/", en=True, phone=True, shot="inbox"),
        Page("/review/{in_review}", en=True, phone=True, shot="appraisal"),
        Page("/review/{in_review}/rounds/{round}"),
        Page("/nominations/{held}", en=True, shot="dossier-held"),
        Page("/review/{held}"),
        Page("/council/", en=True),
        Page("/council/members/{body}"),
        Page("/council/sessions/new/{body}"),
        Page("/council/sessions/{voting_session}", en=True, phone=True, shot="session"),
        Page("/council/sessions/{closed_session}", en=True),
        Page("/decisions/", en=True, phone=True, shot="decisions"),
        Page("/decisions/{draft_decision}", en=True, shot="decision-draft"),
        Page("/decisions/{posted_decision}"),
        Page("/decisions/{issued_decision}", en=True, phone=True, shot="decision-issued"),
        Page("/decisions/print-jobs/{print_job}"),
        Page("/decisions/golden-book/{body}", en=True, shot="golden-book"),
        Page("/decisions/new/{body}", en=True),
        Page("/decisions/settings/{body}", en=True),
        Page("/decisions/blanks/{body}", en=True, shot="blanks"),
        Page("/money/funds/{body}", en=True, phone=True, shot="emulation-fund"),
        Page("/money/decisions/{draft_decision}/amounts/1", en=True, shot="reward-amount"),
        Page("/registration/", en=True, phone=True, shot="registration"),
        Page(
            "/registration/calls/{registration_call}",
            en=True,
            phone=True,
            shot="registration-call",
        ),
        Page("/registration/new/{body}", en=True, shot="registration-new"),
        Page("/registration/calls/{registration_call}/edit", en=True, shot="registration-change"),
        Page("/honours/manage", en=True, phone=True, shot="honours-manage"),
        Page("/history/", en=True, phone=True, shot="history"),
        Page("/history/?q=truong+thi+my+linh", en=True),
        Page("/history/units/{body}", en=True, phone=True, shot="history-unit"),
        Page("/statistics/bodies/{body}", en=True, phone=True, shot="statistics"),
        Page("/statistics/bodies/{body}?year=2023", en=True, phone=True, shot="statistics-2023"),
        Page("/history/people/{history_person}", en=True, phone=True, shot="history-person"),
        Page("/history/import", en=True, phone=True, shot="history-import"),
        Page(
            "/honours/certificates/{certificate}/publish",
            en=True,
            phone=True,
            shot="honours-publish",
        ),
        Page("/notifications/"),
        Page("/clusters/{cluster}/ranking", en=True, phone=True, shot="cluster-ranking-lead"),
        Page(
            "/clusters/{cluster}/members/{cluster_member}/score",
            en=True,
            phone=True,
            shot="cluster-score",
        ),
        Page("/targets/", en=True),
        Page("/campaigns/{campaign}/targets", en=True, phone=True, shot="targets"),
        Page("/targets/{target}", en=True, phone=True, shot="target"),
        Page("/campaigns/{campaign}/targets/new", en=True),
        Page("/targets/{target}/edit"),
        Page("/targets/classes/{body}", en=True, phone=True, shot="target-classes"),
    ],
    "chutich": [
        Page("/dashboard", en=True),
        Page("/statistics/bodies/{body}?year=2025", en=True),
        Page("/nominations/"),
        Page("/council/"),
        Page("/council/sessions/{voting_session}"),
        Page("/decisions/"),
        Page("/decisions/{issued_decision}", en=True),
        Page("/notifications/"),
    ],
    "hoidong1": [
        Page("/dashboard", en=True, phone=True),
        Page("/council/", phone=True),
        Page("/council/sessions/{voting_session}", phone=True),
        Page(
            "/council/sessions/{voting_session}/items/{voting_item}/vote",
            en=True,
            phone=True,
            shot="ballot",
        ),
        Page(
            "/council/sessions/{voting_session}/items/{voting_item}/vote",
            en=True,
            phone=True,
            step="choose-agree",
            shot="ballot-confirm",
        ),
        Page("/notifications/"),
    ],
    "ap.sonqui": [
        Page("/dashboard", en=True, phone=True, shot="dashboard-nominator"),
        Page("/campaigns/"),
        Page("/campaigns/{campaign}"),
        Page("/nominations/", en=True, phone=True),
        Page("/nominations/new/{campaign}", en=True, phone=True),
        Page("/nominations/import/{campaign}", en=True, phone=True, shot="candidates-import"),
        Page("/nominations/{draft}/edit", en=True, phone=True, shot="dossier-form"),
        Page("/nominations/{draft}", en=True, phone=True, shot="dossier"),
        Page("/registration/", en=True, phone=True, shot="registration-nominator"),
        Page(
            "/registration/calls/{registration_call}/units/{son_qui}",
            en=True,
            phone=True,
            shot="registration-form",
        ),
        Page("/nominations/{in_review}"),
        Page("/notifications/", en=True, phone=True, shot="notifications"),
        Page("/account/password", en=True),
        Page("/account/notifications", en=True, phone=True),
        Page("/campaigns/{campaign}/targets", phone=True, shot="targets-nominator"),
        Page("/history/units/{son_qui}", en=True),
        Page("/targets/{target}", en=True, phone=True, shot="target-report"),
        Page("/admin/users/", status=403, en=True, shot="forbidden"),
        Page("/nominations/" + str(MISSING), status=404),
    ],
}

# GET routes that answer a file or a redirect, not a page.
NOT_PAGES = {
    "static",
    "dashboard.home",
    "nominations.download",
    "blanks.scan",
    "targets.evidence",
    "honours.photo",  # an image
    "history.template",  # a spreadsheet
    # Reached only from the form that made the password: checked after that step
    # (`Page("/admin/users/new", step="new-account")`); opened directly, it leads to the account.
    "admin.temporary_password",
    # Redirects to the page of an audit log's object (the form, or the public page).
    "honours.entry_record",
    "registration.record",
    # The JSON API answers JSON (its documentation page, /api/v1/docs, is checked above).
    "api-docs.openapi_json",
    *(
        f"{blueprint}.{view}"
        for blueprint, views in {
            "api_read": ("units", "unit", "campaigns", "campaign", "award_types", "award_type"),
            "api_records": ("decisions", "decision", "certificate", "history", "unit_history"),
            "api_dossiers": ("nominations", "nomination"),
        }.items()
        for view in views
    ),
}
FILE_SUFFIXES = (".pdf", ".csv", ".xlsx", ".zip")


@pytest.fixture(scope="module")
def a11y_world(live_app: Flask, live_server: str) -> dict[str, Any]:
    """Ids of the objects the pages show, made once in the live server's database."""

    def make() -> dict[str, Any]:
        with live_app.test_request_context("/", base_url=live_server):
            try:
                return build_world()
            finally:
                db.session.remove()

    return made_once(live_app, "a11y", make)


# Checking a page ---------------------------------------------------------------------------


def _choose_agree(page: Any) -> None:
    """The ballot's first step: choose "agree" and go on to the confirmation."""
    page.click("label[for=choice-agree]")
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def _failed_login(page: Any) -> None:
    """A login that fails: the form comes back with its error."""
    page.fill("#username", "khong.ton.tai")
    page.fill("#password", "sai-mat-khau")
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def _new_account(page: Any) -> None:
    """An account created without a password: the page that shows its temporary password."""
    page.fill("#full_name", "Nguyễn Thị Kiểm Tra")
    page.fill("#username", f"kiem.tra.{secrets.token_hex(4)}")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    if "/temporary-password" not in page.url:
        raise AssertionError(f"the new account led to {page.url}")


STEPS: dict[str, Callable[[Any], None]] = {
    "choose-agree": _choose_agree,
    "failed-login": _failed_login,
    "new-account": _new_account,
}


def _axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (the context loads axe-core into every
    page it opens, `new_context`)."""
    page.evaluate("document.fonts.ready.then(() => document.fonts.status)")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def _describe(where: str, violation: dict[str, Any]) -> str:
    nodes = violation["nodes"]
    targets = ", ".join(" ".join(map(str, node["target"])) for node in nodes[:5])
    more = f" (+{len(nodes) - 5} more)" if len(nodes) > 5 else ""
    return (
        f"{where}: {violation['id']} [{violation['impact']}] {violation['help']} "
        f"— {targets}{more} — {violation['helpUrl']}"
    )


class Checker:
    """Visits pages as one visitor and keeps what axe-core found."""

    def __init__(self, base: str, world: dict[str, Any], artifacts: Path, visitor: str) -> None:
        self.base = base
        self.world = world
        self.artifacts = artifacts
        self.visitor = visitor
        self.checked = 0
        self.problems: list[str] = []
        self.report: list[dict[str, Any]] = []

    def check(self, page: Any, spec: Page, variant: str) -> None:
        path = spec.path.format(**self.world)
        where = f"{self.visitor} {variant} {path}" + (f" ({spec.step})" if spec.step else "")
        response = page.goto(f"{self.base}{path}")
        if response is None or response.status != spec.status:
            status = response.status if response else None
            self.problems.append(f"{where}: answered {status}, expected {spec.status}")
            return
        if spec.step:
            STEPS[spec.step](page)
        violations = _axe(page)
        self.checked += 1
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > page.viewport_size["width"]:
            # WCAG 1.4.10 (reflow): nothing may run off the side of the screen.
            self.problems.append(f"{where}: {width}px wide, scrolls sideways")
        self.report.append(
            {"page": where, "violations": [{**v, "nodes": v["nodes"][:10]} for v in violations]}
        )
        self.problems += [_describe(where, v) for v in violations if v["impact"] in FAILING]
        if spec.shot:
            screenshot(page, self.artifacts / f"a11y-{spec.shot}-{variant}.png")


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert re.search(r"/dashboard$", page.url), page.url


def _switch_language(page: Any, code: str) -> None:
    with page.expect_navigation():
        page.click(f".rc-lang button[lang={code}]")
    assert page.locator("html").get_attribute("lang") == code


@pytest.fixture
def new_context(browser: Any) -> Iterator[Callable[[], Any]]:
    """A browser context that bypasses the CSP and loads axe-core into every page it opens
    (once per document, before the page's own scripts)."""
    contexts: list[Any] = []

    def make() -> Any:
        context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
        context.add_init_script(path=str(AXE))
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def _checks(spec: Page) -> int:
    return 1 + spec.en + spec.phone


def parts_of(pages: list[Page]) -> list[list[Page]]:
    """A visitor's pages in consecutive runs of about equal numbers of checks, as many runs as
    PART_SIZE checks each would need."""
    total = sum(map(_checks, pages))
    share = total / -(-total // PART_SIZE)
    parts: list[list[Page]] = [[]]
    done = 0
    for spec in pages:
        if parts[-1] and done + _checks(spec) > share * len(parts) + 1:
            parts.append([])
        parts[-1].append(spec)
        done += _checks(spec)
    return parts


# Each part of a visitor's pages is a test of its own, with its own browser context and login:
# the two workers share the visitors with the most pages, and no test holds a worker much
# longer than the others at the end of the run.
PART_SIZE = 24
PARTS = {
    f"{visitor}-{number}": (visitor, part)
    for visitor, pages in PAGES.items()
    for number, part in enumerate(parts_of(pages), start=1)
}


@pytest.mark.parametrize("part", list(PARTS))
def test_pages_have_no_serious_accessibility_violations(
    part: str,
    live_server: str,
    a11y_world: dict[str, Any],
    new_context: Callable[[], Any],
    artifacts: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    visitor, pages = PARTS[part]
    checker = Checker(live_server, a11y_world, artifacts, visitor)
    page = new_context().new_page()
    if visitor != ANONYMOUS:
        _log_in(page, live_server, visitor)
    for spec in pages:
        checker.check(page, spec, "vi")
    page.set_viewport_size(PHONE)
    for spec in (p for p in pages if p.phone):
        checker.check(page, spec, "phone")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server}/login" if visitor == ANONYMOUS else f"{live_server}/dashboard")
    _switch_language(page, "en")
    for spec in (p for p in pages if p.en):
        checker.check(page, spec, "en")
    # A signed-in user's choice is saved on the account: put back the demo's Vietnamese.
    page.goto(f"{live_server}/login" if visitor == ANONYMOUS else f"{live_server}/dashboard")
    _switch_language(page, "vi")

    (artifacts / f"axe-{part}.json").write_text(
        json.dumps(checker.report, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    expected = sum(map(_checks, pages))
    with capsys.disabled():
        print(
            f"\naxe-core: {checker.checked} of {expected} pages checked as {visitor} ({part}), "
            f"{len(checker.problems)} problems"
        )
    assert checker.problems == [], "\n".join(checker.problems)
    assert checker.checked == expected


def test_every_page_route_is_checked(live_app: Flask) -> None:
    """A new page must be added to PAGES: every GET route that answers HTML is on the list."""
    adapter = live_app.url_map.bind("localhost")
    listed = set()
    for pages in PAGES.values():
        for spec in pages:
            path = spec.path.split("?")[0].format_map(_AnyId())
            try:
                listed.add(adapter.match(path, method="GET")[0])
            except NotFound:  # the 404 pages' paths
                assert spec.status == 404, spec
    routes = {
        rule.endpoint
        for rule in live_app.url_map.iter_rules()
        if "GET" in (rule.methods or ())
        and rule.endpoint not in NOT_PAGES
        and not rule.rule.endswith(FILE_SUFFIXES)
    }
    assert sorted(routes - listed) == []


class _AnyId(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "NO-SUCH-SERIAL" if key in ("serial", "code") else "1"


def test_the_csp_blocks_the_injected_script_unless_bypassed(browser: Any, live_server: str) -> None:
    """add_script_tag inserts axe-core inline: the CSP stops it, a bypassing context runs it."""
    for bypass, loaded in ((False, False), (True, True)):
        context = browser.new_context(bypass_csp=bypass)
        try:
            page = context.new_page()
            page.goto(f"{live_server}/login")
            if bypass:
                page.add_script_tag(path=str(AXE))
            else:
                with pytest.raises(PlaywrightError, match="Content Security Policy"):
                    page.add_script_tag(path=str(AXE))
            assert page.evaluate("typeof window.axe !== 'undefined'") is loaded
        finally:
            context.close()
