"""Thirty members each send their vote three times at once (docs/reliability.md, "Voting"): exactly
one counted per member, the duplicates get a clear "already voted", no other error and no 5xx,
and the tally recomputed from the ballots equals what the members sent.

PostgreSQL only: each attempt runs in its own thread, app context, session and connection, and
commits, so the race runs on a database of its own (created and dropped here).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import func, select

import tests.conftest
from recognition.council import services
from recognition.council.ballot_box import CHOICE_CODES
from recognition.council.enums import Choice
from recognition.council.models import AgendaItem, Ballot, CouncilMember, Participation
from recognition.extensions import db
from tests.council.helpers import (
    accepted,
    roll,
    seat_council,
    vote_race_database,
    vote_url,
    voting_session,
)
from tests.workflow.helpers import build_scene, error_page

pytestmark = [
    pytest.mark.postgres,
    *tests.conftest.committing_on_postgres("the vote race needs PostgreSQL"),
]

MEMBERS = 30
ATTEMPTS = 3
ALREADY = "You have already voted on this item; a cast vote is final."
# Enough connections for the race without crowding a shared server (max_connections 100).
POOL = {"pool_pre_ping": True, "pool_size": 30, "max_overflow": 0, "pool_timeout": 120}


@pytest.fixture
def race_app() -> Iterator[Flask]:
    with vote_race_database(SQLALCHEMY_ENGINE_OPTIONS=POOL) as app:
        yield app


def open_vote_of_thirty(race_app: Flask) -> tuple[int, int, dict[int, Choice], dict[int, str]]:
    """A council of 30, all present, one secret-ballot item, the vote open (committed).
    Returns the session id, the item id, each member's choice and each member's username."""
    with race_app.test_request_context(), force_locale("en"):
        scene = build_scene()
        seat_council(scene, size=MEMBERS)
        session = voting_session(scene, [accepted(scene)])
        members = roll(session)
        # Two thirds agree, one third disagree.
        choices = {
            m.id: Choice.DISAGREE if n % 3 == 0 else Choice.AGREE for n, m in enumerate(members)
        }
        usernames = {m.id: m.user.username for m in members}
        found = (session.id, session.items[0].id, choices, usernames)
        db.session.commit()
        db.session.remove()
    return found


def stored(race_app: Flask, item_id: int) -> tuple[list[int], Counter[str]]:
    """Who voted (member ids, sorted) and the tally recomputed from the ballot rows, once the
    chair has closed the vote (the ballots are sealed until then)."""
    with race_app.test_request_context(), force_locale("en"):
        item = db.session.get(AgendaItem, item_id)
        assert item is not None
        chair = next(a.member.user for a in item.session.attendance if a.member.role == "chair")
        services.close_vote(item.session, actor=chair)
        db.session.commit()
        db.session.remove()
    with race_app.app_context():
        voters = sorted(
            db.session.scalars(
                select(Participation.member_id).where(Participation.item_id == item_id)
            )
        )
        tally = Counter(
            dict(
                db.session.execute(
                    select(Ballot.choice, func.count(Ballot.id))
                    .where(Ballot.item_id == item_id)
                    .group_by(Ballot.choice)
                ).all()
            )
        )
        db.session.remove()
    return voters, tally


def test_thirty_members_voting_three_times_at_once_are_counted_once_each(
    race_app: Flask,
) -> None:
    _session_id, item_id, choices, _usernames = open_vote_of_thirty(race_app)
    attempts = [
        (member_id, choice) for member_id, choice in choices.items() for _ in range(ATTEMPTS)
    ]
    barrier = threading.Barrier(len(attempts))

    def attempt(member_id: int, choice: Choice) -> str:
        with race_app.test_request_context(), force_locale("en"):
            try:
                barrier.wait(timeout=60)
                item = db.session.get(AgendaItem, item_id)
                member = db.session.get(CouncilMember, member_id)
                assert item is not None and member is not None
                services.cast_vote(item, member, choice)
                db.session.commit()
                return "counted"
            except services.AlreadyVoted as error:
                db.session.rollback()
                return error.message
            except Exception as error:  # reported, so that the assertion shows it
                db.session.rollback()
                return repr(error)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        results = list(pool.map(lambda a: attempt(*a), attempts))

    voters, tally = stored(race_app, item_id)
    per_member = [
        results[i : i + ATTEMPTS].count("counted") for i in range(0, len(results), ATTEMPTS)
    ]
    print(
        f"\nvote race (services): {len(attempts)} attempts, {results.count('counted')} counted, "
        f"{results.count(ALREADY)} refused as already voted, "
        f"{len(results) - results.count('counted') - results.count(ALREADY)} other errors"
    )
    assert Counter(results) == Counter({"counted": MEMBERS, ALREADY: MEMBERS * (ATTEMPTS - 1)})
    assert per_member == [1] * MEMBERS
    assert voters == sorted(choices)
    assert tally == Counter(c.value for c in choices.values())
    assert tally == Counter({"agree": 20, "disagree": 10})


RECEIPT, VOTED = "receipt", "voted"


def test_thirty_members_posting_three_times_at_once_through_the_pages(race_app: Flask) -> None:
    session_id, item_id, choices, usernames = open_vote_of_thirty(race_app)
    race_app.test_client_class = tests.conftest.Client
    attempts: list[tuple[Any, Choice]] = []
    for member_id, choice in choices.items():
        for _ in range(ATTEMPTS):
            client = race_app.test_client()
            assert tests.conftest.log_in(client, usernames[member_id]).status_code == 302
            attempts.append((client, choice))
    tokens = [client.csrf_token() for client, _ in attempts]
    barrier = threading.Barrier(len(attempts))
    url = vote_url(session_id, item_id)

    def post(index: int) -> tuple[int, str]:
        client, choice = attempts[index]
        barrier.wait(timeout=60)
        response = client.post(
            url,
            data={"csrf_token": tokens[index], "step": "cast", "choice": CHOICE_CODES[choice]},
        )
        page = response.get_data(as_text=True)
        if response.status_code == 200:  # the receipt, or the page of one who has voted
            return 200, RECEIPT if "data-receipt-tracker=" in page else VOTED
        return response.status_code, error_page(page)[1]

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        results = list(pool.map(post, range(len(attempts))))

    voters, tally = stored(race_app, item_id)
    statuses = Counter(status for status, _ in results)
    print(
        f"\nvote race (HTTP): {len(attempts)} posts, "
        f"{sum(1 for _, m in results if m == RECEIPT)} counted (a receipt), "
        f"{sum(1 for _, m in results if m == VOTED)} shown as voted (200), "
        f"{statuses[409]} refused (409), {sum(n for s, n in statuses.items() if s >= 500)} × 5xx, "
        f"{sum(n for s, n in statuses.items() if s not in (200, 409))} other"
    )
    # One receipt per member; every other post is refused as a second vote (409), or, when it
    # came after the vote was stored, shown the page of one who has voted.
    assert set(statuses) <= {200, 409}
    assert [message for status, message in results if status == 409] == [ALREADY] * statuses[409]
    assert [
        [message for _, message in results[i : i + ATTEMPTS]].count(RECEIPT)
        for i in range(0, len(results), ATTEMPTS)
    ] == [1] * MEMBERS
    assert Counter(message for _, message in results)[VOTED] + statuses[409] == MEMBERS * (
        ATTEMPTS - 1
    )
    assert voters == sorted(choices)
    assert tally == Counter(c.value for c in choices.values())
