"""Reminders to the secretariat: a dossier's appraisal is due within two working days."""

from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from recognition.auth.enums import Role
from recognition.campaigns.models import Campaign
from recognition.common.links import app_path
from recognition.extensions import db
from recognition.nominations.effects import holders
from recognition.nominations.models import Nomination
from recognition.notifications.enums import NotificationKind
from recognition.notifications.reminders import Due
from recognition.review.deadlines import add_working_days, parse_holidays
from recognition.review.queries import INBOX_STATES, appraisal_deadlines

WORKING_DAYS_AHEAD = 2


def appraisals_due(today: date) -> list[Due]:
    """Per dossier, the secretariat of its body, when its appraisal deadline falls within the
    next two working days (today included) and it is not held; once per deadline."""
    holidays = parse_holidays(current_app.config["HOLIDAYS"])
    horizon = add_working_days(today, WORKING_DAYS_AHEAD, holidays)
    deadline_of = appraisal_deadlines()
    nominations = db.session.scalars(
        select(Nomination)
        .where(Nomination.state.in_(INBOX_STATES), Nomination.hold_kind.is_(None))
        .options(
            joinedload(Nomination.campaign).joinedload(Campaign.awarding_body),
            joinedload(Nomination.award_type),
        )
        .order_by(Nomination.id)
    )
    found = []
    for nomination in nominations:
        deadline = deadline_of(nomination, today)
        if not today <= deadline <= horizon:
            continue
        link = app_path("review.appraise", nomination_id=nomination.id)
        for user in holders(Role.SECRETARIAT, [nomination.campaign.awarding_body_id]):
            with force_locale(user.locale or "vi"):
                text = _(
                    "The appraisal of the dossier of %(nominee)s (%(award)s) is due on %(day)s.",
                    nominee=nomination.nominee_name,
                    award=nomination.award_type.name,
                    day=deadline.strftime("%d/%m/%Y"),
                )
            found.append(
                Due(NotificationKind.APPRAISAL_DUE, nomination.id, user, deadline, text, link)
            )
    return found
