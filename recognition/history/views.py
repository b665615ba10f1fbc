"""The award history: search, a unit's and a person's history, the import of earlier awards."""

from dataclasses import replace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from recognition.common.downloads import XLSX, send_document
from recognition.common.forms import parse_id
from recognition.common.import_pages import import_page
from recognition.common.loading import load_or_404, require
from recognition.common.pagination import paginate
from recognition.common.text import clean
from recognition.extensions import db
from recognition.history.enums import NomineeKind
from recognition.history.export import history_xlsx
from recognition.history.forms import ImportAwardsForm
from recognition.history.importing import read_awards, template_xlsx
from recognition.history.lookup import may_be_born_alike, nominee_records, person_of
from recognition.history.models import AwardRecord
from recognition.history.permissions import (
    can_import_history,
    can_search_history,
    can_view_unit_history,
)
from recognition.history.queries import predecessors_of, search_query, unit_records
from recognition.history.services import import_awards
from recognition.units.models import Unit

bp = Blueprint("history", __name__, url_prefix="/history")


@bp.get("/")
@require(can_search_history)
def index() -> ResponseReturnValue:
    text, year = _search_terms()
    typed = request.args.get("year", "").strip()
    if typed and year is None:
        flash(
            _(
                "“%(year)s” is not a year from 1945 to 2200: the search covers every year.",
                year=typed[:20],
            ),
            "warning",
        )
    page = paginate(search_query(current_user, text, year=year), per_page=25)
    return render_template("history/index.html", page=page, text=text, year=year)


@bp.get("/export.xlsx")
@require(can_search_history)
def index_export() -> ResponseReturnValue:
    """What the search finds (every page), as XLSX."""
    text, year = _search_terms()
    content = history_xlsx(search_query(current_user, text, year=year), text=text, year=year)
    return send_document(content, mimetype=XLSX, filename="tra-cuu-khen-thuong.xlsx", inline=False)


def _search_terms() -> tuple[str, int | None]:
    text = clean(request.args.get("q", ""))[:120]
    year = parse_id(request.args.get("year"))
    return text, year if year is not None and 1945 <= year <= 2200 else None


@bp.get("/units/<int:unit_id>")
@require(can_search_history)
def unit(unit_id: int) -> ResponseReturnValue:
    item = load_or_404(Unit, unit_id, permitted=can_view_unit_history)
    collective, people = unit_records(item)
    return render_template(
        "history/unit.html",
        unit=item,
        collective=collective,
        people=people,
        predecessors=predecessors_of(item),
    )


@bp.get("/people/<int:record_id>")
@require(can_search_history)
def person(record_id: int) -> ResponseReturnValue:
    """The person of one record, with every award of the same person: the same name, in the
    record's unit or one merged with it, the same year of birth where both records give one.

    A record without a year of birth (an imported line has none) cannot tell namesakes apart:
    the page says which years of birth the unit's records of that name give, and lists every
    row with its own, so the same rows are found whichever of them was opened."""
    item = db.session.get(AwardRecord, record_id)
    if item is None:
        abort(404)
    if item.unit is None or not can_view_unit_history(current_user, item.unit):
        abort(403)
    if item.nominee_kind == NomineeKind.UNIT:
        return redirect(url_for("history.unit", unit_id=item.unit.id))
    # Everyone of that name in the unit's lineage, whatever their year of birth.
    namesakes = [
        r
        for r in nominee_records(replace(person_of(item), person_birth_year=None), withdrawn=True)
        if r.unit is not None and can_view_unit_history(current_user, r.unit)
    ]
    year = item.person_birth_year
    records = [r for r in namesakes if may_be_born_alike(r.person_birth_year, year)]
    years = sorted({r.person_birth_year for r in namesakes if r.person_birth_year})
    return render_template(
        "history/person.html",
        record=item,
        records=records,
        # The years of birth of namesakes this list leaves out (the record gives a year), or
        # of everyone it may mix (the record gives none).
        other_years=[y for y in years if y != year] if year else years,
        undated=any(r.person_birth_year is None for r in records),
    )


@bp.route("/import", methods=["GET", "POST"])
@require(can_import_history)
def import_xlsx() -> ResponseReturnValue:
    form = ImportAwardsForm()

    def run(upload: FileStorage) -> list[AwardRecord]:
        return import_awards(
            read_awards(upload.read(), actor=current_user),
            body_name=clean(form.awarding_body_name.data),
            actor=current_user,
            file_name=clean(upload.filename or "")[:200],
        )

    return import_page(
        form,
        run,
        template="history/import.html",
        done=lambda n: ngettext("%(num)d award imported.", "%(num)d awards imported.", n),
        next_url=lambda: url_for("history.index"),
    )


@bp.get("/import/template.xlsx")
@require(can_import_history)
def template() -> ResponseReturnValue:
    return send_document(
        template_xlsx(), mimetype=XLSX, filename="mau-nhap-khen-thuong.xlsx", inline=False
    )
