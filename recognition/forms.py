"""Form pieces shared by every area."""

from flask import flash
from flask_wtf import FlaskForm

from recognition.errors import DomainError
from recognition.extensions import db


class ConfirmForm(FlaskForm):
    """A button that changes state: only the CSRF token."""


def show_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Roll back and show a service's refusal on its field, or as a message above the form."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "danger")
