"""The administrator's page of the law in force: every rule, its value today, its source and
its history, the form that adds or corrects a dated value, and the button that deletes one not
yet in force."""

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from recognition.common.forms import ConfirmForm, parse_id, show_domain_error
from recognition.common.loading import load_or_404, require
from recognition.database import local_today
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.law.enums import RuleGroup, RuleKind, vote_share
from recognition.law.forms import LawValueForm
from recognition.law.models import LawValue
from recognition.law.permissions import can_edit_law
from recognition.law.registry import RULES, Rule
from recognition.law.rules import Entry, expected_changes, in_force, merged, stored_values
from recognition.law.services import (
    delete_law_value,
    display,
    input_for,
    is_deletable,
    save_law_value,
)

bp = Blueprint("law", __name__, url_prefix="/admin/law")
# "at least 80 % of the council's members", "more than half (50 %) of the members present".
bp.add_app_template_global(vote_share, "vote_share")

VALUE_HELP = {
    RuleKind.TEXT_LINES: _l("One line each."),
    RuleKind.INTEGER: _l("A whole number of days."),
    RuleKind.DECIMAL: _l("A number such as 0,3."),
    RuleKind.MONEY: _l("An amount in đồng, such as 2.340.000."),
    RuleKind.PERCENT: _l("A percentage such as 15; empty for none."),
    RuleKind.FRACTION: _l("A fraction such as 2/3."),
}


@dataclass(frozen=True)
class HistoryRow:
    entry: Entry
    shown: str
    deletable: bool  # the administrator's value, not yet in force


@dataclass(frozen=True)
class RuleRow:
    rule: Rule
    today: Entry | None
    shown: str
    history: list[Entry]


def _rows(histories: dict[str, list[Entry]], today: date) -> dict[RuleGroup, list[RuleRow]]:
    groups: dict[RuleGroup, list[RuleRow]] = {group: [] for group in RuleGroup}
    for key, history in histories.items():
        rule = RULES[key]
        entry = in_force(history, today)
        shown = display(rule.kind, entry.value) if entry else "—"
        groups[rule.group].append(RuleRow(rule, entry, shown, history))
    return groups


@bp.get("")
@require(can_edit_law)
def index() -> ResponseReturnValue:
    # The audit log links a value's events here by the value's id.
    value_id = parse_id(request.args.get("value"))
    if value_id is not None:
        row = db.session.get(LawValue, value_id)
        if row is not None and row.key in RULES:
            return redirect(url_for("law.rule", key=row.key))
    histories, today = merged(stored_values()), local_today()
    return render_template(
        "law/index.html",
        groups=_rows(histories, today),
        expected=expected_changes(histories, today),
    )


@bp.route("/<key>", methods=["GET", "POST"])
@require(can_edit_law)
def rule(key: str) -> ResponseReturnValue:
    found = RULES.get(key)
    if found is None:
        abort(404)
    history = merged(stored_values())[key]
    today = local_today()
    initial = input_for(found, in_force(history, today))
    form = LawValueForm(data=initial if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            save_law_value(key, form.to_input(), actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The value has been saved."), "success")
            return redirect(url_for("law.rule", key=key))
    return render_template(
        "law/rule.html",
        rule=found,
        form=form,
        history=[
            HistoryRow(
                entry,
                display(found.kind, entry.value),
                entry.stored is not None and is_deletable(entry.stored, today=today),
            )
            for entry in reversed(history)
        ],
        today=in_force(history, today),
        value_help=VALUE_HELP.get(found.kind),
    )


@bp.post("/values/<int:law_value_id>/delete")
@require(can_edit_law)
def delete_value(law_value_id: int) -> ResponseReturnValue:
    row = load_or_404(LawValue, law_value_id)
    if row.key not in RULES:  # no page shows it
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    key = row.key
    delete_law_value(row, actor=current_user)
    db.session.commit()
    flash(_("The dated value has been deleted."), "success")
    return redirect(url_for("law.rule", key=key))
