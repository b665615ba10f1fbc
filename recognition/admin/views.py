"""Administration of accounts and their roles."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from recognition.admin.forms import ClearThrottleForm, GrantForm, NewUserForm, SearchForm, UserForm
from recognition.admin.queries import (
    SINGLE_HOLDER_ROLES,
    other_holders,
    throttled_accounts_for,
    throttled_usernames,
    users_for_admin,
)
from recognition.admin.services import (
    UserData,
    create_user,
    grant_role,
    reset_password,
    revoke_grant,
    update_user,
)
from recognition.auth.enums import Role
from recognition.auth.models import RoleGrant, User
from recognition.auth.permissions import can_manage_users
from recognition.auth.throttle import clear_throttles
from recognition.auth.workflow import available_actions, disable_user, enable_user
from recognition.common.forms import ConfirmForm, show_domain_error
from recognition.common.loading import load_or_404, require
from recognition.common.pagination import paginate
from recognition.common.sealed import forget_sealed, keep_sealed, read_sealed
from recognition.database import utcnow
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.units.models import Unit
from recognition.units.queries import unit_choices

bp = Blueprint("admin", __name__, url_prefix="/admin/users")


def _load(user_id: int) -> User:
    """A person's account: a registered system's (managed on the API clients' page, where it
    is revoked) has no page here, so that no password or role is ever given to it."""
    user = load_or_404(User, user_id, permitted=can_manage_users)
    if user.is_api_account:
        abort(404)
    return user


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


def _user_data(form: UserForm) -> UserData:
    return UserData(
        username=form.username.data or "",
        full_name=form.full_name.data or "",
        email=form.email.data,
        position=form.position.data,
    )


@bp.get("/")
@require(can_manage_users)
def users() -> ResponseReturnValue:
    form = SearchForm(request.args)
    form.validate()
    status = form.status.data if form.status.data in {"all", "active", "disabled"} else "all"
    page = paginate(
        users_for_admin(text=form.q.data or "", status=status),
        per_page=current_app.config["PAGE_SIZE"],
    )
    return render_template("admin/users.html", page=page, form=form)


@bp.route("/new", methods=["GET", "POST"])
@require(can_manage_users)
def create_user_view() -> ResponseReturnValue:
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user, temporary = create_user(
                _user_data(form), password=form.password.data or None, actor=current_user
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The account %(name)s has been created.", name=user.username), "success")
            if temporary:
                return _show_temporary_password(user, temporary)
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.get("/<int:user_id>")
@require(can_manage_users)
def user_detail(user_id: int) -> ResponseReturnValue:
    user = _load(user_id)
    # "Done" on the temporary password's page leads here: it is not shown again.
    forget_sealed(SHOWN_PASSWORD_KEY)
    grant_form = GrantForm()
    grant_form.set_choices(unit_choices())
    return render_template(
        "admin/user_detail.html",
        user=user,
        grant_form=grant_form,
        actions=available_actions(current_user, user),
    )


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@require(can_manage_users)
def edit_user(user_id: int) -> ResponseReturnValue:
    user = _load(user_id)
    form = UserForm(obj=user)
    if form.validate_on_submit():
        try:
            update_user(user, _user_data(form), actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.post("/<int:user_id>/disable")
@require(can_manage_users)
def disable(user_id: int) -> ResponseReturnValue:
    user = _load(user_id)
    _confirmed()
    disable_user(user, actor=current_user)
    db.session.commit()
    flash(_("The account is disabled and all its sessions have ended."), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.post("/<int:user_id>/enable")
@require(can_manage_users)
def enable(user_id: int) -> ResponseReturnValue:
    user = _load(user_id)
    _confirmed()
    enable_user(user, actor=current_user)
    db.session.commit()
    flash(_("The account is enabled again."), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.post("/<int:user_id>/reset-password")
@require(can_manage_users)
def reset_password_view(user_id: int) -> ResponseReturnValue:
    user = _load(user_id)
    _confirmed()
    temporary = reset_password(user, actor=current_user)
    db.session.commit()
    return _show_temporary_password(user, temporary)


# A temporary password is shown on a page of its own, so that a reload or Back shows it again
# rather than send the form once more (a second account refused, a second reset that makes the
# password shown wrong): it waits, sealed, in the administrator's session (common/sealed.py)
# until "Done" or for a quarter of an hour. (The key it waits under is not a password.)
SHOWN_PASSWORD_KEY = "shown_temporary_password"  # noqa: S105  # nosec B105
TEMPORARY_PASSWORD_SHOWN_SECONDS = 15 * 60


def _show_temporary_password(user: User, password: str) -> ResponseReturnValue:
    keep_sealed(SHOWN_PASSWORD_KEY, user.id, password, seconds=TEMPORARY_PASSWORD_SHOWN_SECONDS)
    return redirect(url_for("admin.temporary_password", user_id=user.id))


@bp.get("/<int:user_id>/temporary-password")
@require(can_manage_users)
def temporary_password(user_id: int) -> ResponseReturnValue:
    user = _load(user_id)
    password = read_sealed(SHOWN_PASSWORD_KEY, user.id)
    if password is None:
        flash(
            _(
                "The temporary password is no longer shown. If it was not written down, reset "
                "the password again."
            ),
            "info",
        )
        return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/temporary_password.html", user=user, password=password)


@bp.post("/<int:user_id>/grants")
@require(can_manage_users)
def add_grant(user_id: int) -> ResponseReturnValue:
    user = _load(user_id)
    form = GrantForm()
    form.set_choices(unit_choices())
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data)
        if unit is None:
            abort(400)
        try:
            grant_role(user, role=Role(form.role.data), unit=unit, actor=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The role has been granted."), "success")
            others = other_holders(Role(form.role.data), unit, user)
            if others and Role(form.role.data) in SINGLE_HOLDER_ROLES:
                flash(
                    _(
                        "%(names)s also holds this role on %(unit)s: check that both should.",
                        names=", ".join(u.full_name for u in others),
                        unit=unit.name,
                    ),
                    "warning",
                )
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template(
        "admin/user_detail.html",
        user=user,
        grant_form=form,
        actions=available_actions(current_user, user),
    ), 200


@bp.post("/<int:user_id>/grants/<int:grant_id>/revoke")
@require(can_manage_users)
def revoke(user_id: int, grant_id: int) -> ResponseReturnValue:
    _load(user_id)
    grant = db.session.get(RoleGrant, grant_id)
    if grant is None or grant.user_id != user_id:
        abort(404)
    _confirmed()
    revoke_grant(grant, actor=current_user)
    db.session.commit()
    flash(_("The role has been removed."), "success")
    return redirect(url_for("admin.user_detail", user_id=user_id))


@bp.get("/login-throttles")
@require(can_manage_users)
def login_throttles() -> ResponseReturnValue:
    now = utcnow()
    page = paginate(throttled_usernames(now), per_page=current_app.config["PAGE_SIZE"])
    return render_template(
        "admin/login_throttles.html",
        page=page,
        accounts=throttled_accounts_for(list(page.items), now),
        form=ClearThrottleForm(),
    )


@bp.post("/login-throttles/clear")
@require(can_manage_users)
def clear_login_throttle() -> ResponseReturnValue:
    form = ClearThrottleForm()
    if not form.validate_on_submit():
        abort(400)
    username = form.username.data or ""
    clear_throttles(username, actor=current_user)
    db.session.commit()
    flash(_("The failed log-ins of %(name)s have been cleared.", name=username), "success")
    return redirect(url_for("admin.login_throttles"))
