"""What the decision pages show: template helpers of the decisions area."""

from flask import Flask
from flask_babel import gettext as _


def decision_state_label(state: str) -> str:
    return {
        "draft": _("Draft"),
        "posted": _("Posted publicly"),
        "issued": _("Issued"),
        "annulled": _("Annulled"),
    }.get(state, state)


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(decision_state_label=decision_state_label)
