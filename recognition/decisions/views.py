"""Decisions: draft, post, issue, annul; the body's settings. Certificates are served by
`certificates.views`, printing on blanks by `blanks.views`."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from recognition.certificates.rendering import store_certificates
from recognition.common.downloads import PDF, XLSX, send_document, send_stored
from recognition.common.forms import ConfirmForm, parse_ids, show_domain_error
from recognition.common.i18n import name_in_sentence
from recognition.common.loading import load_or_404
from recognition.common.numbering import file_stem
from recognition.common.pagination import paginate
from recognition.common.signing import SigningFailed
from recognition.database import local_today
from recognition.decisions import annulments, services
from recognition.decisions.documents import render_decision
from recognition.decisions.enums import DecisionAction, DecisionState
from recognition.decisions.export import decision_xlsx, decisions_xlsx
from recognition.decisions.forms import (
    AnnulForm,
    AnnulmentRequestForm,
    DecisionForm,
    DismissAnnulmentForm,
    IssueForm,
    SettingsForm,
)
from recognition.decisions.models import Decision, DecisionLine
from recognition.decisions.money.queries import decision_money, fund_check
from recognition.decisions.permissions import (
    can_annul_decision,
    can_decide_annulment_request,
    can_draft_decision,
    can_edit_body_settings,
    can_edit_decision,
    can_issue_decision,
    can_list_decisions,
    can_post_decision,
    can_request_annulment,
    can_view_decision,
)
from recognition.decisions.queries import (
    bodies_for_user,
    decisions_query,
    line_counts,
    passed_count,
    passed_nominations_for_body,
)
from recognition.decisions.signing import issued_signature, sign_issued_decision, signer_for
from recognition.decisions.wording import issuing_body
from recognition.decisions.workflow import LIFECYCLE
from recognition.errors import DomainError
from recognition.extensions import db, limiter
from recognition.law.rules import rules_on
from recognition.units.models import Unit
from recognition.units.settings import SettingsData, save_settings, settings_for

bp = Blueprint("decisions", __name__, url_prefix="/decisions")
# A unit's name inside a sentence ("xã Phú Phụng") and who issues its decisions.
bp.add_app_template_filter(name_in_sentence, "in_sentence")
bp.add_app_template_global(issuing_body, "issuing_body")

# Passed dossiers offered on the decisions page per body; the rest are on the page to choose
# a decision's lines, which lists the first CHOOSE_AT_MOST (the others wait for the next one).
PASSED_SHOWN = 20
CHOOSE_AT_MOST = 300

SETTINGS_FIELDS = (
    "registration_rule",
    "superior_name",
    "issuer_name",
    "signer_office",
    "signer_title",
    "signer_name",
    "place_name",
    "number_suffix",
    "legal_bases",
    "recipients",
    "paper",
    "proposer",
    "signing_kind",
    "signing_key_file",
    "signing_module",
    "signing_token_label",
    "signing_key_label",
)


def load_decision(decision_id: int) -> Decision:
    """The decision with what its pages and documents show (lines, dossiers, titles and
    certificates); 404, then 403 unless the user may see it."""
    lines = selectinload(Decision.lines).options(
        selectinload(DecisionLine.nomination),
        selectinload(DecisionLine.award_type),
        selectinload(DecisionLine.certificate),
    )
    return load_or_404(Decision, decision_id, permitted=can_view_decision, options=[lines])


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    if not can_list_decisions(current_user):
        abort(403)
    bodies = bodies_for_user(current_user)
    drafting = [body for body in bodies if can_draft_decision(current_user, body)]
    passed = {body.id: passed_nominations_for_body(body, limit=PASSED_SHOWN) for body in drafting}
    waiting = {
        body.id: passed_count(body)
        if len(passed[body.id]) == PASSED_SHOWN
        else len(passed[body.id])
        for body in drafting
    }
    page = paginate(decisions_query(current_user, bodies), per_page=current_app.config["PAGE_SIZE"])
    return render_template(
        "decisions/index.html",
        decisions=page.items,
        page=page,
        lines=line_counts(list(page.items)),
        bodies=bodies,
        passed=passed,
        waiting=waiting,
        confirm=ConfirmForm(),
    )


@bp.get("/export.xlsx")
@login_required
def index_export() -> ResponseReturnValue:
    """Every decision of the list, as XLSX."""
    if not can_list_decisions(current_user):
        abort(403)
    content = decisions_xlsx(decisions_query(current_user, bodies_for_user(current_user)))
    return send_document(content, mimetype=XLSX, filename="quyet-dinh.xlsx", inline=False)


@bp.route("/new/<int:body_id>", methods=["GET", "POST"])
@login_required
def create(body_id: int) -> ResponseReturnValue:
    """GET: every passed dossier of the body waiting for a decision, to choose a decision's
    lines; POST: draft the decision of the chosen ones."""
    body = load_or_404(Unit, body_id)
    if request.method == "GET":
        if not can_draft_decision(current_user, body):
            abort(403)
        return render_template(
            "decisions/choose.html",
            body=body,
            passed=passed_nominations_for_body(body, limit=CHOOSE_AT_MOST),
            waiting=passed_count(body),
            confirm=ConfirmForm(),
        )
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ids = parse_ids(request.form.getlist("nomination_id"))
    chosen = [n for n in passed_nominations_for_body(body) if n.id in ids]
    decision = services.draft_decision(body, chosen, actor=current_user)
    db.session.commit()
    flash(
        _("The draft decision has been prepared. Check its texts before it is issued."), "success"
    )
    return redirect(url_for("decisions.detail", decision_id=decision.id))


def _texts(form: DecisionForm) -> services.DecisionTexts:
    return services.DecisionTexts(
        title=form.title.data or "",
        legal_bases=form.legal_bases.data or "",
        articles=form.articles.data or "",
        recipients=form.recipients.data or "",
        proposal=form.proposal.data or "",
        signer_title=form.signer_title.data or "",
        signer_name=form.signer_name.data or "",
    )


def _actions(decision: Decision) -> dict[DecisionAction, str | None]:
    """The actions the page offers (from the table), each with the guard's refusal or None."""
    today = local_today()
    return {
        action: LIFECYCLE.refusal(decision, action, today=today)
        for action in LIFECYCLE.available(current_user, decision)
    }


@bp.route("/<int:decision_id>", methods=["GET", "POST"])
@login_required
def detail(decision_id: int) -> ResponseReturnValue:
    decision = load_decision(decision_id)
    form = DecisionForm(obj=decision)
    editable = can_edit_decision(current_user, decision)
    if request.method == "POST" and not editable:
        abort(403)
    if form.validate_on_submit():
        try:
            services.update_draft(decision, _texts(form), actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("decisions.detail", decision_id=decision.id))
    return _detail_page(decision, form, editable=editable)


def _detail_page(
    decision: Decision, form: DecisionForm, *, editable: bool, issue_form: IssueForm | None = None
) -> ResponseReturnValue:
    waiting = annulments.pending_request(decision)
    money = decision_money(decision)
    return render_template(
        "decisions/detail.html",
        decision=decision,
        form=form,
        editable=editable,
        issue_form=issue_form or IssueForm(formdata=None),
        signed_issue=signer_for(decision.awarding_body) is not None,
        signature=issued_signature(decision),
        actions=_actions(decision),
        confirm=ConfirmForm(),
        # The chair annulling at a proposal starts from the proposal's reason.
        annul_form=AnnulForm(data={"reason": waiting.reason} if waiting else None),
        waiting=waiting,
        offer_request=can_request_annulment(current_user, decision)
        and annulments.refusal_with(decision, waiting) is None,
        request_form=AnnulmentRequestForm(),
        dismiss_form=DismissAnnulmentForm(),
        posting_days=services.posting_days(decision),
        money=money,
        fund_check=fund_check(decision, money),
    )


@bp.get("/<int:decision_id>/decision.xlsx")
@login_required
def detail_export(decision_id: int) -> ResponseReturnValue:
    """The decision's lines with their reward money, as XLSX."""
    decision = load_decision(decision_id)
    content = decision_xlsx(decision, decision_money(decision))
    return send_document(content, mimetype=XLSX, filename="quyet-dinh-danh-sach.xlsx", inline=False)


@bp.post("/<int:decision_id>/post")
@login_required
def post(decision_id: int) -> ResponseReturnValue:
    decision = load_decision(decision_id)
    if not can_post_decision(current_user, decision):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.start_posting(decision, actor=current_user, today=local_today())
    db.session.commit()
    flash(
        _(
            "The list is posted publicly until %(date)s.",
            date=decision.posting_ends_on.strftime("%d/%m/%Y"),  # type: ignore[union-attr]
        ),
        "success",
    )
    return redirect(url_for("decisions.detail", decision_id=decision.id))


def _secret_refused(_response: object) -> bool:
    return bool(g.get("signing_refused"))


def _signer_key() -> str:
    return f"user:{current_user.id}"


# A signing key's passphrase or PIN is guessed no faster than this by anyone who holds a
# chair's session (only refusals count; each try also costs the server a second or two).
SIGNING_TRIES = "5 per 15 minutes"


@bp.post("/<int:decision_id>/issue")
@login_required
@limiter.limit(
    SIGNING_TRIES, key_func=_signer_key, deduct_when=_secret_refused, scope="signing-secret"
)
def issue(decision_id: int) -> ResponseReturnValue:
    decision = load_decision(decision_id)
    if not can_issue_decision(current_user, decision):
        abort(403)
    form = IssueForm()
    if not form.validate_on_submit():
        abort(400)
    check = fund_check(decision, decision_money(decision))
    signed = signer_for(decision.awarding_body) is not None
    services.issue_decision(decision, actor=current_user, today=local_today())
    try:
        if signed:
            sign_issued_decision(decision, secret=form.pin.data or "", actor=current_user)
    except SigningFailed as error:
        # All or nothing: no decision is issued with unsigned documents once signing is asked.
        db.session.rollback()
        g.signing_refused = True
        current_app.logger.warning(
            "signing refused for decision %s by user %s: %s",
            decision_id,
            current_user.id,
            error.message,
        )
        decision = load_decision(decision_id)
        show_domain_error(form, error)
        return _detail_page(decision, DecisionForm(obj=decision), editable=False, issue_form=form)
    store_certificates(decision)
    db.session.commit()
    if check is not None and check.exceeds:
        flash(
            _(
                "This decision pays more than is left in the emulation fund of %(year)s.",
                year=check.status.year,
            ),
            "warning",
        )
    flash(
        _(
            "Decision %(ref)s has been issued; its certificates are ready to print.",
            ref=decision.reference,
        ),
        "success",
    )
    return redirect(url_for("decisions.detail", decision_id=decision.id))


@bp.post("/<int:decision_id>/annul")
@login_required
def annul(decision_id: int) -> ResponseReturnValue:
    decision = load_decision(decision_id)
    if not can_annul_decision(current_user, decision):
        abort(403)
    form = AnnulForm()
    if not form.validate_on_submit():
        flash(_("Please give a reason."), "danger")
        return redirect(url_for("decisions.detail", decision_id=decision.id))
    services.annul_decision(decision, actor=current_user, reason=form.reason.data or "")
    db.session.commit()
    flash(_("The decision is annulled; its certificates are revoked."), "success")
    return redirect(url_for("decisions.detail", decision_id=decision.id))


@bp.post("/<int:decision_id>/annulment-request")
@login_required
def request_annulment(decision_id: int) -> ResponseReturnValue:
    """The secretariat proposes to the chair to annul an issued decision, with a reason."""
    decision = load_decision(decision_id)
    if not can_request_annulment(current_user, decision):
        abort(403)
    form = AnnulmentRequestForm()
    if not form.validate_on_submit():
        flash(_("Please give a reason."), "danger")
        return redirect(url_for("decisions.detail", decision_id=decision.id))
    annulments.request_annulment(decision, actor=current_user, reason=form.reason.data or "")
    db.session.commit()
    flash(_("The proposal to annul the decision has been sent to the chair."), "success")
    return redirect(url_for("decisions.detail", decision_id=decision.id))


@bp.post("/<int:decision_id>/annulment-request/dismiss")
@login_required
def dismiss_annulment(decision_id: int) -> ResponseReturnValue:
    """The chair dismisses the proposal to annul that waits, with a note."""
    decision = load_decision(decision_id)
    if not can_decide_annulment_request(current_user, decision):
        abort(403)
    form = DismissAnnulmentForm()
    if not form.validate_on_submit():
        flash(_("Please say why the proposal is dismissed."), "danger")
        return redirect(url_for("decisions.detail", decision_id=decision.id))
    annulments.dismiss_annulment_request(decision, actor=current_user, note=form.note.data or "")
    db.session.commit()
    flash(_("The proposal is dismissed; the decision stays in force."), "success")
    return redirect(url_for("decisions.detail", decision_id=decision.id))


@bp.get("/<int:decision_id>/decision.pdf")
@login_required
def decision_pdf(decision_id: int) -> ResponseReturnValue:
    decision = load_decision(decision_id)
    # Named by its number once it has one ("quyet-dinh-1189-QĐ-UBND.pdf"), as the payment list.
    filename = f"quyet-dinh-{file_stem(decision.id, decision.reference)}.pdf"
    if decision.pdf_key is not None and decision.state == DecisionState.ISSUED:
        return send_stored(decision.pdf_key, mimetype=PDF, filename=filename)  # as signed
    return send_document(render_decision(decision), mimetype=PDF, filename=filename)


def _settings_data(form: SettingsForm) -> SettingsData:
    return SettingsData(**{name: form[name].data or "" for name in SETTINGS_FIELDS})


@bp.route("/settings/<int:body_id>", methods=["GET", "POST"])
@login_required
def settings(body_id: int) -> ResponseReturnValue:
    body = load_or_404(Unit, body_id, permitted=can_edit_body_settings)
    current = settings_for(body)
    form = SettingsForm(obj=current)
    if form.validate_on_submit():
        upload = form.emblem.data if getattr(form.emblem.data, "filename", "") else None
        try:
            save_settings(
                body,
                _settings_data(form),
                emblem=upload.stream if upload else None,
                emblem_name=upload.filename if upload else "",
                remove_emblem=bool(form.remove_emblem.data),
                actor=current_user,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The settings have been saved."), "success")
            return redirect(url_for("decisions.settings", body_id=body.id))
    db.session.commit()
    return render_template(
        "decisions/settings.html",
        body=body,
        form=form,
        has_emblem=current.emblem_key is not None,
        law_bases=rules_on(local_today()).bases,
    )
