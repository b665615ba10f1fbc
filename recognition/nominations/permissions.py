"""Who may see and change a nomination: pure predicates for views and templates."""

from typing import Any

from flask import Flask

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.enums import CampaignStatus
from recognition.nominations.enums import NominationState
from recognition.nominations.models import Nomination
from recognition.units.models import Unit
from recognition.units.queries import nearest_body_above, represents

EDITABLE_STATES = frozenset({NominationState.DRAFT, NominationState.RETURNED})
# States in which the council sees a dossier (its agenda and what came of it).
COUNCIL_STATES = frozenset(
    {
        NominationState.ON_AGENDA,
        NominationState.PASSED,
        NominationState.FAILED,
        NominationState.AWARDED,
        NominationState.ANNULLED,
    }
)
# States in which the secretariat may hold a dossier: submitted and not yet awarded or closed.
HOLDABLE_STATES = frozenset(
    {
        NominationState.SUBMITTED,
        NominationState.IN_REVIEW,
        NominationState.RETURNED,
        NominationState.ACCEPTED,
        NominationState.ON_AGENDA,
        NominationState.PASSED,
    }
)


def _active(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


def is_nominator_of(user: Any, nomination: Nomination) -> bool:
    """The user nominates for the nominating unit, or for a unit above it with no awarding
    body in between (`units.queries.represents`)."""
    if not _active(user):
        return False
    unit = nomination.nominating_unit
    return any(represents(own, unit) for own in user.units_with(Role.NOMINATOR))


def body_acting_for(user: Any, unit: Unit) -> Unit | None:
    """The awarding body that acts for `unit` instead of the user's nominator units (the
    nearest active body above `unit`, or `unit` itself) when those units cover it only past
    such a body; None otherwise."""
    covering = [own for own in user.units_with(Role.NOMINATOR) if unit.is_within(own)]
    if not covering or any(represents(own, unit) for own in covering):
        return None
    if unit.is_awarding_body and unit.is_active:
        return unit
    return nearest_body_above(unit)


def is_secretariat_of(user: Any, nomination: Nomination) -> bool:
    return _active(user) and user.holds(Role.SECRETARIAT, nomination.campaign.awarding_body)


def is_chair_of(user: Any, nomination: Nomination) -> bool:
    return _active(user) and user.holds(Role.CHAIR, nomination.campaign.awarding_body)


def can_view_nomination(user: Any, nomination: Nomination) -> bool:
    """Its nominators; the awarding body's secretariat and chair once submitted; the council
    once it is on an agenda; administrators."""
    if not _active(user):
        return False
    if user.is_admin or is_nominator_of(user, nomination):
        return True
    if nomination.state == NominationState.DRAFT:
        return False
    if is_secretariat_of(user, nomination) or is_chair_of(user, nomination):
        return True
    return nomination.state in COUNCIL_STATES and user.holds(
        Role.COUNCIL_MEMBER, nomination.campaign.awarding_body
    )


def can_edit_nomination(user: Any, nomination: Nomination) -> bool:
    """Nominators edit a dossier while it is a draft or sent back to them."""
    return nomination.state in EDITABLE_STATES and is_nominator_of(user, nomination)


def can_delete_nomination(user: Any, nomination: Nomination) -> bool:
    """Only a draft that was never submitted can be deleted."""
    return nomination.state == NominationState.DRAFT and is_nominator_of(user, nomination)


def can_copy_nomination(user: Any, nomination: Nomination) -> bool:
    """A withdrawn dossier cannot be sent again: its nominators start a new draft from it
    while its campaign is open, unless it was withdrawn on hold (a complaint or an inspection
    is the secretariat's to lift, not to be left behind in a fresh draft)."""
    return (
        nomination.state == NominationState.WITHDRAWN
        and nomination.hold_kind is None
        and nomination.campaign.status == CampaignStatus.OPEN
        and is_nominator_of(user, nomination)
    )


def can_hold(user: Any, nomination: Nomination) -> bool:
    """The awarding body's secretariat holds a submitted dossier that is not held yet
    (NĐ 152/2025/NĐ-CP art. 4)."""
    return (
        nomination.hold_kind is None
        and nomination.state in HOLDABLE_STATES
        and is_secretariat_of(user, nomination)
    )


def can_release_hold(user: Any, nomination: Nomination) -> bool:
    """The awarding body's secretariat lifts a hold."""
    return nomination.hold_kind is not None and is_secretariat_of(user, nomination)


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(
        can_view_nomination=can_view_nomination,
        can_edit_nomination=can_edit_nomination,
        can_delete_nomination=can_delete_nomination,
        can_copy_nomination=can_copy_nomination,
        can_hold=can_hold,
        can_release_hold=can_release_hold,
        state_colour=lambda state: NominationState(state).colour,
        state_label=lambda state: NominationState(state).label,
        NominationState=NominationState,
    )
