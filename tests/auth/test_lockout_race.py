"""Parallel guesses of one (user name, address) pair are counted one after the other
(PostgreSQL): a burst sent at once gets no more tries than the same guesses sent in turn."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

import tests.conftest
from recognition.auth.models import LoginThrottle, User
from recognition.auth.passwords import hash_password
from recognition.common.text import fold, sort_string
from recognition.extensions import db
from tests.auth.test_login import WRONG
from tests.conftest import Client

pytestmark = [
    pytest.mark.integration,
    *tests.conftest.committing_on_postgres("races need PostgreSQL"),
]

GUESSES = 16


@pytest.fixture(scope="module")
def race_app() -> Iterator[Flask]:
    from tests.conftest import app_on_throwaway_postgres

    with app_on_throwaway_postgres("recognition_lockout_race") as built:
        with built.app_context():
            db.session.add(
                User(
                    username="hdtd.chutich",
                    full_name="Chủ Tịch Hội Đồng",
                    full_name_folded=fold("Chủ Tịch Hội Đồng"),
                    full_name_sort=sort_string("Chủ Tịch Hội Đồng"),
                    password_hash=hash_password(tests.conftest.PASSWORD),
                )
            )
            db.session.commit()
        yield built


def test_a_burst_of_parallel_guesses_gets_five_tries(race_app: Flask) -> None:
    barrier = threading.Barrier(GUESSES)
    statuses: list[int | str] = ["not run"] * GUESSES

    def guess(index: int) -> None:
        client = Client(race_app, race_app.response_class)
        client.environ_base["REMOTE_ADDR"] = "198.51.100.66"
        try:
            client.csrf_token()
            barrier.wait(timeout=30)
            response = client.post_form("/login", {"username": "hdtd.chutich", "password": WRONG})
            statuses[index] = response.status_code
        except Exception as error:  # reported, so that the assertion shows it
            statuses[index] = repr(error)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(GUESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    with race_app.app_context():
        pair = db.session.scalars(select(LoginThrottle)).one()
        counted = (pair.username, pair.address, pair.failures)
        db.session.remove()
    assert sorted(statuses, key=str) == [200] * 5 + [429] * (GUESSES - 5)
    assert counted == ("hdtd.chutich", "198.51.100.66", 5)
