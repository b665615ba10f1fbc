"""The vote's key as the casts read it (council/ballot_box.py): a hundred casts read it from the
key store once per process and a few seconds, the count always from the store; a key lost from
the store still stops the count; a destroyed key is forgotten at once; a kept key lapses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cachetools import TTLCache
from flask import Flask

from recognition.council import ballot_box, services
from recognition.council.ballot_keys import FolderKeys
from recognition.council.enums import Choice
from recognition.council.models import CouncilSession
from tests.council.helpers import (
    accepted,
    ballot_count,
    roll,
    seat_council,
    vote_all,
    voting_session,
)
from tests.workflow.helpers import build_scene

A = Choice.AGREE


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    kept: TTLCache[object, bytes] = TTLCache(
        maxsize=64, ttl=ballot_box.CAST_KEY_KEPT_SECONDS, timer=clock
    )
    monkeypatch.setattr(ballot_box, "_cast_keys", kept)
    return clock


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the keys read from the key folder."""
    read: list[str] = []
    original = FolderKeys.get

    def get(self: FolderKeys, name: str) -> bytes:
        read.append(name)
        return original(self, name)

    monkeypatch.setattr(FolderKeys, "get", get)
    yield read


def _open_vote(members: int = 9) -> tuple[CouncilSession, object]:
    scene = build_scene()
    seat_council(scene, size=members)
    return voting_session(scene, [accepted(scene)]), scene


def _key_file(app: Flask, session: CouncilSession) -> Path:
    return Path(app.config["BALLOT_KEY_DIR"]) / f"session-{session.id}-{session.ballot_key_id}.key"


def test_nine_casts_read_the_key_once_and_the_count_reads_it_again(
    clock: Clock, reads: list[str]
) -> None:
    session, scene = _open_vote()
    vote_all(session.items[0], [A] * 9, roll(session))
    assert len(reads) == 1

    services.close_vote(session, actor=scene.chair)  # type: ignore[attr-defined]
    assert len(reads) == 2
    assert ballot_count() == 9  # the nine sealed ballots opened with the key read for the count


def test_a_key_lost_from_the_store_still_stops_the_count(
    app: Flask, clock: Clock, reads: list[str]
) -> None:
    session, scene = _open_vote()
    members = roll(session)
    vote_all(session.items[0], [A], members[:1])
    _key_file(app, session).unlink()
    vote_all(session.items[0], [A], members[1:2])  # sealed with the key this process kept

    with pytest.raises(ballot_box.BallotKeyMissing):
        services.close_vote(session, actor=scene.chair)  # type: ignore[attr-defined]


def test_a_destroyed_key_is_forgotten_at_once(clock: Clock, reads: list[str]) -> None:
    session, _scene = _open_vote()
    members = roll(session)
    vote_all(session.items[0], [A], members[:1])
    assert session.ballot_key_id is not None
    ballot_box.destroy_key(session.id, session.ballot_key_id)

    with pytest.raises(ballot_box.BallotKeyMissing):
        vote_all(session.items[0], [A], members[1:2])


def test_a_kept_key_lapses_after_its_seconds(clock: Clock, reads: list[str]) -> None:
    session, _scene = _open_vote()
    members = roll(session)
    vote_all(session.items[0], [A, A], members[:2])
    clock.now += ballot_box.CAST_KEY_KEPT_SECONDS - 1
    vote_all(session.items[0], [A], members[2:3])
    assert len(reads) == 1
    clock.now += 2
    vote_all(session.items[0], [A], members[3:4])
    assert len(reads) == 2
