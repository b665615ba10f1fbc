"""Gapless numbers per body, year and kind (docs/reliability.md, "Numbering"): independent
sequences, a rolled-back allocation gives its number back, and (PostgreSQL) 200 concurrent
allocations get 200 distinct consecutive numbers."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask

import tests.conftest
from recognition.common.numbering import next_number
from recognition.extensions import db
from recognition.units.enums import UnitKind
from tests.decisions.helpers import numbering_database
from tests.support.factories import UnitFactory

RACERS = 200


@pytest.fixture
def _in_app(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield


@pytest.mark.integration
@pytest.mark.usefixtures("_in_app")
def test_each_body_year_and_kind_has_its_own_sequence() -> None:
    first = UnitFactory(name="Huyện Một", kind=UnitKind.DISTRICT, is_awarding_body=True)
    second = UnitFactory(name="Huyện Hai", kind=UnitKind.DISTRICT, is_awarding_body=True)

    taken = [
        next_number(first.id, 2026, "decision"),
        next_number(first.id, 2026, "decision"),
        next_number(first.id, 2026, "golden_book"),
        next_number(second.id, 2026, "decision"),
        next_number(first.id, 2027, "decision"),
        next_number(first.id, 2026, "decision"),
        next_number(first.id, 2026, "golden_book"),
    ]

    assert taken == [1, 2, 1, 1, 1, 3, 2]


@pytest.mark.integration
@pytest.mark.usefixtures("_in_app")
def test_a_rolled_back_allocation_gives_its_number_back() -> None:
    body = UnitFactory(name="Huyện Ba", kind=UnitKind.DISTRICT, is_awarding_body=True)
    kept = next_number(body.id, 2026, "decision")

    savepoint = db.session.begin_nested()
    given_back = next_number(body.id, 2026, "decision")
    savepoint.rollback()
    reused = next_number(body.id, 2026, "decision")

    assert (kept, given_back, reused) == (1, 2, 2)


# --- real transactions racing on PostgreSQL -------------------------------------------------------

on_postgres = pytest.mark.skipif(
    not tests.conftest.ON_POSTGRES,
    reason="the race needs PostgreSQL (RECOGNITION_TEST_ON_POSTGRES=1)",
)


@pytest.fixture
def numbering_app() -> Iterator[tuple[Flask, int]]:
    """A database of its own with one awarding body (committed); the counter row does not
    exist yet, so the race also covers its creation."""
    with numbering_database() as built, built.app_context():
        body = UnitFactory(name="Huyện Đua", kind=UnitKind.DISTRICT, is_awarding_body=True)
        db.session.commit()
        body_id = body.id
        db.session.remove()
        yield built, body_id


def allocate(built: Flask, body_id: int) -> int:
    """One committed allocation in a transaction, an app context and a session of its own."""
    with built.app_context():
        try:
            number = next_number(body_id, 2026, "golden_book")
            db.session.commit()
            return number
        finally:
            db.session.remove()


@on_postgres
@pytest.mark.postgres
@pytest.mark.committing
def test_concurrent_allocations_are_distinct_and_consecutive(
    numbering_app: tuple[Flask, int],
) -> None:
    built, body_id = numbering_app
    start = threading.Barrier(RACERS)
    numbers: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def racer() -> None:
        start.wait()
        try:
            number = allocate(built, body_id)
        except BaseException as error:  # reported below, not lost in the thread
            with lock:
                errors.append(error)
        else:
            with lock:
                numbers.append(number)

    threads = [threading.Thread(target=racer) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert (errors, len(numbers), sorted(numbers)) == ([], RACERS, list(range(1, RACERS + 1)))


@on_postgres
@pytest.mark.postgres
@pytest.mark.committing
def test_a_rolled_back_issuing_gives_its_number_to_the_next_one(
    numbering_app: tuple[Flask, int],
) -> None:
    built, body_id = numbering_app
    first = allocate(built, body_id)
    holding = threading.Event()
    release = threading.Event()
    seen: dict[str, int] = {}

    def rolled_back() -> None:
        # Takes the next number and holds the counter's lock, then fails (rolls back).
        with built.app_context():
            try:
                seen["rolled_back"] = next_number(body_id, 2026, "golden_book")
                holding.set()
                release.wait(timeout=30)
                db.session.rollback()
            finally:
                db.session.remove()

    def waiting() -> None:
        # Starts while the lock is held: waits for it, then gets the number given back.
        seen["committed"] = allocate(built, body_id)

    holder = threading.Thread(target=rolled_back)
    holder.start()
    assert holding.wait(timeout=30)
    waiter = threading.Thread(target=waiting)
    waiter.start()
    waiter.join(timeout=0.5)
    still_waiting = waiter.is_alive()
    release.set()
    holder.join(timeout=30)
    waiter.join(timeout=30)

    assert (first, seen, still_waiting, allocate(built, body_id)) == (
        1,
        {"rolled_back": 2, "committed": 2},
        True,
        3,
    )
