"""Decisions: draft from passed dossiers, public posting, issue (numbers, awards,
certificates), annul (revocation). Nominations move only through the workflow.

The generated texts are Vietnamese whatever the interface language: they are the official
document.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.certificates import codes
from recognition.certificates.models import Certificate
from recognition.common.numbering import next_number
from recognition.common.text import clean, clean_multiline
from recognition.database import utcnow
from recognition.decisions.models import Decision, DecisionLine, PostingFeedback
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.workflow import apply_transition
from recognition.units.models import Unit
from recognition.units.settings import settings_for


def _require(user: User, role: Role, body: Unit) -> None:
    if not user.holds(role, body):
        raise NotAllowed(
            _("Only the %(role)s of %(body)s may do this.", role=role.label, body=body.name)
        )


def _detail(nomination: Nomination) -> str:
    if nomination.is_person:
        parts = [
            nomination.person_position or "",
            nomination.person_unit.name if nomination.person_unit else "",
        ]
        return ", ".join(p for p in parts if p)
    return nomination.nominating_unit.name


def draft_decision(body: Unit, nominations: list[Nomination], *, actor: User) -> Decision:
    """A draft decision awarding the given passed dossiers, texts pre-filled from settings."""
    _require(actor, Role.SECRETARIAT, body)
    if not nominations:
        raise DomainError(_("Choose at least one passed dossier."))
    for nomination in nominations:
        if nomination.state != NominationState.PASSED.value:
            raise DomainError(
                _("%(name)s has not been passed by the council.", name=nomination.nominee_name)
            )
        if nomination.campaign.awarding_body_id != body.id:
            raise DomainError(
                _("%(name)s was submitted to another body.", name=nomination.nominee_name)
            )
        taken = db.session.scalar(
            select(Decision.id)
            .join(DecisionLine)
            .where(
                DecisionLine.nomination_id == nomination.id,
                Decision.state.in_(("draft", "posted", "issued")),
            )
        )
        if taken is not None:
            raise DomainError(
                _("%(name)s is already in another decision.", name=nomination.nominee_name)
            )
    settings = settings_for(body)
    awards = sorted({n.award_type.name for n in nominations})
    decision = Decision(
        awarding_body=body,
        title=f"Về việc tặng {', '.join(awards)}",
        legal_bases=settings.legal_bases,
        recipients=settings.recipients,
        signer_title=settings.signer_title,
        signer_name=settings.signer_name,
        articles="\n".join(
            [
                f"Điều 1. Tặng {', '.join(awards)} cho {len(nominations)} tập thể, cá nhân có "
                "thành tích xuất sắc (có danh sách kèm theo).",
                "Điều 2. Quyết định có hiệu lực kể từ ngày ký.",
                "Điều 3. Chánh Văn phòng, Trưởng phòng Nội vụ, Thủ trưởng các cơ quan, đơn vị có "
                "liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành "
                "Quyết định này./.",
            ]
        ),
    )
    ordered = sorted(nominations, key=lambda n: (n.award_type.position, n.nominee_sort))
    decision.lines = [
        DecisionLine(
            nomination=n,
            award_type=n.award_type,
            position=i,
            recipient=n.nominee_name,
            detail=_detail(n),
            achievement=n.summary,
        )
        for i, n in enumerate(ordered, start=1)
    ]
    db.session.add(decision)
    db.session.flush()
    return decision


@dataclass(frozen=True)
class DecisionTexts:
    title: str
    legal_bases: str
    articles: str
    recipients: str
    signer_title: str
    signer_name: str


def update_draft(decision: Decision, texts: DecisionTexts, *, actor: User) -> None:
    _require(actor, Role.SECRETARIAT, decision.awarding_body)
    if decision.state not in ("draft", "posted"):
        raise InvalidTransition(_("An issued decision cannot be changed."))
    decision.title = clean(texts.title)
    decision.legal_bases = clean_multiline(texts.legal_bases)
    decision.articles = clean_multiline(texts.articles)
    decision.recipients = clean_multiline(texts.recipients)
    decision.signer_title = clean(texts.signer_title)
    decision.signer_name = clean(texts.signer_name)
    db.session.flush()


def posting_days(decision: Decision) -> int:
    """The longest public posting any of the decision's titles requires."""
    return max((line.award_type.public_posting_days for line in decision.lines), default=0)


def start_posting(decision: Decision, *, actor: User, today: date) -> None:
    _require(actor, Role.SECRETARIAT, decision.awarding_body)
    if decision.state != "draft":
        raise InvalidTransition(_("Only a draft can be posted."))
    days = posting_days(decision)
    if days == 0:
        raise DomainError(_("None of these titles requires public posting."))
    decision.state = "posted"
    decision.posting_starts_on = today
    decision.posting_ends_on = today + timedelta(days=days)
    db.session.flush()


def add_feedback(
    decision: Decision, *, name: str, contact: str, text: str, today: date
) -> PostingFeedback:
    if (
        decision.state != "posted"
        or decision.posting_ends_on is None
        or today > decision.posting_ends_on
    ):
        raise DomainError(_("This list is not open for comments."))
    if not clean_multiline(text):
        raise DomainError(_("Please write your comment."), field="text")
    feedback = PostingFeedback(
        decision_id=decision.id,
        name=clean(name)[:120],
        contact=clean(contact)[:200],
        text=clean_multiline(text)[:5000],
    )
    db.session.add(feedback)
    db.session.flush()
    return feedback


def issue_decision(decision: Decision, *, actor: User, today: date) -> None:
    """Number the decision, award every line, and create each certificate with its serial."""
    body = decision.awarding_body
    _require(actor, Role.CHAIR, body)
    if decision.state not in ("draft", "posted"):
        raise InvalidTransition(_("This decision has already been issued or annulled."))
    if posting_days(decision):
        if decision.state != "posted" or decision.posting_ends_on is None:
            raise DomainError(
                _(
                    "These titles must first be posted publicly for %(days)d days.",
                    days=posting_days(decision),
                )
            )
        if today <= decision.posting_ends_on:
            raise DomainError(
                _(
                    "The public posting runs until %(date)s; the decision can be "
                    "issued after that.",
                    date=decision.posting_ends_on.strftime("%d/%m/%Y"),
                )
            )
    settings = settings_for(body)
    decision.year = today.year
    decision.number = next_number(body.id, today.year, "decision")
    decision.reference = f"{decision.number}/{settings.number_suffix}"
    decision.issued_on = today
    decision.issued_at = utcnow()
    decision.issued_by_id = actor.id
    decision.state = "issued"
    for line in decision.lines:
        apply_transition(
            line.nomination,
            Action.AWARD,
            actor=actor,
            comment=_("Decision %(ref)s", ref=decision.reference),
        )
        serial = next_number(body.id, today.year, "golden_book")
        certificate = Certificate(
            line=line,
            awarding_body_id=body.id,
            year=today.year,
            serial=serial,
            public_serial=f"{body.code or body.id}-{today.year}-{serial:05d}",
            key_id="",
            code="",
        )
        certificate.key_id, certificate.code = codes.make_code(codes.essentials(certificate))
        db.session.add(certificate)
    db.session.flush()


def annul_decision(decision: Decision, *, actor: User, reason: str) -> None:
    """Annul an issued decision: its awards are annulled and its certificates revoked."""
    _require(actor, Role.CHAIR, decision.awarding_body)
    if decision.state != "issued":
        raise InvalidTransition(_("Only an issued decision can be annulled."))
    if not clean_multiline(reason):
        raise DomainError(_("Please give a reason."), field="reason")
    now = utcnow()
    decision.state = "annulled"
    decision.annulled_at = now
    decision.annul_reason = clean_multiline(reason)
    for line in decision.lines:
        if line.nomination.state == NominationState.AWARDED.value:
            apply_transition(line.nomination, Action.ANNUL, actor=actor, comment=reason)
        if line.certificate is not None and line.certificate.state == "valid":
            line.certificate.state = "revoked"
            line.certificate.revoked_at = now
    db.session.flush()
