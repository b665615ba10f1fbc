"""The steps each of the demo's rounds of awards takes, from the campaign to the decision:
a dossier submitted, appraised and accepted, the council's meeting in which every member is
present and in favour, and the decision drafted and issued. The rounds differ only in their
dates, titles and places, which they pass in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from sqlalchemy import select

from recognition.auth.models import User
from recognition.campaigns.enums import CampaignAction, MeasureKind
from recognition.campaigns.models import AwardType, Campaign
from recognition.campaigns.services import CampaignData, offer_award, save_campaign
from recognition.campaigns.workflow import apply_campaign_action
from recognition.common.numbering import Counter
from recognition.council import services as council
from recognition.council.enums import Choice, SessionKind
from recognition.decisions import services as decisions
from recognition.decisions.models import Decision
from recognition.extensions import db
from recognition.nominations.enums import Action, Gender
from recognition.nominations.models import Nomination
from recognition.nominations.services import (
    Answer,
    Nominee,
    Report,
    create_nomination,
    update_nomination,
)
from recognition.nominations.workflow import apply_transition
from recognition.review.services import Verdict, record_appraisal
from recognition.units.models import Unit


def answer(measure: str, *, note: str, text: str) -> Answer:
    """A criterion met: yes, 100, or `text`, each with the evidence `note`."""
    if measure == MeasureKind.YES_NO.value:
        return Answer(met=True, evidence_note=note)
    if measure == MeasureKind.NUMBER.value:
        return Answer(value=Decimal(100), evidence_note=note)
    return Answer(text=text, evidence_note=note)


class Person(Protocol):
    """A dossier's person, if any (an empty `person` nominates the unit itself)."""

    @property
    def person(self) -> str: ...
    @property
    def position(self) -> str: ...
    @property
    def birth_year(self) -> int | None: ...
    @property
    def gender(self) -> Gender | None: ...


def nominee(unit: Unit, spec: Person) -> Nominee:
    """The unit itself, or the person the spec names (of the unit) when there is one."""
    if not spec.person:
        return Nominee(unit=unit)
    return Nominee(
        person_name=spec.person,
        person_position=spec.position,
        person_unit=unit,
        person_birth_year=spec.birth_year,
        person_gender=spec.gender,
    )


def open_campaign(
    body: Unit, data: CampaignData, awards: list[AwardType], *, secretariat: User
) -> Campaign:
    """The campaign saved, offering `awards` with no quota, and opened."""
    campaign = save_campaign(None, data, awarding_body=body)
    for award in awards:
        offer_award(campaign, award, quota=None)
    apply_campaign_action(campaign, CampaignAction.OPEN, actor=secretariat)
    return campaign


def submit_dossier(
    campaign: Campaign,
    award: AwardType,
    nominated: Nominee,
    report: Report,
    *,
    nominator: User,
    note: str,
    text: str,
    at: datetime,
) -> Nomination:
    """A dossier written with every criterion met (see `answer`) and submitted at `at`."""
    nomination = create_nomination(campaign, award, nominated, actor=nominator)
    answers = {c.id: answer(c.measure, note=note, text=text) for c in award.criteria}
    update_nomination(nomination, report, answers, actor=nominator)
    apply_transition(nomination, Action.SUBMIT, actor=nominator, today=at.date(), at=at)
    return nomination


def appraise(nomination: Nomination, *, secretariat: User, at: datetime) -> None:
    """The secretariat takes the dossier, agrees with every criterion and accepts it."""
    apply_transition(nomination, Action.TAKE, actor=secretariat, today=at.date(), at=at)
    verdicts = {c.id: Verdict(agree=True) for c in nomination.award_type.criteria}
    record_appraisal(nomination, verdicts, actor=secretariat)
    apply_transition(nomination, Action.ACCEPT, actor=secretariat, today=at.date(), at=at)


@dataclass(frozen=True)
class Meeting:
    """The council's meeting: its title, place and day."""

    title: str
    place: str
    held_on: date


def vote(
    body: Unit, dossiers: list[Nomination], meeting: Meeting, *, secretariat: User, chair: User
) -> None:
    """The council's meeting: every member present and in favour of every dossier, by ballot
    or by a show of hands as the title is voted."""
    session = council.create_session(
        body,
        council.SessionData(
            title=meeting.title,
            kind=SessionKind.MEETING,
            held_on=meeting.held_on,
            place=meeting.place,
        ),
        actor=secretariat,
    )
    council.add_to_agenda(session, dossiers, actor=secretariat)
    council.set_attendance(session, {a.member_id: "present" for a in session.attendance})
    council.open_vote(session, actor=secretariat)
    for item in session.items:
        if council.is_show_of_hands(item):
            present = council.counts_for(item).participants
            council.record_hands(item, agree=present, disagree=0, abstain=0, actor=secretariat)
            continue
        for attendance in session.attendance:
            council.cast_vote(item, attendance.member, Choice.AGREE, today=meeting.held_on)
    council.close_vote(session, actor=chair, chair_approved=True)


def continue_register(body: Unit, year: int, issued_before: int) -> None:
    """The body's register of decisions for `year` continues after `issued_before` decisions
    made outside the system, unless it has been started already."""
    started = db.session.scalar(
        select(Counter).where(
            Counter.unit_id == body.id, Counter.year == year, Counter.kind == "decision"
        )
    )
    if started is None:
        db.session.add(Counter(unit_id=body.id, year=year, kind="decision", value=issued_before))


def to_decision(
    body: Unit,
    dossiers: list[Nomination],
    *,
    secretariat: User,
    chair: User,
    appraised_at: datetime,
    meeting: Meeting,
    issued_on: date,
    drafted_on: date | None = None,
    posted_on: date | None = None,
) -> Decision:
    """Submitted dossiers through to an issued decision: each appraised and accepted at
    `appraised_at`, the council's `meeting`, then the decision drafted (on `drafted_on`, or
    today), posted publicly from `posted_on` when given, and issued by the chair on
    `issued_on`."""
    for dossier in dossiers:
        appraise(dossier, secretariat=secretariat, at=appraised_at)
    vote(body, dossiers, meeting, secretariat=secretariat, chair=chair)
    decision = decisions.draft_decision(body, dossiers, actor=secretariat, today=drafted_on)
    if posted_on is not None:
        decisions.start_posting(decision, actor=secretariat, today=posted_on)
    decisions.issue_decision(decision, actor=chair, today=issued_on)
    return decision
