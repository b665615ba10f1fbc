"""The clusters' list and a cluster's ranking send as many statements whatever the number of
clusters, members and scores."""

from __future__ import annotations

import pytest

from recognition.auth.enums import Role
from recognition.clusters.services import ScoreEntry, add_member, save_self_scores
from recognition.extensions import db
from tests.clusters.world import World, build
from tests.support.factories import UnitFactory, cluster_of, user_with

pytestmark = pytest.mark.integration


@pytest.fixture
def world() -> World:
    world = build()
    db.session.commit()
    return world


def _more_members(world: World, count: int) -> None:
    """`count` more communes join the cluster, each with a self-score on every line."""
    for n in range(count):
        unit = UnitFactory(name=f"Xã Thêm {n}", parent=world.province)
        member = add_member(world.cluster, unit, actor=world.secretariat)
        officer = user_with(Role.NOMINATOR, unit)
        lines = [line for line in world.cluster.criteria if not line.items]
        save_self_scores(member, {line.id: ScoreEntry(points="1") for line in lines}, actor=officer)
    db.session.commit()


def _statements(client, url: str, count_queries) -> int:  # type: ignore[no-untyped-def]
    with count_queries() as count:
        assert client.get(url).status_code == 200
    return count()


def test_the_ranking_does_not_grow_with_the_members(world: World, login, count_queries) -> None:  # type: ignore[no-untyped-def]
    client = login(world.secretariat)
    url = f"/clusters/{world.cluster.id}/ranking"
    client.get(url)
    before = _statements(client, url, count_queries)
    _more_members(world, 4)
    assert _statements(client, url, count_queries) == before


def test_the_list_does_not_grow_with_the_clusters(world: World, login, count_queries) -> None:  # type: ignore[no-untyped-def]
    client = login(world.secretariat)
    url = f"/clusters/?body={world.province.id}&year={world.cluster.year}"
    client.get(url)
    before = _statements(client, url, count_queries)
    for n in range(3):
        cluster_of(
            world.province,
            world.communes,
            actor=world.secretariat,
            year=world.cluster.year,
            name=f"Cụm {n}",
        )
    db.session.commit()
    assert _statements(client, url, count_queries) == before
