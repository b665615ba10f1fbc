"""Submitting a dossier: the window, the criteria, quota, cap and history rules, withdrawal, and
the transition table as each role sees it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from recognition.campaigns.enums import (
    AwardKind,
    CampaignAction,
    CampaignStatus,
    NomineeKind,
    ReportSection,
    default_report_sections,
)
from recognition.campaigns.services import extend_window, offer_award
from recognition.campaigns.workflow import apply_campaign_action
from recognition.common.audit import AuditEvent
from recognition.errors import ConcurrentUpdate, DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.law.enums import AwardStandard
from recognition.nominations.attachments import add_attachment
from recognition.nominations.enums import Action, Gender, NominationState
from recognition.nominations.models import Nomination, NominationSnapshot
from recognition.nominations.services import Answer, Report, update_nomination
from recognition.nominations.workflow import apply_transition, available_actions
from recognition.notifications.models import Notification
from recognition.review.services import Verdict, record_appraisal
from tests.nominations import (
    CLOSES,
    INSIDE,
    OPENS,
    PDF,
    World,
    build_world,
    complete_answers,
    fill_in,
)
from tests.support.factories import AwardTypeFactory, CampaignFactory, NominationFactory

pytestmark = pytest.mark.integration

S = NominationState
A = Action


@pytest.fixture(autouse=True)
def _english(app) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """English messages, and a request context: transitions link their notifications."""
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture
def world() -> World:
    return build_world()


def team(world: World, unit=None) -> Nomination:  # type: ignore[no-untyped-def]
    return NominationFactory(
        campaign=world.campaign,
        award_type=world.team_award,
        actor=world.nominator_a,
        nominee_unit=unit or world.commune_a,
    )


def person(world: World, name: str, *, award=None, campaign=None, unit=None) -> Nomination:  # type: ignore[no-untyped-def]
    return NominationFactory(
        campaign=campaign or world.campaign,
        award_type=award or world.person_award,
        actor=world.nominator_a,
        person_name=name,
        person_unit=unit or world.commune_a,
        person_birth_year=1980,
        person_gender=Gender.MALE,
    )


def submit(nomination: Nomination, world: World, today: date = INSIDE) -> AuditEvent:
    return apply_transition(nomination, A.SUBMIT, actor=world.nominator_a, today=today)


def refusal(nomination: Nomination, world: World, today: date = INSIDE) -> str:
    with pytest.raises(DomainError) as refused:
        submit(nomination, world, today)
    assert nomination.state == "draft"
    return refused.value.message


# --- the happy path ------------------------------------------------------------------------


def test_submit_records_the_event_snapshot_and_tells_the_secretariat(world: World) -> None:
    nomination = fill_in(team(world), world, world.nominator_a)

    event = submit(nomination, world)

    snapshot = db.session.scalars(select(NominationSnapshot)).one()
    notices = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    assert (nomination.state, nomination.reference) == (
        "submitted",
        f"HS-{nomination.submitted_at.year}-{nomination.id:06d}",
    )
    assert (event.action, event.from_state, event.to_state, event.actor_id, event.version) == (
        "submit",
        "draft",
        "submitted",
        world.nominator_a.id,
        nomination.version,
    )
    assert (snapshot.nomination_id, snapshot.round, snapshot.data["fields"]["summary"]) == (
        nomination.id,
        1,
        "Tóm tắt",
    )
    assert [(n.user_id, n.text, n.link) for n in notices] == [
        (
            world.secretariat.id,
            "New dossier to appraise: Xã Sơn Định — Tập thể tiêu biểu.",
            f"/nominations/{nomination.id}",
        )
    ]


def test_a_submission_recorded_after_the_fact_takes_its_own_date(world: World) -> None:
    nomination = fill_in(team(world), world, world.nominator_a)
    at = datetime(2024, 10, 21, 2, 0, tzinfo=UTC)

    event = apply_transition(nomination, A.SUBMIT, actor=world.nominator_a, today=INSIDE, at=at)

    # The dossier is dated when it was sent; the audit event, when it was recorded.
    assert (nomination.submitted_at, nomination.reference) == (at, f"HS-2024-{nomination.id:06d}")
    assert event.created_at > at


def test_a_second_submit_is_refused_and_records_nothing(world: World) -> None:
    nomination = fill_in(team(world), world, world.nominator_a)
    submit(nomination, world)

    with pytest.raises(InvalidTransition) as refused:
        submit(nomination, world)

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_kind == "nomination")
    ).all()
    assert refused.value.message == "“Submit” is not possible while the dossier is “Submitted”."
    assert [e.action for e in events] == ["submit"]


def test_submit_with_a_stale_version_is_refused(world: World) -> None:
    nomination = fill_in(team(world), world, world.nominator_a)
    seen = nomination.version
    update_nomination(nomination, Report(summary="Sửa lần nữa"), {}, actor=world.nominator_a)

    with pytest.raises(ConcurrentUpdate) as refused:
        apply_transition(
            nomination, A.SUBMIT, actor=world.nominator_a, expected_version=seen, today=INSIDE
        )

    assert refused.value.message == (
        "Someone else changed this dossier in the meantime. It has been reloaded; please check "
        "it and try again."
    )
    assert nomination.state == "draft"


@pytest.mark.parametrize("who", ["nominator_b", "secretariat", "chair"])
def test_only_the_nominator_submits(world: World, who: str) -> None:
    nomination = fill_in(team(world), world, world.nominator_a)

    with pytest.raises(NotAllowed) as refused:
        apply_transition(nomination, A.SUBMIT, actor=getattr(world, who), today=INSIDE)

    assert refused.value.message == "You may not do “Submit” on this dossier."


def test_a_nominator_of_the_unit_above_may_submit(world: World) -> None:
    from recognition.auth.enums import Role
    from tests.support.factories import user_with

    district_nominator = user_with(Role.NOMINATOR, world.body)
    nomination = fill_in(team(world), world, world.nominator_a)

    apply_transition(nomination, A.SUBMIT, actor=district_nominator, today=INSIDE)

    assert nomination.state == "submitted"


# --- the window ----------------------------------------------------------------------------


@pytest.mark.parametrize("today", [OPENS, INSIDE, CLOSES])
def test_submit_inside_the_window_inclusive(world: World, today: date) -> None:
    nomination = fill_in(team(world), world, world.nominator_a)

    submit(nomination, world, today)

    assert nomination.state == "submitted"


def test_submit_before_the_window_opens_is_refused(world: World) -> None:
    nomination = fill_in(team(world), world, world.nominator_a)

    assert (
        refusal(nomination, world, OPENS - timedelta(days=1)) == "Submissions open on 01/06/2025."
    )


def test_submit_after_the_window_closed_is_refused(world: World) -> None:
    nomination = fill_in(team(world), world, world.nominator_a)

    assert refusal(nomination, world, CLOSES + timedelta(days=1)) == (
        "The submission window of this campaign closed on 30/06/2025. Ask the secretariat of "
        "Huyện Chợ Lách to extend it if you need more time."
    )


def test_an_extension_lets_a_late_dossier_in(world: World) -> None:
    nomination = fill_in(team(world), world, world.nominator_a)
    late = CLOSES + timedelta(days=3)

    extend_window(world.campaign, closes_on=late)
    submit(nomination, world, late)

    assert (nomination.state, world.campaign.closes_on) == ("submitted", late)


def test_a_campaign_closed_early_refuses_with_its_status_not_a_date(world: World) -> None:
    nomination = fill_in(team(world), world, world.nominator_a)
    apply_campaign_action(world.campaign, CampaignAction.CLOSE, actor=world.secretariat)

    assert refusal(nomination, world) == "The campaign is not open for nominations."


# --- criteria and evidence -----------------------------------------------------------------


def test_submit_names_every_unanswered_criterion_and_missing_evidence(world: World) -> None:
    nomination = team(world)
    update_nomination(
        nomination,
        Report(summary="Tóm tắt thành tích"),
        {world.yes_no.id: Answer(met=False)},
        actor=world.nominator_a,
    )

    assert refusal(nomination, world).split("\n") == [
        "The dossier cannot be submitted yet:",
        "Criterion TB2 — Tỷ lệ hộ dùng dịch vụ công has no self-assessment.",
        "Criterion TB3 — Mô hình hay has no self-assessment.",
        "Criterion TB3 — Mô hình hay needs evidence (a file or a note).",
    ]


def test_evidence_may_be_a_file_instead_of_a_note(app, world: World, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path))
    nomination = team(world)
    answers = {
        world.yes_no.id: Answer(met=True),
        world.number.id: Answer(value=Decimal(0)),
        world.text.id: Answer(text="Mô hình"),
    }
    update_nomination(
        nomination, Report(summary="Tóm tắt thành tích"), answers, actor=world.nominator_a
    )
    assert refusal(nomination, world) == (
        "Criterion TB3 — Mô hình hay needs evidence (a file or a note)."
    )

    add_attachment(
        nomination, BytesIO(PDF), "Biên bản.pdf", actor=world.nominator_a, criterion=world.text
    )
    submit(nomination, world)

    assert nomination.state == "submitted"


def test_a_file_for_another_criterion_is_not_evidence(
    app, world: World, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path))
    nomination = team(world)
    answers = {
        world.yes_no.id: Answer(met=True),
        world.number.id: Answer(value=Decimal(70)),
        world.text.id: Answer(text="Mô hình"),
    }
    update_nomination(
        nomination, Report(summary="Tóm tắt thành tích"), answers, actor=world.nominator_a
    )
    add_attachment(nomination, BytesIO(PDF), "Khác.pdf", actor=world.nominator_a)

    assert refusal(nomination, world) == (
        "Criterion TB3 — Mô hình hay needs evidence (a file or a note)."
    )


def test_a_blank_evidence_note_is_not_evidence(world: World) -> None:
    nomination = team(world)
    answers = {
        world.yes_no.id: Answer(met=True),
        world.number.id: Answer(value=Decimal(70)),
        world.text.id: Answer(text="Mô hình", evidence_note=" \u200b "),
    }
    update_nomination(
        nomination, Report(summary="Tóm tắt thành tích"), answers, actor=world.nominator_a
    )

    assert refusal(nomination, world) == (
        "Criterion TB3 — Mô hình hay needs evidence (a file or a note)."
    )


def test_an_alternative_needs_its_evidence_only_when_it_is_claimed(world: World) -> None:
    """ "At least one of": an optional criterion left unanswered or answered "no" asks for no
    evidence and no verdict; claimed, it needs its evidence like any other."""
    from recognition.campaigns.models import Criterion
    from recognition.nominations.guards import criteria_problems
    from recognition.review.services import unappraised_criteria

    research = Criterion(
        award_type=world.team_award,
        code="TB9",
        group="Đạt ít nhất một trong các tiêu chuẩn sau",
        text="Có đề tài khoa học được nghiệm thu",
        required=False,
        evidence_required=True,
        position=9,
    )
    db.session.add(research)
    db.session.flush()
    nomination = team(world)
    answers = {
        world.yes_no.id: Answer(met=True),
        world.number.id: Answer(value=Decimal(70)),
        world.text.id: Answer(text="Mô hình", evidence_note="Biên bản nghiệm thu số 12"),
    }
    update_nomination(
        nomination, Report(summary="Tóm tắt thành tích"), answers, actor=world.nominator_a
    )
    unclaimed = (criteria_problems(nomination), unappraised_criteria(nomination))
    update_nomination(
        nomination,
        Report(summary="Tóm tắt thành tích"),
        {**answers, research.id: Answer(met=False)},
        actor=world.nominator_a,
    )
    denied = (criteria_problems(nomination), unappraised_criteria(nomination))
    update_nomination(
        nomination,
        Report(summary="Tóm tắt thành tích"),
        {**answers, research.id: Answer(met=True)},
        actor=world.nominator_a,
    )
    claimed = (criteria_problems(nomination), "TB9" in unappraised_criteria(nomination))

    assert (unclaimed[0], "TB9" in unclaimed[1]) == ([], False)
    assert (denied[0], "TB9" in denied[1]) == ([], False)
    assert claimed == (
        ["Criterion TB9 — Có đề tài khoa học được nghiệm thu needs evidence (a file or a note)."],
        True,
    )


# --- quota, cap and history ----------------------------------------------------------------


def test_quota_per_nominating_unit(world: World) -> None:
    offer_award(world.campaign, world.team_award, quota=1)
    first = fill_in(team(world, world.commune_a), world, world.nominator_a)
    second = fill_in(team(world, world.hamlet_a), world, world.nominator_a)
    submit(first, world)

    assert refusal(second, world) == (
        "The quota of Tập thể tiêu biểu for Xã Sơn Định in this campaign is 1 dossier, and 1 are "
        "already submitted."
    )


def test_quota_counts_each_unit_on_its_own(world: World) -> None:
    offer_award(world.campaign, world.team_award, quota=1)
    first = fill_in(team(world, world.commune_a), world, world.nominator_a)
    submit(first, world)
    of_b = NominationFactory(
        campaign=world.campaign,
        award_type=world.team_award,
        actor=world.nominator_b,
        nominee_unit=world.commune_b,
    )
    update_nomination(
        of_b,
        Report(summary="Tóm tắt thành tích"),
        {
            world.yes_no.id: Answer(met=True),
            world.number.id: Answer(value=Decimal(61)),
            world.text.id: Answer(text="x", evidence_note="y"),
        },
        actor=world.nominator_b,
    )

    apply_transition(of_b, A.SUBMIT, actor=world.nominator_b, today=INSIDE)

    assert of_b.state == "submitted"


def test_a_withdrawn_dossier_frees_its_quota(world: World) -> None:
    offer_award(world.campaign, world.team_award, quota=1)
    first = fill_in(team(world, world.commune_a), world, world.nominator_a)
    second = fill_in(team(world, world.hamlet_a), world, world.nominator_a)
    submit(first, world)
    apply_transition(first, A.WITHDRAW, actor=world.nominator_a, comment="Nhầm", today=INSIDE)

    submit(second, world)

    assert (first.state, second.state) == ("withdrawn", "submitted")


def capped(world: World) -> Nomination:
    """Chiến sĩ thi đua cơ sở: at most 15 % of Lao động tiên tiến of the same unit."""
    elite = AwardTypeFactory(
        awarding_body=world.body,
        code="CSTDCS",
        name="Chiến sĩ thi đua cơ sở",
        nominee_kind=NomineeKind.INDIVIDUAL,
        cap_percent=Decimal(15),
        cap_base=world.person_award,
    )
    offer_award(world.campaign, elite, quota=None)
    return elite


def submit_workers(world: World, count: int) -> None:
    for n in range(count):
        submit(person(world, f"Người Lao Động {n}"), world)


def reloaded(nomination: Nomination) -> Nomination:
    """The dossier as a request would load it (numbers come back from the database)."""
    db.session.expire_all()
    return db.session.get(Nomination, nomination.id)


def test_cap_refuses_when_the_base_allows_none(world: World) -> None:
    elite = capped(world)
    submit_workers(world, 6)  # 15 % of 6 = 0.9: none allowed
    person(world, "Người Lao Động 0", award=elite)
    nomination = reloaded(person(world, "Nguyễn Văn Giỏi", award=elite))

    assert refusal(nomination, world) == (
        "Chiến sĩ thi đua cơ sở is limited to 15 % of Lao động tiên tiến. Xã Sơn Định has "
        "submitted 6 Lao động tiên tiến, which allows 0 Chiến sĩ thi đua cơ sở; 0 are already "
        "submitted."
    )


def test_cap_allows_its_share_and_no_more(world: World) -> None:
    elite = capped(world)
    submit_workers(world, 7)  # 15 % of 7 = 1.05: one allowed
    first = reloaded(person(world, "Người Lao Động 0", award=elite))
    submit(first, world)
    second = reloaded(person(world, "Người Lao Động 1", award=elite))

    assert refusal(second, world) == (
        "Chiến sĩ thi đua cơ sở is limited to 15 % of Lao động tiên tiến. Xã Sơn Định has "
        "submitted 7 Lao động tiên tiến, which allows 1 Chiến sĩ thi đua cơ sở; 1 are already "
        "submitted."
    )


def test_cap_does_not_count_drafts(world: World) -> None:
    elite = capped(world)
    submit_workers(world, 6)
    person(world, "Bản Nháp", award=world.person_award)  # the 7th is only a draft
    nomination = person(world, "Nguyễn Văn Giỏi", award=elite)

    assert refusal(nomination, world).startswith(
        "Chiến sĩ thi đua cơ sở is limited to 15 % of Lao động tiên tiến. Xã Sơn Định has "
        "submitted 6 Lao động tiên tiến"
    )


def award_in(world: World, year: int, name: str = "Trần Văn Bền") -> Nomination:
    """A dossier of `year` taken all the way to "awarded" by the workflow."""
    campaign = CampaignFactory(
        awarding_body=world.body,
        name=f"Năm {year}",
        opens_on=date(year, 6, 1),
        closes_on=date(year, 6, 30),
        awards=[world.person_award],
        status=CampaignStatus.OPEN,
    )
    nomination = person(world, name, campaign=campaign)
    day = date(year, 6, 15)
    apply_transition(nomination, A.SUBMIT, actor=world.nominator_a, today=day)
    apply_transition(nomination, A.TAKE, actor=world.secretariat, today=day)
    apply_transition(nomination, A.ACCEPT, actor=world.secretariat, today=day)
    apply_transition(nomination, A.SCHEDULE, actor=world.secretariat, today=day)
    apply_transition(nomination, A.CLOSE_VOTE, actor=world.chair, outcome=S.PASSED, today=day)
    apply_transition(nomination, A.AWARD, actor=world.chair, today=day)
    return nomination


def with_history(world: World) -> Nomination:
    """A title that needs Lao động tiên tiến in each of the 2 years before."""
    senior = AwardTypeFactory(
        awarding_body=world.body,
        code="CSTD-2",
        name="Chiến sĩ thi đua (hai năm)",
        nominee_kind=NomineeKind.INDIVIDUAL,
        history_award=world.person_award,
        history_years=2,
    )
    offer_award(world.campaign, senior, quota=None)
    return senior


def test_history_met(world: World) -> None:
    senior = with_history(world)
    award_in(world, 2023)
    award_in(world, 2024)
    nomination = person(world, "Trần Văn Bền", award=senior)

    submit(nomination, world)

    assert nomination.state == "submitted"


def test_history_names_the_missing_years(world: World) -> None:
    senior = with_history(world)
    award_in(world, 2024)
    award_in(world, 2022)  # too early to count
    award_in(world, 2023, name="Người Khác")  # another person
    nomination = person(world, "Trần Văn Bền", award=senior)

    assert refusal(nomination, world) == (
        "Chiến sĩ thi đua (hai năm) requires Lao động tiên tiến in each of the 2 years before; "
        "it is missing for 2023."
    )


def test_history_needs_the_award_not_only_a_dossier(world: World) -> None:
    senior = with_history(world)
    award_in(world, 2023)
    campaign = CampaignFactory(
        awarding_body=world.body,
        name="Năm 2024",
        opens_on=date(2024, 6, 1),
        closes_on=date(2024, 6, 30),
        awards=[world.person_award],
        status=CampaignStatus.OPEN,
    )
    apply_transition(
        person(world, "Trần Văn Bền", campaign=campaign),
        A.SUBMIT,
        actor=world.nominator_a,
        today=date(2024, 6, 15),
    )
    nomination = person(world, "Trần Văn Bền", award=senior)

    assert refusal(nomination, world).endswith("it is missing for 2024.")


# --- withdraw and resubmit -----------------------------------------------------------------


def test_withdraw_a_submitted_dossier(world: World) -> None:
    nomination = fill_in(team(world), world, world.nominator_a)
    submit(nomination, world)

    event = apply_transition(
        nomination, A.WITHDRAW, actor=world.nominator_a, comment="Đơn vị rút hồ sơ", today=INSIDE
    )

    assert (nomination.state, nomination.withdrawn_at is not None) == ("withdrawn", True)
    assert (event.action, event.from_state, event.to_state, event.comment) == (
        "withdraw",
        "submitted",
        "withdrawn",
        "Đơn vị rút hồ sơ",
    )


def test_a_draft_can_be_withdrawn_without_ever_being_submitted(world: World) -> None:
    """docs/design.md lists draft among withdraw's sources; withdrawn needs no submitted_at."""
    nomination = team(world)

    event = apply_transition(nomination, A.WITHDRAW, actor=world.nominator_a, today=INSIDE)

    assert (nomination.state, nomination.submitted_at is None, event.from_state) == (
        "withdrawn",
        True,
        "draft",
    )
    assert nomination.withdrawn_at is not None


@pytest.mark.parametrize("who", ["nominator_b", "secretariat", "chair"])
def test_only_the_nominator_withdraws(world: World, who: str) -> None:
    nomination = fill_in(team(world), world, world.nominator_a)
    submit(nomination, world)

    with pytest.raises(NotAllowed) as refused:
        apply_transition(nomination, A.WITHDRAW, actor=getattr(world, who), today=INSIDE)

    assert refused.value.message == "You may not do “Withdraw” on this dossier."


def test_resubmit_after_being_sent_back_checks_the_rules_again(world: World) -> None:
    nomination = fill_in(team(world), world, world.nominator_a)
    submit(nomination, world)
    apply_transition(nomination, A.TAKE, actor=world.secretariat, today=INSIDE)
    apply_transition(
        nomination, A.SEND_BACK, actor=world.secretariat, comment="Thiếu số liệu", today=INSIDE
    )
    update_nomination(
        nomination,
        Report(summary="Tóm tắt thành tích"),
        {world.number.id: Answer(value=None)},
        actor=world.nominator_a,
    )

    with pytest.raises(DomainError) as refused:
        apply_transition(nomination, A.RESUBMIT, actor=world.nominator_a, today=INSIDE)
    update_nomination(
        nomination,
        Report(summary="Tóm tắt thành tích"),
        {world.number.id: Answer(value=Decimal(80))},
        actor=world.nominator_a,
    )
    apply_transition(nomination, A.RESUBMIT, actor=world.nominator_a, today=INSIDE)

    assert refused.value.message == (
        "Criterion TB2 — Tỷ lệ hộ dùng dịch vụ công has no self-assessment."
    )
    assert (nomination.state, nomination.reference) == (
        "submitted",
        f"HS-{nomination.submitted_at.year}-{nomination.id:06d}",
    )


# --- the transition table as the page shows it ---------------------------------------------

# How to reach each state from a complete draft: (action, who, outcome).
PATHS: dict[S, list[tuple[A, str, S | None]]] = {
    S.DRAFT: [],
    S.SUBMITTED: [(A.SUBMIT, "nominator_a", None)],
    S.IN_REVIEW: [(A.SUBMIT, "nominator_a", None), (A.TAKE, "secretariat", None)],
}
PATHS[S.RETURNED] = [*PATHS[S.IN_REVIEW], (A.SEND_BACK, "secretariat", None)]
PATHS[S.ACCEPTED] = [*PATHS[S.IN_REVIEW], (A.ACCEPT, "secretariat", None)]
PATHS[S.REJECTED] = [*PATHS[S.IN_REVIEW], (A.REJECT, "secretariat", None)]
PATHS[S.ON_AGENDA] = [*PATHS[S.ACCEPTED], (A.SCHEDULE, "secretariat", None)]
PATHS[S.PASSED] = [*PATHS[S.ON_AGENDA], (A.CLOSE_VOTE, "secretariat", S.PASSED)]
PATHS[S.FAILED] = [*PATHS[S.ON_AGENDA], (A.CLOSE_VOTE, "chair", S.FAILED)]
PATHS[S.AWARDED] = [*PATHS[S.PASSED], (A.AWARD, "chair", None)]
PATHS[S.ANNULLED] = [*PATHS[S.AWARDED], (A.ANNUL, "chair", None)]
PATHS[S.WITHDRAWN] = [*PATHS[S.SUBMITTED], (A.WITHDRAW, "nominator_a", None)]

# The buttons each role gets in each state (nominator of unit B: none, ever).
PAGE = {
    S.DRAFT: {"nominator_a": [A.SUBMIT, A.WITHDRAW]},
    S.SUBMITTED: {"nominator_a": [A.WITHDRAW], "secretariat": [A.TAKE]},
    S.IN_REVIEW: {"secretariat": [A.SEND_BACK, A.ACCEPT, A.REJECT]},
    S.RETURNED: {"nominator_a": [A.RESUBMIT, A.WITHDRAW]},
    S.ACCEPTED: {"nominator_a": [A.WITHDRAW], "chair": [A.PASS_SIMPLIFIED]},
    S.REJECTED: {"chair": [A.REOPEN]},
    S.ON_AGENDA: {},
    S.PASSED: {},
    S.FAILED: {"chair": [A.REOPEN]},
    S.AWARDED: {},
    S.ANNULLED: {},
    S.WITHDRAWN: {},
}

# The states each action starts from.
SOURCES = {
    A.SUBMIT: {S.DRAFT},
    A.TAKE: {S.SUBMITTED},
    A.SEND_BACK: {S.IN_REVIEW},
    A.RESUBMIT: {S.RETURNED},
    A.REJECT: {S.IN_REVIEW},
    A.ACCEPT: {S.IN_REVIEW},
    A.SCHEDULE: {S.ACCEPTED},
    A.PASS_SIMPLIFIED: {S.ACCEPTED},
    A.CLOSE_VOTE: {S.ON_AGENDA},
    A.AWARD: {S.PASSED},
    A.ANNUL: {S.AWARDED},
    A.WITHDRAW: {S.DRAFT, S.SUBMITTED, S.RETURNED, S.ACCEPTED},
    A.REOPEN: {S.REJECTED, S.FAILED},
}


def reach(state: S, world: World) -> Nomination:
    nomination = fill_in(team(world), world, world.nominator_a)
    for action, who, outcome in PATHS[state]:
        if action == A.ACCEPT:
            verdicts = {c.id: Verdict(agree=True) for c in world.team_award.criteria}
            record_appraisal(nomination, verdicts, actor=world.secretariat)
        apply_transition(
            nomination,
            action,
            actor=getattr(world, who),
            comment="Lý do",
            outcome=outcome,
            today=INSIDE,
        )
    assert nomination.state == state.value
    return nomination


@pytest.mark.parametrize("state", list(S))
def test_page_actions_by_state_and_role(world: World, state: S) -> None:
    nomination = reach(state, world)
    roles = ["nominator_a", "nominator_b", "secretariat", "chair"]

    shown = {role: available_actions(getattr(world, role), nomination) for role in roles}

    assert shown == {role: PAGE[state].get(role, []) for role in roles}


@pytest.mark.parametrize("state", list(S))
def test_actions_from_the_wrong_state_are_refused(world: World, state: S) -> None:
    nomination = reach(state, world)
    label = state.label

    for action in (a for a in SOURCES if state not in SOURCES[a]):
        with pytest.raises(InvalidTransition) as refused:
            apply_transition(
                nomination, action, actor=world.chair, comment="x", outcome=S.PASSED, today=INSIDE
            )
        assert refused.value.message == (
            f"“{action.label}” is not possible while the dossier is “{label}”."
        )
    assert nomination.state == state.value


# --- the report sections the award type requires -------------------------------------------


def test_submit_names_each_report_section_the_award_type_requires(world: World) -> None:
    """Finding 8 of issue 14: an empty report no longer gets through."""
    world.team_award.required_report_sections = ["report_general", "report_criteria"]
    nomination = team(world)
    update_nomination(
        nomination, Report(summary="Tóm tắt"), complete_answers(world), actor=world.nominator_a
    )

    assert refusal(nomination, world).split("\n") == [
        "The dossier cannot be submitted yet:",
        "Write section “I. General information” of the report: Tập thể tiêu biểu requires it.",
        "Write section “III. Meeting the criteria” of the report: Tập thể tiêu biểu requires it.",
    ]

    update_nomination(
        nomination,
        Report(summary="Tóm tắt", general="Đặc điểm", criteria="  "),
        complete_answers(world),
        actor=world.nominator_a,
    )
    assert refusal(nomination, world) == (
        "Write section “III. Meeting the criteria” of the report: Tập thể tiêu biểu requires it."
    )

    update_nomination(
        nomination,
        Report(summary="Tóm tắt", general="Đặc điểm", criteria="Đạt các tiêu chí"),
        complete_answers(world),
        actor=world.nominator_a,
    )
    submit(nomination, world)
    assert nomination.state == S.SUBMITTED


@pytest.mark.parametrize(
    ("standard", "kind", "sections"),
    [
        (AwardStandard.GIAY_KHEN, AwardKind.COMMENDATION, ["report_achievements"]),
        (AwardStandard.LAO_DONG_TIEN_TIEN, AwardKind.TITLE, ["report_achievements"]),
        (AwardStandard.BANG_KHEN_TINH, AwardKind.COMMENDATION, list(ReportSection)),
        (AwardStandard.CO_THI_DUA_TINH, AwardKind.TITLE, list(ReportSection)),
        (AwardStandard.OWN_TITLE, AwardKind.MODEL, list(ReportSection)),
        (AwardStandard.OWN_TITLE, AwardKind.TITLE, ["report_achievements"]),
    ],
)
@pytest.mark.no_database
def test_the_report_sections_required_by_default(
    standard: AwardStandard, kind: AwardKind, sections: list[str]
) -> None:
    assert default_report_sections(standard, kind) == [str(s) for s in sections]
