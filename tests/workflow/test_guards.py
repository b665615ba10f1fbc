"""The business guards of the workflow: each refusal names what is wrong, nothing is recorded."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import Flask
from flask_babel import force_locale

from recognition.campaigns.enums import NomineeKind
from recognition.campaigns.services import extend_window, offer_award
from recognition.database import local_today
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.nominations.attachments import add_attachment
from recognition.nominations.deadlines import add_working_days
from recognition.nominations.enums import Action, Gender, NominationState
from recognition.nominations.models import CriterionAppraisal, Nomination
from recognition.nominations.services import Answer, Report, update_nomination
from recognition.nominations.workflow import apply_transition
from tests.support.advance import advance_to
from tests.support.factories import AwardTypeFactory, NominationFactory
from tests.workflow.helpers import (
    INSIDE,
    Scene,
    appraise_all,
    build_scene,
    dossier_in,
    draft,
    events_of,
    flashes,
    new_hamlet,
    pdf_upload,
)

pytestmark = pytest.mark.integration

S = NominationState


@pytest.fixture(autouse=True)
def _in_request(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture
def scene() -> Scene:
    return build_scene()


def refusal(
    nomination: Nomination, action: Action, actor, *, since: int = 0, **kwargs
) -> tuple[str, str, int]:  # type: ignore[no-untyped-def]
    """The message of a guard's refusal, with the state and the count of events afterwards
    (leaving out the first `since`, the history that set the dossier up)."""
    kwargs.setdefault("today", INSIDE)
    with pytest.raises(DomainError) as error:
        apply_transition(nomination, action, actor=actor, **kwargs)
    assert type(error.value) is DomainError  # a guard, not a role or state refusal
    return error.value.message, nomination.state, len(events_of(nomination)) - since


# --- the submission window ------------------------------------------------------------------


def test_submit_before_the_window_opens_names_the_opening_day(scene: Scene) -> None:
    nomination = draft(scene)

    found = refusal(nomination, Action.SUBMIT, scene.nominator, today=date(2025, 5, 31))

    assert found == ("Submissions open on 01/06/2025.", "draft", 0)


def test_submit_after_the_window_closed_names_the_day_and_who_extends(scene: Scene) -> None:
    nomination = draft(scene)

    found = refusal(nomination, Action.SUBMIT, scene.nominator, today=date(2025, 7, 1))

    assert found == (
        "The submission window of this campaign closed on 30/06/2025. Ask the secretariat of "
        "Huyện Chợ Lách to extend it if you need more time.",
        "draft",
        0,
    )


@pytest.mark.parametrize("today", [date(2025, 6, 1), date(2025, 6, 30)])
def test_the_first_and_last_days_of_the_window_are_open(scene: Scene, today: date) -> None:
    nomination = draft(scene)

    apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=today)

    assert nomination.state == "submitted"


def test_an_extension_lets_the_late_dossier_in(scene: Scene) -> None:
    nomination = draft(scene)
    late = date(2025, 7, 3)
    refusal(nomination, Action.SUBMIT, scene.nominator, today=late)

    extend_window(scene.campaign, closes_on=date(2025, 7, 10))
    apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=late)

    assert (nomination.state, [e.action for e in events_of(nomination)]) == (
        "submitted",
        ["submit"],
    )


def test_resubmit_is_held_to_the_window_too(scene: Scene) -> None:
    nomination = dossier_in(scene, S.RETURNED)

    found = refusal(nomination, Action.RESUBMIT, scene.nominator, today=date(2025, 7, 1))
    extend_window(scene.campaign, closes_on=date(2025, 7, 5))
    apply_transition(nomination, Action.RESUBMIT, actor=scene.nominator, today=date(2025, 7, 1))

    assert (found[0], nomination.state) == (
        "The submission window of this campaign closed on 30/06/2025. Ask the secretariat of "
        "Huyện Chợ Lách to extend it if you need more time.",
        "submitted",
    )


def test_the_secretariat_extends_through_the_page_then_submit_works(  # type: ignore[no-untyped-def]
    as_user, client
) -> None:
    today = local_today()
    scene = build_scene(opens_on=today - timedelta(days=20), closes_on=today - timedelta(days=1))
    nomination = draft(scene)
    db.session.commit()

    as_user(scene.nominator)
    first = client.post_form(
        f"/nominations/{nomination.id}/do/submit", {"version": str(nomination.version)}
    )
    refused = flashes(client.get(first.headers["Location"]).get_data(as_text=True))
    client.post_form("/logout")

    as_user(scene.secretariat)
    new_day = today + timedelta(days=7)
    extended = client.post_form(
        f"/campaigns/{scene.campaign.id}/extend", {"closes_on": new_day.isoformat()}
    )
    extension = flashes(client.get(extended.headers["Location"]).get_data(as_text=True))
    client.post_form("/logout")

    as_user(scene.nominator)
    db.session.expire_all()
    second = client.post_form(
        f"/nominations/{nomination.id}/do/submit", {"version": str(nomination.version)}
    )
    done = flashes(client.get(second.headers["Location"]).get_data(as_text=True))

    db.session.expire_all()
    closed = (today - timedelta(days=1)).strftime("%d/%m/%Y")
    assert (refused, extension, done, nomination.state) == (
        [
            (
                "danger",
                f"The submission window of this campaign closed on {closed}. Ask the "
                "secretariat of Huyện Chợ Lách to extend it if you need more time.",
            )
        ],
        [("success", f"Submissions are now open until {new_day.strftime('%d/%m/%Y')}.")],
        [
            ("success", "The dossier has been submitted."),
            (
                "info",
                "The secretariat of Huyện Chợ Lách appraises the dossier within 10 working "
                f"days, by {add_working_days(local_today(), 10).strftime('%d/%m/%Y')}. You will "
                "be notified if it is sent back for changes.",
            ),
        ],
        "submitted",
    )


# --- criteria and evidence ------------------------------------------------------------------


def test_submit_names_the_unanswered_criterion_and_the_missing_evidence(scene: Scene) -> None:
    nomination = draft(scene, answered=False)

    found = refusal(nomination, Action.SUBMIT, scene.nominator)

    assert found == (
        "The dossier cannot be submitted yet:\n"
        "Criterion TB1 — Hoàn thành xuất sắc nhiệm vụ has no self-assessment.\n"
        "Criterion TB2 — Có mô hình hay has no self-assessment.\n"
        "Criterion TB2 — Có mô hình hay needs evidence (a file or a note).",
        "draft",
        0,
    )


def test_an_answer_without_evidence_is_refused_by_the_criterion_code(scene: Scene) -> None:
    nomination = draft(scene, answered=False)
    update_nomination(
        nomination,
        Report(summary="Tóm tắt"),
        {scene.yes_no.id: Answer(met=True), scene.text.id: Answer(text="Mô hình hay")},
        actor=scene.nominator,
    )

    found = refusal(nomination, Action.SUBMIT, scene.nominator)

    assert found == (
        "Criterion TB2 — Có mô hình hay needs evidence (a file or a note).",
        "draft",
        0,
    )


def test_a_file_on_the_criterion_is_evidence(  # type: ignore[no-untyped-def]
    scene: Scene, app, tmp_path, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path))
    nomination = draft(scene, answered=False)
    update_nomination(
        nomination,
        Report(summary="Tóm tắt"),
        {scene.yes_no.id: Answer(met=False), scene.text.id: Answer(text="Mô hình hay")},
        actor=scene.nominator,
    )
    add_attachment(
        nomination, pdf_upload(), "Biên bản.pdf", actor=scene.nominator, criterion=scene.text
    )

    apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)

    assert nomination.state == "submitted"


def test_a_blank_text_answer_is_not_an_answer(scene: Scene) -> None:
    nomination = draft(scene, answered=False)
    update_nomination(
        nomination,
        Report(summary="Tóm tắt"),
        {
            scene.yes_no.id: Answer(met=True),
            scene.text.id: Answer(text=" \n ", evidence_note="Biên bản số 3"),
        },
        actor=scene.nominator,
    )

    found = refusal(nomination, Action.SUBMIT, scene.nominator)

    assert found[0] == "Criterion TB2 — Có mô hình hay has no self-assessment."


# --- send back, comments, accept, simplified --------------------------------------------------


def _send_back_round(nomination: Nomination, scene: Scene) -> None:
    apply_transition(nomination, Action.SEND_BACK, actor=scene.secretariat, comment="Bổ sung")
    apply_transition(nomination, Action.RESUBMIT, actor=scene.nominator, today=INSIDE)
    apply_transition(nomination, Action.TAKE, actor=scene.secretariat)


def test_send_back_once_by_default(scene: Scene, app: Flask) -> None:
    nomination = dossier_in(scene, S.IN_REVIEW)
    setup = len(events_of(nomination))
    _send_back_round(nomination, scene)

    found = refusal(nomination, Action.SEND_BACK, scene.secretariat, comment="Lần nữa", since=setup)

    assert (app.config["SEND_BACK_LIMIT"], found) == (
        1,
        (
            "This dossier was already sent back 1 time, the most the settings allow. "
            "Accept or reject it.",
            "in_review",
            3,
        ),
    )


def test_the_send_back_limit_is_a_setting(scene: Scene, app: Flask, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "SEND_BACK_LIMIT", 2)
    nomination = dossier_in(scene, S.IN_REVIEW)
    setup = len(events_of(nomination))
    _send_back_round(nomination, scene)
    _send_back_round(nomination, scene)

    found = refusal(nomination, Action.SEND_BACK, scene.secretariat, comment="Lần ba", since=setup)

    assert found == (
        "This dossier was already sent back 2 times, the most the settings allow. "
        "Accept or reject it.",
        "in_review",
        6,
    )


@pytest.mark.parametrize(
    ("state", "action", "role"),
    [
        (S.IN_REVIEW, Action.SEND_BACK, "secretariat"),
        (S.IN_REVIEW, Action.REJECT, "secretariat"),
        (S.AWARDED, Action.ANNUL, "chair"),
        (S.REJECTED, Action.REOPEN, "chair"),
        (S.FAILED, Action.REOPEN, "chair"),
    ],
)
def test_a_reason_is_required(scene: Scene, state: S, action: Action, role: str) -> None:
    nomination = dossier_in(scene, state)
    setup = len(events_of(nomination))

    found = refusal(nomination, action, scene.users[role], comment=" \n\t ", since=setup)

    assert found == ("Please give a reason.", state.value, 0)


def test_accept_lists_the_criteria_without_a_verdict(scene: Scene) -> None:
    nomination = advance_to(draft(scene), S.IN_REVIEW, today=INSIDE)
    setup = len(events_of(nomination))
    nomination.appraisals.append(
        CriterionAppraisal(
            criterion_id=scene.yes_no.id, verdict="agree", reviewer_id=scene.secretariat.id
        )
    )
    db.session.flush()

    found = refusal(nomination, Action.ACCEPT, scene.secretariat, since=setup)
    appraise_all(nomination, scene.secretariat)
    apply_transition(nomination, Action.ACCEPT, actor=scene.secretariat)

    assert (found, nomination.state) == (
        (
            "Record a verdict for every criterion before accepting (missing: TB2, TB3).",
            "in_review",
            0,
        ),
        "accepted",
    )


def test_accept_is_refused_while_a_required_criterion_is_found_not_met(scene: Scene) -> None:
    # TB2 is required, TB3 optional: not met on TB3 alone is the secretariat's judgement to
    # accept; not met on TB2 means send back or reject, not a vote by the council.
    nomination = advance_to(draft(scene), S.IN_REVIEW, today=INSIDE)
    setup = len(events_of(nomination))
    verdicts = {scene.yes_no.id: "agree", scene.text.id: "disagree", scene.optional.id: "disagree"}
    for criterion_id, verdict in verdicts.items():
        nomination.appraisals.append(
            CriterionAppraisal(
                criterion_id=criterion_id, verdict=verdict, reviewer_id=scene.secretariat.id
            )
        )
    db.session.flush()

    found = refusal(nomination, Action.ACCEPT, scene.secretariat, since=setup)
    next(a for a in nomination.appraisals if a.criterion_id == scene.text.id).verdict = "agree"
    db.session.flush()
    apply_transition(nomination, Action.ACCEPT, actor=scene.secretariat)

    assert (found, nomination.state) == (
        (
            "A required criterion is found not met (TB2): send the dossier back for changes "
            "or reject it, or change that verdict.",
            "in_review",
            0,
        ),
        "accepted",
    )


def test_accept_is_refused_where_the_dossier_itself_says_a_required_criterion_is_not_met(
    scene: Scene,
) -> None:
    # The secretariat agreeing with "not met" is not met: the council would vote on a title
    # whose required criterion nobody says is met.
    nomination = advance_to(draft(scene), S.IN_REVIEW, today=INSIDE)
    nomination.answer_for(scene.yes_no).met = False
    setup = len(events_of(nomination))
    for criterion_id in (scene.yes_no.id, scene.text.id, scene.optional.id):
        nomination.appraisals.append(
            CriterionAppraisal(
                criterion_id=criterion_id, verdict="agree", reviewer_id=scene.secretariat.id
            )
        )
    db.session.flush()

    found = refusal(nomination, Action.ACCEPT, scene.secretariat, since=setup)

    assert found == (
        f"A required criterion is found not met ({scene.yes_no.code}): send the dossier back "
        "for changes or reject it, or change that verdict.",
        "in_review",
        0,
    )


def test_a_secretariat_that_finds_met_what_the_dossier_said_was_not_may_accept(
    scene: Scene,
) -> None:
    # Disagreeing with "not met" is finding it met: the refusal's advice, change that
    # verdict, then works.
    nomination = advance_to(draft(scene), S.IN_REVIEW, today=INSIDE)
    nomination.answer_for(scene.yes_no).met = False
    verdicts = {scene.yes_no.id: "disagree", scene.text.id: "agree", scene.optional.id: "agree"}
    for criterion_id, verdict in verdicts.items():
        nomination.appraisals.append(
            CriterionAppraisal(
                criterion_id=criterion_id, verdict=verdict, reviewer_id=scene.secretariat.id
            )
        )
    db.session.flush()

    apply_transition(nomination, Action.ACCEPT, actor=scene.secretariat)

    assert nomination.state == "accepted"


def test_the_simplified_procedure_only_where_the_award_allows_it() -> None:
    scene = build_scene(simplified=False)
    nomination = dossier_in(scene, S.ACCEPTED)
    setup = len(events_of(nomination))

    found = refusal(nomination, Action.PASS_SIMPLIFIED, scene.chair, since=setup)

    assert found == (
        "Tập thể tiêu biểu does not allow the simplified procedure.",
        "accepted",
        0,
    )


# --- quota and cap ---------------------------------------------------------------------------


def test_the_quota_is_per_nominating_unit_and_freed_by_a_withdrawal(scene: Scene) -> None:
    offer_award(scene.campaign, scene.award, quota=1)
    first = draft(scene)
    apply_transition(first, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
    second = draft(scene)
    other_unit = NominationFactory(
        campaign=scene.campaign,
        award_type=scene.award,
        actor=scene.other_nominator,
        nominee_unit=scene.commune_b,
    )
    update_nomination(
        other_unit, Report(summary="Tóm tắt"), _answers(scene), actor=scene.other_nominator
    )

    found = refusal(second, Action.SUBMIT, scene.nominator)
    apply_transition(other_unit, Action.SUBMIT, actor=scene.other_nominator, today=INSIDE)
    apply_transition(first, Action.WITHDRAW, actor=scene.nominator)
    apply_transition(second, Action.SUBMIT, actor=scene.nominator, today=INSIDE)

    assert (found, other_unit.state, second.state) == (
        (
            "The quota of Tập thể tiêu biểu for Xã Sơn Định in this campaign is 1 dossier, "
            "and 1 are already submitted.",
            "draft",
            0,
        ),
        "submitted",
        "submitted",
    )


def _answers(scene: Scene) -> dict[int, Answer]:
    return {
        scene.yes_no.id: Answer(met=True),
        scene.text.id: Answer(text="Mô hình", evidence_note="Biên bản"),
    }


def _person(scene: Scene, award, name: str) -> Nomination:  # type: ignore[no-untyped-def]
    return NominationFactory(
        campaign=scene.campaign,
        award_type=award,
        actor=scene.nominator,
        person_name=name,
        person_position="Công chức",
        person_unit=new_hamlet(scene),
        person_birth_year=1980,
        person_gender=Gender.MALE,
    )


def test_the_cap_counts_the_base_title_of_the_same_unit(scene: Scene) -> None:
    base = AwardTypeFactory(
        awarding_body=scene.body,
        code="LDTT",
        name="Lao động tiên tiến",
        nominee_kind=NomineeKind.INDIVIDUAL,
    )
    capped = AwardTypeFactory(
        awarding_body=scene.body,
        code="CSTDCS",
        name="Chiến sĩ thi đua cơ sở",
        nominee_kind=NomineeKind.INDIVIDUAL,
        cap_percent=Decimal(15),
        cap_base=base,
    )
    offer_award(scene.campaign, base, quota=None)
    offer_award(scene.campaign, capped, quota=None)
    for n in range(6):
        advance_to(_person(scene, base, f"Người Lao Động {n}"), S.SUBMITTED, today=INSIDE)
    first = _person(scene, capped, "Nguyễn Văn Giỏi")

    too_early = refusal(first, Action.SUBMIT, scene.nominator)
    advance_to(_person(scene, base, "Người Lao Động 6"), S.SUBMITTED, today=INSIDE)  # 7 × 15 % → 1
    apply_transition(first, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
    second = _person(scene, capped, "Trần Văn Giỏi")
    too_many = refusal(second, Action.SUBMIT, scene.nominator)

    assert (too_early[0], first.state, too_many[0]) == (
        "Chiến sĩ thi đua cơ sở is limited to 15 % of Lao động tiên tiến. Xã Sơn Định has "
        "submitted 6 Lao động tiên tiến, which allows 0 Chiến sĩ thi đua cơ sở; 0 are already "
        "submitted.",
        "submitted",
        "Chiến sĩ thi đua cơ sở is limited to 15 % of Lao động tiên tiến. Xã Sơn Định has "
        "submitted 7 Lao động tiên tiến, which allows 1 Chiến sĩ thi đua cơ sở; 1 are already "
        "submitted.",
    )


def test_a_reason_of_invisible_characters_is_no_reason(scene: Scene) -> None:
    nomination = dossier_in(scene, S.IN_REVIEW)
    setup = len(events_of(nomination))

    found = refusal(
        nomination, Action.SEND_BACK, scene.secretariat, comment="\u200b\x00\u202e", since=setup
    )

    assert found == ("Please give a reason.", "in_review", 0)


def test_the_reason_is_stored_clean_and_nfc(scene: Scene) -> None:
    nomination = dossier_in(scene, S.IN_REVIEW)
    typed = unicodedata.normalize("NFD", "  Thiếu\x00 biên bản\u200b  \r\nhọp ")

    event = apply_transition(nomination, Action.SEND_BACK, actor=scene.secretariat, comment=typed)

    assert event.comment == "Thiếu biên bản\nhọp"
