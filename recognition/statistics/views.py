"""The yearly statistics of an awarding body: the page with its charts, and the report as XLSX."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from recognition.common.downloads import XLSX, send_document
from recognition.common.forms import parse_id
from recognition.common.loading import load_or_404, require
from recognition.database import local_today
from recognition.statistics.chart import horizontal, vertical
from recognition.statistics.enums import AwardLevel
from recognition.statistics.export import report_filename, report_workbook
from recognition.statistics.permissions import (
    can_view_body_statistics,
    can_view_statistics,
    statistics_bodies,
)
from recognition.statistics.queries import TREND_YEARS, Part, YearStatistics, year_statistics
from recognition.units.models import Unit

bp = Blueprint("statistics", __name__, url_prefix="/statistics")

YEARS_OFFERED = 10
_LEVELS = list(AwardLevel)


def _year(*, say: bool = True) -> int:
    """The year asked for, within the years offered; else the current one."""
    this_year = local_today().year
    typed = request.args.get("year", "").strip()
    year = parse_id(typed)
    if year is None or not this_year - 50 <= year <= this_year:
        if typed and say:
            flash(
                _(
                    "“%(year)s” is not a year the statistics cover (%(first)d to %(last)d): "
                    "%(last)d is shown.",
                    year=typed[:20],
                    first=this_year - 50,
                    last=this_year,
                ),
                "warning",
            )
        return this_year
    return year


@bp.get("/")
@require(can_view_statistics)
def index() -> ResponseReturnValue:
    bodies = statistics_bodies(current_user)
    if len(bodies) == 1:
        return redirect(url_for("statistics.body", body_id=bodies[0].id, year=_year(say=False)))
    return render_template("statistics/index.html", bodies=bodies, year=_year())


def _part_charts(part: Part) -> dict[str, object]:
    level_kind = part.by_level_kind
    return {
        "level": horizontal(
            [(f"{level.label} — {kind.label}", count) for level, kind, count in level_kind],
            colour_by=[_LEVELS.index(level) for level, _kind, _count in level_kind],
        ),
        "unit": horizontal([(row.name, row.tally.total) for row in part.by_unit]),
    }


def _charts(stats: YearStatistics) -> dict[str, object]:
    return {
        "part_charts": {part.scope.value: _part_charts(part) for part in stats.parts},
        # Each award is counted in one part only: the parts add up.
        "trend_chart": vertical(
            [(str(f.year), f.total + f.below + f.above) for f in stats.trend],
            highlight=len(stats.trend) - 1,
        ),
    }


@bp.get("/bodies/<int:body_id>")
@require(can_view_statistics)
def body(body_id: int) -> ResponseReturnValue:
    unit = load_or_404(Unit, body_id, permitted=can_view_body_statistics)
    stats = year_statistics(unit, _year())
    this_year = local_today().year
    return render_template(
        "statistics/body.html",
        stats=stats,
        years=list(range(this_year, this_year - YEARS_OFFERED, -1)),
        trend_years=TREND_YEARS,
        other_bodies=[b for b in statistics_bodies(current_user) if b.id != unit.id],
        **_charts(stats),
    )


@bp.get("/bodies/<int:body_id>/report.xlsx")
@require(can_view_statistics)
def report(body_id: int) -> ResponseReturnValue:
    unit = load_or_404(Unit, body_id, permitted=can_view_body_statistics)
    stats = year_statistics(unit, _year(say=False))  # a download: no page to say it on
    return send_document(
        report_workbook(stats), mimetype=XLSX, filename=report_filename(stats), inline=False
    )
