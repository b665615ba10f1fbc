"""The bell: a user's notifications."""

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import ngettext
from flask_login import current_user, login_required

from recognition.common.forms import ConfirmForm
from recognition.common.redirects import safe_next_url
from recognition.extensions import db
from recognition.notifications.forms import OpenNotificationForm
from recognition.notifications.queries import (
    BELL_AT_MOST,
    notifications_for_user,
    unread_count_for_user,
)
from recognition.notifications.services import mark_all_read, mark_read

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def bell() -> dict[str, object]:
    """The unread count shown on every page of a logged-in user, "99+" beyond: read with the
    user at the start of the request (recognition.security), else by its own query."""
    if current_user and current_user.is_authenticated:
        read = g.get("unread_on_load")
        if read is not None and read[0] == current_user.id:
            count = read[1]
        else:
            count = unread_count_for_user(current_user, at_most=BELL_AT_MOST)
        shown = f"{BELL_AT_MOST}+" if count > BELL_AT_MOST else str(count)
        return {"unread_notifications": count, "unread_shown": shown}
    return {"unread_notifications": 0, "unread_shown": "0"}


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    return render_template(
        "notifications/index.html",
        notifications=notifications_for_user(current_user),
    )


@bp.post("/open")
@login_required
def open_one() -> ResponseReturnValue:
    """Open a notification from the list: it is marked as read and its page shown (the list
    when it has none, is not the user's or the form is refused)."""
    form = OpenNotificationForm()
    if not form.validate_on_submit():
        return redirect(url_for("notifications.index"))
    notification = mark_read(current_user, form.notification.data)
    db.session.commit()
    fallback = url_for("notifications.index")
    if notification is None:
        return redirect(fallback)
    return redirect(safe_next_url(notification.link, fallback))


@bp.post("/read")
@login_required
def read_all() -> ResponseReturnValue:
    if ConfirmForm().validate_on_submit():
        count = mark_all_read(current_user)
        db.session.commit()
        flash(
            ngettext(
                "%(num)d notification marked as read.",
                "%(num)d notifications marked as read.",
                count,
            ),
            "success",
        )
    return redirect(url_for("notifications.index"))
