"""The API's lists read one page from the database, not every row: the statements a page
sends do not grow with the rows, the rows of the list are read with LIMIT (only the page's
are loaded), and paging through a list gives every row once, in the list's order."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select

from recognition.api.enums import Scope
from recognition.api.services import create_client
from recognition.auth.enums import Role
from recognition.campaigns.enums import CampaignStatus
from recognition.campaigns.models import Campaign
from recognition.campaigns.queries import campaigns_for_user
from recognition.certificates import print_jobs
from recognition.common.text import fold
from recognition.decisions.models import DecisionLine
from recognition.extensions import db
from recognition.history.enums import NomineeKind, RecordSource
from recognition.history.models import AwardRecord
from recognition.history.queries import unit_records
from recognition.nominations.models import Nomination
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from tests.api.world import ApiWorld, build_world
from tests.conftest import Client
from tests.decisions.helpers import issued
from tests.support.factories import (
    CampaignFactory,
    NominationFactory,
    UnitFactory,
    dissolve,
    user_with,
)
from tests.workflow.helpers import build_scene

pytestmark = pytest.mark.integration


@pytest.fixture
def world(app: Flask) -> ApiWorld:
    return build_world()


@pytest.fixture
def api(app: Flask):  # type: ignore[no-untyped-def]
    app.test_client_class = Client
    return app.test_client()


@contextmanager
def loaded(model: type[Any]) -> Iterator[list[Any]]:
    """The instances of `model` built from rows while the block runs (each request has a
    session of its own, so every row it reads is counted)."""
    seen: list[Any] = []

    def record(target: Any, context: Any) -> None:
        seen.append(target)

    event.listen(model, "load", record)
    try:
        yield seen
    finally:
        event.remove(model, "load", record)


def _get(api, world: ApiWorld, url: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = api.get(url, headers=world.headers(world.token_a))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()  # type: ignore[no-any-return]


def _every_page(api, world: ApiWorld, url: str, per_page: int) -> list[int]:  # type: ignore[no-untyped-def]
    """The ids of every page of `url`, in order, checking each page's fields on the way."""
    first = _get(api, world, f"{url}?per_page={per_page}")
    pages = first["pages"]
    assert pages == max(-(-first["total"] // per_page), 1)
    ids: list[int] = []
    for number in range(1, pages + 1):
        page = _get(api, world, f"{url}?page={number}&per_page={per_page}")
        assert (page["page"], page["per_page"], page["total"], page["pages"]) == (
            number,
            per_page,
            first["total"],
            pages,
        )
        ids += [item["id"] for item in page["items"]]
    return ids


# --- the world's rows -------------------------------------------------------------------------

_DATES = [date(2024, 5, 1), date(2023, 1, 9), None]


def _records(unit: Unit, count: int, *, kind: NomineeKind, start: int = 0) -> list[AwardRecord]:
    """`count` records of `unit`, many of them on the same date and year (and some on none),
    so that only the id tells them apart."""
    made = []
    for n in range(start, start + count):
        name = unit.name if kind == NomineeKind.UNIT else f"Nguyễn Văn {n}"
        on = _DATES[n % len(_DATES)]
        made.append(
            AwardRecord(
                source=RecordSource.IMPORT,
                nominee_kind=kind,
                unit_id=unit.id,
                unit_name=unit.name,
                person_name=None if kind == NomineeKind.UNIT else name,
                nominee_name=name,
                nominee_folded=fold(name),
                person_key=f"{unit.id}:{fold(name)}",
                award_name="Giấy khen",
                decision_reference=f"{n}/QĐ-UBND",
                decision_on=on,
                year=on.year if on else (None if n % 2 else 2022),
            )
        )
    db.session.add_all(made)
    db.session.flush()
    return made


def _history(world: ApiWorld) -> Unit:
    """Unit A's history: its own awards, a predecessor merged into it with its own, a hamlet's
    and people's, interleaved by date; and unit B's, which is not in it."""
    before = UnitFactory(kind=UnitKind.COMMUNE, parent=world.body)
    _records(before, 3, kind=NomineeKind.UNIT, start=100)
    dissolve(before, on=date(2025, 1, 1))
    before.successor_id = world.unit_a.id
    _records(world.unit_a, 5, kind=NomineeKind.UNIT)
    _records(world.unit_a, 7, kind=NomineeKind.PERSON, start=10)
    _records(world.hamlet_a, 6, kind=NomineeKind.UNIT, start=20)
    _records(world.unit_b, 4, kind=NomineeKind.UNIT, start=30)
    db.session.flush()
    return world.unit_a


def _campaigns(world: ApiWorld, count: int) -> None:
    """`count` campaigns of the district that unit A may see (open or closed, several
    closing on the same day) and a draft, which it may not."""
    admin = user_with(Role.ADMIN, world.body)
    today = date.today()
    for n in range(count):
        CampaignFactory(
            awarding_body=world.body,
            opens_on=today - timedelta(days=40),
            closes_on=today - timedelta(days=n % 3),
            awards=[world.award],
            status=CampaignStatus.CLOSED if n % 2 else CampaignStatus.OPEN,
            actor=admin,
        )
    CampaignFactory(awarding_body=world.body, status=CampaignStatus.DRAFT)
    db.session.flush()


# --- every row once, in order -----------------------------------------------------------------


def test_paging_through_a_units_history_gives_every_record_once_in_its_order(
    world: ApiWorld, api
) -> None:  # type: ignore[no-untyped-def]
    unit = _history(world)
    own, within = unit_records(unit)
    expected = [r.id for r in [*own, *within]]
    assert len(own) == 8 and len(within) == 13
    url = f"/api/v1/units/{unit.id}/history"
    assert _every_page(api, world, url, per_page=4) == expected
    assert _every_page(api, world, url, per_page=100) == expected
    # A page past the end is the last page, as before.
    last = _get(api, world, f"{url}?page=99&per_page=4")
    assert (last["page"], [r["id"] for r in last["items"]]) == (6, expected[20:])


def test_paging_through_the_campaigns_gives_each_once_in_its_order(world: ApiWorld, api) -> None:  # type: ignore[no-untyped-def]
    _campaigns(world, 12)
    expected = [c.id for c in campaigns_for_user(world.client_a.user)]
    assert len(expected) == 13  # the world's open campaign and the twelve, not the draft
    assert _every_page(api, world, "/api/v1/campaigns", per_page=5) == expected
    last = _get(api, world, "/api/v1/campaigns?page=7&per_page=5")
    assert (last["page"], [c["id"] for c in last["items"]]) == (3, expected[10:])


def test_an_empty_list_is_one_empty_page(world: ApiWorld, api) -> None:  # type: ignore[no-untyped-def]
    page = _get(api, world, f"/api/v1/units/{world.hamlet_a.id}/history?page=3")
    assert page == {"items": [], "page": 1, "per_page": 25, "total": 0, "pages": 1}


# --- one page read, whatever the rows --------------------------------------------------------


def _page_cost(
    api, world: ApiWorld, url: str, model: type[Any], count_queries
) -> tuple[int, int, list[str]]:  # type: ignore[no-untyped-def]
    """The statements a page sends, the rows of `model` it loads, and its statements that
    read `model`'s table."""
    table = model.__table__.name
    with count_queries() as count, loaded(model) as rows:
        _get(api, world, url)
    reads = [s for s in count.statements if f"FROM {table}" in s]
    return count(), len(rows), reads


def _reads_a_page(reads: list[str], table: str) -> None:
    """The list's rows are counted (a count over a subquery), then read with LIMIT: whole, or
    their ids first and then the rows of those ids."""
    counted, *page = reads
    assert "SELECT count(*)" in counted, counted
    assert len(page) in (1, 2) and "LIMIT" in page[0], page
    if len(page) == 2:
        assert f"WHERE {table}.id IN" in page[1], page[1]


@pytest.mark.parametrize("page", [1, 2, 5])
def test_a_page_of_a_units_history_reads_that_page_only(
    world: ApiWorld, api, count_queries, page: int
) -> None:  # type: ignore[no-untyped-def]
    unit = _history(world)
    url = f"/api/v1/units/{unit.id}/history?page={page}&per_page=4"
    statements, rows, reads = _page_cost(api, world, url, AwardRecord, count_queries)
    assert rows == (4 if page < 6 else 1)
    _reads_a_page(reads, "award_records")
    # Three times the records: the same statements, the same rows.
    _records(unit, 30, kind=NomineeKind.PERSON, start=200)
    _records(world.hamlet_a, 12, kind=NomineeKind.UNIT, start=300)
    assert _page_cost(api, world, url, AwardRecord, count_queries)[:2] == (statements, rows)


@pytest.mark.parametrize("page", [1, 3])
def test_a_page_of_campaigns_reads_that_page_only(
    world: ApiWorld, api, count_queries, page: int
) -> None:  # type: ignore[no-untyped-def]
    _campaigns(world, 8)
    url = f"/api/v1/campaigns?page={page}&per_page=3"
    statements, rows, reads = _page_cost(api, world, url, Campaign, count_queries)
    assert rows == 3
    _reads_a_page(reads, "campaigns")
    _campaigns(world, 16)
    assert _page_cost(api, world, url, Campaign, count_queries)[:2] == (statements, rows)


def test_the_search_reads_a_page_only(world: ApiWorld, api, count_queries) -> None:  # type: ignore[no-untyped-def]
    _history(world)
    url = "/api/v1/history?q=Nguy%E1%BB%85n&per_page=3"
    statements, rows, reads = _page_cost(api, world, url, AwardRecord, count_queries)
    assert rows == 3
    _reads_a_page(reads, "award_records")
    _records(world.unit_a, 20, kind=NomineeKind.PERSON, start=400)
    assert _page_cost(api, world, url, AwardRecord, count_queries)[:2] == (statements, rows)
    # The units in the client's reach are a subquery of the search, not ids read beforehand.
    with count_queries() as count:
        _get(api, world, url)
    assert not [s for s in count.statements if s.lstrip().startswith("SELECT units.id")]


def test_a_page_of_decisions_counts_their_lines_without_reading_them(
    app: Flask, api, count_queries, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # The certificates' print jobs are left unstarted (their threads are not what is tested).
    idle = SimpleNamespace(start=lambda: None)
    monkeypatch.setattr(print_jobs, "threading", SimpleNamespace(Thread=lambda **_: idle))
    scene = build_scene()
    _, token = create_client(
        "Cổng xã", scopes=[Scope.READ.value], unit=scene.commune_a, actor=scene.admin
    )
    db.session.flush()
    three = issued(scene, 3, names=["Ấp Một", "Ấp Hai", "Ấp Ba"])
    two = issued(scene, 2, names=["Ấp Bốn", "Ấp Năm"])
    headers = {"Authorization": f"Bearer {token}"}

    def page() -> dict[str, Any]:
        response = api.get("/api/v1/decisions?per_page=5", headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        return response.get_json()  # type: ignore[no-any-return]

    found = {d["id"]: d["line_count"] for d in page()["items"]}
    assert found == {three.id: 3, two.id: 2}
    with count_queries() as count, loaded(DecisionLine) as lines:
        page()
    assert lines == []
    counted = [s for s in count.statements if "FROM decision_lines" in s]
    assert len(counted) == 1 and "count(*)" in counted[0], counted


def test_the_dossiers_are_paged_as_the_html_list_pages_them(
    world: ApiWorld, api, count_queries
) -> None:  # type: ignore[no-untyped-def]
    nominator = user_with(Role.NOMINATOR, world.unit_a)
    for n in range(7):
        NominationFactory(
            campaign=world.campaign,
            award_type=world.award,
            actor=nominator,
            nominee_unit=UnitFactory(
                kind=UnitKind.HAMLET, parent=world.unit_a, name=f"Ấp {'Bình' if n % 2 else 'An'}"
            ),
        )
    expected = list(
        db.session.scalars(
            select(Nomination.id)
            .where(Nomination.nominating_unit_id == world.unit_a.id)
            .order_by(Nomination.nominee_sort, Nomination.id)
        )
    )
    assert len(expected) == 7
    assert _every_page(api, world, "/api/v1/nominations", per_page=3) == expected
    url = "/api/v1/nominations?page=2&per_page=3"
    _, rows, reads = _page_cost(api, world, url, Nomination, count_queries)
    assert rows == 3
    _reads_a_page(reads, "nominations")
