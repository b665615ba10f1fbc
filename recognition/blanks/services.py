"""Printing onto pre-printed certificate blanks (phôi): where each text goes, per awarding body
and paper size, the printer's calibration offset, and a scan of the blank for the preview.

A position is in millimetres from the top-left corner of the sheet to the top-left corner of
the field's box (the top of its first line); the font size is in points. The defaults put each
text where the full certificate puts it when it carries the emblem, as a blank always does: the
border, the emblem and the national title are what the blank has printed already.
"""

import math
import os
from dataclasses import asdict, dataclass, replace
from typing import Any, BinaryIO

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from recognition.auth.models import User
from recognition.blanks.models import BLANK_PAPERS, BlankLayout
from recognition.blanks.permissions import can_set_up_blanks
from recognition.common import storage
from recognition.common.text import clean
from recognition.database import utcnow
from recognition.errors import DomainError, NotAllowed
from recognition.extensions import db
from recognition.units.models import Unit

PAGE_MM = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}
FONT_PT = (6.0, 72.0)
MAX_OFFSET_MM = 20.0  # beyond 2 cm the paper is fed wrongly; calibration cannot fix that
QR_MIN_MM = 15.0  # smaller, a phone camera no longer reads the verification code
ALIGNMENTS = ("left", "center", "right")

FIELD_LABELS = {
    "office": _l("Awarding office"),
    "give": _l("“TẶNG”"),
    "title": _l("Title (GIẤY KHEN)"),
    "recipient": _l("Recipient"),
    "detail": _l("Position and unit"),
    "achievement": _l("Achievement"),
    "decision_line": _l("Decision number and date"),
    "golden_book": _l("Golden-book number"),
    "place_date": _l("Place and date"),
    "signer_title": _l("Signer's title"),
    "signer_name": _l("Signer's name"),
    "qr": _l("QR verification code"),
}
FIELDS = tuple(FIELD_LABELS)


@dataclass(frozen=True)
class FieldBox:
    """One field on the sheet: millimetres, points (the QR code's side is its width)."""

    x: float
    y: float
    width: float
    size: float
    align: str = "center"
    shown: bool = True


# Measured on the full certificate (templates/pdf/certificate.html) with the emblem, A4.
_A4 = {
    "office": FieldBox(33.5, 60.25, 230.0, 19.0),
    "give": FieldBox(33.5, 69.67, 230.0, 16.0),
    "title": FieldBox(33.5, 77.92, 230.0, 46.0),
    "recipient": FieldBox(33.5, 98.96, 230.0, 27.0),
    "detail": FieldBox(33.5, 110.51, 230.0, 15.0),
    "achievement": FieldBox(41.0, 119.37, 215.0, 17.0),
    "decision_line": FieldBox(57.5, 178.73, 96.0, 12.5, "left"),
    "golden_book": FieldBox(57.5, 183.62, 96.0, 12.5, "left"),
    "place_date": FieldBox(153.5, 142.7, 110.0, 14.0),
    "signer_title": FieldBox(153.5, 149.17, 110.0, 14.0),
    "signer_name": FieldBox(153.5, 182.64, 110.0, 15.0),
    "qr": FieldBox(33.5, 167.55, 20.0, 12.5, "left"),
}
# On A3 the full certificate keeps its sizes: the footer stays on the bottom edge, its left
# part on the left margin and its right part on the right one; the rest stays centred.
_LEFT_FOOTER = {"decision_line", "golden_book", "qr"}
_RIGHT_FOOTER = {"place_date", "signer_title", "signer_name"}


def default_boxes(paper: str) -> dict[str, FieldBox]:
    """Where the full certificate puts each field on `paper`."""
    width, height = PAGE_MM[paper]
    grow_x, grow_y = width - PAGE_MM["A4"][0], height - PAGE_MM["A4"][1]
    boxes = {}
    for name, box in _A4.items():
        if name in _RIGHT_FOOTER:
            moved = replace(box, x=box.x + grow_x, y=box.y + grow_y)
        elif name in _LEFT_FOOTER:
            moved = replace(box, y=box.y + grow_y)
        else:
            moved = replace(box, x=box.x + grow_x / 2)
        boxes[name] = moved
    return boxes


def boxes_of(layout: BlankLayout) -> dict[str, FieldBox]:
    """The layout's boxes, a default for any field it does not hold."""
    boxes = default_boxes(layout.paper)
    keys = set(FieldBox.__dataclass_fields__)
    for name, stored in (layout.fields or {}).items():
        if name in boxes and isinstance(stored, dict):
            boxes[name] = replace(boxes[name], **{k: v for k, v in stored.items() if k in keys})
    return boxes


def layout_for(body: Unit, paper: str) -> BlankLayout:
    """The body's layout for `paper`, or an unsaved one with the default positions."""
    found = db.session.scalar(
        select(BlankLayout).where(BlankLayout.unit_id == body.id, BlankLayout.paper == paper)
    )
    if found is not None:
        return found
    return BlankLayout(
        unit_id=body.id,
        paper=paper,
        fields={name: asdict(box) for name, box in default_boxes(paper).items()},
        offset_x_mm=0.0,
        offset_y_mm=0.0,
        scan_key=None,
        scan_name="",
    )


def _mm(value: float) -> str:
    return f"{value:g}"


def check_box(name: str, box: FieldBox, paper: str) -> None:
    """DomainError (on the offending input) unless the box lies on the sheet with a font size
    a printer can print."""
    width, height = PAGE_MM[paper]
    label = FIELD_LABELS[name]
    for attribute in ("x", "y", "width", "size"):
        if not math.isfinite(getattr(box, attribute)):
            raise DomainError(
                _("%(field)s: enter a number.", field=label), field=f"{name}_{attribute}"
            )
    if not 0 <= box.x < width:
        raise DomainError(
            _("%(field)s: x must be between 0 and %(max)s mm.", field=label, max=_mm(width)),
            field=f"{name}_x",
        )
    if not 0 <= box.y < height:
        raise DomainError(
            _("%(field)s: y must be between 0 and %(max)s mm.", field=label, max=_mm(height)),
            field=f"{name}_y",
        )
    if box.width < 1 or box.x + box.width > width:
        raise DomainError(
            _(
                "%(field)s: the box runs off the sheet; x + width must be at most %(max)s mm.",
                field=label,
                max=_mm(width),
            ),
            field=f"{name}_width",
        )
    if name == "qr":
        if box.width < QR_MIN_MM or box.y + box.width > height:
            raise DomainError(
                _(
                    "%(field)s: the code must be at least %(min)s mm wide, to be read by a "
                    "phone, and lie on the sheet.",
                    field=label,
                    min=_mm(QR_MIN_MM),
                ),
                field="qr_width",
            )
    elif not FONT_PT[0] <= box.size <= FONT_PT[1]:
        raise DomainError(
            _(
                "%(field)s: the font size must be between %(min)s and %(max)s pt.",
                field=label,
                min=_mm(FONT_PT[0]),
                max=_mm(FONT_PT[1]),
            ),
            field=f"{name}_size",
        )
    if box.align not in ALIGNMENTS:
        raise DomainError(_("%(field)s: choose an alignment.", field=label), field=f"{name}_align")


def check_offset(offset_x: float, offset_y: float) -> None:
    for value, field in ((offset_x, "offset_x"), (offset_y, "offset_y")):
        if not (math.isfinite(value) and abs(value) <= MAX_OFFSET_MM):
            raise DomainError(
                _(
                    "The printer calibration must be between −%(max)s and %(max)s mm.",
                    max=_mm(MAX_OFFSET_MM),
                ),
                field=field,
            )


@dataclass(frozen=True)
class Upload:
    data: BinaryIO
    filename: str


@dataclass(frozen=True)
class LayoutChanges:
    boxes: dict[str, FieldBox]
    offset_x: float
    offset_y: float
    scan: Upload | None = None
    remove_scan: bool = False


def save_layout(body: Unit, paper: str, changes: LayoutChanges, *, actor: User) -> str | None:
    """Check and save the body's layout for `paper`: boxes, calibration and scan; flushes.

    Nothing is saved when a number is refused. A replaced or removed scan is deleted once
    the transaction commits; returns its storage key.
    """
    if not can_set_up_blanks(actor, body):
        raise NotAllowed(
            _("Only the secretariat of %(body)s may set up its blanks.", body=body.name)
        )
    if paper not in BLANK_PAPERS:
        raise DomainError(_("Choose A4 or A3."))
    boxes = {name: changes.boxes[name] for name in FIELDS}
    for name, box in boxes.items():
        check_box(name, box, paper)
    check_offset(changes.offset_x, changes.offset_y)
    content_type = None
    if changes.scan is not None:
        content_type = storage.check_image(changes.scan.data, _original(changes.scan.filename))
    layout = layout_for(body, paper)
    if layout.id is None:
        db.session.add(layout)
    layout.fields = {name: _plain(box) for name, box in boxes.items()}
    layout.offset_x_mm = round(changes.offset_x, 2)
    layout.offset_y_mm = round(changes.offset_y, 2)
    old = layout.scan_key
    if changes.scan is not None and content_type is not None:
        layout.scan_key = storage.store(changes.scan.data, content_type).storage_key
        layout.scan_name = _original(changes.scan.filename)
    elif changes.remove_scan:
        layout.scan_key = None
        layout.scan_name = ""
    layout.updated_at = utcnow()
    layout.updated_by_id = actor.id
    db.session.flush()
    if old is None or old == layout.scan_key:
        return None
    storage.discard_after_commit(old)
    return old


def _plain(box: FieldBox) -> dict[str, Any]:
    values = asdict(box)
    for key in ("x", "y", "width", "size"):
        values[key] = round(float(values[key]), 2)
    return values


def _original(filename: str) -> str:
    """The uploaded name as typed (Vietnamese kept), without path separators, ≤ 255 chars."""
    name = clean(filename).replace("/", "_").replace("\\", "_") or "blank.png"
    stem, extension = os.path.splitext(name)
    return (stem[: max(0, 255 - len(extension))] + extension)[:255]
