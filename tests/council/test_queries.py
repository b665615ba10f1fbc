"""The council's list pages send as many queries for 9 rows as for 3 (the sessions list, the
members, an agenda being voted on, the counted ballots of a closed session)."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale

from recognition.council import services
from recognition.council.enums import Choice, CouncilRole
from recognition.extensions import db
from tests.conftest import Client
from tests.council.helpers import (
    TERM_START,
    accepted,
    ballot_count,
    client_for,
    new_session,
    participation_count,
    roll,
    seat_council,
    vote_url,
    voting_session,
)
from tests.support.factories import UserFactory
from tests.workflow.helpers import build_scene, new_hamlet

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _in_request(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


def queries_for(
    client: Client,
    count_queries: Any,
    url: Callable[[], str],
    grow: Callable[[int], list[str]],
    sizes: tuple[int, int] = (3, 6),
) -> list[int]:
    """The queries of the page after `grow(3)`, then after `grow(6)` more (9 rows; a grow
    that builds a new page each time is given (3, 9)); every row's text is shown."""
    counts = []
    for rows in sizes:
        shown = grow(rows)
        db.session.commit()
        client.get(url())  # warm up: the client's first request loads its session
        with count_queries() as queries:
            response = client.get(url())
        assert response.status_code == 200
        page = html.unescape(response.get_data(as_text=True))
        assert [text for text in shown if text not in page] == []
        counts.append(queries())
    return counts


def test_sessions_list(app: Flask, count_queries) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene()
    seat_council(scene, 3)

    def grow(rows: int) -> list[str]:
        return [f"/council/sessions/{new_session(scene, []).id}" for _ in range(rows)]

    few, many = queries_for(client_for(app, scene.chair), count_queries, lambda: "/council/", grow)
    assert few == many > 0


def test_members_list(app: Flask, count_queries) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene()
    names = iter(f"Thành Viên Số {n}" for n in range(20))

    def grow(rows: int) -> list[str]:
        users = [UserFactory(full_name=next(names)) for _ in range(rows)]
        for user in users:
            services.add_member(scene.body, user, role=CouncilRole.MEMBER, term_start=TERM_START)
        return [u.full_name for u in users]

    url = f"/council/members/{scene.body.id}"
    few, many = queries_for(client_for(app, scene.secretariat), count_queries, lambda: url, grow)
    assert few == many > 0


def test_agenda_being_voted_on_by_a_member(app: Flask, count_queries) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene()
    seat_council(scene, 5)
    names = iter(f"Ấp Biểu Quyết {n}" for n in range(20))
    sessions = []

    def grow(rows: int) -> list[str]:
        dossiers = [accepted(scene, nominee=new_hamlet(scene, next(names))) for _ in range(rows)]
        session = new_session(scene, dossiers)
        services.open_vote(session, actor=scene.secretariat)
        sessions.append(session)
        return [d.nominee_name for d in dossiers]

    def url() -> str:
        return f"/council/sessions/{sessions[-1].id}"

    client = client_for(app, scene.council_member)
    few, many = queries_for(client, count_queries, url, grow, (3, 9))
    assert few == many > 0


def test_counted_ballots_of_a_closed_session(app: Flask, count_queries) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene()
    seat_council(scene, 5)
    names = iter(f"Ấp Kiểm Phiếu {n}" for n in range(20))
    sessions = []

    def grow(rows: int) -> list[str]:
        dossiers = [accepted(scene, nominee=new_hamlet(scene, next(names))) for _ in range(rows)]
        session = new_session(scene, dossiers)
        services.open_vote(session, actor=scene.secretariat)
        for item in session.items:
            for member in roll(session):
                services.cast_vote(item, member, Choice.AGREE)
        services.close_vote(session, actor=scene.chair)
        sessions.append(session)
        return [d.nominee_name for d in dossiers]

    def url() -> str:
        return f"/council/sessions/{sessions[-1].id}"

    few, many = queries_for(client_for(app, scene.chair), count_queries, url, grow, (3, 9))
    assert few == many > 0


def test_a_cast_sends_one_read_and_one_write(app: Flask, count_queries) -> None:  # type: ignore[no-untyped-def]
    """A hundred members cast at once: each cast reads the user (with the bell's count of
    their unread notifications), then the ballot (item, session, seat, roll line, withdrawal,
    participation) in one statement, and writes the participation and the sealed ballot (in
    one statement on PostgreSQL); nothing is read twice, whatever the council's size."""
    scene = build_scene()
    seat_council(scene, 9)
    session = voting_session(scene, [accepted(scene)])
    url = vote_url(session.id, session.items[0].id)
    db.session.commit()
    client = client_for(app, scene.council_member)
    client.get(url)  # the client's first request loads its session
    client.csrf_token()

    with count_queries() as queries:
        cast = client.post_form(url, {"step": "cast", "choice": "A"})

    assert cast.status_code == 200
    assert "data-receipt" in cast.get_data(as_text=True)
    sent = [" ".join(statement.split()[:4]) for statement in queries.statements]
    writes = (
        ["WITH participation AS (INSERT"]
        if db.engine.dialect.name == "postgresql"
        else ["INSERT INTO participations (item_id,", "INSERT INTO sealed_ballots (id,"]
    )
    assert sent == [
        "SELECT users.id, users.username, users.full_name,",
        "SELECT agenda_items.id AS item_id,",
        *writes,
    ]
    assert "count(*)" in queries.statements[0]
    assert (participation_count(), ballot_count()) == (1, 1)
