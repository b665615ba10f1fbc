"""The layered certificate rendering (sheet once, text per certificate, QR drawn into the page)
against the one-call rendering of the whole template, and the bounds every render runs under."""

from __future__ import annotations

import io
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image, ImageChops
from pypdf import PdfReader, PdfWriter

from recognition.certificates.models import Certificate
from recognition.certificates.rendering import (
    qr_code,
    render_batch,
    render_reference,
    render_singles,
    verify_url,
)
from recognition.common import storage
from recognition.common.pdf import RenderFailed, html_to_pdf, run_bounded
from recognition.decisions import services
from recognition.units.settings import stored_settings
from tests.decisions.helpers import (
    ISSUE_DAY,
    certificates_of,
    client_for,
    drafted,
    fonts,
    page_texts,
    passed,
    passed_person,
    person_award,
)
from tests.decisions.test_blanks import Word, png, words
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration

MM = 72 / 25.4  # PDF points per millimetre


def mixed_decision(scene: Scene, *, emblem: bool) -> list[Certificate]:
    """Four certificates of one decision under two titles: three people (one with a long
    achievement that wraps) and a collective, in annex order."""
    if emblem:
        settings = stored_settings(scene.body)
        settings.emblem_key = storage.store_bytes(png("emblem", 10), "image/png").storage_key
    award = person_award(scene)
    nominations = [
        passed_person(scene, award, name="Nguyễn Thị Bích Vân"),
        passed_person(scene, award, name="Trần Văn Ánh", position="Tổ trưởng Tổ công nghệ số"),
        passed_person(scene, award, name="Lê Hoàng Phúc"),
        passed(scene, name="Ấp Đồng Khởi"),
    ]
    decision = drafted(scene, nominations)
    services.issue_decision(decision, actor=scene.chair, today=ISSUE_DAY)
    return certificates_of(decision)


def pages_png(pdf: bytes, dpi: int) -> list[Image.Image]:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(  # noqa: S603 - a fixed command on our own file
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), f"{folder}/page"],  # noqa: S607
            check=True,
            timeout=120,
        )
        images = []
        for path in sorted(Path(folder).glob("page-*.png")):
            with Image.open(path) as image:
                images.append(image.convert("L"))
        return images


def qr_box_mm(pdf: bytes, index: int) -> tuple[float, float, float, float]:
    """The QR code's link rectangle on page `index`: left, top, right, bottom in mm from the
    top-left corner (the slot the code is drawn into)."""
    page = PdfReader(io.BytesIO(pdf)).pages[index]
    height = float(page.mediabox.height)
    x1, y1, x2, y2 = (float(v) for v in page["/Annots"][0].get_object()["/Rect"])
    return (
        min(x1, x2) / MM,
        (height - max(y1, y2)) / MM,
        max(x1, x2) / MM,
        (height - min(y1, y2)) / MM,
    )


@pytest.mark.parametrize("emblem", [False, True], ids=["plain", "emblem"])
def test_every_word_sits_where_the_whole_template_puts_it(scene: Scene, emblem: bool) -> None:
    certificates = mixed_decision(scene, emblem=emblem)
    layered, reference = render_batch(certificates), render_reference(certificates)

    assert len(PdfReader(io.BytesIO(layered)).pages) == len(certificates) == 4
    assert page_texts(layered) == page_texts(reference)
    for page in range(4):
        ours, theirs = page_words(layered, page), page_words(reference, page)
        assert len(ours) == len(theirs) > 30
        moved = [
            (a, b)
            for a, b in zip(ours, theirs, strict=True)
            if a[0] != b[0] or abs(a[1] - b[1]) > 0.2 or abs(a[2] - b[2]) > 0.2
        ]
        assert moved == []


def page_words(pdf: bytes, index: int) -> list[Word]:
    reader = PdfReader(io.BytesIO(pdf))
    single = io.BytesIO()
    writer = PdfWriter()
    writer.add_page(reader.pages[index])
    writer.write(single)
    return sorted(words(single.getvalue()), key=lambda word: (round(word[2]), word[1]))


def test_the_pages_look_like_the_whole_template_but_for_antialiasing(scene: Scene) -> None:
    certificates = mixed_decision(scene, emblem=True)
    layered = pages_png(render_batch(certificates), 60)
    reference = pages_png(render_reference(certificates), 60)

    for ours, theirs in zip(layered, reference, strict=True):
        assert ours.size == theirs.size
        difference = ImageChops.difference(ours, theirs)
        # Grey levels apart by more than a quarter: only edges of the QR squares (filled
        # rectangles here, an SVG image there) and subpixel shifts of a glyph or two.
        strong = sum(1 for value in difference.get_flattened_data() if value > 64)
        assert strong < 800


def test_the_drawn_qr_code_is_the_certificates_verification_address(scene: Scene) -> None:
    certificates = mixed_decision(scene, emblem=False)
    pdf = render_batch(certificates)
    dpi = 200
    for index, (certificate, image) in enumerate(
        zip(certificates, pages_png(pdf, dpi), strict=True)
    ):
        rows = qr_code(verify_url(certificate)).matrix
        left, top, right, _bottom = qr_box_mm(pdf, index)
        module = (right - left) / (len(rows) + 2)
        read = [
            [
                image.getpixel(
                    (
                        round((left + (c + 1.5) * module) * dpi / 25.4),
                        round((top + (r + 1.5) * module) * dpi / 25.4),
                    )
                )
                < 128
                for c in range(len(rows))
            ]
            for r in range(len(rows))
        ]
        assert read == [[bool(v) for v in row] for row in rows]


def test_single_pdfs_are_the_batch_pages_with_fonts_embedded(scene: Scene) -> None:
    certificates = mixed_decision(scene, emblem=True)
    singles = render_singles(certificates)

    assert [len(PdfReader(io.BytesIO(single)).pages) for single in singles] == [1, 1, 1, 1]
    assert [page_texts(single)[0] for single in singles] == page_texts(render_batch(certificates))
    assert all(all(fonts(single).values()) for single in singles)
    assert any("Nguyễn Thị Bích Vân" in page_texts(single)[0] for single in singles)


# --- the bounds -----------------------------------------------------------------------------------


@pytest.mark.no_database
def test_a_render_past_its_time_is_stopped_and_the_next_one_works(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "PDF_PROCESSES", 1)
    monkeypatch.setitem(app.config, "PDF_TIMEOUT_SECONDS", 1)
    started = time.monotonic()
    with pytest.raises(RenderFailed, match="took too long"):
        run_bounded(time.sleep, 60)
    assert time.monotonic() - started < 15

    assert run_bounded(html_to_pdf, "<p>Giấy khen</p>").startswith(b"%PDF")


@pytest.mark.no_database
def test_a_render_past_its_memory_is_stopped(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "PDF_PROCESSES", 1)
    monkeypatch.setitem(app.config, "PDF_MEMORY_MB", 400)
    with pytest.raises(RenderFailed, match="too much memory"):
        run_bounded(bytearray, 2 * 1024**3)

    assert run_bounded(html_to_pdf, "<p>Giấy khen</p>").startswith(b"%PDF")


def test_a_stopped_render_is_a_page_saying_so_not_an_error(
    app: Flask, scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    certificates = mixed_decision(scene, emblem=False)
    decision_id = certificates[0].line.decision_id
    monkeypatch.setitem(app.config, "PDF_PROCESSES", 1)
    monkeypatch.setitem(app.config, "PDF_TIMEOUT_SECONDS", 0.001)
    client = client_for(app, scene.secretariat)

    response = client.get(f"/decisions/{decision_id}/decision.pdf")

    assert response.status_code == 503
    assert "took too long" in response.get_data(as_text=True)
