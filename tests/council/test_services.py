"""The council's services: members, sessions, agenda and conflicts, attendance and quorum,
casting, show of hands and closing through the workflow."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import func, select

from recognition.auth.enums import Role
from recognition.campaigns.enums import NomineeKind, VoteBase, VoteMethod
from recognition.campaigns.models import AwardType
from recognition.common.audit import AuditEvent, ObjectKind, verify_chain
from recognition.council import rules, services
from recognition.council.enums import Choice, CouncilRole, SessionAction, SessionKind, SessionState
from recognition.council.models import Attendance, CouncilMember
from recognition.council.voting import is_open_for_votes
from recognition.council.workflow import SESSION_LIFE
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.units.enums import UnitKind
from tests.council.helpers import (
    HELD_ON,
    TERM_START,
    accepted,
    award_with,
    ballots_of,
    close_comment,
    frozen,
    new_session,
    participants_of,
    roll,
    seat,
    seat_council,
    vote_all,
    voting_session,
)
from tests.support.factories import UnitFactory, UserFactory, grant
from tests.workflow.helpers import build_scene, events_from, events_of, new_hamlet

pytestmark = pytest.mark.integration

A, D, X = Choice.AGREE, Choice.DISAGREE, Choice.ABSTAIN


@pytest.fixture(autouse=True)
def _english(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


def names(members: list[CouncilMember]) -> list[str]:
    return [m.user.full_name for m in members]


# --- members ---------------------------------------------------------------------------------


def test_add_member_seats_the_user_and_grants_the_council_member_role() -> None:
    scene = build_scene()
    user = UserFactory(full_name="Phan Văn Mới")

    member = services.add_member(
        scene.body,
        user,
        role=CouncilRole.VICE_CHAIR,
        term_start=TERM_START,
        term_end=date(2026, 6, 30),
    )

    assert (
        member.awarding_body_id,
        member.role,
        member.term_start,
        member.term_end,
        [(g.role, g.unit_id) for g in user.grants],
        user.holds(Role.COUNCIL_MEMBER, scene.body),
    ) == (
        scene.body.id,
        "vice_chair",
        TERM_START,
        date(2026, 6, 30),
        [("council_member", scene.body.id)],
        True,
    )


def test_a_user_who_already_holds_the_role_is_not_granted_it_twice() -> None:
    scene = build_scene()

    services.add_member(
        scene.body, scene.council_member, role=CouncilRole.MEMBER, term_start=TERM_START
    )

    assert [(g.role, g.unit_id) for g in scene.council_member.grants] == [
        ("council_member", scene.body.id)
    ]


def test_a_second_seat_on_the_same_council_is_refused() -> None:
    scene = build_scene()
    services.add_member(scene.body, scene.chair, role=CouncilRole.CHAIR, term_start=TERM_START)

    with pytest.raises(DomainError) as error:
        services.add_member(
            scene.body, scene.chair, role=CouncilRole.MEMBER, term_start=date(2024, 1, 1)
        )

    seats = db.session.scalars(
        select(CouncilMember).where(CouncilMember.user_id == scene.chair.id)
    ).all()
    assert (error.value.message, error.value.field, len(seats)) == (
        "Nguyễn Văn Chủ is already on this council.",
        "user_id",
        1,
    )


def test_a_council_has_one_chair_at_a_time() -> None:
    scene = build_scene()
    services.add_member(
        scene.body,
        scene.chair,
        role=CouncilRole.CHAIR,
        term_start=date(2021, 1, 1),
        term_end=date(2025, 12, 31),
    )

    with pytest.raises(DomainError) as error:
        services.add_member(
            scene.body, scene.secretariat, role=CouncilRole.CHAIR, term_start=date(2025, 6, 1)
        )
    assert (error.value.field, error.value.message) == (
        "role",
        "Nguyễn Văn Chủ chairs this council over those dates: end their term first (the day "
        "before the new chair's), then seat the new chair.",
    )
    # The next chair, from the day after: seated; and a vice-chair at any time.
    services.add_member(
        scene.body, scene.secretariat, role=CouncilRole.CHAIR, term_start=date(2026, 1, 1)
    )
    services.add_member(
        scene.body, scene.council_member, role=CouncilRole.VICE_CHAIR, term_start=date(2025, 6, 1)
    )


def test_seats_are_refused_on_a_unit_that_awards_nothing_and_for_a_backwards_term() -> None:
    scene = build_scene()

    with pytest.raises(DomainError) as not_a_body:
        services.add_member(
            scene.commune_a, scene.chair, role=CouncilRole.MEMBER, term_start=TERM_START
        )
    with pytest.raises(DomainError) as backwards:
        services.add_member(
            scene.body,
            scene.chair,
            role=CouncilRole.MEMBER,
            term_start=TERM_START,
            term_end=date(2021, 6, 30),
        )

    assert (not_a_body.value.message, backwards.value.message, backwards.value.field) == (
        "Xã Sơn Định is not an awarding body.",
        "The term must end after it starts.",
        "term_end",
    )


# --- sessions ----------------------------------------------------------------------------------


def test_create_session_puts_every_member_serving_that_day_on_the_roll() -> None:
    scene = build_scene()
    seats = seat_council(scene, size=5)
    ended = services.add_member(
        scene.body,
        UserFactory(full_name="Cao Văn Cũ"),
        role=CouncilRole.MEMBER,
        term_start=TERM_START,
    )
    services.end_term(ended, on=date(2025, 7, 9))
    last_day = services.add_member(
        scene.body,
        UserFactory(full_name="Bạch Thị Cuối"),
        role=CouncilRole.MEMBER,
        term_start=TERM_START,
        term_end=HELD_ON,
    )
    services.add_member(
        scene.body,
        UserFactory(full_name="Âu Văn Sau"),
        role=CouncilRole.MEMBER,
        term_start=date(2025, 7, 11),
    )

    meeting = services.create_session(
        scene.body,
        services.SessionData(title="Phiên họp", kind=SessionKind.MEETING, held_on=HELD_ON),
    )
    written = services.create_session(
        scene.body,
        services.SessionData(
            title="Lấy ý kiến",
            kind=SessionKind.WRITTEN,
            held_on=HELD_ON,
            consultation_closes_on=date(2025, 7, 20),
        ),
    )

    # By role (chair first, the secretary last), then in Vietnamese alphabetical order.
    expected = [
        "Nguyễn Văn Chủ",
        "Bạch Thị Cuối",
        "Huỳnh Văn Lợi",
        "Lê Thị Thành Viên 2",
        "Lê Thị Thành Viên 3",
        "Lê Thị Thành Viên 1",
    ]
    assert names(roll(meeting)) == expected
    assert {a.member_id for a in meeting.attendance} == {s.id for s in seats} | {last_day.id}
    assert [(a.present, a.in_writing) for a in meeting.attendance] == [(False, False)] * 6
    assert [(a.present, a.in_writing) for a in written.attendance] == [(False, True)] * 6
    assert (meeting.state, meeting.kind, written.kind, written.consultation_closes_on) == (
        "planned",
        "meeting",
        "written",
        date(2025, 7, 20),
    )


def test_a_planned_session_s_roll_follows_the_council_until_the_vote_opens() -> None:
    """A member seated after the session was planned is on its roll (and counts for its
    quorum); one whose term ends before its day leaves it; a session voting keeps its roll."""
    scene = build_scene()
    seats = seat_council(scene, size=4)
    planned = new_session(scene, [])
    voting = voting_session(scene, [accepted(scene)])
    on_voting = {a.member_id for a in voting.attendance}

    newcomer = services.add_member(
        scene.body,
        UserFactory(full_name="Âu Văn Mới"),
        role=CouncilRole.MEMBER,
        term_start=TERM_START,
    )
    later = services.add_member(
        scene.body,
        UserFactory(full_name="Đinh Thị Sau"),
        role=CouncilRole.MEMBER,
        term_start=date(HELD_ON.year + 1, 1, 1),
    )
    services.end_term(seats[-1], on=TERM_START)

    on_planned = {a.member_id for a in planned.attendance}
    assert newcomer.id in on_planned
    assert later.id not in on_planned and seats[-1].id not in on_planned
    assert {a.member_id for a in voting.attendance} == on_voting


def test_a_member_seated_after_the_agenda_was_set_does_not_vote_on_a_dossier_they_made() -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    session = new_session(scene, [accepted(scene)])

    seat_ = services.add_member(
        scene.body, scene.nominator, role=CouncilRole.MEMBER, term_start=TERM_START
    )

    item = session.items[0]
    assert seat_.id in {a.member_id for a in session.attendance}
    assert [c.member_id for c in item.conflicts] == [seat_.id]


def test_a_session_needs_members_and_a_written_consultation_needs_its_closing_day() -> None:
    scene = build_scene()

    with pytest.raises(DomainError) as empty:
        new_session(scene, [])
    seat_council(scene, size=3)
    with pytest.raises(DomainError) as no_close:
        services.create_session(
            scene.body,
            services.SessionData(title="Lấy ý kiến", kind=SessionKind.WRITTEN, held_on=HELD_ON),
        )
    with pytest.raises(DomainError) as backwards:
        services.create_session(
            scene.body,
            services.SessionData(
                title="Lấy ý kiến",
                kind=SessionKind.WRITTEN,
                held_on=HELD_ON,
                consultation_closes_on=date(2025, 7, 1),
            ),
        )

    assert [e.value.message for e in (empty, no_close, backwards)] == [
        "The council of Huyện Chợ Lách has no members on that day. Add its members first.",
        "A written consultation needs the day it closes.",
        "The consultation must close after it opens.",
    ]


# --- the agenda --------------------------------------------------------------------------------


def test_add_to_agenda_schedules_through_the_workflow_grouped_by_award_type() -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    second = award_with(scene, code="LDTT", name="Lao động tiên tiến")
    nominations = [
        accepted(scene, second, nominee=new_hamlet(scene, "Ấp An Bình")),
        accepted(scene, nominee=new_hamlet(scene, "Ấp Thạnh Phú")),
        accepted(scene, second, nominee=new_hamlet(scene, "Ấp Đông Hòa")),
        accepted(scene, nominee=new_hamlet(scene, "Ấp Bình An")),
    ]
    session = new_session(scene, [])

    items = services.add_to_agenda(session, nominations, actor=scene.secretariat)

    assert [
        (i.position, i.nomination.award_type.code, i.nomination.nominee_name) for i in items
    ] == [
        (1, "TTTB", "Ấp Bình An"),
        (2, "TTTB", "Ấp Thạnh Phú"),
        (3, "LDTT", "Ấp An Bình"),
        (4, "LDTT", "Ấp Đông Hòa"),
    ]
    assert [n.state for n in nominations] == ["on_agenda"] * 4
    assert [
        [
            (e.action, e.from_state, e.to_state, e.actor_id)
            for e in events_from(n, NominationState.ACCEPTED)
        ]
        for n in nominations
    ] == [[("schedule", "accepted", "on_agenda", scene.secretariat.id)]] * 4


def test_agenda_items_added_later_go_after_the_others() -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    session = new_session(scene, [accepted(scene, nominee=new_hamlet(scene, "Ấp Zê"))])

    later = services.add_to_agenda(
        session, [accepted(scene, nominee=new_hamlet(scene, "Ấp A"))], actor=scene.secretariat
    )

    assert [(i.position, i.nomination.nominee_name) for i in session.items] == [
        (1, "Ấp Zê"),
        (2, "Ấp A"),
    ]
    assert later == [session.items[1]]


def test_only_accepted_dossiers_of_this_body_go_on_the_agenda() -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    session = new_session(scene, [])
    nomination = accepted(scene)
    services.add_to_agenda(session, [nomination], actor=scene.secretariat)

    with pytest.raises(InvalidTransition) as twice:
        services.add_to_agenda(session, [nomination], actor=scene.secretariat)
    with pytest.raises(NotAllowed):
        services.add_to_agenda(session, [accepted(scene)], actor=scene.council_member)

    assert (twice.value.message, len(session.items), events_of(nomination)[-1].action) == (
        "“Put on a council agenda” is not possible while the dossier is “On the council agenda”.",
        1,
        "schedule",
    )


def test_conflicts_of_interest_are_found_when_a_dossier_goes_on_the_agenda() -> None:
    scene = build_scene()
    seats = seat_council(scene, size=6)
    # seats: the chair, the scene's council member, then Lê Thị Thành Viên 1, 2, 3, 4.
    preparer, local, elsewhere, namesake = (s.user for s in seats[2:6])
    grant(preparer, Role.NOMINATOR, scene.commune_a)  # prepared the dossier
    grant(local, Role.NOMINATOR, scene.commune_a)  # nominates for the nominee's commune
    grant(elsewhere, Role.NOMINATOR, scene.commune_b)  # another commune: no conflict
    hamlet = new_hamlet(scene, "Ấp Phú Lợi")
    by_member = accepted(scene, nominee=hamlet, actor=preparer)
    by_other = accepted(scene, nominee=new_hamlet(scene, "Ấp Phú Thạnh"))
    person_award = award_with(
        scene, code="CSTD", name="Chiến sĩ thi đua cơ sở", nominee_kind=NomineeKind.INDIVIDUAL
    )
    nominee_person = accepted(scene, person_award, person_name=namesake.full_name, nominee=hamlet)

    session = new_session(scene, [by_member, by_other, nominee_person])

    found = {
        item.nomination.nominee_name: sorted(
            (c.member.user.full_name, c.reason_text, c.declared) for c in item.conflicts
        )
        for item in session.items
    }
    belongs = "belongs to or nominates for the nominee's unit"
    assert found == {
        "Ấp Phú Lợi": [
            ("Lê Thị Thành Viên 1", "prepared the dossier", False),
            ("Lê Thị Thành Viên 2", belongs, False),
        ],
        # The preparer also nominates for commune A, where this hamlet lies.
        "Ấp Phú Thạnh": [
            ("Lê Thị Thành Viên 1", belongs, False),
            ("Lê Thị Thành Viên 2", belongs, False),
        ],
        "Lê Thị Thành Viên 4": [
            ("Lê Thị Thành Viên 1", belongs, False),
            ("Lê Thị Thành Viên 2", belongs, False),
            ("Lê Thị Thành Viên 4", "is the nominee", False),
        ],
    }


def test_a_member_declares_a_conflict_and_then_cannot_vote_on_that_item() -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    first, second = accepted(scene), accepted(scene)
    session = voting_session(scene, [first, second])
    item, other = session.items
    member = seat(session, scene.council_member)

    conflict = services.declare_conflict(item, member, reason="  Là người thân của  Trưởng ấp ")
    with pytest.raises(DomainError) as again:
        services.declare_conflict(item, member, reason="")
    with pytest.raises(NotAllowed) as refused:
        services.cast_vote(item, member, A)
    services.cast_vote(other, member, A)
    with pytest.raises(DomainError) as after_voting:
        services.declare_conflict(other, member, reason="")

    assert (conflict.reason_text, conflict.declared, conflict.member_id) == (
        "Là người thân của Trưởng ấp",
        True,
        member.id,
    )
    assert [again.value.message, refused.value.message, after_voting.value.message] == [
        "Your conflict of interest is already recorded.",
        "You do not vote on this item (conflict of interest).",
        "You have already voted on this item.",
    ]
    assert (participants_of(item), ballots_of(item), services.counts_for(item).members) == (
        [],
        [],
        8,
    )


def test_a_conflict_needs_its_reason_and_is_in_the_audit_log() -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    session = voting_session(scene, [accepted(scene)])
    item = session.items[0]
    member = seat(session, scene.council_member)
    before = db.session.scalar(select(func.count(AuditEvent.id)))

    with pytest.raises(DomainError) as empty:
        services.declare_conflict(item, member, reason="   ")
    services.declare_conflict(item, member, reason="Là người thân")

    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert empty.value.message == "Say why you have a conflict of interest on this dossier."
    assert db.session.scalar(select(func.count(AuditEvent.id))) == before + 1
    assert event is not None
    assert (event.object_kind, event.object_id, event.action, event.actor_id) == (
        ObjectKind.AGENDA_ITEM,
        item.id,
        "conflict",
        scene.council_member.id,
    )
    assert event.comment == f"{scene.council_member.full_name}: Là người thân"
    assert verify_chain()[1] == []


@pytest.mark.parametrize(
    ("kind", "in_writing_allowed", "method"),
    [
        (SessionKind.MEETING, True, VoteMethod.SECRET_BALLOT),
        (SessionKind.MEETING, False, VoteMethod.SECRET_BALLOT),
        (SessionKind.MEETING, True, VoteMethod.SHOW_OF_HANDS),
        (SessionKind.WRITTEN, False, VoteMethod.SHOW_OF_HANDS),
    ],
)
def test_the_ballot_read_as_values_is_judged_as_the_rows_are(
    kind: SessionKind, in_writing_allowed: bool, method: VoteMethod
) -> None:
    """A member's ballot is read as plain values (`voter_on`); every member's refusal, the
    item's way of voting and what the ballot shows are the same as read from the rows."""
    scene = build_scene()
    seat_council(scene, size=9)
    award = award_with(scene, code="CSTDCS", name="Chiến sĩ thi đua cơ sở")
    award.absentees_vote_in_writing = in_writing_allowed
    award.vote_method = method
    session = new_session(
        scene, [accepted(scene, award), accepted(scene, award)], kind=kind, present=6
    )
    status = "present" if kind == SessionKind.MEETING else "writing"
    services.set_attendance(
        session,
        {a.member_id: status for a in session.attendance[:6]}
        | {session.attendance[6].member_id: "writing"},
    )
    services.open_vote(session, actor=scene.secretariat)
    item = session.items[0]
    members = roll(session)
    services.declare_conflict(item, members[1], reason="Người thân")
    if not services.is_show_of_hands(item):
        services.cast_vote(item, members[0], A, today=session.held_on)
    outsider = services.add_member(
        scene.province, UserFactory(), role=CouncilRole.MEMBER, term_start=TERM_START
    )

    judged, day = [], session.held_on
    for member in [*members, outsider]:
        voter = services.voter_on(member.user, session.id, item.id)
        assert voter is not None
        on_roll = voter.member is not None
        assert on_roll == (member in members)
        from_values = (
            services.ballot_refusal(voter.item, voter.member, today=day, roll=voter.roll)
            if voter.member is not None
            else None
        )
        from_rows = services.ballot_refusal(item, member, today=day) if on_roll else None
        assert from_values == from_rows
        assert voter.voted == (on_roll and services.has_voted(item, member))
        judged.append(on_roll and from_values is None)
    shown = voter.item

    assert services.is_show_of_hands(shown) == services.is_show_of_hands(item)
    assert services.votes_in_writing(shown) == services.votes_in_writing(item)
    assert is_open_for_votes(shown) and is_open_for_votes(item)
    assert (shown.id, shown.nomination_id, shown.state) == (item.id, item.nomination_id, item.state)
    assert (shown.session.id, shown.session.title, shown.session.kind, shown.session.state) == (
        session.id,
        session.title,
        session.kind,
        session.state,
    )
    assert (shown.session.ballot_key_id, shown.session.ballot_key_fingerprint) == (
        session.ballot_key_id,
        session.ballot_key_fingerprint,
    )
    assert (
        shown.nomination.nominee_name,
        shown.nomination.award_type.name,
        shown.nomination.nominating_unit.name,
    ) == (
        item.nomination.nominee_name,
        item.nomination.award_type.name,
        item.nomination.nominating_unit.name,
    )
    # Someone on the roll may vote (the present, or the written where allowed); the withdrawn
    # member and whoever is not on the roll may not.
    assert judged[1] is False and judged[-1] is False
    assert True in judged


def test_move_item_swaps_with_its_neighbour() -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    session = new_session(
        scene, [accepted(scene, nominee=new_hamlet(scene, f"Ấp {n}")) for n in "ABC"]
    )
    first, second, third = session.items

    services.move_item(third, up=True)
    services.move_item(first, up=True)  # already first: nothing moves
    services.move_item(first, up=False)
    db.session.expire(session, ["items"])

    assert [(i.position, i.nomination.nominee_name) for i in session.items] == [
        (1, "Ấp C"),
        (2, "Ấp A"),
        (3, "Ấp B"),
    ]
    assert (first.position, second.position, third.position) == (2, 3, 1)


# --- attendance and quorum --------------------------------------------------------------------


def test_set_attendance_records_present_writing_and_absent() -> None:
    scene = build_scene()
    seat_council(scene, size=4)
    session = new_session(scene, [], present=0)
    ids = [a.member_id for a in session.attendance]

    services.set_attendance(
        session, {ids[0]: "present", ids[1]: "writing", ids[2]: "absent", ids[3]: "nonsense"}
    )

    assert [(a.member_id, a.present, a.in_writing) for a in session.attendance] == [
        (ids[0], True, False),
        (ids[1], False, True),
        (ids[2], False, False),
        (ids[3], False, False),
    ]


def test_open_vote_refuses_without_quorum_with_a_clear_message() -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    session = new_session(
        scene, [accepted(scene, nominee=new_hamlet(scene, "Ấp Hòa Thạnh"))], present=5
    )

    with pytest.raises(DomainError) as error:
        services.open_vote(session, actor=scene.secretariat)

    assert (error.value.message, session.state, session.opened_at) == (
        "The quorum is not met: the vote on Ấp Hòa Thạnh needs 2/3 of the 9 members, 5 take "
        "part. Record the attendance and try again: members present count, and members giving "
        "their vote in writing count only where the title's rule lets absent members vote in "
        "writing.",
        "planned",
        None,
    )


def test_open_vote_opens_with_quorum_and_locks_agenda_and_attendance() -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    session = new_session(scene, [accepted(scene), accepted(scene)], present=6)

    services.open_vote(session, actor=scene.secretariat)
    refusals = []
    for change in (
        lambda: services.set_attendance(session, {}),
        lambda: services.move_item(session.items[1], up=True),
        lambda: services.add_to_agenda(session, [accepted(scene)], actor=scene.secretariat),
        lambda: services.open_vote(session, actor=scene.secretariat),
    ):
        with pytest.raises(DomainError) as error:
            change()
        refusals.append(error.value.message)

    assert (session.state, session.opened_at is not None) == ("voting", True)
    assert refusals == ["The agenda and attendance can only change before the vote opens."] * 4
    assert [a.present for a in session.attendance].count(True) == 6


def test_conflicted_members_do_not_count_towards_the_quorum() -> None:
    # 9 members, one excluded on this item: 8 eligible, of whom 2/3 is 5.33 — the 6 present
    # include the excluded member, so only 5 eligible members take part.
    scene = build_scene()
    seats = seat_council(scene, size=9)
    preparer = seats[1].user  # the scene's council member, present
    grant(preparer, Role.NOMINATOR, scene.commune_a)
    nomination = accepted(scene, nominee=new_hamlet(scene, "Ấp Vĩnh Hưng"), actor=preparer)
    session = new_session(scene, [nomination], present=6)

    with pytest.raises(DomainError) as error:
        services.open_vote(session, actor=scene.secretariat)

    assert error.value.message == (
        "The quorum is not met: the vote on Ấp Vĩnh Hưng needs 2/3 of the 8 members, 5 take "
        "part. Record the attendance and try again: members present count, and members giving "
        "their vote in writing count only where the title's rule lets absent members vote in "
        "writing."
    )


def test_an_empty_agenda_cannot_be_opened() -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    session = new_session(scene, [])

    with pytest.raises(DomainError) as error:
        services.open_vote(session, actor=scene.secretariat)

    assert error.value.message == "Put at least one dossier on the agenda first."


# --- casting a vote -----------------------------------------------------------------------------


def test_cast_vote_writes_one_participation_and_one_ballot() -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    session = voting_session(scene, [accepted(scene)])
    item = session.items[0]
    member = seat(session, scene.council_member)

    services.cast_vote(item, member, D)

    assert (participants_of(item), ballots_of(item), services.votes_cast(item)) == (
        [member.id],
        ["disagree"],
        1,
    )


def test_a_second_vote_is_already_voted_and_changes_nothing() -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    session = voting_session(scene, [accepted(scene)])
    item = session.items[0]
    member = seat(session, scene.council_member)
    services.cast_vote(item, member, A)

    refused = []
    for choice in (A, D):
        with pytest.raises(services.AlreadyVoted) as error:
            services.cast_vote(item, member, choice)
        refused.append((error.value.status_code, error.value.message))

    assert refused == [(409, "You have already voted on this item; a cast vote is final.")] * 2
    assert (participants_of(item), ballots_of(item)) == ([member.id], ["agree"])


def test_absent_members_and_non_members_cannot_vote() -> None:
    scene = build_scene()
    seats = seat_council(scene, size=9)
    session = voting_session(scene, [accepted(scene)], present=8)
    item = session.items[0]
    absent = session.attendance[8].member
    province_seat = services.add_member(
        scene.province,
        UserFactory(full_name="Tô Văn Tỉnh"),
        role=CouncilRole.MEMBER,
        term_start=TERM_START,
    )

    messages = []
    for member in (absent, province_seat):
        with pytest.raises(NotAllowed) as error:
            services.cast_vote(item, member, A)
        messages.append(error.value.message)

    assert absent.id in {s.id for s in seats}
    assert messages == [
        "You are recorded as absent from this meeting: absent members do not vote at the "
        "meeting. The secretariat can record you as voting in writing before the vote opens.",
        "You are not on this session's roll of voting members.",
    ]
    assert (participants_of(item), ballots_of(item)) == ([], [])


def test_abstaining_is_refused_unless_the_title_allows_it() -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    may_abstain = award_with(
        scene, code="TTLDTT", name="Tập thể lao động tiên tiến", abstain_allowed=True
    )
    session = voting_session(scene, [accepted(scene), accepted(scene, may_abstain)])
    strict, lenient = sorted(session.items, key=lambda i: i.nomination.award_type.abstain_allowed)
    member = seat(session, scene.council_member)

    with pytest.raises(DomainError) as error:
        services.cast_vote(strict, member, X)
    services.cast_vote(lenient, member, X)

    assert error.value.message == "Abstaining is not allowed for this title."
    assert (ballots_of(strict), participants_of(strict)) == ([], [])
    assert (ballots_of(lenient), participants_of(lenient)) == (["abstain"], [member.id])


def test_no_vote_before_the_vote_opens() -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    session = new_session(scene, [accepted(scene)])

    with pytest.raises(InvalidTransition) as error:
        services.cast_vote(session.items[0], seat(session, scene.council_member), A)

    assert (error.value.status_code, error.value.message) == (
        409,
        "The vote on this item is not open.",
    )


# --- show of hands ------------------------------------------------------------------------------


def hands_scene(*, abstain_allowed: bool = False, kind: SessionKind = SessionKind.MEETING):  # type: ignore[no-untyped-def]
    scene = build_scene()
    seat_council(scene, size=9)
    award = award_with(
        scene,
        code="GK",
        name="Giấy khen",
        method=VoteMethod.SHOW_OF_HANDS,
        abstain_allowed=abstain_allowed,
    )
    session = voting_session(scene, [accepted(scene, award)], kind=kind, present=8)
    return scene, session, session.items[0]


def test_show_of_hands_takes_the_secretarys_counts() -> None:
    _scene, _session, item = hands_scene(abstain_allowed=True)

    services.record_hands(item, agree=5, disagree=2, abstain=1)
    services.record_hands(item, agree=6, disagree=1, abstain=1)  # corrected before closing

    assert (item.hands_agree, item.hands_disagree, item.hands_abstain) == (6, 1, 1)
    assert services.counts_for(item) == rules.Counts(
        members=9, participants=8, agree=6, disagree=1, abstain=1
    )


@pytest.mark.parametrize(
    ("agree", "disagree", "abstain"), [(9, 0, 0), (5, 2, 2), (8, 1, 0), (-1, 0, 0), (3, -2, 0)]
)
def test_show_of_hands_counts_add_up_to_at_most_the_participants(
    agree: int, disagree: int, abstain: int
) -> None:
    _scene, _session, item = hands_scene(abstain_allowed=True)

    with pytest.raises(DomainError) as error:
        services.record_hands(item, agree=agree, disagree=disagree, abstain=abstain)

    assert (error.value.message, item.hands_agree) == (
        "The counts must add up to at most the 8 members taking part.",
        None,
    )


def test_show_of_hands_with_no_hand_counted_is_refused() -> None:
    # 0 / 0 / 0 with nine present was saved, and the close failed the dossier on it.
    _scene, _session, item = hands_scene(abstain_allowed=True)

    with pytest.raises(DomainError) as error:
        services.record_hands(item, agree=0, disagree=0, abstain=0)

    assert (error.value.message, item.hands_agree) == (
        "No hand is counted: enter how many members voted each way.",
        None,
    )


def test_show_of_hands_abstentions_are_refused_unless_the_title_allows_them() -> None:
    # Otherwise the close would meet counts the rule refuses (a ValueError, a 500).
    scene, session, item = hands_scene(abstain_allowed=False)

    with pytest.raises(DomainError) as error:
        services.record_hands(item, agree=6, disagree=1, abstain=1)
    services.record_hands(item, agree=6, disagree=2, abstain=0)
    services.close_vote(session, actor=scene.chair, chair_approved=False)

    assert error.value.message == "Abstaining is not allowed for this title."
    assert frozen(item) == ("passed", 9, 8, 6, 2, 0, 8, 6, "passed")


def test_a_show_of_hands_item_refuses_ballots_and_a_ballot_item_refuses_hands() -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    hands_award = award_with(scene, code="GK", name="Giấy khen", method=VoteMethod.SHOW_OF_HANDS)
    session = voting_session(scene, [accepted(scene), accepted(scene, hands_award)])
    ballot_item, hands_item = sorted(session.items, key=services.is_show_of_hands)
    member = seat(session, scene.council_member)

    with pytest.raises(DomainError) as no_ballot:
        services.cast_vote(hands_item, member, A)
    with pytest.raises(DomainError) as no_hands:
        services.record_hands(ballot_item, agree=1, disagree=0, abstain=0)

    assert (no_ballot.value.message, no_hands.value.message) == (
        "This item is decided by a show of hands counted by the secretary.",
        "This item is voted by ballot, not by a show of hands.",
    )
    assert (participants_of(hands_item), ballots_of(hands_item)) == ([], [])


def test_a_written_consultation_votes_by_ballot_even_where_the_title_says_show_of_hands() -> None:
    _scene, session, item = hands_scene(kind=SessionKind.WRITTEN)
    member = session.attendance[0].member

    services.cast_vote(item, member, A, today=session.held_on)

    assert (services.is_show_of_hands(item), ballots_of(item)) == (False, ["agree"])


def test_a_conflict_declared_after_the_hands_were_counted_is_refused() -> None:
    # The counts entered include every member present; excluding one afterwards would leave
    # more votes than participants, which the close cannot count.
    scene, session, item = hands_scene()
    services.record_hands(item, agree=8, disagree=0, abstain=0)
    member = session.attendance[0].member

    with pytest.raises(DomainError):
        services.declare_conflict(item, member, reason="")
    services.close_vote(session, actor=scene.chair, chair_approved=False)

    assert (item.conflicts, frozen(item)[:4]) == ([], ("passed", 9, 8, 8))


# --- closing ------------------------------------------------------------------------------------


def test_close_vote_freezes_the_counts_and_moves_each_dossier_through_the_workflow() -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    hands_award = award_with(scene, code="GK", name="Giấy khen", method=VoteMethod.SHOW_OF_HANDS)
    high = award_with(
        scene, code="CSTD", name="Cờ thi đua", threshold=Decimal(90), base=VoteBase.ALL_MEMBERS
    )
    passing = accepted(scene, nominee=new_hamlet(scene, "Ấp A"))
    failing = accepted(scene, nominee=new_hamlet(scene, "Ấp B"))
    by_hands = accepted(scene, hands_award, nominee=new_hamlet(scene, "Ấp C"))
    all_members = accepted(scene, high, nominee=new_hamlet(scene, "Ấp D"))
    session = voting_session(scene, [passing, failing, by_hands, all_members], present=8)
    items = {i.nomination.nominee_name: i for i in session.items}
    voters = [a.member for a in session.attendance if a.present]
    vote_all(items["Ấp A"], [A] * 6 + [D] * 2, voters)
    vote_all(items["Ấp B"], [A] * 5 + [D] * 2, voters)  # one present member did not vote
    services.record_hands(items["Ấp C"], agree=7, disagree=1, abstain=0)
    vote_all(items["Ấp D"], [A] * 8, voters)  # 8 of 9 members: below 90 % of all members

    services.close_vote(session, actor=scene.chair, chair_approved=False)

    assert {name: frozen(item) for name, item in items.items()} == {
        "Ấp A": ("passed", 9, 8, 6, 2, 0, 8, 6, "passed"),
        "Ấp B": ("failed", 9, 8, 5, 2, 0, 8, 6, "below_threshold"),
        "Ấp C": ("passed", 9, 8, 7, 1, 0, 8, 6, "passed"),
        "Ấp D": ("failed", 9, 8, 8, 0, 0, 9, 9, "below_threshold"),
    }
    assert [
        (n.state, [(e.action, e.from_state, e.to_state, e.comment) for e in events_of(n)][-1])
        for n in (passing, failing, by_hands, all_members)
    ] == [
        (
            "passed",
            ("close_vote", "on_agenda", "passed", close_comment(6, 2, 0, 6, 8)),
        ),
        (
            "failed",
            ("close_vote", "on_agenda", "failed", close_comment(5, 2, 0, 6, 8)),
        ),
        (
            "passed",
            ("close_vote", "on_agenda", "passed", close_comment(7, 1, 0, 6, 8)),
        ),
        (
            "failed",
            ("close_vote", "on_agenda", "failed", close_comment(8, 0, 0, 9, 9)),
        ),
    ]
    assert (
        session.state,
        session.closed_at is not None,
        session.closed_by_id,
        session.chair_approved,
    ) == ("closed", True, scene.chair.id, False)


@pytest.mark.parametrize(
    ("chair_approved", "expected"),
    [(True, ("passed", "passed")), (False, ("failed", "chair_not_approved"))],
)
def test_a_title_the_chair_must_approve(chair_approved: bool, expected: tuple[str, str]) -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    award = award_with(scene, code="BK", name="Bằng khen", chair_must_approve=True)
    nomination = accepted(scene, award)
    session = voting_session(scene, [nomination])
    item = session.items[0]
    vote_all(item, [A] * 9, roll(session))
    if chair_approved:
        services.approve_as_chair(session, actor=scene.chair)

    services.close_vote(session, actor=scene.secretariat)

    assert (item.outcome, item.reason, nomination.state) == (*expected, expected[0])
    assert (session.chair_approved, session.chair_approved_by_id) == (
        chair_approved,
        scene.chair.id if chair_approved else None,
    )


def test_a_closed_session_refuses_votes_hands_and_a_second_close() -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    hands_award = award_with(scene, code="GK", name="Giấy khen", method=VoteMethod.SHOW_OF_HANDS)
    session = voting_session(scene, [accepted(scene), accepted(scene, hands_award)])
    ballot_item, hands_item = sorted(session.items, key=services.is_show_of_hands)
    services.record_hands(hands_item, agree=5, disagree=4, abstain=0)
    services.close_vote(session, actor=scene.secretariat, chair_approved=False)
    before = (frozen(ballot_item), frozen(hands_item))

    with pytest.raises(InvalidTransition) as vote:
        services.cast_vote(ballot_item, seat(session, scene.council_member), A)
    with pytest.raises(DomainError) as hands:
        services.record_hands(hands_item, agree=9, disagree=0, abstain=0)
    with pytest.raises(InvalidTransition) as close:
        services.close_vote(session, actor=scene.chair, chair_approved=True)
    with pytest.raises(DomainError) as conflict:
        services.declare_conflict(ballot_item, seat(session, scene.council_member), reason="")

    assert [e.value.message for e in (vote, hands, close, conflict)] == [
        "The vote on this item is not open.",
        "The vote on this item is not open.",
        "The vote of this session is not open.",
        "The vote on this item is closed.",
    ]
    assert (vote.value.status_code, close.value.status_code) == (409, 409)
    assert (frozen(ballot_item), frozen(hands_item)) == before
    assert (participants_of(ballot_item), ballots_of(ballot_item)) == ([], [])


def test_closing_with_nobody_voting_fails_every_item_and_explains_why() -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    nomination = accepted(scene)
    session = voting_session(scene, [nomination])

    services.close_vote(session, actor=scene.secretariat, chair_approved=False)

    assert (frozen(session.items[0]), nomination.state) == (
        ("failed", 9, 9, 0, 0, 0, 9, 7, "below_threshold"),
        "failed",
    )


def test_the_vote_does_not_close_while_a_show_of_hands_waits_for_its_counts() -> None:
    scene, session, item = hands_scene()
    before = (session.state, item.state, item.nomination.state)

    with pytest.raises(DomainError) as refused:
        services.close_vote(session, actor=scene.chair, chair_approved=False)

    assert refused.value.message == (
        f"Enter the counts of the show of hands first: {item.nomination.nominee_name}. An item "
        "without its counts would be closed as if no hand had been raised."
    )
    assert (session.state, item.state, item.nomination.state) == before
    assert SESSION_LIFE.refusal(session, SessionAction.CLOSE) == refused.value.message

    services.record_hands(item, agree=6, disagree=2, abstain=0)
    services.close_vote(session, actor=scene.chair, chair_approved=False)

    assert (session.state, item.nomination.state) == ("closed", "passed")


def test_attendance_rows_are_per_session() -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    first = new_session(scene, [], present=3)
    second = new_session(scene, [], present=0)

    rows = db.session.scalars(select(Attendance).order_by(Attendance.session_id, Attendance.id))

    assert [(r.session_id, r.present) for r in rows] == [(first.id, True)] * 3 + [
        (second.id, False)
    ] * 3
    assert (first.state, second.state) == (SessionState.PLANNED.value, "planned")


def test_units_below_a_commune_make_no_difference_to_other_communes() -> None:
    # A nominator of a hamlet of commune B is not in conflict on a dossier from commune A.
    scene = build_scene()
    seats = seat_council(scene, size=3)
    hamlet_b = UnitFactory(name="Ấp Vĩnh An", kind=UnitKind.HAMLET, parent=scene.commune_b)
    grant(seats[2].user, Role.NOMINATOR, hamlet_b)

    session = new_session(scene, [accepted(scene)])

    assert session.items[0].conflicts == []


# --- absent members vote in writing where the title's rule provides it --------------------------


@pytest.mark.parametrize("in_writing_allowed", [True, False])
def test_absentees_vote_in_writing_only_where_the_title_provides_it(
    in_writing_allowed: bool,
) -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    award = award_with(scene, code="CSTDCS", name="Chiến sĩ thi đua cơ sở")
    award.absentees_vote_in_writing = in_writing_allowed
    session = new_session(scene, [accepted(scene, award)], present=8)
    writer = session.attendance[8].member
    services.set_attendance(
        session,
        {a.member_id: "present" for a in session.attendance[:8]} | {writer.id: "writing"},
    )
    services.open_vote(session, actor=scene.secretariat)
    item = session.items[0]
    vote_all(item, [A] * 8, [a.member for a in session.attendance[:8]])

    if in_writing_allowed:
        services.cast_vote(item, writer, D, today=session.held_on)
    else:
        with pytest.raises(NotAllowed) as error:
            services.cast_vote(item, writer, D, today=session.held_on)
        assert error.value.message == (
            "You are recorded as absent from the meeting, and this title's rule does not let "
            "absent members vote in writing."
        )
    services.close_vote(session, actor=scene.chair)

    assert (item.participants_count, item.written_count, item.agree_count) == (
        (9, 1, 8) if in_writing_allowed else (8, 0, 8)
    )
    assert item.disagree_count == (1 if in_writing_allowed else 0)


def test_a_written_vote_after_the_consultation_closed_is_refused() -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    session = voting_session(scene, [accepted(scene)], kind=SessionKind.WRITTEN)
    member = session.attendance[0].member
    closes_on = session.consultation_closes_on
    assert closes_on is not None

    with pytest.raises(NotAllowed) as error:
        services.cast_vote(
            session.items[0], member, A, today=date.fromordinal(closes_on.toordinal() + 1)
        )

    assert error.value.message == (
        "The written consultation closed on 10/07/2025; written votes are no longer accepted."
    )
    assert participants_of(session.items[0]) == []


def test_a_close_that_is_rolled_back_keeps_the_key_and_the_vote_stays_countable(
    app: Flask,
) -> None:
    from pathlib import Path

    scene = build_scene()
    seat_council(scene, size=9)
    session = voting_session(scene, [accepted(scene)])
    item = session.items[0]
    vote_all(item, [A] * 9, roll(session))
    keys = sorted(Path(app.config["BALLOT_KEY_DIR"]).glob(f"session-{session.id}-*.key"))

    with db.session.begin_nested() as attempt:
        services.close_vote(session, actor=scene.chair)
        attempt.rollback()
    db.session.expire_all()
    still_there = sorted(Path(app.config["BALLOT_KEY_DIR"]).glob(f"session-{session.id}-*.key"))
    services.close_vote(session, actor=scene.chair)

    assert (len(keys), still_there == keys) == (1, True)
    assert (item.outcome, item.agree_count) == ("passed", 9)


# --- the title's voting rule while a vote on it is open --------------------------------------


def _title_data(award, **changes):  # type: ignore[no-untyped-def]
    from recognition.campaigns.services import AwardTypeData

    fields = {name: getattr(award, name) for name in AwardTypeData.__dataclass_fields__}
    return AwardTypeData(**{**fields, **changes})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("vote_method", VoteMethod.SHOW_OF_HANDS),
        ("vote_threshold_percent", Decimal("1")),
        ("quorum_numerator", 1),
        ("abstain_allowed", True),
        ("absentees_vote_in_writing", False),
        ("chair_must_approve", True),
    ],
)
def test_a_title_s_voting_rule_cannot_change_while_a_vote_on_it_is_open(
    field: str, value: object
) -> None:
    from recognition.campaigns.services import save_award_type

    scene = build_scene()
    seat_council(scene, size=9)
    session = voting_session(scene, [accepted(scene)])
    award = session.items[0].nomination.award_type
    before = getattr(award, field)

    with pytest.raises(DomainError) as refused, db.session.begin_nested():
        save_award_type(
            award, _title_data(award, **{field: value}), awarding_body=award.awarding_body
        )
    db.session.expire_all()

    assert (refused.value.field, getattr(award, field)) == (field, before)
    assert refused.value.message == (
        f"This title is being voted on in “{session.title}”: its voting rule cannot change "
        "until that vote is closed."
    )


def test_a_title_s_voting_rule_changes_before_the_vote_opens_and_after_it_closes() -> None:
    from recognition.campaigns.services import save_award_type

    scene = build_scene()
    seat_council(scene, size=9)
    planned = new_session(scene, [accepted(scene)])
    award = planned.items[0].nomination.award_type
    save_award_type(
        award, _title_data(award, abstain_allowed=True), awarding_body=award.awarding_body
    )
    session = voting_session(scene, [accepted(scene, award)])
    vote_all(session.items[0], [A] * 9, roll(session))
    services.close_vote(session, actor=scene.chair)
    save_award_type(
        award, _title_data(award, quorum_numerator=1), awarding_body=award.awarding_body
    )
    # Other fields change while the vote is open.
    third = voting_session(scene, [accepted(scene, award)])
    save_award_type(
        award, _title_data(award, name="Giấy khen mới"), awarding_body=award.awarding_body
    )

    assert (award.abstain_allowed, award.quorum_numerator, award.name) == (
        True,
        1,
        "Giấy khen mới",
    )
    assert third.state == SessionState.VOTING


def test_ballots_cast_on_an_item_now_counted_by_hands_stop_the_close_and_the_key_goes_at_the_close(
    app: Flask,
) -> None:
    from pathlib import Path

    scene = build_scene()
    seat_council(scene, size=9)
    session = voting_session(scene, [accepted(scene)])
    item = session.items[0]
    vote_all(item, [D] * 4, roll(session)[:4])
    # As a rule changed during the vote before titles were held still would have left it.
    db.session.execute(
        AwardType.__table__.update()  # type: ignore[attr-defined]
        .where(AwardType.id == item.nomination.award_type_id)
        .values(vote_method=VoteMethod.SHOW_OF_HANDS.value)
    )
    db.session.expire_all()
    key_dir = Path(app.config["BALLOT_KEY_DIR"])

    with pytest.raises(DomainError) as refused:
        services.close_vote(session, actor=scene.chair)

    assert refused.value.message == (
        f"Members have voted by secret ballot on {item.nomination.nominee_name}, which is now "
        "counted by a show of hands; the vote cannot be counted."
    )
    assert len(list(key_dir.glob(f"session-{session.id}-*.key"))) == 1


def test_a_vote_with_only_hands_destroys_its_key_at_the_close(app: Flask) -> None:
    from pathlib import Path

    scene, session, item = hands_scene()
    services.record_hands(item, agree=8, disagree=0, abstain=0)
    key_dir = Path(app.config["BALLOT_KEY_DIR"])
    before = list(key_dir.glob(f"session-{session.id}-*.key"))

    services.close_vote(session, actor=scene.chair)
    db.session.commit()

    assert (len(before), list(key_dir.glob(f"session-{session.id}-*.key"))) == (1, [])
