"""The ballot's statements run without a transaction on PostgreSQL (common/autocommit.py): no
BEGIN and no COMMIT around a cast, each statement committing alone; the next request on the
same pooled connection is in a transaction again; a second write in such a request is
refused before it is sent."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, cast

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import event, update

import tests.conftest
from recognition.auth.models import User
from recognition.common.autocommit import SecondWriteWithoutTransaction
from recognition.council import services
from recognition.extensions import db
from tests.council.helpers import (
    accepted,
    ballot_count,
    participation_count,
    seat_council,
    vote_race_database,
    vote_url,
    voting_session,
)
from tests.workflow.helpers import build_scene

pytestmark = [
    pytest.mark.postgres,
    *tests.conftest.committing_on_postgres("transactions are left out on PostgreSQL only"),
]


@pytest.fixture
def voting_app() -> Iterator[Flask]:
    # The connection returned last is taken first: the page after the cast gets the cast's.
    with vote_race_database(SQLALCHEMY_ENGINE_OPTIONS={"pool_use_lifo": True}) as app:
        yield app


def _open_vote(app: Flask) -> tuple[str, str, str]:
    """A council with its vote open (committed): the ballot's address, the session's page and
    a member's user name."""
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        seat_council(scene, 5)
        session = voting_session(scene, [accepted(scene)])
        found = (
            vote_url(session.id, session.items[0].id),
            f"/council/sessions/{session.id}",
            scene.council_member.username,
        )
        db.session.commit()
        db.session.remove()
    return found


class Sent:
    """Each statement the app sends, with whether its connection was in autocommit mode, and
    the connections they were sent on."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, bool]] = []
        self.connections: set[int] = set()

    def __call__(self, connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        driver = connection.connection.driver_connection
        self.statements.append((" ".join(statement.split()[:2]), driver.autocommit))
        self.connections.add(id(driver))

    def clear(self) -> None:
        self.statements.clear()
        self.connections.clear()


@pytest.fixture
def sent(voting_app: Flask) -> Iterator[Sent]:
    recorder = Sent()
    with voting_app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", recorder)
    yield recorder
    event.remove(engine, "before_cursor_execute", recorder)


def _member(app: Flask, username: str) -> tests.conftest.Client:
    app.test_client_class = tests.conftest.Client
    client = cast(tests.conftest.Client, app.test_client())
    assert tests.conftest.log_in(client, username).status_code == 302
    client.csrf_token()
    return client


def test_a_cast_runs_statement_by_statement_and_the_next_page_in_a_transaction(
    voting_app: Flask, sent: Sent
) -> None:
    ballot, session_page, username = _open_vote(voting_app)
    member = _member(voting_app, username)
    assert member.get(ballot).status_code == 200

    sent.clear()
    receipt = member.post_form(ballot, {"step": "cast", "choice": "A"})
    assert receipt.status_code == 200
    assert "data-receipt" in receipt.get_data(as_text=True)
    assert sent.statements == [
        ("SELECT users.id,", True),
        ("SELECT agenda_items.id", True),
        ("WITH participation", True),
    ]

    (cast_on,) = sent.connections
    sent.clear()
    assert member.get(session_page).status_code == 200
    assert sent.connections == {cast_on}
    assert sent.statements and {autocommit for _, autocommit in sent.statements} == {False}
    with voting_app.app_context():
        assert (participation_count(), ballot_count()) == (1, 1)
        db.session.remove()


def test_a_second_write_without_a_transaction_is_refused_before_it_is_sent(
    voting_app: Flask, sent: Sent, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    ballot, _session_page, username = _open_vote(voting_app)
    member = _member(voting_app, username)
    cast_vote = services.cast_vote

    def cast_and_write_again(*args: Any, **kwargs: Any) -> str:
        tracker = cast_vote(*args, **kwargs)
        db.session.execute(update(User).where(User.id == -1).values(full_name="x"))
        return tracker

    monkeypatch.setattr(services, "cast_vote", cast_and_write_again)
    sent.clear()
    with caplog.at_level(logging.ERROR):
        refused = member.post_form(ballot, {"step": "cast", "choice": "A"})

    assert refused.status_code == 500
    assert any(
        isinstance(record.exc_info[1], SecondWriteWithoutTransaction)
        for record in caplog.records
        if record.exc_info
    )
    assert [statement for statement, _ in sent.statements if statement.startswith("UPDATE")] == []
    with voting_app.app_context():
        # The cast itself was one statement, committed as it ran.
        assert (participation_count(), ballot_count()) == (1, 1)
        db.session.remove()
