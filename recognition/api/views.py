"""Reading through the API: units, campaigns, the catalogue, decisions, certificates and
award history, each within the client's reach (its unit's subtree, and the awarding bodies
above it)."""

from typing import Any

from flask import abort, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from recognition.api.enums import Scope
from recognition.api.schemas import (
    AwardRecordOut,
    AwardTypeOut,
    CampaignFilter,
    CampaignOut,
    CertificateCheckArgs,
    CertificateOut,
    DecisionDetailOut,
    DecisionOut,
    HistoryArgs,
    UnitOut,
)
from recognition.api.spec import (
    Blueprint,
    PageArgs,
    authorised,
    current_client,
    page_of,
    page_of_rows,
    page_schema,
)
from recognition.campaigns.models import AwardType, Campaign, CampaignAward
from recognition.campaigns.permissions import can_view_campaign
from recognition.campaigns.queries import campaigns_query
from recognition.certificates.codes import check_code, essentials
from recognition.certificates.models import Certificate
from recognition.common.text import clean
from recognition.database import string_length
from recognition.decisions.enums import DecisionState
from recognition.decisions.models import Decision, DecisionLine
from recognition.extensions import db, limiter
from recognition.history.models import AwardRecord
from recognition.history.permissions import can_view_unit_history
from recognition.history.queries import search_query, unit_history_query
from recognition.units.models import Unit

reading = Blueprint(
    "api_read",
    __name__,
    url_prefix="/api/v1",
    tag="Units, campaigns and catalogue",
    description=(
        "The client's unit and the units below it; the campaigns its unit may nominate in; "
        "the catalogue of titles and commendations (award types, with their criteria) of the "
        "awarding bodies above it. Scope `read`."
    ),
)
records = Blueprint(
    "api_records",
    __name__,
    url_prefix="/api/v1",
    tag="Decisions and award history",
    description=(
        "The decisions issued (or annulled) by the awarding bodies above the client's unit, "
        "with their lines (scope `read`); whether a certificate is genuine (public, no token); "
        "the award history of the units in the client's reach (scope `history:read`)."
    ),
)

PUBLIC_STATES = (DecisionState.ISSUED, DecisionState.ANNULLED)
SERIAL_LENGTH = string_length(Certificate.public_serial)


def _reach() -> Unit:
    return current_client().unit


def _bodies_above_ids() -> list[int]:
    """The ids of the units at and above the client's unit (whose awarding bodies it answers
    to)."""
    return [int(part) for part in _reach().path.strip("/").split("/") if part]


def _get(model: type[Any], object_id: int) -> Any:
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


# --- units -----------------------------------------------------------------------------------


@reading.get("/units")
@authorised(Scope.READ)
@reading.arguments(PageArgs, location="query")
@reading.response(200, page_schema(UnitOut, "UnitPage"))
def units(args: dict[str, int]) -> Any:
    """The client's unit and the units below it, in tree order."""
    query = select(Unit).where(Unit.path.startswith(_reach().path)).order_by(Unit.path)
    return page_of(query, args)


@reading.get("/units/<int:unit_id>")
@authorised(Scope.READ)
@reading.response(200, UnitOut)
def unit(unit_id: int) -> Any:
    """A unit in the client's reach (403 for a unit outside it)."""
    found = _get(Unit, unit_id)
    if not found.is_within(_reach()):
        abort(403)
    return found


# --- campaigns and the catalogue -------------------------------------------------------------


def _campaign_out(campaign: Campaign) -> dict[str, Any]:
    return {
        "id": campaign.id,
        "name": campaign.name,
        "awarding_body_id": campaign.awarding_body_id,
        "awarding_body_name": campaign.awarding_body.name,
        "directive_reference": campaign.directive_reference,
        "status": campaign.status,
        "opens_on": campaign.opens_on,
        "closes_on": campaign.closes_on,
        "offers": [
            {
                "award_type_id": offer.award_type_id,
                "award_type_name": offer.award_type.name,
                "for_units": offer.award_type.for_units,
                "quota": offer.quota,
            }
            for offer in campaign.offers
        ],
    }


@reading.get("/campaigns")
@authorised(Scope.READ)
@reading.arguments(PageArgs, location="query")
@reading.response(200, page_schema(CampaignOut, "CampaignPage"))
def campaigns(args: dict[str, int]) -> Any:
    """The campaigns the client's unit may nominate in (open or closed), the latest to close
    first."""
    page = page_of(campaigns_query(current_client().user), args)
    page["items"] = [_campaign_out(c) for c in page["items"]]
    return page


@reading.get("/campaigns/<int:campaign_id>")
@authorised(Scope.READ)
@reading.response(200, CampaignOut)
def campaign(campaign_id: int) -> Any:
    found = _get(Campaign, campaign_id)
    if not can_view_campaign(current_client().user, found):
        abort(403)
    return _campaign_out(found)


def _catalogue() -> Any:
    return (
        select(AwardType)
        .where(AwardType.awarding_body_id.in_(_bodies_above_ids()), AwardType.is_active)
        .options(selectinload(AwardType.criteria))
        .order_by(AwardType.awarding_body_id, AwardType.position, AwardType.id)
    )


@reading.get("/award-types")
@authorised(Scope.READ)
@reading.arguments(CampaignFilter, location="query")
@reading.arguments(PageArgs, location="query")
@reading.response(200, page_schema(AwardTypeOut, "AwardTypePage"))
def award_types(filters: dict[str, Any], args: dict[str, int]) -> Any:
    """The titles and commendations of the awarding bodies above the client's unit, with
    their criteria; with `campaign_id`, those the campaign offers."""
    query = _catalogue()
    if filters["campaign_id"]:
        query = query.where(
            AwardType.id.in_(
                select(CampaignAward.award_type_id).where(
                    CampaignAward.campaign_id == filters["campaign_id"]
                )
            )
        )
    return page_of(query, args)


@reading.get("/award-types/<int:award_type_id>")
@authorised(Scope.READ)
@reading.response(200, AwardTypeOut)
def award_type(award_type_id: int) -> Any:
    found = _get(AwardType, award_type_id)
    if found.awarding_body_id not in _bodies_above_ids():
        abort(403)
    return found


# --- decisions -------------------------------------------------------------------------------


def _decision_out(
    decision: Decision, *, lines: bool, line_count: int | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": decision.id,
        "reference": decision.reference,
        "title": decision.title,
        "state": decision.state,
        "awarding_body_id": decision.awarding_body_id,
        "awarding_body_name": decision.awarding_body.name,
        "issued_on": decision.issued_on,
        "signer_title": decision.signer_title,
        "signer_name": decision.signer_name,
        "line_count": len(decision.lines) if line_count is None else line_count,
    }
    if lines:
        out["lines"] = [
            {
                "id": line.id,
                "position": line.position,
                "recipient": line.recipient,
                "detail": line.detail,
                "award_type_id": line.award_type_id,
                "award_type_name": line.award_type.name,
                "nomination_id": line.nomination_id,
                "certificate_serial": line.certificate.public_serial if line.certificate else None,
            }
            for line in decision.lines
        ]
    return out


@records.get("/decisions")
@authorised(Scope.READ)
@records.arguments(PageArgs, location="query")
@records.response(200, page_schema(DecisionOut, "DecisionPage"))
def decisions(args: dict[str, int]) -> Any:
    """The issued (and annulled) decisions of the awarding bodies above the client's unit:
    documents published once issued. Newest first."""
    query = (
        select(Decision)
        .where(
            Decision.awarding_body_id.in_(_bodies_above_ids()),
            Decision.state.in_(PUBLIC_STATES),
        )
        .options(selectinload(Decision.awarding_body))
        .order_by(Decision.issued_on.desc(), Decision.id.desc())
    )
    page = page_of(query, args)
    counts = _line_counts([d.id for d in page["items"]])
    page["items"] = [
        _decision_out(d, lines=False, line_count=counts.get(d.id, 0)) for d in page["items"]
    ]
    return page


def _line_counts(decision_ids: list[int]) -> dict[int, int]:
    """How many lines each of these decisions has, counted in the database (a decision of a
    province's emulation congress has hundreds: a page of them is not read line by line)."""
    if not decision_ids:
        return {}
    rows = db.session.execute(
        select(DecisionLine.decision_id, func.count())
        .where(DecisionLine.decision_id.in_(decision_ids))
        .group_by(DecisionLine.decision_id)
    )
    return {decision_id: count for decision_id, count in rows}


@records.get("/decisions/<int:decision_id>")
@authorised(Scope.READ)
@records.response(200, DecisionDetailOut)
def decision(decision_id: int) -> Any:
    found = db.session.get(
        Decision,
        decision_id,
        options=[
            selectinload(Decision.lines).selectinload(DecisionLine.award_type),
            selectinload(Decision.lines).selectinload(DecisionLine.certificate),
        ],
    )
    if found is None or found.state not in PUBLIC_STATES:
        abort(404)
    if found.awarding_body_id not in _bodies_above_ids():
        abort(403)
    return _decision_out(found, lines=True)


# --- certificates (public) -------------------------------------------------------------------


@records.get("/certificates/<serial>")
@limiter.limit(lambda: str(current_app.config["API_PUBLIC_RATE_LIMIT"]))
@records.arguments(CertificateCheckArgs, location="query")
@records.response(200, CertificateOut)
@records.alt_response(404, response="NOT_FOUND")
@records.alt_response(429, response="TOO_MANY_REQUESTS")
def certificate(args: dict[str, str], serial: str) -> Any:
    """Is this certificate genuine? Public, no token: the serial and the code printed on it
    (`c`, as in the QR code's link). A wrong code is answered like an unknown serial (404)."""
    well_formed = len(serial) <= SERIAL_LENGTH and clean(serial) == serial
    found = (
        db.session.scalar(select(Certificate).where(Certificate.public_serial == serial))
        if well_formed
        else None
    )
    if found is None or not check_code(essentials(found), args["c"]):
        abort(404)
    line = found.line
    return {
        "serial": found.public_serial,
        "genuine": True,
        "state": found.state,
        "recipient": line.recipient,
        "award": line.award_type.name,
        "decision_reference": line.decision.reference,
        "issued_on": line.decision.issued_on,
        "revoked_at": found.revoked_at,
    }


# --- award history ---------------------------------------------------------------------------


@records.get("/history")
@authorised(Scope.HISTORY_READ)
@records.arguments(HistoryArgs, location="query")
@records.arguments(PageArgs, location="query")
@records.response(200, page_schema(AwardRecordOut, "AwardRecordPage"))
def history(search: dict[str, Any], args: dict[str, int]) -> Any:
    """The awards recorded in the client's unit whose nominee's name contains `q`."""
    query = search_query(current_client().user, search["q"], year=search["year"])
    return page_of_rows(query, AwardRecord, args)


@records.get("/units/<int:unit_id>/history")
@authorised(Scope.HISTORY_READ)
@records.arguments(PageArgs, location="query")
@records.response(200, page_schema(AwardRecordOut, "UnitHistoryPage"))
def unit_history(args: dict[str, int], unit_id: int) -> Any:
    """A unit's own awards (and those of what merged into it) first, then those of the people
    and units within it, each newest first; 403 for a unit outside the client's reach."""
    found = _get(Unit, unit_id)
    if not can_view_unit_history(current_client().user, found):
        abort(403)
    return page_of_rows(unit_history_query(found), AwardRecord, args)
