"""Nobody holding the database, its system columns, its dumps or a backup can link a member to
a choice (docs/reliability.md, "Secret ballot and audit"; docs/secret-ballot.md).

Thirty members vote on three items with known choices, on a database of the test's own with
real commits: on PostgreSQL all at once, one thread per member. A backup and a plain dump are
taken while the vote is open; the chair closes; then every attack of the security review is
tried and scored (tests/council/unlinking.py): a join on xmin, the physical order (ctid,
rowid), the order pg_dump writes, the order of the sealed ballots in the dump taken during the
vote. No attack may do better than a random permutation, the ballot key may be in no backup
and must be gone after the close, and no receipt may appear anywhere but in the published
ballots.
"""

# The attacks are SQL built from the test's own integer ids and column names.
# ruff: noqa: S608

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import text

import tests.conftest
from recognition.council import services
from recognition.council.models import AgendaItem, CouncilMember, CouncilSession
from recognition.extensions import db
from recognition.ops.backup import create_backup
from recognition.ops.backup_postgres import libpq_target, pg_tool, server_major
from tests.council.helpers import accepted, roll, seat_council, voting_session
from tests.council.unlinking import (
    ITEMS,
    MAX_CHOICE,
    MAX_EXACT,
    MEMBERS,
    Guess,
    Score,
    Truth,
    balanced_choices,
    by_key,
    score,
    zipped,
)
from tests.workflow.helpers import build_scene, new_hamlet

pytestmark = [pytest.mark.committing]

POOL = {"pool_pre_ping": True, "pool_size": MEMBERS, "max_overflow": 0, "pool_timeout": 120}


@pytest.fixture(params=["sqlite", "postgres"])
def vote_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    # Each database once: SQLite in the SQLite run, PostgreSQL in the PostgreSQL run.
    if (request.param == "postgres") != tests.conftest.ON_POSTGRES:
        pytest.skip("this database is tried in the other run of the suite")
    overrides = {
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "BALLOT_KEY_DIR": str(tmp_path / "ballot-keys"),
    }
    if request.param == "postgres":
        with tests.conftest.app_on_throwaway_postgres(
            "recognition_unlink", SQLALCHEMY_ENGINE_OPTIONS=POOL, **overrides
        ) as app:
            yield app
        return
    app = tests.conftest.build_app(f"sqlite:///{tmp_path / 'unlink.sqlite'}", **overrides)
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def on_postgres(app: Flask) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


def open_vote(app: Flask) -> tuple[int, list[int], list[int], int]:
    """Thirty members, three items, the vote open (committed): the session id, the item ids,
    the member ids, and the chair's user id."""
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        seat_council(scene, size=MEMBERS)
        session = voting_session(
            scene,
            [accepted(scene, nominee=new_hamlet(scene, f"Ấp Thử {n}")) for n in range(ITEMS)],
        )
        found = (
            session.id,
            [item.id for item in session.items],
            [m.id for m in roll(session)],
            scene.chair.id,
        )
        db.session.commit()
        db.session.remove()
    return found


def cast_all(app: Flask, item_ids: list[int], members: list[int], truth: Truth) -> None:
    """Every member votes on every item, in agenda order: all at once on PostgreSQL (one
    thread and one connection per member), one after another on SQLite."""
    barrier = threading.Barrier(len(members)) if on_postgres(app) else None
    lock = threading.Lock()

    def member_votes(member_id: int) -> None:
        with app.test_request_context(), force_locale("en"):
            if barrier is not None:
                barrier.wait(timeout=60)
            for item_id in item_ids:
                item = db.session.get(AgendaItem, item_id)
                member = db.session.get(CouncilMember, member_id)
                assert item is not None and member is not None
                choice = truth.choices[item_id][member_id]
                tracker = services.cast_vote(item, member, choice)
                db.session.commit()
                with lock:
                    truth.trackers[item_id][member_id] = tracker
            db.session.remove()

    if barrier is None:
        for member_id in members:
            member_votes(member_id)
        return
    with ThreadPoolExecutor(max_workers=len(members)) as pool:
        list(pool.map(member_votes, members))


def close(app: Flask, session_id: int, chair_id: int) -> None:
    from recognition.auth.models import User

    with app.test_request_context(), force_locale("en"):
        session = db.session.get(CouncilSession, session_id)
        chair = db.session.get(User, chair_id)
        assert session is not None and chair is not None
        services.close_vote(session, actor=chair)
        db.session.commit()
        db.session.remove()


# --- what the attacker reads -----------------------------------------------------------------


def rows(app: Flask, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with app.app_context():
        found = [tuple(r) for r in db.session.execute(text(sql), params).all()]
        db.session.remove()
    return found


def plain_dump(app: Flask, destination: Path) -> str:
    """Everything in the database as text, in the order the tools write it: pg_dump's
    plain format on PostgreSQL, SQLite's .dump (iterdump) of a copy made by the backup API."""
    if on_postgres(app):
        with app.app_context():
            with db.engine.connect() as connection:
                tool = pg_tool("pg_dump", server_major(connection))
            target, environment = libpq_target(db.engine.url)
        result = subprocess.run(  # noqa: S603 - our own tool path and arguments
            [tool, "--data-only", "--no-owner", f"--dbname={target}"],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, **environment},
        )
        destination.write_text(result.stdout)
        return result.stdout
    with app.app_context():
        source = db.engine.url.database
    assert source is not None
    copy = destination.with_suffix(".sqlite")
    with sqlite3.connect(source) as live, sqlite3.connect(copy) as target_db:
        live.backup(target_db)
    with sqlite3.connect(copy) as reading:
        dumped = "\n".join(reading.iterdump())
    destination.write_text(dumped)
    return dumped


def dumped_rows(dump: str, table: str, postgres: bool) -> tuple[list[str], list[list[str]]]:
    """The columns of `table` and its rows in the order the dump writes them."""
    if postgres:
        block = re.search(
            rf"^COPY public\.{table} \(([^)]*)\) FROM stdin;\n(.*?)^\\\.$", dump, re.S | re.M
        )
        assert block is not None, table
        names = [name.strip().strip('"') for name in block.group(1).split(",")]
        return names, [line.split("\t") for line in block.group(2).splitlines() if line]
    names: list[str] = []
    create = re.search(rf'CREATE TABLE "?{table}"? \((.*?)\n?\);', dump, re.S)
    assert create is not None, table
    for part in create.group(1).split(","):
        word = part.strip().split(" ")[0].strip('"')
        if word and word.upper() not in {"CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK"}:
            names.append(word)
    found = []
    for match in re.finditer(rf'INSERT INTO "{table}" VALUES\((.*)\);', dump):
        found.append([part.strip().strip("'") for part in match.group(1).split(",")])
    return names, found


def in_dump_order(dump: str, table: str, item_id: int, column: str, *, postgres: bool) -> list[str]:
    names, found = dumped_rows(dump, table, postgres)
    index, item = names.index(column), names.index("item_id")
    return [row[index] for row in found if row[item] == str(item_id)]


# --- the test ------------------------------------------------------------------------------------


def test_unlink_nothing_stored_links_a_member_to_a_choice(vote_app: Flask, tmp_path: Path) -> None:
    postgres = on_postgres(vote_app)
    physical = "ctid" if postgres else "rowid"
    session_id, item_ids, members, chair_id = open_vote(vote_app)
    truth = Truth(
        trackers={i: {} for i in item_ids},
        choices={i: balanced_choices(members) for i in item_ids},
    )
    cast_all(vote_app, item_ids, members, truth)
    with vote_app.app_context():
        key_files = {p: p.read_bytes() for p in Path(vote_app.config["BALLOT_KEY_DIR"]).iterdir()}
    # Taken while the vote is open: a backup as the operator makes it, and a plain dump.
    with vote_app.app_context():
        create_backup(tmp_path / "backup")
    during = plain_dump(vote_app, tmp_path / "during.sql")
    sealed_during = {
        i: rows(
            vote_app,
            "SELECT id, length(sealed) FROM sealed_ballots "
            f"WHERE item_id = {i} ORDER BY {physical}",
        )
        for i in item_ids
    }
    xmin_during: dict[int, Guess] = {}
    if postgres:
        for i in item_ids:
            # The sealed ballot shares its participation's xmin: the attacker links a member to a
            # ciphertext — which is all the link gives, the key being elsewhere.
            xmin_during[i] = by_key(
                rows(
                    vote_app,
                    f"SELECT member_id, xmin::text FROM participations WHERE item_id = {i}",
                ),
                rows(vote_app, f"SELECT id, xmin::text FROM sealed_ballots WHERE item_id = {i}"),
            )
    close(vote_app, session_id, chair_id)
    after = plain_dump(vote_app, tmp_path / "after.sql")

    guesses: dict[str, dict[int, Guess]] = {}

    def members_by(order: str, item_id: int) -> list[int]:
        return [
            r[0]
            for r in rows(
                vote_app,
                f"SELECT member_id FROM participations WHERE item_id = {item_id} ORDER BY {order}",
            )
        ]

    def ballots_by(order: str | None, item_id: int) -> list[str]:
        clause = f" ORDER BY {order}" if order else ""
        return [
            r[0]
            for r in rows(
                vote_app, f"SELECT tracker FROM ballots WHERE item_id = {item_id}{clause}"
            )
        ]

    for name, order in (("physical order", physical), ("plain SELECT", None), ("id", "id")):
        guesses[f"participations by id × ballots by {name}"] = {
            i: zipped(members_by("id", i), ballots_by(order, i)) for i in item_ids
        }
    guesses["dump order of participations × of ballots"] = {
        i: zipped(
            [
                int(m)
                for m in in_dump_order(after, "participations", i, "member_id", postgres=postgres)
            ],
            in_dump_order(after, "ballots", i, "tracker", postgres=postgres),
        )
        for i in item_ids
    }
    # The sealed ballots lie in the dump taken during the vote in the order of the
    # participations; the attacker bets that the published ballots kept that order.
    guesses["dump during the vote × ballots after"] = {
        i: zipped(
            [
                int(m)
                for m in in_dump_order(during, "participations", i, "member_id", postgres=postgres)
            ],
            in_dump_order(after, "ballots", i, "tracker", postgres=postgres),
        )
        for i in item_ids
    }
    if postgres:
        guesses["join on xmin"] = {
            i: by_key(
                rows(
                    vote_app,
                    f"SELECT member_id, xmin::text FROM participations WHERE item_id = {i}",
                ),
                rows(vote_app, f"SELECT tracker, xmin::text FROM ballots WHERE item_id = {i}"),
            )
            for i in item_ids
        }
    scores: dict[str, Score] = {name: score(truth, found) for name, found in guesses.items()}

    print(f"\nunlink ({'PostgreSQL, concurrent' if postgres else 'SQLite'}):")
    for name, found in scores.items():
        print(f"  {name}: {found.exact} exact, {found.choice} choices of {found.members}")
    assert {n: s.exact <= MAX_EXACT for n, s in scores.items()} == dict.fromkeys(scores, True)
    assert {n: s.choice <= MAX_CHOICE for n, s in scores.items()} == dict.fromkeys(scores, True)
    if postgres:
        # The join on xmin finds no ballot at all: they were all written by the close.
        assert {n: len(g) for n, g in guesses["join on xmin"].items()} == dict.fromkeys(item_ids, 0)
        assert {i: len(g) for i, g in xmin_during.items()} == dict.fromkeys(item_ids, MEMBERS)

    # During the vote: ciphertexts of one length, no receipt and no choice anywhere.
    every_tracker = [t for per_item in truth.trackers.values() for t in per_item.values()]
    assert {i: len({size for _id, size in found}) for i, found in sealed_during.items()} == (
        dict.fromkeys(item_ids, 1)
    )
    assert {i: len(found) for i, found in sealed_during.items()} == dict.fromkeys(item_ids, MEMBERS)
    assert [t for t in every_tracker if t in during] == []
    assert in_dump_order(during, "ballots", item_ids[0], "tracker", postgres=postgres) == []
    # The backup holds no ballot key (nor any file with its bytes).
    backed_up = [p for p in (tmp_path / "backup").rglob("*") if p.is_file()]
    assert backed_up
    assert [p.name for p in backed_up for key in key_files.values() if key in p.read_bytes()] == []
    # After the close: the key is destroyed, the sealed ballots are gone, and the receipts
    # appear only in the published ballots.
    with vote_app.app_context():
        assert list(Path(vote_app.config["BALLOT_KEY_DIR"]).glob("*.key")) == []
    assert rows(vote_app, "SELECT count(*) FROM sealed_ballots") == [(0,)]
    published = {
        t
        for i in item_ids
        for t in in_dump_order(after, "ballots", i, "tracker", postgres=postgres)
    }
    assert published == set(every_tracker)
    outside = after
    for table in ("ballots",):
        for line in re.findall(
            rf"(?:COPY public\.{table} .*?\n\\\.)|(?:INSERT INTO \"{table}\".*)", after, re.S
        ):
            outside = outside.replace(line, "")
    assert [t for t in every_tracker if t in outside] == []
