"""Reward money: a line's amount corrected, a decision's payment list (XLSX, PDF), and an
awarding body's emulation fund of a year."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from recognition.common.downloads import PDF, XLSX, send_document
from recognition.common.forms import show_domain_error
from recognition.common.i18n import number
from recognition.common.loading import load_or_404
from recognition.common.numbering import file_stem
from recognition.database import local_today
from recognition.decisions.money import services
from recognition.decisions.money.forms import AmountForm, FundForm
from recognition.decisions.money.payments import payment_workbook, render_payment_list
from recognition.decisions.money.permissions import (
    can_edit_fund,
    can_override_amount,
    can_view_fund,
    can_view_money,
)
from recognition.decisions.money.queries import decision_money, fund_status
from recognition.decisions.permissions import is_secretariat_of
from recognition.decisions.views import load_decision
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.law.rules import rules_on
from recognition.units.models import Unit

bp = Blueprint("money", __name__, url_prefix="/money")


def _file_name(decision_id: int, reference: str | None) -> str:
    return f"chi-tien-thuong-{file_stem(decision_id, reference)}"


@bp.get("/decisions/<int:decision_id>/payments.xlsx")
@login_required
def payments_xlsx(decision_id: int) -> ResponseReturnValue:
    decision = load_decision(decision_id)
    if not can_view_money(current_user, decision):
        abort(403)
    return send_document(
        payment_workbook(decision),
        mimetype=XLSX,
        filename=f"{_file_name(decision.id, decision.reference)}.xlsx",
        inline=False,
    )


@bp.get("/decisions/<int:decision_id>/payments.pdf")
@login_required
def payments_pdf(decision_id: int) -> ResponseReturnValue:
    decision = load_decision(decision_id)
    if not can_view_money(current_user, decision):
        abort(403)
    return send_document(
        render_payment_list(decision),
        mimetype=PDF,
        filename=f"{_file_name(decision.id, decision.reference)}.pdf",
    )


@bp.route("/decisions/<int:decision_id>/amounts/<int:position>", methods=["GET", "POST"])
@login_required
def amount(decision_id: int, position: int) -> ResponseReturnValue:
    """A line's computation, and the secretariat's amount in its place with a reason."""
    decision = load_decision(decision_id)
    if not can_view_money(current_user, decision):
        abort(403)
    money = decision_money(decision)
    item = next((m for m in money.lines if m.line.position == position), None)
    if item is None:
        abort(404)
    if request.method == "POST" and not can_override_amount(current_user, decision):
        # The secretariat is told the amounts are frozen (409); anyone else is refused.
        abort(409 if money.frozen and is_secretariat_of(current_user, decision) else 403)
    form = AmountForm(data={"amount": item.line.amount_override, "reason": item.line.amount_reason})
    if form.validate_on_submit():
        try:
            services.override_amount(
                decision,
                item.line,
                form.amount.data,
                reason=form.reason.data or "",
                actor=current_user,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The amount has been saved."), "success")
            return redirect(url_for("decisions.detail", decision_id=decision.id) + "#money")
    return render_template(
        "money/amount.html",
        decision=decision,
        item=item,
        money=money,
        form=form,
        editable=can_override_amount(current_user, decision),
    )


@bp.route("/funds/<int:body_id>", methods=["GET", "POST"])
@login_required
def fund(body_id: int) -> ResponseReturnValue:
    """The body's emulation fund of a year (`?year=`, this year by default): budget, the share
    for movements, what is paid and committed, what is left."""
    body = load_or_404(Unit, body_id, permitted=can_view_fund)
    editable = can_edit_fund(current_user, body)
    if request.method == "POST" and not editable:
        abort(403)
    today = local_today()
    year = request.args.get("year", type=int) or today.year
    if not 2000 <= year <= 2200:
        year = today.year
    status = fund_status(body, year)
    law_percent = rules_on(today).fund_movement_percent
    form = FundForm(
        data={
            "year": year,
            "budget": status.fund.budget if status.fund else None,
            "movement_percent": status.fund.movement_percent if status.fund else law_percent,
        }
    )
    if form.validate_on_submit():
        chosen = form.year.data or year
        percent = form.movement_percent.data
        if percent is None:
            percent = rules_on(today.replace(year=chosen, month=1, day=1)).fund_movement_percent
        try:
            services.save_fund(
                body,
                chosen,
                budget=form.budget.data or 0,
                movement_percent=percent if percent is not None else Decimal(0),
                actor=current_user,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The fund has been saved."), "success")
            saved = fund_status(body, chosen)
            if saved.remaining < 0:
                flash(
                    _(
                        "The budget is below what the year's decisions have paid and committed:"
                        " %(over)s đ over.",
                        over=number(-saved.remaining),
                    ),
                    "warning",
                )
            return redirect(url_for("money.fund", body_id=body.id, year=chosen))
    return render_template(
        "money/fund.html",
        body=body,
        year=year,
        status=status,
        form=form,
        editable=editable,
        law_percent=law_percent,
    )
