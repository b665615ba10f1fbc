"""Dossiers and spreadsheets: the import of a list of candidates into a campaign, its
template, and the dossier list as XLSX (its route is the list's, in views.py)."""

from collections.abc import Iterator, Sequence

from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage

from recognition.campaigns.models import Campaign
from recognition.campaigns.permissions import can_nominate_in
from recognition.common.downloads import XLSX, send_document
from recognition.common.import_pages import import_page
from recognition.common.loading import load_or_404
from recognition.common.text import clean
from recognition.common.xlsxfiles import Column, Value, export_note, list_xlsx, local_day
from recognition.nominations.batch import import_candidates
from recognition.nominations.blueprint import bp
from recognition.nominations.forms import ImportCandidatesForm
from recognition.nominations.importing import COLUMNS, template_xlsx
from recognition.nominations.models import Nomination
from recognition.nominations.queries import nominations_in_order

# Rows of the list loaded at a time for an export.
CHUNK = 500

LIST_COLUMNS = (
    Column("STT", 6),
    Column("Đối tượng đề nghị", 40),
    Column("Danh hiệu/Hình thức", 40),
    Column("Đơn vị đề nghị", 36),
    Column("Phong trào/Đợt thi đua", 50),
    Column("Trạng thái", 24),
    Column("Ngày gửi", 12),
    Column("Số hồ sơ", 20),
)


@bp.route("/import/<int:campaign_id>", methods=["GET", "POST"])
@login_required
def import_candidates_page(campaign_id: int) -> ResponseReturnValue:
    campaign = load_or_404(Campaign, campaign_id, permitted=can_nominate_in)

    def run(upload: FileStorage) -> list[Nomination]:
        return import_candidates(
            campaign,
            upload.read(),
            actor=current_user,
            file_name=clean(upload.filename or "")[:200],
        )

    return import_page(
        ImportCandidatesForm(),
        run,
        template="nominations/import.html",
        done=lambda n: ngettext(
            "%(num)d draft dossier created.", "%(num)d draft dossiers created.", n
        ),
        next_url=lambda: url_for("nominations.index", campaign=campaign.id, state="draft"),
        campaign=campaign,
        columns=COLUMNS,
    )


@bp.get("/import/<int:campaign_id>/template.xlsx")
@login_required
def import_template(campaign_id: int) -> ResponseReturnValue:
    campaign = load_or_404(Campaign, campaign_id, permitted=can_nominate_in)
    return send_document(
        template_xlsx(campaign), mimetype=XLSX, filename="mau-danh-sach-de-nghi.xlsx", inline=False
    )


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def filter_text(form: FlaskForm) -> str:
    """The filters a list form holds, as "label: choice" (for the export's subtitle)."""
    parts = []
    for field in form:
        if not field.data or field.type == "CSRFTokenField":
            continue
        if field.type == "SelectField":
            chosen = dict((str(k), v) for k, v in field.choices).get(str(field.data), "")
            parts.append(f"{field.label.text}: {chosen.strip()}")
        else:
            parts.append(f"{field.label.text}: {field.data}")
    return "; ".join(parts)


def _list_rows(ids: Sequence[int]) -> Iterator[list[Value]]:
    number = 0
    for chunk in chunks(ids):
        for n in nominations_in_order(list(chunk)):
            number += 1
            yield [
                number,
                n.nominee_name,
                n.award_type.name,
                n.nominating_unit.name,
                n.campaign.name,
                n.state.label,
                local_day(n.submitted_at),
                n.reference or "",
            ]


def list_export(form: FlaskForm, ids: Sequence[int]) -> bytes:
    """The dossier list (these ids, in order) with the filters of `form`, as XLSX."""
    with force_locale("vi"):
        return list_xlsx(
            title="DANH SÁCH HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG",
            subtitle=export_note(filter_text(form)),
            columns=LIST_COLUMNS,
            rows=_list_rows(ids),
        )
