"""Who keeps a session's minutes (thư ký phiên họp): the secretariat chooses them on the session's
page, before or after the vote; until it does, the page and the minutes name the default, the
first who may in the order the minutes list the members. The minutes say "Thư ký: …" and
nothing about the rule."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from recognition.common.audit import AuditEvent, ObjectKind
from recognition.council import services
from recognition.council.enums import Choice, CouncilRole, SessionAction, SessionKind
from recognition.council.minutes import minutes_view, render_minutes
from recognition.council.models import CouncilMember, CouncilSession
from recognition.council.workflow import in_default_locale
from recognition.extensions import db
from tests.conftest import Client
from tests.council.helpers import (
    TERM_START,
    accepted,
    client_for,
    new_session,
    pdf_text,
    seat_council,
    text_of_page,
    vote_all,
)
from tests.support.factories import UserFactory
from tests.workflow.helpers import Scene, build_scene, flashes

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _english(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


def seat_as(scene: Scene, name: str, role: CouncilRole, position: str) -> CouncilMember:
    user = UserFactory(full_name=name, position=position, locale="en")
    return services.add_member(scene.body, user, role=role, term_start=TERM_START)


def vinh_thanh(scene: Scene) -> tuple[CouncilSession, dict[str, CouncilMember]]:
    """As in the demo's walk: the chair and the standing member (the secretariat) are seated,
    the session is created, then a vice-chair and two members join its roll; 4 of the 5 are
    present. The council has no secretary."""
    seats = {
        "chair": services.add_member(
            scene.body, scene.chair, role=CouncilRole.CHAIR, term_start=TERM_START
        ),
        "standing": services.add_member(
            scene.body, scene.secretariat, role=CouncilRole.STANDING, term_start=TERM_START
        ),
    }
    session = new_session(scene, [accepted(scene)])
    seats["vice"] = seat_as(scene, "Trương Thị Hạnh", CouncilRole.VICE_CHAIR, "Phó Chủ tịch")
    seats["member"] = seat_as(scene, "Đỗ Văn Minh", CouncilRole.MEMBER, "Công an xã")
    seats["absent"] = seat_as(scene, "Võ Thị Lan", CouncilRole.MEMBER, "Hội Phụ nữ xã")
    services.set_attendance(
        session, {m.id: "present" for key, m in seats.items() if key != "absent"}
    )
    return session, seats


def close(scene: Scene, session: CouncilSession, *, approved: bool = True) -> None:
    services.open_vote(session, actor=scene.secretariat)
    present = [a.member for a in session.attendance if a.present]
    vote_all(session.items[0], [Choice.AGREE] * len(present), present)
    services.close_vote(session, actor=scene.chair, chair_approved=approved)


def secretary_events(session: CouncilSession) -> list[tuple[str, str]]:
    return [
        (e.actor.full_name if e.actor else "", e.comment)
        for e in db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.object_kind == ObjectKind.COUNCIL_SESSION,
                AuditEvent.object_id == session.id,
                AuditEvent.action == SessionAction.SECRETARY.value,
            )
            .order_by(AuditEvent.id)
        )
    ]


def said_on_page(client: Client, session_id: int) -> str:
    """What the session's page says about the secretary of the session."""
    html = client.get(f"/council/sessions/{session_id}").get_data(as_text=True)
    section = re.search(r'<section[^>]*id="secretary".*?</section>', html, re.S)
    assert section, "no secretary section"
    return text_of_page(section.group(0))


def options(client: Client, session_id: int) -> list[tuple[str, str, bool]]:
    """The secretary's choices offered on the page: (value, label, selected)."""
    html = client.get(f"/council/sessions/{session_id}").get_data(as_text=True)
    select_html = re.search(r'<select[^>]*name="member_id".*?</select>', html, re.S)
    assert select_html, "no choice of secretary"
    found = re.findall(r"<option([^>]*)>(.*?)</option>", select_html.group(0), re.S)
    return [
        (
            re.search(r'value="([^"]*)"', attributes).group(1),  # type: ignore[union-attr]
            text_of_page(label),
            " selected" in attributes,
        )
        for attributes, label in found
    ]


# --- the default, in the order the minutes print --------------------------------------------


def test_by_default_the_minutes_name_the_first_member_present_after_the_chair_as_listed() -> None:
    scene = build_scene()
    session, _seats = vinh_thanh(scene)
    close(scene, session)

    view = minutes_view(session)
    text = " ".join(pdf_text(render_minutes(session)).split())

    # The council's order (chair, vice-chair, standing member, members), whatever order the
    # members joined the roll in; the secretary is the first of them after the chair.
    assert (view.present, view.absent, view.secretary) == (
        [
            "Nguyễn Văn Chủ — Chair of the council",
            "Trương Thị Hạnh — Phó Chủ tịch",
            "Phạm Văn Đức — Standing member",
            "Đỗ Văn Minh — Công an xã",
        ],
        ["Võ Thị Lan — Hội Phụ nữ xã"],
        "Trương Thị Hạnh",
    )
    assert (
        "Chủ tọa: Nguyễn Văn Chủ. Thư ký: Trương Thị Hạnh." in text,
        "chưa có Thư ký" in text,
        "làm thư ký phiên họp" in text,
    ) == (True, False, False)


def test_the_councils_secretary_present_is_the_default_wherever_listed() -> None:
    scene = build_scene()
    seat_council(scene, size=6)  # the chair, members, and the council's secretary last
    session = new_session(scene, [accepted(scene)], present=6)

    assert (
        [m.user.full_name for m in services.secretary_candidates(session)][-1],
        services.session_secretary(session).user.full_name,  # type: ignore[union-attr]
    ) == ("Lê Thị Thành Viên 1", "Lê Thị Thành Viên 1")


def test_a_written_consultation_is_counted_by_the_first_member_after_the_chair() -> None:
    # Nobody is present at a written consultation: any member but the chair may keep the count.
    scene = build_scene()
    services.add_member(scene.body, scene.chair, role=CouncilRole.CHAIR, term_start=TERM_START)
    services.add_member(
        scene.body, scene.secretariat, role=CouncilRole.STANDING, term_start=TERM_START
    )
    session = new_session(scene, [accepted(scene)], kind=SessionKind.WRITTEN)

    assert [m.user.full_name for m in services.secretary_candidates(session)] == ["Phạm Văn Đức"]
    assert minutes_view(session).secretary == "Phạm Văn Đức"


# --- the secretariat chooses, on the session's page ---------------------------------------------


def test_the_page_says_who_the_minutes_will_name_and_offers_those_present(app: Flask) -> None:
    scene = build_scene()
    session, seats = vinh_thanh(scene)
    db.session.commit()
    secretariat = client_for(app, scene.secretariat)

    said = said_on_page(secretariat, session.id)
    offered = options(secretariat, session.id)

    assert said.startswith(
        "Secretary of the session The minutes name Trương Thị Hạnh as secretary of the "
        "session. Nobody has been chosen: by default, the council's secretary if present, "
        "otherwise the first member present after the chair in the order of the attendance list."
    ), said
    # Those present but the chair, in the list's order; nobody chosen yet.
    assert offered == [
        ("", "By default: Trương Thị Hạnh", True),
        (str(seats["vice"].id), "Trương Thị Hạnh — Vice-chair", False),
        (str(seats["standing"].id), "Phạm Văn Đức — Standing member", False),
        (str(seats["member"].id), "Đỗ Văn Minh — Member", False),
    ]


def test_the_secretariat_names_the_secretary_and_the_minutes_say_so(app: Flask) -> None:
    scene = build_scene()
    session, seats = vinh_thanh(scene)
    # After the vote, before the chair approves the results: the minutes are drawn whenever
    # printed.
    close(scene, session, approved=False)
    db.session.commit()
    secretariat = client_for(app, scene.secretariat)
    url = f"/council/sessions/{session.id}/secretary"

    chosen = secretariat.post_form(url, {"member_id": str(seats["standing"].id)})
    shown = secretariat.get(chosen.headers["Location"]).get_data(as_text=True)
    pdf = secretariat.get(f"/council/sessions/{session.id}/minutes.pdf").get_data()
    minutes = " ".join(pdf_text(pdf).split())
    said = said_on_page(secretariat, session.id)
    db.session.expire_all()

    assert (chosen.status_code, chosen.headers["Location"]) == (
        302,
        f"/council/sessions/{session.id}#secretary",
    )
    assert flashes(shown) == [
        ("success", "The minutes name Phạm Văn Đức as secretary of the session.")
    ]
    assert "Nobody has been chosen" not in said
    # Hạnh is still listed among those present, no longer as the secretary; the secretary
    # signs under "THƯ KÝ".
    assert (
        "Chủ tọa: Nguyễn Văn Chủ. Thư ký: Phạm Văn Đức." in minutes,
        minutes.count("Trương Thị Hạnh"),
        minutes.count("Phạm Văn Đức"),
    ) == (True, 1, 3)
    assert (
        db.session.get(CouncilSession, session.id).secretary_id,  # type: ignore[union-attr]
        secretary_events(session),
    ) == (seats["standing"].id, [("Phạm Văn Đức", "Phạm Văn Đức")])


def by_default(name: str) -> str:
    """The audit comment of nobody chosen: in the default language, whoever acts."""
    return in_default_locale(lambda: _("By default: %(name)s", name=name))


def test_choosing_nobody_goes_back_to_the_default_and_is_logged(app: Flask) -> None:
    scene = build_scene()
    session, seats = vinh_thanh(scene)
    services.choose_secretary(session, seats["member"], actor=scene.secretariat)
    db.session.commit()
    secretariat = client_for(app, scene.secretariat)
    url = f"/council/sessions/{session.id}/secretary"

    again = secretariat.post_form(url, {"member_id": str(seats["member"].id)})  # unchanged
    cleared = secretariat.post_form(url, {"member_id": ""})
    db.session.expire_all()

    assert (again.status_code, cleared.status_code) == (302, 302)
    assert db.session.get(CouncilSession, session.id).secretary_id is None  # type: ignore[union-attr]
    # The same choice sent again is no event.
    assert secretary_events(session) == [
        ("Phạm Văn Đức", "Đỗ Văn Minh"),
        ("Phạm Văn Đức", by_default("Trương Thị Hạnh")),
    ]


@pytest.mark.parametrize("who", ["chair", "absent", "other_body", "junk", "huge"])
def test_only_those_who_may_keep_the_minutes_can_be_chosen(app: Flask, who: str) -> None:
    scene = build_scene()
    session, seats = vinh_thanh(scene)
    elsewhere = services.add_member(
        scene.province, UserFactory(), role=CouncilRole.MEMBER, term_start=TERM_START
    )
    db.session.commit()
    secretariat = client_for(app, scene.secretariat)
    value = {
        "chair": str(seats["chair"].id),
        "absent": str(seats["absent"].id),
        "other_body": str(elsewhere.id),
        "junk": "Trương Thị Hạnh",
        "huge": str(2**70),
    }[who]

    refused = secretariat.post_form(
        f"/council/sessions/{session.id}/secretary", {"member_id": value}
    )
    html = refused.get_data(as_text=True)
    error = re.search(r'id="secretary-error"[^>]*>(.*?)</div>', html, re.S)
    db.session.expire_all()

    expected = "Invalid Choice: could not coerce." if who == "junk" else "Not a valid choice."
    assert (refused.status_code, error.group(1) if error else None) == (400, expected)
    assert (
        db.session.get(CouncilSession, session.id).secretary_id,  # type: ignore[union-attr]
        secretary_events(session),
    ) == (None, [])


def test_only_the_secretariat_chooses(app: Flask) -> None:
    scene = build_scene()
    session, seats = vinh_thanh(scene)
    services.add_member(
        scene.body, scene.council_member, role=CouncilRole.MEMBER, term_start=TERM_START
    )
    db.session.commit()
    url = f"/council/sessions/{session.id}/secretary"
    form = {"member_id": str(seats["member"].id)}
    answers = {
        name: client_for(app, getattr(scene, name)).post_form(url, form).status_code
        for name in ("chair", "council_member", "other_secretariat", "nominator")
    }
    no_token = client_for(app, scene.secretariat).post(url, data=form)
    missing = client_for(app, scene.secretariat).post_form(
        "/council/sessions/999999/secretary", form
    )
    member_page = said_on_page(client_for(app, scene.council_member), session.id)
    db.session.expire_all()

    assert answers == {
        "chair": 403,
        "council_member": 403,
        "other_secretariat": 403,
        "nominator": 403,
    }
    assert (no_token.status_code, missing.status_code) == (400, 404)
    assert db.session.get(CouncilSession, session.id).secretary_id is None  # type: ignore[union-attr]
    # The members read who will be named, without the form.
    assert (
        "The minutes name Trương Thị Hạnh as secretary of the session." in member_page,
        "Save the secretary" in member_page,
    ) == (True, False)


# --- attendance changes -------------------------------------------------------------------------


def test_a_secretary_marked_absent_is_forgotten_for_the_default(app: Flask) -> None:
    scene = build_scene()
    session, seats = vinh_thanh(scene)
    services.choose_secretary(session, seats["member"], actor=scene.secretariat)
    db.session.commit()
    secretariat = client_for(app, scene.secretariat)
    presence = {
        f"m{m.id}": "present" for key, m in seats.items() if key not in ("absent", "member")
    }

    secretariat.post_form(f"/council/sessions/{session.id}/attendance", presence)
    said = said_on_page(secretariat, session.id)
    db.session.expire_all()
    refreshed: Any = db.session.get(CouncilSession, session.id)

    assert (refreshed.secretary_id, services.session_secretary(refreshed).user.full_name) == (
        None,
        "Trương Thị Hạnh",
    )
    assert [comment for _actor, comment in secretary_events(session)] == [
        "Đỗ Văn Minh",
        by_default("Trương Thị Hạnh"),
    ]
    assert "Nobody has been chosen" in said


def test_nobody_present_yet_says_so(app: Flask) -> None:
    scene = build_scene()
    seat_council(scene, size=5)
    session = new_session(scene, [accepted(scene)], present=0)
    db.session.commit()

    said = said_on_page(client_for(app, scene.secretariat), session.id)

    assert said == (
        "Secretary of the session Nobody can keep the minutes yet: record who is present first."
    )


def test_the_secretary_stays_once_the_chair_has_approved_the_results(app: Flask) -> None:
    scene = build_scene()
    session, seats = vinh_thanh(scene)
    close(scene, session, approved=True)
    db.session.commit()
    secretariat = client_for(app, scene.secretariat)

    page = secretariat.get(f"/council/sessions/{session.id}").get_data(as_text=True)
    refused = secretariat.post_form(
        f"/council/sessions/{session.id}/secretary", {"member_id": str(seats["standing"].id)}
    )
    db.session.expire_all()

    assert f'action="/council/sessions/{session.id}/secretary"' not in page
    assert refused.status_code == 403
    assert db.session.get(CouncilSession, session.id).secretary_id is None  # type: ignore[union-attr]
