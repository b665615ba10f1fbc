"""The award catalogue and campaigns, kept by an awarding body's secretariat."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from recognition.campaigns.enums import (
    AwardKind,
    CampaignStatus,
    MeasureKind,
    NomineeKind,
    VoteBase,
    VoteMethod,
)
from recognition.campaigns.models import AwardType, Campaign, CampaignAward, Criterion
from recognition.common.text import clean, clean_multiline, fold, sort_string, upper
from recognition.database import LARGEST_AMOUNT
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.units.models import Unit


@dataclass(frozen=True)
class AwardTypeData:
    code: str
    name: str
    certificate_title: str
    kind: AwardKind
    nominee_kind: NomineeKind
    eligible_unit_kinds: list[str] = field(default_factory=list)
    description: str = ""
    vote_method: VoteMethod = VoteMethod.SECRET_BALLOT
    vote_threshold_percent: Decimal = Decimal(70)
    vote_base: VoteBase = VoteBase.PRESENT
    quorum_numerator: int = 2
    quorum_denominator: int = 3
    chair_must_approve: bool = False
    abstain_allowed: bool = False
    absentees_vote_in_writing: bool = True
    public_posting_days: int = 0
    simplified_allowed: bool = False
    cap_percent: Decimal | None = None
    cap_base: AwardType | None = None
    history_award: AwardType | None = None
    history_years: int | None = None


def _check_award_rules(data: AwardTypeData) -> None:
    if not 0 < data.vote_threshold_percent <= 100:
        raise DomainError(
            _("The threshold must be between 1 and 100 %."), field="vote_threshold_percent"
        )
    if not 0 < data.quorum_numerator <= data.quorum_denominator:
        raise DomainError(
            _("The quorum must be a fraction such as 2/3 (at most 1)."), field="quorum_numerator"
        )
    if (data.cap_percent is None) != (data.cap_base is None):
        raise DomainError(
            _("A cap needs both a percentage and the title it is counted on."), field="cap_percent"
        )
    if (data.history_award is None) != (data.history_years is None):
        raise DomainError(
            _("A history rule needs both the earlier title and the number of years."),
            field="history_years",
        )


def save_award_type(
    award_type: AwardType | None, data: AwardTypeData, *, awarding_body: Unit
) -> AwardType:
    """Create or update an award type of `awarding_body`."""
    if not awarding_body.is_awarding_body:
        raise DomainError(_("%(unit)s is not an awarding body.", unit=awarding_body.name))
    _check_award_rules(data)
    code = upper(clean(data.code))
    duplicate = db.session.scalar(
        select(AwardType.id).where(
            AwardType.awarding_body_id == awarding_body.id,
            AwardType.code == code,
            AwardType.id != (award_type.id if award_type else 0),
        )
    )
    if duplicate is not None:
        raise DomainError(
            _("The code %(code)s is already used in this catalogue.", code=code), field="code"
        )
    if award_type is None:
        award_type = AwardType(awarding_body=awarding_body)
        db.session.add(award_type)
    if data.cap_base is not None and data.cap_base is award_type:
        raise DomainError(_("A title cannot be capped by itself."), field="cap_base_id")
    award_type.code = code
    award_type.name = clean(data.name)
    award_type.certificate_title = upper(clean(data.certificate_title))
    award_type.kind = data.kind.value
    award_type.nominee_kind = data.nominee_kind.value
    award_type.eligible_unit_kinds = list(data.eligible_unit_kinds)
    award_type.description = clean_multiline(data.description)
    award_type.vote_method = data.vote_method.value
    award_type.vote_threshold_percent = data.vote_threshold_percent
    award_type.vote_base = data.vote_base.value
    award_type.quorum_numerator = data.quorum_numerator
    award_type.quorum_denominator = data.quorum_denominator
    award_type.chair_must_approve = data.chair_must_approve
    award_type.abstain_allowed = data.abstain_allowed
    award_type.absentees_vote_in_writing = data.absentees_vote_in_writing
    award_type.public_posting_days = data.public_posting_days
    award_type.simplified_allowed = data.simplified_allowed
    award_type.cap_percent = data.cap_percent
    award_type.cap_base = data.cap_base
    award_type.history_award = data.history_award
    award_type.history_years = data.history_years
    db.session.flush()
    return award_type


@dataclass(frozen=True)
class CriterionData:
    code: str
    text: str
    group: str = ""
    required: bool = True
    measure: MeasureKind = MeasureKind.YES_NO
    target: Decimal | None = None
    unit_label: str = ""
    evidence_required: bool = False


def save_criterion(
    award_type: AwardType, criterion: Criterion | None, data: CriterionData
) -> Criterion:
    """Create or update a criterion of `award_type` (codes are unique within it)."""
    code = clean(data.code)
    if not code or not clean(data.text):
        raise DomainError(_("A criterion needs a code and a text."), field="code")
    for other in award_type.criteria:
        if other.code == code and other is not criterion:
            raise DomainError(
                _("The code %(code)s is already used by another criterion.", code=code),
                field="code",
            )
    if data.measure != MeasureKind.NUMBER and data.target is not None:
        raise DomainError(_("Only a numeric criterion has a target."), field="target")
    if data.target is not None and not (
        data.target.is_finite() and abs(data.target) <= LARGEST_AMOUNT
    ):
        raise DomainError(
            _("The target must be a number of at most 12 digits before the decimal point."),
            field="target",
        )
    if criterion is None:
        criterion = Criterion(position=len(award_type.criteria) + 1)
        award_type.criteria.append(criterion)
    criterion.code = code
    criterion.text = clean_multiline(data.text)
    criterion.group = clean(data.group)
    criterion.required = data.required
    criterion.measure = data.measure.value
    criterion.target = data.target
    criterion.unit_label = clean(data.unit_label)
    criterion.evidence_required = data.evidence_required
    db.session.flush()
    return criterion


def delete_criterion(criterion: Criterion) -> None:
    """Remove a criterion that no dossier has answered yet."""
    from recognition.nominations.models import CriterionAnswer

    used = db.session.scalar(
        select(CriterionAnswer.id).where(CriterionAnswer.criterion_id == criterion.id).limit(1)
    )
    if used is not None:
        raise DomainError(
            _(
                "Dossiers have already answered this criterion; it cannot be "
                "deleted. Mark it as not required instead."
            )
        )
    criterion.award_type.criteria.remove(criterion)
    db.session.flush()


@dataclass(frozen=True)
class CampaignData:
    name: str
    opens_on: date
    closes_on: date
    directive_reference: str = ""
    description: str = ""
    period_start: date | None = None
    period_end: date | None = None


def save_campaign(
    campaign: Campaign | None, data: CampaignData, *, awarding_body: Unit
) -> Campaign:
    """Create or update a campaign of `awarding_body`."""
    if not awarding_body.is_awarding_body:
        raise DomainError(_("%(unit)s is not an awarding body.", unit=awarding_body.name))
    if data.closes_on < data.opens_on:
        raise DomainError(
            _("The window must close on or after the day it opens."), field="closes_on"
        )
    if data.period_start and data.period_end and data.period_end < data.period_start:
        raise DomainError(_("The period must end after it starts."), field="period_end")
    name = clean(data.name)
    if campaign is None:
        campaign = Campaign(awarding_body=awarding_body, status=CampaignStatus.DRAFT.value)
        db.session.add(campaign)
    campaign.name = name
    campaign.name_folded = fold(name)
    campaign.name_sort = sort_string(name)
    campaign.directive_reference = clean(data.directive_reference)
    campaign.description = clean_multiline(data.description)
    campaign.period_start = data.period_start
    campaign.period_end = data.period_end
    campaign.opens_on = data.opens_on
    campaign.closes_on = data.closes_on
    db.session.flush()
    return campaign


_STATUS_MOVES = {
    CampaignStatus.DRAFT: {CampaignStatus.OPEN},
    CampaignStatus.OPEN: {CampaignStatus.CLOSED},
    CampaignStatus.CLOSED: {CampaignStatus.OPEN, CampaignStatus.ARCHIVED},
    CampaignStatus.ARCHIVED: set(),
}


def set_campaign_status(campaign: Campaign, status: CampaignStatus) -> None:
    """Open, close, reopen or archive a campaign."""
    current = CampaignStatus(campaign.status)
    if status not in _STATUS_MOVES[current]:
        raise DomainError(
            _(
                "A campaign that is %(current)s cannot become %(new)s.",
                current=current.label.lower(),
                new=status.label.lower(),
            )
        )
    if status == CampaignStatus.OPEN and not campaign.offers:
        raise DomainError(_("Add at least one award type before opening the campaign."))
    campaign.status = status.value
    db.session.flush()


def extend_window(campaign: Campaign, *, closes_on: date) -> None:
    """Move the closing day of the submission window later (the secretariat's extension)."""
    if closes_on <= campaign.closes_on:
        raise DomainError(
            _(
                "The new closing day must be after %(date)s.",
                date=campaign.closes_on.strftime("%d/%m/%Y"),
            ),
            field="closes_on",
        )
    campaign.closes_on = closes_on
    db.session.flush()


def offer_award(campaign: Campaign, award_type: AwardType, *, quota: int | None) -> CampaignAward:
    """Put an award type of the campaign's body on offer (or change its quota)."""
    if award_type.awarding_body_id != campaign.awarding_body_id:
        raise DomainError(_("That award type belongs to another awarding body."))
    if quota is not None and quota < 1:
        raise DomainError(_("A quota must be at least 1, or empty for no quota."), field="quota")
    offer = next((o for o in campaign.offers if o.award_type_id == award_type.id), None)
    if offer is None:
        offer = CampaignAward(award_type=award_type)
        campaign.offers.append(offer)
    offer.quota = quota
    db.session.flush()
    return offer


def withdraw_offer(offer: CampaignAward) -> None:
    """Take an award type off a campaign while no dossier uses it."""
    from recognition.nominations.models import Nomination

    used = db.session.scalar(
        select(Nomination.id)
        .where(
            Nomination.campaign_id == offer.campaign_id,
            Nomination.award_type_id == offer.award_type_id,
        )
        .limit(1)
    )
    if used is not None:
        raise DomainError(_("Dossiers already use this award type in this campaign."))
    offer.campaign.offers.remove(offer)
    db.session.flush()
