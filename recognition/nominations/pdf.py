"""The dossier as a PDF: the report and the list of evidence, for printing and filing.

Any nominator may print a dossier at any time, so it is rendered in the shared lane
(recognition.common.render_pool) and bounded in length: the report's fields hold a bounded number of
characters and lines (forms.ReportFields), and a dossier that would still print on more than
`PDF_MAX_PAGES` pages is refused with what to shorten — before any layout when its line
breaks alone make it too long (text saved before the line limits, or by other means), and
otherwise as soon as its layout reaches the page past the bound.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from recognition.campaigns.enums import ReportSection
from recognition.common.i18n import long_date, number
from recognition.common.pdf import DocumentTooLong, Lane, render_pdf
from recognition.database import local_today
from recognition.nominations.models import Nomination
from recognition.units.settings import settings_for

# The report keeps its line breaks in print (white-space: pre-wrap), each line at least one
# line of 13 pt text 1.35 high: 41 fit in the 257 mm an A4 page leaves. Counting 45 makes the
# count a lower bound of the pages, so a dossier refused on it would never have fitted.
LINES_PER_PAGE = 45


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
    # The report is signed by hand (NĐ 152/2025/NĐ-CP's forms): who signs depends on whether a
    # person or a collective reports; the place and year head the date line left to fill in.
    is_person: bool = False
    place: str = ""
    year: int = 0
    issuer_lines: tuple[str, ...] = ()


# Where a unit's name in capitals breaks in the header: before the place it belongs to.
PLACE_WORDS: tuple[str, ...] = (
    *("XÃ ", "PHƯỜNG ", "THỊ TRẤN ", "ĐẶC KHU ", "HUYỆN ", "TỈNH ", "THÀNH PHỐ "),
    *("ẤP ", "THÔN ", "KHU PHỐ ", "TỔ DÂN PHỐ "),
)
NOT_A_PLACE = ("XÃ HỘI",)  # "Phòng Văn hóa - Xã hội": society, not a commune


def issuer_lines(name: str) -> tuple[str, ...]:
    """A unit's name in capitals as a header prints it: "HỘI NÔNG DÂN" over "XÃ PHÚ PHỤNG";
    a name that is a place itself ("XÃ PHÚ PHỤNG", "ẤP SƠN QUI") on one line."""
    upper = name.upper()
    cuts = [
        at
        for at in range(1, len(upper))
        if upper[at - 1] == " "
        and upper.startswith(PLACE_WORDS, at)
        and not upper.startswith(NOT_A_PLACE, at)
    ]
    if not cuts:
        return (upper,)
    return (upper[: cuts[-1] - 1], upper[cuts[-1] :])


def _assessment(nomination: Nomination, criterion_id: int) -> tuple[str, str]:
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


def _sections(nomination: Nomination) -> list[tuple[str, str]]:
    """The report's sections to print: those written, and those the award type requires (a
    draft's, empty, printed with lines to write on); an empty optional section is left out,
    as a filed report has no heading over nothing."""
    required = set(nomination.award_type.report_sections)
    sections = []
    for section in ReportSection:
        text = getattr(nomination, section.value) or ""
        if text.strip() or section in required:
            sections.append((str(section.label), text))
    return sections


def dossier_view(nomination: Nomination) -> DossierView:
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
            (_("Kind"), nomination.nominee_unit.kind.label if nomination.nominee_unit else "—")
        ]
    return DossierView(
        reference=nomination.reference or _("draft"),
        state=nomination.state.label,
        body=nomination.campaign.awarding_body.name,
        campaign=nomination.campaign.name,
        directive=nomination.campaign.directive_reference,
        award=nomination.award_type.name,
        nominee=nomination.nominee_name,
        nominee_details=details,
        nominating_unit=nomination.nominating_unit.name,
        summary=nomination.summary,
        sections=_sections(nomination),
        criteria=criteria,
        other_files=files_by_criterion.get(None, []),
        printed_on=long_date(local_today()),
        is_person=nomination.is_person,
        issuer_lines=issuer_lines(nomination.nominating_unit.name),
        place=settings_for(nomination.campaign.awarding_body).place_name,
        year=local_today().year,
    )


def render_dossier(nomination: Nomination) -> bytes:
    """The dossier's PDF; `DocumentTooLong` (saying what to shorten) past the page bound."""
    view = dossier_view(nomination)
    limit = int(current_app.config.get("PDF_MAX_PAGES", 200))
    if limit:
        check_length(view, limit=limit)
    try:
        return render_pdf("pdf/dossier.html", lane=Lane.SHARED, dossier=view)
    except DocumentTooLong as too_long:
        raise DocumentTooLong(
            _(
                "This dossier is too long to print: it has more than %(limit)d pages, the most "
                "that can be printed at once. Shorten the longest parts of the report, or the "
                "self-assessments and evidence notes of the criteria, then print it again.",
                limit=too_long.limit,
            ),
            limit=too_long.limit,
        ) from None


def check_length(view: DossierView, *, limit: int) -> None:
    """Refuse, before any layout, a dossier whose line breaks alone fill more than `limit`
    pages, naming the longest parts: without them, the rest would fit."""
    parts = [(_("Summary of achievements"), view.summary), *view.sections]
    lines = sorted(((_lines(text), title) for title, text in parts), reverse=True)
    total = sum(count for count, _title in lines)
    pages = total // LINES_PER_PAGE
    if pages <= limit:
        return
    named, rest = [], total
    for count, title in lines:
        named.append(f"“{title}”")
        rest -= count
        if rest <= limit * LINES_PER_PAGE:
            break
    raise DocumentTooLong(
        _(
            "This dossier is too long to print: it would take at least %(pages)d pages, and at "
            "most %(limit)d can be printed at once. Shorten %(parts)s (for example, join short "
            "lines into paragraphs), then print it again.",
            pages=pages,
            limit=limit,
            parts=", ".join(named),
        ),
        limit=limit,
    )


def _lines(text: str) -> int:
    return text.count("\n") + 1 if text else 0
