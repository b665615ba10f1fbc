"""Holding a dossier while its nominee is under discipline, inspection or complaint review
(NĐ 152/2025/NĐ-CP art. 4): who may, what is recorded and told, what a hold blocks and what it
leaves alone, and the pages that show it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from recognition.council.models import AgendaItem
from recognition.decisions.enums import DecisionAction
from recognition.decisions.services import draft_decision
from recognition.decisions.workflow import LIFECYCLE as DECISION_LIFE
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.nominations.enums import Action, HoldKind, NominationState
from recognition.nominations.holds import hold_nomination, release_hold
from recognition.nominations.models import Nomination
from recognition.nominations.services import Report, update_nomination
from recognition.nominations.workflow import apply_transition, available_actions
from recognition.notifications.models import Notification
from tests.workflow.helpers import (
    INSIDE,
    Scene,
    build_scene,
    dossier_in,
    events_of,
    flashes,
    offered_actions,
    open_around_today,
    unescape,
)

pytestmark = pytest.mark.integration

S = NominationState
REASON = "Thông báo thanh tra số 12/TB-TTr ngày 01/6/2025"
HELD = (
    "The dossier of {name} is held since {date} (Under inspection or investigation: "
    + REASON
    + "). It cannot be accepted, passed, put on a council agenda or included in a decision "
    "until the secretariat lifts the hold."
)


@pytest.fixture
def _in_request(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture
def scene() -> Scene:
    return build_scene()


def held(scene: Scene, state: NominationState) -> Nomination:
    nomination = dossier_in(scene, state)
    hold_nomination(nomination, kind=HoldKind.INSPECTION, reason=REASON, actor=scene.secretariat)
    return nomination


def held_message(nomination: Nomination) -> str:
    assert nomination.held_at is not None
    local = nomination.held_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    return HELD.format(name=nomination.nominee_name, date=local.strftime("%d/%m/%Y"))


def refused(nomination: Nomination, action: Action, actor, **kwargs) -> str:  # type: ignore[no-untyped-def]
    before = (nomination.state, len(events_of(nomination)))
    kwargs.setdefault("today", INSIDE)
    with pytest.raises(DomainError) as error:
        apply_transition(nomination, action, actor=actor, **kwargs)
    assert type(error.value) is DomainError
    assert (nomination.state, len(events_of(nomination))) == before
    return error.value.message


# --- setting and lifting ---------------------------------------------------------------------


@pytest.mark.usefixtures("_in_request")
def test_a_hold_is_recorded_on_the_dossier_in_the_audit_log_and_told_to_the_nominator(
    scene: Scene,
) -> None:
    nomination = dossier_in(scene, S.IN_REVIEW)
    version = nomination.version

    event = hold_nomination(
        nomination, kind=HoldKind.DISCIPLINE, reason=f"  {REASON} ", actor=scene.secretariat
    )

    notices = db.session.scalars(
        select(Notification).where(Notification.user_id == scene.nominator.id)
    ).all()
    assert (
        nomination.state,
        nomination.hold_kind,
        nomination.hold_reason,
        nomination.held_by_id,
        nomination.held_at is not None,
        nomination.version,
    ) == (S.IN_REVIEW, HoldKind.DISCIPLINE, REASON, scene.secretariat.id, True, version + 1)
    assert (
        event.action,
        event.from_state,
        event.to_state,
        event.comment,
        event.actor_id,
        event.version,
    ) == ("hold", "in_review", "in_review", REASON, scene.secretariat.id, nomination.version)
    assert [n.text for n in notices][-1] == (
        f"The dossier of {nomination.nominee_name} (Tập thể tiêu biểu) is held: Under "
        f"disciplinary review. Reason: {REASON}"
    )


@pytest.mark.usefixtures("_in_request")
def test_lifting_the_hold_clears_it_records_the_reason_and_tells_the_nominator(
    scene: Scene,
) -> None:
    nomination = held(scene, S.ACCEPTED)

    event = release_hold(
        nomination, reason="Kết luận thanh tra: không vi phạm", actor=scene.secretariat
    )

    last = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == scene.nominator.id)
        .order_by(Notification.id.desc())
    ).first()
    assert (
        nomination.hold_kind,
        nomination.hold_reason,
        nomination.held_at,
        nomination.held_by_id,
    ) == (None, None, None, None)
    assert (event.action, event.from_state, event.to_state, event.comment) == (
        "release",
        "accepted",
        "accepted",
        "Kết luận thanh tra: không vi phạm",
    )
    assert [e.action for e in events_of(nomination)][-2:] == ["hold", "release"]
    assert last is not None and last.text == (
        f"The hold on the dossier of {nomination.nominee_name} (Tập thể tiêu biểu) has been "
        "lifted. Reason: Kết luận thanh tra: không vi phạm"
    )


@pytest.mark.usefixtures("_in_request")
@pytest.mark.parametrize(
    "role", ["nominator", "other_secretariat", "council_member", "chair", "admin"]
)
def test_only_the_awarding_bodys_secretariat_may_hold(scene: Scene, role: str) -> None:
    nomination = dossier_in(scene, S.SUBMITTED)

    with pytest.raises(NotAllowed):
        hold_nomination(nomination, kind=HoldKind.COMPLAINT, reason=REASON, actor=scene.users[role])

    assert (nomination.hold_kind, [e.action for e in events_of(nomination)]) == (
        None,
        ["submit"],
    )


@pytest.mark.usefixtures("_in_request")
def test_a_hold_needs_a_reason_and_is_not_set_twice(scene: Scene) -> None:
    nomination = dossier_in(scene, S.SUBMITTED)
    with pytest.raises(DomainError) as blank:
        hold_nomination(nomination, kind=HoldKind.COMPLAINT, reason=" \n ", actor=scene.secretariat)
    hold_nomination(nomination, kind=HoldKind.COMPLAINT, reason=REASON, actor=scene.secretariat)
    with pytest.raises(InvalidTransition) as twice:
        hold_nomination(nomination, kind=HoldKind.COMPLAINT, reason=REASON, actor=scene.secretariat)

    assert (blank.value.message, blank.value.field, twice.value.message) == (
        "Please give a reason.",
        "reason",
        "This dossier is already held.",
    )


@pytest.mark.usefixtures("_in_request")
@pytest.mark.parametrize("state", [S.DRAFT, S.REJECTED, S.AWARDED, S.WITHDRAWN])
def test_a_dossier_not_in_processing_cannot_be_held(scene: Scene, state: NominationState) -> None:
    nomination = dossier_in(scene, state)

    with pytest.raises(InvalidTransition):
        hold_nomination(nomination, kind=HoldKind.COMPLAINT, reason=REASON, actor=scene.secretariat)

    assert nomination.hold_kind is None


@pytest.mark.usefixtures("_in_request")
def test_releasing_a_dossier_that_is_not_held_is_refused(scene: Scene) -> None:
    nomination = dossier_in(scene, S.SUBMITTED)

    with pytest.raises(InvalidTransition) as error:
        release_hold(nomination, reason="x", actor=scene.secretariat)

    assert error.value.message == "This dossier is not held."


@pytest.mark.usefixtures("_in_request")
def test_the_database_keeps_a_holds_kind_time_and_author_together(scene: Scene) -> None:
    nomination = dossier_in(scene, S.SUBMITTED)
    nomination.hold_kind = HoldKind.INSPECTION  # without its time and author

    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.flush()


# --- what a hold blocks, and what it leaves alone ---------------------------------------------


@pytest.mark.usefixtures("_in_request")
def test_a_held_dossier_is_not_accepted_and_the_page_does_not_offer_it(scene: Scene) -> None:
    nomination = held(scene, S.IN_REVIEW)

    message = refused(nomination, Action.ACCEPT, scene.secretariat)

    assert message == held_message(nomination)
    assert set(available_actions(scene.secretariat, nomination)) == {
        Action.SEND_BACK,
        Action.REJECT,
    }


@pytest.mark.usefixtures("_in_request")
def test_a_held_dossier_can_still_be_sent_back_edited_and_resubmitted(scene: Scene) -> None:
    nomination = held(scene, S.IN_REVIEW)

    apply_transition(nomination, Action.SEND_BACK, actor=scene.secretariat, comment="Bổ sung")
    changed = update_nomination(
        nomination, Report(summary="Bổ sung minh chứng"), {}, actor=scene.nominator
    )
    apply_transition(nomination, Action.RESUBMIT, actor=scene.nominator, today=INSIDE)

    assert (nomination.state, changed, nomination.hold_kind) == (
        S.SUBMITTED,
        ["summary"],
        HoldKind.INSPECTION,
    )


@pytest.mark.usefixtures("_in_request")
def test_a_held_dossier_is_not_put_on_an_agenda_nor_passed_simply(scene: Scene) -> None:
    nomination = held(scene, S.ACCEPTED)

    found = (
        refused(nomination, Action.SCHEDULE, scene.secretariat),
        refused(nomination, Action.PASS_SIMPLIFIED, scene.chair),
        available_actions(scene.chair, nomination),
    )

    assert found == (held_message(nomination), held_message(nomination), [])


@pytest.mark.usefixtures("_in_request")
def test_closing_the_vote_may_fail_a_held_dossier_but_never_pass_it(scene: Scene) -> None:
    passing = held(scene, S.ON_AGENDA)
    failing = held(scene, S.ON_AGENDA)

    message = refused(passing, Action.CLOSE_VOTE, scene.chair, outcome=S.PASSED)
    apply_transition(failing, Action.CLOSE_VOTE, actor=scene.chair, outcome=S.FAILED)

    assert (message, failing.state) == (held_message(passing), S.FAILED)


@pytest.mark.usefixtures("_in_request")
def test_a_held_dossier_is_not_awarded_nor_drafted_into_a_decision(scene: Scene) -> None:
    nomination = held(scene, S.PASSED)

    award = refused(nomination, Action.AWARD, scene.chair)
    with pytest.raises(DomainError) as drafting:
        draft_decision(scene.body, [nomination], actor=scene.secretariat)

    assert (award, drafting.value.message) == (held_message(nomination), held_message(nomination))


@pytest.mark.usefixtures("_in_request")
def test_a_decision_is_not_issued_while_one_of_its_dossiers_is_held(scene: Scene) -> None:
    nomination = dossier_in(scene, S.PASSED)
    decision = draft_decision(scene.body, [nomination], actor=scene.secretariat)
    hold_nomination(nomination, kind=HoldKind.INSPECTION, reason=REASON, actor=scene.secretariat)

    while_held = DECISION_LIFE.refusal(decision, DecisionAction.ISSUE, today=INSIDE)
    message = held_message(nomination)
    release_hold(nomination, reason="Đã có kết luận", actor=scene.secretariat)
    after = DECISION_LIFE.refusal(decision, DecisionAction.ISSUE, today=INSIDE)

    assert (while_held, after) == (message, None)


@pytest.mark.usefixtures("_in_request")
def test_after_the_hold_is_lifted_the_dossier_is_accepted(scene: Scene) -> None:
    nomination = held(scene, S.IN_REVIEW)

    release_hold(nomination, reason="Đã có kết luận", actor=scene.secretariat)
    apply_transition(nomination, Action.ACCEPT, actor=scene.secretariat, today=INSIDE)

    assert nomination.state == S.ACCEPTED


# --- the pages -------------------------------------------------------------------------------


def hold_forms(html: str, nomination_id: int) -> set[str]:
    return set(re.findall(rf'action="/nominations/{nomination_id}/(hold|release)"', html))


def test_the_secretariat_holds_and_releases_through_the_dossier_page(as_user, client) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene(**open_around_today())
    with force_locale("en"):
        nomination = dossier_in(scene, S.IN_REVIEW)
    db.session.commit()
    as_user(scene.secretariat)
    url = f"/nominations/{nomination.id}"

    before = client.get(url).get_data(as_text=True)
    done = client.post_form(
        url + "/hold", {"kind": "complaint", "reason": REASON, "version": nomination.version}
    )
    during = client.get(url).get_data(as_text=True)
    db.session.expire_all()
    released = client.post_form(
        url + "/release", {"reason": "Đã giải quyết khiếu nại", "version": nomination.version}
    )
    after = client.get(url).get_data(as_text=True)

    assert (hold_forms(before, nomination.id), offered_actions(before, nomination.id)) == (
        {"hold"},
        {"send_back", "accept", "reject"},
    )
    assert (done.status_code, released.status_code) == (302, 302)
    assert flashes(during) == [("success", "The dossier is held. The nominators have been told.")]
    assert (hold_forms(during, nomination.id), offered_actions(during, nomination.id)) == (
        {"release"},
        {"send_back", "reject"},
    )
    assert "Held: Under review of a complaint or denunciation" in unescape(during)
    assert REASON in unescape(during)
    assert (hold_forms(after, nomination.id), "Held:" in after) == ({"hold"}, False)


def test_a_hold_without_a_reason_keeps_what_was_typed(as_user, client) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene(**open_around_today())
    with force_locale("en"):
        nomination = dossier_in(scene, S.SUBMITTED)
    db.session.commit()
    as_user(scene.secretariat)

    response = client.post_form(
        f"/nominations/{nomination.id}/hold",
        {"kind": "discipline", "reason": "", "version": nomination.version},
    )

    page = response.get_data(as_text=True)
    db.session.expire_all()
    assert response.status_code == 400
    assert re.search(r'<option selected value="discipline">', page) is not None
    assert "This field is required." in page
    assert nomination.hold_kind is None


def hold_disclosure(html: str) -> str:
    found = re.search(r'<details[^>]*id="hold"[^>]*>.*?</details>', html, re.S)
    assert found, "no hold disclosure"
    return found.group(0)


def test_the_hold_form_is_closed_and_chooses_no_reason_beforehand(as_user, client) -> None:  # type: ignore[no-untyped-def]
    # An open form with "Under disciplinary review" chosen read as a fact about the nominee.
    scene = build_scene(**open_around_today())
    with force_locale("en"):
        nomination = dossier_in(scene, S.IN_REVIEW)
    db.session.commit()
    as_user(scene.secretariat)

    block = hold_disclosure(client.get(f"/nominations/{nomination.id}").get_data(as_text=True))

    opening = block.split(">", 1)[0]
    assert " open" not in opening
    assert unescape(re.search(r"<summary>(.*?)</summary>", block, re.S).group(1)) == (  # type: ignore[union-attr]
        "Hold the dossier…"
    )
    options = re.findall(r'<option([^>]*)value="([^"]*)"([^>]*)>([^<]*)</option>', block)
    assert [(value, unescape(label)) for _, value, _, label in options][:2] == [
        ("", "— choose a reason —"),
        ("discipline", "Under disciplinary review"),
    ]
    assert [value for before, value, after, _ in options if "selected" in before + after] in (
        [],
        [""],
    )


def test_a_hold_without_a_chosen_reason_says_so_beside_the_choice(as_user, client) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene(**open_around_today())
    with force_locale("en"):
        nomination = dossier_in(scene, S.SUBMITTED)
    db.session.commit()
    as_user(scene.secretariat)

    response = client.post_form(
        f"/nominations/{nomination.id}/hold",
        {"kind": "", "reason": REASON, "version": nomination.version},
    )

    page = response.get_data(as_text=True)
    error = re.search(r'id="kind-error">(.*?)</div>', page, re.S)
    db.session.expire_all()
    assert response.status_code == 400
    assert " open" in hold_disclosure(page).split(">", 1)[0]  # shown open with the error
    assert error is not None and unescape(error.group(1)) == "Choose the reason for the hold."
    assert REASON in unescape(page)  # the reason typed is kept
    assert db.session.get(Nomination, nomination.id).hold_kind is None


@pytest.mark.parametrize("role", ["nominator", "chair", "council_member"])
def test_only_the_secretariat_may_post_a_hold(as_user, client, role: str) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene(**open_around_today())
    with force_locale("en"):
        nomination = dossier_in(scene, S.ON_AGENDA)
    db.session.commit()
    as_user(scene.users[role])

    response = client.post_form(
        f"/nominations/{nomination.id}/hold",
        {"kind": "discipline", "reason": REASON, "version": nomination.version},
    )

    db.session.expire_all()
    assert (response.status_code, nomination.hold_kind) == (403, None)


def test_every_page_that_acts_on_a_held_dossier_shows_the_hold(as_user, client) -> None:  # type: ignore[no-untyped-def]
    scene = build_scene(**open_around_today())
    with force_locale("en"):
        in_review = dossier_in(scene, S.IN_REVIEW)
        accepted = dossier_in(scene, S.ACCEPTED)
        on_agenda = dossier_in(scene, S.ON_AGENDA)
        passed = dossier_in(scene, S.PASSED)
        for nomination in (in_review, accepted, on_agenda, passed):
            hold_nomination(
                nomination, kind=HoldKind.INSPECTION, reason=REASON, actor=scene.secretariat
            )
    session_id = db.session.scalar(
        select(AgendaItem.session_id).where(AgendaItem.nomination_id == on_agenda.id)
    )
    db.session.commit()
    as_user(scene.secretariat)

    pages = {
        "appraisal": client.get(f"/review/{in_review.id}"),
        "inbox": client.get("/review/"),
        "session": client.get(f"/council/sessions/{session_id}"),
        "decisions": client.get("/decisions/"),
    }

    found = {
        name: (page.status_code, unescape(page.get_data(as_text=True)).count(REASON))
        for name, page in pages.items()
    }
    # The session shows its held item and the held accepted dossier it cannot take.
    assert found == {
        "appraisal": (200, 1),
        "inbox": (200, 1),
        "session": (200, 2),
        "decisions": (200, 1),
    }
    assert f'name="nomination_id" value="{accepted.id}"' not in pages["session"].get_data(
        as_text=True
    )
    assert f'name="nomination_id" value="{passed.id}"' not in pages["decisions"].get_data(
        as_text=True
    )
