"""Registration services: opening a year (the body's secretariat only), a unit's registration
and its signed pledge (its nominators only), reminders to the units not registered only, and
the dossier's check against the registration (a warning, or a refusal where the body's rule
requires it). Every write is in the audit log."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.campaigns.enums import NomineeKind
from recognition.campaigns.models import AwardType
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.errors import DomainError, NotAllowed
from recognition.extensions import db
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.guards import submit_problems
from recognition.nominations.workflow import apply_transition
from recognition.notifications.models import Notification
from recognition.registration.models import RegistrationCall
from recognition.registration.services import (
    Line,
    open_registration,
    register_unit,
    registration_gap,
    remind_unregistered,
)
from recognition.units.enums import RegistrationRule, UnitKind
from recognition.units.settings import SettingsData, save_settings, stored_settings
from tests.registration.conftest import PLEDGE
from tests.support.factories import AwardTypeFactory, user_with
from tests.workflow.helpers import INSIDE, Scene, draft

pytestmark = pytest.mark.integration


def events(kind: ObjectKind) -> list[tuple[str, str]]:
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_kind == kind).order_by(AuditEvent.id)
    )
    return [(e.action, e.subject) for e in rows]


def test_opening_a_year_is_the_secretariats_and_is_audited(scene: Scene, year: int) -> None:
    for who in ("chair", "nominator", "other_secretariat", "admin"):
        with pytest.raises(NotAllowed):
            open_registration(
                scene.body,
                actor=getattr(scene, who),
                year=year,
                deadline=date(year, 1, 31),
                pledge=PLEDGE,
            )
    call = open_registration(
        scene.body, actor=scene.secretariat, year=year, deadline=date(year, 1, 31), pledge=PLEDGE
    )
    assert (call.year, call.deadline, call.pledge) == (year, date(year, 1, 31), PLEDGE)
    assert ("open_registration", "Huyện Chợ Lách") in events(ObjectKind.UNIT)
    with pytest.raises(DomainError, match="already open") as twice:
        open_registration(
            scene.body, actor=scene.secretariat, year=year, deadline=date(year, 2, 1), pledge="x"
        )
    assert twice.value.field == "year"


@pytest.mark.parametrize(
    ("shift", "pledge", "field"),
    [(2, PLEDGE, "deadline"), (0, " \u200b ", "pledge"), (-2, PLEDGE, "deadline")],
)
def test_a_bad_call_is_refused_on_its_field(
    scene: Scene, year: int, shift: int, pledge: str, field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        open_registration(
            scene.body,
            actor=scene.secretariat,
            year=year,
            deadline=date(year + shift, 1, 31),
            pledge=pledge,
        )
    assert refused.value.field == field


def test_a_unit_registers_and_signs_the_pledge(scene: Scene, call: RegistrationCall) -> None:
    registration = register_unit(
        call,
        scene.commune_a,
        actor=scene.nominator,
        lines=[Line(scene.award, ""), Line(scene.award, "Ấp Phú Hữu"), Line(scene.award, " ")],
        sign=True,
    )

    assert [(line.award_type, line.nominee) for line in registration.lines] == [
        (scene.award, ""),
        (scene.award, "Ấp Phú Hữu"),
    ]
    assert (registration.signed_by, registration.registered_by) == (
        scene.nominator,
        scene.nominator,
    )
    assert [action for action, _ in events(ObjectKind.REGISTRATION)] == ["register", "sign_pledge"]
    register_unit(
        call, scene.commune_a, actor=scene.nominator, lines=[Line(scene.award)], sign=True
    )
    assert [action for action, _ in events(ObjectKind.REGISTRATION)] == [
        "register",
        "sign_pledge",
        "register",
    ]


def test_registering_needs_the_pledge_a_title_and_the_bodys_catalogue(
    scene: Scene, call: RegistrationCall
) -> None:
    with pytest.raises(DomainError) as unsigned:
        register_unit(
            call, scene.commune_a, actor=scene.nominator, lines=[Line(scene.award)], sign=False
        )
    assert unsigned.value.field == "sign"
    with pytest.raises(DomainError, match="at least one title"):
        register_unit(call, scene.commune_a, actor=scene.nominator, lines=[], sign=True)
    foreign: AwardType = AwardTypeFactory(awarding_body=scene.province)
    with pytest.raises(DomainError, match="catalogue"):
        register_unit(
            call, scene.commune_a, actor=scene.nominator, lines=[Line(foreign)], sign=True
        )


def test_a_unit_registers_for_itself_only_a_title_it_can_hold(
    scene: Scene, call: RegistrationCall
) -> None:
    # A line without a name is the unit itself: a person's title needs the person's name, and
    # a title for hamlets is not a commune's own (it registers it for one of its hamlets).
    person: AwardType = AwardTypeFactory(
        awarding_body=scene.body, code="CSTDCS", nominee_kind=NomineeKind.INDIVIDUAL
    )
    hamlets: AwardType = AwardTypeFactory(
        awarding_body=scene.body, code="AVH", eligible_unit_kinds=[UnitKind.HAMLET.value]
    )

    with pytest.raises(DomainError) as nameless:
        register_unit(call, scene.commune_a, actor=scene.nominator, lines=[Line(person)], sign=True)
    with pytest.raises(DomainError) as itself:
        register_unit(
            call, scene.commune_a, actor=scene.nominator, lines=[Line(hamlets)], sign=True
        )
    registration = register_unit(
        call,
        scene.commune_a,
        actor=scene.nominator,
        lines=[Line(person, "Nguyễn Thị Đào"), Line(hamlets, "Ấp Phú Hữu")],
        sign=True,
    )

    assert nameless.value.message == (
        f"{person.name} is a title for a person: write whose name it is."
    )
    assert itself.value.message == (
        f"{hamlets.name} is for hamlet; {scene.commune_a.name} cannot register it for itself."
    )
    assert len(registration.lines) == 2


@pytest.mark.parametrize("who", ["other_nominator", "secretariat", "chair", "admin"])
def test_only_the_units_nominators_register_it(
    scene: Scene, call: RegistrationCall, who: str
) -> None:
    with pytest.raises(NotAllowed):
        register_unit(
            call, scene.commune_a, actor=getattr(scene, who), lines=[Line(scene.award)], sign=True
        )


def test_a_hamlet_is_not_a_unit_of_the_bodys_registration(
    scene: Scene, call: RegistrationCall
) -> None:
    with pytest.raises(NotAllowed):
        register_unit(
            call, scene.hamlet_a, actor=scene.nominator, lines=[Line(scene.award)], sign=True
        )


def test_the_reminder_goes_to_the_unregistered_units_only(
    scene: Scene, call: RegistrationCall
) -> None:
    register_unit(
        call, scene.commune_a, actor=scene.nominator, lines=[Line(scene.award)], sign=True
    )
    second_b = user_with(Role.NOMINATOR, scene.commune_b)

    told = remind_unregistered(call, actor=scene.secretariat, today=date(call.year, 1, 20))

    notified = db.session.scalars(
        select(Notification).where(Notification.kind == "registration_reminder")
    ).all()
    assert told == 2
    assert sorted(n.user_id for n in notified) == sorted([scene.other_nominator.id, second_b.id])
    # Each in the recipient's language.
    assert sorted(n.text.split(" (")[0] for n in notified) == sorted(
        [
            f"Xã Vĩnh Bình has not registered for emulation in {call.year} with Huyện Chợ Lách",
            f"Xã Vĩnh Bình chưa đăng ký thi đua năm {call.year} với Huyện Chợ Lách",
        ]
    )
    assert notified[0].link == f"/registration/calls/{call.id}/units/{scene.commune_b.id}"
    assert ("remind", "Huyện Chợ Lách") in events(ObjectKind.UNIT)
    with pytest.raises(NotAllowed):
        remind_unregistered(call, actor=scene.chair)


def test_a_reminder_past_the_deadline_says_it_passed(scene: Scene, call: RegistrationCall) -> None:
    # It read "(deadline 31/01/…)" as if the day were still to come.
    for nominator in (scene.nominator, scene.other_nominator):
        nominator.locale = "en"

    remind_unregistered(call, actor=scene.secretariat, today=date(call.year, 2, 1))

    texts = sorted(
        db.session.scalars(
            select(Notification.text).where(Notification.kind == "registration_reminder")
        )
    )
    assert texts == [
        f"{unit} has not registered for emulation in {call.year} with Huyện Chợ Lách. The "
        f"deadline was 31/01/{call.year}: the unit can still register, and the registration "
        "is recorded as late."
        for unit in ("Xã Sơn Định", "Xã Vĩnh Bình")
    ]


def test_a_title_not_registered_is_warned_about(scene: Scene, call: RegistrationCall) -> None:
    nomination = draft(scene)
    assert registration_gap(nomination) == (
        f"Xã Sơn Định did not register for “Tập thể tiêu biểu” in {call.year}."
    )
    assert not any("register" in p for p in submit_problems(nomination, INSIDE))
    apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
    assert nomination.state == NominationState.SUBMITTED

    register_unit(
        call, scene.commune_a, actor=scene.nominator, lines=[Line(scene.award)], sign=True
    )
    assert registration_gap(nomination) is None


def test_where_the_rule_requires_it_the_submission_is_refused(
    scene: Scene, call: RegistrationCall
) -> None:
    stored_settings(scene.body).registration_rule = RegistrationRule.REQUIRE
    nomination = draft(scene)

    with pytest.raises(DomainError, match="accepts only registered titles"):
        apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
    assert nomination.state == NominationState.DRAFT

    register_unit(
        call, scene.commune_a, actor=scene.nominator, lines=[Line(scene.award)], sign=True
    )
    apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
    assert nomination.state == NominationState.SUBMITTED


def test_no_registration_opened_no_warning(scene: Scene) -> None:
    stored_settings(scene.body).registration_rule = RegistrationRule.REQUIRE
    nomination = draft(scene)
    assert registration_gap(nomination) is None
    apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
    assert nomination.state == NominationState.SUBMITTED


def test_the_rule_is_a_setting_of_the_body_audited_and_checked(scene: Scene) -> None:
    settings = stored_settings(scene.body)
    data = {name: getattr(settings, name) for name in SettingsData.__dataclass_fields__}

    save_settings(scene.body, SettingsData(**{**data, "registration_rule": "require"}))
    assert settings.registration_rule == RegistrationRule.REQUIRE
    assert (
        db.session.scalar(
            select(AuditEvent.comment).where(AuditEvent.object_kind == ObjectKind.BODY_SETTINGS)
        )
        == "registration_rule"
    )
    with pytest.raises(DomainError) as refused:
        save_settings(scene.body, SettingsData(**{**data, "registration_rule": "sometimes"}))
    assert refused.value.field == "registration_rule"
