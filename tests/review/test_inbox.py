"""The secretariat's inbox: who sees it, the order, and the processing deadline in working days."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask_babel import force_locale

from recognition.common import lifecycle
from recognition.extensions import db
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.workflow import apply_transition
from recognition.review.deadlines import add_working_days, parse_holidays
from recognition.review.queries import inbox_for, inbox_summary
from recognition.units.enums import UnitKind
from tests.workflow.helpers import INSIDE, ROLES, Scene, build_scene, dossier_in, draft

S = NominationState

# --- add_working_days (pure) ------------------------------------------------------------------

NATIONAL_DAY_2025 = frozenset({date(2025, 9, 1), date(2025, 9, 2)})  # Monday and Tuesday
TET_2025 = frozenset(date(2025, 1, d) for d in range(27, 32)) | {
    date(2025, 1, 25),
    date(2025, 1, 26),
}


@pytest.mark.unit
@pytest.mark.parametrize(
    ("start", "days", "holidays", "expected"),
    [
        (date(2025, 6, 16), 0, frozenset(), date(2025, 6, 16)),  # Monday, no days: itself
        (date(2025, 6, 16), 1, frozenset(), date(2025, 6, 17)),  # the day of receipt is not counted
        (date(2025, 6, 13), 1, frozenset(), date(2025, 6, 16)),  # Friday → Monday
        (date(2025, 6, 14), 1, frozenset(), date(2025, 6, 16)),  # received on a Saturday
        (date(2025, 6, 15), 1, frozenset(), date(2025, 6, 16)),  # received on a Sunday
        (date(2025, 6, 16), 10, frozenset(), date(2025, 6, 30)),
        (date(2025, 6, 14), 10, frozenset(), date(2025, 6, 27)),  # a weekend start
        (date(2025, 8, 29), 10, frozenset(), date(2025, 9, 12)),
        (date(2025, 8, 29), 10, NATIONAL_DAY_2025, date(2025, 9, 16)),  # two holidays skipped
        (date(2025, 8, 30), 1, NATIONAL_DAY_2025, date(2025, 9, 3)),  # weekend, then holidays
        (date(2025, 1, 24), 1, TET_2025, date(2025, 2, 3)),  # a holiday on a weekend counts once
        (date(2025, 6, 16), 10, frozenset({date(2025, 6, 21)}), date(2025, 6, 30)),  # a Saturday
    ],
)
def test_add_working_days(
    start: date, days: int, holidays: frozenset[date], expected: date
) -> None:
    assert add_working_days(start, days, holidays) == expected


@pytest.mark.unit
def test_parse_holidays() -> None:
    assert parse_holidays(["2025-09-01", "2025-09-02", "2025-09-01"]) == NATIONAL_DAY_2025


# --- the inbox --------------------------------------------------------------------------------


class Clock:
    """A settable UTC clock for the workflow's timestamps."""

    def __init__(self) -> None:
        self.now = datetime(2025, 6, 2, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(lifecycle, "utcnow", clock)
    return clock


@pytest.fixture
def _in_request(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


def submit_at(nomination: Nomination, scene: Scene, clock: Clock, when: datetime) -> Nomination:
    clock.now = when
    apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
    return nomination


def inbox_rows(html: str) -> list[tuple[int, str, str, bool]]:
    """(dossier id, received, deadline, flagged overdue) for each row of the inbox table."""
    rows = []
    for row_class, row in re.findall(r'<tr class="([^"]*)">(.*?)</tr>', html, re.S):
        found = re.search(r"/review/(\d+)\"", row)
        if found is None:
            continue
        received, deadline = re.findall(r"\d\d/\d\d/\d{4}", row)[:2]
        overdue = "table-danger" in row_class
        assert overdue == ("overdue" in row)  # the badge goes with the row's colour
        rows.append((int(found.group(1)), received, deadline, overdue))
    return rows


@pytest.mark.integration
def test_only_secretariat_users_have_an_inbox(as_user, client) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene()
    nomination = dossier_in(scene, S.SUBMITTED)
    db.session.commit()
    found = {}
    for role in ROLES:
        as_user(scene.users[role])
        inbox = client.get("/review/")
        page = client.get(f"/review/{nomination.id}")
        found[role] = (
            inbox.status_code,
            [r[0] for r in inbox_rows(inbox.get_data(as_text=True))]
            if inbox.status_code == 200
            else None,
            page.status_code,
        )
        client.post_form("/logout")

    assert found == {
        "nominator": (403, None, 403),
        "other_nominator": (403, None, 403),
        "secretariat": (200, [nomination.id], 200),
        # a secretariat, but of the province: its inbox holds none of the district's dossiers
        "other_secretariat": (200, [], 403),
        "council_member": (403, None, 403),
        "chair": (403, None, 403),
        "admin": (403, None, 403),
    }


@pytest.mark.integration
@pytest.mark.usefixtures("_in_request")
def test_waiting_dossiers_oldest_first(clock: Clock) -> None:
    scene = build_scene()
    first, second, third = draft(scene), draft(scene), draft(scene)
    submit_at(third, scene, clock, datetime(2025, 6, 2, 1, 0, tzinfo=UTC))
    submit_at(first, scene, clock, datetime(2025, 6, 3, 1, 0, tzinfo=UTC))
    submit_at(second, scene, clock, datetime(2025, 6, 4, 1, 0, tzinfo=UTC))
    apply_transition(first, Action.TAKE, actor=scene.secretariat)
    dossier_in(scene, S.DRAFT)
    dossier_in(scene, S.RETURNED)
    dossier_in(scene, S.ACCEPTED)

    rows = inbox_for(scene.secretariat, today=date(2025, 6, 5))

    assert [(r.nomination.id, r.nomination.state, r.round) for r in rows] == [
        (third.id, "submitted", 1),
        (first.id, "in_review", 1),
        (second.id, "submitted", 1),
    ]


@pytest.mark.integration
@pytest.mark.usefixtures("_in_request")
def test_the_deadline_skips_weekends_and_configured_holidays(
    app: Flask, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "HOLIDAYS", ["2025-09-01", "2025-09-02"])
    scene = build_scene()
    friday = submit_at(draft(scene), scene, clock, datetime(2025, 8, 29, 3, 0, tzinfo=UTC))
    saturday = submit_at(draft(scene), scene, clock, datetime(2025, 8, 30, 3, 0, tzinfo=UTC))

    rows = inbox_for(scene.secretariat, today=date(2025, 9, 16))
    later = inbox_for(scene.secretariat, today=date(2025, 9, 17))

    assert [(r.nomination.id, r.deadline, r.overdue) for r in rows + later] == [
        (friday.id, date(2025, 9, 16), False),
        (saturday.id, date(2025, 9, 16), False),
        (friday.id, date(2025, 9, 16), True),
        (saturday.id, date(2025, 9, 16), True),
    ]


@pytest.mark.integration
@pytest.mark.usefixtures("_in_request")
def test_the_day_of_receipt_is_the_local_day(clock: Clock) -> None:
    # 23:30 UTC on Monday 16 June is 06:30 on Tuesday 17 June in Việt Nam (UTC+7): the dossier
    # was received on the Tuesday, and its ten working days end on Tuesday 1 July.
    scene = build_scene()
    nomination = submit_at(draft(scene), scene, clock, datetime(2025, 6, 16, 23, 30, tzinfo=UTC))

    (row,) = inbox_for(scene.secretariat, today=date(2025, 6, 20))

    assert (row.nomination.id, row.deadline) == (nomination.id, date(2025, 7, 1))


@pytest.mark.integration
def test_the_page_flags_overdue_dossiers_when_the_clock_moves(  # type: ignore[no-untyped-def]
    as_user, client, clock: Clock, monkeypatch: pytest.MonkeyPatch, app: Flask
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        old = submit_at(draft(scene), scene, clock, datetime(2025, 6, 2, 2, 0, tzinfo=UTC))
        new = submit_at(draft(scene), scene, clock, datetime(2025, 6, 10, 2, 0, tzinfo=UTC))
        # 06:30 on Tuesday 17 June in Việt Nam
        night = submit_at(draft(scene), scene, clock, datetime(2025, 6, 16, 23, 30, tzinfo=UTC))
        db.session.commit()
    as_user(scene.secretariat)
    from recognition.review import views

    seen = {}
    for today in (date(2025, 6, 16), date(2025, 6, 17), date(2025, 6, 25)):
        monkeypatch.setattr(views, "local_today", lambda today=today: today)
        seen[today] = inbox_rows(client.get("/review/").get_data(as_text=True))

    assert seen == {
        date(2025, 6, 16): [
            (old.id, "02/06/2025", "16/06/2025", False),
            (new.id, "10/06/2025", "24/06/2025", False),
            (night.id, "17/06/2025", "01/07/2025", False),
        ],
        date(2025, 6, 17): [
            (old.id, "02/06/2025", "16/06/2025", True),
            (new.id, "10/06/2025", "24/06/2025", False),
            (night.id, "17/06/2025", "01/07/2025", False),
        ],
        date(2025, 6, 25): [
            (old.id, "02/06/2025", "16/06/2025", True),
            (new.id, "10/06/2025", "24/06/2025", True),
            (night.id, "17/06/2025", "01/07/2025", False),
        ],
    }


@pytest.mark.integration
@pytest.mark.usefixtures("_in_request")
def test_a_commune_has_the_laws_twenty_working_days_since_the_reform(clock: Clock) -> None:
    # QĐ 638/QĐ-BNV (2025): a commune processes a dossier in 20 working days since 1-7-2025;
    # before, and for other bodies, the configured 10 days.
    scene = build_scene()
    district_dossier = submit_at(
        draft(scene), scene, clock, datetime(2025, 8, 29, 3, 0, tzinfo=UTC)
    )
    district_rows = inbox_for(scene.secretariat, today=date(2025, 9, 1))
    scene.body.kind = UnitKind.COMMUNE
    before = submit_at(draft(scene), scene, clock, datetime(2025, 6, 16, 3, 0, tzinfo=UTC))

    rows = inbox_for(scene.secretariat, today=date(2025, 9, 1))

    assert (
        [(r.nomination.id, r.deadline) for r in district_rows],
        [(r.nomination.id, r.deadline) for r in rows],
    ) == (
        [(district_dossier.id, date(2025, 9, 12))],
        [(before.id, date(2025, 6, 30)), (district_dossier.id, date(2025, 9, 26))],
    )


@pytest.mark.integration
@pytest.mark.usefixtures("_in_request")
def test_the_summary_counts_what_the_rows_say_whatever_the_day(clock: Clock) -> None:
    """The dashboard counts the inbox and its overdue dossiers without loading them: the
    counts equal those of the rows on every day around the deadlines (weekends included)."""
    scene = build_scene()
    for day in (2, 3, 6, 9, 10, 13):
        submit_at(draft(scene), scene, clock, datetime(2025, 6, day, 1, 0, tzinfo=UTC))
    for today in (date(2025, 6, 13), date(2025, 6, 17), date(2025, 6, 21), date(2025, 6, 30)):
        rows = inbox_for(scene.secretariat, today=today)
        expected = (len(rows), sum(1 for r in rows if r.overdue))
        summary = inbox_summary(scene.secretariat, today=today)
        assert (summary.total, summary.overdue) == expected, today
    assert inbox_summary(scene.secretariat, today=date(2025, 6, 30)).overdue > 0


@pytest.mark.integration
def test_the_inbox_is_paged_oldest_first(  # type: ignore[no-untyped-def]
    as_user, client, clock: Clock, monkeypatch: pytest.MonkeyPatch, app: Flask
) -> None:
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    with app.test_request_context():
        scene = build_scene()
        dossiers = [
            submit_at(draft(scene), scene, clock, datetime(2025, 6, day, 1, 0, tzinfo=UTC))
            for day in (2, 3, 4)
        ]
        db.session.commit()
    as_user(scene.secretariat)

    first = client.get("/review/").get_data(as_text=True)
    second = client.get("/review/?page=2").get_data(as_text=True)

    links = [f'href="/review/{n.id}"' for n in dossiers]
    assert links[0] in first and links[1] in first and links[2] not in first
    assert links[2] in second and links[0] not in second
    assert "?page=2" in first


def test_the_inbox_exports_every_page_in_its_order(  # type: ignore[no-untyped-def]
    as_user, client, clock: Clock, monkeypatch: pytest.MonkeyPatch, app: Flask
) -> None:
    import io

    from openpyxl import load_workbook

    from tests.decisions.helpers import client_for

    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    with app.test_request_context():
        scene = build_scene()
        dossiers = [
            submit_at(draft(scene), scene, clock, datetime(2025, 6, day, 1, 0, tzinfo=UTC))
            for day in (2, 3, 4)
        ]
        rows = inbox_for(scene.secretariat, today=date(2025, 6, 5))
        db.session.commit()
    as_user(scene.secretariat)

    response = client.get("/review/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert [(r[0], r[2], r[3], r[6]) for r in cells] == [
        (i, n.nominee_name, n.reference, 1) for i, n in enumerate(dossiers, start=1)
    ]
    assert [r[7].date() for r in cells] == [row.deadline for row in rows]
    assert [r[9] for r in cells] == ["Đã gửi"] * 3
    nominator = client_for(app, scene.nominator)
    assert nominator.get("/review/export.xlsx").status_code == 403
