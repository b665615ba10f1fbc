"""Council pages: who may see and vote, the two-step ballot, readable refusals, and the whole
vote through HTTP as the demo runs it (session, agenda, attendance, quorum, votes, close,
results, minutes PDF and XLSX)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select, update

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.enums import VoteMethod
from recognition.campaigns.models import AwardType, Campaign
from recognition.council import services
from recognition.council.ballot_box import CHOICE_CODES
from recognition.council.enums import Choice, CouncilRole, SessionKind
from recognition.council.models import AgendaItem, CouncilMember, CouncilSession
from recognition.database import local_today
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.services import Report, update_nomination
from recognition.ops.demo import COUNCIL, DEMO_PASSWORD, seed_demo
from recognition.units.models import Unit
from tests.conftest import Client, log_in
from tests.council.helpers import (
    TERM_START,
    accepted,
    award_with,
    ballot_count,
    ballots_of,
    client_for,
    new_session,
    participants_of,
    participation_count,
    pdf_text,
    roll,
    seat,
    seat_council,
    text_of_page,
    unsealed,
    vote_all,
    vote_url,
    voting_session,
    xlsx_rows,
)
from tests.council.test_services import hands_scene
from tests.decisions.helpers import in_english
from tests.nominations.test_views import field_error
from tests.support.advance import advance_to, answers_to
from tests.support.factories import NominationFactory, UserFactory, grant
from tests.workflow.helpers import (
    build_scene,
    error_page,
    events_of,
    flashes,
    new_hamlet,
    unescape,
)

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _english(app: Flask) -> Iterator[None]:
    # The setup runs in a request (the workflow's notifications build URLs), in English.
    with app.test_request_context(), force_locale("en"):
        yield


def open_session(scene: Any, **kwargs: Any) -> tuple[int, int]:
    """A voting session of the scene's council (9 members, one item); (session id, item id)."""
    seat_council(scene, size=9)
    session = voting_session(scene, [accepted(scene)], **kwargs)
    ids = (session.id, session.items[0].id)
    db.session.commit()
    return ids


def page_of(client: Client, response: Any) -> str:
    """The page a response shows, following one redirect."""
    if response.status_code == 302:
        return client.get(response.headers["Location"]).get_data(as_text=True)
    return response.get_data(as_text=True)


# --- access -------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(app: Flask) -> None:
    scene = build_scene()
    session_id, item_id = open_session(scene)
    app.test_client_class = Client
    client = app.test_client()

    answers = [
        client.get(f"/council/sessions/{session_id}"),
        client.get(vote_url(session_id, item_id)),
        client.get("/council/"),
    ]

    assert [(r.status_code, r.headers["Location"].split("?")[0]) for r in answers] == [
        (302, "/login")
    ] * 3
    assert answers[0].headers["Location"] == f"/login?next=/council/sessions/{session_id}"


def outsiders(scene: Any) -> dict[str, User]:
    """A nominator, a member of another body's council, and an account with no role."""
    province_member = UserFactory(full_name="Tô Văn Tỉnh", locale="en")
    services.add_member(
        scene.province, province_member, role=CouncilRole.MEMBER, term_start=TERM_START
    )
    return {
        "nominator": scene.nominator,
        "other_council": province_member,
        "no_role": UserFactory(full_name="Mai Văn Khách", locale="en"),
    }


@pytest.mark.parametrize("who", ["nominator", "other_council", "no_role"])
def test_outsiders_get_403_on_session_and_vote_pages(app: Flask, who: str) -> None:
    scene = build_scene()
    user = outsiders(scene)[who]
    session_id, item_id = open_session(scene)
    client = client_for(app, user)

    answers = {
        "session": client.get(f"/council/sessions/{session_id}").status_code,
        "vote": client.get(vote_url(session_id, item_id)).status_code,
        "confirm": client.post_form(
            vote_url(session_id, item_id), {"step": "confirm", "choice": "A"}
        ).status_code,
        "cast": client.post_form(
            vote_url(session_id, item_id), {"step": "cast", "choice": "A"}
        ).status_code,
        "conflict": client.post_form(
            f"/council/sessions/{session_id}/items/{item_id}/conflict", {"reason": "x"}
        ).status_code,
        "minutes": client.get(f"/council/sessions/{session_id}/minutes.pdf").status_code,
    }
    index = client.get("/council/")

    assert answers == dict.fromkeys(answers, 403)
    # A member of the province's council has a council page, without the district's sessions.
    assert (
        index.status_code,
        f"/council/sessions/{session_id}" in index.get_data(as_text=True),
    ) == ((200, False) if who == "other_council" else (403, False))
    assert (participation_count(), ballot_count()) == (0, 0)


def test_people_without_a_seat_that_day_cannot_vote(app: Flask) -> None:
    # The secretariat runs the session without a seat; a member whose term ended before the
    # session still holds the council-member role (whether they may still read the session is
    # the access matrix's business), but is not on its roll.
    scene = build_scene()
    former = UserFactory(full_name="Cao Văn Cũ", locale="en")
    seat_former = services.add_member(
        scene.body, former, role=CouncilRole.MEMBER, term_start=TERM_START
    )
    services.end_term(seat_former, on=date(2024, 12, 31))
    session_id, item_id = open_session(scene)

    found = {}
    for name, user in (("secretariat", scene.secretariat), ("former member", former)):
        client = client_for(app, user)
        found[name] = (
            client.get(vote_url(session_id, item_id)).status_code,
            client.post_form(
                vote_url(session_id, item_id), {"step": "cast", "choice": "A"}
            ).status_code,
        )

    assert found == {"secretariat": (403, 403), "former member": (403, 403)}
    assert (participation_count(), ballot_count()) == (0, 0)


def test_the_secretariat_reorders_the_agenda(app: Flask) -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    session = new_session(
        scene, [accepted(scene, nominee=new_hamlet(scene, f"Ấp {n}")) for n in "ABC"]
    )
    session_id, (first, _second, third) = session.id, [i.id for i in session.items]
    db.session.commit()
    client = client_for(app, scene.secretariat)
    base = f"/council/sessions/{session_id}/items"

    answers = [
        client.post_form(f"{base}/{third}/move/up").status_code,
        client.post_form(f"{base}/{first}/move/down").status_code,
        client.post_form(f"{base}/{first}/move/sideways").status_code,
    ]
    page = client.get(f"/council/sessions/{session_id}").get_data(as_text=True)

    assert answers == [302, 302, 404]
    assert re.findall(r"<strong>\d+\. <a [^>]*>(Ấp \w)</a>", page) == ["Ấp C", "Ấp A", "Ấp B"]


def test_the_secretariat_takes_a_dossier_off_the_agenda_and_can_put_it_back(app: Flask) -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    session = new_session(
        scene, [accepted(scene, nominee=new_hamlet(scene, f"Ấp {n}")) for n in "ABC"]
    )
    session_id, (_first, second, _third) = session.id, [i.id for i in session.items]
    taken_off = session.items[1].nomination
    db.session.commit()
    client = in_english(client_for(app, scene.secretariat))
    page = client.get(f"/council/sessions/{session_id}").get_data(as_text=True)
    assert f"/council/sessions/{session_id}/items/{second}/remove" in page

    response = client.post_form(f"/council/sessions/{session_id}/items/{second}/remove")

    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.findall(r"<strong>(\d+)\. <a [^>]*>(Ấp \w)</a>", page) == [
        ("1", "Ấp A"),
        ("2", "Ấp C"),
    ]
    assert "Ấp B has been taken off the agenda; it waits for a council again." in page
    db.session.expire_all()
    assert db.session.get(AgendaItem, second) is None
    assert taken_off.state == NominationState.ACCEPTED
    # It is offered again among the accepted dossiers, and goes back on.
    assert f'name="nomination_id" value="{taken_off.id}"' in page
    client.post_form(f"/council/sessions/{session_id}/agenda", {"nomination_id": str(taken_off.id)})
    db.session.expire_all()
    assert taken_off.state == NominationState.ON_AGENDA


def test_an_open_vote_s_agenda_keeps_its_items(app: Flask) -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    session = voting_session(scene, [accepted(scene)])
    session_id, item_id = session.id, session.items[0].id
    db.session.commit()
    client = client_for(app, scene.secretariat)
    assert f"/items/{item_id}/remove" not in client.get(f"/council/sessions/{session_id}").get_data(
        as_text=True
    )

    response = in_english(client).post_form(
        f"/council/sessions/{session_id}/items/{item_id}/remove"
    )

    assert response.status_code == 400
    assert "The agenda and attendance can only change before the vote opens." in (
        response.get_data(as_text=True)
    )
    db.session.expire_all()
    assert db.session.get(AgendaItem, item_id) is not None


def test_an_item_of_another_session_is_not_found(app: Flask) -> None:
    scene = build_scene()
    session_id, _item_id = open_session(scene)
    other = new_session(scene, [accepted(scene)])
    other_item = other.items[0].id
    db.session.commit()
    client = client_for(app, scene.council_member)

    assert client.get(vote_url(session_id, other_item)).status_code == 404


def test_a_vote_without_the_csrf_token_is_refused(app: Flask) -> None:
    scene = build_scene()
    session_id, item_id = open_session(scene)
    client = client_for(app, scene.council_member)

    response = client.post(vote_url(session_id, item_id), data={"step": "cast", "choice": "A"})

    assert (response.status_code, participation_count(), ballot_count()) == (400, 0, 0)


def test_a_member_with_a_conflict_cannot_vote(app: Flask) -> None:
    scene = build_scene()
    seats = seat_council(scene, size=9)
    preparer = seats[2].user
    grant(preparer, Role.NOMINATOR, scene.commune_a)
    session = voting_session(scene, [accepted(scene, actor=preparer)])
    session_id, item_id = session.id, session.items[0].id
    db.session.commit()
    client = client_for(app, preparer)

    session_page = text_of_page(
        client.get(f"/council/sessions/{session_id}").get_data(as_text=True)
    )
    response = client.post_form(vote_url(session_id, item_id), {"step": "cast", "choice": "A"})

    assert "Not voting (conflict of interest)" in session_page
    assert (response.status_code, error_page(response.get_data(as_text=True))) == (
        403,
        (
            "You do not have access to this page",
            "You do not vote on this item (conflict of interest).",
        ),
    )
    assert (participation_count(), ballot_count()) == (0, 0)


def test_a_member_declares_a_conflict_from_the_vote_page(app: Flask) -> None:
    scene = build_scene()
    session_id, item_id = open_session(scene)
    client = client_for(app, scene.council_member)

    response = client.post_form(
        f"/council/sessions/{session_id}/items/{item_id}/conflict", {"reason": "Con ruột"}
    )
    page = page_of(client, response)
    refused = client.post_form(vote_url(session_id, item_id), {"step": "cast", "choice": "A"})

    item = db.session.get(AgendaItem, item_id)
    assert flashes(page) == [
        ("success", "Your conflict of interest is recorded; you do not vote on this item.")
    ]
    assert [(c.member.user.full_name, c.reason_text, c.declared) for c in item.conflicts] == [
        ("Huỳnh Văn Lợi", "Con ruột", True)
    ]
    assert (refused.status_code, participation_count()) == (403, 0)


def test_a_conflict_without_its_reason_is_refused_on_the_vote_page(app: Flask) -> None:
    scene = build_scene()
    session_id, item_id = open_session(scene)
    client = client_for(app, scene.council_member)

    response = client.post_form(
        f"/council/sessions/{session_id}/items/{item_id}/conflict", {"reason": " "}
    )
    page = page_of(client, response)

    assert response.headers["Location"].endswith(vote_url(session_id, item_id))
    assert flashes(page) == [("danger", "Say why you have a conflict of interest on this dossier.")]
    assert db.session.get(AgendaItem, item_id).conflicts == []


# --- the ballot: two steps, final --------------------------------------------------------------


def test_the_vote_page_confirms_before_casting(app: Flask) -> None:
    scene = build_scene()
    session_id, item_id = open_session(scene)
    client = client_for(app, scene.council_member)
    url = vote_url(session_id, item_id)

    choose = client.get(url).get_data(as_text=True)
    confirm = client.post_form(url, {"step": "confirm", "choice": "D"})
    confirm_html = confirm.get_data(as_text=True)
    recorded_after_confirm = (participation_count(), ballot_count())
    cast = client.post_form(url, {"step": "cast", "choice": "D"})
    receipt = text_of_page(cast.get_data(as_text=True))
    again = client.get(url).get_data(as_text=True)

    item = db.session.get(AgendaItem, item_id)
    assert re.findall(r'name="choice" id="choice-(\w+)" value="(\w)"', choose) == [
        ("agree", "A"),
        ("disagree", "D"),
    ]
    assert re.findall(r'name="step" value="(\w+)"', choose) == ["confirm"]
    assert confirm.status_code == 200
    assert "Check your choice, then cast your vote." in text_of_page(confirm_html)
    # Every choice is shown again, the member's ticked: the page is the same for any choice.
    assert re.findall(
        r'id="choice-(\w+)" value="\w" autocomplete="off" required( checked)?', confirm_html
    ) == [
        ("agree", ""),
        ("disagree", " checked"),
    ]
    assert re.findall(r'name="step" value="(\w+)"', confirm_html) == ["cast"]
    assert "Cast my vote" in confirm_html
    assert recorded_after_confirm == (0, 0)
    tracker = re.search(r"Your ballot's receipt: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})", receipt)
    assert (cast.status_code, tracker is not None) == (200, True)
    assert "Your vote has been cast." in receipt
    assert (participants_of(item), ballots_of(item)) == (
        [seat(item.session, scene.council_member).id],
        ["disagree"],
    )
    assert [b.tracker for b in unsealed(item)] == [tracker.group(1).replace("-", "")]
    assert "You have voted on this item. Your vote is secret and final." in text_of_page(again)
    assert 'name="step"' not in again


def test_a_cast_vote_is_final(app: Flask) -> None:
    scene = build_scene()
    session_id, item_id = open_session(scene)
    client = client_for(app, scene.council_member)
    url = vote_url(session_id, item_id)
    client.post_form(url, {"step": "cast", "choice": "A"})

    # Sent again (the receipt reloaded, another tab): the page of a member who has voted.
    second = client.post_form(url, {"step": "cast", "choice": "D"})
    page = second.get_data(as_text=True)

    assert second.status_code == 200
    assert "You have voted on this item. Your vote is secret and final." in text_of_page(page)
    assert 'name="step"' not in page
    assert ballots_of(db.session.get(AgendaItem, item_id)) == ["agree"]


def test_abstaining_is_offered_and_taken_only_where_the_title_allows_it(app: Flask) -> None:
    scene = build_scene()
    session_id, item_id = open_session(scene)
    client = client_for(app, scene.council_member)
    url = vote_url(session_id, item_id)

    refused = client.post_form(url, {"step": "cast", "choice": "B"})
    # The title's rule as it would read had it allowed abstaining from the start (a rule does
    # not change while a vote on it is open: council/frozen_rules.py).
    db.session.execute(
        update(AwardType).where(AwardType.id == scene.award.id).values(abstain_allowed=True)
    )
    db.session.commit()
    offered = re.findall(r'name="choice" id="choice-(\w+)"', client.get(url).get_data(as_text=True))
    taken = client.post_form(url, {"step": "cast", "choice": "B"})

    assert (refused.status_code, error_page(refused.get_data(as_text=True))[1]) == (
        400,
        "Abstaining is not allowed for this title.",
    )
    assert (offered, taken.status_code) == (["agree", "disagree", "abstain"], 200)
    assert ballots_of(db.session.get(AgendaItem, item_id)) == ["abstain"]


def test_after_the_close_voting_is_a_readable_409(app: Flask) -> None:
    scene = build_scene()
    session_id, item_id = open_session(scene)
    voter, late = client_for(app, scene.council_member), client_for(app, scene.chair)
    voter.post_form(vote_url(session_id, item_id), {"step": "cast", "choice": "A"})
    secretariat = client_for(app, scene.secretariat)
    closed = secretariat.post_form(f"/council/sessions/{session_id}/close")

    answers = [
        late.get(vote_url(session_id, item_id)),
        late.post_form(vote_url(session_id, item_id), {"step": "confirm", "choice": "A"}),
        late.post_form(vote_url(session_id, item_id), {"step": "cast", "choice": "A"}),
        voter.post_form(vote_url(session_id, item_id), {"step": "cast", "choice": "A"}),
    ]
    voter_page = voter.get(vote_url(session_id, item_id))

    assert closed.status_code == 302
    title = "This action cannot be done now"
    assert [(r.status_code, error_page(r.get_data(as_text=True))) for r in answers[:3]] == [
        (409, (title, "The vote on this item is not open.")),
        (409, (title, "The vote on this item is not open.")),
        (
            409,
            (
                title,
                "The vote on this item is no longer open: your ballot was not sent or counted.",
            ),
        ),
    ]
    assert answers[3].status_code == 200
    assert "You have voted on this item." in text_of_page(answers[3].get_data(as_text=True))
    # Whoever voted can still see that they did.
    assert voter_page.status_code == 200
    assert "You have voted on this item." in text_of_page(voter_page.get_data(as_text=True))
    assert ballots_of(db.session.get(AgendaItem, item_id)) == ["agree"]


def test_the_vote_page_is_not_open_before_the_vote(app: Flask) -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    session = new_session(scene, [accepted(scene)])
    session_id, item_id = session.id, session.items[0].id
    db.session.commit()
    client = client_for(app, scene.council_member)

    response = client.get(vote_url(session_id, item_id))

    assert (response.status_code, error_page(response.get_data(as_text=True))[1]) == (
        409,
        "The vote on this item is not open.",
    )


def test_only_the_secretariat_runs_the_session_and_the_chair_or_secretariat_closes(
    app: Flask,
) -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    session = new_session(scene, [accepted(scene)])
    session_id = session.id
    db.session.commit()
    member, chair = client_for(app, scene.council_member), client_for(app, scene.chair)

    answers = {
        "member opens": member.post_form(f"/council/sessions/{session_id}/open").status_code,
        "chair opens": chair.post_form(f"/council/sessions/{session_id}/open").status_code,
        "member attendance": member.post_form(
            f"/council/sessions/{session_id}/attendance"
        ).status_code,
        "member closes": member.post_form(f"/council/sessions/{session_id}/close").status_code,
        "member new session": member.post_form(
            f"/council/sessions/new/{scene.body.id}", {"title": "x"}
        ).status_code,
        "member members page": member.get(f"/council/members/{scene.body.id}").status_code,
    }

    assert answers == dict.fromkeys(answers, 403)
    assert db.session.get(CouncilSession, session_id).state == "planned"


def test_opening_the_vote_asks_first_as_closing_it_does(app: Flask) -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    session = new_session(scene, [accepted(scene)])
    session_id = session.id
    db.session.commit()
    client = client_for(app, scene.secretariat)

    before = client.get(f"/council/sessions/{session_id}").get_data(as_text=True)
    client.post_form(f"/council/sessions/{session_id}/open", {})
    during = client.get(f"/council/sessions/{session_id}").get_data(as_text=True)

    def confirm(html: str, label: str) -> str | None:
        tag = re.search(r"<button[^>]*>(?:(?!</button>).)*" + re.escape(label), html, re.S)
        assert tag, f"no button {label}"
        asked = re.search(r'data-confirm="([^"]*)"', tag.group(0))
        return unescape(asked.group(1)) if asked else None

    assert confirm(before, "Check the quorum and open the vote") == (
        "Open the vote now? Once it is open, the agenda and the attendance can no longer be "
        "changed."
    )
    assert confirm(during, "Close the vote and count") == (
        "Close the vote now? Members who have not voted can no longer vote."
    )


def test_the_session_name_example_is_of_this_year(app: Flask) -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    db.session.commit()

    page = client_for(app, scene.secretariat).get(f"/council/sessions/new/{scene.body.id}")

    help_text = re.search(r'id="title-help">(.*?)</div>', page.get_data(as_text=True), re.S)
    assert help_text is not None
    assert unescape(help_text.group(1)) == (
        f"E.g. Phiên họp xét khen thưởng đợt 1 năm {local_today().year}."
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-02-31", "The date must be a date written dd/mm/yyyy."),
        ("31/02/2026", "The date must be a date written dd/mm/yyyy."),
        ("", "This field is required."),
    ],
)
def test_a_wrong_date_is_called_wrong_not_missing(app: Flask, typed: str, message: str) -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    db.session.commit()

    response = client_for(app, scene.secretariat).post_form(
        f"/council/sessions/new/{scene.body.id}",
        {"title": "Phiên họp tháng 12", "kind": "meeting", "held_on": typed},
    )

    assert response.status_code == 200
    assert field_error(response, "held_on") == message
    assert 'value="Phiên họp tháng 12"' in response.get_data(as_text=True)


# --- the whole vote, as in the demo ---------------------------------------------------------------


def demo_dossier(campaign: Campaign, code: str, nominee: str, actor: str) -> Nomination:
    """An accepted dossier of the demo campaign (the dossier's own life is tested elsewhere)."""
    award = db.session.scalar(
        select(AwardType).where(
            AwardType.awarding_body_id == campaign.awarding_body_id, AwardType.code == code
        )
    )
    unit = db.session.scalar(select(Unit).where(Unit.name == nominee))
    user = db.session.scalar(select(User).where(User.username == actor))
    nomination = NominationFactory(
        campaign=campaign, award_type=award, actor=user, nominee_unit=unit
    )
    update_nomination(
        nomination,
        Report(
            summary=nominee,
            general=nominee,
            achievements=nominee,
            criteria=nominee,
            commendations=nominee,
        ),
        answers_to(award),
        actor=user,
    )
    return advance_to(nomination, NominationState.ACCEPTED, nominator=user)


def demo_client(app: Flask, username: str) -> Client:
    app.test_client_class = Client
    client: Client = app.test_client()  # type: ignore[assignment]
    assert log_in(client, username, DEMO_PASSWORD).status_code == 302
    return client


def session_page(client: Client, session_id: int) -> str:
    return client.get(f"/council/sessions/{session_id}").get_data(as_text=True)


def test_the_whole_vote_through_the_pages_as_in_the_demo(app: Flask) -> None:
    seed_demo()
    for user in db.session.scalars(select(User)):
        user.locale = "en"
    district = db.session.scalar(select(Unit).where(Unit.code == "28879", Unit.is_active))
    campaign = db.session.scalar(
        select(Campaign).where(Campaign.awarding_body_id == district.id, Campaign.status == "open")
    )
    model = demo_dossier(campaign, "DP-TCNSCD", "Tổ công nghệ số cộng đồng ấp Sơn Qui", "ap.sonqui")
    hamlet = demo_dossier(campaign, "AP-NTM-TM", "Ấp Sơn Qui", "ap.sonqui")
    hands = demo_dossier(campaign, "GK-TT", "Hội Nông dân xã Phú Phụng", "hnd.phuphung")
    # The rules this vote checks, whatever the body's catalogue says: 90 % of all members and
    # the chair; 70 % of those present by secret ballot; 70 % of those present by show of hands.
    for position, (nomination, method, threshold, base) in enumerate(
        [
            (model, "secret_ballot", 90, "all_members"),
            (hamlet, "secret_ballot", 70, "present"),
            (hands, "show_of_hands", 70, "present"),
        ]
    ):
        rule = nomination.award_type
        rule.position, rule.vote_method = position, method
        rule.vote_threshold_percent, rule.vote_base = Decimal(threshold), base
        rule.quorum_numerator, rule.quorum_denominator = 2, 3
        rule.abstain_allowed, rule.absentees_vote_in_writing = False, True
    model.award_type.chair_must_approve = True
    dossier_ids = [model.id, hamlet.id, hands.id]
    db.session.commit()
    thuky = demo_client(app, "thuky")

    # The secretariat creates the session …
    created = thuky.post_form(
        f"/council/sessions/new/{district.id}",
        {
            "title": "Phiên họp xét khen thưởng đợt 1 năm 2025",
            "kind": "meeting",
            "held_on": local_today().isoformat(),
            "place": "Hội trường UBND xã Phú Phụng",
        },
    )
    assert created.status_code == 302, text_of_page(created.get_data(as_text=True))[-1500:]
    session_id = int(created.headers["Location"].rsplit("/", 1)[1])
    council_session = db.session.get(CouncilSession, session_id)
    base = f"/council/sessions/{session_id}"
    offered = sorted(
        map(int, re.findall(r'name="nomination_id" value="(\d+)"', session_page(thuky, session_id)))
    )

    # … puts the accepted dossiers on the agenda …
    added = thuky.post_form(f"{base}/agenda", {"nomination_id": [str(i) for i in dossier_ids]})
    added_flash = flashes(page_of(thuky, added))
    db.session.expire_all()
    items = {i.nomination.nominee_name: i.id for i in council_session.items}
    members = {a.member.user.username: a.member_id for a in council_session.attendance}

    # … records a first attendance, tries to open without a quorum …
    five = {f"m{members[u]}": "present" for u, _ in COUNCIL[:5]}
    recorded = flashes(page_of(thuky, thuky.post_form(f"{base}/attendance", five)))
    refused = thuky.post_form(f"{base}/open", headers={"Referer": f"http://localhost{base}"})
    refused_flash = flashes(page_of(thuky, refused))

    # … then with everyone present, and opens the vote.
    page_of(
        thuky, thuky.post_form(f"{base}/attendance", {f"m{m}": "present" for m in members.values()})
    )
    opened = thuky.post_form(f"{base}/open")
    opened_flash = flashes(page_of(thuky, opened))

    # Each member votes from their phone: the team unanimously, Ấp Sơn Qui 6 to 3.
    for number, (username, _role) in enumerate(COUNCIL):
        client = thuky if username == "thuky" else demo_client(app, username)
        for name, choice in (
            ("Tổ công nghệ số cộng đồng ấp Sơn Qui", "agree"),
            ("Ấp Sơn Qui", "agree" if number < 6 else "disagree"),
        ):
            url = vote_url(session_id, items[name])
            code = CHOICE_CODES[Choice(choice)]
            assert client.post_form(url, {"step": "confirm", "choice": code}).status_code == 200
            assert client.post_form(url, {"step": "cast", "choice": code}).status_code == 200
    during = text_of_page(session_page(thuky, session_id))
    counted = thuky.post_form(
        f"{base}/items/{items['Hội Nông dân xã Phú Phụng']}/hands",
        {"agree": "8", "disagree": "1", "abstain": "0"},
    )

    # The chair closes the vote and approves.
    chutich = demo_client(app, "chutich")
    closing_form = session_page(chutich, session_id)
    closed = chutich.post_form(f"{base}/close", {"chair_approved": "1"})
    results = page_of(chutich, closed)
    minutes = chutich.get(f"{base}/minutes.pdf")
    workbook = thuky.get(f"{base}/results.xlsx")

    db.session.expire_all()
    assert offered == sorted(dossier_ids)
    assert added_flash == [("success", "3 dossiers put on the agenda.")]
    assert [i.nomination.award_type.code for i in council_session.items] == [
        "DP-TCNSCD",
        "AP-NTM-TM",
        "GK-TT",
    ]
    assert recorded == [("success", "The attendance has been recorded.")]
    assert refused_flash == [
        (
            "danger",
            "The quorum is not met: the vote on Tổ công nghệ số cộng đồng ấp Sơn Qui needs 2/3 "
            "of the 9 members, 5 take part; the vote on Ấp Sơn Qui needs 2/3 of the 9 members, "
            "5 take part; the vote on Hội Nông dân xã Phú Phụng needs 2/3 of the 9 members, 5 "
            "take part. Record the attendance and try again: members present count, and members "
            "giving their vote in writing count only where the title's rule lets absent members "
            "vote in writing.",
        )
    ]
    assert opened_flash == [
        (
            "success",
            "The vote is open. Members can now vote by secret ballot from their phone or "
            "computer; enter the counts of the show of hands for the other items.",
        )
    ]
    assert re.findall(r"\d+ of \d+ have voted", during) == ["9 of 9 have voted"] * 2
    assert counted.status_code == 302
    assert 'name="chair_approved"' in closing_form
    assert flashes(results) == [
        ("success", "The vote is closed and counted. The dossiers have moved on.")
    ]
    text = text_of_page(results)
    assert [
        re.sub(r"\s+", " ", t).strip()
        for t in re.findall(
            r'<div class="small mt-2 p-2 bg-light rounded">(.*?)</div>', results, re.S
        )
    ] == [
        "9 agree, 0 disagree, 0 abstain: 9 of the 9 members taking part voted "
        "(9 eligible members). At least "
        "9 agree votes of 9 were needed. <strong>Passed: the quorum was met and the agree votes "
        "reached the threshold.</strong>",
        "6 agree, 3 disagree, 0 abstain: 9 of the 9 members taking part voted "
        "(9 eligible members). At least "
        "7 agree votes of 9 were needed. <strong>Not passed: the agree votes did not reach the "
        "threshold. Abstentions and blank ballots count in the base, never in favour; a tie "
        "does not pass above 50 %.</strong>",
        "8 agree, 1 disagree, 0 abstain: 9 of the 9 members taking part voted "
        "(9 eligible members). At least "
        "7 agree votes of 9 were needed. <strong>Passed: the quorum was met and the agree votes "
        "reached the threshold.</strong>",
    ]
    # The badge and the explanation of Ấp Sơn Qui, and its line in the results by title.
    assert text.count("Not passed") == 3
    assert [
        (n.state, events_of(n)[-1].action)
        for n in (db.session.get(Nomination, i) for i in dossier_ids)
    ] == [("passed", "close_vote"), ("failed", "close_vote"), ("passed", "close_vote")]

    # The minutes (PDF) name the council and give the counts.
    assert (minutes.status_code, minutes.mimetype) == (200, "application/pdf")
    printed = pdf_text(minutes.data)
    squeezed = "".join(printed.split())
    demo_names = [
        db.session.scalar(select(User.full_name).where(User.username == u)) for u, _ in COUNCIL
    ]
    assert "BIÊN BẢN" in printed
    assert [n for n in demo_names if n not in printed] == []
    # taking part, not taking part, agree, disagree, abstain, agree of the base (percentage)
    for row in (
        "909009/9(100,0%)(cần9/9)Đạt",
        "906306/9(66,7%)(cần7/9)Khôngđạt",
        "908108/9(88,9%)(cần7/9)Đạt",
    ):
        assert row in squeezed, printed
    # An official Vietnamese document, even for a reader who uses the app in English.
    today = local_today()
    assert f"Phú Phụng, ngày {today.day:02d} tháng {today.month} năm {today.year}" in printed
    # (squeezed: a narrow column may wrap the method's name)
    assert (squeezed.count("Bỏphiếukín"), squeezed.count("Biểuquyếtgiơtay")) == (2, 1)

    # The results (XLSX): one line per item, counts only.
    rows = xlsx_rows(workbook.data)
    assert (
        workbook.headers["Content-Disposition"] == f"attachment; filename=ket-qua-{session_id}.xlsx"
    )
    assert [row[1:2] + row[5:15] for row in rows[4:]] == [
        ("Tổ công nghệ số cộng đồng ấp Sơn Qui", 9, 9, 9, 9, 0, 0, 9, 9, 100, "Đạt"),
        ("Ấp Sơn Qui", 9, 9, 9, 6, 3, 0, 9, 7, 66.7, "Không đạt"),
        ("Hội Nông dân xã Phú Phụng", 9, 9, 9, 8, 1, 0, 9, 7, 88.9, "Đạt"),
    ]
    assert [row[4] for row in rows[4:]] == ["Bỏ phiếu kín", "Bỏ phiếu kín", "Biểu quyết giơ tay"]


# --- the chair's approval is the chair's own act ------------------------------------------------


def unanimous_vote_the_chair_must_approve() -> tuple[Any, int, AgendaItem]:
    """Nine members all agree on a title the chair must approve; the vote is still open."""
    scene = build_scene()
    seat_council(scene, size=9)
    award = award_with(scene, code="BK", name="Bằng khen", chair_must_approve=True)
    session = voting_session(scene, [accepted(scene, award)])
    item = session.items[0]
    vote_all(item, [Choice.AGREE] * 9, roll(session))
    session_id = session.id
    db.session.commit()
    return scene, session_id, item


def test_the_secretariat_cannot_forge_the_chairs_approval(app: Flask) -> None:
    scene, session_id, item = unanimous_vote_the_chair_must_approve()
    secretariat = client_for(app, scene.secretariat)

    forged = secretariat.post_form(f"/council/sessions/{session_id}/close", {"chair_approved": "1"})
    refused_approval = secretariat.post_form(f"/council/sessions/{session_id}/approve")
    still = db.session.get(CouncilSession, session_id)
    after_forgery = (still.state, still.chair_approved, still.chair_approved_by_id)
    closed = secretariat.post_form(f"/council/sessions/{session_id}/close")

    assert (forged.status_code, error_page(forged.get_data(as_text=True))[1]) == (
        403,
        "Only the chair of Huyện Chợ Lách can give the chair's approval.",
    )
    assert refused_approval.status_code == 403
    assert after_forgery == ("voting", False, None)
    assert closed.status_code == 302
    assert (item.outcome, item.reason, still.chair_approved) == (
        "failed",
        "chair_not_approved",
        False,
    )


def test_the_chair_approves_in_their_own_name_and_the_secretariat_closes(app: Flask) -> None:
    scene, session_id, item = unanimous_vote_the_chair_must_approve()
    chair, secretariat = client_for(app, scene.chair), client_for(app, scene.secretariat)

    before = text_of_page(secretariat.get(f"/council/sessions/{session_id}").get_data(as_text=True))
    asked = text_of_page(chair.get(f"/council/sessions/{session_id}").get_data(as_text=True))
    approved = chair.post_form(f"/council/sessions/{session_id}/approve")
    page = text_of_page(secretariat.get(f"/council/sessions/{session_id}").get_data(as_text=True))
    closed = secretariat.post_form(f"/council/sessions/{session_id}/close")

    session = db.session.get(CouncilSession, session_id)
    assert approved.status_code == 302
    # Before the approval, whoever closes is told what closing without it does.
    warning = (
        "The chair has not approved yet: 1 item, whose title requires the chair’s approval, "
        "will not pass if the vote is closed without it, whatever the votes."
    )
    assert f"{warning} Ask the chair to approve first." in before
    assert f"{warning} Tick the approval above before you close." in asked
    assert "The chair approved the items that reach their threshold on" in page
    assert "The chair has not approved yet" not in page
    assert (closed.status_code, session.chair_approved, session.chair_approved_by_id) == (
        302,
        True,
        scene.chair.id,
    )
    assert session.chair_approved_at is not None
    assert (item.outcome, item.reason) == ("passed", "passed")


# --- absent members -----------------------------------------------------------------------------


def test_absent_members_are_not_offered_a_ballot_at_a_meeting(app: Flask) -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    session = new_session(scene, [accepted(scene)], present=8)
    absent = session.attendance[8].member.user
    services.set_attendance(session, {a.member_id: "present" for a in session.attendance[:8]})
    services.open_vote(session, actor=scene.secretariat)
    session_id, item_id = session.id, session.items[0].id
    db.session.commit()
    client = client_for(app, absent)

    page = client.get(f"/council/sessions/{session_id}").get_data(as_text=True)
    ballot = client.get(vote_url(session_id, item_id)).get_data(as_text=True)
    cast = client.post_form(vote_url(session_id, item_id), {"step": "cast", "choice": "A"})

    assert vote_url(session_id, item_id) not in page
    assert "You are recorded as absent from this meeting" in text_of_page(page)
    assert 'name="choice"' not in ballot
    assert cast.status_code == 403
    # The refusal after a click says the same as the page before it, not a role message.
    assert "You are recorded as absent from this meeting" in text_of_page(
        cast.get_data(as_text=True)
    )
    assert participation_count() == 0


@pytest.mark.parametrize(
    ("typed", "status", "message"),
    [
        (("12", "1", "0"), 400, "The counts must add up to at most the 8 members taking part."),
        (
            ("", "2", "1"),
            400,
            "Enter each count as a whole number, 0 or more (the agree count is required).",
        ),
        (
            ("-1", "2", "1"),
            400,
            "Enter each count as a whole number, 0 or more (the agree count is required).",
        ),
    ],
)
def test_refused_hand_counts_are_shown_again_as_typed(
    app: Flask, typed: tuple[str, str, str], status: int, message: str
) -> None:
    scene, session, item = hands_scene(abstain_allowed=True)
    session_id, item_id = session.id, item.id
    db.session.commit()
    client = client_for(app, scene.secretariat)
    agree, disagree, abstain = typed

    response = client.post_form(
        f"/council/sessions/{session_id}/items/{item_id}/hands",
        {"agree": agree, "disagree": disagree, "abstain": abstain},
    )
    page = response.get_data(as_text=True)
    shown = {
        name: re.search(rf'id="{name}-{item_id}" name="{name}" value="([^"]*)"', page)
        for name in ("agree", "disagree", "abstain")
    }

    # Said under the item's counts, which are marked as refused.
    under = re.search(rf'id="hands-error-{item_id}" role="alert">([^<]*)<', page)
    assert (response.status_code, under.group(1) if under else None) == (status, message)
    assert page.count(f'aria-describedby="hands-error-{item_id}"') == 3
    assert {name: found.group(1) if found else None for name, found in shown.items()} == {
        "agree": agree,
        "disagree": disagree,
        "abstain": abstain,
    }
    assert db.session.get(AgendaItem, item_id).hands_agree is None


def test_the_close_button_waits_for_the_counts_of_a_show_of_hands(app: Flask) -> None:
    scene, session, item = hands_scene()
    session_id, item_id, name = session.id, item.id, item.nomination.nominee_name
    db.session.commit()
    client = client_for(app, scene.secretariat)
    page = f"/council/sessions/{session_id}"

    waiting = client.get(page).get_data(as_text=True)
    refused = client.post_form(f"{page}/close", {}, headers={"Referer": page})
    told = flashes(client.get(refused.headers["Location"]).get_data(as_text=True))
    client.post_form(
        f"{page}/items/{item_id}/hands", {"agree": "6", "disagree": "2", "abstain": "0"}
    )
    counted = client.get(page).get_data(as_text=True)

    said = f"Enter the counts of the show of hands first: {name}."
    assert said in waiting
    assert re.search(r'<button[^>]*disabled aria-describedby="close-refusal"', waiting)
    assert refused.status_code == 302
    assert [(category, said in text) for category, text in told] == [("danger", True)]
    assert db.session.get(CouncilSession, session_id).state == "voting"
    assert said not in counted
    assert 'aria-describedby="close-refusal"' not in counted


@pytest.mark.parametrize("needed", [True, False])
def test_the_chair_is_offered_an_approval_only_where_a_title_needs_it(
    app: Flask, needed: bool
) -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    award = award_with(scene, code="CS", name="Chiến sĩ thi đua cơ sở", chair_must_approve=needed)
    session = voting_session(scene, [accepted(scene), accepted(scene, award)])
    session_id = session.id
    db.session.commit()

    page = (
        client_for(app, scene.chair).get(f"/council/sessions/{session_id}").get_data(as_text=True)
    )

    assert ('name="chair_approved"' in page, f"/council/sessions/{session_id}/approve" in page) == (
        needed,
        needed,
    )
    assert f"/council/sessions/{session_id}/close" in page


def test_the_seat_form_offers_only_people_not_seated_yet(app: Flask) -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    seated = set(
        db.session.scalars(
            select(CouncilMember.user_id).where(CouncilMember.awarding_body_id == scene.body.id)
        )
    )
    db.session.commit()

    page = client_for(app, scene.secretariat).get(f"/council/members/{scene.body.id}")
    offered = re.search(
        r'<select[^>]*name="user_id"[^>]*>(.*?)</select>', page.get_data(as_text=True), re.S
    )

    assert offered is not None
    ids = {int(v) for v in re.findall(r'<option[^>]*value="(\d+)"', offered.group(1))}
    assert ids
    assert ids & seated == set()


def test_in_vietnamese_the_body_s_kind_is_lower_case_inside_a_sentence(app: Flask) -> None:
    scene = build_scene()
    scene.secretariat.locale = scene.chair.locale = "vi"
    db.session.commit()
    name = scene.body.name  # "Huyện Chợ Lách"

    council_page = client_for(app, scene.secretariat).get("/council/").get_data(as_text=True)
    dashboard = client_for(app, scene.chair).get("/dashboard").get_data(as_text=True)

    lowered = name[0].lower() + name[1:]
    assert f"Tạo phiên họp Hội đồng {lowered}" in council_page
    assert f"Chủ tịch Hội đồng {lowered}" in dashboard


def test_a_vote_by_show_of_hands_alone_opens_with_a_word_for_the_counts(app: Flask) -> None:
    """Nobody votes on a phone when every item is decided by a show of hands."""
    scene = build_scene()
    seat_council(scene, size=9)
    award = award_with(scene, code="GK", name="Giấy khen", method=VoteMethod.SHOW_OF_HANDS)
    session = new_session(scene, [accepted(scene, award)], present=8)
    session_id = session.id
    db.session.commit()
    client = client_for(app, scene.secretariat)

    response = client.post_form(f"/council/sessions/{session_id}/open", {})

    assert response.status_code == 302
    assert flashes(client.get(response.headers["Location"]).get_data(as_text=True)) == [
        ("success", "The vote is open. Enter the counts of the show of hands for each item.")
    ]


@pytest.mark.parametrize("abstain_allowed", [True, False])
def test_the_hands_form_asks_for_abstentions_only_where_the_title_allows_them(
    app: Flask, abstain_allowed: bool
) -> None:
    scene, session, _item = hands_scene(abstain_allowed=abstain_allowed)
    db.session.commit()

    page = client_for(app, scene.secretariat).get(f"/council/sessions/{session.id}")

    assert ('name="abstain"' in page.get_data(as_text=True)) is abstain_allowed


def test_a_member_consulted_in_writing_is_not_told_of_a_meeting(app: Flask) -> None:
    scene = build_scene()
    session_id, item_id = open_session(scene, kind=SessionKind.WRITTEN, held_on=local_today())

    page = text_of_page(
        client_for(app, scene.council_member)
        .get(vote_url(session_id, item_id))
        .get_data(as_text=True)
    )

    assert "The council is consulted in writing: your ballot is your written opinion" in page
    assert "absent from the meeting" not in page


def test_closing_a_written_consultation_before_its_last_day_says_what_it_cuts(
    app: Flask,
) -> None:
    scene = build_scene()
    session_id, _item_id = open_session(
        scene, kind=SessionKind.WRITTEN, held_on=local_today() - timedelta(days=1)
    )
    council_session = db.session.get(CouncilSession, session_id)
    council_session.consultation_closes_on = local_today() + timedelta(days=3)
    db.session.commit()

    page = text_of_page(
        client_for(app, scene.secretariat)
        .get(f"/council/sessions/{session_id}")
        .get_data(as_text=True)
    )

    last_day = (local_today() + timedelta(days=3)).strftime("%d/%m/%Y")
    assert (
        f"The consultation runs until {last_day}: members who have not answered yet can no "
        "longer answer once the vote is closed."
    ) in page


@pytest.mark.parametrize("written_allowed", [(False, False), (True, False), (True, True)])
def test_the_attendance_form_says_where_votes_in_writing_count(
    app: Flask, written_allowed: tuple[bool, bool]
) -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    other = award_with(scene, code="KHAC", name="Danh hiệu khác")
    first, second = accepted(scene), accepted(scene, other)
    first.award_type.absentees_vote_in_writing = written_allowed[0]
    second.award_type.absentees_vote_in_writing = written_allowed[1]
    session = new_session(scene, [first, second])
    db.session.commit()

    page = client_for(app, scene.secretariat).get(f"/council/sessions/{session.id}")
    html = page.get_data(as_text=True)

    if written_allowed == (False, False):
        assert 'data-written-on="0"' in html
        assert "No title on the agenda lets an absent member vote in writing" in html
    elif written_allowed == (True, False):
        assert 'data-written-on="1"' in html
        assert "Only 1 of the 2 items on the agenda take votes in writing" in html
    else:
        assert "data-written-on" not in html


def test_an_attendance_value_the_form_does_not_offer_saves_nothing(app: Flask) -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    session = new_session(scene, [accepted(scene)])
    session_id = session.id
    before = [(a.member_id, a.present, a.in_writing) for a in session.attendance]
    first, second = before[0][0], before[1][0]
    db.session.commit()
    client = in_english(client_for(app, scene.secretariat))

    response = client.post_form(
        f"/council/sessions/{session_id}/attendance",
        {f"m{first}": "absent", f"m{second}": "vắng"},
        headers={"Referer": f"http://localhost/council/sessions/{session_id}"},
    )

    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The attendance was not understood and nothing was saved: mark it again." in page
    db.session.expire_all()
    after = db.session.get(CouncilSession, session_id)
    assert after is not None
    assert [(a.member_id, a.present, a.in_writing) for a in after.attendance] == before
