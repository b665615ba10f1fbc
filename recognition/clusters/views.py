"""Clusters and blocks: the body's list by year, a cluster's page, scoring, the ranking."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from recognition.campaigns.enums import CampaignStatus, NomineeKind
from recognition.campaigns.models import AwardType, Campaign
from recognition.clusters.enums import OfficerRole
from recognition.clusters.forms import ClusterForm, LineForm, MemberForm, OfficerForm, ProposeForm
from recognition.clusters.models import Cluster, ClusterMember, ScoringCriterion
from recognition.clusters.permissions import (
    can_agree_scores,
    can_lead,
    can_manage_clusters,
    can_propose,
    can_self_score,
    can_view_cluster,
    can_view_history,
    has_cluster_role,
    officer_on,
)
from recognition.clusters.proposals import Proposal, propose_awards, scoring_workbook
from recognition.clusters.queries import (
    bodies_for_user,
    history_of,
    load_cluster,
    member_units_for,
    ranking_of,
    score_of,
    standing_of,
    table_maximum,
    visible_clusters,
    years_of,
)
from recognition.clusters.services import (
    NOTE_MAX,
    CriterionData,
    InvalidPoints,
    ScoreEntry,
    add_member,
    appoint_officer,
    format_points,
    lock_result,
    remove_criterion,
    remove_member,
    save_agreed_scores,
    save_cluster,
    save_criterion,
    save_self_scores,
    scored_lines,
)
from recognition.common.downloads import send_document
from recognition.common.forms import ConfirmForm, parse_id, show_domain_error
from recognition.common.loading import load_or_404
from recognition.database import local_today
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.units.models import Unit

bp = Blueprint("clusters", __name__, url_prefix="/clusters")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cluster(cluster_id: int, permitted: Any = can_view_cluster) -> Cluster:
    cluster = load_cluster(cluster_id)
    if cluster is None:
        abort(404)
    if not permitted(current_user, cluster):
        abort(403)
    return cluster


def _managed(cluster_id: int) -> Cluster:
    return _cluster(cluster_id, lambda u, c: can_manage_clusters(u, c.awarding_body))


def _member(cluster: Cluster, member_id: int) -> ClusterMember:
    member = db.session.get(ClusterMember, member_id)
    if member is None or member.cluster_id != cluster.id:
        abort(404)
    return member


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


def _back(cluster: Cluster) -> ResponseReturnValue:
    return redirect(url_for("clusters.detail", cluster_id=cluster.id))


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    if not has_cluster_role(current_user):
        abort(403)
    bodies = bodies_for_user(current_user)
    body_id = parse_id(request.args.get("body"))
    body = next((b for b in bodies if b.id == body_id), bodies[0] if bodies else None)
    year = parse_id(request.args.get("year")) or local_today().year
    if not 2000 <= year <= 2100:
        year = local_today().year
    clusters = visible_clusters(current_user, body, year) if body else []
    years = sorted({year, local_today().year, *(years_of(body) if body else [])}, reverse=True)
    return render_template(
        "clusters/index.html", bodies=bodies, body=body, year=year, years=years, clusters=clusters
    )


def _cluster_form_page(
    form: ClusterForm, body: Unit, cluster: Cluster | None
) -> ResponseReturnValue:
    if form.validate_on_submit():
        try:
            saved = save_cluster(cluster, form.to_data(), awarding_body=body, actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The cluster has been saved."), "success")
            return _back(saved)
    return render_template("clusters/cluster_form.html", form=form, body=body, cluster=cluster)


@bp.route("/new/<int:body_id>", methods=["GET", "POST"])
@login_required
def new(body_id: int) -> ResponseReturnValue:
    body = load_or_404(Unit, body_id, permitted=can_manage_clusters)
    form = ClusterForm()
    if request.method == "GET":
        form.year.data = local_today().year
    return _cluster_form_page(form, body, None)


@bp.route("/<int:cluster_id>/edit", methods=["GET", "POST"])
@login_required
def edit(cluster_id: int) -> ResponseReturnValue:
    cluster = _managed(cluster_id)
    # The stored values fill the form on GET only: a field missing from a POST stays empty.
    form = ClusterForm(obj=cluster) if request.method == "GET" else ClusterForm()
    if request.method == "GET":
        form.tie_breaks.data = "\n".join(cluster.tie_breaks)
    return _cluster_form_page(form, cluster.awarding_body, cluster)


def _member_choices(cluster: Cluster) -> list[tuple[int, str]]:
    taken = {m.unit_id for m in cluster.members}
    units = db.session.scalars(
        select(Unit)
        .where(
            Unit.path.startswith(cluster.awarding_body.path),
            Unit.id != cluster.awarding_body_id,
            Unit.is_active,
            Unit.depth == cluster.awarding_body.depth + 1,
        )
        .order_by(Unit.name_sort)
    )
    return [(u.id, u.name) for u in units if u.id not in taken]


def _detail_forms(cluster: Cluster) -> dict[str, Any]:
    member_form, officer_form, line_form = MemberForm(), OfficerForm(), LineForm()
    member_form.unit_id.choices = _member_choices(cluster)
    officer_form.officer_unit_id.choices = [(m.unit_id, m.unit_name) for m in cluster.members]
    line_form.parent_id.choices = [(0, _("— none: a criterion —"))] + [
        (c.id, f"{c.code}. {c.text[:60]}") for c in cluster.criteria if c.parent_id is None
    ]
    return {"member_form": member_form, "officer_form": officer_form, "line_form": line_form}


def _render_detail(cluster: Cluster, **forms: Any) -> str:
    context = {**_detail_forms(cluster), **forms}
    today = local_today()
    return render_template(
        "clusters/detail.html",
        cluster=cluster,
        lead=officer_on(cluster, OfficerRole.LEAD, today),
        deputy=officer_on(cluster, OfficerRole.DEPUTY, today),
        maximum=table_maximum(cluster),
        mine=member_units_for(current_user, cluster),
        format_points=format_points,
        **context,
    )


@bp.get("/<int:cluster_id>")
@login_required
def detail(cluster_id: int) -> ResponseReturnValue:
    return _render_detail(_cluster(cluster_id))


@bp.post("/<int:cluster_id>/members")
@login_required
def members(cluster_id: int) -> ResponseReturnValue:
    cluster = _managed(cluster_id)
    form = MemberForm()
    form.unit_id.choices = _member_choices(cluster)
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data)
        try:
            if unit is None:
                raise DomainError(_("Choose a unit."), field="unit_id")
            add_member(cluster, unit, actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("%(unit)s has joined the cluster.", unit=unit.name), "success")
            return _back(cluster)
    return _render_detail(cluster, member_form=form), 400


@bp.post("/<int:cluster_id>/members/<int:cluster_member_id>/remove")
@login_required
def remove(cluster_id: int, cluster_member_id: int) -> ResponseReturnValue:
    cluster = _managed(cluster_id)
    member = _member(cluster, cluster_member_id)
    _confirmed()
    try:
        remove_member(member, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("The member has been removed."), "success")
    return _back(cluster)


@bp.post("/<int:cluster_id>/officers")
@login_required
def officers(cluster_id: int) -> ResponseReturnValue:
    cluster = _managed(cluster_id)
    form = OfficerForm()
    form.officer_unit_id.choices = [(m.unit_id, m.unit_name) for m in cluster.members]
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.officer_unit_id.data)
        try:
            if unit is None:
                raise DomainError(_("Choose a member unit."), field="officer_unit_id")
            appoint_officer(
                cluster,
                unit,
                OfficerRole(form.role.data),
                valid_from=form.valid_from.data,
                valid_to=form.valid_to.data,
                actor=current_user,
            )
        except DomainError as error:
            if error.field == "unit_id":
                error.field = "officer_unit_id"
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The rotation has been saved."), "success")
            return _back(cluster)
    return _render_detail(cluster, officer_form=form), 400


def _line(cluster: Cluster, line_id: int) -> ScoringCriterion:
    line = db.session.get(ScoringCriterion, line_id)
    if line is None or line.cluster_id != cluster.id:
        abort(404)
    return line


def _save_line(cluster: Cluster, line: ScoringCriterion | None, form: LineForm) -> bool:
    if not form.validate_on_submit():
        return False
    maximum = form.points()
    if maximum is None:
        return False
    parent = db.session.get(ScoringCriterion, form.parent_id.data) if form.parent_id.data else None
    data = CriterionData(
        code=form.code.data or "",
        text=form.text.data or "",
        max_points=maximum,
        evidence_note=form.evidence_note.data or "",
        is_deduction=form.is_deduction.data,
        parent=parent,
    )
    try:
        save_criterion(cluster, line, data, actor=current_user)
    except DomainError as error:
        show_domain_error(form, error)
        return False
    db.session.commit()
    flash(_("The scoring table has been saved."), "success")
    return True


def _line_choices(cluster: Cluster, line: ScoringCriterion | None) -> list[tuple[int, str]]:
    return [(0, _("— none: a criterion —"))] + [
        (c.id, f"{c.code}. {c.text[:60]}")
        for c in cluster.criteria
        if c.parent_id is None and c is not line
    ]


@bp.post("/<int:cluster_id>/lines")
@login_required
def new_line(cluster_id: int) -> ResponseReturnValue:
    cluster = _managed(cluster_id)
    form = LineForm()
    form.parent_id.choices = _line_choices(cluster, None)
    if _save_line(cluster, None, form):
        return _back(cluster)
    return _render_detail(cluster, line_form=form), 400


@bp.route("/<int:cluster_id>/lines/<int:line_id>", methods=["GET", "POST"])
@login_required
def line(cluster_id: int, line_id: int) -> ResponseReturnValue:
    cluster = _managed(cluster_id)
    line = _line(cluster, line_id)
    form = LineForm(obj=line) if request.method == "GET" else LineForm()
    form.parent_id.choices = _line_choices(cluster, line)
    if request.method == "GET":
        form.max_points.data = format_points(line.max_points)
        form.parent_id.data = line.parent_id or 0
    if request.method == "POST" and _save_line(cluster, line, form):
        return _back(cluster)
    status = 400 if request.method == "POST" else 200
    return render_template("clusters/line_form.html", cluster=cluster, line=line, form=form), status


@bp.post("/<int:cluster_id>/lines/<int:line_id>/remove")
@login_required
def remove_line(cluster_id: int, line_id: int) -> ResponseReturnValue:
    cluster = _managed(cluster_id)
    line = _line(cluster, line_id)
    _confirmed()
    try:
        remove_criterion(line, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("The line has been removed."), "success")
    return _back(cluster)


def _entries(prefix: str, note_prefix: str, evidence_prefix: str | None) -> dict[int, ScoreEntry]:
    entries = {}
    for key in request.form:
        # A field name the form parser could not read arrives as None.
        if not isinstance(key, str) or not key.startswith(prefix):
            continue
        line_id = parse_id(key.removeprefix(prefix))
        if line_id is None:
            continue
        entries[line_id] = ScoreEntry(
            points=request.form.get(key) or "",
            note=request.form.get(f"{note_prefix}{line_id}") or "",
            evidence=(request.form.get(f"{evidence_prefix}{line_id}") or "")
            if evidence_prefix
            else "",
        )
    return entries


def _score_page(
    cluster: Cluster, member: ClusterMember, errors: dict[str, str], status: int = 200
) -> ResponseReturnValue:
    typed = request.form if request.method == "POST" else {}
    return (
        render_template(
            "clusters/score.html",
            cluster=cluster,
            member=member,
            lines=scored_lines(cluster),
            score_of=score_of,
            standing=standing_of(cluster, member),
            self_standing=standing_of(cluster, member, agreed=False),
            errors=errors,
            typed=typed,
            format_points=format_points,
            may_score=can_self_score(current_user, member),
            may_agree=can_agree_scores(current_user, cluster),
            note_max=NOTE_MAX,
        ),
        status,
    )


def _flash_saved(changed: int) -> None:
    """How many lines were saved; a form sent with nothing new in it saved nothing, and says
    so rather than "0 lines saved"."""
    if changed:
        flash(_("%(count)d lines saved.", count=changed), "success")
    else:
        flash(_("Nothing new was entered: nothing has been saved."), "warning")


@bp.route("/<int:cluster_id>/members/<int:cluster_member_id>/score", methods=["GET", "POST"])
@login_required
def score(cluster_id: int, cluster_member_id: int) -> ResponseReturnValue:
    cluster = _cluster(cluster_id)
    member = _member(cluster, cluster_member_id)
    if request.method == "GET":
        return _score_page(cluster, member, {})
    if not can_self_score(current_user, member):
        abort(403)
    _confirmed()
    try:
        changed = save_self_scores(member, _entries("p", "n", "e"), actor=current_user)
    except InvalidPoints as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _score_page(cluster, member, error.errors, 400)
    db.session.commit()
    _flash_saved(changed)
    return redirect(url_for("clusters.score", cluster_id=cluster.id, cluster_member_id=member.id))


@bp.post("/<int:cluster_id>/members/<int:cluster_member_id>/agree")
@login_required
def agree(cluster_id: int, cluster_member_id: int) -> ResponseReturnValue:
    cluster = _cluster(cluster_id, can_agree_scores)
    member = _member(cluster, cluster_member_id)
    _confirmed()
    raw_votes = (request.form.get("votes") or "").strip()
    votes = parse_id(raw_votes)
    if raw_votes and votes is None:
        votes = -1  # not a number of votes: refused with the lines' errors (InvalidPoints)
    try:
        changed = save_agreed_scores(
            member, _entries("a", "an", None), votes=votes, actor=current_user
        )
    except InvalidPoints as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _score_page(cluster, member, error.errors, 400)
    db.session.commit()
    _flash_saved(changed)
    return redirect(url_for("clusters.score", cluster_id=cluster.id, cluster_member_id=member.id))


def _propose_form(cluster: Cluster) -> ProposeForm:
    """The proposal's form: the body's open campaigns, and the titles for units they offer,
    each title marked with the campaigns offering it (the page shows the chosen campaign's)."""
    form = ProposeForm()
    campaigns = db.session.scalars(
        select(Campaign)
        .where(
            Campaign.awarding_body_id == cluster.awarding_body_id,
            Campaign.status == CampaignStatus.OPEN,
        )
        .options(selectinload(Campaign.offers))
        .order_by(Campaign.id)
    ).all()
    form.campaign_id.choices = [(c.id, c.name) for c in campaigns]
    offered_by: dict[int, list[int]] = {}
    for campaign in campaigns:
        for offer in campaign.offers:
            offered_by.setdefault(offer.award_type_id, []).append(campaign.id)
    awards = db.session.scalars(
        select(AwardType)
        .where(AwardType.id.in_(offered_by), AwardType.nominee_kind == NomineeKind.COLLECTIVE)
        .order_by(AwardType.name)
    ).all()
    choices = [
        (a.id, a.name, {"data-campaigns": " ".join(map(str, offered_by[a.id]))}) for a in awards
    ]
    form.first_award_id.choices = choices
    form.next_award_id.choices = choices
    if request.method == "GET":
        form.first_award_id.data = next((a.id for a in awards if a.code == "CO-THI-DUA"), None)
        form.next_award_id.data = next((a.id for a in awards if a.code == "BK-TT"), None)
    return form


@bp.get("/<int:cluster_id>/ranking")
@login_required
def ranking(cluster_id: int, form: ProposeForm | None = None) -> ResponseReturnValue:
    cluster = _cluster(cluster_id)
    return render_template(
        "clusters/ranking.html",
        cluster=cluster,
        rows=ranking_of(cluster),
        maximum=table_maximum(cluster),
        form=form or _propose_form(cluster),
        format_points=format_points,
        may_lead=can_lead(current_user, cluster),
    )


@bp.post("/<int:cluster_id>/lock")
@login_required
def lock(cluster_id: int) -> ResponseReturnValue:
    cluster = _cluster(cluster_id, can_agree_scores)
    _confirmed()
    try:
        lock_result(cluster, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("The year's result is locked."), "success")
    return redirect(url_for("clusters.ranking", cluster_id=cluster.id))


@bp.post("/<int:cluster_id>/propose")
@login_required
def propose(cluster_id: int) -> ResponseReturnValue:
    cluster = _cluster(cluster_id, can_propose)
    form = _propose_form(cluster)
    if form.validate_on_submit():
        proposal = Proposal(
            campaign=db.session.get(Campaign, form.campaign_id.data),  # type: ignore[arg-type]
            first_award=db.session.get(AwardType, form.first_award_id.data),  # type: ignore[arg-type]
            next_award=db.session.get(AwardType, form.next_award_id.data),  # type: ignore[arg-type]
            next_count=form.next_count.data or 0,
        )
        try:
            made = propose_awards(cluster, proposal, actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
            if not error.field:  # a refusal of the whole proposal: said above the ranking
                return redirect(url_for("clusters.ranking", cluster_id=cluster.id))
        else:
            db.session.commit()
            flash(_("%(count)d draft dossiers have been created.", count=len(made)), "success")
            return redirect(url_for("clusters.ranking", cluster_id=cluster.id))
    return ranking(cluster_id, form=form), 400


@bp.get("/<int:cluster_id>/scoring.xlsx")
@login_required
def export(cluster_id: int) -> ResponseReturnValue:
    cluster = _cluster(cluster_id)
    name = f"bang-cham-diem-{cluster.year}-{cluster.id}.xlsx"
    return send_document(scoring_workbook(cluster), mimetype=XLSX, filename=name, inline=False)


@bp.get("/units/<int:unit_id>/history")
@login_required
def history(unit_id: int) -> ResponseReturnValue:
    unit = load_or_404(Unit, unit_id, permitted=can_view_history)
    results = history_of(unit)
    return render_template(
        "clusters/history.html", unit=unit, results=results, format_points=format_points
    )
