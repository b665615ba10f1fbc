"""Every list's XLSX export sends as many queries with 3 rows as with 9 (the rows are loaded in
chunks, with what they show eagerly): an N+1 in an export breaks one of these tests."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask_babel import force_locale
from openpyxl import load_workbook

from recognition.extensions import db
from recognition.history.services import EarlierAward, import_awards
from recognition.nominations.enums import NominationState
from tests.conftest import Client
from tests.decisions.helpers import client_for, drafted, passed
from tests.workflow.helpers import Scene, build_scene, dossier_in, draft

pytestmark = pytest.mark.integration

FEW, MORE = 3, 6  # 3 rows, then 9


@pytest.fixture(autouse=True)
def _in_request(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture
def scene() -> Scene:
    return build_scene()


def assert_flat(client: Client, count_queries, url: str, grow: Callable[[int], None]) -> None:  # type: ignore[no-untyped-def]
    """The export's queries after `grow(3)` and after `grow(6)` more rows are the same, and
    its rows grow with them."""
    counts, sizes = [], []
    for rows in (FEW, MORE):
        grow(rows)
        db.session.commit()
        client.get(url)  # warm up: the client's first request loads its session
        with count_queries() as queries:
            response = client.get(url)
        assert response.status_code == 200
        sizes.append(load_workbook(io.BytesIO(response.data)).active.max_row - 3)
        counts.append(queries)
    few, many = counts
    assert sizes[1] - sizes[0] == MORE
    assert few() == many(), "\n\n".join(many.statements)


def test_dossier_list_export(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    def grow(rows: int) -> None:
        for _ in range(rows):
            draft(scene)

    assert_flat(client_for(app, scene.nominator), count_queries, "/nominations/export.xlsx", grow)


def test_inbox_export(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    def grow(rows: int) -> None:
        for _ in range(rows):
            dossier_in(scene, NominationState.SUBMITTED)

    assert_flat(client_for(app, scene.secretariat), count_queries, "/review/export.xlsx", grow)


def test_decisions_export(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    def grow(rows: int) -> None:
        for _ in range(rows):
            drafted(scene, [passed(scene)])

    assert_flat(client_for(app, scene.secretariat), count_queries, "/decisions/export.xlsx", grow)


def test_history_export(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    made = iter(range(1000))

    def grow(rows: int) -> None:
        awards = [
            EarlierAward(
                2,
                f"Nguyễn Văn {next(made)}",
                "",
                scene.hamlet_a,
                "Giấy khen",
                "1/QĐ",
                scene.campaign.opens_on,
            )
            for _ in range(rows)
        ]
        import_awards(awards, body_name="UBND", actor=scene.secretariat, file_name="a.xlsx")

    assert_flat(client_for(app, scene.secretariat), count_queries, "/history/export.xlsx", grow)


def test_payment_list_export(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    """A decision's payment list names each person's unit and commune: as many queries for
    9 people in 9 hamlets as for 3."""
    from tests.decisions.helpers import passed_person, person_award
    from tests.workflow.helpers import new_hamlet

    award = person_award(scene)
    decisions = [
        drafted(
            scene,
            [
                passed_person(scene, award, name=f"Lê Văn {size}-{n}", unit=new_hamlet(scene))
                for n in range(size)
            ],
        )
        for size in (FEW, FEW + MORE)
    ]
    db.session.commit()
    client = client_for(app, scene.secretariat)
    counts = []
    for decision in decisions:
        url = f"/money/decisions/{decision.id}/payments.xlsx"
        client.get(url)
        with count_queries() as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert "xã Sơn Định" in str(load_workbook(io.BytesIO(response.data)).active["C6"].value)
        counts.append(queries)
    few, many = counts
    assert few() == many(), "\n\n".join(many.statements)
