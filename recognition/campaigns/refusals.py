"""A campaign refused to a nominator whose unit proposes to a body in between: the 403 page
says so (a hamlet's dossiers go to its commune, not to the province)."""

from flask import abort
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.models import Campaign
from recognition.errors import render_error
from recognition.units.models import Unit
from recognition.units.queries import nearest_body_above


def proposes_through(unit: Unit, body: Unit) -> str | None:
    """Why `unit` does not propose to `body`: it proposes to a body in between (None when it
    does not)."""
    through = nearest_body_above(unit)
    if through is None or through.id == body.id:
        return None
    return _(
        "The dossiers of %(unit)s go to %(through)s: a proposal to %(body)s is made by "
        "%(through)s.",
        unit=unit.name,
        through=through.name,
        body=body.name,
    )


def level_refusal(user: User, campaign: Campaign) -> str | None:
    """Why a nominator of a unit below the campaign's body may not nominate in it: the unit
    proposes to a body in between (None when that is not the reason)."""
    body = campaign.awarding_body
    below = [u for u in user.units_with(Role.NOMINATOR) if u.is_within(body) and u.id != body.id]
    if not below:
        return None
    return proposes_through(max(below, key=lambda u: u.depth), body)


def refused_for_level(campaign: Campaign) -> ResponseReturnValue:
    """The 403 page, saying why when the user's unit proposes to a body in between."""
    user = current_user._get_current_object()
    reason = level_refusal(user, campaign) if isinstance(user, User) else None
    if reason is None:
        abort(403)
    return render_error(403, reason)
