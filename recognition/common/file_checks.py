"""Checks of an upload's content beyond its first bytes: it must open as the type it claims to
be, within a bounded amount of work, and carry no web page (docs/reliability.md, "Uploads").

- A PDF must open in qpdf, with at least one and at most `MAX_PDF_PAGES` pages, without a
  password, and without losing content when qpdf repairs it (a file cut short, then given a new
  end marker). qpdf runs in a child process (`pdf_probe.py`) limited in CPU time, memory and
  wall time, because its work on a crafted file is unbounded in-process.
- A PNG or JPEG must decode fully in Pillow, after its dimensions were read from its header and
  bounded: a picture of `MAX_IMAGE_PIXELS` pixels needs up to 160 MB decoded, and a one-colour
  20,000 × 20,000 PNG (1.6 GB decoded as RGBA) fits in 75 KB. A JPEG whose last scan is cut
  short but which still ends in an end marker is accepted: libjpeg fills the rest with grey
  and Pillow does not report it.
- A DOCX or XLSX must be an Open Packaging archive whose [Content_Types].xml names a main
  document part of its type that is present, and must hold no macros (a .docm or .xlsm renamed,
  or a vbaProject.bin added). The archive's size bounds were checked when it was recognised.

Polyglots (a file valid as its type and as a web page) are found by heuristics, documented at
`MARKUP`: web-page tags in the first and last `WINDOW` bytes of any file (where browsers and
other sniffers look), and anywhere after the end marker of a PNG or JPEG, where decoders ignore
what follows. Markup in the middle of a PDF stream or an image's metadata is not searched for:
downloads are sent as attachments with `nosniff`, and a full scan would refuse real files whose
compressed data happens to contain such bytes.
"""

import json
import re
import subprocess  # nosec B404
import sys
import zipfile
from io import BytesIO
from pathlib import Path
from typing import NoReturn

from defusedxml import ElementTree
from flask import current_app
from flask_babel import gettext as _
from PIL import Image

from recognition.errors import DomainError

MAX_PDF_PAGES = 2000
PDF_PROBE = Path(__file__).with_name("pdf_probe.py")
PDF_MEMORY_MB = 256
PDF_CPU_SECONDS = 3
PDF_WALL_SECONDS = 10  # the CPU bound, plus room for a busy machine and the child's start
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_SIDE = 20_000
MAX_PNG_CHUNKS = 100_000  # real encoders write IDAT chunks of 8 KB or more: about 1,300 here
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
WINDOW = 2048  # browsers sniff HTML in the first 1,445 bytes (WHATWG MIME Sniffing, 7.1)

# Tags a browser takes as the sign of an HTML document (WHATWG MIME Sniffing, 7.1), plus other
# tags that run or embed content, each followed by a space, "/" or ">". Tags of fewer than four
# letters ("<a", "<p", "<div") are left out: they turn up by chance in compressed data.
MARKUP = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|frameset|object|embed|style|title"
    rb"|table|font|meta)[\s/>]",
    re.IGNORECASE,
)

_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    ),
}
_LABELS = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
}
# Macro-enabled main parts (.docm, .xlsm, templates), VBA projects and their data, and Excel 4
# macro sheets, which run without VBA.
_MACRO_TYPES = ("macroenabled", "vbaproject", "vbadata", "macrosheet")
_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")


def check_content(content: bytes, content_type: str, name: str) -> None:
    """Refuse (DomainError naming the file and the problem) an upload that does not open as
    `content_type`, as recognised from its first bytes, or that carries a web page."""
    if MARKUP.search(content, 0, WINDOW) or MARKUP.search(content, max(0, len(content) - WINDOW)):
        _refuse_markup(name)
    if content_type == "application/pdf":
        _check_pdf(content, name)
    elif content_type in ("image/png", "image/jpeg"):
        _check_image(content, content_type, name)
    else:
        _check_office(content, content_type, name)


def _refuse_markup(name: str) -> NoReturn:
    raise DomainError(
        _("The file %(name)s contains web page or script code (HTML) and was refused.", name=name)
    )


# --- PDF -----------------------------------------------------------------------------------


def _check_pdf(content: bytes, name: str) -> None:
    problem = _probe_pdf(content)
    if problem is None:
        return
    messages = {
        "password": _(
            "The file %(name)s is protected by a password. Upload a copy without the password.",
            name=name,
        ),
        "no_pages": _("The file %(name)s is a PDF document without any page.", name=name),
        "too_many_pages": _(
            "The file %(name)s has more than %(pages)d pages. Split it into smaller files.",
            name=name,
            pages=MAX_PDF_PAGES,
        ),
        "too_complex": _(
            "The file %(name)s is too complex to check: it took too long or needed too much "
            "memory. Save it again as a simpler PDF document.",
            name=name,
        ),
    }
    raise DomainError(
        messages.get(problem)
        or _(
            "The file %(name)s is a damaged or incomplete PDF document. Save or export it again "
            "and upload the new file.",
            name=name,
        )
    )


def _probe_pdf(content: bytes) -> str | None:
    """What `pdf_probe.py` found wrong with `content`, or None when it opened well."""
    limits = (MAX_PDF_PAGES, PDF_MEMORY_MB, PDF_CPU_SECONDS)
    try:
        # A fixed command line: the file goes to the child's standard input, never its argv.
        done = subprocess.run(  # noqa: S603  # nosec B603
            [sys.executable, "-I", str(PDF_PROBE), *map(str, limits)],
            input=content,
            capture_output=True,
            timeout=PDF_WALL_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        current_app.logger.info("PDF check stopped after %d s", PDF_WALL_SECONDS)
        return "too_complex"
    if done.returncode < 0:  # killed by a limit (SIGXCPU for CPU time, SIGKILL, SIGSEGV)
        current_app.logger.info("PDF check ended by signal %d", -done.returncode)
        return "too_complex"
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        # The child failed before answering: a broken installation refuses every PDF, so say so.
        current_app.logger.error(
            "PDF check failed: %s", done.stderr[-500:].decode(errors="replace")
        )
        return "damaged"
    problem = answer.get("problem")
    return str(problem) if problem else None


# --- PNG and JPEG ----------------------------------------------------------------------------


def _check_image(content: bytes, content_type: str, name: str) -> None:
    kind = _LABELS[content_type]
    layout = _png_layout(content) if content_type == "image/png" else _jpeg_layout(content)
    if layout is None:
        _refuse_damaged_image(name, kind)
    (width, height), end = layout
    if MARKUP.search(content, end):
        _refuse_markup(name)
    if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE:
        _refuse_large_image(name, width, height)
    try:
        with Image.open(BytesIO(content), formats=[kind]) as image:
            image.verify()  # chunk checksums, for PNG
        with Image.open(BytesIO(content), formats=[kind]) as image:
            if image.size != (width, height):
                _refuse_damaged_image(name, kind)
            if kind == "JPEG":
                # Decodes every scan at an eighth of the size: the whole file is read and
                # checked, in 1/64 of the memory.
                image.draft(None, (max(1, width // 8), max(1, height // 8)))
            image.load()
    except DomainError:
        raise
    except Image.DecompressionBombError:
        _refuse_large_image(name, width, height)
    except Exception:  # Pillow reports damage as OSError, SyntaxError, ValueError and others
        _refuse_damaged_image(name, kind)


def _refuse_damaged_image(name: str, kind: str) -> NoReturn:
    raise DomainError(
        _("The file %(name)s is a damaged or incomplete %(kind)s image.", name=name, kind=kind)
    )


def _refuse_large_image(name: str, width: int, height: int) -> NoReturn:
    raise DomainError(
        _(
            "The image %(name)s is %(width)d × %(height)d pixels, more than accepted (at most "
            "%(megapixels)d million pixels and %(side)d pixels a side). Make it smaller and try "
            "again.",
            name=name,
            width=width,
            height=height,
            megapixels=MAX_IMAGE_PIXELS // 1_000_000,
            side=MAX_IMAGE_SIDE,
        )
    )


Layout = tuple[tuple[int, int], int]  # (width, height), offset just past the end marker


def _png_layout(content: bytes) -> Layout | None:
    """The size in IHDR and the end of IEND, walking the chunks; None when they do not chain."""
    if content[12:16] != b"IHDR" or len(content) < 33:
        return None
    size = (int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big"))
    position = 8
    for _chunk in range(MAX_PNG_CHUNKS):
        if position + 12 > len(content):
            return None
        length = int.from_bytes(content[position : position + 4], "big")
        kind = content[position + 4 : position + 8]
        position += 12 + length
        if kind == b"IEND":
            return (size, position) if position <= len(content) else None
    return None


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_layout(content: bytes) -> Layout | None:
    """The size in the frame header and the end of the EOI marker, walking the segments and
    the entropy-coded data; None when they do not chain or there is no frame."""
    size = None
    position, end = 2, len(content)
    while position + 2 <= end:
        if content[position] != 0xFF:
            return None
        marker = content[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
        elif marker == 0xD9:  # EOI
            return (size, position + 2) if size else None
        elif 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            position += 2
        else:
            if position + 4 > end:
                return None
            length = int.from_bytes(content[position + 2 : position + 4], "big")
            if length < 2:
                return None
            if marker in _SOF and position + 9 <= end:
                height = int.from_bytes(content[position + 5 : position + 7], "big")
                size = (int.from_bytes(content[position + 7 : position + 9], "big"), height)
            position += 2 + length
            if marker == 0xDA:  # a scan: its data runs to the next marker
                position = _scan_end(content, position)
    return None


def _scan_end(content: bytes, position: int) -> int:
    """The offset of the first marker after entropy-coded data: a 0xFF not followed by a
    stuffed zero or a restart marker."""
    while (position := content.find(b"\xff", position)) != -1 and position + 1 < len(content):
        following = content[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position += 2
        elif following == 0xFF:
            position += 1
        else:
            return position
    return len(content)


# --- DOCX and XLSX ---------------------------------------------------------------------------


def _check_office(content: bytes, content_type: str, name: str) -> None:
    kind = _LABELS[content_type]
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            members = [member.filename for member in archive.infolist()]
            if len({member.lower() for member in members}) != len(members):
                _refuse_damaged_office(name, kind)  # two parts of one name: which is read?
            types = _content_types(archive)
    except (
        zipfile.BadZipFile,
        KeyError,
        RuntimeError,
        ValueError,
        EOFError,
        ElementTree.ParseError,
    ):
        _refuse_damaged_office(name, kind)  # RuntimeError: an encrypted member
    if types is None:
        _refuse_damaged_office(name, kind)
    defaults, overrides = types
    part_types = {
        member: overrides.get("/" + member.lower())
        or defaults.get(member.rsplit(".", 1)[-1].lower(), "")
        for member in members
        if not member.endswith("/")
    }
    declared = [*defaults.values(), *overrides.values(), *part_types.values()]
    if any(marker in value for value in declared for marker in _MACRO_TYPES) or any(
        member.lower().rsplit("/", 1)[-1] in _MACRO_PARTS for member in members
    ):
        raise DomainError(
            _(
                "The file %(name)s contains macros, which are not accepted. Save it as a "
                "%(kind)s document without macros and try again.",
                name=name,
                kind=kind,
            )
        )
    main = _MAIN_PARTS[content_type]
    if list(part_types.values()).count(main) != 1:
        _refuse_damaged_office(name, kind)


def _content_types(archive: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str]] | None:
    """The Default (by extension) and Override (by part name) content types of the package,
    lower-cased; None when [Content_Types].xml is too large or declares entities."""
    with archive.open("[Content_Types].xml") as member:
        xml = member.read(MAX_CONTENT_TYPES_BYTES + 1)
    if len(xml) > MAX_CONTENT_TYPES_BYTES or b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        return None
    # defusedxml refuses any DTD or entity that slipped past the check above.
    root = ElementTree.fromstring(xml, forbid_dtd=True)
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for element in root:
        tag = element.tag.rsplit("}", 1)[-1]
        value = element.get("ContentType", "").strip().lower()
        if tag == "Default":
            defaults[element.get("Extension", "").lower()] = value
        elif tag == "Override":
            overrides[element.get("PartName", "").lower()] = value
    return defaults, overrides


def _refuse_damaged_office(name: str, kind: str) -> NoReturn:
    raise DomainError(
        _(
            "The file %(name)s is not a valid %(kind)s document: its structure is damaged or "
            "incomplete. Open it, save it again as %(kind)s and upload the new file.",
            name=name,
            kind=kind,
        )
    )
