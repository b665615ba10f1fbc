"""Each role's dashboard lists what waits for it, computed from the real state: every item links
to where the action is, every count equals its list, and the page costs a bounded number of
queries."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale

from recognition.common.links import stray_public_url
from recognition.council import services as council
from recognition.council.enums import Choice
from recognition.dashboard import views as dashboard_views
from recognition.database import local_today, utcnow
from recognition.decisions.services import issue_decision, start_posting
from recognition.extensions import db
from recognition.law.enums import VoteMethod
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.workflow import apply_transition
from tests.conftest import PASSWORD, Client, logged_in_client
from tests.council.helpers import (
    accepted,
    award_with,
    new_session,
    seat_council,
    voting_session,
)
from tests.decisions.helpers import drafted, passed, posting_award
from tests.workflow.helpers import build_scene, dossier_in, draft, open_around_today

pytestmark = pytest.mark.integration

# The queries of one dashboard page, whatever the number of items (session, user, panels).
QUERY_BOUND = 25


@pytest.fixture(autouse=True)
def _english(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


def panel(html: str, name: str) -> tuple[int, list[tuple[str, str]]]:
    """The count shown for the list `name`, and its items as (link, text)."""
    count = re.search(rf'data-count="{name}">(\d+)<', html)
    block = re.search(rf'<ul[^>]*data-list="{name}">(.*?)</ul>', html, re.S)
    assert count is not None and block is not None, name
    items = re.findall(r'<li[^>]*>\s*<a href="([^"]+)">([^<]*)</a>', block.group(1))
    return int(count.group(1)), items


def dashboard(app: Flask, user: Any, count_queries: Any) -> tuple[Client, str]:
    client = logged_in_client(app, user)
    with count_queries() as count:
        response = client.get("/dashboard")
    assert response.status_code == 200
    assert count() <= QUERY_BOUND, count.statements
    return client, response.get_data(as_text=True)


def test_a_council_member_sees_the_open_vote_and_follows_it_to_the_ballot(
    app: Flask, count_queries: Any
) -> None:
    scene = build_scene()
    seat_council(scene, size=5)
    session = voting_session(scene, [accepted(scene)])
    coming = new_session(scene, [])
    db.session.commit()

    client, html = dashboard(app, scene.council_member, count_queries)

    count, items = panel(html, "ballots")
    assert count == len(items) == 1
    assert items == [(f"/council/sessions/{session.id}", session.title)]
    assert "No council session is waiting for your vote" not in html
    page = client.get(items[0][0]).get_data(as_text=True)
    assert f"/council/sessions/{session.id}/items/{session.items[0].id}/vote" in page
    count, items = panel(html, "coming")
    assert (count, items) == (1, [(f"/council/sessions/{coming.id}", coming.title)])


def test_a_member_who_has_voted_every_item_has_no_ballot_waiting(
    app: Flask, count_queries: Any
) -> None:
    scene = build_scene()
    seat_council(scene, size=5)
    session = voting_session(scene, [accepted(scene), accepted(scene)])
    member = next(
        a.member for a in session.attendance if a.member.user_id == scene.council_member.id
    )
    first, second = session.items
    council.cast_vote(first, member, Choice.AGREE)
    db.session.commit()

    _, html = dashboard(app, scene.council_member, count_queries)
    assert panel(html, "ballots")[0] == 1  # one item is still waiting for this member

    council.cast_vote(second, member, Choice.DISAGREE)
    db.session.commit()

    _, html = dashboard(app, scene.council_member, count_queries)
    assert 'data-list="ballots"' not in html
    assert "No council session is waiting for your vote" in html


def test_the_others_votes_and_withdrawals_leave_the_members_ballot_waiting(
    app: Flask, count_queries: Any
) -> None:
    scene = build_scene()
    seat_council(scene, size=5)
    session = voting_session(scene, [accepted(scene), accepted(scene)])
    others = [
        a.member
        for a in session.attendance
        if a.present and a.member.user_id != scene.council_member.id
    ]
    first, second = session.items
    council.cast_vote(first, others[0], Choice.AGREE)
    council.cast_vote(second, others[0], Choice.AGREE)
    council.declare_conflict(second, others[1], reason="Thuộc đơn vị được đề nghị")
    db.session.commit()

    _, html = dashboard(app, scene.council_member, count_queries)

    # Neither item has this member's vote: the session waits for it.
    assert panel(html, "ballots") == (1, [(f"/council/sessions/{session.id}", session.title)])


def test_hands_shown_at_a_meeting_leave_no_ballot_waiting(app: Flask, count_queries: Any) -> None:
    scene = build_scene()
    seat_council(scene, size=5)
    hands = award_with(
        scene, code="GK-TAY", name="Giấy khen (giơ tay)", method=VoteMethod.SHOW_OF_HANDS
    )
    voting_session(scene, [accepted(scene, hands)])
    db.session.commit()

    _, html = dashboard(app, scene.council_member, count_queries)

    assert 'data-list="ballots"' not in html


def test_an_absent_member_is_not_offered_the_vote(app: Flask, count_queries: Any) -> None:
    scene = build_scene()
    seat_council(scene, size=5)
    session = new_session(scene, [accepted(scene)], present=0)
    council.set_attendance(
        session,
        {
            a.member_id: "absent" if a.member.user_id == scene.council_member.id else "present"
            for a in session.attendance
        },
    )
    council.open_vote(session, actor=scene.secretariat)
    db.session.commit()

    _, html = dashboard(app, scene.council_member, count_queries)

    assert 'data-list="ballots"' not in html
    # Told why, rather than that nothing is open.
    assert "No council session is waiting for your vote" not in html
    assert (
        f"The vote of {session.title} is open; you are recorded absent, so you do not vote in it."
        in html
    )


def test_a_member_who_withdrew_from_every_item_is_not_counted_as_yet_to_vote(
    app: Flask, count_queries: Any
) -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    session = voting_session(scene, [accepted(scene)])
    present = [a.member for a in session.attendance if a.present]
    council.cast_vote(session.items[0], present[0], Choice.AGREE)
    council.declare_conflict(session.items[0], present[1], reason="Thuộc đơn vị được đề nghị")
    db.session.commit()

    _client, html = dashboard(app, scene.chair, count_queries)

    # As the session page counts it: those who withdrew take no part in the item.
    assert f"1 of {len(present) - 1} members taking part have finished voting" in html


def test_a_member_who_voted_on_one_item_of_two_has_not_finished_voting(
    app: Flask, count_queries: Any
) -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    session = voting_session(scene, [accepted(scene), accepted(scene)])
    present = [a.member for a in session.attendance if a.present]
    council.cast_vote(session.items[0], present[0], Choice.AGREE)
    council.cast_vote(session.items[0], present[1], Choice.AGREE)
    council.cast_vote(session.items[1], present[1], Choice.DISAGREE)
    db.session.commit()

    _client, html = dashboard(app, scene.chair, count_queries)

    # The first voted on one item of two; the second on both.
    taking_part = sum(1 for a in session.attendance if a.present or a.in_writing)
    assert f"1 of {taking_part} members taking part have finished voting" in html


@pytest.mark.parametrize("written_allowed", [True, False])
def test_a_member_consulted_in_writing_is_waited_for_only_where_written_votes_count(
    app: Flask, count_queries: Any, written_allowed: bool
) -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    scene.award.absentees_vote_in_writing = written_allowed
    session = voting_session(scene, [accepted(scene)])
    present = [a for a in session.attendance if a.present]
    present[-1].present, present[-1].in_writing = False, True
    db.session.commit()

    _client, html = dashboard(app, scene.chair, count_queries)

    waited = len(present) if written_allowed else len(present) - 1
    assert f"0 of {waited} members taking part have finished voting" in html


def test_the_secretariat_sees_the_votes_in_progress_it_may_close(
    app: Flask, count_queries: Any
) -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    session = voting_session(scene, [accepted(scene)])
    voter = next(a.member for a in session.attendance if a.present)
    council.cast_vote(session.items[0], voter, Choice.AGREE)
    db.session.commit()

    _client, html = dashboard(app, scene.secretariat, count_queries)

    count, items = panel(html, "voting")
    assert (count, items) == (1, [(f"/council/sessions/{session.id}", session.title)])
    taking_part = sum(1 for a in session.attendance if a.present or a.in_writing)
    assert f"1 of {taking_part} members taking part have finished voting" in html


def test_the_chair_sees_the_vote_to_close_and_the_decision_to_sign(
    app: Flask, count_queries: Any
) -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    session = voting_session(scene, [accepted(scene)])
    voter = next(a.member for a in session.attendance if a.present)
    council.cast_vote(session.items[0], voter, Choice.AGREE)
    decisions = [drafted(scene, [passed(scene, name=f"Ấp Ký Số {i}")]) for i in (1, 2)]
    db.session.commit()

    client, html = dashboard(app, scene.chair, count_queries)

    count, items = panel(html, "to-close")
    assert (count, items) == (1, [(f"/council/sessions/{session.id}", session.title)])
    taking_part = sum(1 for a in session.attendance if a.present or a.in_writing)
    assert f"1 of {taking_part} members taking part have finished voting" in html
    assert html.count("1 award ·") == 2
    count, items = panel(html, "to-sign")
    assert count == len(items) == 2
    assert [link for link, _ in items] == [f"/decisions/{d.id}" for d in decisions]
    assert "No decision is waiting for your signature" not in html
    page = client.get(items[0][0]).get_data(as_text=True)
    assert f"/decisions/{decisions[0].id}/issue" in page
    assert f"/council/sessions/{session.id}/close" in client.get(
        f"/council/sessions/{session.id}"
    ).get_data(as_text=True)


def test_the_secretariat_sees_sessions_to_prepare_and_dossiers_waiting_for_a_decision(
    app: Flask, count_queries: Any
) -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    planned = new_session(scene, [accepted(scene)])
    waiting = [passed(scene, name=f"Ấp Chờ {i}") for i in (1, 2, 3)]
    drafted(scene, [waiting[2]])  # held by a draft: no longer waiting
    db.session.commit()

    _, html = dashboard(app, scene.secretariat, count_queries)

    count, items = panel(html, "to-prepare")
    assert (count, items) == (1, [(f"/council/sessions/{planned.id}", planned.title)])
    count, items = panel(html, "to-decide")
    assert count == len(items) == 2
    assert [text.split(" — ")[0] for _, text in items] == [n.nominee_name for n in waiting[:2]]


def test_the_nominator_sees_the_returned_dossier_with_its_reason(
    app: Flask, count_queries: Any
) -> None:
    scene = build_scene()
    nomination = dossier_in(scene, NominationState.IN_REVIEW)
    apply_transition(
        nomination, Action.SEND_BACK, actor=scene.secretariat, comment="Bổ sung minh chứng TB2"
    )
    db.session.commit()

    client, html = dashboard(app, scene.nominator, count_queries)

    count, items = panel(html, "returned")
    assert count == len(items) == 1
    assert items[0][0] == f"/nominations/{nomination.id}/edit"
    assert "Reason: Bổ sung minh chứng TB2" in html
    assert client.get(items[0][0]).status_code == 200


def test_the_dashboard_queries_do_not_grow_with_the_items(app: Flask, count_queries: Any) -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    voting_session(scene, [accepted(scene)])
    drafted(scene, [passed(scene, name="Ấp Một")])
    db.session.commit()
    _, html = dashboard(app, scene.chair, count_queries)
    assert panel(html, "to-sign")[0] == 1
    client = logged_in_client(app, scene.chair)
    with count_queries() as few:
        client.get("/dashboard")

    for _ in range(2):
        voting_session(scene, [accepted(scene)])
    for i in range(3):
        drafted(scene, [passed(scene, name=f"Ấp Nhiều {i}")])
    db.session.commit()
    with count_queries() as many:
        html = client.get("/dashboard").get_data(as_text=True)

    assert (panel(html, "to-sign")[0], panel(html, "to-close")[0]) == (4, 3)
    assert many() == few()


def test_the_nominator_sees_drafts_windows_closing_soon_and_awards_received(
    app: Flask, count_queries: Any
) -> None:
    scene = build_scene(**open_around_today(days_before=20, days_after=3))
    first, second = draft(scene), draft(scene)
    awarded = passed(scene, name="Ấp Được Khen")
    issue_decision(drafted(scene, [awarded]), actor=scene.chair, today=local_today())
    db.session.commit()

    client, html = dashboard(app, scene.nominator, count_queries)

    count, items = panel(html, "drafts")
    assert count == len(items) == 2
    assert [link for link, _ in items] == [f"/nominations/{n.id}/edit" for n in (first, second)]
    count, items = panel(html, "closing-soon")
    assert (count, items) == (1, [(f"/campaigns/{scene.campaign.id}", scene.campaign.name)])
    count, items = panel(html, "awarded")
    assert count == len(items) == 1
    assert items[0][0] == f"/nominations/{awarded.id}"
    assert client.get(items[0][0]).status_code == 200


def test_the_secretariat_sees_overdue_dossiers_first_and_postings_ending(
    app: Flask, count_queries: Any
) -> None:
    scene = build_scene(**open_around_today())
    recent = dossier_in(scene, NominationState.SUBMITTED)
    late = dossier_in(scene, NominationState.SUBMITTED)
    late.submitted_at = utcnow() - timedelta(days=60)
    posted = drafted(scene, [passed(scene, name="Ấp Niêm Yết", award=posting_award(scene))])
    start_posting(posted, actor=scene.secretariat, today=local_today())
    db.session.commit()

    client, html = dashboard(app, scene.secretariat, count_queries)

    count, items = panel(html, "inbox")
    assert count == len(items) == 2
    assert [link for link, _ in items] == [f"/review/{n.id}" for n in (late, recent)]
    assert "1 overdue" in html
    assert client.get(items[0][0]).status_code == 200
    count, items = panel(html, "postings")
    assert (count, [link for link, _ in items]) == (1, [f"/decisions/{posted.id}"])


def test_a_long_list_shows_its_first_items_and_counts_them_all(
    app: Flask, count_queries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At a province's volume a list would fill the page: the dashboard shows its first items,
    the badge counts all of them and a link leads to the whole list."""
    monkeypatch.setattr(dashboard_views, "SHOWN", 2)
    scene = build_scene()
    drafts = [draft(scene) for _ in range(3)]
    waiting = [passed(scene, name=f"Ấp Chờ Quyết Định {i}") for i in range(3)]
    db.session.commit()

    _, html = dashboard(app, scene.nominator, count_queries)
    assert re.search(r'data-count="drafts">3<', html)
    block = re.search(r'data-list="drafts">(.*?)</ul>', html, re.S)
    assert block is not None and block.group(1).count("<li") == 2
    assert f"/nominations/{drafts[0].id}/edit" in block.group(1)
    assert "2 of 3 shown: see them all" in html

    _, html = dashboard(app, scene.secretariat, count_queries)
    assert re.search(r'data-count="to-decide">3<', html)
    block = re.search(r'data-list="to-decide">(.*?)</ul>', html, re.S)
    assert block is not None and block.group(1).count("<li") == 2
    assert waiting[2].nominee_name not in block.group(1)


@pytest.mark.parametrize(
    ("public_url", "host", "warned"),
    [
        ("http://127.0.0.1:5000", "127.0.0.1:5000", False),  # `make run`: right as it is
        ("http://127.0.0.1:5000", "10.0.0.5", True),  # served on the LAN, QR codes to nowhere
        ("http://localhost:5000", "127.0.0.1:5201", False),  # this machine both ways
        ("http://localhost:5000", "thiduakhenthuong.vinhlong.gov.vn", True),
        ("https://thiduakhenthuong.vinhlong.gov.vn", "10.0.0.5", False),  # a real address
        ("", "10.0.0.5", False),  # unset: the application refuses to build links, said elsewhere
    ],
)
@pytest.mark.no_database
def test_a_public_address_of_this_machine_only_is_found(
    app: Flask, monkeypatch: pytest.MonkeyPatch, public_url: str, host: str, warned: bool
) -> None:
    monkeypatch.setitem(app.config, "PUBLIC_URL", public_url)

    assert (stray_public_url(host) == public_url) is warned


def test_the_administrator_alone_is_warned_of_it(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    scene = build_scene()
    db.session.commit()
    monkeypatch.setitem(app.config, "PUBLIC_URL", "http://127.0.0.1:5000")
    here = "http://10.0.0.5"  # the site reached on the office's network

    def dashboard_of(user: Any) -> str:
        # Each request in its own application context, as in production (tests/conftest.py).
        app.test_client_class = Client
        client = app.test_client()
        login = client.get("/login", base_url=here).get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login)
        assert token is not None
        form = {"csrf_token": token.group(1), "username": user.username, "password": PASSWORD}
        assert client.post("/login", data=form, base_url=here).status_code == 302
        return client.get("/dashboard", base_url=here).get_data(as_text=True)

    pages = {
        name: dashboard_of(user)
        for name, user in (("admin", scene.admin), ("secretariat", scene.secretariat))
    }

    assert {name: 'id="public-url"' in page for name, page in pages.items()} == {
        "admin": True,
        "secretariat": False,
    }
    assert (
        "use http://127.0.0.1:5000, an address of this machine only, while this site is "
        "reached at http://10.0.0.5." in html.unescape(re.sub(r"\s+", " ", pages["admin"]))
    )
