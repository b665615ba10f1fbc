"""Preparing a dossier: create, edit, one active dossier per nominee, delete a draft."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from recognition.campaigns.enums import CampaignStatus
from recognition.common import storage
from recognition.common.audit import AuditEvent
from recognition.errors import ConcurrentUpdate, DomainError, NotAllowed
from recognition.extensions import db
from recognition.nominations.attachments import add_attachment, remove_attachment
from recognition.nominations.enums import Action, Gender, NominationState
from recognition.nominations.models import Attachment, CriterionAnswer, Nomination
from recognition.nominations.services import (
    Answer,
    DuplicateNomination,
    Nominee,
    Report,
    create_nomination,
    delete_draft,
    update_nomination,
)
from recognition.nominations.workflow import apply_transition
from recognition.units.enums import UnitKind
from tests.nominations import INSIDE, PDF, World, build_world, fill_in
from tests.support.factories import (
    AwardTypeFactory,
    CampaignFactory,
    NominationFactory,
    UnitFactory,
    dissolve,
)
from tests.support.object_store import isolate_store, stored_keys

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _english(app) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """English messages, and a request context: transitions link their notifications."""
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def upload_dir(app, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """An empty store for the test: a folder, or on the S3 run a new bucket."""
    isolate_store(app, tmp_path, monkeypatch)
    return tmp_path


def team(world: World, unit=None, actor=None) -> Nomination:  # type: ignore[no-untyped-def]
    return NominationFactory(
        campaign=world.campaign,
        award_type=world.team_award,
        actor=actor or world.nominator_a,
        nominee_unit=unit or world.commune_a,
    )


def person(world: World, name: str = "Nguyễn Thị Đào", **kwargs) -> Nomination:  # type: ignore[no-untyped-def]
    return NominationFactory(
        campaign=world.campaign,
        award_type=world.person_award,
        actor=world.nominator_a,
        person_name=name,
        person_position=kwargs.get("position", "Công chức văn hóa - xã hội"),
        person_unit=kwargs.get("unit", world.commune_a),
        person_birth_year=kwargs.get("birth_year", 1985),
        person_gender=kwargs.get("gender", Gender.FEMALE),
    )


def active_count() -> int:
    return db.session.scalar(
        select(func.count(Nomination.id)).where(Nomination.state != "withdrawn")
    )


# --- create --------------------------------------------------------------------------------


def test_create_collective_for_a_unit_below_the_nominator(world: World) -> None:
    nomination = team(world, unit=world.hamlet_a)

    assert (
        nomination.state,
        nomination.nominating_unit_id,
        nomination.nominee_unit_id,
        nomination.nominee_name,
        nomination.nominee_folded,
        nomination.nominee_key,
        nomination.person_name,
        nomination.created_by_id,
        nomination.reference,
        nomination.submitted_at,
    ) == (
        "draft",
        world.commune_a.id,
        world.hamlet_a.id,
        "Ấp Phú Hữu",
        "ap phu huu",
        f"unit:{world.hamlet_a.id}",
        None,
        world.nominator_a.id,
        None,
        None,
    )
    assert nomination.events == []


def test_create_uses_the_nearest_unit_the_nominator_covers(world: World) -> None:
    # The district's nominator also covers Xã Sơn Định; a nominator of the commune is nearer.
    from recognition.auth.enums import Role
    from tests.support.factories import grant

    grant(world.nominator_a, Role.NOMINATOR, world.body)

    nomination = team(world, unit=world.hamlet_a)

    assert nomination.nominating_unit_id == world.commune_a.id


def test_create_individual_with_the_persons_details(world: World) -> None:
    nomination = person(world, name="  Nguyễn   Thị Đào ")

    assert (
        nomination.person_name,
        nomination.person_position,
        nomination.person_unit_id,
        nomination.person_birth_year,
        nomination.person_gender,
        nomination.nominee_unit_id,
        nomination.nominee_name,
        nomination.nominee_folded,
        nomination.nominee_key,
        nomination.nominating_unit_id,
    ) == (
        "Nguyễn Thị Đào",
        "Công chức văn hóa - xã hội",
        world.commune_a.id,
        1985,
        "female",
        None,
        "Nguyễn Thị Đào",
        "nguyen thi dao",
        f"person:nguyen thi dao|1985|{world.commune_a.id}",
        world.commune_a.id,
    )


def test_person_name_is_stored_nfc() -> None:
    world = build_world()
    decomposed = "Nguye\u0302\u0303n Thi\u0323 \u0110a\u0300o"

    nomination = person(world, name=decomposed)

    assert nomination.person_name == "Nguyễn Thị Đào"


def test_create_individual_ignores_a_unit_sent_along(world: World) -> None:
    # The page has both a unit and a person's fields: a unit posted with an individual award
    # must not make a dossier for both (the database refuses one; it was a 500).
    nominee = Nominee(unit=world.hamlet_a, person_name="Lê Văn Tám", person_unit=world.commune_a)

    nomination = create_nomination(
        world.campaign, world.person_award, nominee, actor=world.nominator_a
    )

    assert (nomination.nominee_unit_id, nomination.person_name, nomination.nominee_key) == (
        None,
        "Lê Văn Tám",
        f"person:le van tam||{world.commune_a.id}",
    )


def test_create_collective_ignores_a_persons_details_sent_along(world: World) -> None:
    nominee = Nominee(unit=world.hamlet_a, person_name="Lê Văn Tám", person_unit=world.commune_a)

    nomination = create_nomination(
        world.campaign, world.team_award, nominee, actor=world.nominator_a
    )

    assert (nomination.nominee_unit_id, nomination.person_name, nomination.person_unit_id) == (
        world.hamlet_a.id,
        None,
        None,
    )


@pytest.mark.parametrize("status", [CampaignStatus.DRAFT, CampaignStatus.CLOSED])
def test_create_refused_unless_the_campaign_is_open(world: World, status: CampaignStatus) -> None:
    campaign = CampaignFactory(awarding_body=world.body, awards=[world.team_award], status=status)

    with pytest.raises(DomainError) as refused:
        create_nomination(
            campaign, world.team_award, Nominee(unit=world.commune_a), actor=world.nominator_a
        )

    assert refused.value.message == "The campaign is not open for nominations."


def test_create_refused_for_an_award_not_on_offer(world: World) -> None:
    other = AwardTypeFactory(awarding_body=world.body, name="Giấy khen tập thể")

    with pytest.raises(DomainError) as refused:
        create_nomination(
            world.campaign, other, Nominee(unit=world.commune_a), actor=world.nominator_a
        )

    assert (refused.value.message, refused.value.field) == (
        "This campaign does not offer Giấy khen tập thể.",
        "award_type_id",
    )


def test_create_refused_for_a_unit_outside_the_nominators_area(world: World) -> None:
    with pytest.raises(NotAllowed) as refused:
        create_nomination(
            world.campaign, world.team_award, Nominee(unit=world.commune_b), actor=world.nominator_a
        )

    assert refused.value.message == "You can only nominate in your own unit and the units below it."
    assert active_count() == 0


def test_create_refused_for_a_kind_the_award_does_not_accept(world: World) -> None:
    team_of_a = UnitFactory(name="Tổ công nghệ số", kind=UnitKind.TEAM, parent=world.commune_a)

    with pytest.raises(DomainError) as refused:
        create_nomination(
            world.campaign, world.team_award, Nominee(unit=team_of_a), actor=world.nominator_a
        )

    assert (refused.value.message, refused.value.field) == (
        "Tập thể tiêu biểu is for commune, hamlet; Tổ công nghệ số is of kind “team”.",
        "nominee_unit_id",
    )


def test_create_refused_for_a_deactivated_unit(world: World) -> None:
    from datetime import date

    dissolve(world.hamlet_a, on=date(2025, 1, 1))

    with pytest.raises(DomainError) as refused:
        create_nomination(
            world.campaign, world.team_award, Nominee(unit=world.hamlet_a), actor=world.nominator_a
        )

    assert (refused.value.message, refused.value.field) == (
        "Ấp Phú Hữu has been dissolved: a merged or dissolved unit cannot be nominated, nor can "
        "a person of one (TT 15/2025/TT-BNV).",
        "nominee_unit_id",
    )


def test_create_refused_without_a_nominee(world: World) -> None:
    with pytest.raises(DomainError) as refused:
        create_nomination(world.campaign, world.team_award, Nominee(), actor=world.nominator_a)

    assert (refused.value.message, refused.value.field) == (
        "Choose the nominee.",
        "nominee_unit_id",
    )


def test_create_refused_for_a_nominating_unit_outside_the_awarding_body(world: World) -> None:
    elsewhere = UnitFactory(name="Huyện Mỏ Cày Nam", kind=UnitKind.DISTRICT)
    from recognition.auth.enums import Role
    from tests.support.factories import grant

    grant(world.nominator_a, Role.NOMINATOR, elsewhere)

    with pytest.raises(DomainError) as refused:
        create_nomination(
            world.campaign, world.team_award, Nominee(unit=elsewhere), actor=world.nominator_a
        )

    assert refused.value.message == "Huyện Mỏ Cày Nam does not belong to Huyện Chợ Lách."


def test_the_awarding_body_is_not_nominated_for_its_own_award(world: World) -> None:
    from recognition.auth.enums import Role
    from tests.support.factories import grant

    grant(world.nominator_a, Role.NOMINATOR, world.body)  # the body's own office nominates

    with pytest.raises(DomainError) as refused:
        create_nomination(
            world.campaign, world.team_award, Nominee(unit=world.body), actor=world.nominator_a
        )

    assert (refused.value.message, refused.value.field) == (
        f"Huyện Chợ Lách confers {world.team_award.name}: a body is not nominated for its own "
        "award.",
        "nominee_unit_id",
    )


@pytest.mark.parametrize(
    ("name", "birth_year", "message", "field"),
    [
        ("   ", 1985, "Enter the full name of the person.", "person_name"),
        (
            "Nguyễn Văn Em",
            1850,
            "The birth year must be between 1900 and this year.",
            "person_birth_year",
        ),
        (
            "Nguyễn Văn Em",
            2999,
            "The birth year must be between 1900 and this year.",
            "person_birth_year",
        ),
    ],
)
def test_create_person_refusals(
    world: World, name: str, birth_year: int, message: str, field: str
) -> None:
    nominee = Nominee(person_name=name, person_unit=world.commune_a, person_birth_year=birth_year)

    with pytest.raises(DomainError) as refused:
        create_nomination(world.campaign, world.person_award, nominee, actor=world.nominator_a)

    assert (refused.value.message, refused.value.field) == (message, field)


def test_create_person_refused_in_another_units_area(world: World) -> None:
    nominee = Nominee(person_name="Lê Văn Tám", person_unit=world.commune_b)

    with pytest.raises(NotAllowed) as refused:
        create_nomination(world.campaign, world.person_award, nominee, actor=world.nominator_a)

    assert refused.value.message == "You can only nominate in your own unit and the units below it."


# --- one active dossier per nominee, award type and campaign --------------------------------


def test_second_dossier_for_the_same_nominee_is_refused_and_names_the_first(world: World) -> None:
    first = team(world)

    with pytest.raises(DuplicateNomination) as refused:
        team(world)

    assert refused.value.existing is first
    assert refused.value.message == (
        "Xã Sơn Định already has a dossier for Tập thể tiêu biểu in this campaign (Draft)."
    )
    assert active_count() == 1


def test_a_twin_saved_meanwhile_is_refused_and_the_transaction_goes_on(world: World) -> None:
    # Two officers create the same dossier at once: both pass the check for an existing one,
    # and the database's unique index refuses the second when it is saved.
    from recognition.nominations.services import _add_draft, build_draft

    twin = build_draft(
        world.campaign,
        world.team_award,
        Nominee(unit=world.commune_a),
        actor=world.nominator_a,
    )
    first = team(world)

    with pytest.raises(DuplicateNomination) as refused:
        _add_draft(twin)

    assert (refused.value.existing is first, active_count()) == (True, 1)


def test_the_same_person_is_recognised_whatever_the_spelling(world: World) -> None:
    first = person(world, name="Nguyễn Thị Đào")

    with pytest.raises(DuplicateNomination) as refused:
        person(world, name="nguyen thi dao")

    assert refused.value.existing is first


@pytest.mark.parametrize("typed", ["Nguyễn Thị\u200b Đào", "Nguyễn\x00 Thị Đào\ufeff"])
def test_the_same_person_is_recognised_through_invisible_characters(
    world: World, typed: str
) -> None:
    # The key is made of the name as stored (cleaned): a pasted zero-width space made another
    # person of the same one, and a NUL in the key was refused by PostgreSQL (a 500).
    first = person(world, name="Nguyễn Thị Đào")

    with pytest.raises(DuplicateNomination) as refused:
        person(world, name=typed)

    assert refused.value.existing is first


def test_the_same_name_without_a_year_of_birth_is_asked_for_it(world: World) -> None:
    first = person(world, name="Huỳnh Thị Chín", birth_year=1985)

    with pytest.raises(DomainError) as refused:
        person(world, name="Huỳnh Thị Chín", birth_year=None)

    assert refused.value.field == "person_birth_year"
    assert refused.value.message == (
        f"Huỳnh Thị Chín of {world.commune_a.name} already has a dossier for "
        f"{world.person_award.name} in this campaign ({first.state.label}) and the year of "
        "birth does not tell them apart: if they are two people, give the year of birth of each."
    )
    assert active_count() == 1
    # Two years of birth: two people of the same name, each with their dossier.
    person(world, name="Huỳnh Thị Chín", birth_year=1990)
    assert active_count() == 2


def test_a_withdrawn_dossier_does_not_block_a_new_one(world: World) -> None:
    first = fill_in(team(world), world, world.nominator_a)
    apply_transition(first, Action.SUBMIT, actor=world.nominator_a, today=INSIDE)
    apply_transition(first, Action.WITHDRAW, actor=world.nominator_a, today=INSIDE)

    second = team(world)

    assert (first.state, second.state, second.nominee_key) == (
        "withdrawn",
        "draft",
        first.nominee_key,
    )


def test_the_same_nominee_may_have_a_dossier_for_another_award(world: World) -> None:
    other = AwardTypeFactory(awarding_body=world.body, name="Giấy khen tập thể")
    from recognition.campaigns.services import offer_award

    offer_award(world.campaign, other, quota=None)
    team(world)

    second = NominationFactory(
        campaign=world.campaign,
        award_type=other,
        actor=world.nominator_a,
        nominee_unit=world.commune_a,
    )

    assert second.award_type_id == other.id


def test_the_database_keeps_one_active_dossier_per_nominee(world: World) -> None:
    """The partial unique index holds even when the service's check is bypassed (a race)."""
    first = team(world)
    twin = Nomination(
        campaign=world.campaign,
        award_type=world.team_award,
        nominating_unit=world.commune_a,
        nominee_unit=world.commune_a,
        nominee_name=first.nominee_name,
        nominee_folded=first.nominee_folded,
        nominee_sort=first.nominee_sort,
        nominee_key=first.nominee_key,
        created_by=world.nominator_a,
    )
    db.session.add(twin)

    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.flush()


def test_the_database_allows_a_twin_of_a_withdrawn_dossier(world: World) -> None:
    first = fill_in(team(world), world, world.nominator_a)
    apply_transition(first, Action.SUBMIT, actor=world.nominator_a, today=INSIDE)
    apply_transition(first, Action.WITHDRAW, actor=world.nominator_a, today=INSIDE)
    twin = Nomination(
        campaign=world.campaign,
        award_type=world.team_award,
        nominating_unit=world.commune_a,
        nominee_unit=world.commune_a,
        nominee_name=first.nominee_name,
        nominee_folded=first.nominee_folded,
        nominee_sort=first.nominee_sort,
        nominee_key=first.nominee_key,
        created_by=world.nominator_a,
    )
    db.session.add(twin)
    db.session.flush()

    assert twin.id is not None


# --- edit ----------------------------------------------------------------------------------


def test_save_draft_texts_and_self_assessment(world: World) -> None:
    nomination = team(world)

    changed = update_nomination(
        nomination,
        Report(
            summary="  Dẫn đầu   phong trào ", general="Dòng 1\r\nDòng 2", achievements="Thành tích"
        ),
        {
            world.yes_no.id: Answer(met=False),
            world.number.id: Answer(value=Decimal("65.5"), evidence_note="Báo cáo 2024"),
            world.text.id: Answer(text="Mô hình hay"),
        },
        actor=world.nominator_a,
    )

    db.session.expire_all()
    saved = db.session.get(Nomination, nomination.id)
    answers = {a.criterion_id: (a.met, a.value, a.text, a.evidence_note) for a in saved.answers}
    assert changed == [
        "summary",
        "report_general",
        "report_achievements",
        "criterion:TB1",
        "criterion:TB2",
        "criterion:TB3",
    ]
    assert (saved.summary, saved.report_general, saved.report_achievements) == (
        "Dẫn đầu phong trào",
        "Dòng 1\nDòng 2",
        "Thành tích",
    )
    assert answers == {
        world.yes_no.id: (False, None, "", ""),
        world.number.id: (None, Decimal("65.50"), "", "Báo cáo 2024"),
        world.text.id: (None, None, "Mô hình hay", ""),
    }
    assert saved.events == []  # a draft's edits are not audited


def test_saving_the_same_values_changes_nothing(world: World) -> None:
    nomination = fill_in(team(world), world, world.nominator_a)
    version = nomination.version

    changed = update_nomination(
        nomination,
        Report(summary="Tóm tắt"),
        {world.yes_no.id: Answer(met=True)},
        actor=world.nominator_a,
    )

    assert (changed, nomination.version) == ([], version)


def test_an_empty_answer_is_not_stored_and_unknown_criteria_are_ignored(world: World) -> None:
    nomination = team(world)

    changed = update_nomination(
        nomination,
        Report(summary="Tóm tắt thành tích"),
        {world.yes_no.id: Answer(), 999_999: Answer(met=True)},
        actor=world.nominator_a,
    )

    assert changed == []
    assert db.session.scalar(select(func.count(CriterionAnswer.id))) == 0


def test_editing_a_person_updates_the_nominee_name_and_key(world: World) -> None:
    nomination = person(world)

    update_nomination(
        nomination,
        Report(summary="Tóm tắt thành tích"),
        {},
        actor=world.nominator_a,
        person=Nominee(
            person_name="Nguyễn Thị Đào Hoa",
            person_unit=world.hamlet_a,
            person_birth_year=1986,
            person_gender=Gender.FEMALE,
        ),
    )

    assert (
        nomination.nominee_name,
        nomination.nominee_folded,
        nomination.nominee_key,
        nomination.person_unit_id,
        nomination.person_position,
    ) == (
        "Nguyễn Thị Đào Hoa",
        "nguyen thi dao hoa",
        f"person:nguyen thi dao hoa|1986|{world.hamlet_a.id}",
        world.hamlet_a.id,
        None,
    )


def test_edit_with_a_stale_version_is_refused(world: World) -> None:
    nomination = team(world)
    seen = nomination.version
    update_nomination(nomination, Report(summary="Lần 1"), {}, actor=world.nominator_a)

    with pytest.raises(ConcurrentUpdate) as refused:
        update_nomination(
            nomination, Report(summary="Lần 2"), {}, actor=world.nominator_a, expected_version=seen
        )

    assert refused.value.message == (
        "Someone else saved this dossier while you were editing it: your changes were not "
        "saved. Your text is kept below, and what they saved is shown above it; saving again "
        "replaces theirs with yours."
    )
    assert nomination.summary == "Lần 1"


def test_nominator_of_another_unit_cannot_edit(world: World) -> None:
    nomination = team(world)

    with pytest.raises(NotAllowed) as refused:
        update_nomination(nomination, Report(summary="x"), {}, actor=world.nominator_b)

    assert refused.value.message == "This dossier cannot be changed now."


def test_a_submitted_dossier_cannot_be_edited(world: World) -> None:
    nomination = fill_in(team(world), world, world.nominator_a)
    apply_transition(nomination, Action.SUBMIT, actor=world.nominator_a, today=INSIDE)

    with pytest.raises(NotAllowed) as refused:
        update_nomination(nomination, Report(summary="Sửa"), {}, actor=world.nominator_a)

    assert refused.value.message == "This dossier cannot be changed now."


def test_edits_after_being_sent_back_are_recorded(world: World) -> None:
    nomination = fill_in(team(world), world, world.nominator_a)
    apply_transition(nomination, Action.SUBMIT, actor=world.nominator_a, today=INSIDE)
    apply_transition(nomination, Action.TAKE, actor=world.secretariat, today=INSIDE)
    apply_transition(
        nomination, Action.SEND_BACK, actor=world.secretariat, comment="Bổ sung", today=INSIDE
    )

    changed = update_nomination(
        nomination,
        Report(summary="Tóm tắt mới"),
        {world.yes_no.id: Answer(met=False)},
        actor=world.nominator_a,
    )

    last = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_kind == "nomination", AuditEvent.object_id == nomination.id)
        .order_by(AuditEvent.id.desc())
    ).first()
    assert changed == ["summary", "criterion:TB1"]
    assert (last.action, last.from_state, last.to_state, last.comment, last.actor_id) == (
        "edit",
        "returned",
        "returned",
        "summary, criterion:TB1",
        world.nominator_a.id,
    )


# --- delete and files ----------------------------------------------------------------------


def test_delete_a_never_submitted_draft(world: World, upload_dir) -> None:  # type: ignore[no-untyped-def]
    from io import BytesIO

    nomination = fill_in(team(world), world, world.nominator_a)
    attachment = add_attachment(nomination, BytesIO(PDF), "Biên bản.pdf", actor=world.nominator_a)
    key = attachment.storage_key

    delete_draft(nomination, actor=world.nominator_a)
    db.session.commit()

    assert storage.exists(key) is False
    assert db.session.scalar(select(func.count(Nomination.id))) == 0
    assert db.session.scalar(select(func.count(CriterionAnswer.id))) == 0
    assert db.session.scalar(select(func.count(Attachment.id))) == 0


@pytest.mark.parametrize("path", [["submit"], ["submit", "withdraw"]])
def test_a_submitted_dossier_cannot_be_deleted(world: World, path: list[str]) -> None:
    nomination = fill_in(team(world), world, world.nominator_a)
    for action in path:
        apply_transition(nomination, Action(action), actor=world.nominator_a, today=INSIDE)

    with pytest.raises(NotAllowed) as refused:
        delete_draft(nomination, actor=world.nominator_a)

    assert refused.value.message == "Only a draft that was never submitted can be deleted."
    assert db.session.get(Nomination, nomination.id) is nomination


def test_nominator_of_another_unit_cannot_delete(world: World) -> None:
    nomination = team(world)

    with pytest.raises(NotAllowed):
        delete_draft(nomination, actor=world.nominator_b)

    assert nomination.state == NominationState.DRAFT.value


def test_remove_a_file_of_a_draft_deletes_its_row(world: World, upload_dir) -> None:  # type: ignore[no-untyped-def]
    from io import BytesIO

    nomination = team(world)
    attachment = add_attachment(nomination, BytesIO(PDF), "a.pdf", actor=world.nominator_a)
    key = attachment.storage_key

    remove_attachment(attachment, actor=world.nominator_a)
    db.session.commit()

    assert storage.exists(key) is False
    assert db.session.scalar(select(func.count(Attachment.id))) == 0


def test_remove_a_file_after_submission_only_marks_it(world: World, upload_dir) -> None:  # type: ignore[no-untyped-def]
    from io import BytesIO

    nomination = fill_in(team(world), world, world.nominator_a)
    attachment = add_attachment(nomination, BytesIO(PDF), "Tờ trình.pdf", actor=world.nominator_a)
    apply_transition(nomination, Action.SUBMIT, actor=world.nominator_a, today=INSIDE)
    apply_transition(nomination, Action.TAKE, actor=world.secretariat, today=INSIDE)
    apply_transition(
        nomination, Action.SEND_BACK, actor=world.secretariat, comment="Thiếu", today=INSIDE
    )

    remove_attachment(attachment, actor=world.nominator_a)
    db.session.commit()

    db.session.expire_all()
    kept = db.session.get(Attachment, attachment.id)
    event = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_kind == "nomination", AuditEvent.object_id == nomination.id)
        .order_by(AuditEvent.id.desc())
    ).first()
    assert storage.exists(kept.storage_key) is True
    assert kept.removed_at is not None
    assert db.session.get(Nomination, nomination.id).attachments == []
    assert (event.action, event.comment) == ("edit", "-file:Tờ trình.pdf")


def test_a_file_for_a_criterion_of_another_award_is_refused(world: World, upload_dir) -> None:  # type: ignore[no-untyped-def]
    from io import BytesIO

    from tests.support.factories import CriterionFactory

    nomination = team(world)
    foreign = CriterionFactory(award_type=world.person_award, code="LD1")

    with pytest.raises(DomainError) as refused:
        add_attachment(
            nomination, BytesIO(PDF), "a.pdf", actor=world.nominator_a, criterion=foreign
        )

    assert refused.value.message == "That criterion does not belong to this dossier."
    assert stored_keys() == []
