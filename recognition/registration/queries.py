"""What the registration pages list: the calls a user sees, a call's units with their
registration, a unit's registration."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.models import AwardType
from recognition.extensions import db
from recognition.registration.models import Registration, RegistrationCall, RegistrationLine
from recognition.registration.services import expected_units, expected_units_of, registration_gap
from recognition.units.models import Unit
from recognition.units.queries import represents


def calls_of_bodies(bodies: list[Unit]) -> list[RegistrationCall]:
    if not bodies:
        return []
    return list(
        db.session.scalars(
            select(RegistrationCall)
            .where(RegistrationCall.awarding_body_id.in_([b.id for b in bodies]))
            .options(selectinload(RegistrationCall.awarding_body))
            .order_by(RegistrationCall.year.desc(), RegistrationCall.id)
        )
    )


def staff_bodies(user: User) -> list[Unit]:
    """The awarding bodies whose registration the user follows (secretariat or chair)."""
    found = {
        unit.id: unit
        for role in (Role.SECRETARIAT, Role.CHAIR)
        for unit in user.units_with(role)
        if unit.is_awarding_body and unit.is_active
    }
    return sorted(found.values(), key=lambda unit: unit.name_sort)


@dataclass(frozen=True)
class UnitCall:
    """A unit the user registers, in one body's call, with its registration if any."""

    call: RegistrationCall
    unit: Unit
    registration: Registration | None


def calls_to_register(user: User) -> list[UnitCall]:
    """For each unit the user nominates for that sits directly below an awarding body (or
    each unit below a body the user nominates for), the body's calls."""
    pairs: dict[tuple[int, int], Unit] = {}
    bodies: dict[int, Unit] = {}
    for own in user.units_with(Role.NOMINATOR):
        if own.parent is not None and own.parent.is_awarding_body and own.is_active:
            pairs[(own.parent.id, own.id)] = own
            bodies[own.parent.id] = own.parent
        if own.is_awarding_body:
            # The body's own office registers for the units the body expects (those that
            # nominate), as the body's overview counts them: not every team or office below,
            # nor a body below (which registers through its own office).
            for child in expected_units_of(own):
                if represents(own, child):
                    pairs[(own.id, child.id)] = child
            bodies[own.id] = own
    calls = calls_of_bodies(list(bodies.values()))
    registrations = (
        {
            (r.call_id, r.unit_id): r
            for r in db.session.scalars(
                select(Registration).where(
                    Registration.call_id.in_([c.id for c in calls]),
                    Registration.unit_id.in_([unit.id for unit in pairs.values()]),
                )
            )
        }
        if calls and pairs
        else {}
    )
    return [
        UnitCall(call, unit, registrations.get((call.id, unit.id)))
        for call in calls
        for (body_id, _unit_id), unit in sorted(pairs.items(), key=lambda kv: kv[1].name_sort)
        if body_id == call.awarding_body_id
    ]


@dataclass(frozen=True)
class UnitStatus:
    unit: Unit
    registration: Registration | None


def call_overview(call: RegistrationCall) -> list[UnitStatus]:
    """Every unit expected to register, with its registration, lines and signer (constant
    number of queries)."""
    registrations = {
        r.unit_id: r
        for r in db.session.scalars(
            select(Registration)
            .where(Registration.call_id == call.id)
            .options(
                selectinload(Registration.lines).selectinload(RegistrationLine.award_type),
                selectinload(Registration.signed_by),
                selectinload(Registration.registered_by),
            )
        )
    }
    return [UnitStatus(unit, registrations.get(unit.id)) for unit in expected_units(call)]


def registration_of(call: RegistrationCall, unit: Unit) -> Registration | None:
    return db.session.scalar(
        select(Registration)
        .where(Registration.call_id == call.id, Registration.unit_id == unit.id)
        .options(selectinload(Registration.lines))
    )


def catalogue_of(body: Unit) -> list[AwardType]:
    """The body's titles and commendations a unit may register for."""
    return list(
        db.session.scalars(
            select(AwardType)
            .where(AwardType.awarding_body_id == body.id, AwardType.is_active)
            .order_by(AwardType.name)
        )
    )


def register_template_globals(app: Flask) -> None:
    """The dossier pages warn about a title its unit did not register for the year."""
    app.jinja_env.globals["registration_gap"] = registration_gap
