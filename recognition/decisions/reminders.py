"""Reminders about decisions: a public posting that is over (the decision can be issued)."""

from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from recognition.auth.enums import Role
from recognition.common.links import app_path
from recognition.decisions.enums import DecisionState
from recognition.decisions.models import Decision
from recognition.extensions import db
from recognition.nominations.effects import holders
from recognition.notifications.enums import NotificationKind
from recognition.notifications.reminders import Due


def postings_ended(today: date) -> list[Due]:
    """The secretariat of each body whose posted decision's posting period is over (the day
    after its last day, and every day until it is issued, the reminder being recorded once
    for its last day)."""
    decisions = db.session.scalars(
        select(Decision)
        .where(Decision.state == DecisionState.POSTED, Decision.posting_ends_on < today)
        .options(joinedload(Decision.awarding_body))
        .order_by(Decision.id)
    )
    found = []
    for decision in decisions:
        ended = decision.posting_ends_on
        if ended is None:  # the query keeps only decisions with a last day
            continue
        link = app_path("decisions.detail", decision_id=decision.id)
        for user in holders(Role.SECRETARIAT, [decision.awarding_body_id]):
            with force_locale(user.locale or "vi"):
                text = _(
                    "The public posting of the decision “%(title)s” ended on %(day)s: it can "
                    "now be presented for signature and issued.",
                    title=decision.title,
                    day=ended.strftime("%d/%m/%Y"),
                )
            found.append(Due(NotificationKind.POSTING_ENDED, decision.id, user, ended, text, link))
    return found
