"""Evidence files: accepted by content, limited in size, stored under generated names outside
static/, sent back as attachments with their Vietnamese names, behind the access checks."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import func, select
from werkzeug.http import parse_options_header

from recognition.common import storage
from recognition.database import local_today
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.nominations.attachments import add_attachment
from recognition.nominations.enums import Action
from recognition.nominations.models import Attachment, Nomination
from recognition.nominations.workflow import apply_transition
from tests.conftest import ON_POSTGRES
from tests.nominations import (
    CONTENT_TYPES,
    JPEG,
    PDF,
    World,
    build_world,
    fill_in,
    office,
    png,
    zip_bomb,
)
from tests.support.factories import NominationFactory
from tests.support.object_store import isolate_store, remove_stored, stored_keys

pytestmark = pytest.mark.integration

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_ACCEPTED = "The file {} is not a PDF, JPEG, PNG, DOCX or XLSX document."
BOMB = "The office file expands to far more than its size; it was refused."
SAVED_WITHOUT_ONE_FILE = (
    "The dossier has been saved, but 1 file was refused and not attached (see below): attach a "
    "correct file and save again."
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(autouse=True)
def _request_context(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture
def uploads(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "uploads"
    isolate_store(app, folder, monkeypatch)
    return folder


@pytest.fixture
def world(uploads: Path) -> World:
    today = local_today()
    return build_world(opens_on=today - timedelta(days=10), closes_on=today + timedelta(days=10))


@pytest.fixture
def nomination(world: World) -> Nomination:
    return NominationFactory(
        campaign=world.campaign,
        award_type=world.team_award,
        actor=world.nominator_a,
        nominee_unit=world.commune_a,
    )


def pdf_of(size: int) -> bytes:
    """A PDF of exactly `size` bytes (padded with a comment)."""
    head, tail = PDF[: -len(b"%%EOF\n")], b"\n%%EOF\n"
    return head + b"%" + b"x" * (size - len(head) - len(tail) - 1) + tail


def stored_files(_uploads: Path) -> list[str]:
    """The keys of the files in the test's store (its folder or its bucket)."""
    return stored_keys()


def attach(
    nomination: Nomination, world: World, content: bytes, name: str, **kwargs: Any
) -> Attachment:
    return add_attachment(nomination, io.BytesIO(content), name, actor=world.nominator_a, **kwargs)


def refused(nomination: Nomination, world: World, content: bytes, name: str) -> str:
    with pytest.raises(DomainError) as error:
        attach(nomination, world, content, name)
    return error.value.message


def attachment_count() -> int:
    return db.session.scalar(select(func.count(Attachment.id))) or 0


# --- accepted by content -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Tờ trình.pdf", PDF, "application/pdf"),
        ("Ảnh hiện trường.png", png(), "image/png"),
        ("Ảnh.jpg", JPEG, "image/jpeg"),
        ("ẢNH.JPEG", JPEG, "image/jpeg"),
        ("Biên bản họp.docx", office("word/document.xml"), DOCX),
        ("Bảng số liệu.xlsx", office("xl/workbook.xml"), XLSX),
    ],
)
def test_accepted_files_are_stored_under_a_generated_name(
    world: World,
    nomination: Nomination,
    uploads: Path,
    name: str,
    content: bytes,
    content_type: str,
) -> None:
    attachment = attach(nomination, world, content, name, criterion=world.text)

    assert re.fullmatch(r"[0-9a-f]{32}", attachment.storage_key)
    assert stored_files(uploads) == [attachment.storage_key]
    assert storage.read_bytes(attachment.storage_key) == content
    assert (
        attachment.original_name,
        attachment.content_type,
        attachment.size_bytes,
        attachment.sha256,
        attachment.criterion_id,
        attachment.uploaded_by_id,
    ) == (
        name,
        content_type,
        len(content),
        hashlib.sha256(content).hexdigest(),
        world.text.id,
        world.nominator_a.id,
    )


def test_two_uploads_of_the_same_file_get_two_keys(
    world: World, nomination: Nomination, uploads: Path
) -> None:
    # The same document as the dossier's and as a criterion's evidence: two rows, two files.
    first = attach(nomination, world, PDF, "a.pdf")
    second = attach(nomination, world, PDF, "a.pdf", criterion=world.yes_no)

    assert first.storage_key != second.storage_key
    assert len(stored_files(uploads)) == 2


def test_the_same_file_twice_in_one_place_is_not_added_again(
    world: World, nomination: Nomination, uploads: Path
) -> None:
    attach(nomination, world, PDF, "Biên bản.pdf", criterion=world.yes_no)

    with pytest.raises(DomainError) as again:
        attach(nomination, world, PDF, "Biên bản (1).pdf", criterion=world.yes_no)

    assert again.value.message == (
        "The file Biên bản (1).pdf is already attached here (as Biên bản.pdf); it was not "
        "added again."
    )
    assert (attachment_count(), len(stored_files(uploads))) == (1, 1)


def test_the_upload_folder_is_not_inside_static(app: Flask) -> None:
    folder = Path(app.config["UPLOAD_DIR"]).resolve()

    assert folder.is_relative_to(Path(app.static_folder or "").resolve()) is False


# --- refused by content --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("Tờ trình.pdf", HTML, NOT_ACCEPTED.format("Tờ trình.pdf")),
        (
            "Ảnh.jpg",
            PDF,
            "The file Ảnh.jpg is a PDF document but its name ends in “.jpg”. Rename it and try "
            "again.",
        ),
        (
            "Biên bản.xlsx",
            office("word/document.xml"),
            "The file Biên bản.xlsx is a DOCX document but its name ends in “.xlsx”. Rename it "
            "and try again.",
        ),
        (
            "tệp",
            PDF,
            "The file tệp is a PDF document but its name ends in “—”. Rename it and try again.",
        ),
        ("polyglot.pdf", PDF + HTML, NOT_ACCEPTED.format("polyglot.pdf")),
        (
            "polyglot2.pdf",
            PDF + b"<HTML><script>alert(1)</script>",
            NOT_ACCEPTED.format("polyglot2.pdf"),
        ),
        ("cut.pdf", PDF[:-7], NOT_ACCEPTED.format("cut.pdf")),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", NOT_ACCEPTED.format("script.pdf")),
        ("empty.pdf", b"", "The file empty.pdf is empty."),
        ("Bản ghi.docx", b"PK\x03\x04 not really a zip", NOT_ACCEPTED.format("Bản ghi.docx")),
        (
            "no-types.docx",
            office("word/document.xml").replace(b"[Content_Types].xml", b"[Content_Typez].xml"),
            NOT_ACCEPTED.format("no-types.docx"),
        ),
        ("other.docx", office("other/thing.xml"), NOT_ACCEPTED.format("other.docx")),
    ],
)
def test_refused_by_content(
    world: World, nomination: Nomination, uploads: Path, name: str, content: bytes, message: str
) -> None:
    assert refused(nomination, world, content, name) == message
    assert (stored_files(uploads), attachment_count()) == ([], 0)


def test_a_zip_bomb_is_refused_without_being_expanded(
    world: World, nomination: Nomination, uploads: Path
) -> None:
    bomb = zip_bomb(250)  # 250 MB of zeros in a few hundred kilobytes

    assert len(bomb) < 1024 * 1024
    assert refused(nomination, world, bomb, "Biên bản.docx") == BOMB
    assert (stored_files(uploads), attachment_count()) == ([], 0)


def test_a_small_file_that_expands_more_than_a_hundredfold_is_refused(
    world: World, nomination: Nomination, uploads: Path
) -> None:
    bomb = zip_bomb(5)

    assert refused(nomination, world, bomb, "Bảng.docx") == BOMB
    assert stored_files(uploads) == []


def test_an_archive_with_too_many_members_is_refused(
    world: World, nomination: Nomination, uploads: Path
) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        for n in range(storage.MAX_MEMBERS):
            archive.writestr(f"word/m{n}.xml", b"<a/>")

    assert refused(nomination, world, out.getvalue(), "nhiều.docx") == NOT_ACCEPTED.format(
        "nhiều.docx"
    )


# --- sizes ---------------------------------------------------------------------------------


def test_a_file_over_the_per_file_limit_is_refused(
    app: Flask, world: World, nomination: Nomination, uploads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MAX_FILE_MB", 1)

    exactly = attach(nomination, world, pdf_of(1024 * 1024), "vừa.pdf")
    message = refused(nomination, world, pdf_of(1024 * 1024 + 1), "Báo cáo lớn.pdf")

    assert exactly.size_bytes == 1024 * 1024
    assert message == "The file Báo cáo lớn.pdf is larger than 1 MB."
    assert attachment_count() == 1


def test_the_dossier_has_a_total_limit(
    app: Flask, world: World, nomination: Nomination, uploads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MAX_DOSSIER_MB", 1)
    attach(nomination, world, pdf_of(600 * 1024), "một.pdf")

    message = refused(nomination, world, pdf_of(600 * 1024), "hai.pdf")

    assert message == (
        "The dossier's files would exceed 1 MB in all. Remove a file or make the files smaller."
    )
    assert (attachment_count(), len(stored_files(uploads))) == (1, 1)


def test_a_removed_file_no_longer_counts_towards_the_total(
    app: Flask,
    world: World,
    nomination: Nomination,
    uploads: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from recognition.nominations.attachments import remove_attachment

    monkeypatch.setitem(app.config, "MAX_DOSSIER_MB", 1)
    first = attach(nomination, world, pdf_of(600 * 1024), "một.pdf")
    remove_attachment(first, actor=world.nominator_a)

    second = attach(nomination, world, pdf_of(600 * 1024), "hai.pdf")

    assert second.size_bytes == 600 * 1024


def test_a_request_over_max_content_length_gets_the_413_page(
    app: Flask,
    world: World,
    nomination: Nomination,
    uploads: Path,
    login,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 64 * 1024)
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/{nomination.id}/edit",
        {
            "summary": "Tóm tắt",
            "general_files": (io.BytesIO(pdf_of(100 * 1024)), "lớn.pdf"),
        },
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "The upload is too large" in page
    assert "Nothing of this form was saved. Go back with your browser" in page
    assert (stored_files(uploads), attachment_count()) == ([], 0)


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.pdf", ".._.._etc_passwd.pdf"),
        ("..\\..\\boot.ini.pdf", ".._.._boot.ini.pdf"),
        ("Tờ trình đề nghị.pdf", "Tờ trình đề nghị.pdf"),
        ("To\u0302\u0300 tri\u0300nh.pdf", "Tồ trình.pdf"),  # NFD in, NFC kept
        ('Báo cáo "năm 2024".pdf', 'Báo cáo "năm 2024".pdf'),
        ("a\r\nSet-Cookie: x=1.pdf", "a Set-Cookie: x=1.pdf"),
        ("nul\x00byte.pdf", "nulbyte.pdf"),
        ("\u202egnp.pdf", "gnp.pdf"),  # a right-to-left override cannot disguise the type
    ],
)
def test_names_are_kept_for_display_and_never_used_as_paths(
    world: World, nomination: Nomination, uploads: Path, given: str, kept: str
) -> None:
    attachment = attach(nomination, world, PDF, given)

    assert attachment.original_name == kept
    assert stored_files(uploads) == [attachment.storage_key]


def test_a_long_name_is_shortened_but_keeps_its_extension(
    world: World, nomination: Nomination
) -> None:
    stem = ("Báo cáo thành tích " * 20).strip()

    attachment = attach(nomination, world, PDF, stem + ".pdf")

    assert attachment.original_name == stem[:251] + ".pdf"
    assert len(attachment.original_name) == 255


# --- download ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "disposition"),
    [
        (
            "Tờ trình đề nghị.pdf",
            "attachment; filename=\"To trinh e nghi.pdf\"; filename*=UTF-8''"
            + quote("Tờ trình đề nghị.pdf", safe="!#$&+-.^_`|~"),
        ),
        ("../../etc/passwd.pdf", "attachment; filename=.._.._etc_passwd.pdf"),
        (
            'Báo cáo "năm 2024".pdf',
            'attachment; filename="Bao cao \\"nam 2024\\".pdf"; filename*=UTF-8\'\''
            "B%C3%A1o%20c%C3%A1o%20%22n%C4%83m%202024%22.pdf",
        ),
        ("a\r\nSet-Cookie: x=1.pdf", 'attachment; filename="a Set-Cookie: x=1.pdf"'),
    ],
)
def test_download_is_an_attachment_with_the_original_name(
    world: World,
    nomination: Nomination,
    login,
    name: str,
    disposition: str,  # type: ignore[no-untyped-def]
) -> None:
    attachment = attach(nomination, world, PDF, name)
    client = login(world.nominator_a)

    response = client.get(f"/nominations/{nomination.id}/files/{attachment.id}")

    assert response.status_code == 200
    assert response.get_data() == PDF
    assert response.headers["Content-Disposition"] == disposition
    assert parse_options_header(disposition)[1]["filename"] == attachment.original_name
    assert (
        response.headers["Content-Type"],
        response.headers["X-Content-Type-Options"],
        response.headers["Cache-Control"],
    ) == ("application/pdf", "nosniff", "private, no-store")
    assert "Set-Cookie: x=1" not in str(response.headers).replace("a Set-Cookie: x=1.pdf", "")


def test_the_secretariat_downloads_once_submitted(
    world: World, nomination: Nomination, login
) -> None:  # type: ignore[no-untyped-def]
    attachment = attach(nomination, world, png(), "Ảnh.png")
    fill_in(nomination, world, world.nominator_a)
    client = login(world.secretariat)

    before = client.get(f"/nominations/{nomination.id}/files/{attachment.id}")
    apply_transition(nomination, Action.SUBMIT, actor=world.nominator_a)
    after = client.get(f"/nominations/{nomination.id}/files/{attachment.id}")

    assert (before.status_code, after.status_code) == (403, 200)
    assert (after.get_data(), after.headers["Content-Type"]) == (png(), "image/png")


def test_download_answers_ranges_and_revalidation_with_the_key_as_etag(
    world: World, nomination: Nomination, login
) -> None:  # type: ignore[no-untyped-def]
    attachment = attach(nomination, world, PDF, "a.pdf")
    client = login(world.nominator_a)
    url = f"/nominations/{nomination.id}/files/{attachment.id}"

    whole = client.get(url)
    part = client.get(url, headers={"Range": "bytes=100-149"})
    tail = client.get(url, headers={"Range": "bytes=-10"})
    again = client.get(url, headers={"If-None-Match": f'"{attachment.storage_key}"'})
    beyond = client.get(url, headers={"Range": f"bytes={len(PDF)}-"})

    assert (whole.status_code, whole.headers["ETag"], whole.headers["Content-Length"]) == (
        200,
        f'"{attachment.storage_key}"',
        str(len(PDF)),
    )
    assert (whole.get_data(), whole.headers["Accept-Ranges"]) == (PDF, "bytes")
    assert (part.status_code, part.get_data(), part.headers["Content-Range"]) == (
        206,
        PDF[100:150],
        f"bytes 100-149/{len(PDF)}",
    )
    assert (tail.status_code, tail.get_data()) == (206, PDF[-10:])
    assert (again.status_code, again.get_data()) == (304, b"")
    assert beyond.status_code == 416


def test_a_file_missing_on_disk_is_not_found(world: World, nomination: Nomination, login) -> None:  # type: ignore[no-untyped-def]
    attachment = attach(nomination, world, PDF, "a.pdf")
    remove_stored(attachment.storage_key)
    client = login(world.nominator_a)

    assert client.get(f"/nominations/{nomination.id}/files/{attachment.id}").status_code == 404


# --- through the dossier page --------------------------------------------------------------


def test_upload_from_the_edit_page_keeps_the_good_files_and_names_the_bad(
    world: World,
    nomination: Nomination,
    uploads: Path,
    login,  # type: ignore[no-untyped-def]
) -> None:
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/{nomination.id}/edit",
        {
            "version": nomination.version,
            f"c{world.text.id}_files": [
                (io.BytesIO(PDF), "Tờ trình đề nghị.pdf"),
                (io.BytesIO(HTML), "trang.pdf"),
            ],
            "general_files": [(io.BytesIO(png()), "../../Ảnh.png")],
        },
    )

    with client.session_transaction() as session:
        messages = [tuple(m) for m in session.get("_flashes", [])]
    db.session.expire_all()
    rows = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    assert response.status_code == 302
    assert messages == [
        ("warning", SAVED_WITHOUT_ONE_FILE),
        ("danger", NOT_ACCEPTED.format("trang.pdf")),
    ]
    assert [(a.original_name, a.criterion_id, a.content_type) for a in rows] == [
        (".._.._Ảnh.png", None, "image/png"),
        ("Tờ trình đề nghị.pdf", world.text.id, "application/pdf"),
    ]
    assert stored_files(uploads) == sorted(a.storage_key for a in rows)
    page = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert re.findall(r'href="/nominations/\d+/files/(\d+)">([^<]+)</a>', page) == [
        (str(rows[1].id), "Tờ trình đề nghị.pdf"),
        (str(rows[0].id), ".._.._Ảnh.png"),
    ]


def test_remove_a_file_of_a_draft_from_the_page(
    world: World, nomination: Nomination, uploads: Path, login
) -> None:  # type: ignore[no-untyped-def]
    attachment = attach(nomination, world, PDF, "a.pdf")
    client = login(world.nominator_a)

    response = client.post_form(f"/nominations/{nomination.id}/files/{attachment.id}/remove")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/nominations/{nomination.id}/edit"
    assert (stored_files(uploads), attachment_count()) == ([], 0)


# --- checked beyond the first bytes ----------------------------------------------------------
# Every refusal below was an accepted upload while files were judged by their first bytes.

MARKUP = "The file {} contains web page or script code (HTML) and was refused."
PDF_DAMAGED = (
    "The file {} is a damaged or incomplete PDF document. Save or export it again and upload "
    "the new file."
)
PDF_TOO_COMPLEX = (
    "The file {} is too complex to check: it took too long or needed too much memory. Save it "
    "again as a simpler PDF document."
)
IMAGE_DAMAGED = "The file {} is a damaged or incomplete {} image."
OFFICE_DAMAGED = (
    "The file {0} is not a valid {1} document: its structure is damaged or incomplete. Open "
    "it, save it again as {1} and upload the new file."
)
MACROS = (
    "The file {} contains macros, which are not accepted. Save it as a {} document without "
    "macros and try again."
)
SCRIPT = b"<script>alert(document.cookie)</script>"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def real_pdf(pages: int = 3, **save: Any) -> bytes:
    """A PDF written by qpdf (pikepdf): `pages` A4 pages, each with a line of text."""
    import pikepdf

    out = io.BytesIO()
    with pikepdf.new() as pdf:
        for number in range(pages):
            pdf.add_blank_page(page_size=(595, 842))
            pdf.pages[-1].Contents = pdf.make_stream(b"BT 72 720 Td (Trang %d) Tj ET" % number)
        pdf.save(out, **save)
    return out.getvalue()


def weasyprint_pdf() -> bytes:
    from weasyprint import HTML as Document

    return bytes(Document(string="<h1>Biên bản họp</h1><p>Ấp Sơn Lân</p>").write_pdf() or b"")


def object_stream_pdf(pages: int, padding: int) -> bytes:
    """A PDF whose page objects each sit in an object stream padded with `padding` spaces: a
    few kilobytes on disk that qpdf has to inflate to `pages` × `padding` bytes."""
    import struct
    import zlib

    out = bytearray(b"%PDF-1.5\n")
    where: dict[int, tuple[int, int]] = {1: (1, len(out))}
    out += b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    where[2] = (1, len(out))
    kids = b" ".join(b"%d 0 R" % (10 + n) for n in range(pages))
    out += b"2 0 obj<</Type/Pages/Kids[%s]/Count %d>>endobj\n" % (kids, pages)
    packer = zlib.compressobj(9, wbits=-15)  # raw deflate, spliced into each stream
    deflated_padding = packer.compress(b" " * padding) + packer.flush(zlib.Z_FULL_FLUSH)
    for n in range(pages):
        page, holder = 10 + n, 10 + pages + n
        head = b"%d 0 " % page
        body = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"
        start = zlib.compressobj(1)
        stream = start.compress(head) + start.flush(zlib.Z_FULL_FLUSH) + deflated_padding
        tail = zlib.compressobj(1, wbits=-15)
        stream += tail.compress(body) + tail.flush()
        check = zlib.adler32(body, zlib.adler32(b" " * padding, zlib.adler32(head)))
        stream += struct.pack(">I", check)
        where[holder], where[page] = (1, len(out)), (2, holder)
        out += b"%d 0 obj<</Type/ObjStm/N 1/First %d/Length %d/Filter/FlateDecode>>stream\n" % (
            holder,
            len(head) + padding,
            len(stream),
        )
        out += stream + b"\nendstream endobj\n"
    size = 10 + 2 * pages + 1
    where[size - 1] = (1, len(out))
    rows = zlib.compress(
        b"".join(struct.pack(">BIB", *where.get(n, (0, 0)), 0) for n in range(size))
    )
    out += b"%d 0 obj<</Type/XRef/Size %d/W[1 4 1]/Root 1 0 R/Filter/FlateDecode/Length %d>>" % (
        size - 1,
        size,
        len(rows),
    )
    out += b"stream\n" + rows + b"\nendstream endobj\nstartxref\n%d\n%%%%EOF\n" % where[size - 1][1]
    return bytes(out)


def image(kind: str, size: tuple[int, int] = (64, 48), **save: Any) -> bytes:
    """A photo-like image (noise, so that it does not compress to nothing) made by Pillow."""
    import random

    from PIL import Image

    noise = random.Random(size[0] * size[1]).randbytes(size[0] * size[1] * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", size, noise).save(out, kind, **save)
    return out.getvalue()


def flipped(content: bytes, marker: bytes, offset: int) -> bytes:
    """`content` with the byte `offset` bytes after the first `marker` inverted."""
    at = content.index(marker) + offset
    return content[:at] + bytes([content[at] ^ 0xFF]) + content[at + 1 :]


def png_of_one_colour(width: int, height: int) -> bytes:
    """A black-and-white PNG of `width` × `height` white pixels, inflated row by row so that a
    20,000 × 20,000 image costs a few kilobytes of memory to make and of disk to keep."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    packer = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def package(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def content_types(*overrides: tuple[str, str]) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
        + "</Types>"
    ).encode()


def docx(**extra: bytes) -> bytes:
    """A minimal Word document: content types, the package relationship, the main part."""
    return package(
        {
            "[Content_Types].xml": content_types(("/word/document.xml", WORD_MAIN)),
            "_rels/.rels": (
                b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
                b'"http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                b'officeDocument" Target="word/document.xml"/></Relationships>'
            ),
            "word/document.xml": (
                b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
                b'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
                + "Biên bản họp".encode()
                + b"</w:t></w:r></w:p></w:body></w:document>"
            ),
            **extra,
        }
    )


def xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Đơn vị", "Điểm"])
    book.active.append(["Xã Sơn Định", 95])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_members(archive: bytes, replace: dict[str, bytes]) -> bytes:
    """`archive` with the members of `replace` added or put in place of the old ones."""
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        parts = {n: source.read(n) for n in source.namelist() if n not in replace}
    return package({**parts, **replace})


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Ba trang.pdf", real_pdf(3), "application/pdf"),
        ("Nén.pdf", real_pdf(2, object_stream_mode=2, compress_streams=True), "application/pdf"),
        ("Chỉ chủ sở hữu.pdf", b"", "application/pdf"),  # encrypted, opens without a password
        ("WeasyPrint.pdf", weasyprint_pdf(), "application/pdf"),
        ("Ảnh.png", image("PNG"), "image/png"),
        ("Ảnh tối ưu.png", image("PNG", optimize=True), "image/png"),
        ("Ảnh.jpg", image("JPEG", quality=85), "image/jpeg"),
        ("Ảnh lũy tiến.jpeg", image("JPEG", progressive=True), "image/jpeg"),
        # A phone's "motion photo": a second picture after the first one's end marker.
        ("Ảnh động.jpg", image("JPEG") + image("JPEG", (8, 8)), "image/jpeg"),
        ("Biên bản.docx", docx(), DOCX),
        ("Bảng điểm.xlsx", xlsx(), XLSX),
    ],
)
def test_real_files_pass_the_content_checks(
    world: World, nomination: Nomination, name: str, content: bytes, content_type: str
) -> None:
    if name == "Chỉ chủ sở hữu.pdf":
        import pikepdf

        content = real_pdf(1, encryption=pikepdf.Encryption(owner="chủ", user=""))

    attachment = attach(nomination, world, content, name)

    assert (attachment.content_type, attachment.size_bytes) == (content_type, len(content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("đầu.pdf", b"%PDF-1.4\n" + SCRIPT + b"\n%%EOF\n"),
        ("trang.pdf", b"%PDF-1.7\n" + HTML + b"\n%" + b"x" * 4096 + b"\n%%EOF\n"),
        # A readable PDF (qpdf opens it) whose first line after the header is a web page.
        ("hai mặt.pdf", real_pdf(40).replace(b"\n", b"\n%" + HTML + b"\n", 1)),
        ("Ảnh.png", image("PNG") + HTML),
        ("Ảnh.jpg", image("JPEG") + b"\r\n" + SCRIPT),
        ("Ảnh giữa.jpg", image("JPEG") + b"<HTML><BODY>" + image("JPEG", (8, 8))),
        ("Biên bản.docx", docx() + b"<html>" + SCRIPT),
    ],
)
def test_a_file_carrying_a_web_page_is_refused(
    world: World, nomination: Nomination, uploads: Path, name: str, content: bytes
) -> None:
    assert refused(nomination, world, content, name) == MARKUP.format(name)
    assert (stored_files(uploads), attachment_count()) == ([], 0)


def test_a_pdf_that_does_not_parse_is_refused(
    world: World, nomination: Nomination, uploads: Path
) -> None:
    whole = real_pdf(40, compress_streams=False)
    cut = whole[: len(whole) // 2] + b"\n%%EOF\n"  # cut in the middle, given a new end

    assert refused(nomination, world, cut, "Cắt.pdf") == PDF_DAMAGED.format("Cắt.pdf")
    assert refused(nomination, world, b"%PDF-1.4\nxin chao\n%%EOF\n", "a.pdf") == (
        PDF_DAMAGED.format("a.pdf")
    )
    assert (stored_files(uploads), attachment_count()) == ([], 0)


def test_a_pdf_without_pages_or_with_too_many_is_refused(
    world: World, nomination: Nomination
) -> None:
    assert refused(nomination, world, real_pdf(0), "Trống.pdf") == (
        "The file Trống.pdf is a PDF document without any page."
    )
    assert refused(nomination, world, real_pdf(2001), "Dày.pdf") == (
        "The file Dày.pdf has more than 2000 pages. Split it into smaller files."
    )


def test_a_pdf_that_needs_a_password_is_refused(world: World, nomination: Nomination) -> None:
    import pikepdf

    locked = real_pdf(1, encryption=pikepdf.Encryption(owner="chủ", user="khách"))

    assert refused(nomination, world, locked, "Mật.pdf") == (
        "The file Mật.pdf is protected by a password. Upload a copy without the password."
    )


@pytest.mark.skipif(
    ON_POSTGRES, reason="the checker refuses before anything is stored: the SQLite run has it"
)
@pytest.mark.parametrize(
    ("pages", "padding"),
    [
        (1, 600 * 1024 * 1024),  # one stream inflating to 600 MB: the memory bound
        (300, 8 * 1024 * 1024),  # 300 streams of 8 MB each: the time bound
    ],
)
def test_a_pdf_that_would_exhaust_the_checker_is_refused(
    world: World, nomination: Nomination, pages: int, padding: int
) -> None:
    bomb = object_stream_pdf(pages, padding)

    assert len(bomb) < 3 * 1024 * 1024
    assert refused(nomination, world, bomb, "Bom.pdf") == PDF_TOO_COMPLEX.format("Bom.pdf")


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("rác.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
        ("cụt.png", image("PNG")[:-30], "PNG"),
        ("sai mã.png", flipped(image("PNG"), b"IDAT", 20), "PNG"),
        ("rác.jpg", b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4 + b"\xff\xd9", "JPEG"),
        ("cụt.jpg", image("JPEG")[: len(image("JPEG")) // 2], "JPEG"),
    ],
)
def test_an_image_that_does_not_decode_is_refused(
    world: World, nomination: Nomination, uploads: Path, name: str, content: bytes, kind: str
) -> None:
    assert refused(nomination, world, content, name) == IMAGE_DAMAGED.format(name, kind)
    assert (stored_files(uploads), attachment_count()) == ([], 0)


@pytest.mark.parametrize(("width", "height"), [(20_000, 20_000), (8_000, 6_000), (30_000, 10)])
def test_an_image_too_large_to_decode_is_refused(
    world: World, nomination: Nomination, width: int, height: int
) -> None:
    bomb = png_of_one_colour(width, height)

    assert len(bomb) < 200 * 1024
    assert refused(nomination, world, bomb, "Bom.png") == (
        f"The image Bom.png is {width} × {height} pixels, more than accepted (at most 40 "
        "million pixels and 20000 pixels a side). Make it smaller and try again."
    )


def test_an_image_at_the_limits_is_accepted(world: World, nomination: Nomination) -> None:
    attachment = attach(nomination, world, png_of_one_colour(20_000, 2_000), "Toàn cảnh.png")

    assert attachment.content_type == "image/png"


@pytest.mark.skipif(
    ON_POSTGRES, reason="the checker refuses before anything is stored: the SQLite run has it"
)
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "chỉ có danh mục.docx",
            package({"[Content_Types].xml": content_types()}),
            NOT_ACCEPTED.format("chỉ có danh mục.docx"),
        ),
        (
            "không có phần chính.docx",
            package({"[Content_Types].xml": content_types(), "word/styles.xml": b"<a/>"}),
            OFFICE_DAMAGED.format("không có phần chính.docx", "DOCX"),
        ),
        (
            "mất phần chính.docx",
            package(
                {
                    "[Content_Types].xml": content_types(("/word/document.xml", WORD_MAIN)),
                    "word/styles.xml": b"<a/>",
                }
            ),
            OFFICE_DAMAGED.format("mất phần chính.docx", "DOCX"),
        ),
        (
            "bảng giả.xlsx",
            package({"[Content_Types].xml": content_types(), "xl/workbook.xml": b"<a/>"}),
            OFFICE_DAMAGED.format("bảng giả.xlsx", "XLSX"),
        ),
        (
            "thực thể.docx",
            with_members(
                docx(),
                {
                    "[Content_Types].xml": content_types(("/word/document.xml", WORD_MAIN)).replace(
                        b"<Types", b'<!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa">]><Types', 1
                    )
                },
            ),
            OFFICE_DAMAGED.format("thực thể.docx", "DOCX"),
        ),
        (
            "macro.xlsx",
            with_members(xlsx(), {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(60)}),
            MACROS.format("macro.xlsx", "XLSX"),
        ),
        (
            "macro ẩn.xlsx",
            with_members(
                xlsx(),
                {
                    "[Content_Types].xml": zipfile.ZipFile(io.BytesIO(xlsx()))
                    .read("[Content_Types].xml")
                    .replace(
                        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main",
                        b"application/vnd.ms-excel.sheet.macroEnabled.main",
                    )
                },
            ),
            MACROS.format("macro ẩn.xlsx", "XLSX"),
        ),
        (
            "macro.docx",
            docx(**{"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(60)}),
            MACROS.format("macro.docx", "DOCX"),
        ),
    ],
)
def test_an_office_file_must_open_as_its_type_without_macros(
    world: World, nomination: Nomination, uploads: Path, name: str, content: bytes, message: str
) -> None:
    assert refused(nomination, world, content, name) == message
    assert (stored_files(uploads), attachment_count()) == ([], 0)


def test_refused_files_keep_the_edit_page_and_never_read_as_all_saved(
    world: World,
    nomination: Nomination,
    uploads: Path,
    login,  # type: ignore[no-untyped-def]
) -> None:
    # "Save and go to submission" with two fake PDFs: the texts are saved, the page stays the
    # edit page to attach them again, and no message says the dossier was saved as sent.
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/{nomination.id}/edit",
        {
            "version": nomination.version,
            "summary": "Ấp đạt chuẩn nông thôn mới kiểu mẫu",
            "then": "submit",
            "general_files": [(io.BytesIO(HTML), "fake.pdf"), (io.BytesIO(HTML), "giả.pdf")],
        },
    )

    with client.session_transaction() as session:
        messages = [tuple(m) for m in session.get("_flashes", [])]
    db.session.expire_all()
    assert (
        response.status_code,
        response.headers["Location"],
        messages,
        db.session.get(Nomination, nomination.id).summary,
        attachment_count(),
    ) == (
        302,
        f"/nominations/{nomination.id}/edit",
        [
            (
                "warning",
                "The dossier has been saved, but 2 files were refused and not attached (see "
                "below): attach correct files and save again.",
            ),
            ("danger", NOT_ACCEPTED.format("fake.pdf")),
            ("danger", NOT_ACCEPTED.format("giả.pdf")),
        ],
        "Ấp đạt chuẩn nông thôn mới kiểu mẫu",
        0,
    )


def test_a_refused_polyglot_names_the_file_and_keeps_what_was_typed(
    world: World,
    nomination: Nomination,
    uploads: Path,
    login,  # type: ignore[no-untyped-def]
) -> None:
    client = login(world.nominator_a)

    response = client.post_form(
        f"/nominations/{nomination.id}/edit",
        {
            "version": nomination.version,
            "summary": "Mô hình “Ấp thông minh” của xã",
            "general_files": [
                (io.BytesIO(b"%PDF-1.4\n" + SCRIPT + b"\n%%EOF\n"), "Tờ trình.pdf"),
                (io.BytesIO(image("PNG")), "Ảnh.png"),
            ],
        },
    )

    with client.session_transaction() as session:
        messages = [tuple(m) for m in session.get("_flashes", [])]
    db.session.expire_all()
    rows = db.session.scalars(select(Attachment)).all()
    assert response.status_code == 302
    assert messages == [
        ("warning", SAVED_WITHOUT_ONE_FILE),
        ("danger", MARKUP.format("Tờ trình.pdf")),
    ]
    assert [a.original_name for a in rows] == ["Ảnh.png"]
    assert db.session.get(Nomination, nomination.id).summary == "Mô hình “Ấp thông minh” của xã"
