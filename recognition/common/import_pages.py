"""The one shape of every import page: the upload is checked, imported in full or not at all
(a file with errors is rolled back and its errors are listed with their rows), then committed
with a message saying how many records it made."""

from collections.abc import Callable, Sized
from typing import Any

from flask import flash, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage

from recognition.common.csvfiles import ImportFailed
from recognition.extensions import db


def import_page(
    form: FlaskForm,
    run: Callable[[FileStorage], Sized],
    *,
    template: str,
    done: Callable[[int], str],
    next_url: Callable[[], str],
    **context: Any,
) -> ResponseReturnValue:
    """On a valid upload (`form.file`), `run` it: on `ImportFailed` roll back and show the page
    again with its errors; else commit, flash `done(how many were made)` and go to `next_url()`.
    Otherwise the page (`template`, with `form`, `errors` and `context`)."""
    errors = None
    if form.validate_on_submit():
        try:
            made = run(form.file.data)
        except ImportFailed as failure:
            db.session.rollback()
            errors = failure.errors
        else:
            db.session.commit()
            flash(done(len(made)), "success")
            return redirect(next_url())
    return render_template(template, form=form, errors=errors, **context)
