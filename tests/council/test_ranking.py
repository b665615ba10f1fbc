"""The order of a session's results: by title, agree votes, then women first on a tie (NĐ
152/2025/NĐ-CP art. 4): the pure function, the session's results section, and a held dossier
at the close."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask_babel import force_locale

from recognition.campaigns.enums import NomineeKind, VoteMethod
from recognition.council import services
from recognition.council.enums import Choice
from recognition.council.ranking import Entry, rank_results
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.nominations.enums import Gender, HoldKind, NominationState
from recognition.nominations.holds import hold_nomination
from tests.council.helpers import (
    accepted,
    award_with,
    client_for,
    roll,
    seat_council,
    vote_all,
    voting_session,
)
from tests.workflow.helpers import build_scene, new_hamlet


def person(name: str, agree: int, *, woman: bool = False, group: str = "LĐTT") -> Entry[str]:
    return Entry(item=name, group=group, agree=agree, is_collective=False, is_woman=woman)


def team(name: str, agree: int, women: int | None, *, group: str = "TTLĐTT") -> Entry[str]:
    return Entry(item=name, group=group, agree=agree, is_collective=True, women_percent=women)


def order(entries: list[Entry[str]], **kwargs: int) -> list[tuple[str, int, bool]]:
    return [(r.item, r.rank, r.women_first) for r in rank_results(entries, **kwargs)]


# --- the pure function ------------------------------------------------------------------------


@pytest.mark.unit
def test_more_agree_votes_come_first_whoever_the_nominee() -> None:
    found = order([person("Nam", 5), person("Lan", 7, woman=True), person("Hùng", 9)])

    assert found == [("Hùng", 1, False), ("Lan", 2, False), ("Nam", 3, False)]


@pytest.mark.unit
def test_on_a_tie_a_woman_comes_first_and_is_marked() -> None:
    found = order([person("Nam", 7), person("Hùng", 7), person("Lan", 7, woman=True)])

    assert found == [("Lan", 1, True), ("Nam", 2, False), ("Hùng", 2, False)]


@pytest.mark.unit
def test_a_tie_between_women_keeps_the_agenda_order_and_marks_nobody() -> None:
    found = order([person("Lan", 7, woman=True), person("Hoa", 7, woman=True), person("Nam", 6)])

    assert found == [("Lan", 1, False), ("Hoa", 1, False), ("Nam", 2, False)]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("women", "first"), [(70, "Ấp B"), (100, "Ấp B"), (69, "Ấp A"), (None, "Ấp A")]
)
def test_a_collective_with_at_least_70_percent_women_comes_first_on_a_tie(
    women: int | None, first: str
) -> None:
    found = order([team("Ấp A", 8, 40), team("Ấp B", 8, women)])

    assert [(name, mark) for name, _rank, mark in found] == [
        (first, first == "Ấp B"),
        ("Ấp A" if first == "Ấp B" else "Ấp B", False),
    ]


@pytest.mark.unit
def test_the_share_of_women_is_a_setting() -> None:
    entries = [team("Ấp A", 8, 40), team("Ấp B", 8, 60)]

    assert [(n, m) for n, _r, m in order(entries, women_percent=50)] == [
        ("Ấp B", True),
        ("Ấp A", False),
    ]


@pytest.mark.unit
def test_titles_are_ranked_apart_in_the_order_they_first_appear() -> None:
    found = order(
        [
            person("Nam", 3),
            team("Ấp A", 9, 80),
            person("Lan", 3, woman=True),
            team("Ấp B", 9, 10),
        ]
    )

    assert found == [
        ("Lan", 1, True),
        ("Nam", 2, False),
        ("Ấp A", 1, True),
        ("Ấp B", 2, False),
    ]


@pytest.mark.unit
def test_an_individual_mans_share_of_women_is_ignored() -> None:
    entries = [
        Entry(item="Nam", group="x", agree=4, is_collective=False, women_percent=100),
        person("Hùng", 4, group="x"),
    ]

    assert order(entries) == [("Nam", 1, False), ("Hùng", 1, False)]


@pytest.mark.unit
def test_no_entries_no_results() -> None:
    assert rank_results([]) == []


# --- the session's results section, and a held dossier at the close ---------------------------


@pytest.fixture
def _english(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


def results_rows(html: str) -> list[tuple[str, bool]]:
    rows = re.findall(r'<tr data-result-item="\d+">(.*?)</tr>', html, re.S)
    return [
        (re.findall(r"<td[^>]*>([^<]*)", row)[2].strip(), "data-women-first" in row) for row in rows
    ]


@pytest.mark.integration
def test_the_results_put_a_woman_first_on_a_tie_with_the_note(app: Flask, _english: None) -> None:
    scene = build_scene()
    seats = seat_council(scene, size=9)
    award = award_with(
        scene,
        code="LDTT",
        name="Lao động tiên tiến",
        nominee_kind=NomineeKind.INDIVIDUAL,
        method=VoteMethod.SECRET_BALLOT,
    )
    man = accepted(scene, award, person_name="Nguyễn Văn Nam")
    woman = accepted(scene, award, person_name="Trần Thị Lan")
    woman.person_gender = Gender.FEMALE
    db.session.flush()
    session = voting_session(scene, [man, woman])
    members = roll(session)
    for item in session.items:
        vote_all(item, [Choice.AGREE] * 9, members)
    services.close_vote(session, actor=scene.secretariat)
    session_id = session.id
    db.session.commit()

    page = client_for(app, scene.secretariat).get(f"/council/sessions/{session_id}")
    html = page.get_data(as_text=True)

    assert len(seats) == 9
    assert results_rows(html) == [("Trần Thị Lan", True), ("Nguyễn Văn Nam", False)]
    assert "Women first (NĐ 152/2025, art. 4)" in html
    assert "On equal agree votes, women come first" in html


@pytest.mark.integration
def test_the_close_refuses_to_pass_a_held_dossier(app: Flask, _english: None) -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    nomination = accepted(scene, nominee=new_hamlet(scene, "Ấp Tạm Hoãn"))
    session = voting_session(scene, [nomination])
    vote_all(session.items[0], [Choice.AGREE] * 9, roll(session))
    hold_nomination(
        nomination, kind=HoldKind.DISCIPLINE, reason="Đang xem xét kỷ luật", actor=scene.secretariat
    )

    with pytest.raises(DomainError) as refused:
        services.close_vote(session, actor=scene.secretariat)

    assert refused.value.message.startswith("The dossier of Ấp Tạm Hoãn is held since ")
    assert "(Under disciplinary review: Đang xem xét kỷ luật)" in refused.value.message
    assert nomination.state == NominationState.ON_AGENDA
