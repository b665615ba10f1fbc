"""Certificates and decisions as PDF: paper size, embedded fonts, the exact Vietnamese text (as
poppler's pdftotext extracts it), batch order, byte-identical stored single certificates, the
annex table across pages, the draft watermark."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
from flask import Flask
from flask_babel import force_locale
from pypdf import PdfReader

from recognition.certificates.models import Certificate
from recognition.certificates.rendering import render_batch, render_singles
from recognition.common import storage
from recognition.decisions import services
from recognition.decisions.documents import render_decision
from recognition.decisions.models import Decision
from recognition.extensions import db
from recognition.nominations.services import Report
from recognition.units.settings import stored_settings
from tests.decisions.helpers import (
    ISSUE_DAY,
    MOTTO,
    NATIONAL,
    certificates_of,
    client_for,
    drafted,
    fonts,
    issued,
    one_line,
    page_sizes,
    page_texts,
    passed,
    passed_person,
    pdftotext,
    person_award,
    posting_award,
    stored,
)
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration

A4_LANDSCAPE = (842, 595)
A4_PORTRAIT = (595, 842)
A3_LANDSCAPE = (1191, 842)
PLACE_DATE = "Chợ Lách, ngày 04 tháng 3 năm 2026"
ANNEX_HEADER = ("STT", "Họ và tên / Tập thể", "Chức vụ, đơn vị", "Thành tích")


@pytest.fixture(params=["vi", "en"])
def locale(request: pytest.FixtureRequest) -> str:
    """The reader's language: the documents are Vietnamese either way."""
    return str(request.param)


def close_to(sizes: list[tuple[float, float]], expected: tuple[int, int]) -> bool:
    return all(abs(w - expected[0]) <= 1 and abs(h - expected[1]) <= 1 for w, h in sizes)


# --- certificates ---------------------------------------------------------------------------------


def test_a_certificate_is_a4_landscape_with_embedded_fonts(scene: Scene) -> None:
    certificate = certificates_of(issued(scene, 1))[0]

    pdf = render_batch([certificate])

    embedded = fonts(pdf)
    assert (
        len(page_sizes(pdf)),
        close_to(page_sizes(pdf), A4_LANDSCAPE),
        len(embedded) >= 2,
        [name for name, has_file in embedded.items() if not has_file],
    ) == (1, True, True, [])


def test_a3_paper_from_the_settings(scene: Scene) -> None:
    stored_settings(scene.body).paper = "A3"
    decision = issued(scene, 2)

    singles = [storage.read_bytes(c.pdf_key or "") for c in stored(decision)]

    assert [(len(page_sizes(s)), close_to(page_sizes(s), A3_LANDSCAPE)) for s in singles] == [
        (1, True),
        (1, True),
    ]


def test_the_certificate_reads_as_the_official_pattern(scene: Scene, locale: str) -> None:
    certificate = certificates_of(issued(scene, 1, names=["Ấp Phú Hữu Mới"]))[0]

    with force_locale(locale):
        text = one_line(pdftotext(render_batch([certificate])))

    expected = [
        NATIONAL,
        MOTTO,
        "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN CHỢ LÁCH",
        "TẶNG",
        "GIẤY KHEN",
        "Ấp Phú Hữu Mới",
        "Đã có thành tích xuất sắc trong phong trào thi đua “Đồng khởi mới” năm 2025",
        "Quyết định số 01/QĐ-UBND ngày 04/03/2026",
        f"Số sổ vàng: {certificate.line.position}",
        f"Mã tra cứu: {certificate.public_serial}",
        PLACE_DATE,
    ]
    assert [s for s in expected if s not in text] == []
    # In the order of the official pattern, top to bottom.
    assert [text.index(s) for s in expected[:6]] == sorted(text.index(s) for s in expected[:6])


def test_a_batch_has_one_page_per_certificate_in_annex_order(scene: Scene) -> None:
    names = ["Ấp Tân Thạnh", "Ấp An Hòa", "Ấp Bình Đông", "Ấp Vĩnh Hưng", "Ấp Cái Mơn"]
    decision = issued(scene, 5, names=names)
    certificates = certificates_of(decision)

    pages = [one_line(page) for page in page_texts(render_batch(certificates))]

    # The annex is in Vietnamese alphabetical order (within each title).
    assert [line.recipient for line in decision.lines] == [
        "Ấp An Hòa",
        "Ấp Bình Đông",
        "Ấp Cái Mơn",
        "Ấp Tân Thạnh",
        "Ấp Vĩnh Hưng",
    ]
    assert [
        (
            c.line.recipient in page,
            f"Số sổ vàng: {c.line.position}" in page,
            f"Mã tra cứu: {c.public_serial}" in page,
        )
        for c, page in zip(certificates, pages, strict=True)
    ] == [(True, True, True)] * 5


LONG_SUMMARY = (
    "Đã có thành tích xuất sắc trong phong trào thi đua “Đồng khởi mới” giai đoạn 2021 - 2025, "
    "góp phần hoàn thành thắng lợi nhiệm vụ phát triển kinh tế - xã hội, xây dựng nông thôn mới "
    "kiểu mẫu, chuyển đổi số cộng đồng và bảo đảm quốc phòng, an ninh trên địa bàn huyện Chợ Lách; "
    "tích cực vận động nhân dân hiến đất làm đường, xây dựng cầu giao thông nông thôn, phát triển "
    "vườn cây ăn trái đặc sản và làng nghề hoa kiểng, nâng cao thu nhập của người dân trong ấp."
)


def footer_of(text: str, certificate: Certificate) -> list[bool]:
    return [
        s in text
        for s in (
            "Quyết định số 01/QĐ-UBND ngày 04/03/2026",
            f"Số sổ vàng: {certificate.line.position}",
            f"Mã tra cứu: {certificate.public_serial}",
            PLACE_DATE,
            "CHỦ TỊCH",
        )
    ]


def test_a_summary_too_long_for_the_sheet_gives_the_campaign_line(scene: Scene) -> None:
    decision = drafted(scene, [passed(scene, name="Ấp Phú Hữu Mới", summary=LONG_SUMMARY)])
    services.issue_decision(decision, actor=scene.chair, today=ISSUE_DAY)
    certificate = certificates_of(decision)[0]

    pdf = render_batch([certificate])

    text = one_line(pdftotext(pdf))
    assert (
        len(page_sizes(pdf)),
        # The campaign's name inside the sentence starts in lower case.
        "Đã có thành tích xuất sắc trong phong trào thi đua “Đồng khởi mới”" in text,
        "góp phần hoàn thành thắng lợi" in text,  # the summary's own words, not printed
        footer_of(text, certificate),
    ) == (1, True, False, [True] * 5)


def test_overlong_names_never_push_the_footer_off_the_sheet(scene: Scene) -> None:
    # The longest texts the columns allow: the footer (decision, golden-book number, place and
    # date, signer) must stay on the sheet whatever is above it.
    scene.campaign.name = ("Phong trào thi đua “Đồng khởi mới” và cao điểm thi đua " * 5)[:300]
    award = person_award(scene)
    award.certificate_title = "ĐIỂN HÌNH TIÊN TIẾN TRONG PHONG TRÀO THI ĐUA ĐỒNG KHỞI MỚI"
    nomination = passed_person(
        scene, award, name="Nguyễn Thị Ngọc Bích Thủy " * 4, report=Report(summary="Tóm tắt")
    )
    decision = drafted(scene, [nomination])
    services.issue_decision(decision, actor=scene.chair, today=ISSUE_DAY)
    certificate = certificates_of(decision)[0]

    pdf = render_batch([certificate])

    # Content-stream order: what the sheet clips is still in the text layer, beside the date.
    text = one_line(pdftotext(pdf, raw=True))
    assert (len(page_sizes(pdf)), footer_of(text, certificate)) == (
        1,
        [True] * 5,
    )


def test_split_certificates_are_stored_and_downloaded_byte_identical(
    app: Flask, scene: Scene
) -> None:
    decision = issued(scene, 3)
    certificates = stored(decision)
    db.session.commit()
    nominator = client_for(app, scene.nominator)

    files = [storage.read_bytes(c.pdf_key or "") for c in certificates]
    first = [nominator.get(f"/certificates/{c.id}.pdf") for c in certificates]
    second = [nominator.get(f"/certificates/{c.id}.pdf") for c in certificates]
    db.session.expire_all()

    assert [
        (
            len(page_sizes(data)),
            c.line.recipient in one_line(pdftotext(data)),
            hashlib.sha256(data).hexdigest() == c.pdf_sha256,
            a.status_code,
            b.status_code,
            a.data == data,
            b.data == data,
            a.headers["Content-Disposition"],
        )
        for c, data, a, b in zip(certificates, files, first, second, strict=True)
    ] == [
        (
            1,
            True,
            True,
            200,
            200,
            True,
            True,
            f"attachment; filename={c.public_serial}.pdf",
        )
        for c in certificates
    ]


def test_single_pdfs_keep_every_page(scene: Scene) -> None:
    certificates = certificates_of(issued(scene, 3))
    batch = render_batch(certificates)

    singles = render_singles(certificates)

    assert [one_line(pdftotext(s)) for s in singles] == [one_line(p) for p in page_texts(batch)]
    assert [list(fonts(s).values()) for s in singles] == [[True] * len(fonts(s)) for s in singles]


# --- the decision ---------------------------------------------------------------------------------


def test_the_decision_is_a4_portrait_with_bases_articles_and_annex(
    scene: Scene, locale: str
) -> None:
    names = ["Ấp Tân Thạnh", "Ấp An Hòa", "Ấp Bình Đông"]
    decision = issued(scene, 3, names=names)

    with force_locale(locale):
        pdf = render_decision(decision)

    text = one_line(pdftotext(pdf))
    expected = [
        "ỦY BAN NHÂN DÂN",
        NATIONAL,
        MOTTO,
        "Số: 01/QĐ-UBND",
        PLACE_DATE,
        "QUYẾT ĐỊNH",
        "Về việc tặng Tập thể tiêu biểu",
        # Each law with its number, as the first (72/2025/QH15) is cited.
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;",
        "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;",
        "QUYẾT ĐỊNH:",
        "Điều 1. Tặng Tập thể tiêu biểu cho 3 tập thể",
        "Nơi nhận:",
        "DANH SÁCH",
        "(Kèm theo Quyết định số 01/QĐ-UBND ngày 04 tháng 3 năm 2026 của Chủ tịch Ủy ban nhân "
        "dân huyện Chợ Lách)",
        *sorted(names),
    ]
    assert (
        close_to(page_sizes(pdf), A4_PORTRAIT),
        [name for name, has_file in fonts(pdf).items() if not has_file],
        [s for s in expected if s not in text],
        "DỰ THẢO" in text,
    ) == (True, [], [], False)


SIGNATURE_FILLER = "Thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành. "
IN_FORCE = "Quyết định này có hiệu lực kể từ ngày ký./."


@pytest.mark.parametrize("articles", [3, 5, 7, 9])
def test_the_signature_is_never_alone_on_its_page(scene: Scene, articles: int) -> None:
    # Whatever the length, the last lines of the last article go over with the signature block,
    # which is never split.
    decision = issued(scene, 1, names=["Ấp Tân Thạnh"])
    filler = SIGNATURE_FILLER * 6
    decision.articles = (
        "\n".join(f"Điều {n}. {filler}" for n in range(1, articles + 1)) + " " + IN_FORCE
    )

    pages = [one_line(page) for page in page_texts(render_decision(decision))]

    signed = next(page for page in pages if "Nơi nhận:" in page)
    before_signature = signed.split("Nơi nhận:", 1)[0]
    assert (
        IN_FORCE in before_signature,
        # Lines of the article before its last words: more than the page number.
        len(before_signature.split(IN_FORCE, 1)[0].split()) > 3,
        "CHỦ TỊCH" in signed.split("Nơi nhận:", 1)[1],
    ) == (True, True, True)


def test_the_articles_flow_and_only_their_last_lines_go_over_with_the_signature(
    scene: Scene,
) -> None:
    # A long last article begins under the one before it; it is not carried over whole to keep
    # the signature company, leaving the foot of the page blank.
    decision = issued(scene, 1, names=["Ấp Tân Thạnh"])
    decision.articles = "\n".join(
        [
            "Điều 1. Tặng Tập thể tiêu biểu cho 1 tập thể.",
            "Điều 2. Tiền thưởng được chi theo quy định.",
            "Điều 3. " + SIGNATURE_FILLER * 20 + IN_FORCE,
        ]
    )

    pages = [one_line(page) for page in page_texts(render_decision(decision))]

    signed = next(i for i, page in enumerate(pages) if "Nơi nhận:" in page)
    assert (signed, "Điều 3." in pages[0], IN_FORCE in pages[signed]) == (1, True, True)


def annex_pages(pdf: bytes) -> list[str]:
    pages = [one_line(page) for page in page_texts(pdf)]
    start = next(i for i, page in enumerate(pages) if "DANH SÁCH" in page)
    return pages[start:]


def test_a_long_annex_spans_pages_and_repeats_its_header(scene: Scene) -> None:
    names = [f"Ấp Số {i:03d}" for i in range(1, 61)]
    decision = issued(scene, 60, names=names)

    annex = annex_pages(render_decision(decision))

    joined = " ".join(annex)
    assert (
        len(annex) >= 2,
        [all(header in page for header in ANNEX_HEADER) for page in annex],
        [joined.count(name) for name in names],
        [joined.index(name) for name in names] == sorted(joined.index(name) for name in names),
    ) == (True, [True] * len(annex), [1] * 60, True)


@pytest.mark.parametrize("state", ["draft", "posted"])
def test_a_draft_is_marked_as_such_on_every_page(scene: Scene, state: str) -> None:
    decision = drafted(scene, [passed(scene, award=posting_award(scene))])
    if state == "posted":
        services.start_posting(decision, actor=scene.secretariat, today=date(2026, 3, 2))

    pages = [one_line(page) for page in page_texts(render_decision(decision), raw=True)]

    assert (
        len(pages),
        ["DỰ THẢO" in page for page in pages],
        "Số: /QĐ-UBND" in pages[0],
        "Chợ Lách, ngày tháng năm" in pages[0],
    ) == (2, [True, True], True, True)


def test_an_annulled_decision_is_marked_as_annulled(scene: Scene) -> None:
    decision = issued(scene, 1)
    services.annul_decision(decision, actor=scene.chair, reason="Sai sót")

    text = one_line(pdftotext(render_decision(decision), raw=True))

    assert ("ĐÃ HỦY BỎ" in text, "DỰ THẢO" in text) == (True, False)


def test_the_decision_pdf_route_serves_the_rendered_decision(app: Flask, scene: Scene) -> None:
    decision: Decision = issued(scene, 1)
    db.session.commit()

    response = client_for(app, scene.secretariat).get(f"/decisions/{decision.id}/decision.pdf")

    assert (
        response.status_code,
        response.mimetype,
        "Số: 01/QĐ-UBND" in one_line(pdftotext(response.data)),
        len(PdfReader(io.BytesIO(response.data)).pages),
    ) == (200, "application/pdf", True, 2)


def test_the_print_route_renders_the_chosen_certificates(app: Flask, scene: Scene) -> None:
    decision = issued(scene, 3)
    db.session.commit()
    chosen: list[Certificate] = certificates_of(decision)[1:]
    secretariat = client_for(app, scene.secretariat)

    everything = secretariat.get(f"/decisions/{decision.id}/certificates.pdf")
    some = secretariat.get(
        f"/decisions/{decision.id}/certificates.pdf",
        query_string=[("line", c.line_id) for c in chosen],
    )

    assert (
        everything.status_code,
        len(page_texts(everything.data)),
        [
            (
                f"Số sổ vàng: {c.line.position}" in one_line(p),
                f"Mã tra cứu: {c.public_serial}" in one_line(p),
            )
            for c, p in zip(chosen, page_texts(some.data), strict=True)
        ],
    ) == (200, 3, [(True, True), (True, True)])


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        (
            "Đã có thành tích xuất sắc trong phong trào năm 2026",
            "Đã có thành tích xuất sắc trong phong trào năm\u00a02026",
        ),
        ("Một", "Một"),
        ("Đã có thành tích trong phongtràothiđuadàihơnmườihai", None),
    ],
)
def test_a_certificate_s_sentence_never_ends_on_a_line_of_one_word(
    text: str, bound: str | None
) -> None:
    from recognition.certificates.rendering import no_widow

    assert no_widow(text) == (bound or text)
