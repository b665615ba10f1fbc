"""Reading the catalogue and campaigns for a user."""

from sqlalchemy import ColumnElement, Select, false, func, or_, select
from sqlalchemy.orm import selectinload

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.enums import CampaignStatus
from recognition.campaigns.models import AwardType, Campaign, CampaignAward
from recognition.campaigns.permissions import PUBLISHED_STATES
from recognition.extensions import db
from recognition.units.models import Unit
from recognition.units.queries import proposal_bodies


def managed_bodies(user: User) -> list[Unit]:
    """Awarding bodies whose catalogue and campaigns the user keeps."""
    if user.is_admin:
        query = select(Unit).where(Unit.is_awarding_body, Unit.is_active)
        return list(db.session.scalars(query.order_by(Unit.depth, Unit.name_sort)))
    return [u for u in user.units_with(Role.SECRETARIAT) if u.is_awarding_body]


def award_types_of(body: Unit) -> list[AwardType]:
    """The catalogue of one awarding body, with the criteria, in the catalogue's order."""
    query = (
        select(AwardType)
        .where(AwardType.awarding_body_id == body.id)
        .options(selectinload(AwardType.criteria))
        .order_by(AwardType.position, AwardType.id)
    )
    return list(db.session.scalars(query))


def catalogue_for_user(user: User) -> list[tuple[Unit, list[AwardType]]]:
    """Each body whose catalogue the user keeps, with its award types (one query for all)."""
    bodies = managed_bodies(user)
    if not bodies:
        return []
    query = (
        select(AwardType)
        .where(AwardType.awarding_body_id.in_([body.id for body in bodies]))
        .options(selectinload(AwardType.criteria))
        .order_by(AwardType.position, AwardType.id)
    )
    by_body: dict[int, list[AwardType]] = {body.id: [] for body in bodies}
    for award in db.session.scalars(query):
        by_body[award.awarding_body_id].append(award)
    return [(body, by_body[body.id]) for body in bodies]


def offerable_award_types(campaign: Campaign) -> list[AwardType]:
    """Active award types of the campaign's body that it does not offer yet."""
    offered = {offer.award_type_id for offer in campaign.offers}
    return [
        award
        for award in award_types_of(campaign.awarding_body)
        if award.id not in offered and award.is_active
    ]


def _bodies_proposed_to(units: list[Unit]) -> set[int]:
    ids: set[int] = set()
    for bodies in proposal_bodies(units).values():
        ids.update(bodies)
    return ids


def _visible_campaigns(user: User) -> ColumnElement[bool] | None:
    """Campaigns the user can see: those of bodies they keep or sit on (any status), and the
    open or closed campaigns of the bodies the units they nominate for propose to (the nearest
    awarding body above each, and the unit itself when it is one)."""
    kept = {u.id for u in managed_bodies(user)}
    kept |= {u.id for role in (Role.CHAIR, Role.COUNCIL_MEMBER) for u in user.units_with(role)}
    above = _bodies_proposed_to(user.units_with(Role.NOMINATOR))
    visible = list(PUBLISHED_STATES)
    conditions: list[ColumnElement[bool]] = []
    if kept:
        conditions.append(Campaign.awarding_body_id.in_(kept))
    if above:
        conditions.append(Campaign.awarding_body_id.in_(above) & Campaign.status.in_(visible))
    return or_(*conditions) if conditions else None


def campaign_choices_for_user(user: User) -> list[tuple[int, str]]:
    """(id, name) of the campaigns the user can see, in the order of `campaigns_for_user`."""
    visible = _visible_campaigns(user)
    if visible is None:
        return []
    rows = db.session.execute(
        select(Campaign.id, Campaign.name)
        .where(visible)
        .order_by(Campaign.closes_on.desc(), Campaign.name_sort, Campaign.id)
    )
    return [(row.id, row.name) for row in rows]


def award_choices(campaign_ids: list[int], *, at_most: int) -> list[tuple[int, str]]:
    """(id, name) of the award types offered in these campaigns, by name; none when there are
    more than `at_most` (a province's hundreds of bodies each have their catalogue: the list
    is then offered once a campaign is chosen)."""
    if not campaign_ids:
        return []
    rows = db.session.execute(
        select(AwardType.id, AwardType.name)
        .join(CampaignAward, CampaignAward.award_type_id == AwardType.id)
        .where(CampaignAward.campaign_id.in_(campaign_ids))
        .distinct()
        .order_by(AwardType.name, AwardType.id)
        .limit(at_most + 1)
    ).all()
    return [] if len(rows) > at_most else [(row.id, row.name) for row in rows]


def campaigns_query(user: User) -> Select[Campaign]:
    """Campaigns the user can see (`_visible_campaigns`), with their offers, the latest to
    close first (then by name, then by id: an order in which every campaign has a place of its
    own, so that pages of it neither repeat nor skip one)."""
    visible = _visible_campaigns(user)
    return _campaigns(false() if visible is None else visible)


def _campaigns(visible: ColumnElement[bool]) -> Select[Campaign]:
    return (
        select(Campaign)
        .where(visible)
        .options(
            selectinload(Campaign.awarding_body),
            selectinload(Campaign.offers).joinedload(CampaignAward.award_type),
        )
        .order_by(Campaign.closes_on.desc(), Campaign.name_sort, Campaign.id)
    )


def campaigns_for_user(user: User) -> list[Campaign]:
    """Every campaign of `campaigns_query`."""
    visible = _visible_campaigns(user)
    if visible is None:
        return []
    return list(db.session.scalars(_campaigns(visible)))


def open_campaigns_for_nominator(user: User) -> list[Campaign]:
    bodies = _bodies_proposed_to(user.units_with(Role.NOMINATOR))
    return [
        c
        for c in campaigns_for_user(user)
        if c.status == CampaignStatus.OPEN and c.awarding_body_id in bodies
    ]


def lock_campaign(campaign: Campaign) -> None:
    """Hold `campaign`'s row until the transaction ends and read it again (PostgreSQL; on
    SQLite a request that writes holds the write lock from its start). Changing its offers
    and creating a dossier in it take this lock first, so that they happen one after the
    other and each sees what the other committed: no dossier is made for an award type taken
    off at the same moment."""
    db.session.scalar(
        select(Campaign)
        .where(Campaign.id == campaign.id)
        # FOR NO KEY UPDATE: a row that merely refers to the campaign is inserted meanwhile.
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )


def dossier_counts_for_offers(campaign: Campaign) -> dict[int, int]:
    """The number of dossiers (in any state, withdrawn ones too) of each offer of `campaign`,
    by the offer's id; an offer without any is left out."""
    rows = db.session.execute(
        select(CampaignAward.id, func.count())
        .join(CampaignAward.nominations)
        .where(CampaignAward.campaign_id == campaign.id)
        .group_by(CampaignAward.id)
    )
    return {offer_id: number for offer_id, number in rows}
