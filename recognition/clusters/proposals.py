"""The year's result becomes dossiers in one step: the first-ranked member proposed for one
award (a Cờ thi đua), the next ones for another (a Bằng khen), as drafts in an open campaign,
made through the nominations' own services, each with the scoring table attached as evidence
(an XLSX file, through the dossier's attachment service)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl import Workbook

from recognition.auth.models import User
from recognition.campaigns.models import AwardType, Campaign
from recognition.clusters.enums import ClusterAction
from recognition.clusters.models import Cluster
from recognition.clusters.permissions import can_propose
from recognition.clusters.queries import Row, ranking_of, score_of
from recognition.clusters.services import _audit, format_points, scored_lines
from recognition.common.xlsxfiles import append_row
from recognition.errors import DomainError, NotAllowed
from recognition.extensions import db
from recognition.nominations.attachments import add_attachment
from recognition.nominations.models import Nomination
from recognition.nominations.services import (
    Nominee,
    Report,
    create_nomination,
    nominating_unit_for,
    offered_award_ids,
    update_nomination,
)


def scoring_workbook(cluster: Cluster) -> bytes:
    """The scoring table with each member's self and agreed points, and the ranking."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Ranking")[:31]
    append_row(sheet, [f"{cluster.name} – {cluster.year}"])
    append_row(
        sheet,
        [
            _("Rank"),
            _("Unit"),
            _("Self-scored total"),
            _("Agreed total"),
            _("Deductions"),
            _("Votes"),
        ],
    )
    for row in ranking_of(cluster):
        standing = row.ranked.standing
        append_row(
            sheet,
            [
                row.ranked.rank,
                row.member.unit_name,
                float(row.self_total),
                float(standing.total),
                float(standing.deductions),
                standing.votes,
            ],
        )
    table = book.create_sheet(_("Scoring table")[:31])
    members = list(cluster.members)
    header = [_("Code"), _("Criterion"), _("Maximum")]
    for member in members:
        header += [f"{member.unit_name} – {_('self')}", f"{member.unit_name} – {_('agreed')}"]
    append_row(table, header)
    for line in scored_lines(cluster):
        values: list[str | int | float | None] = [line.code, line.text, float(line.max_points)]
        for member in members:
            score = score_of(member, line)
            for points in (score.self_points, score.agreed_points) if score else (None, None):
                values.append(None if points is None else float(points))
        append_row(table, values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class Proposal:
    campaign: Campaign
    first_award: AwardType
    next_award: AwardType
    next_count: int


def _summary(cluster: Cluster, row: Row) -> str:
    standing = row.ranked.standing
    return _(
        "Ranked %(rank)d of %(count)d in %(cluster)s, %(year)d, with %(points)s points "
        "agreed by the cluster.",
        rank=row.ranked.rank,
        count=len(cluster.members),
        cluster=cluster.name,
        year=cluster.year,
        points=format_points(standing.total),
    )


def propose_awards(cluster: Cluster, proposal: Proposal, *, actor: User) -> list[Nomination]:
    """Create the draft dossiers of the locked result; returns them, best-ranked first."""
    if not can_propose(actor, cluster):
        raise NotAllowed(
            _(
                "Once the year's result is locked, the dossiers are made by a nominator whose "
                "unit covers every member."
            )
        )
    if any(m.nomination_id is not None for m in cluster.members):
        raise DomainError(_("This result has been proposed already."))
    if proposal.campaign.awarding_body_id != cluster.awarding_body_id:
        raise DomainError(
            _("Choose a campaign of the cluster's awarding body."), field="campaign_id"
        )
    offered = offered_award_ids(proposal.campaign)
    awards = [("first_award_id", proposal.first_award)]
    if proposal.next_count:
        awards.append(("next_award_id", proposal.next_award))
    for field, award in awards:
        if award.id not in offered or not award.for_units:
            raise DomainError(
                _("This campaign does not offer %(award)s to units.", award=award.name),
                field=field,
            )
    if not 0 <= proposal.next_count < len(cluster.members):
        raise DomainError(
            _("Propose at most %(count)d more units.", count=len(cluster.members) - 1),
            field="next_count",
        )
    rows = ranking_of(cluster)
    if len(rows) > 1 and rows[1].ranked.rank == 1:
        raise DomainError(
            _(
                "The first place is tied: record the cluster meeting's votes or add a "
                "tie-break rule."
            )
        )
    sheet = scoring_workbook(cluster)
    filename = f"bang-cham-diem-{cluster.year}-{cluster.id}.xlsx"
    chosen = [(rows[0], proposal.first_award)] + [
        (row, proposal.next_award) for row in rows[1 : 1 + proposal.next_count]
    ]
    # Whoever proposes makes the dossiers in their own name: they must be able to nominate each
    # unit (checked here first, so that nothing is half made).
    for row, _award in chosen:
        if nominating_unit_for(actor, row.member.unit, proposal.campaign.awarding_body) is None:
            raise NotAllowed(
                _(
                    "You cannot nominate %(unit)s: the dossiers are made by a nominator whose "
                    "unit covers every unit proposed.",
                    unit=row.member.unit_name,
                )
            )
    made = []
    for row, award in chosen:
        nomination = create_nomination(
            proposal.campaign, award, Nominee(unit=row.member.unit), actor=actor
        )
        update_nomination(nomination, Report(summary=_summary(cluster, row)), {}, actor=actor)
        add_attachment(nomination, io.BytesIO(sheet), filename, actor=actor)
        row.member.nomination_id = nomination.id
        made.append(nomination)
    db.session.flush()
    names = ", ".join(f"{r.member.unit_name} ({a.code})" for r, a in chosen)
    _audit(cluster, ClusterAction.NOMINATE, actor, f"{proposal.campaign.name}: {names}")
    return made
