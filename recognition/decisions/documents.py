"""The decision as a PDF in the Decree 30/2020 layout."""

from dataclasses import dataclass

from flask import render_template

from recognition.common.pdf import html_to_pdf_with_anchor, render_pdf, run_bounded
from recognition.common.signing import Placement, placement_in
from recognition.common.text import official_date
from recognition.database import local_today
from recognition.decisions.enums import DecisionState
from recognition.decisions.models import Decision
from recognition.decisions.wording import award_key, award_phrase
from recognition.units.settings import settings_for


@dataclass(frozen=True)
class AnnexLine:
    number: int
    recipient: str
    detail: str
    award: str
    achievement: str


@dataclass(frozen=True)
class AnnexGroup:
    """The annex lines of one award, under a heading row ("I. Tặng Giấy khen của …")."""

    heading: str
    lines: list[AnnexLine]


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def roman(number: int) -> str:
    return ROMAN[number - 1] if number <= len(ROMAN) else str(number)


@dataclass(frozen=True)
class DecisionView:
    superior: str
    issuer: str
    reference: str
    place_date: str
    title: str
    signer_office: str
    issued_by: str
    legal_bases: list[str]
    proposal: str
    articles: list[str]
    recipients: list[str]
    signer_title: str
    signer_name: str
    draft: bool
    annulled: bool
    groups: list[AnnexGroup]


def annex_groups(decision: Decision) -> list[AnnexGroup]:
    """The annex lines in their order, grouped by award (the lines are ordered by award)."""
    groups: list[AnnexGroup] = []
    current = None
    for line in decision.lines:
        if award_key(line.award_type) != current:
            current = award_key(line.award_type)
            phrase = award_phrase(line.award_type, decision.awarding_body)
            groups.append(AnnexGroup(f"{roman(len(groups) + 1)}. {phrase}", []))
        groups[-1].lines.append(
            AnnexLine(
                line.position, line.recipient, line.detail, line.award_type.name, line.achievement
            )
        )
    return groups


def _issued_by(signer_office: str, body_name: str) -> str:
    """Who issues the decision, as the annex's subtitle names them ("của Chủ tịch Ủy ban nhân
    dân xã Phú Phụng"); empty where the signer's office is worded otherwise."""
    prefix = "CHỦ TỊCH ỦY BAN NHÂN DÂN "
    if not signer_office.startswith(prefix) or not body_name:
        return ""
    return f"của Chủ\u00a0tịch Ủy ban nhân dân {body_name[:1].lower()}{body_name[1:]}"


def decision_view(decision: Decision) -> DecisionView:
    settings = settings_for(decision.awarding_body)
    number = decision.reference or f"        /{settings.number_suffix}"
    issued = decision.issued_on
    date_text = (
        official_date(issued) if issued else f"ngày      tháng      năm {local_today().year}"
    )
    return DecisionView(
        superior=settings.superior_name,
        issuer=settings.issuer_name,
        reference=f"Số: {number}",
        place_date=f"{settings.place_name}, {date_text}",
        title=decision.title,
        signer_office=settings.signer_office,
        issued_by=_issued_by(settings.signer_office, decision.awarding_body.name),
        legal_bases=[line for line in decision.legal_bases.split("\n") if line.strip()],
        proposal=decision.proposal,
        articles=[line for line in decision.articles.split("\n") if line.strip()],
        recipients=[line for line in decision.recipients.split("\n") if line.strip()],
        signer_title=decision.signer_title,
        signer_name=decision.signer_name,
        draft=decision.state in (DecisionState.DRAFT, DecisionState.POSTED),
        annulled=decision.state == DecisionState.ANNULLED,
        groups=annex_groups(decision),
    )


def render_decision(decision: Decision) -> bytes:
    return render_pdf("pdf/decision.html", decision=decision_view(decision))


A4_HEIGHT_PT = 841.89


def render_decision_to_sign(decision: Decision) -> tuple[bytes, Placement | None]:
    """The decision's PDF and where its visible signature goes: in the blank space of the
    signature block, between the signer's title and name (Decree 30/2020, form 1.1)."""
    html = render_template("pdf/decision.html", decision=decision_view(decision))
    pdf, page, box = run_bounded(html_to_pdf_with_anchor, html, "signature")
    if page is None or box is None:
        return pdf, None
    return pdf, placement_in(page, box, page_height=A4_HEIGHT_PT)
