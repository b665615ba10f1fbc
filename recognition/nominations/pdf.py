"""The dossier as a PDF: the report and the list of evidence, for printing and filing."""

from dataclasses import dataclass

from recognition.i18n import long_date, number
from recognition.nominations.models import Nomination
from recognition.pdf import render_pdf


@dataclass(frozen=True)
class CriterionLine:
    code: str
    group: str
    text: str
    assessment: str
    evidence_note: str
    files: list[str]


@dataclass(frozen=True)
class DossierView:
    """Plain values for the template: no ORM object reaches the renderer."""

    reference: str
    state: str
    body: str
    campaign: str
    directive: str
    award: str
    nominee: str
    nominee_details: list[tuple[str, str]]
    nominating_unit: str
    summary: str
    sections: list[tuple[str, str]]
    criteria: list[CriterionLine]
    other_files: list[str]
    printed_on: str


def _assessment(nomination: Nomination, criterion_id: int) -> tuple[str, str]:
    from flask_babel import gettext as _

    answer = next((a for a in nomination.answers if a.criterion_id == criterion_id), None)
    if answer is None:
        return "—", ""
    if answer.met is not None:
        text = _("Met") if answer.met else _("Not met")
    elif answer.value is not None:
        text = number(answer.value)
    else:
        text = answer.text or "—"
    return text, answer.evidence_note


def dossier_view(nomination: Nomination) -> DossierView:
    from flask_babel import gettext as _

    from recognition.database import local_today

    files_by_criterion: dict[int | None, list[str]] = {}
    for attachment in nomination.attachments:
        files_by_criterion.setdefault(attachment.criterion_id, []).append(attachment.original_name)
    criteria = []
    for criterion in nomination.award_type.criteria:
        assessment, note = _assessment(nomination, criterion.id)
        target = (
            # "(target: 60 %)", or "(target: 60)" when the criterion has no unit label.
            f" ({_('target')}: {number(criterion.target)} {criterion.unit_label}".rstrip() + ")"
            if criterion.target is not None
            else ""
        )
        criteria.append(
            CriterionLine(
                criterion.code,
                criterion.group,
                criterion.text + target,
                assessment,
                note,
                files_by_criterion.get(criterion.id, []),
            )
        )
    details: list[tuple[str, str]] = []
    if nomination.is_person:
        details = [
            (_("Position"), nomination.person_position or "—"),
            (_("Unit"), nomination.person_unit.name if nomination.person_unit else "—"),
            (_("Year of birth"), str(nomination.person_birth_year or "—")),
        ]
    else:
        details = [
            (_("Kind"), nomination.nominee_unit.kind_label if nomination.nominee_unit else "—")
        ]
    return DossierView(
        reference=nomination.reference or _("draft"),
        state=nomination.state_enum.label,
        body=nomination.campaign.awarding_body.name,
        campaign=nomination.campaign.name,
        directive=nomination.campaign.directive_reference,
        award=nomination.award_type.name,
        nominee=nomination.nominee_name,
        nominee_details=details,
        nominating_unit=nomination.nominating_unit.name,
        summary=nomination.summary,
        sections=[
            (_("I. General information"), nomination.report_general),
            (_("II. Achievements"), nomination.report_achievements),
            (_("III. Meeting the criteria"), nomination.report_criteria),
            (_("IV. Titles and commendations already received"), nomination.report_commendations),
        ],
        criteria=criteria,
        other_files=files_by_criterion.get(None, []),
        printed_on=long_date(local_today()),
    )


def render_dossier(nomination: Nomination) -> bytes:
    return render_pdf("pdf/dossier.html", dossier=dossier_view(nomination))
