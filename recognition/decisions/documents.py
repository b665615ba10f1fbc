"""The decision as a PDF in the Decree 30/2020 layout."""

from dataclasses import dataclass

from recognition.common.pdf import render_pdf
from recognition.common.text import official_date
from recognition.decisions.enums import DecisionState
from recognition.decisions.models import Decision
from recognition.units.settings import settings_for


@dataclass(frozen=True)
class AnnexLine:
    number: int
    recipient: str
    detail: str
    award: str
    achievement: str


@dataclass(frozen=True)
class DecisionView:
    superior: str
    issuer: str
    reference: str
    place_date: str
    title: str
    signer_office: str
    legal_bases: list[str]
    articles: list[str]
    recipients: list[str]
    signer_title: str
    signer_name: str
    draft: bool
    annulled: bool
    lines: list[AnnexLine]


def decision_view(decision: Decision) -> DecisionView:
    settings = settings_for(decision.awarding_body)
    number = decision.reference or f"     /{settings.number_suffix}"
    issued = decision.issued_on
    date_text = official_date(issued) if issued else "ngày     tháng     năm"
    return DecisionView(
        superior=settings.superior_name,
        issuer=settings.issuer_name,
        reference=f"Số: {number}",
        place_date=f"{settings.place_name}, {date_text}",
        title=decision.title,
        signer_office=settings.signer_office,
        legal_bases=[line for line in decision.legal_bases.split("\n") if line.strip()],
        articles=[line for line in decision.articles.split("\n") if line.strip()],
        recipients=[line for line in decision.recipients.split("\n") if line.strip()],
        signer_title=decision.signer_title,
        signer_name=decision.signer_name,
        draft=decision.state in (DecisionState.DRAFT, DecisionState.POSTED),
        annulled=decision.state == DecisionState.ANNULLED,
        lines=[
            AnnexLine(
                line.position, line.recipient, line.detail, line.award_type.name, line.achievement
            )
            for line in decision.lines
        ],
    )


def render_decision(decision: Decision) -> bytes:
    return render_pdf("pdf/decision.html", decision=decision_view(decision))
