"""Business guards of the workflow: each returns a refusal message, or None when allowed."""

from datetime import date
from decimal import ROUND_FLOOR, Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from recognition.campaigns.enums import CampaignStatus, MeasureKind
from recognition.campaigns.models import CampaignAward, Criterion
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.common.i18n import number, short_date
from recognition.common.text import listed
from recognition.extensions import db
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.history_guards import COUNTED, history_problem
from recognition.nominations.models import Attachment, Nomination
from recognition.registration.services import registration_gap
from recognition.units.enums import RegistrationRule, UnitState
from recognition.units.models import Unit
from recognition.units.settings import settings_for


def window_problem(nomination: Nomination, today: date) -> str | None:
    campaign = nomination.campaign
    if campaign.is_window_open(today):
        return None
    if campaign.status != CampaignStatus.OPEN:
        # Closed early (or archived): naming the closing day would send people after an
        # extension that cannot help.
        return _("The campaign is not open for nominations.")
    if today < campaign.opens_on:
        return _("Submissions open on %(date)s.", date=campaign.opens_on.strftime("%d/%m/%Y"))
    return _(
        "The submission window of this campaign closed on %(date)s. Ask the secretariat "
        "of %(body)s to extend it if you need more time.",
        date=campaign.closes_on.strftime("%d/%m/%Y"),
        body=campaign.awarding_body.name,
    )


def report_problems(nomination: Nomination) -> list[str]:
    """The achievement report's summary is what the secretariat, the council and the decision
    read first: a dossier is not submitted without it, nor without each section its award
    type requires, each named."""
    problems = []
    if not nomination.summary.strip():
        problems.append(_("Write the summary of achievements in the report before submitting."))
    for section in nomination.award_type.report_sections:
        if not (getattr(nomination, section.value) or "").strip():
            problems.append(
                _(
                    "Write section “%(section)s” of the report: %(award)s requires it.",
                    section=section.label,
                    award=nomination.award_type.name,
                )
            )
    return problems


def is_claimed(criterion: Criterion, nomination: Nomination) -> bool:
    """Whether the dossier must stand by this criterion: a required one always; an optional
    one (an alternative, "at least one of") when its self-assessment claims it: met, a
    figure, or a text."""
    if criterion.required:
        return True
    answer = nomination.answer_for(criterion)
    if answer is None:
        return False
    if criterion.measure == MeasureKind.YES_NO:
        return answer.met is True
    if criterion.measure == MeasureKind.NUMBER:
        return answer.value is not None
    return bool(answer.text.strip())


def criteria_problems(nomination: Nomination) -> list[str]:
    """Each required criterion that is not answered, and each that lacks required evidence."""
    files_for = {
        a.criterion_id
        for a in db.session.scalars(
            select(Attachment).where(
                Attachment.nomination_id == nomination.id, Attachment.removed_at.is_(None)
            )
        )
    }
    problems = []
    for criterion in nomination.award_type.criteria:
        answer = nomination.answer_for(criterion)
        label = f"{criterion.code} — {criterion.text}"
        answered = answer is not None and (
            (criterion.measure == MeasureKind.YES_NO and answer.met is not None)
            or (criterion.measure == MeasureKind.NUMBER and answer.value is not None)
            or (criterion.measure == MeasureKind.TEXT and bool(answer.text.strip()))
        )
        if criterion.required and not answered:
            problems.append(_("Criterion %(criterion)s has no self-assessment.", criterion=label))
        has_evidence = criterion.id in files_for or bool(answer and answer.evidence_note.strip())
        # An optional criterion (one of several alternatives) needs its evidence only when the
        # dossier claims it.
        if criterion.evidence_required and not has_evidence and is_claimed(criterion, nomination):
            problems.append(
                _("Criterion %(criterion)s needs evidence (a file or a note).", criterion=label)
            )
    return problems


def quota_problem(nomination: Nomination) -> str | None:
    """The campaign's quota of this award type per nominating unit."""
    offer = db.session.scalar(
        select(CampaignAward).where(
            CampaignAward.campaign_id == nomination.campaign_id,
            CampaignAward.award_type_id == nomination.award_type_id,
        )
    )
    if offer is None:
        return _("This campaign does not offer %(award)s.", award=nomination.award_type.name)
    if offer.quota is None:
        return None
    used = _count(nomination, nomination.award_type_id)
    if used >= offer.quota:
        return ngettext(
            "The quota of %(award)s for %(unit)s in this campaign is %(num)d dossier, "
            "and %(used)d are already submitted.",
            "The quota of %(award)s for %(unit)s in this campaign is %(num)d dossiers, "
            "and %(used)d are already submitted.",
            offer.quota,
            award=nomination.award_type.name,
            unit=nomination.nominating_unit.name,
            used=used,
        )
    return None


def _count(nomination: Nomination, award_type_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(Nomination.id)).where(
                Nomination.campaign_id == nomination.campaign_id,
                Nomination.award_type_id == award_type_id,
                Nomination.nominating_unit_id == nomination.nominating_unit_id,
                Nomination.state.in_(COUNTED),
                Nomination.state != NominationState.DRAFT,
                Nomination.id != nomination.id,
            )
        )
        or 0
    )


def cap_problem(nomination: Nomination) -> str | None:
    """A cap relative to another title set by the body on the award type (off by default: the
    15 % cap on Chiến sĩ thi đua cơ sở of Decree 91/2017/NĐ-CP lapsed on 1-1-2024)."""
    award = nomination.award_type
    if award.cap_percent is None or award.cap_base is None:
        return None
    base = _count(nomination, award.cap_base.id)
    allowed = int((Decimal(base) * award.cap_percent / 100).to_integral_value(ROUND_FLOOR))
    used = _count(nomination, award.id)
    if used + 1 > allowed:
        return _(
            "%(award)s is limited to %(percent)s %% of %(base)s. %(unit)s has submitted "
            "%(base_count)d %(base)s, which allows %(allowed)d %(award)s; %(used)d are "
            "already submitted.",
            award=award.name,
            percent=number(award.cap_percent),  # "15", not the column's "15.00"
            base=award.cap_base.name,
            unit=nomination.nominating_unit.name,
            base_count=base,
            allowed=allowed,
            used=used,
        )
    return None


def closed_unit_problem(unit: Unit | None) -> str | None:
    """A merged or dissolved unit is not nominated, nor is a person of one (TT 15/2025/TT-BNV:
    no award to a body dissolved in the reorganisation)."""
    if unit is None or unit.is_active:
        return None
    if unit.state == UnitState.MERGED and unit.successor is not None:
        return _(
            "%(unit)s was merged into %(successor)s: a merged or dissolved unit cannot be "
            "nominated, nor can a person of one (TT 15/2025/TT-BNV). Nominate under "
            "%(successor)s instead.",
            unit=unit.name,
            successor=unit.successor.name,
        )
    return _(
        "%(unit)s has been dissolved: a merged or dissolved unit cannot be nominated, nor can "
        "a person of one (TT 15/2025/TT-BNV).",
        unit=unit.name,
    )


def nominee_unit_problem(nomination: Nomination) -> str | None:
    """The nominated unit, or the person's unit, has been merged or dissolved."""
    return closed_unit_problem(nomination.nominee_unit) or closed_unit_problem(
        nomination.person_unit
    )


def submit_problems(nomination: Nomination, today: date) -> list[str]:
    """Every reason the dossier cannot be submitted now, each a sentence of its own: the
    dossier page lists them beside a disabled button, the transition refuses with them."""
    problems = [
        nominee_unit_problem(nomination),
        window_problem(nomination, today),
        *report_problems(nomination),
        *criteria_problems(nomination),
        quota_problem(nomination),
        cap_problem(nomination),
        history_problem(nomination),
        registration_problem(nomination),
    ]
    return [p for p in problems if p]


def registration_problem(nomination: Nomination) -> str | None:
    """Where the awarding body requires it, the title must be in the unit's registration for
    the year (elsewhere the dossier only warns about it)."""
    body = nomination.campaign.awarding_body
    if settings_for(body).registration_rule != RegistrationRule.REQUIRE:
        return None
    gap = registration_gap(nomination)
    if gap is None:
        return None
    return _("%(gap)s The awarding body accepts only registered titles.", gap=gap)


def ready_to_submit(nomination: Nomination, today: date) -> str | None:
    """The submission's refusal: a heading and each problem on a line of its own."""
    found = submit_problems(nomination, today)
    return listed(_("The dossier cannot be submitted yet:"), found) if found else None


def send_back_allowed(nomination: Nomination, today: date) -> str | None:
    limit = current_app.config["SEND_BACK_LIMIT"]
    done = (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.object_kind == ObjectKind.NOMINATION,
                AuditEvent.object_id == nomination.id,
                AuditEvent.action == Action.SEND_BACK.value,
            )
        )
        or 0
    )
    if done >= limit:
        return ngettext(
            "This dossier was already sent back %(num)d time, the most the settings allow. "
            "Accept or reject it.",
            "This dossier was already sent back %(num)d times, the most the settings allow. "
            "Accept or reject it.",
            done,
        )
    return None


def fully_appraised(nomination: Nomination, today: date) -> str | None:
    """Every criterion has the secretariat's verdict before the dossier is accepted."""
    done = {a.criterion_id for a in nomination.appraisals}
    missing = [c.code for c in nomination.award_type.criteria if c.id not in done]
    if missing:
        return _(
            "Record a verdict for every criterion before accepting (missing: %(codes)s).",
            codes=", ".join(missing),
        )
    return None


def unmet_by_its_own_account(nomination: Nomination) -> str | None:
    """A warning before sending a dossier that says itself that a required criterion is not
    met: sendable (the secretariat judges), but likely to come back or be rejected."""
    codes = [
        c.code
        for c in nomination.award_type.criteria
        if c.required
        and c.measure == MeasureKind.YES_NO
        and (answer := nomination.answer_for(c)) is not None
        and answer.met is False
    ]
    if not codes:
        return None
    return _(
        "The dossier assesses a required criterion as not met (%(codes)s): the title needs "
        "it, so the secretariat is likely to send the dossier back or reject it. Check the "
        "self-assessment before you send it.",
        codes=", ".join(codes),
    )


def required_criteria_met(nomination: Nomination, today: date) -> str | None:
    """A dossier whose required criterion the secretariat found not met is sent back or
    rejected, not accepted: the council would vote on a title its own appraisal refused."""
    # Met as the secretariat judges it: the dossier's own account, or its opposite where the
    # secretariat disagrees. A figure or a text the secretariat disagrees with is not met.
    verdicts = {a.criterion_id: a.verdict for a in nomination.appraisals}

    def not_met(criterion: Criterion) -> bool:
        verdict = verdicts.get(criterion.id)
        if verdict is None:
            return False
        if criterion.measure != MeasureKind.YES_NO:
            return verdict == "disagree"
        answer = nomination.answer_for(criterion)
        said_met = answer is not None and answer.met is True
        return said_met == (verdict == "disagree")

    codes = [c.code for c in nomination.award_type.criteria if c.required and not_met(c)]
    if codes:
        return _(
            "A required criterion is found not met (%(codes)s): send the dossier back for "
            "changes or reject it, or change that verdict.",
            codes=", ".join(codes),
        )
    return None


def simplified_allowed(nomination: Nomination, today: date) -> str | None:
    if not nomination.award_type.simplified_allowed:
        return _(
            "%(award)s does not allow the simplified procedure.", award=nomination.award_type.name
        )
    return None


def hold_problem(nomination: Nomination, today: date | None = None) -> str | None:
    """A held dossier is not accepted, passed, scheduled or awarded until the hold is lifted
    (NĐ 152/2025/NĐ-CP art. 4: the nominee is under discipline, inspection or complaint review)."""
    if nomination.hold_kind is None:
        return None
    return _(
        "The dossier of %(nominee)s is held since %(date)s (%(kind)s: %(reason)s). It cannot be "
        "accepted, passed, put on a council agenda or included in a decision until the "
        "secretariat lifts the hold.",
        nominee=nomination.nominee_name,
        date=short_date(nomination.held_at),
        kind=nomination.hold_kind.label,
        reason=nomination.hold_reason or "",
    )


def accept_allowed(nomination: Nomination, today: date) -> str | None:
    return (
        hold_problem(nomination)
        or fully_appraised(nomination, today)
        or required_criteria_met(nomination, today)
    )


def pass_simplified_allowed(nomination: Nomination, today: date) -> str | None:
    return hold_problem(nomination) or simplified_allowed(nomination, today)
