"""Decisions: draft from passed dossiers, public posting, issue (numbers, awards,
certificates), annul (revocation). Nominations move only through the workflow.

The generated texts are Vietnamese whatever the interface language: they are the official
document.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.common.audit import AuditEvent
from recognition.common.links import app_path
from recognition.common.numbering import document_reference, next_number
from recognition.common.text import clean, clean_multiline, signer_title_lines
from recognition.database import local_today
from recognition.decisions.annulments import grant_pending_request
from recognition.decisions.enums import HOLDING_STATES, DecisionAction, DecisionState
from recognition.decisions.models import Decision, DecisionLine, PostingFeedback
from recognition.decisions.money.services import freeze_amounts
from recognition.decisions.permissions import can_draft_decision, can_edit_decision
from recognition.decisions.wording import annex_order, articles_of, title_of
from recognition.decisions.workflow import (
    LIFECYCLE,
    outside_authority,
    posting_days,
    waits_for_signature,
)
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.law.rules import rules_on
from recognition.nominations.effects import holders
from recognition.nominations.enums import NominationState
from recognition.nominations.guards import hold_problem
from recognition.nominations.models import Nomination
from recognition.nominations.places import person_line
from recognition.nominations.queries import with_reports
from recognition.notifications.enums import NotificationKind
from recognition.notifications.services import notify
from recognition.units.models import Unit
from recognition.units.settings import settings_for

__all__ = ["posting_days"]


def _detail(nomination: Nomination) -> str:
    if nomination.is_person:
        return person_line(nomination, nomination.person_position or "")
    # A unit nominated by itself (a commune proposing the commune) is named once, not twice.
    if nomination.nominee_unit_id == nomination.nominating_unit_id:
        return ""
    return nomination.nominating_unit.name


def _check_awardable(body: Unit, nomination: Nomination, day: date) -> None:
    """A dossier the council passed, submitted to `body`, for an award the body's chairman
    confers under the law of `day`, in no other live decision."""
    if nomination.state != NominationState.PASSED:
        raise DomainError(
            _("%(name)s has not been passed by the council.", name=nomination.nominee_name)
        )
    if nomination.campaign.awarding_body_id != body.id:
        raise DomainError(
            _("%(name)s was submitted to another body.", name=nomination.nominee_name)
        )
    held = hold_problem(nomination) or outside_authority(body, nomination.award_type, day)
    if held:
        raise DomainError(held)
    taken = db.session.scalar(
        select(Decision.id)
        .join(DecisionLine)
        .where(DecisionLine.nomination_id == nomination.id, Decision.state.in_(HOLDING_STATES))
    )
    if taken is not None:
        raise DomainError(
            _("%(name)s is already in another decision.", name=nomination.nominee_name)
        )


def _lines(nominations: list[Nomination]) -> list[DecisionLine]:
    """The annex: awards in catalogue order, collectives before individuals within each, in
    Vietnamese order; numbered across the decision (the golden-book numbers)."""
    ordered = annex_order(nominations)
    with_reports(ordered)  # each line's achievement is its dossier's summary
    return [
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


def legal_bases_for(body: Unit, day: date) -> str:
    """The "Căn cứ …" lines of a decision of `body` dated `day`: the law in force that day,
    then the body's own additional lines."""
    own = [line for line in settings_for(body).legal_bases.split("\n") if line.strip()]
    return "\n".join([*rules_on(day).bases, *own])


def draft_decision(
    body: Unit, nominations: list[Nomination], *, actor: User, today: date | None = None
) -> Decision:
    """A draft decision awarding the given passed dossiers, texts pre-filled from settings
    and its legal bases from the law in force `today`."""
    if not can_draft_decision(actor, body):
        raise NotAllowed(
            _(
                "Only the %(role)s of %(body)s may do this.",
                role=Role.SECRETARIAT.label,
                body=body.name,
            )
        )
    if not nominations:
        raise DomainError(_("Choose at least one passed dossier."))
    day = today or local_today()
    for nomination in nominations:
        _check_awardable(body, nomination, day)
    settings = settings_for(body)
    decision = Decision(
        awarding_body=body,
        title=title_of(nominations),
        legal_bases=legal_bases_for(body, day),
        legal_bases_on=day,
        proposal=f"Theo đề nghị của {settings.proposer}." if settings.proposer else "",
        recipients=settings.recipients,
        signer_title=settings.signer_title,
        signer_name=settings.signer_name,
        articles=articles_of(nominations, body, proposer=settings.proposer),
    )
    decision.lines = _lines(nominations)
    db.session.add(decision)
    db.session.flush()
    waits_for_signature(decision, actor_id=actor.id)
    return decision


@dataclass(frozen=True)
class DecisionTexts:
    title: str
    legal_bases: str
    articles: str
    recipients: str
    signer_title: str
    signer_name: str
    proposal: str | None = None  # None keeps the decision's


def update_draft(decision: Decision, texts: DecisionTexts, *, actor: User) -> None:
    """Save the texts of a decision that is not issued yet; flushes."""
    if decision.state not in (DecisionState.DRAFT, DecisionState.POSTED):
        raise InvalidTransition(_("An issued decision cannot be changed."))
    if not can_edit_decision(actor, decision):
        raise NotAllowed(_("You may not change this decision."))
    decision.title = clean(texts.title)
    decision.legal_bases = clean_multiline(texts.legal_bases)
    decision.articles = clean_multiline(texts.articles)
    decision.recipients = clean_multiline(texts.recipients)
    if texts.proposal is not None:
        decision.proposal = clean(texts.proposal)
    decision.signer_title = signer_title_lines(texts.signer_title)
    decision.signer_name = clean(texts.signer_name)
    db.session.flush()


def start_posting(decision: Decision, *, actor: User, today: date) -> AuditEvent:
    """Post the list publicly from `today` for the longest posting its titles require."""
    event = LIFECYCLE.apply(decision, DecisionAction.POST, actor=actor, today=today)
    decision.posting_starts_on = today
    decision.posting_ends_on = today + timedelta(days=posting_days(decision))
    db.session.flush()
    waits_for_signature(decision, actor_id=actor.id)
    return event


def add_feedback(
    decision: Decision, *, name: str, contact: str, text: str, today: date
) -> PostingFeedback:
    if (
        decision.state != DecisionState.POSTED
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
    _tell_of_comment(decision, feedback)
    return feedback


# A comment is quoted in the notification up to this many characters (the page has it whole).
COMMENT_QUOTED = 200


def _tell_of_comment(decision: Decision, feedback: PostingFeedback) -> None:
    """The body's secretariat is told of each comment on its posted list, in their language,
    with the link to the decision's page where the comments are read."""
    link = app_path("decisions.detail", decision_id=decision.id)
    quoted = (
        feedback.text
        if len(feedback.text) <= COMMENT_QUOTED
        else (feedback.text[:COMMENT_QUOTED].rstrip() + "…")
    )
    for user in holders(Role.SECRETARIAT, [decision.awarding_body_id]):
        with force_locale(user.locale or "vi"):
            text = _(
                "A comment on the publicly posted list of “%(title)s”, from %(name)s: “%(text)s”",
                title=decision.title,
                name=feedback.name or _("anonymous"),
                text=quoted,
            )
        notify(user, kind=NotificationKind.POSTING_COMMENT, text=text, link=link)


def _cite_law_of(decision: Decision, day: date) -> None:
    """Bases generated for an earlier day and left as generated cite the law of `day`."""
    generated_on = decision.legal_bases_on
    if generated_on is None or generated_on == day:
        return
    if decision.legal_bases == legal_bases_for(decision.awarding_body, generated_on):
        decision.legal_bases = legal_bases_for(decision.awarding_body, day)
        decision.legal_bases_on = day


def _number(decision: Decision, *, actor: User, today: date) -> None:
    """The decision's number in its body's year, its reference and who signed it; the legal
    bases cite the law of the issue date."""
    _cite_law_of(decision, today)
    body = decision.awarding_body
    decision.year = today.year
    decision.number = next_number(body.id, today.year, "decision")
    decision.reference = document_reference(decision.number, settings_for(body).number_suffix)
    decision.issued_on = today
    decision.issued_by_id = actor.id


def issue_decision(decision: Decision, *, actor: User, today: date) -> AuditEvent:
    """Number the decision, award every line, create each certificate with its serial, and
    store each line's reward money."""
    # The number is allocated only for an issue that goes ahead (the CHECK wants it as the
    # state becomes issued); otherwise `apply` refuses with its message.
    if LIFECYCLE.can(actor, decision, DecisionAction.ISSUE) and not LIFECYCLE.refusal(
        decision, DecisionAction.ISSUE, today=today
    ):
        _number(decision, actor=actor, today=today)
    event = LIFECYCLE.apply(decision, DecisionAction.ISSUE, actor=actor, today=today)
    db.session.flush()  # the certificates its effects created
    freeze_amounts(decision)  # the reward money by the law of the issue date
    return event


def annul_decision(decision: Decision, *, actor: User, reason: str) -> AuditEvent:
    """Annul an issued decision: its awards are annulled, its certificates revoked, and the
    proposal to annul it that waited, if any, granted."""
    event = LIFECYCLE.apply(decision, DecisionAction.ANNUL, actor=actor, comment=reason)
    decision.annul_reason = event.comment
    db.session.flush()
    grant_pending_request(decision, actor=actor)
    return event
