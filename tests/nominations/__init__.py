"""Shared scenery for the dossier tests: one district, its communes, people and a campaign; and
tiny real files of each accepted type."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.enums import MeasureKind, NomineeKind
from recognition.campaigns.models import AwardType, Campaign, Criterion
from recognition.nominations.models import Nomination
from recognition.nominations.services import Answer, Report, update_nomination
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from tests.support.worlds import (
    AwardSpec,
    CriterionSpec,
    UnitSpec,
    UserSpec,
    WorldSpec,
)
from tests.support.worlds import build_world as build_from_spec

# A window in June 2025 for tests that pass `today=` themselves.
OPENS = date(2025, 6, 1)
CLOSES = date(2025, 6, 30)
INSIDE = date(2025, 6, 15)


@dataclass
class World:
    body: Unit
    commune_a: Unit
    hamlet_a: Unit
    commune_b: Unit
    nominator_a: User
    nominator_b: User
    secretariat: User
    chair: User
    team_award: AwardType
    person_award: AwardType
    campaign: Campaign
    yes_no: Criterion
    number: Criterion
    text: Criterion
    optional: Criterion


def build_world(*, opens_on: date = OPENS, closes_on: date = CLOSES) -> World:
    """Huyện Chợ Lách (the awarding body) with Xã Sơn Định (unit A, and its Ấp Phú Hữu) and Xã
    Vĩnh Bình (unit B); an open campaign offering a collective award with four criteria and an
    individual one. Every user reads the pages in English."""
    world = build_from_spec(
        WorldSpec(
            units=(
                UnitSpec("body", "Huyện Chợ Lách", UnitKind.DISTRICT, awarding_body=True),
                UnitSpec("commune_a", "Xã Sơn Định", UnitKind.COMMUNE, "body"),
                UnitSpec("hamlet_a", "Ấp Phú Hữu", UnitKind.HAMLET, "commune_a"),
                UnitSpec("commune_b", "Xã Vĩnh Bình", UnitKind.COMMUNE, "body"),
            ),
            body="body",
            awards=(
                AwardSpec(
                    "team",
                    "TTTB",
                    "Tập thể tiêu biểu",
                    criteria=(
                        CriterionSpec("yes_no", "TB1", "Hoàn thành xuất sắc"),
                        CriterionSpec(
                            "number",
                            "TB2",
                            "Tỷ lệ hộ dùng dịch vụ công",
                            measure=MeasureKind.NUMBER,
                            target=Decimal(60),
                        ),
                        CriterionSpec(
                            "text",
                            "TB3",
                            "Mô hình hay",
                            measure=MeasureKind.TEXT,
                            evidence_required=True,
                        ),
                        CriterionSpec("optional", "TB4", "Camera an ninh", required=False),
                    ),
                    options={
                        "eligible_unit_kinds": [UnitKind.COMMUNE.value, UnitKind.HAMLET.value]
                    },
                ),
                AwardSpec("person", "LDTT", "Lao động tiên tiến", NomineeKind.INDIVIDUAL),
            ),
            users=(
                UserSpec("nominator_a", Role.NOMINATOR, "commune_a", "Trần Thị A"),
                UserSpec("nominator_b", Role.NOMINATOR, "commune_b", "Lê Văn B"),
                UserSpec("secretariat", Role.SECRETARIAT, "body"),
                UserSpec("chair", Role.CHAIR, "body"),
            ),
            campaign_name="Cao điểm thi đua “Đồng khởi mới”",
            opens_on=opens_on,
            closes_on=closes_on,
        )
    )
    units, criteria, users = world.units, world.criteria, world.users
    return World(
        body=units["body"],
        commune_a=units["commune_a"],
        hamlet_a=units["hamlet_a"],
        commune_b=units["commune_b"],
        nominator_a=users["nominator_a"],
        nominator_b=users["nominator_b"],
        secretariat=users["secretariat"],
        chair=users["chair"],
        team_award=world.awards["team"],
        person_award=world.awards["person"],
        campaign=world.campaign,
        yes_no=criteria["yes_no"],
        number=criteria["number"],
        text=criteria["text"],
        optional=criteria["optional"],
    )


def complete_answers(world: World) -> dict[int, Answer]:
    """Answers to every criterion of the collective award, with a note for the evidence."""
    return {
        world.yes_no.id: Answer(met=True),
        world.number.id: Answer(value=Decimal(72)),
        world.text.id: Answer(text="Mô hình “Ấp thông minh”", evidence_note="Biên bản số 12"),
    }


def fill_in(nomination: Nomination, world: World, actor: User) -> Nomination:
    """Answer every required criterion of the collective award (with evidence)."""
    update_nomination(nomination, Report(summary="Tóm tắt"), complete_answers(world), actor=actor)
    return nomination


# --- tiny real files ------------------------------------------------------------------------

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def png() -> bytes:
    """A valid 1 × 1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _jpeg() -> bytes:
    """A valid 1 × 1 JPEG (the upload check decodes it)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1, 1), (255, 0, 0)).save(out, "JPEG")
    return out.getvalue()


JPEG = _jpeg()

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


MAIN_PARTS = {
    "word/document.xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    ),
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}


def office(member: str) -> bytes:
    """A minimal DOCX (member "word/document.xml") or XLSX ("xl/workbook.xml"), its main part
    declared in [Content_Types].xml (the upload check looks for it)."""
    types = CONTENT_TYPES
    if member in MAIN_PARTS:
        override = f'<Override PartName="/{member}" ContentType="{MAIN_PARTS[member]}"/>'
        types = types.replace(b"/>", b">" + override.encode() + b"</Types>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr(
            member, b'<?xml version="1.0"?><document>Bi\xc3\xaan b\xe1\xba\xa3n</document>'
        )
    return out.getvalue()


def zip_bomb(uncompressed_mb: int) -> bytes:
    """A DOCX whose document expands to `uncompressed_mb` MB of zeros (written in chunks)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        chunk = bytes(1024 * 1024)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(uncompressed_mb):
                member.write(chunk)
    return out.getvalue()
