"""The decision's life: draft → (posted →) issued → annulled, one table and one entry point.

Posting publicly is required before issuing when one of the decision's titles asks for it
(its `public_posting_days`); issuing numbers the decision, awards each line's dossier and
creates its certificate and its award record; annulling annuls the awards, revokes the
certificates and withdraws the award records.
"""

from datetime import date, datetime

from flask_babel import force_locale
from flask_babel import gettext as _

from recognition.auth.enums import Role
from recognition.campaigns.models import AwardType
from recognition.certificates.services import create_certificate, revoke_certificate
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.common.lifecycle import Lifecycle, Transition
from recognition.common.links import app_path
from recognition.decisions.enums import DecisionAction, DecisionState
from recognition.decisions.models import Decision
from recognition.decisions.permissions import (
    can_annul_decision,
    can_issue_decision,
    can_post_decision,
)
from recognition.decisions.wording import in_sentence
from recognition.history.services import record_awards, withdraw_awards
from recognition.law.enums import AwardStandard
from recognition.law.rules import LEVELS, rules_on
from recognition.nominations.effects import holders
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.guards import hold_problem
from recognition.nominations.workflow import apply_transition
from recognition.notifications.enums import NotificationKind
from recognition.notifications.services import notify_once
from recognition.units.models import Unit

S = DecisionState


def posting_days(decision: Decision) -> int:
    """The longest public posting any of the decision's titles requires."""
    return max((line.award_type.public_posting_days for line in decision.lines), default=0)


def posting_required(decision: Decision, today: date) -> str | None:
    """Guard of `post`: one of the titles must require public posting."""
    if posting_days(decision) == 0:
        return _("None of these titles requires public posting.")
    return None


def posting_over(decision: Decision, today: date) -> str | None:
    """Guard of `issue`: titles that require posting are issued after the posting ends."""
    days = posting_days(decision)
    if not days:
        return None
    if decision.state != S.POSTED or decision.posting_ends_on is None:
        return _("These titles must first be posted publicly for %(days)d days.", days=days)
    if today <= decision.posting_ends_on:
        return _(
            "The public posting runs until %(date)s; the decision can be issued after that.",
            date=decision.posting_ends_on.strftime("%d/%m/%Y"),
        )
    return None


def no_line_held(decision: Decision, today: date) -> str | None:
    """Guard of `issue`: no dossier of the decision is held (NĐ 152/2025/NĐ-CP art. 4)."""
    for line in decision.lines:
        held = hold_problem(line.nomination)
        if held:
            return held
    return None


def outside_authority(body: Unit, award: AwardType, day: date) -> str | None:
    """Why the chairman of `body` may not confer `award` under the law in force on `day`, or
    None. A standard title or form is conferred only by the level the law gives it to (NĐ
    152/2025/NĐ-CP, NĐ 129/2025/NĐ-CP since 1-7-2025; the rules are dated data, /admin/law);
    a body's own title, or a body of no level the law names, is not checked."""
    level = LEVELS.get(body.kind)
    if award.standard == AwardStandard.OWN_TITLE or level is None:
        return None
    if award.standard in rules_on(day).authority(level):
        return None
    return _(
        "Under the law in force on %(day)s, the chairman of %(body)s does not confer "
        "“%(award)s” (%(standard)s); see the rules of authority.",
        day=day.strftime("%d/%m/%Y"),
        body=in_sentence(body.name),
        award=award.name,
        standard=award.standard.label,
    )


def lines_within_authority(decision: Decision, today: date) -> str | None:
    for award in {line.award_type.id: line.award_type for line in decision.lines}.values():
        problem = outside_authority(decision.awarding_body, award, today)
        if problem:
            return problem
    return None


def ready_to_issue(decision: Decision, today: date) -> str | None:
    return (
        no_line_held(decision, today)
        or lines_within_authority(decision, today)
        or posting_over(decision, today)
    )


_TABLE: list[Transition[DecisionState, DecisionAction]] = [
    Transition(
        DecisionAction.POST, frozenset({S.DRAFT}), S.POSTED, can_post_decision, posting_required
    ),
    Transition(
        DecisionAction.ISSUE,
        frozenset({S.DRAFT, S.POSTED}),
        S.ISSUED,
        can_issue_decision,
        ready_to_issue,
    ),
    Transition(
        DecisionAction.ANNUL,
        frozenset({S.ISSUED}),
        S.ANNULLED,
        can_annul_decision,
        needs_comment=True,
    ),
]


def _entered(
    decision: Decision, source: DecisionState, target: DecisionState, now: datetime
) -> None:
    if target == S.ISSUED:
        decision.issued_at = now
    elif target == S.ANNULLED:
        decision.annulled_at = now


def waits_for_signature(decision: Decision, *, actor_id: int | None) -> None:
    """The chair is told that a drafted or posted decision waits for signature."""
    link = app_path("decisions.detail", decision_id=decision.id)
    for user in holders(Role.CHAIR, [decision.awarding_body_id]):
        if user.id == actor_id:
            continue
        with force_locale(user.locale or "vi"):
            if decision.state == S.POSTED and decision.posting_ends_on is not None:
                text = _(
                    "The decision “%(title)s” is posted publicly until %(day)s; it waits for "
                    "your signature after that.",
                    title=decision.title,
                    day=decision.posting_ends_on.strftime("%d/%m/%Y"),
                )
            else:
                text = _(
                    "The decision “%(title)s” is drafted and waits for your signature.",
                    title=decision.title,
                )
        notify_once(user, kind=NotificationKind.DECISION_TO_SIGN, text=text, link=link)


def _effects(decision: Decision, event: AuditEvent) -> None:
    """What follows in the dossiers and certificates, keyed on their data: a passed dossier of
    an issued decision is awarded and gets its certificate; an awarded dossier of an annulled
    one is annulled, and a valid certificate of it is revoked."""
    actor = event.actor
    if actor is None:  # the chair issues and annuls, never the application by itself
        raise RuntimeError("a decision changes state by a person's act")
    if decision.state == S.ISSUED:
        comment = _("Decision %(ref)s", ref=decision.reference)
        for line in decision.lines:
            if line.nomination.state == NominationState.PASSED:
                apply_transition(line.nomination, Action.AWARD, actor=actor, comment=comment)
            if line.certificate is None and decision.year is not None:
                create_certificate(line, body=decision.awarding_body, year=decision.year)
        record_awards(
            decision.lines,
            body=decision.awarding_body,
            reference=decision.reference or "",
            issued_on=decision.issued_on,
            year=decision.year,
            actor=actor,
        )
    elif decision.state == S.ANNULLED:
        for line in decision.lines:
            if line.nomination.state == NominationState.AWARDED:
                apply_transition(line.nomination, Action.ANNUL, actor=actor, comment=event.comment)
            if line.certificate is not None:
                revoke_certificate(
                    line.certificate,
                    actor=actor,
                    reason=event.comment,
                    revoked_at=decision.annulled_at,
                )
        withdraw_awards(decision.lines, actor=actor, reason=event.comment)


def _not_possible(action: DecisionAction, state: DecisionState) -> str:
    if action == DecisionAction.POST:
        return _("Only a draft can be posted.")
    if action == DecisionAction.ISSUE:
        return _("This decision has already been issued or annulled.")
    return _("Only an issued decision can be annulled.")


def describe(decision: Decision) -> str:
    """How the audit log names a decision: its number once issued, else its title."""
    return decision.reference or decision.title


LIFECYCLE: Lifecycle[DecisionState, DecisionAction] = Lifecycle(
    kind=ObjectKind.DECISION,
    states=DecisionState,
    actions=DecisionAction,
    transitions=_TABLE,
    describe=describe,
    on_enter=_entered,
    effects=_effects,
    not_possible=_not_possible,
    not_allowed=lambda action: _(
        "You may not do “%(action)s” on this decision.", action=action.label
    ),
)


def available_actions(user: object, decision: Decision) -> list[DecisionAction]:
    """The actions this user may take on this decision now (state and role)."""
    return LIFECYCLE.available(user, decision)
