"""The dossier list: who sees what, filters, diacritic-insensitive search, Vietnamese order,
pagination, and a query count that does not grow with the rows."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from recognition.auth.enums import Role
from recognition.campaigns.enums import CampaignStatus
from recognition.nominations.enums import Action, Gender
from recognition.nominations.models import Nomination
from recognition.nominations.workflow import apply_transition
from recognition.units.enums import UnitKind
from tests.nominations import INSIDE, World, build_world, fill_in
from tests.support.factories import CampaignFactory, NominationFactory, UnitFactory, user_with

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _request_context(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield


@pytest.fixture
def world() -> World:
    return build_world()


def person(world: World, name: str, *, actor=None, unit=None, campaign=None) -> Nomination:  # type: ignore[no-untyped-def]
    return NominationFactory(
        campaign=campaign or world.campaign,
        award_type=world.person_award,
        actor=actor or world.nominator_a,
        person_name=name,
        person_unit=unit or world.commune_a,
        person_birth_year=1980,
        person_gender=Gender.FEMALE,
    )


def team(world: World, unit, *, actor=None) -> Nomination:  # type: ignore[no-untyped-def]
    return NominationFactory(
        campaign=world.campaign,
        award_type=world.team_award,
        actor=actor or world.nominator_a,
        nominee_unit=unit,
    )


def submit(nomination: Nomination, actor: Any) -> Nomination:
    apply_transition(nomination, Action.SUBMIT, actor=actor, today=INSIDE)
    return nomination


def names(response: Any) -> list[str]:
    assert response.status_code == 200
    rows = re.findall(
        r'<td[^>]*><a href="/nominations/\d+">([^<]+)</a></td>', response.get_data(as_text=True)
    )
    return [html.unescape(row) for row in rows]


# --- who sees what -------------------------------------------------------------------------


def test_each_role_sees_its_own_dossiers(world: World, login) -> None:  # type: ignore[no-untyped-def]
    hamlet_nominator = user_with(Role.NOMINATOR, world.hamlet_a, locale="en")
    person(world, "Bản Nháp Xã A")
    submit(person(world, "Đã Nộp Xã A"), world.nominator_a)
    person(world, "Của Ấp", actor=hamlet_nominator, unit=world.hamlet_a)
    submit(
        person(world, "Đã Nộp Xã B", actor=world.nominator_b, unit=world.commune_b),
        world.nominator_b,
    )
    other_body = UnitFactory(name="Huyện Khác", kind=UnitKind.DISTRICT, is_awarding_body=True)
    stranger = user_with(Role.SECRETARIAT, other_body, locale="en")

    seen = {
        who: names(login(user).get("/nominations/"))
        for who, user in [
            ("a", world.nominator_a),
            ("b", world.nominator_b),
            ("hamlet", hamlet_nominator),
            ("secretariat", world.secretariat),
            ("stranger", stranger),
        ]
    }

    assert seen == {
        "a": ["Bản Nháp Xã A", "Của Ấp", "Đã Nộp Xã A"],
        "b": ["Đã Nộp Xã B"],
        "hamlet": ["Của Ấp"],
        "secretariat": ["Đã Nộp Xã A", "Đã Nộp Xã B"],  # drafts stay with their unit
        "stranger": [],
    }


# --- search and order ----------------------------------------------------------------------


@pytest.mark.parametrize("query", ["son dinh", "SON ĐỊNH", "Sơn Định", "  sơn   dinh ", "ơn Đị"])
def test_search_ignores_diacritics_case_and_spaces(world: World, login, query: str) -> None:  # type: ignore[no-untyped-def]
    team(world, world.commune_a)
    team(world, world.hamlet_a)
    person(world, "Sơn Thị Hoa")
    client = login(world.nominator_a)

    assert names(client.get("/nominations/", query_string={"q": query})) == ["Xã Sơn Định"]


def test_search_folds_d_with_stroke(world: World, login) -> None:  # type: ignore[no-untyped-def]
    person(world, "Đặng Thị Đào")
    person(world, "Dương Văn Dũng")
    person(world, "Lê Văn Tám")
    client = login(world.nominator_a)

    assert names(client.get("/nominations/", query_string={"q": "dao"})) == ["Đặng Thị Đào"]
    assert names(client.get("/nominations/", query_string={"q": "d"})) == [
        "Dương Văn Dũng",
        "Đặng Thị Đào",
    ]


def test_search_by_reference(world: World, login) -> None:  # type: ignore[no-untyped-def]
    done = submit(
        fill_in(team(world, world.commune_a), world, world.nominator_a), world.nominator_a
    )
    team(world, world.hamlet_a)
    client = login(world.nominator_a)

    found = names(client.get("/nominations/", query_string={"q": done.reference.lower()}))

    assert found == ["Xã Sơn Định"]


def test_search_treats_wildcards_as_text(world: World, login) -> None:  # type: ignore[no-untyped-def]
    person(world, "Lê 100% Tận Tâm")
    person(world, "Lê Văn_Tám")
    person(world, "Lê Văn Tư")
    client = login(world.nominator_a)

    assert names(client.get("/nominations/", query_string={"q": "%"})) == ["Lê 100% Tận Tâm"]
    assert names(client.get("/nominations/", query_string={"q": "_"})) == ["Lê Văn_Tám"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        # Once made the database driver raise (an id beyond an INTEGER, a LIKE pattern over
        # SQLite's limit): now a search like any other.
        ({"unit": "1" + "0" * 30}, []),
        ({"campaign": "99999999999"}, []),
        ({"q": "a" * 100_000}, []),
    ],
)
def test_hostile_filters_are_searched_like_any_other(world: World, login, query, found) -> None:  # type: ignore[no-untyped-def]
    team(world, world.commune_a)
    client = login(world.nominator_a)

    assert names(client.get("/nominations/", query_string=query)) == found


@pytest.mark.parametrize("query", [{"q": "\x00"}, {"q": "S\x00ơn"}, {"state": "\x00"}])
def test_a_filter_with_a_nul_is_refused(world: World, login, query) -> None:  # type: ignore[no-untyped-def]
    # PostgreSQL refuses text holding a NUL: every query carrying one is refused before any
    # view runs (recognition/security.py).
    client = login(world.nominator_a)

    assert client.get("/nominations/", query_string=query).status_code == 400


def test_list_is_in_vietnamese_order(world: World, login) -> None:  # type: ignore[no-untyped-def]
    for name in [
        "Đào Văn Tư",
        "Dương Thị Mai",
        "Ân Văn Hai",
        "Bùi Thị Ba",
        "An Văn Một",
        "Ăn Văn Khó",
        "Anh Thị Tú",
        "Ấn Văn Bốn",
    ]:
        person(world, name)
    client = login(world.nominator_a)

    assert names(client.get("/nominations/")) == [
        # Letters first (a < ă < â, d < đ), tones only break ties: "Ấn … Bốn" before "Ân … Hai".
        "An Văn Một",
        "Anh Thị Tú",
        "Ăn Văn Khó",
        "Ấn Văn Bốn",
        "Ân Văn Hai",
        "Bùi Thị Ba",
        "Dương Thị Mai",
        "Đào Văn Tư",
    ]


# --- filters -------------------------------------------------------------------------------


def test_filters_by_campaign_award_state_and_unit(world: World, login) -> None:  # type: ignore[no-untyped-def]
    hamlet_nominator = user_with(Role.NOMINATOR, world.hamlet_a, locale="en")
    later = CampaignFactory(
        awarding_body=world.body,
        name="Năm sau",
        awards=[world.person_award],
        status=CampaignStatus.OPEN,
    )
    team(world, world.commune_a)
    submit(person(world, "Bà Nộp Rồi"), world.nominator_a)
    person(world, "Chị Ở Ấp", actor=hamlet_nominator, unit=world.hamlet_a)
    person(world, "Anh Năm Sau", campaign=later)
    client = login(world.nominator_a)

    def listed(**query: Any) -> list[str]:
        return names(client.get("/nominations/", query_string=query))

    assert listed(campaign=later.id) == ["Anh Năm Sau"]
    assert listed(campaign=world.campaign.id) == ["Bà Nộp Rồi", "Chị Ở Ấp", "Xã Sơn Định"]
    assert listed(award_type=world.team_award.id) == ["Xã Sơn Định"]
    assert listed(state="submitted") == ["Bà Nộp Rồi"]
    assert listed(unit=world.hamlet_a.id) == ["Chị Ở Ấp"]
    assert listed(
        unit=world.commune_a.id, award_type=world.person_award.id, campaign=world.campaign.id
    ) == ["Bà Nộp Rồi", "Chị Ở Ấp"]
    assert listed(campaign="nonsense") == []
    assert listed() == ["Anh Năm Sau", "Bà Nộp Rồi", "Chị Ở Ấp", "Xã Sơn Định"]


def test_a_unit_filter_does_not_widen_what_a_user_sees(world: World, login) -> None:  # type: ignore[no-untyped-def]
    person(world, "Người Của B", actor=world.nominator_b, unit=world.commune_b)
    client = login(world.nominator_a)

    assert names(client.get("/nominations/", query_string={"unit": world.commune_b.id})) == []


# --- pagination ----------------------------------------------------------------------------


def test_pagination(app: Flask, world: World, login, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for name in ["Bốn", "Một", "Năm", "Ba", "Hai"]:
        person(world, f"Người {name}")
    client = login(world.nominator_a)

    pages = [names(client.get("/nominations/", query_string={"page": n})) for n in (1, 2, 3, 4)]
    first = client.get("/nominations/").get_data(as_text=True)

    # A page past the end (a list that shrank since its link was made) is the last one.
    assert pages == [
        ["Người Ba", "Người Bốn"],
        ["Người Hai", "Người Một"],
        ["Người Năm"],
        ["Người Năm"],
    ]
    assert "5 dossiers" in first


# --- queries -------------------------------------------------------------------------------


def list_with(world: World, login, count_queries, count: int, prefix: str) -> int:  # type: ignore[no-untyped-def]
    """The statements of the list page holding `count` more dossiers of several campaigns,
    titles and nominating units, half of them submitted."""
    hamlet_nominator = user_with(Role.NOMINATOR, world.hamlet_a)
    other = CampaignFactory(
        awarding_body=world.body,
        name=f"{prefix} khác",
        awards=[world.person_award],
        status=CampaignStatus.OPEN,
    )
    for n in range(count):
        nomination = person(
            world,
            f"{prefix} {n:02d}",
            actor=hamlet_nominator if n % 3 else world.nominator_a,
            unit=world.hamlet_a if n % 3 else world.commune_a,
            campaign=other if n % 2 else world.campaign,
        )
        if n % 2:
            submit(nomination, world.nominator_a)
    client = login(world.nominator_a)
    client.get("/nominations/")  # warm up: the first request of a client loads its session
    with count_queries() as queries:
        response = client.get("/nominations/")
    assert response.status_code == 200
    return queries()


def test_list_query_count_does_not_grow_with_the_rows(world: World, login, count_queries) -> None:  # type: ignore[no-untyped-def]
    few = list_with(world, login, count_queries, 3, "Ít")
    shown_few = names(login(world.nominator_a).get("/nominations/"))
    many = list_with(world, login, count_queries, 27, "Nhiều")  # 30 in all
    shown_many = names(login(world.nominator_a).get("/nominations/"))

    assert (len(shown_few), len(shown_many)) == (3, 25)
    assert few == many
    assert few > 0
