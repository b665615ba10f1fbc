"""Nobody can link a member to a choice: the database's orders and the responses' sizes.

Thirty members vote on three items with known choices; then each attack an operator could try
is scored against the truth (tests/council/unlinking.py): orders of the rows (id, rowid on
SQLite, ctid on PostgreSQL, a plain SELECT's order), and the sizes a web server's access log
records for every step of the ballot pages. The same attacks on the committed database, its
system columns, dumps and backups taken during the vote are in
tests/reliability/test_unlink_storage.py. `pytest -k unlink` runs them all.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import text

from recognition.council import services
from recognition.council.ballot_box import CHOICE_CODES
from recognition.council.enums import Choice
from recognition.council.models import AgendaItem, CouncilSession
from recognition.extensions import db
from tests.conftest import ON_POSTGRES
from tests.council.helpers import accepted, client_for, roll, seat_council, vote_url, voting_session
from tests.council.unlinking import (
    ITEMS,
    MAX_CHOICE,
    MAX_EXACT,
    MEMBERS,
    Truth,
    balanced_choices,
    score,
    zipped,
)
from tests.workflow.helpers import build_scene, new_hamlet

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _english(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


def voted_and_closed() -> tuple[CouncilSession, Truth]:
    """A council of thirty votes on three items with known choices; the chair closes."""
    scene = build_scene()
    seat_council(scene, size=MEMBERS)
    session = voting_session(
        scene,
        [accepted(scene, nominee=new_hamlet(scene, f"Ấp Thử {n}")) for n in range(ITEMS)],
    )
    members = [m.id for m in roll(session)]
    truth = Truth(trackers={}, choices={})
    for item in session.items:
        truth.choices[item.id] = balanced_choices(members)
        truth.trackers[item.id] = {}
    # Members vote item by item in the order of the roll, as a meeting would.
    for item in session.items:
        for member in roll(session):
            choice = truth.choices[item.id][member.id]
            tracker = services.cast_vote(item, member, choice)
            truth.trackers[item.id][member.id] = tracker
    services.close_vote(session, actor=scene.chair)
    return session, truth


def members_in_order(item_id: int, order: str) -> list[int]:
    return list(
        db.session.execute(
            text(f"SELECT member_id FROM participations WHERE item_id = :i ORDER BY {order}"),  # noqa: S608
            {"i": item_id},
        ).scalars()
    )


def trackers_in_order(item_id: int, order: str | None) -> list[str]:
    clause = f" ORDER BY {order}" if order else ""
    return list(
        db.session.execute(
            text(f"SELECT tracker FROM ballots WHERE item_id = :i{clause}"),  # noqa: S608
            {"i": item_id},
        ).scalars()
    )


PHYSICAL = "ctid" if ON_POSTGRES else "rowid"
ATTACKS = {
    "ballot id": "id",
    f"physical order ({PHYSICAL})": PHYSICAL,
    "plain SELECT": None,
    "receipt": "tracker",
}


def test_unlink_no_order_of_the_rows_links_members_to_ballots() -> None:
    session, truth = voted_and_closed()

    scores = {}
    for name, order in ATTACKS.items():
        for member_order in ("id", PHYSICAL):
            guesses = {
                item.id: zipped(
                    members_in_order(item.id, member_order), trackers_in_order(item.id, order)
                )
                for item in session.items
            }
            scores[f"participations by {member_order} × ballots by {name}"] = score(truth, guesses)

    print("\nunlink (orders):")
    for name, found in scores.items():
        print(f"  {name}: {found.exact} exact, {found.choice} choices of {found.members}")
    assert {name: found.members for name, found in scores.items()} == dict.fromkeys(
        scores, MEMBERS * ITEMS
    )
    assert {name: found.exact <= MAX_EXACT for name, found in scores.items()} == dict.fromkeys(
        scores, True
    )
    assert {name: found.choice <= MAX_CHOICE for name, found in scores.items()} == dict.fromkeys(
        scores, True
    )


def test_unlink_the_published_ballots_count_what_was_cast() -> None:
    session, truth = voted_and_closed()

    for item in session.items:
        published = dict(
            db.session.execute(
                text("SELECT tracker, choice FROM ballots WHERE item_id = :i"), {"i": item.id}
            ).all()
        )
        cast = {truth.trackers[item.id][m]: c.value for m, c in truth.choices[item.id].items()}
        # Every member's receipt is listed with the choice they cast: counted as cast.
        assert published == cast
        assert (item.agree_count, item.disagree_count) == (
            list(cast.values()).count("agree"),
            list(cast.values()).count("disagree"),
        )


# --- the wire and the logs ------------------------------------------------------------------------


def access_log_line(method: str, path: str, status: int, size: int) -> str:
    """What gunicorn's or nginx's access log keeps of a request (the common log format)."""
    return f'127.0.0.1 - - [01/Dec/2026:08:00:00 +0700] "{method} {path} HTTP/1.1" {status} {size}'


def test_unlink_every_step_of_the_ballot_has_one_size_whatever_the_choice(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    scene = build_scene()
    seat_council(scene, size=26)
    session = voting_session(scene, [accepted(scene)])
    item = session.items[0]
    members = roll(session)
    choices = balanced_choices([m.id for m in members])
    users = {m.id: m.user for m in members}
    session_id, item_id = session.id, item.id
    db.session.commit()
    url = vote_url(session_id, item_id)

    log: list[str] = []
    steps: dict[int, dict[str, int]] = {}
    receipts: dict[int, str] = {}
    with caplog.at_level(logging.DEBUG):
        for member_id, choice in choices.items():
            client = client_for(app, users[member_id])
            code = CHOICE_CODES[choice]
            responses = {
                "ballot": ("GET", client.get(url)),
                "confirm": ("POST", client.post_form(url, {"step": "confirm", "choice": code})),
                "cast": ("POST", client.post_form(url, {"step": "cast", "choice": code})),
            }
            steps[member_id] = {}
            for step, (method, response) in responses.items():
                size = len(response.get_data())
                assert response.status_code == 200, (step, response.status_code)
                assert response.headers["Content-Length"] == str(size)
                steps[member_id][step] = size
                log.append(access_log_line(method, url, response.status_code, size))
            found = re.search(
                r'data-receipt-tracker="([0-9A-Z-]{14})"',
                responses["cast"][1].get_data(as_text=True),
            )
            assert found is not None
            receipts[member_id] = found.group(1)

    # The attack of the finding: a step's size minus the ballot page's size, per member (the
    # member's own name in the page cancels out). Every member gets the same differences, so
    # the log holds nothing that tells one choice from another.
    differences = {
        (steps[m]["confirm"] - steps[m]["ballot"], steps[m]["cast"] - steps[m]["ballot"])
        for m in choices
    }
    by_choice = {
        choice: {
            (steps[m]["confirm"] - steps[m]["ballot"], steps[m]["cast"] - steps[m]["ballot"])
            for m, c in choices.items()
            if c == choice
        }
        for choice in (Choice.AGREE, Choice.DISAGREE)
    }
    print(f"\nunlink (sizes): {len(choices)} members, size differences {sorted(differences)}")
    assert len(differences) == 1
    assert by_choice[Choice.AGREE] == by_choice[Choice.DISAGREE]
    # No line of the access log or of the application's log names a choice or a receipt.
    logged = log + [record.getMessage() for record in caplog.records]
    words = ["agree", "disagree", "abstain", "choice=", *receipts.values()]
    assert [line for line in logged if any(w in line.lower() for w in map(str.lower, words))] == []
    assert db.session.get(AgendaItem, item_id) is not None
