"""The guards that read the nominee's past: a required history of awards, and one
achievement, one award (another live dossier, or the same title or form for the same year in
the award history). `guards.submit_problems` refuses with the first; the dossier and
appraisal pages warn with the second."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from recognition.campaigns.enums import AwardOccasion
from recognition.campaigns.models import AwardType, Campaign
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.common.i18n import short_date
from recognition.extensions import db
from recognition.history.lookup import is_sudden_name, matches_award, nominee_records
from recognition.history.models import AwardRecord
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.models import Nomination

# Nominations that count towards quotas and caps: everything not withdrawn, rejected or failed.
COUNTED = [
    s
    for s in NominationState
    if s not in (NominationState.WITHDRAWN, NominationState.REJECTED, NominationState.FAILED)
]


def award_year():
    """A dossier's year: the end of its campaign's period (or its closing day)."""
    return func.extract("year", func.coalesce(Campaign.period_end, Campaign.closes_on))


def _award_years(nomination: Nomination, award: AwardType, *, merit_only: bool) -> set[int]:
    """The years (of the campaign's period) in which the nominee was awarded `award`: by the
    dossiers awarded here and by the award history (decisions issued here, earlier awards
    imported; withdrawn ones left out), across a merger of the nominee's unit.

    With `merit_only`, only regular awards not passed by the simplified procedure, and no
    imported award named sudden or thematic (NĐ 152/2025/NĐ-CP art. 4: sudden and thematic
    awards do not count towards merit awards)."""
    records = [r for r in nominee_records(nomination) if matches_award(r, award)]
    years = {
        r.year
        for r in records
        if r.nomination_id is None
        and r.year is not None
        and not (merit_only and is_sudden_name(r.award_name))
    }
    dossiers = {r.nomination_id for r in records if r.nomination_id is not None}
    return years | _dossier_years(nomination, award, dossiers, merit_only=merit_only)


def _dossier_years(
    nomination: Nomination, award: AwardType, ids: set[int], *, merit_only: bool
) -> set[int]:
    """The period years of the nominee's awarded dossiers of `award` (by the nominee's key)
    and of the dossiers `ids` the history names."""
    query = (
        select(func.distinct(award_year()))
        .select_from(Nomination)
        .join(Nomination.campaign)
        .where(
            (
                (Nomination.nominee_key == nomination.nominee_key)
                & (Nomination.award_type_id == award.id)
                & (Nomination.state == NominationState.AWARDED)
            )
            | Nomination.id.in_(ids)
        )
    )
    if merit_only:
        simplified = select(AuditEvent.id).where(
            AuditEvent.object_kind == ObjectKind.NOMINATION,
            AuditEvent.object_id == Nomination.id,
            AuditEvent.action == Action.PASS_SIMPLIFIED.value,
        )
        query = (
            query.join(AwardType, AwardType.id == Nomination.award_type_id)
            .where(AwardType.occasion == AwardOccasion.REGULAR)
            .where(~simplified.exists())
        )
    return {int(y) for y in db.session.scalars(query) if y is not None}


def history_problem(nomination: Nomination) -> str | None:
    """A required history, e.g. "3 consecutive years of title X" before the campaign's year,
    read from the dossiers awarded here and the award history (see `_award_years`).

    Only merit awards count: a sudden or thematic award, or one passed by the simplified
    procedure for a sudden achievement, does not (NĐ 152/2025/NĐ-CP art. 4)."""
    award = nomination.award_type
    if award.history_award is None or not award.history_years:
        return None
    year = (nomination.campaign.period_end or nomination.campaign.closes_on).year
    wanted = set(range(year - award.history_years, year))
    held = _award_years(nomination, award.history_award, merit_only=True)
    missing = sorted(wanted - held)
    if not missing:
        return None
    message = _(
        "%(award)s requires %(history)s in each of the %(years)d years before; it is "
        "missing for %(missing)s.",
        award=award.name,
        history=award.history_award.name,
        years=award.history_years,
        missing=", ".join(str(y) for y in missing),
    )
    if set(missing) & _award_years(nomination, award.history_award, merit_only=False):
        message += " " + _(
            "Sudden and thematic awards, and awards by the simplified procedure, do not count "
            "towards merit awards (NĐ 152/2025/NĐ-CP, art. 4)."
        )
    return message


def same_achievement_elsewhere(nomination: Nomination) -> list[Nomination]:
    """Other live dossiers of the same nominee (a unit, or a person by name and birth year) in
    the same campaign, or in another campaign of the same body for the same year: one
    achievement is rewarded once. A warning, not a refusal: two titles may reward two
    different achievements."""
    key = nomination.nominee_key
    if key.startswith("person:"):
        same = Nomination.nominee_key.startswith(key.rsplit("|", 1)[0] + "|", autoescape=True)
    else:
        same = Nomination.nominee_key == key
    campaign = nomination.campaign
    year = (campaign.period_end or campaign.closes_on).year
    return list(
        db.session.scalars(
            select(Nomination)
            .join(Nomination.campaign)
            .where(
                same,
                Nomination.id != nomination.id,
                Nomination.state.in_(COUNTED),
                Campaign.awarding_body_id == campaign.awarding_body_id,
                (Campaign.id == campaign.id) | (award_year() == year),
            )
            .order_by(Nomination.id)
        )
    )


def same_award_in_history(nomination: Nomination) -> list[AwardRecord]:
    """The nominee's award records of the same title or form for the dossier's period year
    (a decision's record by its dossier's period, an imported one by its year), this dossier's
    own award left out: one achievement, one award."""
    year = (nomination.campaign.period_end or nomination.campaign.closes_on).year
    records = [
        r
        for r in nominee_records(nomination)
        if matches_award(r, nomination.award_type) and r.nomination_id != nomination.id
    ]
    ids = {r.nomination_id for r in records if r.nomination_id is not None}
    periods: dict[int, int] = {}
    if ids:
        rows = db.session.execute(
            select(Nomination.id, award_year())
            .join(Nomination.campaign)
            .where(Nomination.id.in_(ids))
        )
        periods = {int(i): int(y) for i, y in rows}
    return [
        r
        for r in records
        if (periods.get(r.nomination_id) if r.nomination_id is not None else r.year) == year
    ]


def same_achievement_warning(nomination: Nomination) -> str | None:
    """Another live dossier of the nominee this year, or an award of the same title or form
    for the same period in the history: one achievement is rewarded once."""
    others = same_achievement_elsewhere(nomination)
    listed_ids = {other.id for other in others}
    earlier = [r for r in same_award_in_history(nomination) if r.nomination_id not in listed_ids]
    found = [_other_dossier(other) for other in others] + [_earlier_award(r) for r in earlier]
    if not found:
        return None
    return _(
        "%(nominee)s also has %(others)s. One achievement is rewarded once: make sure this "
        "dossier reports a different achievement.",
        nominee=nomination.nominee_name,
        others="; ".join(found),
    )


def _earlier_award(item: AwardRecord) -> str:
    return _(
        "%(award)s of %(year)s in the award history (decision %(ref)s of %(date)s, %(body)s)",
        award=item.award_name,
        year=item.year or "",
        ref=item.decision_reference or "—",
        date=short_date(item.decision_on) if item.decision_on else "—",
        body=item.awarding_body_name or "—",
    )


def _other_dossier(other: Nomination) -> str:
    return _(
        "the dossier %(ref)s for %(award)s this year (%(campaign)s, %(state)s)",
        ref=other.reference or f"#{other.id}",
        award=other.award_type.name,
        campaign=other.campaign.name,
        state=other.state.label,
    )
