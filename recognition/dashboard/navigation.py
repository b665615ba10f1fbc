"""The main menu: which entries the signed-in user sees, decided in one call per page."""

from flask import Flask, request
from flask_login import current_user
from markupsafe import Markup

from recognition.auth.permissions import (
    can_manage_users,
    has_council_role,
    has_decision_role,
    has_secretariat_role,
)
from recognition.campaigns.permissions import can_edit_catalogue
from recognition.clusters.permissions import has_cluster_role
from recognition.common.fragments import draw_fragment
from recognition.history.permissions import can_search_history
from recognition.honours.permissions import can_manage_any_honours
from recognition.law.permissions import can_edit_law
from recognition.registration.permissions import uses_registration
from recognition.statistics.permissions import can_view_statistics
from recognition.units.permissions import can_manage_units


def main_menu() -> Markup:
    """The menu for the page's endpoint with the entries the user may see (a fragment drawn
    once per set of those values: common/fragments.py)."""
    user = current_user._get_current_object()
    return draw_fragment(
        "_frame/menu.html",
        endpoint=request.endpoint or "",
        registration=uses_registration(user),
        clusters=has_cluster_role(user),
        statistics=can_view_statistics(user),
        history=can_search_history(user),
        honours=can_manage_any_honours(user),
        secretariat=has_secretariat_role(user),
        council=has_council_role(user),
        decisions=has_decision_role(user),
        catalogue=can_edit_catalogue(user),
        units=can_manage_units(user),
        users=can_manage_users(user),
        law=can_edit_law(user),
    )


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals["main_menu"] = main_menu
