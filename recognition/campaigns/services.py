"""The award catalogue and campaigns, kept by an awarding body's secretariat."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import force_locale, format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from recognition.auth.models import User
from recognition.campaigns.enums import (
    AwardKind,
    AwardOccasion,
    CampaignAction,
    CampaignStatus,
    CatalogueAction,
    MeasureKind,
    NomineeKind,
    ReportSection,
    VoteBase,
    VoteMethod,
)
from recognition.campaigns.models import AwardType, Campaign, CampaignAward, Criterion
from recognition.campaigns.queries import dossier_counts_for_offers, lock_campaign
from recognition.common.audit import ObjectKind, record, register_vocabulary
from recognition.common.text import clean, clean_multiline, fold, sort_string, upper
from recognition.database import LARGEST_AMOUNT, local_today, string_length
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.law.enums import AwardStandard
from recognition.law.rules import LEVELS, rules_on
from recognition.units.models import Unit

register_vocabulary(ObjectKind.AWARD_TYPE, CatalogueAction)
register_vocabulary(ObjectKind.CRITERION, CatalogueAction)


@dataclass(frozen=True)
class AwardTypeData:
    code: str
    name: str
    certificate_title: str
    kind: AwardKind
    nominee_kind: NomineeKind
    standard: AwardStandard = AwardStandard.OWN_TITLE
    eligible_unit_kinds: list[str] = field(default_factory=list)
    required_report_sections: list[str] = field(default_factory=list)
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
    occasion: AwardOccasion = AwardOccasion.REGULAR
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


# How far a vote's base reaches: every member, those present or consulted, those present.
_BASE_REACH = {VoteBase.ALL_MEMBERS: 2, VoteBase.CONSULTED: 1, VoteBase.PRESENT: 0}


def _check_against_the_law(data: AwardTypeData) -> None:
    """A title whose standard the law requires a vote for (NĐ 98/2023 art. 30(7): CSTĐCS, Cờ
    thi đua, CSTĐ tỉnh) keeps at least the law's rule in force today: its share, its base and
    the secret ballot. A stricter rule is the body's to choose."""
    try:
        rule = rules_on(local_today()).vote(data.standard)
    except DomainError:
        return
    if not rule.required:
        return
    if data.vote_threshold_percent < rule.threshold:
        raise DomainError(
            _(
                "The law in force requires at least %(percent)s %% in favour for this title: "
                "the threshold cannot be lower.",
                percent=format_decimal(rule.threshold),
            ),
            field="vote_threshold_percent",
        )
    if _BASE_REACH[data.vote_base] < _BASE_REACH[rule.base]:
        raise DomainError(
            _(
                "The law in force counts the votes for this title on: %(base)s.",
                base=rule.base.label,
            ),
            field="vote_base",
        )
    if rule.method == VoteMethod.SECRET_BALLOT and data.vote_method == VoteMethod.SHOW_OF_HANDS:
        raise DomainError(
            _("The law in force requires a secret ballot for this title."),
            field="vote_method",
        )


def _check_authority(data: AwardTypeData, awarding_body: Unit) -> None:
    """A title of the law is put in the catalogue of a body whose chairman confers it under
    the law in force today (a commune offers no provincial flag); a body's own title, or a
    body of no level the law names today (a district kept for its history), is not checked."""
    level = LEVELS.get(awarding_body.kind)
    if data.standard == AwardStandard.OWN_TITLE or level is None or not awarding_body.is_active:
        return
    conferred = rules_on(local_today()).authority(level)
    if not conferred or data.standard in conferred:
        return
    raise DomainError(
        _(
            "Under the law in force, the chairman of %(body)s does not confer “%(standard)s”: "
            "choose a title of this level, or “The body's own title”.",
            body=awarding_body.name,
            standard=data.standard.label,
        ),
        field="standard",
    )


def _award_values(data: AwardTypeData) -> dict[str, object]:
    """The award type's columns as the catalogue stores them (cleaned)."""
    return {
        "code": upper(clean(data.code)),
        "name": clean(data.name),
        "certificate_title": upper(clean(data.certificate_title)),
        "kind": data.kind,
        "nominee_kind": data.nominee_kind,
        "standard": data.standard,
        "eligible_unit_kinds": list(data.eligible_unit_kinds),
        # In the report's order, whatever order they were ticked in.
        "required_report_sections": [
            s.value for s in ReportSection if s.value in data.required_report_sections
        ],
        "description": clean_multiline(data.description),
        "vote_method": data.vote_method,
        "vote_threshold_percent": data.vote_threshold_percent,
        "vote_base": data.vote_base,
        "quorum_numerator": data.quorum_numerator,
        "quorum_denominator": data.quorum_denominator,
        "chair_must_approve": data.chair_must_approve,
        "abstain_allowed": data.abstain_allowed,
        "absentees_vote_in_writing": data.absentees_vote_in_writing,
        "public_posting_days": data.public_posting_days,
        "simplified_allowed": data.simplified_allowed,
        "occasion": data.occasion,
        "cap_percent": data.cap_percent,
        "cap_base": data.cap_base,
        "history_award": data.history_award,
        "history_years": data.history_years,
    }


# The award type's fields as its form names them: the audit log says what changed, from what.
_AWARD_FIELDS = {
    "code": _l("Code"),
    "name": _l("Name"),
    "certificate_title": _l("Title printed on the certificate"),
    "kind": _l("Kind"),
    "nominee_kind": _l("Who is nominated"),
    "standard": _l("Standard in the law"),
    "eligible_unit_kinds": _l("Eligible kinds of unit"),
    "required_report_sections": _l("Report sections required to submit"),
    "description": _l("Description"),
    "vote_method": _l("Vote method"),
    "vote_threshold_percent": _l("Threshold (%)"),
    "vote_base": _l("Threshold counted on"),
    "quorum_numerator": _l("Quorum (numerator)"),
    "quorum_denominator": _l("Quorum (denominator)"),
    "chair_must_approve": _l("The chair must be among those in favour"),
    "abstain_allowed": _l("Members may abstain"),
    "absentees_vote_in_writing": _l("Members absent from a meeting vote in writing"),
    "public_posting_days": _l("Public posting (days)"),
    "simplified_allowed": _l("Simplified procedure allowed (no council vote)"),
    "occasion": _l("Occasion"),
    "cap_percent": _l("Cap (%)"),
    "cap_base": _l("…of the number of"),
    "history_award": _l("Requires earlier title"),
    "history_years": _l("…for consecutive years"),
}
# Lists and long texts: the log names the field, the values are in the catalogue.
_NAMED_ONLY = {"eligible_unit_kinds", "required_report_sections", "description"}


def _shown(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, AwardType):
        return value.name
    label = getattr(value, "label", None)
    return str(label) if label is not None else str(value)


def _changes(award_type: AwardType, values: dict[str, object]) -> str:
    """What saving `values` changes, as the audit log says it ("Threshold (%): 80 → 30"), in
    the default language whoever acts."""
    notes = []
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for name, value in values.items():
            before = getattr(award_type, name)
            if before == value:
                continue
            label = str(_AWARD_FIELDS.get(name, name))
            if name in _NAMED_ONLY:
                notes.append(label)
            else:
                notes.append(f"{label}: {_shown(before)} → {_shown(value)}")
    return "; ".join(notes)


def _assign(obj: object, values: dict[str, object]) -> list[str]:
    """Set each attribute that differs; returns the names of those that changed."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def describe_award_type(award_type: AwardType) -> str:
    """How the audit log names an award type: its code and name."""
    return f"{award_type.code} · {award_type.name}"


def _check_capitals_fit(values: dict[str, object]) -> None:
    """A code or title written in capitals may be longer than typed (a ligature such as "ﬁ"
    becomes "FI"); it must still fit its column."""
    columns = {"code": AwardType.code, "certificate_title": AwardType.certificate_title}
    for name, column in columns.items():
        limit = string_length(column)
        if len(str(values[name])) > limit:
            raise DomainError(
                _(
                    "Written in capitals this is longer than %(count)d characters; "
                    "please shorten it.",
                    count=limit,
                ),
                field=name,
            )


def _check_award_code(award_type: AwardType | None, code: str, awarding_body: Unit) -> None:
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


def save_award_type(
    award_type: AwardType | None,
    data: AwardTypeData,
    *,
    awarding_body: Unit,
    actor: User | None = None,
) -> AwardType:
    """Create or update an award type of `awarding_body`; audited with the fields changed
    (`actor` None: the application itself, as for the demo catalogue)."""
    if not awarding_body.is_awarding_body:
        raise DomainError(_("%(unit)s is not an awarding body.", unit=awarding_body.name))
    if actor is not None:
        _check_authority(data, awarding_body)
    _check_award_rules(data)
    _check_against_the_law(data)
    values = _award_values(data)
    _check_capitals_fit(values)
    _check_award_code(award_type, str(values["code"]), awarding_body)
    created = award_type is None
    if award_type is None:
        award_type = AwardType(awarding_body=awarding_body)
        db.session.add(award_type)
    changes = "" if created else _changes(award_type, values)
    if data.cap_base is not None and data.cap_base is award_type:
        raise DomainError(_("A title cannot be capped by itself."), field="cap_base_id")
    changed = _assign(award_type, values)
    db.session.flush()
    if created or changed:
        record(
            ObjectKind.AWARD_TYPE,
            award_type.id,
            CatalogueAction.CREATED if created else CatalogueAction.CHANGED,
            actor=actor,
            subject=describe_award_type(award_type),
            comment=changes,
        )
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


def _check_criterion(
    award_type: AwardType, criterion: Criterion | None, data: CriterionData
) -> str:
    """The cleaned code, after the criterion's own rules; raises DomainError."""
    code = clean(data.code)
    if not code or not clean(data.text):
        raise DomainError(_("A criterion needs a code and a text."), field="code")
    for other in award_type.criteria:
        # "cs1" beside "CS1" would be two criteria that read as one.
        if other.code.casefold() == code.casefold() and other is not criterion:
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
    return code


def write_criterion(
    award_type: AwardType, criterion: Criterion | None, data: CriterionData
) -> tuple[Criterion, list[str]]:
    """Create or update a criterion without an audit event (the caller records one); returns
    it and the names of the fields changed (all of them for a new one)."""
    code = _check_criterion(award_type, criterion, data)
    if criterion is None:
        criterion = Criterion(position=len(award_type.criteria) + 1)
        award_type.criteria.append(criterion)
    changed = _assign(
        criterion,
        {
            "code": code,
            "text": clean_multiline(data.text),
            "group": clean(data.group),
            "required": data.required,
            "measure": data.measure,
            "target": data.target,
            "unit_label": clean(data.unit_label),
            "evidence_required": data.evidence_required,
        },
    )
    db.session.flush()
    return criterion, changed


def describe_criterion(criterion: Criterion) -> str:
    """How the audit log names a criterion: its award type's code and its own."""
    return f"{criterion.award_type.code} · {criterion.code}"


def save_criterion(
    award_type: AwardType,
    criterion: Criterion | None,
    data: CriterionData,
    *,
    actor: User | None = None,
) -> Criterion:
    """Create or update a criterion of `award_type` (codes are unique within it); audited
    with the fields changed."""
    created = criterion is None
    criterion, changed = write_criterion(award_type, criterion, data)
    if created or changed:
        record(
            ObjectKind.CRITERION,
            criterion.id,
            CatalogueAction.CREATED if created else CatalogueAction.CHANGED,
            actor=actor,
            subject=describe_criterion(criterion),
            comment="" if created else ", ".join(changed),
        )
    return criterion


def delete_criterion(criterion: Criterion, *, actor: User | None = None) -> None:
    """Remove a criterion that no dossier has answered yet; audited."""
    used = db.session.scalar(
        select(Criterion.id).where(Criterion.id == criterion.id, Criterion.answers.any())
    )
    if used is not None:
        raise DomainError(
            _(
                "Dossiers have already answered this criterion; it cannot be "
                "deleted. Mark it as not required instead."
            )
        )
    record(
        ObjectKind.CRITERION,
        criterion.id,
        CatalogueAction.REMOVED,
        actor=actor,
        subject=describe_criterion(criterion),
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
        campaign = Campaign(awarding_body=awarding_body, status=CampaignStatus.DRAFT)
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


def extend_window(campaign: Campaign, *, closes_on: date, actor: User | None = None) -> None:
    """Move the closing day of the submission window later (the secretariat's extension);
    audited with the days before and after."""
    if closes_on <= campaign.closes_on:
        raise DomainError(
            _(
                "The new closing day must be after %(date)s.",
                date=campaign.closes_on.strftime("%d/%m/%Y"),
            ),
            field="closes_on",
        )
    before = campaign.closes_on
    campaign.closes_on = closes_on
    db.session.flush()
    record(
        ObjectKind.CAMPAIGN,
        campaign.id,
        CampaignAction.EXTEND,
        actor=actor,
        subject=campaign.name,
        from_state=campaign.status,
        to_state=campaign.status,
        comment=f"{before:%d/%m/%Y} → {closes_on:%d/%m/%Y}",
    )


def _offer_note(award_type: AwardType, *quotas: int | None) -> str:
    """How the audit log says an offer: its award type and its quota, or the quota's change
    ("…; Quota per nominating unit: 2 → 3"; "—" for none, as the form leaves it empty), in
    the default language whoever acts."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        label = _("Quota per nominating unit")
        shown = " → ".join("—" if q is None else format_decimal(q) for q in quotas)
        return f"{describe_award_type(award_type)}; {label}: {shown}"


def _record_offer(
    campaign: Campaign, action: CampaignAction, comment: str, actor: User | None
) -> None:
    record(
        ObjectKind.CAMPAIGN,
        campaign.id,
        action,
        actor=actor,
        subject=campaign.name,
        from_state=campaign.status,
        to_state=campaign.status,
        comment=comment,
    )


def offer_award(
    campaign: Campaign, award_type: AwardType, *, quota: int | None, actor: User | None = None
) -> CampaignAward:
    """Put an award type of the campaign's body on offer (or change its quota); audited on
    the campaign with the award type and its quota (`actor` None: the application itself)."""
    if award_type.awarding_body_id != campaign.awarding_body_id:
        raise DomainError(_("That award type belongs to another awarding body."))
    if quota is not None and quota < 1:
        raise DomainError(_("A quota must be at least 1, or empty for no quota."), field="quota")
    lock_campaign(campaign)
    offer = db.session.scalar(
        select(CampaignAward).where(
            CampaignAward.campaign_id == campaign.id,
            CampaignAward.award_type_id == award_type.id,
        )
    )
    if offer is None:
        offer = CampaignAward(award_type=award_type, quota=quota)
        campaign.offers.append(offer)
        action, note = CampaignAction.OFFER, _offer_note(award_type, quota)
    elif offer.quota != quota:
        action, note = CampaignAction.CHANGE_QUOTA, _offer_note(award_type, offer.quota, quota)
        offer.quota = quota
    else:
        return offer  # nothing changed: no event
    db.session.flush()
    _record_offer(campaign, action, note, actor)
    return offer


def withdraw_offer(offer: CampaignAward, *, actor: User | None = None) -> None:
    """Take an award type off a campaign while no dossier uses it (a withdrawn one still
    names it); a refusal says how many do. Audited on the campaign. The campaign's lock
    keeps a dossier for it from being created meanwhile (see `lock_campaign`)."""
    campaign = offer.campaign
    lock_campaign(campaign)
    if db.session.get(CampaignAward, offer.id, populate_existing=True) is None:
        return  # taken off by someone else meanwhile
    used = dossier_counts_for_offers(campaign).get(offer.id, 0)
    if used:
        raise DomainError(
            ngettext(
                "%(award)s cannot be removed from the campaign: %(num)d dossier already "
                "proposes it.",
                "%(award)s cannot be removed from the campaign: %(num)d dossiers already "
                "propose it.",
                used,
                award=offer.award_type.name,
            )
        )
    note = _offer_note(offer.award_type, offer.quota)
    campaign.offers.remove(offer)
    db.session.flush()
    _record_offer(campaign, CampaignAction.WITHDRAW_OFFER, note, actor)
