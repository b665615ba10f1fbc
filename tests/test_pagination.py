"""Every paginated list takes any ?page= without a 500: a page number that is not a number,
below one, or past the end (even beyond what the database's OFFSET holds) shows the first or
the last page."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, url_for
from flask_babel import force_locale
from sqlalchemy import func, select

from recognition.auth.enums import Role
from recognition.common.audit import AuditEvent, ObjectKind, record
from recognition.common.pagination import page_number, paginate
from recognition.extensions import db
from recognition.nominations.enums import Action
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from tests.conftest import logged_in_client
from tests.nominations import World, build_world
from tests.support.factories import NominationFactory, UnitFactory, user_with

pytestmark = pytest.mark.integration

PAGE_SIZE = 2
AUDIT_PAGE_SIZE = 50  # the audit log's own
# (list, who reads it, how many rows the world gives it, rows per page)
LISTS = [
    ("/nominations/", "nominator", 5, PAGE_SIZE),
    ("/admin/users/", "admin", 5, PAGE_SIZE),
    ("/admin/audit", "admin", AUDIT_PAGE_SIZE + 1, AUDIT_PAGE_SIZE),
]
PAGES = {
    "zero": ("0", "first"),
    "minus-one": ("-1", "first"),
    "letters": ("abc", "first"),
    "superscript-two": ("²", "first"),
    "empty": ("", "first"),
    "10**25": (str(10**25), "last"),
    "2**63": (str(2**63), "last"),
    "2**63-1": (str(2**63 - 1), "last"),
    "5000-nines": ("9" * 5000, "last"),
    "two": ("2", "2"),
}


@pytest.fixture(autouse=True)
def _request_context(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(app.config, "PAGE_SIZE", PAGE_SIZE)
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture
def world() -> World:
    world = build_world()
    nominations = [
        NominationFactory(
            campaign=world.campaign,
            award_type=world.team_award,
            actor=world.nominator_a,
            nominee_unit=UnitFactory(
                name=f"Ấp Số {n}", kind=UnitKind.HAMLET, parent=world.commune_a
            ),
        )
        for n in range(5)
    ]
    for n in range(AUDIT_PAGE_SIZE + 1):
        record(
            ObjectKind.NOMINATION,
            nominations[n % 5].id,
            Action.EDIT,
            actor=world.nominator_a,
            from_state="draft",
            to_state="draft",
            comment="summary",
            version=1,
        )
    return world


def _reader(world: World, role: str) -> Any:
    if role == "nominator":
        return world.nominator_a
    return user_with(Role.ADMIN, world.body, locale="en", full_name="Đặng Quản Trị")


def _active_page(page: str) -> int:
    """The page a list shows (1 when it has no page links)."""
    found = re.findall(r'aria-current="page">(\d+)<', page)
    return int(found[0]) if found else 1


@pytest.mark.parametrize(("path", "role", "rows", "per_page"), LISTS, ids=[p for p, *_ in LISTS])
@pytest.mark.parametrize(("asked", "expected"), PAGES.values(), ids=PAGES.keys())
def test_any_page_number_shows_a_page(  # type: ignore[no-untyped-def]
    world: World, as_user, path: str, role: str, rows: int, per_page: int, asked: str, expected: str
) -> None:
    client = as_user(_reader(world, role))
    pages = -(-rows // per_page)

    response = client.get(path, query_string={"page": asked})

    shown = _active_page(response.get_data(as_text=True))
    wanted = {"first": 1, "last": pages}.get(expected) or int(expected)
    assert (response.status_code, shown) == (200, wanted)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, 1), ("", 1), ("0", 1), ("-3", 1), ("abc", 1), ("١٢", 1), (" 7 ", 7), ("7", 7)],
)
@pytest.mark.no_database
def test_page_number_reads_ascii_digits_only(value: str | None, expected: int) -> None:
    assert page_number(value) == expected


def _paginated_endpoints(app: Flask) -> list[str]:
    """The endpoints whose view shows a page of a list."""
    return sorted(
        endpoint
        for endpoint, view in app.view_functions.items()
        if "paginate(" in inspect.getsource(inspect.unwrap(view))
    )


@pytest.mark.parametrize("asked", [asked for asked, _ in PAGES.values()], ids=PAGES.keys())
def test_every_paginated_list_takes_any_page_number(  # type: ignore[no-untyped-def]
    app: Flask, world: World, as_user, asked: str
) -> None:
    # Found from the views, so that a new list is covered as soon as it exists.
    client = as_user(_reader(world, "admin"))
    endpoints = _paginated_endpoints(app)
    # A list of one awarding body's (the golden book) is asked for the world's body.
    values = {"body_id": world.body.id}
    with app.test_request_context():
        urls = {
            endpoint: url_for(
                endpoint,
                **{
                    name: values[name]
                    for rule in app.url_map.iter_rules(endpoint)
                    for name in rule.arguments
                },
            )
            for endpoint in endpoints
        }

    # The honour board's management page is its awarding body's secretariat's alone.
    readers = {"honours.manage": logged_in_client(app, world.secretariat)}
    found = {
        e: readers.get(e, client).get(url, query_string={"page": asked}).status_code
        for e, url in urls.items()
    }

    assert {"nominations.index", "admin.users", "logs.audit"} <= set(endpoints)
    assert found == dict.fromkeys(endpoints, 200)


@pytest.mark.no_database
def test_every_list_paginates_through_the_shared_helper() -> None:
    # Flask-SQLAlchemy's own paginate turns ?page=10**25 into an OFFSET the database refuses.
    root = Path(__file__).resolve().parent.parent / "recognition"
    direct = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "pagination.py" and "db.paginate(" in path.read_text(encoding="utf-8")
    )
    assert direct == []


def test_the_world_has_the_rows_the_lists_expect(world: World) -> None:
    assert (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.object_kind == "nomination")
        )
        == AUDIT_PAGE_SIZE + 1
    )


def test_the_audit_log_counts_its_rows_up_to_a_cap(  # type: ignore[no-untyped-def]
    world: World, as_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recognition.admin import log_views

    client = as_user(_reader(world, "admin"))
    every = client.get("/admin/audit").get_data(as_text=True)
    assert _active_page(every) == 1 and "page=2" in every
    assert "events are paged here" not in every

    monkeypatch.setattr(log_views, "AUDIT_COUNTED", AUDIT_PAGE_SIZE)
    capped = client.get("/admin/audit").get_data(as_text=True)
    # Counted up to the cap, the log has one page, and says why the older events are not paged.
    assert "page=2" not in capped
    asked = client.get("/admin/audit", query_string={"page": "2"}).get_data(as_text=True)
    assert _active_page(asked) == 1
    assert f"The newest {AUDIT_PAGE_SIZE} events are paged here" in capped


ORDERS = {
    "name, id": lambda: (Unit.name_sort, Unit.id),
    "name desc, id": lambda: (Unit.name_sort.desc(), Unit.id),
    "depth desc, id desc": lambda: (Unit.depth.desc(), Unit.id.desc()),
    "code nulls last, id": lambda: (Unit.code.asc().nulls_last(), Unit.id),
}


@pytest.mark.parametrize("per_page", [1, 3, 4, 7])
@pytest.mark.parametrize("order", ORDERS.values(), ids=ORDERS.keys())
def test_every_page_is_the_slice_of_the_whole_list(app: Flask, order: Any, per_page: int) -> None:
    # Pages in the second half are read backwards from the end with the smaller OFFSET (and an
    # order whose NULLS placement is explicit, forwards as before); either way, page after page
    # is the list.
    for n in range(10):
        UnitFactory(name=f"Ấp {'Bình' if n % 3 else 'An'} {n % 4}", code=None if n % 2 else f"C{n}")
    db.session.flush()
    query = select(Unit).order_by(*order())
    whole = list(db.session.scalars(query))
    pages = -(-len(whole) // per_page)

    read = []
    for number in range(1, pages + 1):
        with app.test_request_context(f"/?page={number}"):
            read.append(paginate(query, per_page=per_page).items)

    assert len(whole) >= 10
    assert [row.id for page in read for row in page] == [row.id for row in whole]
    assert all(len(page) == per_page for page in read[:-1]) and 0 < len(read[-1]) <= per_page


def test_an_order_is_turned_around_unless_its_nulls_are_placed() -> None:
    from recognition.common.pagination import _reversed

    turned = {
        name: _reversed(select(Unit).order_by(*order())._order_by_clauses)
        for name, order in ORDERS.items()
    }

    assert [str(c) for c in turned["name desc, id"] or []] == [
        "units.name_sort ASC",
        "units.id DESC",
    ]
    assert [str(c) for c in turned["depth desc, id desc"] or []] == [
        "units.depth ASC",
        "units.id ASC",
    ]
    assert turned["code nulls last, id"] is None and _reversed(()) is None
