"""Opening a year's emulation registration, registering a unit and signing its pledge,
reminding the units that have not registered; and the check a dossier's title gets against
its unit's registration. Every write is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.auth.models import RoleGrant, User
from recognition.campaigns.models import AwardType, Campaign
from recognition.common.audit import ObjectKind, record, register_more_actions, register_vocabulary
from recognition.common.i18n import short_date
from recognition.common.links import app_path
from recognition.common.text import clean, clean_multiline, fold
from recognition.database import local_today, string_length, utcnow
from recognition.errors import DomainError, NotAllowed
from recognition.extensions import db
from recognition.notifications.enums import NotificationKind
from recognition.notifications.services import notify
from recognition.registration.enums import RegistrationAction
from recognition.registration.models import Registration, RegistrationCall, RegistrationLine
from recognition.registration.permissions import (
    can_change_registration,
    can_follow_registration,
    can_open_registration,
    can_register,
)
from recognition.units.enums import UnitKind
from recognition.units.models import Unit

if TYPE_CHECKING:
    from recognition.nominations.models import Nomination

register_vocabulary(ObjectKind.REGISTRATION, RegistrationAction)
register_more_actions(ObjectKind.UNIT, RegistrationAction)

PLEDGE_MAX = 10000
MAX_LINES = 30
NOMINEE_MAX = string_length(RegistrationLine.nominee)


def open_registration(
    body: Unit, *, actor: User, year: int, deadline: date, pledge: str
) -> RegistrationCall:
    """Open the body's registration for `year`: the deadline and the pledge the units sign.
    Recorded on the body; flushes."""
    if not can_open_registration(actor, body):
        raise NotAllowed(_("Only the awarding body's secretariat opens its registration."))
    if not 2000 <= year <= 2100:
        raise DomainError(_("Give a year between 2000 and 2100."), field="year")
    _check_deadline(year, deadline)
    text = _checked_pledge(pledge)
    taken = db.session.scalar(
        select(RegistrationCall.id).where(
            RegistrationCall.awarding_body_id == body.id, RegistrationCall.year == year
        )
    )
    if taken is not None:
        raise DomainError(
            _("The registration for %(year)s is already open.", year=year), field="year"
        )
    call = RegistrationCall(awarding_body=body, year=year, deadline=deadline, pledge=text)
    db.session.add(call)
    db.session.flush()
    record(
        ObjectKind.UNIT,
        body.id,
        RegistrationAction.OPEN,
        actor=actor,
        subject=body.name,
        comment=f"{year} · {deadline.isoformat()}",
    )
    return call


def change_registration(
    call: RegistrationCall, *, actor: User, deadline: date, pledge: str
) -> bool:
    """Move the deadline of a year's registration or correct its pledge; returns whether
    anything changed (recorded on the body). The pledge cannot change once a unit has signed
    it: what they signed stays what the call says. Flushes."""
    body = call.awarding_body
    if not can_change_registration(actor, call):
        raise NotAllowed(_("Only the awarding body's secretariat changes its registration."))
    _check_deadline(call.year, deadline)
    text = _checked_pledge(pledge)
    if text != call.pledge:
        signed = db.session.scalar(
            select(Registration.id)
            .where(Registration.call_id == call.id, Registration.signed_at.is_not(None))
            .limit(1)
        )
        if signed is not None:
            raise DomainError(
                _(
                    "A unit has already signed this pledge: it can no longer be changed. Only "
                    "the deadline can be moved."
                ),
                field="pledge",
            )
    changes = []
    if deadline != call.deadline:
        changes.append(f"{call.deadline.isoformat()} → {deadline.isoformat()}")
        call.deadline = deadline
    if text != call.pledge:
        # An audit comment, in the default language whoever acts.
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            changes.append(_("pledge changed"))
        call.pledge = text
    if not changes:
        return False
    db.session.flush()
    record(
        ObjectKind.UNIT,
        body.id,
        RegistrationAction.CHANGE,
        actor=actor,
        subject=body.name,
        comment=f"{call.year} · " + "; ".join(changes),
    )
    return True


def _check_deadline(year: int, deadline: date) -> None:
    if deadline.year not in (year - 1, year):
        raise DomainError(
            _("The deadline falls in %(year)s or at the end of the year before.", year=year),
            field="deadline",
        )


def _checked_pledge(pledge: str) -> str:
    text = clean_multiline(pledge)
    if not text:
        raise DomainError(_("Write the pledge the units sign."), field="pledge")
    if len(text) > PLEDGE_MAX:
        raise DomainError(
            _("The pledge is longer than %(max)d characters.", max=PLEDGE_MAX), field="pledge"
        )
    return text


@dataclass(frozen=True)
class Line:
    """A title the unit aims for and whom it will put forward ("" for the unit itself)."""

    award_type: AwardType
    nominee: str = ""


def register_unit(
    call: RegistrationCall, unit: Unit, *, actor: User, lines: list[Line], sign: bool
) -> Registration:
    """Save the unit's registration (its lines replace the earlier ones) and, when asked,
    its signature of the pledge. Records "register" and, the first time, "sign_pledge";
    flushes."""
    if not can_register(actor, call, unit):
        raise NotAllowed(_("Only the unit's nominators register it."))
    chosen = _clean_lines(call, lines, unit)
    registration = db.session.scalar(
        select(Registration).where(Registration.call_id == call.id, Registration.unit_id == unit.id)
    )
    if registration is None:
        if not sign:
            raise DomainError(_("Confirm the pledge to register."), field="sign")
        registration = Registration(call=call, unit=unit, registered_by=actor)
        db.session.add(registration)
    registration.updated_at = utcnow()
    registration.lines.clear()
    db.session.flush()
    for position, (award, nominee) in enumerate(chosen, start=1):
        registration.lines.append(
            RegistrationLine(position=position, award_type=award, nominee=nominee)
        )
    subject = f"{call.year} · {unit.name}"
    summary = "; ".join(
        f"{award.name}{f' — {nominee}' if nominee else ''}" for award, nominee in chosen
    )
    db.session.flush()
    record(
        ObjectKind.REGISTRATION,
        registration.id,
        RegistrationAction.REGISTER,
        actor=actor,
        subject=subject,
        comment=summary[:3000],
    )
    if sign and registration.signed_at is None:
        registration.signed_by = actor
        registration.signed_at = utcnow()
        db.session.flush()
        record(
            ObjectKind.REGISTRATION,
            registration.id,
            RegistrationAction.SIGN,
            actor=actor,
            subject=subject,
        )
    return registration


def _clean_lines(
    call: RegistrationCall, lines: list[Line], unit: Unit
) -> list[tuple[AwardType, str]]:
    chosen: list[tuple[AwardType, str]] = []
    for line in lines:
        award = line.award_type
        if award.awarding_body_id != call.awarding_body_id:
            raise DomainError(
                _("Choose the titles of the awarding body's catalogue."), field="lines"
            )
        nominee = clean(line.nominee)
        if len(nominee) > NOMINEE_MAX:
            raise DomainError(
                _("A name is longer than %(max)d characters.", max=NOMINEE_MAX), field="lines"
            )
        # A line without a name registers the unit itself: the title must be one it can hold.
        if not nominee and not award.for_units:
            raise DomainError(
                _("%(award)s is a title for a person: write whose name it is.", award=award.name),
                field="lines",
            )
        kinds = award.eligible_unit_kinds or []
        if not nominee and kinds and unit.kind not in kinds:
            raise DomainError(
                _(
                    "%(award)s is for %(kinds)s; %(unit)s cannot register it for itself.",
                    award=award.name,
                    kinds=", ".join(UnitKind(k).label.lower() for k in kinds),
                    unit=unit.name,
                ),
                field="lines",
            )
        if (line.award_type, fold(nominee)) not in [(a, fold(n)) for a, n in chosen]:
            chosen.append((line.award_type, nominee))
    if not chosen:
        raise DomainError(_("Register at least one title."), field="lines")
    if len(chosen) > MAX_LINES:
        raise DomainError(_("Register at most %(max)d lines.", max=MAX_LINES), field="lines")
    return chosen


def expected_units(call: RegistrationCall) -> list[Unit]:
    """The units that register with the call's body (`expected_units_of`)."""
    return expected_units_of(call.awarding_body)


def expected_units_of(body: Unit) -> list[Unit]:
    """The units that register with the body: those directly below it, in use, that nominate
    (a nominator holds a role on them or on a unit within them)."""
    children = list(
        db.session.scalars(
            select(Unit).where(Unit.parent_id == body.id, Unit.is_active).order_by(Unit.name_sort)
        )
    )
    nominating = [
        grant.unit
        for grant in db.session.scalars(
            select(RoleGrant)
            .join(RoleGrant.unit)
            .join(RoleGrant.user)
            .where(
                RoleGrant.role == Role.NOMINATOR,
                Unit.path.startswith(body.path, autoescape=True),
                User.disabled_at.is_(None),
            )
        )
    ]
    return [child for child in children if any(unit.is_within(child) for unit in nominating)]


def unregistered_units(call: RegistrationCall) -> list[Unit]:
    registered = set(
        db.session.scalars(select(Registration.unit_id).where(Registration.call_id == call.id))
    )
    return [unit for unit in expected_units(call) if unit.id not in registered]


def remind_unregistered(call: RegistrationCall, *, actor: User, today: date | None = None) -> int:
    """Notify the nominators of every unit that has not registered (in their language, with
    the link to its registration); returns how many were told. Past the deadline, the
    reminder says it passed and that a registration is still taken, as late. Recorded on the
    body."""
    if not can_follow_registration(actor, call) or not actor.holds(
        Role.SECRETARIAT, call.awarding_body
    ):
        raise NotAllowed(_("Only the awarding body's secretariat sends reminders."))
    late = (today or local_today()) > call.deadline
    told = 0
    for unit in unregistered_units(call):
        values = {
            "unit": unit.name,
            "year": call.year,
            "body": call.awarding_body.name,
            "deadline": short_date(call.deadline),
        }
        grants = db.session.scalars(
            select(RoleGrant).where(RoleGrant.unit_id == unit.id, RoleGrant.role == Role.NOMINATOR)
        )
        for user in {grant.user for grant in grants if grant.user.is_active}:
            with force_locale(user.locale or "vi"):
                text = (
                    _(
                        "%(unit)s has not registered for emulation in %(year)s with %(body)s. "
                        "The deadline was %(deadline)s: the unit can still register, and the "
                        "registration is recorded as late.",
                        **values,
                    )
                    if late
                    else _(
                        "%(unit)s has not registered for emulation in %(year)s with %(body)s "
                        "(deadline %(deadline)s).",
                        **values,
                    )
                )
            link = app_path("registration.register", call_id=call.id, unit_id=unit.id)
            notify(user, kind=NotificationKind.REGISTRATION_REMINDER, text=text, link=link)
            told += 1
    record(
        ObjectKind.UNIT,
        call.awarding_body_id,
        RegistrationAction.REMIND,
        actor=actor,
        subject=call.awarding_body.name,
        comment=f"{call.year} · {told}",
    )
    return told


def registering_unit(nominating: Unit, body: Unit) -> Unit | None:
    """The unit directly below `body` that `nominating` belongs to (itself, or an ancestor);
    None for the body itself or a unit outside it."""
    unit: Unit | None = nominating
    while unit is not None and unit.parent_id != body.id:
        unit = unit.parent
    return unit


def campaign_year(campaign: Campaign) -> int:
    """The year a campaign's dossiers count against: its period's, else its window's."""
    return (campaign.period_start or campaign.opens_on).year


def registration_gap(nomination: Nomination) -> str | None:
    """Why the dossier's title is not in its unit's registration for the campaign's year, or
    None (registered, or the body opened no registration that year)."""
    campaign = nomination.campaign
    body = campaign.awarding_body
    year = campaign_year(campaign)
    call = db.session.scalar(
        select(RegistrationCall).where(
            RegistrationCall.awarding_body_id == body.id, RegistrationCall.year == year
        )
    )
    if call is None:
        return None
    unit = registering_unit(nomination.nominating_unit, body)
    if unit is None:
        return None
    award_type_id = nomination.award_type_id
    found = db.session.scalar(
        select(RegistrationLine.id)
        .join(RegistrationLine.registration)
        .where(
            Registration.call_id == call.id,
            Registration.unit_id == unit.id,
            RegistrationLine.award_type_id == award_type_id,
        )
        .limit(1)
    )
    if found is not None:
        return None
    return _(
        "%(unit)s did not register for “%(title)s” in %(year)s.",
        unit=unit.name,
        title=nomination.award_type.name,
        year=year,
    )
