"""The secret ballot: nothing stored, shown, exported or logged links a member to a choice, and
the tally stays hidden until the vote closes (docs/reliability.md, "Secret ballot and audit")."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import inspect, select

from recognition.common.audit import AuditEvent
from recognition.council import services
from recognition.council.enums import Choice
from recognition.council.models import Ballot, SealedBallot
from recognition.extensions import db
from tests.council.helpers import (
    accepted,
    client_for,
    close_comment,
    new_session,
    pdf_text,
    roll,
    seat,
    seat_council,
    text_of_page,
    vote_all,
    vote_url,
    voting_session,
    xlsx_rows,
)
from tests.workflow.helpers import build_scene, new_hamlet

pytestmark = pytest.mark.integration

A, D = Choice.AGREE, Choice.DISAGREE


@pytest.fixture(autouse=True)
def _english(app: Flask) -> Iterator[None]:
    # The workflow's notifications build URLs: the setup runs in a request, in English.
    with app.test_request_context(), force_locale("en"):
        yield


# --- what is stored --------------------------------------------------------------------------


def columns(table: str) -> dict[str, str]:
    found = inspect(db.session.connection()).get_columns(table)
    return {c["name"]: type(c["type"]).__name__.upper() for c in found}


def test_a_ballot_row_has_no_member_and_no_time() -> None:
    ballot = columns("ballots")
    keys = inspect(db.session.connection()).get_foreign_keys("ballots")

    sealed = columns("sealed_ballots")
    sealed_keys = inspect(db.session.connection()).get_foreign_keys("sealed_ballots")

    assert sorted(ballot) == ["choice", "id", "item_id", "tracker"]
    assert sorted(sealed) == ["id", "item_id", "sealed"]
    assert [(k["constrained_columns"], k["referred_table"]) for k in keys + sealed_keys] == [
        (["item_id"], "agenda_items")
    ] * 2
    assert [
        name for name, kind in (ballot | sealed).items() if "TIME" in kind or "DATE" in kind
    ] == []


def test_a_participation_row_says_who_voted_and_never_how() -> None:
    assert sorted(columns("participations")) == ["id", "in_writing", "item_id", "member_id"]
    unique = inspect(db.session.connection()).get_unique_constraints("participations")
    assert [sorted(u["column_names"]) for u in unique] == [["item_id", "member_id"]]


def test_trackers_are_twelve_characters_drawn_evenly_from_the_alphabet() -> None:
    """A receipt's tracker: 12 characters of Crockford's base 32, each of the 32 as likely
    as any other (60 bits a tracker: nobody guesses another member's)."""
    from collections import Counter

    from recognition.council.ballot_box import TRACKER_ALPHABET, new_tracker

    trackers = [new_tracker() for _ in range(4000)]
    seen = Counter("".join(trackers))

    assert len(TRACKER_ALPHABET) == 32 and len(set(TRACKER_ALPHABET)) == 32
    assert {len(t) for t in trackers} == {12} and set(seen) == set(TRACKER_ALPHABET)
    assert len(set(trackers)) == len(trackers)
    # 48,000 characters: 1,500 of each expected; a bias of one in eight would show far outside
    # these bounds (six standard deviations, about 230, each side).
    assert all(1270 < count < 1730 for count in seen.values()), seen


def test_ballot_ids_are_random_not_in_the_order_of_voting() -> None:
    scene = build_scene()
    seat_council(scene, size=20)
    session = voting_session(scene, [accepted(scene)])
    item = session.items[0]
    ids: list[str] = []
    for member in roll(session):
        before = set(db.session.scalars(select(SealedBallot.id)))
        services.cast_vote(item, member, A)
        (new,) = set(db.session.scalars(select(SealedBallot.id))) - before
        ids.append(new)
    services.close_vote(session, actor=scene.chair)
    published = list(db.session.scalars(select(Ballot.id).where(Ballot.item_id == item.id)))

    for found in (ids, published):
        assert [bool(re.fullmatch(r"[0-9a-f]{32}", i)) for i in found] == [True] * 20
        assert len(set(found)) == 20
        # 20 random ids come out sorted (either way) with a chance of 2 in 20! ≈ 1e-18.
        assert found != sorted(found)
        assert found != sorted(found, reverse=True)
    # The sealed ballots are gone once published, and their ids with them.
    assert (set(ids) & set(published), db.session.scalars(select(SealedBallot.id)).all()) == (
        set(),
        [],
    )


# --- what is shown during the vote ---------------------------------------------------------------

TALLY_WORDS = re.compile(r"\b(agree|agreed|disagree|abstain|abstained|passed|not passed)\b", re.I)


def live_counts(html: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", found).strip()
        for found in re.findall(r'aria-live="polite">(.*?)</span>', html, re.S)
    ]


def test_no_page_shows_the_tally_while_voting_only_how_many_have_voted(app: Flask) -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    session = voting_session(
        scene,
        [
            accepted(scene, nominee=new_hamlet(scene, "Ấp Một")),
            accepted(scene, nominee=new_hamlet(scene, "Ấp Hai")),
        ],
    )
    first, second = session.items
    member = seat(session, scene.council_member)
    others = [m for m in roll(session) if m.id != member.id]
    services.cast_vote(first, member, D)
    vote_all(first, [A, A, A, A, A, D, D], others)  # 5 agree, 3 disagree: 8 of 9
    vote_all(second, [A, D], others)
    session_id, first_id = session.id, first.id
    db.session.commit()

    pages = {}
    for name in ("secretariat", "chair", "council_member"):
        client = client_for(app, getattr(scene, name))
        pages[name] = client.get(f"/council/sessions/{session_id}").get_data(as_text=True)
    member_client = client_for(app, scene.council_member)
    vote_page = member_client.get(vote_url(session_id, first_id)).get_data(as_text=True)

    assert {name: live_counts(html) for name, html in pages.items()} == {
        name: ["8 of 9 have voted", "2 of 9 have voted"] for name in pages
    }
    assert {name: TALLY_WORDS.findall(text_of_page(html)) for name, html in pages.items()} == {
        name: [] for name in pages
    }
    # The member sees that they voted, not how.
    assert "You have voted on this item. Your vote is secret and final." in text_of_page(vote_page)
    assert TALLY_WORDS.findall(text_of_page(vote_page)) == []
    assert re.findall(r"You have voted", pages["council_member"]) == ["You have voted"]

    # The tally appears when the vote closes (and the pattern above would have seen it).
    services.close_vote(
        db.session.get(type(session), session_id), actor=scene.chair, chair_approved=False
    )
    db.session.commit()
    closed = text_of_page(
        member_client.get(f"/council/sessions/{session_id}").get_data(as_text=True)
    )
    assert TALLY_WORDS.findall(closed)[:4] == ["Not passed", "agree", "disagree", "abstain"]
    assert (
        "5 agree, 3 disagree, 0 abstain: 8 of the 9 members taking part voted (9 eligible members)."
    ) in closed


def test_casting_through_the_pages_logs_nothing_about_the_choice(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    session = voting_session(scene, [accepted(scene)])
    session_id, item_id = session.id, session.items[0].id
    db.session.commit()
    client = client_for(app, scene.council_member)

    with caplog.at_level(logging.DEBUG):
        confirm = client.post_form(
            vote_url(session_id, item_id), {"step": "confirm", "choice": "D"}
        )
        cast = client.post_form(vote_url(session_id, item_id), {"step": "cast", "choice": "D"})
        page = cast.get_data(as_text=True)

    tracker = re.search(r'data-receipt-tracker="([0-9A-Z-]{14})"', page)
    assert (confirm.status_code, cast.status_code, tracker is not None) == (200, 200, True)
    assert [r.getMessage() for r in caplog.records if "disagree" in r.getMessage().lower()] == []
    assert [r.getMessage() for r in caplog.records if tracker.group(1) in r.getMessage()] == []
    # The receipt names the item, not the choice.
    assert TALLY_WORDS.findall(text_of_page(page)) == []


# --- what is exported after the close -------------------------------------------------------------


def closed_session(app: Flask):  # type: ignore[no-untyped-def]
    scene = build_scene()
    seat_council(scene, size=9)
    session = new_session(
        scene, [accepted(scene, nominee=new_hamlet(scene, "Ấp Phú Hòa"))], present=8
    )
    services.open_vote(session, actor=scene.secretariat)
    item = session.items[0]
    voters = [a.member for a in session.attendance if a.present]
    vote_all(item, [A] * 6 + [D] * 2, voters)
    services.close_vote(session, actor=scene.chair, chair_approved=True)
    names = [m.user.full_name for m in roll(session)]
    session_id = session.id
    db.session.commit()
    return scene, session_id, names


def test_the_xlsx_holds_counts_per_item_and_no_member(app: Flask) -> None:
    scene, session_id, names = closed_session(app)
    client = client_for(app, scene.secretariat)

    response = client.get(f"/council/sessions/{session_id}/results.xlsx")
    rows = xlsx_rows(response.data)

    cells = [str(c) for row in rows for c in row if c is not None]
    assert [c for c in cells if any(n in c for n in names)] == []
    assert rows[3][:15] == (
        "STT",
        "Đối tượng",
        "Danh hiệu / hình thức",
        "Đơn vị đề nghị",
        "Hình thức biểu quyết",
        "Thành viên",
        "Có mặt hoặc được lấy ý kiến",
        "Đã biểu quyết",
        "Đồng ý",
        "Không đồng ý",
        "Không biểu quyết",
        "Cơ sở tính",
        "Số phiếu cần",
        "Tỷ lệ đồng ý (%)",
        "Kết quả",
    )
    assert [row[:15] for row in rows[4:]] == [
        (
            1,
            "Ấp Phú Hòa",
            "Tập thể tiêu biểu",
            "Xã Sơn Định",
            "Bỏ phiếu kín",
            9,
            8,
            8,
            6,
            2,
            0,
            8,
            6,
            75,
            "Đạt",
        )
    ]


def test_the_minutes_name_the_members_but_never_beside_a_choice(app: Flask) -> None:
    scene, session_id, names = closed_session(app)
    client = client_for(app, scene.chair)

    text = pdf_text(client.get(f"/council/sessions/{session_id}/minutes.pdf").data)
    lines = [line.strip() for line in text.splitlines()]
    with_names = [line for line in lines if any(n in line for n in names)]
    choice_words = ("đồng ý", "không đồng ý", "tán thành", "phản đối")

    assert sorted({n for n in names if n in text}) == sorted(names)
    assert [line for line in with_names if any(w in line.lower() for w in choice_words)] == []


def test_the_close_records_counts_only_in_the_audit_log(app: Flask) -> None:
    closed_session(app)

    comments = db.session.scalars(
        select(AuditEvent.comment).where(AuditEvent.action == "close_vote")
    ).all()

    assert comments == [close_comment(6, 2, 0, 6, 8)]
