"""Log in, log out, own password, own notification settings, language."""

import math
from datetime import datetime

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from recognition.auth.enums import NotificationDelivery
from recognition.auth.forms import ChangePasswordForm, LoginForm, NotificationDeliveryForm
from recognition.auth.services import (
    authenticate,
    change_own_password,
    log_out_everywhere,
    normalise_username,
    set_notification_delivery,
)
from recognition.auth.sessions import clear_session, start_session
from recognition.auth.throttle import (
    client_network,
    record_failure,
    record_success,
    refused_until,
    start_attempt,
)
from recognition.common.redirects import opens_with_get, safe_next_url
from recognition.database import utcnow
from recognition.errors import DomainError, render_error
from recognition.extensions import db, limiter

bp = Blueprint("auth", __name__)


def _login_failed(response: object) -> bool:
    return bool(g.get("login_failed"))


def _refused(until: datetime) -> ResponseReturnValue:
    """The 429 page of a throttled (user name, address) pair, saying when to come back."""
    message = _(
        "Too many failed log-ins for this user name from your address. "
        "You can try again from %(time)s.",
        time=format_datetime(until, "HH:mm"),
    )
    response = make_response(render_error(429, message))
    response.headers["Retry-After"] = str(max(math.ceil((until - utcnow()).total_seconds()), 1))
    return response


# Failures are throttled per (user name, address) pair in the view (recognition.auth.throttle)
# and per address here, so that no one can lock an account out by knowing its user name.
@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_IP"],
    methods=["POST"],
    deduct_when=_login_failed,
    scope="login-ip",
)
def login() -> ResponseReturnValue:
    next_url = safe_next_url(request.args.get("next"), url_for("dashboard.index"))
    if current_user.is_authenticated:
        return redirect(next_url)
    form = LoginForm()
    if session.pop("expired", False):
        flash(_("Your session ended. Please log in again."), "info")
    if form.validate_on_submit():
        username = normalise_username(form.username.data or "")
        pair = start_attempt(username=username, address=client_network(request.remote_addr))
        until = refused_until(pair)
        if until is not None:
            db.session.rollback()
            return _refused(until)
        user = authenticate(username=username, password=form.password.data or "")
        if user is None:
            record_failure(pair)
            g.login_failed = True
            db.session.commit()
            flash(_("The user name or password is not correct."), "danger")
            return render_template("auth/login.html", form=form), 200
        record_success(pair)
        db.session.commit()
        clear_session()
        login_user(user)
        start_session()
        if user.must_change_password:
            flash(_("Please choose a new password before you continue."), "warning")
            return redirect(url_for("auth.change_password"))
        return redirect(next_url)
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    log_out_everywhere(current_user)
    db.session.commit()
    logout_user()
    clear_session()
    flash(_("You have logged out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_own_password(
                current_user,
                current=form.current_password.data or "",
                new=form.new_password.data or "",
            )
        except DomainError as error:
            db.session.rollback()
            field = getattr(form, error.field or "new_password")
            field.errors = [*field.errors, error.message]
            return render_template("auth/change_password.html", form=form), 200
        db.session.commit()
        # Every other session has ended; this one continues with the new session version.
        # The real object, not the proxy: Flask-Login caches what it is given as the current
        # user, and a cached proxy would resolve to itself forever.
        login_user(current_user._get_current_object())
        start_session()
        flash(_("Your password has been changed. Other sessions have been logged out."), "success")
        return redirect(url_for("dashboard.index"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def notification_settings() -> ResponseReturnValue:
    form = NotificationDeliveryForm(delivery=current_user.notification_delivery.value)
    if form.validate_on_submit():
        set_notification_delivery(current_user, NotificationDelivery(form.delivery.data))
        db.session.commit()
        flash(_("Your notification settings have been saved."), "success")
        return redirect(url_for("auth.notification_settings"))
    return render_template(
        "auth/notification_settings.html", form=form, has_email=bool(current_user.email)
    )


@bp.post("/language/<code>")
def set_language(code: str) -> ResponseReturnValue:
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated and current_user.locale != code:
            # The user's language from now on, also for what is written to them when they are
            # not here (notifications, e-mails).
            current_user.locale = code
            db.session.commit()
    home = url_for("dashboard.index")
    back = safe_next_url(request.form.get("next"), home)
    return redirect(back if opens_with_get(back) else home)
