"""Printing on pre-printed blanks (phôi): the default layout, refused numbers, the text-only
certificates (same data as the full ones, each text where the full certificate puts it, moved by
the printer calibration), A3, the calibration page, the scanned blank, access, the preview."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import pytest
import segno
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import func, select

from recognition.blanks import services as blanks
from recognition.blanks.documents import render_blank_batch, render_calibration
from recognition.blanks.models import BlankLayout
from recognition.blanks.services import FIELDS, FieldBox, LayoutChanges, default_boxes
from recognition.certificates.models import Certificate
from recognition.certificates.rendering import render_batch
from recognition.common import storage
from recognition.decisions import services
from recognition.errors import DomainError, NotAllowed
from recognition.extensions import db
from recognition.units.settings import settings_for, stored_settings
from tests.conftest import Client
from tests.decisions.helpers import (
    ISSUE_DAY,
    certificates_of,
    client_for,
    drafted,
    in_english,
    issued,
    one_line,
    page_sizes,
    page_texts,
    passed_person,
    pdftotext,
    person_award,
)
from tests.support.object_store import isolate_store, stored_keys
from tests.workflow.helpers import PDF, Scene

pytestmark = pytest.mark.integration

MM = 72 / 25.4  # PDF points per millimetre
A4_LANDSCAPE = (842, 595)
A3_LANDSCAPE = (1191, 842)
SIGNER = "Trần Văn Minh"


def png(text: str = "blank", scale: int = 4) -> bytes:
    out = io.BytesIO()
    segno.make(text).save(out, kind="png", scale=scale)
    return out.getvalue()


def with_emblem(scene: Scene) -> None:
    """The body prints its emblem and signer's name on full certificates, as blanks have them."""
    settings = stored_settings(scene.body)
    settings.signer_name = SIGNER
    settings.emblem_key = storage.store_bytes(png("emblem", 10), "image/png").storage_key


def person_certificate(scene: Scene, name: str = "Nguyễn Thị Bích Vân") -> Certificate:
    """An issued certificate of a person, with a position and unit under the name."""
    decision = drafted(scene, [passed_person(scene, person_award(scene), name=name)])
    services.issue_decision(decision, actor=scene.chair, today=ISSUE_DAY)
    return certificates_of(decision)[0]


def saved(scene: Scene, paper: str = "A4", **changes: Any) -> BlankLayout:
    """Save the body's layout for `paper`: the defaults with `changes` (LayoutChanges fields,
    or `boxes={name: {attribute: value}}`)."""
    boxes = default_boxes(paper)
    for name, values in changes.pop("boxes", {}).items():
        boxes[name] = replace(boxes[name], **values)
    data = {"offset_x": 0.0, "offset_y": 0.0, **changes}
    blanks.save_layout(
        scene.body, paper, LayoutChanges(boxes=boxes, **data), actor=scene.secretariat
    )
    return blanks.layout_for(scene.body, paper)


Word = tuple[str, float, float]  # text, left and top in millimetres


def words(pdf: bytes) -> list[Word]:
    """Every word poppler finds, with its box's top-left corner in millimetres."""
    command = ["pdftotext", "-enc", "UTF-8", "-bbox", "-", "-"]
    result = subprocess.run(  # noqa: S603 - a fixed command, the PDF on stdin
        command,
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>',
        result.stdout.decode("utf-8"),
    )
    return [(text, float(x) / MM, float(y) / MM) for x, y, text in found]


def link_rects(pdf: bytes) -> list[tuple[float, float, float, float]]:
    """The distinct link annotations' rectangles on the first page (the QR code): left, bottom,
    right, top in millimetres from the bottom-left corner, as PDF counts."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    rects = set()
    for annotation in page.get("/Annots") or []:
        x1, y1, x2, y2 = (round(float(v) / MM, 2) for v in annotation.get_object()["/Rect"])
        rects.add((min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)))
    return sorted(rects)


def form_data(paper: str = "A4", **overrides: Any) -> dict[str, Any]:
    """The layout form filled with the defaults, then `overrides` (form field names)."""
    data: dict[str, Any] = {"offset_x": "0", "offset_y": "0"}
    for name, box in default_boxes(paper).items():
        data.update({f"{name}_x": box.x, f"{name}_y": box.y, f"{name}_width": box.width})
        if name != "qr":
            data.update({f"{name}_size": box.size, f"{name}_align": box.align})
        data[f"{name}_shown"] = "y"
    return {**data, **overrides}


def layout_count() -> int:
    return db.session.scalar(select(func.count(BlankLayout.id))) or 0


# --- the layout and its checks --------------------------------------------------------------


def test_the_default_layout_follows_the_full_certificate_on_a4_and_a3(scene: Scene) -> None:
    a4, a3 = default_boxes("A4"), default_boxes("A3")
    unsaved = blanks.layout_for(scene.body, "A4")

    assert (tuple(a4), a4["recipient"], a4["signer_name"], a4["qr"]) == (
        FIELDS,
        FieldBox(33.5, 98.96, 230.0, 27.0, "center", True),
        FieldBox(153.5, 182.64, 110.0, 15.0, "center", True),
        FieldBox(33.5, 167.55, 20.0, 12.5, "left", True),
    )
    # A3: the same sizes, centred on the wider sheet, the footer on its bottom and right edges.
    assert (a3["recipient"], a3["signer_name"], a3["qr"]) == (
        FieldBox(95.0, 98.96, 230.0, 27.0, "center", True),
        FieldBox(276.5, 269.64, 110.0, 15.0, "center", True),
        FieldBox(33.5, 254.55, 20.0, 12.5, "left", True),
    )
    assert (unsaved.id, blanks.boxes_of(unsaved), unsaved.offset_x_mm, layout_count()) == (
        None,
        a4,
        0.0,
        0,
    )


def test_a_saved_layout_is_read_back(scene: Scene) -> None:
    layout = saved(
        scene, boxes={"title": {"shown": False, "size": 40.0}}, offset_x=1.5, offset_y=-2.25
    )

    boxes = blanks.boxes_of(layout)
    assert (
        boxes["title"],
        boxes["office"],
        layout.offset_x_mm,
        layout.offset_y_mm,
        layout.updated_by_id,
    ) == (
        replace(default_boxes("A4")["title"], shown=False, size=40.0),
        default_boxes("A4")["office"],
        1.5,
        -2.25,
        scene.secretariat.id,
    )


@pytest.mark.parametrize(
    ("field", "values", "message"),
    [
        ("office_x", {"office": {"x": -1.0}}, "Awarding office: x must be between 0 and 297 mm."),
        ("recipient_y", {"recipient": {"y": 210.0}}, "Recipient: y must be between 0 and 210 mm."),
        (
            "achievement_width",
            {"achievement": {"x": 100.0, "width": 215.0}},
            "Achievement: the box runs off the sheet; x + width must be at most 297 mm.",
        ),
        (
            "title_size",
            {"title": {"size": 80.0}},
            "Title (GIẤY KHEN): the font size must be between 6 and 72 pt.",
        ),
        ("detail_size", {"detail": {"size": 5.5}}, "the font size must be between 6 and 72 pt."),
        ("give_x", {"give": {"x": float("nan")}}, "“TẶNG”: enter a number."),
        ("qr_width", {"qr": {"width": 10.0}}, "must be at least 15 mm wide"),
        ("qr_width", {"qr": {"y": 200.0}}, "and lie on the sheet"),
        ("signer_name_align", {"signer_name": {"align": "justify"}}, "choose an alignment"),
    ],
)
def test_bad_numbers_are_refused_on_their_input_and_nothing_is_saved(
    scene: Scene, field: str, values: dict[str, dict[str, Any]], message: str
) -> None:
    with pytest.raises(DomainError) as refused:
        saved(scene, boxes=values)

    assert (refused.value.field, message in refused.value.message, layout_count()) == (
        field,
        True,
        0,
    )


@pytest.mark.parametrize("offset", [20.5, -21.0, float("inf")])
def test_a_calibration_beyond_two_centimetres_is_refused(scene: Scene, offset: float) -> None:
    with pytest.raises(DomainError) as refused:
        saved(scene, offset_y=offset)

    assert (refused.value.field, refused.value.message, layout_count()) == (
        "offset_y",
        "The printer calibration must be between −20 and 20 mm.",
        0,
    )


def test_only_the_secretariat_or_an_administrator_sets_up_blanks(scene: Scene) -> None:
    boxes = default_boxes("A4")
    for user in (scene.nominator, scene.chair, scene.other_secretariat):
        with pytest.raises(NotAllowed):
            blanks.save_layout(scene.body, "A4", LayoutChanges(boxes, 0.0, 0.0), actor=user)
    blanks.save_layout(scene.body, "A4", LayoutChanges(boxes, 0.0, 0.0), actor=scene.admin)

    assert layout_count() == 1


# --- the text-only certificates ---------------------------------------------------------------


def test_the_blank_certificate_carries_the_full_certificates_data(scene: Scene) -> None:
    certificate = person_certificate(scene)
    layout = blanks.layout_for(scene.body, "A4")

    full, blank = render_batch([certificate]), render_blank_batch([certificate], layout=layout)

    def lines(pdf: bytes) -> list[str]:
        text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        return [line.strip() for line in text.splitlines() if line.strip()]

    recipient_and_serial = [
        "Nguyễn Thị Bích Vân",
        f"Số sổ vàng: {certificate.line.position}",
        f"Mã tra cứu: {certificate.public_serial}",
        "Quyết định số 01/QĐ-UBND ngày 04/03/2026",
    ]
    assert [s for s in recipient_and_serial if s not in lines(full)] == []
    assert [s for s in recipient_and_serial if s not in lines(blank)] == []
    # The QR code links to the same verification address, code included.
    uris = [
        [a.get_object()["/A"]["/URI"] for a in PdfReader(io.BytesIO(pdf)).pages[0]["/Annots"]]
        for pdf in (full, blank)
    ]
    assert (set(uris[0]) == set(uris[1]), len(set(uris[0]))) == (True, 1)
    # Only the certificate's own text: the blank has the national title and border printed.
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in one_line(pdftotext(blank))


def test_each_text_sits_where_the_full_certificate_puts_it(scene: Scene) -> None:
    with_emblem(scene)
    certificate = person_certificate(scene)

    full_pdf = render_batch([certificate])
    blank_pdf = render_blank_batch([certificate], layout=blanks.layout_for(scene.body, "A4"))
    full, blank = words(full_pdf), words(blank_pdf)

    def near(word: Word) -> bool:
        return any(
            text == word[0] and abs(x - word[1]) < 0.3 and abs(y - word[2]) < 0.3
            for text, x, y in full
        )

    assert len(blank) > 40
    assert [word for word in blank if not near(word)] == []
    # The QR code's link covers the code itself: the same 20 mm square on both.
    (qr,) = link_rects(blank_pdf)
    assert (qr, qr in link_rects(full_pdf)) == ((33.5, 22.45, 53.5, 42.45), True)


def test_the_printer_calibration_moves_every_field(scene: Scene) -> None:
    certificate = person_certificate(scene)
    before_pdf = render_blank_batch([certificate], layout=saved(scene))
    after_pdf = render_blank_batch([certificate], layout=saved(scene, offset_x=4.5, offset_y=-3))

    before, after = words(before_pdf), words(after_pdf)
    moves = {
        (round(x2 - x1, 2), round(y2 - y1, 2))
        for (_, x1, y1), (_, x2, y2) in zip(before, after, strict=True)
    }
    assert [w[0] for w in after] == [w[0] for w in before]
    assert moves == {(4.5, -3.0)}
    (qr_before,), (qr_after,) = link_rects(before_pdf), link_rects(after_pdf)
    # PDF counts y upwards: 3 mm up on the sheet is +3.
    assert [round(b - a, 2) for a, b in zip(qr_before, qr_after, strict=True)] == [4.5, 3.0] * 2


def test_a_field_moves_to_its_new_position(scene: Scene) -> None:
    certificate = person_certificate(scene, name="Lê Văn Tám")
    box = {"x": 20.0, "y": 30.0, "width": 100.0}
    centred_pdf = render_blank_batch([certificate], layout=saved(scene, boxes={"recipient": box}))
    left_pdf = render_blank_batch(
        [certificate], layout=saved(scene, boxes={"recipient": {**box, "align": "left"}})
    )

    centred = [w for w in words(centred_pdf) if w[0] == "Lê"]
    left = [w for w in words(left_pdf) if w[0] == "Lê"]

    assert (round(left[0][1], 2), round(left[0][2], 2)) == (20.0, 30.0)
    assert 40 < centred[0][1] < 60
    assert round(centred[0][2], 2) == 30.0


def test_a_field_left_unprinted_is_absent(scene: Scene) -> None:
    certificate = person_certificate(scene)
    layout = saved(scene, boxes={"title": {"shown": False}, "give": {"shown": False}})

    text = one_line(pdftotext(render_blank_batch([certificate], layout=layout)))

    assert ("GIẤY KHEN" in text, "TẶNG" in text, "Nguyễn Thị Bích Vân" in text) == (
        False,
        False,
        True,
    )


def test_a3_blanks_use_the_a3_layout(scene: Scene) -> None:
    stored_settings(scene.body).paper = "A3"
    certificate = person_certificate(scene)
    saved(
        scene, "A3", boxes={"recipient": {"x": 60.0, "y": 120.0, "width": 300.0, "align": "left"}}
    )

    pdf = render_blank_batch(
        [certificate], layout=blanks.layout_for(scene.body, settings_for(scene.body).paper)
    )

    (first,) = [w for w in words(pdf) if w[0] == "Nguyễn"]
    sizes = page_sizes(pdf)
    assert [(round(w), round(h)) for w, h in sizes] == [A3_LANDSCAPE]
    assert (round(first[1], 2), round(first[2], 2)) == (60.0, 120.0)


def test_a_batch_has_a_page_per_certificate_in_order(scene: Scene) -> None:
    decision = issued(scene, 3, names=["Ấp Tân Thạnh", "Ấp An Hòa", "Ấp Bình Đông"])
    certificates = certificates_of(decision)

    pdf = render_blank_batch(certificates, layout=blanks.layout_for(scene.body, "A4"))

    pages = page_texts(pdf)
    assert [(round(w), round(h)) for w, h in page_sizes(pdf)] == [A4_LANDSCAPE] * 3
    assert [
        (c.line.recipient in page, c.public_serial in page)
        for c, page in zip(certificates, pages, strict=True)
    ] == [(True, True)] * 3


# --- the calibration page ----------------------------------------------------------------------


def test_the_calibration_page_has_labelled_crosses_and_the_field_boxes(scene: Scene) -> None:
    layout = saved(scene, offset_x=2.5, offset_y=-1)

    pdf = render_calibration(layout, body_name=scene.body.name)
    text = one_line(pdftotext(pdf, raw=True))
    plain = render_calibration(saved(scene), body_name=scene.body.name)

    assert [(round(w), round(h)) for w, h in page_sizes(pdf)] == [A4_LANDSCAPE]
    expected = ["100 / 100", "250 / 150", "280", "200", "Recipient", "QR verification code"]
    assert [s for s in expected if s not in text] == []
    assert "dx = 2.5 mm, dy = -1 mm" in text
    # The grid moves with the calibration: the cross label 100 / 100 is 2.5 mm right, 1 mm up.
    marks = [
        [
            (x, y)
            for (a, x, y), (b, _, _), (c, _, _) in zip(ws, ws[1:], ws[2:], strict=False)
            if (a, b, c) == ("100", "/", "100")
        ]
        for ws in (words(plain), words(pdf))
    ]
    # The cross's label and the one in the note.
    assert [
        (round(b[0] - a[0], 2), round(b[1] - a[1], 2)) for a, b in zip(*marks, strict=True)
    ] == [(2.5, -1.0)] * 2


def test_the_calibration_page_on_a3(scene: Scene) -> None:
    pdf = render_calibration(blanks.layout_for(scene.body, "A3"), body_name=scene.body.name)

    assert [(round(w), round(h)) for w, h in page_sizes(pdf)] == [A3_LANDSCAPE]
    assert "400 / 250" in one_line(pdftotext(pdf))


# --- pages ----------------------------------------------------------------------------------


@pytest.fixture
def secretariat(app: Flask, scene: Scene) -> Client:
    return in_english(client_for(app, scene.secretariat))


def test_the_layout_page_previews_the_positions_as_svg(scene: Scene, secretariat: Client) -> None:
    url = f"/decisions/blanks/{scene.body.id}"

    before = secretariat.get(url).get_data(as_text=True)
    response = secretariat.post_form(
        url, form_data(recipient_x="40", recipient_y="101,5", offset_x="3"), follow_redirects=True
    )
    after = response.get_data(as_text=True)

    def rect(page: str, name: str) -> tuple[str, str]:
        match = re.search(rf'<rect data-field="{name}" x="([\d.]+)" y="([\d.]+)"', page)
        assert match, name
        return match.group(1), match.group(2)

    assert (rect(before, "recipient"), rect(before, "office")) == (
        ("33.50", "98.96"),
        ("33.50", "60.25"),
    )
    # The preview shows the positions on the blank: the printer's offset is not added.
    assert (rect(after, "recipient"), rect(after, "office")) == (
        ("40.00", "101.50"),
        ("33.50", "60.25"),
    )
    assert "Tổ công nghệ số cộng đồng ấp Sơn Lân" in after
    assert 'viewBox="0 0 297 210"' in after
    assert "The layout of the A4 blanks has been saved." in after
    assert ' style="' not in after


def test_the_a3_tab_previews_and_saves_the_a3_layout(scene: Scene, secretariat: Client) -> None:
    url = f"/decisions/blanks/{scene.body.id}?paper=A3"

    page = secretariat.get(url).get_data(as_text=True)
    secretariat.post_form(url, form_data("A3", signer_name_y="250"))

    assert ('viewBox="0 0 420 297"' in page, '<rect data-field="recipient" x="95.00"' in page) == (
        True,
        True,
    )
    assert (
        blanks.boxes_of(blanks.layout_for(scene.body, "A3"))["signer_name"].y,
        blanks.layout_for(scene.body, "A4").id,
    ) == (250.0, None)


def test_a_refused_number_is_shown_on_the_page_and_nothing_is_saved(
    scene: Scene, secretariat: Client
) -> None:
    response = secretariat.post_form(
        f"/decisions/blanks/{scene.body.id}", form_data(title_size="80", offset_x="1")
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Title (GIẤY KHEN): the font size must be between 6 and 72 pt." in page
    assert layout_count() == 0


def test_a_value_that_is_not_a_number_is_refused_by_the_form(
    scene: Scene, secretariat: Client
) -> None:
    response = secretariat.post_form(f"/decisions/blanks/{scene.body.id}", form_data(give_y="abc"))

    assert (
        response.status_code,
        "Not a valid float value." in response.get_data(as_text=True),
    ) == (
        200,
        True,
    )
    assert layout_count() == 0


def test_the_scanned_blank_is_uploaded_and_served(
    scene: Scene, secretariat: Client, tmp_path: Path
) -> None:
    url = f"/decisions/blanks/{scene.body.id}"
    first, second = png("first scan"), png("second scan")

    secretariat.post_form(url, {**form_data(), "scan": (io.BytesIO(first), "Phôi giấy khen.png")})
    first_key = blanks.layout_for(scene.body, "A4").scan_key
    secretariat.post_form(url, {**form_data(), "scan": (io.BytesIO(second), "phôi 2.png")})
    layout = blanks.layout_for(scene.body, "A4")
    served = secretariat.get(f"{url}/scan")
    page = secretariat.get(url).get_data(as_text=True)

    assert (served.status_code, served.mimetype, served.data) == (200, "image/png", second)
    assert (layout.scan_name, first_key is not None, layout.scan_key != first_key) == (
        "phôi 2.png",
        True,
        True,
    )
    # The replaced scan is discarded once the new one is committed.
    assert storage.exists(first_key or "") is False
    assert f'<image href="/decisions/blanks/{scene.body.id}/scan?paper=A4' in page


def test_a_pdf_renamed_png_is_refused_as_the_scan(
    app: Flask, scene: Scene, secretariat: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate_store(app, tmp_path, monkeypatch)
    response = secretariat.post_form(
        f"/decisions/blanks/{scene.body.id}",
        {**form_data(), "scan": (io.BytesIO(PDF), "phoi.png")},
    )

    assert response.status_code == 200
    assert "The file phoi.png is not a PNG or JPEG image." in response.get_data(as_text=True)
    assert (layout_count(), stored_keys()) == (0, [])


def test_the_scan_can_be_removed(scene: Scene, secretariat: Client) -> None:
    url = f"/decisions/blanks/{scene.body.id}"
    secretariat.post_form(url, {**form_data(), "scan": (io.BytesIO(png()), "blank.png")})
    key = blanks.layout_for(scene.body, "A4").scan_key

    secretariat.post_form(url, {**form_data(), "remove_scan": "y"})

    assert (blanks.layout_for(scene.body, "A4").scan_key, storage.exists(key or "")) == (
        None,
        False,
    )
    assert secretariat.get(f"{url}/scan").status_code == 404


def test_the_pdfs_are_served(scene: Scene, secretariat: Client) -> None:
    decision = issued(scene, 1, names=["Ấp Phú Hữu Mới"])
    certificate = certificates_of(decision)[0]
    base = f"/decisions/blanks/{scene.body.id}"

    detail = secretariat.get(f"/decisions/{decision.id}").get_data(as_text=True)
    blank = secretariat.get(f"/decisions/{decision.id}/certificates-blank.pdf")
    calibration = secretariat.get(f"{base}/calibration.pdf?paper=A3")
    test_print = secretariat.get(f"{base}/test.pdf")

    assert f'href="/decisions/{decision.id}/certificates-blank.pdf"' in detail
    assert "Print on blanks (PDF)" in detail
    assert [r.mimetype for r in (blank, calibration, test_print)] == ["application/pdf"] * 3
    assert certificate.public_serial in one_line(pdftotext(blank.data))
    assert [(round(w), round(h)) for w, h in page_sizes(calibration.data)] == [A3_LANDSCAPE]
    assert "Tổ công nghệ số cộng đồng ấp Sơn Lân" in one_line(pdftotext(test_print.data))
    # The test print's number and QR code are no certificate's (it named the year's first).
    assert certificate.public_serial.endswith("-00001")
    assert certificate.public_serial not in one_line(pdftotext(test_print.data))
    assert certificate.public_serial[:-5] + "00000" in one_line(pdftotext(test_print.data))
    # Marked across the sheet: a test print is never taken for a certificate; real ones are not.
    assert "IN THỬ — KHÔNG CÓ GIÁ TRỊ" in one_line(pdftotext(test_print.data))
    assert "IN THỬ" not in one_line(pdftotext(blank.data))


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("nominator", 403),
        ("other_nominator", 403),
        ("council_member", 403),
        ("chair", 403),
        ("other_secretariat", 403),
        ("secretariat", 200),
        ("admin", 200),
    ],
)
def test_who_may_set_up_the_blanks(app: Flask, scene: Scene, role: str, expected: int) -> None:
    client = client_for(app, getattr(scene, role))
    base = f"/decisions/blanks/{scene.body.id}"

    codes = [
        client.get(base).status_code,
        client.get(f"{base}/calibration.pdf").status_code,
        client.get(f"{base}/test.pdf").status_code,
        client.post_form(base, form_data()).status_code,
    ]

    assert codes == [expected, expected, expected, 302 if expected == 200 else 403]


def test_a_nominator_cannot_print_a_decision_on_blanks(app: Flask, scene: Scene) -> None:
    decision = issued(scene, 1)

    codes = [
        client_for(app, getattr(scene, role))
        .get(f"/decisions/{decision.id}/certificates-blank.pdf")
        .status_code
        for role in ("nominator", "chair", "secretariat")
    ]

    assert codes == [403, 200, 200]


def test_blanks_of_an_unknown_body_or_a_draft_decision_are_404(
    scene: Scene, secretariat: Client
) -> None:
    draft = drafted(scene, [passed_person(scene, person_award(scene), name="Võ Thị Sáu")])

    assert [
        secretariat.get("/decisions/blanks/999999").status_code,
        secretariat.get(f"/decisions/{draft.id}/certificates-blank.pdf").status_code,
        secretariat.get(f"/decisions/blanks/{scene.body.id}/scan").status_code,
    ] == [404, 404, 404]


def test_the_layout_is_stored_as_plain_json(scene: Scene) -> None:
    layout = saved(scene, boxes={"office": {"x": 30.123}})
    db.session.expire_all()

    stored = db.session.get(BlankLayout, layout.id)
    assert stored is not None
    assert stored.fields["office"] == {**asdict(default_boxes("A4")["office"]), "x": 30.12}


def test_the_preview_text_keeps_a_space_where_a_line_breaks(
    scene: Scene, secretariat: Client
) -> None:
    page = secretariat.get(f"/decisions/blanks/{scene.body.id}").get_data(as_text=True)

    achievement = re.search(
        r"<text [^>]*>((?:(?!</text>).)*giai đoạn(?:(?!</text>).)*)</text>", page
    )
    assert achievement, "the sample achievement is previewed"
    words = re.sub(r"<[^>]+>", "", achievement.group(1))
    # Read as text (copied, or by a screen reader), the lines are words apart: "giai đoạn 2024".
    assert "giai đoạn 2024" in words
    assert "đoạn2024" not in words
