"""The dossier PDF: A4, embedded Liberation Serif, the Vietnamese text itself, the evidence list;
and nothing a user typed is ever fetched or rendered as markup."""

from __future__ import annotations

import io
import re
import socket
import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import Flask, render_template
from pypdf import PdfReader
from weasyprint import HTML

from recognition.common.pdf import STATIC, StaticOnlyFetcher
from recognition.database import local_today
from recognition.nominations.attachments import add_attachment
from recognition.nominations.enums import Action, Gender
from recognition.nominations.models import Nomination
from recognition.nominations.pdf import dossier_view, render_dossier
from recognition.nominations.services import Answer, Report, update_nomination
from recognition.nominations.workflow import apply_transition
from tests.nominations import PDF, World, build_world, fill_in
from tests.support.factories import NominationFactory

pytestmark = pytest.mark.integration

NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


@pytest.fixture(autouse=True)
def _request_context(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield


@pytest.fixture
def world(app: Flask, tmp_path, monkeypatch) -> World:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path))
    today = local_today()
    return build_world(opens_on=today - timedelta(days=10), closes_on=today + timedelta(days=10))


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A local server nobody should call: a fetch of its URL would show up as a connection."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    try:
        yield server
    finally:
        server.close()


def nobody_called(server: socket.socket) -> bool:
    try:
        connection, _ = server.accept()
    except BlockingIOError:
        return True
    connection.close()
    return False


def person(
    world: World, name: str = "Nguyễn Thị Đào", position: str = "Chi hội trưởng"
) -> Nomination:
    return NominationFactory(
        campaign=world.campaign,
        award_type=world.person_award,
        actor=world.nominator_a,
        person_name=name,
        person_position=position,
        person_unit=world.hamlet_a,
        person_birth_year=1979,
        person_gender=Gender.FEMALE,
    )


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def squeezed(text: str) -> str:
    """Text without white space (table cells wrap long strings onto several lines)."""
    return "".join(text.split())


def fonts_of(reader: PdfReader) -> dict[str, bool]:
    """Each font used, without its subset prefix, and whether its program is embedded."""
    found: dict[str, bool] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            keys = set(descriptor.get_object().keys())
            found[name] = bool(keys & {"/FontFile", "/FontFile2", "/FontFile3"})
    return found


# --- what is printed -----------------------------------------------------------------------


def test_dossier_pdf_is_a4_with_embedded_liberation_serif_and_vietnamese_text(
    world: World,
) -> None:
    nomination = fill_in(
        NominationFactory(
            campaign=world.campaign,
            award_type=world.team_award,
            actor=world.nominator_a,
            nominee_unit=world.hamlet_a,
        ),
        world,
        world.nominator_a,
    )
    add_attachment(
        nomination,
        io.BytesIO(PDF),
        "Biên bản họp dân.pdf",
        actor=world.nominator_a,
        criterion=world.text,
    )
    add_attachment(nomination, io.BytesIO(PDF), "Tờ trình.pdf", actor=world.nominator_a)

    reader = read(render_dossier(nomination))

    text = text_of(reader)
    sizes = {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    }
    fonts = fonts_of(reader)
    assert all(
        abs(float(p.mediabox.width) - 595) <= 1 and abs(float(p.mediabox.height) - 842) <= 1
        for p in reader.pages
    ), sizes
    assert fonts == {name: True for name in fonts}  # every font embedded
    assert set(fonts) <= {
        "Liberation-Serif",
        "Liberation-Serif-Bold",
        "Liberation-Serif-Italic",
        "Liberation-Serif-BoldItalic",
    }
    assert "Liberation-Serif" in fonts
    assert unicodedata.is_normalized("NFC", text)
    assert NATIONAL in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Ấp Phú Hữu" in text
    for expected in [
        "Biên bản họp dân.pdf",
        "Tờ trình.pdf",
        "Mô hình “Ấp thông minh”",
        "Biên bản số 12",
        "TB2",
        "Tỷ lệ hộ dùng dịch vụ công (chỉ tiêu: 60)",
    ]:
        assert squeezed(expected) in squeezed(text), expected


def test_individual_dossier_prints_the_persons_details(world: World) -> None:
    nomination = person(world)

    text = text_of(read(render_dossier(nomination)))

    for expected in [
        "Nguyễn Thị Đào",
        "Chi hội trưởng",
        "Ấp Phú Hữu",
        "1979",
        "Lao động tiên tiến",
        "Cao điểm thi đua “Đồng khởi mới”",
        "Huyện Chợ Lách",
        NATIONAL,
    ]:
        assert expected in text, expected


def test_an_empty_section_is_left_out_and_a_required_one_left_to_write_on(
    world: World,
) -> None:
    # Each empty section printed "(chưa điền)" under its heading.
    world.team_award.required_report_sections = ["report_achievements"]
    nomination = NominationFactory(
        campaign=world.campaign,
        award_type=world.team_award,
        actor=world.nominator_a,
        nominee_unit=world.hamlet_a,
    )
    update_nomination(
        nomination,
        Report(summary="Dẫn đầu phong trào", general="Ấp có 312 hộ."),
        {},
        actor=world.nominator_a,
    )

    text = text_of(read(render_dossier(nomination)))

    headings = [line.split(".")[0] for line in text.splitlines() if line[:3] in ("I. ", "II.")]
    assert headings == ["I", "II"]
    assert "Ấp có 312 hộ." in text
    assert ("III." in text, "IV." in text, "(chưa điền)" in text, "(not filled in)" in text) == (
        False,
        False,
        False,
        False,
    )


def test_an_empty_summary_is_left_to_write_on(world: World) -> None:
    # The summary, which every dossier needs before it is submitted, was left out of a draft
    # without one, while an empty required section got dotted lines.
    world.team_award.required_report_sections = ["report_achievements"]
    nomination = NominationFactory(
        campaign=world.campaign,
        award_type=world.team_award,
        actor=world.nominator_a,
        nominee_unit=world.hamlet_a,
    )
    update_nomination(nomination, Report(general="Ấp có 312 hộ."), {}, actor=world.nominator_a)

    html = render_template("pdf/dossier.html", dossier=dossier_view(nomination))
    text = text_of(read(render_dossier(nomination)))

    assert "Tóm tắt thành tích" in text
    parts = re.findall(r"<h2>([^<]*)</h2>\s*(<div class=\"dots\">|<p|<table)", html)
    assert parts == [
        ("Tóm tắt thành tích", '<div class="dots">'),
        ("I. Thông tin chung", "<p"),
        ("II. Thành tích đạt được", '<div class="dots">'),
        ("Tiêu chí và minh chứng", "<table"),
    ]
    assert html.count('<div class="dots">') == 6  # three lines each


def test_the_report_ends_with_the_date_line_and_who_signs_it(world: World) -> None:
    # As NĐ 152/2025's forms end: the person reporting and the head of the unit confirming
    # for a person; the unit's head and the head of the unit above for a collective.
    team = NominationFactory(
        campaign=world.campaign,
        award_type=world.team_award,
        actor=world.nominator_a,
        nominee_unit=world.hamlet_a,
    )
    texts = [squeezed(text_of(read(render_dossier(n)))) for n in (person(world), team)]
    year = local_today().year

    assert [
        (
            squeezed(f"ngày tháng năm {year}") in text,
            squeezed("NGƯỜI BÁO CÁO THÀNH TÍCH") in text,
            squeezed("THỦ TRƯỞNG ĐƠN VỊ XÁC NHẬN, ĐỀ NGHỊ") in text,
            squeezed("CẤP TRÊN TRỰC TIẾP XÁC NHẬN, ĐỀ NGHỊ") in text,
        )
        for text in texts
    ] == [(True, True, True, False), (True, False, False, True)]


def test_printed_on_uses_the_local_date(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("recognition.nominations.pdf.local_today", lambda: date(2025, 3, 4))

    text = text_of(read(render_dossier(person(world))))

    assert "ngày 04 tháng 3 năm 2025" in text


# --- nothing typed is fetched or becomes markup ---------------------------------------------


def test_planted_urls_and_markup_are_printed_as_text_and_fetch_nothing(
    world: World, listener: socket.socket
) -> None:
    port = listener.getsockname()[1]
    plant = (
        f'<img src="file:///etc/passwd"><img src="http://127.0.0.1:{port}/x">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/s.css">'
    )
    nomination = person(world, name=f"Lê <b>Văn</b> {port}", position=plant)
    update_nomination(
        nomination,
        Report(
            summary=plant,
            general=plant,
            achievements=f'<iframe src="http://127.0.0.1:{port}/">',
            criteria=plant,
            commendations=plant,
        ),
        {},
        actor=world.nominator_a,
    )
    add_attachment(
        nomination,
        io.BytesIO(PDF),
        f"<img src=x onerror=alert({port})>.pdf",
        actor=world.nominator_a,
    )

    reader = read(render_dossier(nomination))

    text = text_of(reader)
    assert squeezed(plant) in squeezed(text)
    assert f"Lê <b>Văn</b> {port}" in text
    assert squeezed(f"<img src=x onerror=alert({port})>.pdf") in squeezed(text)
    assert "root:" not in text
    assert [image for page in reader.pages for image in page.images] == []
    assert nobody_called(listener)


@pytest.mark.no_database
def test_the_fetcher_serves_static_files_and_data_urls_only(listener: socket.socket) -> None:
    fetcher = StaticOnlyFetcher()
    font = STATIC / "fonts" / "liberation" / "LiberationSerif-Regular.ttf"
    port = listener.getsockname()[1]

    served = fetcher.fetch(font.as_uri())
    data = fetcher.fetch("data:text/plain;base64,eGlu")

    assert (served.read(), served.headers["Content-Type"]) == (font.read_bytes(), "font/ttf")
    assert data.read() == b"xin"
    refusals = []
    for url in [
        "file:///etc/passwd",
        f"http://127.0.0.1:{port}/x",
        "http://127.0.0.1:9/x",
        "https://example.org/a.png",
        f"{STATIC.as_uri()}/../recognition/config.py",
        f"{STATIC.as_uri()}/%2e%2e/instance/secret_key",
        "ftp://127.0.0.1/x",
        f"file://localhost{font}",
    ]:
        with pytest.raises(ValueError, match="refused to fetch") as refused:
            fetcher.fetch(url)
        refusals.append(str(refused.value))
    assert len(refusals) == 8
    assert nobody_called(listener)


@pytest.mark.no_database
def test_weasyprint_with_the_fetcher_embeds_no_planted_image(listener: socket.socket) -> None:
    """Even raw markup (which templates never produce) cannot make the renderer fetch."""
    port = listener.getsockname()[1]
    markup = (
        f'<p>x</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:{port}/x">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/s.css">'
    )

    pdf = HTML(
        string=markup, base_url=STATIC.as_uri() + "/", url_fetcher=StaticOnlyFetcher()
    ).write_pdf()

    reader = read(bytes(pdf or b""))
    assert [image for page in reader.pages for image in page.images] == []
    assert nobody_called(listener)


# --- the route -----------------------------------------------------------------------------


def test_pdf_route_serves_the_dossier_inline_and_private(world: World, login) -> None:  # type: ignore[no-untyped-def]
    nomination = fill_in(
        NominationFactory(
            campaign=world.campaign,
            award_type=world.team_award,
            actor=world.nominator_a,
            nominee_unit=world.commune_a,
        ),
        world,
        world.nominator_a,
    )
    client = login(world.nominator_a)

    draft = client.get(f"/nominations/{nomination.id}/dossier.pdf")
    apply_transition(nomination, Action.SUBMIT, actor=world.nominator_a)
    final = login(world.secretariat).get(f"/nominations/{nomination.id}/dossier.pdf")

    assert (draft.status_code, draft.mimetype) == (200, "application/pdf")
    assert draft.headers["Content-Disposition"] == f"inline; filename=du-thao-{nomination.id}.pdf"
    assert draft.headers["Cache-Control"] == "private, no-store"
    # An ASCII fallback (folded) and the exact name (RFC 6266), as every download names itself.
    assert final.headers["Content-Disposition"] == (
        f"inline; filename={nomination.reference.lower()}.pdf; "
        f"filename*=UTF-8''{nomination.reference}.pdf"
    )
    assert "Xã Sơn Định" in text_of(read(final.get_data()))


def test_numbers_print_in_the_readers_language(world: World) -> None:
    nomination = NominationFactory(
        campaign=world.campaign,
        award_type=world.team_award,
        actor=world.nominator_a,
        nominee_unit=world.commune_a,
    )
    update_nomination(
        nomination,
        Report(),
        {world.number.id: Answer(value=Decimal("72.5"))},
        actor=world.nominator_a,
    )

    text = text_of(read(render_dossier(nomination)))

    assert "72,5" in text


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("Hội Nông dân xã Phú Phụng", ("HỘI NÔNG DÂN", "XÃ PHÚ PHỤNG")),
        ("Xã Phú Phụng", ("XÃ PHÚ PHỤNG",)),
        ("Tổ công nghệ số cộng đồng ấp Sơn Qui", ("TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG", "ẤP SƠN QUI")),
        ("Phòng Văn hóa - Xã hội", ("PHÒNG VĂN HÓA - XÃ HỘI",)),
        ("Phòng Văn hóa - Xã hội xã Phú Phụng", ("PHÒNG VĂN HÓA - XÃ HỘI", "XÃ PHÚ PHỤNG")),
    ],
)
def test_the_header_breaks_a_units_name_before_its_place(name: str, lines: tuple[str, ...]) -> None:
    from recognition.nominations.pdf import issuer_lines

    assert issuer_lines(name) == lines
