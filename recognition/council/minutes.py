"""The minutes (biên bản họp / biên bản kiểm phiếu) as PDF, and the results as XLSX."""

import io
from dataclasses import dataclass

from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from recognition.common.i18n import long_date
from recognition.common.pdf import render_pdf
from recognition.common.xlsxfiles import append_row
from recognition.council.enums import CouncilRole, ItemState, SessionKind
from recognition.council.models import CouncilSession
from recognition.council.secretary import presiding_member
from recognition.council.services import members_on, session_secretary
from recognition.database import local_date_of, local_today
from recognition.units.settings import settings_for

REASON_TEXT = {
    "passed": "Đủ tỷ lệ phiếu đồng ý theo quy định",
    "no_quorum": "Không đủ số thành viên tham dự theo quy định",
    "below_threshold": "Không đủ tỷ lệ phiếu đồng ý",
    "chair_not_approved": "Chủ tịch Hội đồng chưa đồng ý",
    "no_members": "Không có thành viên đủ điều kiện biểu quyết",
}


@dataclass(frozen=True)
class ItemLine:
    number: int
    nominee: str
    award: str
    unit: str
    method: str
    members: int
    participants: int  # eligible members present (or consulted in writing)
    voted: int  # of them, those who voted (a member present may leave their ballot uncast)
    written: int  # of those who voted, those who voted in writing
    agree: int
    disagree: int
    abstain: int
    base: int
    required: int
    percent: str
    passed: bool
    outcome: str
    reason: str
    conflicts: list[str]
    not_voting: int  # members on the roll who did not vote on the item (absent, conflicted,
    # or present without casting their ballot)
    result: str  # "6/7 (85,7 %)": votes in favour of the base the threshold is counted on


@dataclass(frozen=True)
class MinutesView:
    body: str
    body_upper: str
    body_in_sentence: str
    title: str
    kind: str
    written: bool
    held_on: str
    place: str
    closes_on: str
    counted_on: str
    place_date: str
    chair: str
    secretary: str  # who keeps these minutes (council.secretary.session_secretary)
    present: list[str]
    in_writing: list[str]
    absent: list[str]
    members_total: int
    items: list[ItemLine]


_KIND_WORDS = ("Tỉnh ", "Thành phố ", "Huyện ", "Quận ", "Thị xã ", "Xã ", "Phường ", "Thị trấn ")


def in_sentence(name: str) -> str:
    """A unit's name inside a sentence: "Huyện Chợ Lách" → "huyện Chợ Lách"."""
    for word in _KIND_WORDS:
        if name.startswith(word):
            return word.lower() + name[len(word) :]
    return name


def result_text(agree: int, base: int, participants: int) -> str:
    """ "6/7 (85,7 %)"; never above 100 %: a base smaller than the votes in favour (a base of
    members present when absentees also voted in writing) gives way to the participants."""
    total = base if base >= agree else max(participants, agree)
    if total == 0:
        return "0/0"
    percent = f"{agree * 100 / total:.1f}".replace(".", ",")
    return f"{agree}/{total} ({percent} %)"


def minutes_view(session: CouncilSession) -> MinutesView:
    members = members_on(session.awarding_body_id, session.held_on)
    presiding = presiding_member(session)
    chair = (
        presiding.user.full_name
        if presiding is not None
        else next((m.user.full_name for m in members if m.role == CouncilRole.CHAIR), "")
    )
    secretary = session_secretary(session)

    today = local_today()

    def label(a: object) -> str:
        member = a.member  # type: ignore[attr-defined]
        # A person's post is kept as it is today: it is said only while their seat lasts (a
        # 2024 district council's member is named by their seat, not by a 2026 post).
        current = member.term_end is None or member.term_end >= today
        post = member.user.position if current else ""
        return f"{member.user.full_name} — {post or member.role.label}"

    counted_on = session.held_on
    if session.kind == SessionKind.WRITTEN and session.closed_at is not None:
        counted_on = local_date_of(session.closed_at)
    items = []
    for number, item in enumerate(session.items, start=1):
        award = item.nomination.award_type
        base = item.base_count or 0
        agree = item.agree_count or 0
        voted = agree + (item.disagree_count or 0) + (item.abstain_count or 0)
        percent = f"{min(agree * 100 / base, 100.0):.1f}" if base else "0"
        items.append(
            ItemLine(
                number=number,
                nominee=item.nomination.nominee_name,
                award=award.name,
                unit=item.nomination.nominating_unit.name,
                # Asked in writing, every title's item is voted on by ballot paper.
                method=(
                    session.kind.label
                    if session.kind == SessionKind.WRITTEN
                    else award.vote_method.label
                ),
                members=item.members_count or 0,
                participants=item.participants_count or 0,
                voted=voted,
                written=item.written_count or 0,
                agree=item.agree_count or 0,
                disagree=item.disagree_count or 0,
                abstain=item.abstain_count or 0,
                base=base,
                required=item.required_count or 0,
                percent=percent.replace(".", ","),
                passed=item.state == ItemState.PASSED,
                outcome="Đạt" if item.state == ItemState.PASSED else "Không đạt",
                reason=REASON_TEXT.get(item.reason or "", ""),
                conflicts=[f"{c.member.user.full_name} ({c.reason_text})" for c in item.conflicts],
                not_voting=max(0, len(session.attendance) - voted),
                result=result_text(item.agree_count or 0, base, item.participants_count or 0),
            )
        )
    # The place name of the date line is the body's setting, as on its decisions (Decree
    # 30/2020: "Vĩnh Long, ngày …", not the unit's name "Tỉnh Vĩnh Long").
    place_name = settings_for(session.awarding_body).place_name
    # In the council's order (chair, vice-chairs, standing members, members, secretary), the
    # order the default secretary of the session is taken in.
    roll = session.roll_in_order
    return MinutesView(
        body=session.awarding_body.name,
        body_upper=session.awarding_body.name.upper(),
        body_in_sentence=in_sentence(session.awarding_body.name),
        title=session.title,
        kind=session.kind.label,
        written=session.kind == SessionKind.WRITTEN,
        held_on=long_date(session.held_on),
        place=session.place,
        closes_on=long_date(session.consultation_closes_on),
        # Written consultation: the minutes are drawn up when the answers are counted.
        counted_on=long_date(counted_on),
        place_date=f"{place_name}, {long_date(counted_on)}",
        chair=chair,
        secretary=secretary.user.full_name if secretary is not None else "",
        present=[label(a) for a in roll if a.present],
        in_writing=[label(a) for a in roll if a.in_writing],
        absent=[label(a) for a in roll if not (a.present or a.in_writing)],
        members_total=len(session.attendance),
        items=items,
    )


def vietnamese_view(session: CouncilSession) -> MinutesView:
    """The minutes are an official Vietnamese document, whatever the reader's language: dates
    ("ngày 04 tháng 3 năm 2024") and labels (vote method, role) are rendered in Vietnamese."""
    with force_locale("vi"):
        return minutes_view(session)


def render_minutes(session: CouncilSession) -> bytes:
    return render_pdf("pdf/minutes.html", minutes=vietnamese_view(session))


def results_workbook(session: CouncilSession) -> bytes:
    view = vietnamese_view(session)
    book = Workbook()
    sheet = book.active
    sheet.title = "Ket qua"
    append_row(sheet, [view.title])
    append_row(sheet, [view.body, view.held_on])
    append_row(sheet, [])
    header = [
        "STT",
        "Đối tượng",
        "Danh hiệu / hình thức",
        "Đơn vị đề nghị",
        "Hình thức biểu quyết",
        "Thành viên",
        "Có mặt hoặc được lấy ý kiến",
        "Đã biểu quyết",
        "Đồng ý",
        "Không đồng ý",
        "Không biểu quyết",
        "Cơ sở tính",
        "Số phiếu cần",
        "Tỷ lệ đồng ý (%)",
        "Kết quả",
        "Ghi chú",
    ]
    append_row(sheet, header)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for line in view.items:
        append_row(
            sheet,
            [
                line.number,
                line.nominee,
                line.award,
                line.unit,
                line.method,
                line.members,
                line.participants,
                line.voted,
                line.agree,
                line.disagree,
                line.abstain,
                line.base,
                line.required,
                float(line.percent.replace(",", ".")),
                line.outcome,
                line.reason,
            ],
        )
    sheet["A1"].font = Font(bold=True, size=13)
    for column, width in zip(
        "ABCDEFGHIJKLMNO", (5, 32, 36, 24, 18, 10, 10, 9, 12, 14, 10, 12, 14, 12, 30), strict=True
    ):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
