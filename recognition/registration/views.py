"""Emulation registration: the secretariat opens a year and follows who has registered; each
unit's nominators register its titles and sign the pledge."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from recognition.campaigns.models import AwardType
from recognition.common.forms import ConfirmForm, parse_id, show_domain_error
from recognition.common.i18n import short_date
from recognition.common.loading import load_or_404, require
from recognition.database import local_today
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.registration.forms import LINE_SLOTS, CallForm, ChangeCallForm, RegisterForm
from recognition.registration.models import Registration, RegistrationCall
from recognition.registration.permissions import (
    can_change_registration,
    can_follow_registration,
    can_open_registration,
    can_register,
    uses_registration,
)
from recognition.registration.queries import (
    call_overview,
    calls_of_bodies,
    calls_to_register,
    catalogue_of,
    registration_of,
    staff_bodies,
)
from recognition.registration.services import (
    Line,
    change_registration,
    open_registration,
    register_unit,
    remind_unregistered,
)
from recognition.units.models import Unit

bp = Blueprint("registration", __name__, url_prefix="/registration")


@bp.get("/")
@require(uses_registration)
def index() -> ResponseReturnValue:
    """The calls the user follows (staff) and the units the user registers (nominators)."""
    bodies = staff_bodies(current_user)
    return render_template(
        "registration/index.html",
        bodies=bodies,
        calls=calls_of_bodies(bodies),
        to_register=calls_to_register(current_user),
        today=local_today(),
    )


@bp.route("/new/<int:body_id>", methods=["GET", "POST"])
@login_required
def new_call(body_id: int) -> ResponseReturnValue:
    """Open a year's registration: its deadline and pledge."""
    body = load_or_404(Unit, body_id, permitted=can_open_registration)
    form = CallForm()
    if not form.is_submitted():
        # This year, or the first year after it that is not open yet.
        opened = {call.year for call in calls_of_bodies([body])}
        form.year.data = next(y for y in range(local_today().year, 2101) if y not in opened)
    if form.validate_on_submit():
        try:
            call = open_registration(
                body,
                actor=current_user,
                year=form.year.data or 0,
                deadline=form.deadline.data,
                pledge=form.pledge.data or "",
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The registration for %(year)s is open.", year=call.year), "success")
            if call.deadline < local_today():
                flash(_past_deadline(call), "warning")
            return redirect(url_for("registration.call", call_id=call.id))
    return render_template("registration/new_call.html", body=body, form=form)


def _past_deadline(call: RegistrationCall) -> str:
    return _(
        "The deadline, %(date)s, has already passed: every unit that registers now is shown as "
        "late. Move the deadline if it was mistyped.",
        date=short_date(call.deadline),
    )


@bp.route("/calls/<int:call_id>/edit", methods=["GET", "POST"])
@login_required
def change_call(call_id: int) -> ResponseReturnValue:
    """Move the deadline of a year's registration, or correct its pledge before anyone signs."""
    found = load_or_404(RegistrationCall, call_id, permitted=can_change_registration)
    form = ChangeCallForm(obj=found)
    if form.validate_on_submit():
        try:
            changed = change_registration(
                found,
                actor=current_user,
                deadline=form.deadline.data,
                pledge=form.pledge.data or "",
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            if changed:
                flash(
                    _("The registration for %(year)s has been changed.", year=found.year), "success"
                )
                if found.deadline < local_today():
                    flash(_past_deadline(found), "warning")
            else:
                flash(_("Nothing was changed."), "info")
            return redirect(url_for("registration.call", call_id=found.id))
    return render_template("registration/change_call.html", call=found, form=form)


@bp.get("/calls/<int:call_id>")
@login_required
def call(call_id: int) -> ResponseReturnValue:
    """Who has registered by when, who has signed the pledge, who has not registered."""
    found = load_or_404(RegistrationCall, call_id, permitted=can_follow_registration)
    rows = call_overview(found)
    return render_template(
        "registration/call.html",
        call=found,
        rows=rows,
        missing=sum(1 for row in rows if row.registration is None),
        form=ConfirmForm(),
    )


@bp.get("/records/<int:registration_id>")
@login_required
def record(registration_id: int) -> ResponseReturnValue:
    """Where the audit log links a registration: the unit's form for its nominators, the
    year's overview for the body's staff."""
    found = load_or_404(Registration, registration_id)
    if can_register(current_user, found.call, found.unit):
        return redirect(
            url_for("registration.register", call_id=found.call_id, unit_id=found.unit_id)
        )
    if can_follow_registration(current_user, found.call):
        return redirect(url_for("registration.call", call_id=found.call_id))
    abort(403)


@bp.post("/calls/<int:call_id>/remind")
@login_required
def remind(call_id: int) -> ResponseReturnValue:
    found = load_or_404(RegistrationCall, call_id, permitted=can_follow_registration)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        told = remind_unregistered(found, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("Reminders sent: %(num)d.", num=told), "success")
    return redirect(url_for("registration.call", call_id=found.id))


def _slots(form: RegisterForm) -> list[tuple[Any, Any]]:
    return [(form[f"award_{n}"], form[f"nominee_{n}"]) for n in range(1, LINE_SLOTS + 1)]


def _lines(form: RegisterForm, catalogue: dict[int, AwardType]) -> list[Line]:
    lines = []
    for award_field, nominee_field in _slots(form):
        award_id = parse_id(award_field.data)
        nominee = nominee_field.data or ""
        if award_id is None and not nominee.strip():
            continue
        award = catalogue.get(award_id) if award_id is not None else None
        if award is None:
            raise DomainError(
                _("Choose a title for each line you fill in."), field=award_field.name
            )
        lines.append(Line(award, nominee))
    return lines


@bp.route("/calls/<int:call_id>/units/<int:unit_id>", methods=["GET", "POST"])
@login_required
def register(call_id: int, unit_id: int) -> ResponseReturnValue:
    """A unit's registration: its titles and nominees, and its signature of the pledge."""
    found = load_or_404(RegistrationCall, call_id)
    unit = load_or_404(Unit, unit_id)
    if unit.parent_id != found.awarding_body_id:
        abort(404)
    if not can_register(current_user, found, unit):
        abort(403)
    existing = registration_of(found, unit)
    catalogue = {award.id: award for award in catalogue_of(found.awarding_body)}
    form = RegisterForm()
    choices = [("", "—"), *((str(a.id), a.name) for a in catalogue.values())]
    for award_field, _nominee in _slots(form):
        award_field.choices = choices
    if not form.is_submitted() and existing is not None:
        for (award_field, nominee_field), line in zip(_slots(form), existing.lines, strict=False):
            award_field.data = str(line.award_type_id)
            nominee_field.data = line.nominee
    if form.validate_on_submit():
        try:
            register_unit(
                found,
                unit,
                actor=current_user,
                lines=_lines(form, catalogue),
                sign=bool(form.sign.data),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(
                _("%(unit)s is registered for %(year)s.", unit=unit.name, year=found.year),
                "success",
            )
            return redirect(url_for("registration.index"))
    return render_template(
        "registration/register.html",
        slots=_slots(form),
        call=found,
        unit=unit,
        registration=existing,
        form=form,
        late=local_today() > found.deadline,
    )
