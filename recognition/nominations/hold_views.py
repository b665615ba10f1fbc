"""The dossier page, and holding a dossier while its nominee is under discipline, inspection
or complaint review (NĐ 152/2025/NĐ-CP art. 4) and lifting the hold."""

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from recognition.common.forms import ConfirmForm, parse_id, show_domain_error
from recognition.common.loading import load_or_404
from recognition.database import local_today
from recognition.errors import ConcurrentUpdate, DomainError, NotAllowed
from recognition.extensions import db
from recognition.nominations.blueprint import bp
from recognition.nominations.enums import Action, HoldKind
from recognition.nominations.forms import ActionForm, HoldForm, ReleaseForm
from recognition.nominations.guards import submit_problems, unmet_by_its_own_account
from recognition.nominations.history_guards import same_achievement_warning
from recognition.nominations.holds import hold_nomination, release_hold
from recognition.nominations.models import Nomination
from recognition.nominations.permissions import (
    body_acting_for,
    can_delete_nomination,
    can_view_nomination,
    is_secretariat_of,
)
from recognition.nominations.queries import PAGE_OPTIONS, changes_of, return_note
from recognition.nominations.workflow import LIFECYCLE, TRANSITIONS, available_actions


def load_dossier(nomination_id: int) -> Nomination:
    """The dossier with what its pages show (404), if the user may see it (403; a nominator
    whose unit lies above it, past another awarding body, is told which body it belongs to)."""
    nomination = load_or_404(Nomination, nomination_id, options=PAGE_OPTIONS)
    if not can_view_nomination(current_user, nomination):
        body = body_acting_for(current_user, nomination.nominating_unit)
        if body is not None:
            raise NotAllowed(
                _(
                    "%(unit)s lies within %(body)s: its dossiers are opened and changed by "
                    "%(body)s's officers.",
                    unit=nomination.nominating_unit.name,
                    body=body.name,
                )
            )
        abort(403)
    return nomination


def offered_actions(nomination: Nomination) -> list[Action]:
    """The workflow actions the dossier page offers the current user.

    The transition table still lets a nominator withdraw a draft (the API keeps it), but the
    page offers "Delete the draft" for a draft instead: a draft that was never sent is deleted,
    not withdrawn, and without the withdraw button the comment box meant for the secretariat is
    not shown to the nominator either."""
    actions = available_actions(current_user, nomination)
    if can_delete_nomination(current_user, nomination):
        actions = [a for a in actions if a != Action.WITHDRAW]
    return actions


def dossier_page(
    nomination: Nomination,
    *,
    hold_form: HoldForm | None = None,
    release_form: ReleaseForm | None = None,
    action_form: ActionForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    actions = offered_actions(nomination)
    return (
        render_template(
            "nominations/detail.html",
            nomination=nomination,
            actions=actions,
            blocked=blocked_actions(nomination, actions),
            returned=return_note(nomination),
            changes=changes_of(nomination),
            same_achievement=(
                same_achievement_warning(nomination)
                if {Action.SUBMIT, Action.RESUBMIT} & set(actions)
                else None
            ),
            unmet=(
                unmet_by_its_own_account(nomination)
                if {Action.SUBMIT, Action.RESUBMIT} & set(actions)
                else None
            ),
            transitions=TRANSITIONS,
            action_form=action_form or ActionForm(version=nomination.version),
            confirm=ConfirmForm(),
            hold_form=hold_form or HoldForm(formdata=None, version=nomination.version),
            release_form=release_form or ReleaseForm(formdata=None, version=nomination.version),
        ),
        status,
    )


def blocked_actions(nomination: Nomination, actions: list[Action]) -> dict[Action, list[str]]:
    """For each offered submission that its guard would refuse today, the reasons, one by
    one, and for a send-back past the limit, why: the page shows them beside a disabled
    button before anyone clicks."""
    blocked: dict[Action, list[str]] = {}
    for action in actions:
        if action in (Action.SUBMIT, Action.RESUBMIT):
            problems = submit_problems(nomination, local_today())
            if problems:
                blocked[action] = problems
        elif action == Action.SEND_BACK:
            refusal = LIFECYCLE.refusal(nomination, action, today=local_today())
            if refusal:
                blocked[action] = [refusal]
    return blocked


def _hold_change(
    nomination_id: int, form: HoldForm | ReleaseForm, change: Any
) -> ResponseReturnValue:
    """Validate the hold or release form and apply `change`; on a refusal, the page again with
    what was typed and the message."""
    nomination = load_dossier(nomination_id)
    if not is_secretariat_of(current_user, nomination):
        abort(403)
    here = url_for("nominations.detail", nomination_id=nomination_id)
    forms = {"hold_form" if isinstance(form, HoldForm) else "release_form": form}
    if not form.validate_on_submit():
        return dossier_page(nomination, **forms, status=400)
    try:
        change(nomination, form)
    except ConcurrentUpdate as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect(here)
    except DomainError as error:
        db.session.rollback()
        show_domain_error(form, error)
        return dossier_page(
            db.session.get(Nomination, nomination_id) or nomination,
            **forms,
            status=error.status_code,
        )
    db.session.commit()
    return redirect(here)


@bp.post("/<int:nomination_id>/hold")
@login_required
def hold(nomination_id: int) -> ResponseReturnValue:
    def change(nomination: Nomination, form: Any) -> None:
        hold_nomination(
            nomination,
            kind=HoldKind(form.kind.data),
            reason=form.reason.data or "",
            actor=current_user,
            expected_version=parse_id(form.version.data),
        )
        flash(_("The dossier is held. The nominators have been told."), "success")

    return _hold_change(nomination_id, HoldForm(), change)


@bp.post("/<int:nomination_id>/release")
@login_required
def release(nomination_id: int) -> ResponseReturnValue:
    def change(nomination: Nomination, form: Any) -> None:
        release_hold(
            nomination,
            reason=form.reason.data or "",
            actor=current_user,
            expected_version=parse_id(form.version.data),
        )
        flash(_("The hold has been lifted. The nominators have been told."), "success")

    return _hold_change(nomination_id, ReleaseForm(), change)
