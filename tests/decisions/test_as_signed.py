"""The decision and its certificates read the way a chairman checks them before signing: each
line of the official pattern by its text, its place top to bottom, its colour and its font
(bold, italic), as pdfplumber reads them from the PDF; the decision's articles worded for what
it awards and its annex grouped by award, collectives first, numbered across the decision; on
each certificate the golden-book number is that annex number."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from flask import Flask

from recognition.campaigns.enums import AwardKind, NomineeKind
from recognition.campaigns.models import AwardType
from recognition.campaigns.services import offer_award
from recognition.certificates.models import Certificate
from recognition.certificates.rendering import render_batch, render_reference
from recognition.common import storage
from recognition.decisions import services
from recognition.decisions.documents import render_decision
from recognition.decisions.models import Decision
from recognition.extensions import db
from recognition.units.settings import settings_for, stored_settings
from tests.decisions.helpers import (
    ISSUE_DAY,
    MOTTO,
    NATIONAL,
    certificates_of,
    client_for,
    drafted,
    passed,
    passed_person,
)
from tests.decisions.test_blanks import png
from tests.support.factories import AwardTypeFactory
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration

MM = 72 / 25.4
RED = (0.702, 0.071, 0.114)  # #b3121d


@dataclass(frozen=True)
class Found:
    """A phrase as it sits on the page: the top of its first character (pt), the fonts and
    fill colours of its characters."""

    text: str
    top: float
    x0: float
    fonts: frozenset[str]
    colours: frozenset[tuple[float, ...]]
    size: float = 0.0

    @property
    def bold(self) -> bool:
        return all("Bold" in font for font in self.fonts)

    @property
    def italic(self) -> bool:
        return all("Italic" in font for font in self.fonts)

    @property
    def red(self) -> bool:
        return all(
            len(c) == 3 and all(abs(a - b) < 0.01 for a, b in zip(c, RED, strict=True))
            for c in self.colours
        )

    @property
    def black(self) -> bool:
        return all(sum(c) < 0.01 for c in self.colours)


def find(page: pdfplumber.page.Page, phrase: str) -> Found:
    """The first occurrence of `phrase` on the page (it must be there)."""
    matches = page.search(phrase, regex=False, return_chars=True)
    assert matches, f"{phrase!r} is not on the page"
    chars = [c for c in matches[0]["chars"] if c["text"].strip()]
    return Found(
        text=phrase,
        top=min(c["top"] for c in chars),
        x0=min(c["x0"] for c in chars),
        fonts=frozenset(c["fontname"].split("+")[-1] for c in chars),
        colours=frozenset(tuple(round(v, 3) for v in c["non_stroking_color"]) for c in chars),
        size=max(c["size"] for c in chars),
    )


def style(found: Found) -> tuple[str, str, str]:
    return (
        "red" if found.red else "black" if found.black else f"{set(found.colours)}",
        "bold" if found.bold else "regular",
        "italic" if found.italic else "upright",
    )


def saved(pdf: bytes, folder: Path, name: str) -> bytes:
    """Keep the PDF beside the test (to look at its pages), and give it back."""
    (folder / f"{name}.pdf").write_bytes(pdf)
    return pdf


# --- the awards -------------------------------------------------------------------------------


def commendation(scene: Scene, nominee_kind: NomineeKind) -> AwardType:
    """Giấy khen: the catalogue holds it once for collectives, once for individuals."""
    award = AwardTypeFactory(
        awarding_body=scene.body,
        code=f"GK-{nominee_kind.value[:2].upper()}",
        name="Giấy khen",
        certificate_title="GIẤY KHEN",
        kind=AwardKind.COMMENDATION,
        nominee_kind=nominee_kind,
        simplified_allowed=True,
    )
    offer_award(scene.campaign, award, quota=None)
    return award


def title(scene: Scene, *, code: str, name: str, certificate_title: str) -> AwardType:
    award = AwardTypeFactory(
        awarding_body=scene.body,
        code=code,
        name=name,
        certificate_title=certificate_title,
        kind=AwardKind.TITLE,
        nominee_kind=NomineeKind.INDIVIDUAL,
        simplified_allowed=True,
    )
    offer_award(scene.campaign, award, quota=None)
    return award


def the_decision(scene: Scene) -> Decision:
    """Giấy khen for 3 collectives and 2 individuals, Lao động tiên tiến for 2 individuals,
    given in a jumbled order."""
    giay_khen = commendation(scene, NomineeKind.INDIVIDUAL)
    collectives = commendation(scene, NomineeKind.COLLECTIVE)
    ldtt = title(
        scene, code="LDTT", name="Lao động tiên tiến", certificate_title="LAO ĐỘNG TIÊN TIẾN"
    )
    nominations = [
        passed_person(scene, ldtt, name="Võ Thị Lan"),
        passed_person(scene, giay_khen, name="Trần Văn Ánh"),
        passed(scene, name="Ấp Tân Thạnh", award=collectives),
        passed_person(scene, ldtt, name="Đặng Văn Bé"),
        passed(scene, name="Ấp An Hòa", award=collectives),
        passed_person(scene, giay_khen, name="Lê Thị Cúc"),
        passed(scene, name="Ấp Bình Đông", award=collectives),
    ]
    decision = drafted(scene, nominations)
    services.issue_decision(decision, actor=scene.chair, today=ISSUE_DAY)
    return decision


# --- the decision -----------------------------------------------------------------------------


def test_the_decision_names_who_proposed_and_words_each_award(scene: Scene, tmp_path: Path) -> None:
    decision = the_decision(scene)

    pdf = saved(render_decision(decision), tmp_path, "decision")

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        first = document.pages[0]
        text = " ".join(first.extract_text().split())
        national, motto = find(first, NATIONAL), find(first, MOTTO)
        basis = find(first, "Căn cứ Luật Thi đua, khen thưởng")
        proposal = find(first, "Theo đề nghị của Trưởng phòng Nội vụ.")
        decides = find(first, "QUYẾT ĐỊNH:")
        motto_rules = [
            line
            for line in first.lines + first.rects
            if abs(line["top"] - motto.top) < 25 and line["width"] > 100
        ]
        fonts = {font for page in document.pages for c in page.chars for font in [c["fontname"]]}
    assert (
        style(national),
        national.fonts,
        style(motto),
        style(basis),
        style(proposal),
        basis.top < proposal.top < decides.top,
    ) == (
        ("black", "bold", "upright"),
        frozenset({"Liberation-Serif-Bold"}),
        ("black", "bold", "upright"),
        ("black", "regular", "italic"),
        ("black", "regular", "italic"),
        True,
    )
    assert [f for f in fonts if not f.split("+")[-1].startswith("Liberation-Serif")] == []
    # Decree 30/2020: a rule under the motto as long as the motto.
    motto_width = first.search(MOTTO)[0]["x1"] - first.search(MOTTO)[0]["x0"]
    assert {abs(rule["width"] - motto_width) < 3 for rule in motto_rules} == {True}
    articles = [
        "Điều 1. Khen thưởng các tập thể, cá nhân sau:",
        "1. Tặng Giấy khen của Chủ tịch Ủy ban nhân dân huyện Chợ Lách cho 3 tập thể và 2 cá "
        "nhân (có danh sách kèm theo) đã có thành tích xuất sắc trong",
        "2. Công nhận danh hiệu “Lao động tiên tiến” cho 2 cá nhân (có danh sách kèm theo)",
        "Điều 2. Tiền thưởng kèm theo được chi theo quy định",
        "Điều 3. Chánh Văn phòng, Trưởng phòng Nội vụ, Thủ trưởng các cơ quan",
    ]
    full = " ".join(decision.articles.split())
    assert [a for a in articles if a not in full] == []
    positions = [text.find(a[:40]) for a in articles]
    assert (min(positions) >= 0 or positions, positions == sorted(positions)) == (True, True)
    assert "tập thể, cá nhân có thành tích" not in full
    assert decision.title == "Về việc tặng Giấy khen và công nhận danh hiệu “Lao động tiên tiến”"


def test_the_annex_is_grouped_by_award_collectives_first_numbered_across(
    scene: Scene, tmp_path: Path
) -> None:
    decision = the_decision(scene)

    pdf = saved(render_decision(decision), tmp_path, "annex")

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        annex = document.pages[-1]
        rows = [
            [" ".join((cell or "").split()) for cell in row]
            for table in annex.extract_tables()
            for row in table
        ]
        heading = find(annex, "I. Tặng Giấy khen")
    assert [row[:2] for row in rows] == [
        ["STT", "Họ và tên / Tập thể"],
        ["I. Tặng Giấy khen của Chủ tịch Ủy ban nhân dân huyện Chợ Lách", ""],
        ["1", "Ấp An Hòa"],
        ["2", "Ấp Bình Đông"],
        ["3", "Ấp Tân Thạnh"],
        ["4", "Lê Thị Cúc"],
        ["5", "Trần Văn Ánh"],
        ["II. Công nhận danh hiệu “Lao động tiên tiến”", ""],
        ["6", "Đặng Văn Bé"],
        ["7", "Võ Thị Lan"],
    ]
    assert style(heading) == ("black", "bold", "upright")
    assert [line.position for line in decision.lines] == [1, 2, 3, 4, 5, 6, 7]


def test_the_proposer_defaults_by_level_and_follows_the_settings(scene: Scene) -> None:
    stored_settings(scene.body).proposer = "Trưởng phòng Văn hóa - Xã hội"

    decision = drafted(scene, [passed(scene, name="Ấp Phú Hữu Mới")])

    assert (
        settings_for(scene.province).proposer,
        settings_for(scene.commune_a).proposer,
        decision.proposal,
        decision.articles.splitlines()[0].startswith(
            "Điều 1. Tặng Tập thể tiêu biểu cho 1 tập thể (có danh sách kèm theo) đã có thành "
            "tích xuất sắc trong "
        ),
        "Trưởng phòng Văn hóa - Xã hội, Thủ trưởng" in decision.articles,
    ) == (
        "Giám đốc Sở Nội vụ",
        "Trưởng phòng Văn hóa - Xã hội",
        "Theo đề nghị của Trưởng phòng Văn hóa - Xã hội.",
        True,
        True,
    )


def test_the_proposer_is_set_in_the_settings_page_and_edited_on_the_draft(
    app: Flask, scene: Scene
) -> None:
    secretariat = client_for(app, scene.secretariat)
    current = settings_for(scene.body)
    form = {
        name: getattr(current, name)
        for name in (
            "superior_name",
            "issuer_name",
            "signer_office",
            "signer_title",
            "signer_name",
            "place_name",
            "number_suffix",
            "legal_bases",
            "recipients",
            "paper",
        )
    }

    saved_page = secretariat.post_form(
        f"/decisions/settings/{scene.body.id}",
        {**form, "proposer": "Trưởng phòng Văn hóa - Xã hội"},
    )
    decision = drafted(scene, [passed(scene, name="Ấp Phú Hữu Mới")])
    db.session.commit()
    texts = {
        "title": decision.title,
        "legal_bases": decision.legal_bases,
        "articles": decision.articles,
        "recipients": decision.recipients,
        "signer_title": decision.signer_title,
        "signer_name": "Nguyễn Văn Chủ",
    }
    proposed = decision.proposal
    edited_page = secretariat.post_form(
        f"/decisions/{decision.id}", {**texts, "proposal": "Theo đề nghị của Chánh Văn phòng."}
    )
    db.session.expire_all()

    assert (saved_page.status_code, proposed, edited_page.status_code, decision.proposal) == (
        302,
        "Theo đề nghị của Trưởng phòng Văn hóa - Xã hội.",
        302,
        "Theo đề nghị của Chánh Văn phòng.",
    )


# --- the certificates -------------------------------------------------------------------------

CERTIFICATE_LINES = (
    # (phrase, colour, weight, slant) in the pattern's order, top to bottom
    (NATIONAL, "black", "bold", "upright"),
    (MOTTO, "black", "bold", "upright"),
    ("CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN CHỢ LÁCH", "red", "bold", "upright"),
)


def read_certificate(pdf: bytes, give: str, award: str, recipient: str) -> dict[str, Found]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 1
        page = document.pages[0]
        found = {phrase: find(page, phrase) for phrase, *_ in CERTIFICATE_LINES}
        # "TẶNG" is also the start of "TẶNG DANH HIỆU": the line is found whole.
        found["give"] = find(page, give)
        found["award"] = find(page, award)
        found["recipient"] = find(page, recipient)
        found["achievement"] = find(page, "Đã có thành tích xuất sắc")
        found["decision"] = find(page, "Quyết định số 01/QĐ-UBND ngày 04/03/2026")
        found["place_date"] = find(page, "Chợ Lách, ngày 04 tháng 3 năm 2026")
        text = page.extract_text()
        found["lines"] = Found(text, 0, 0, frozenset(), frozenset())
    return found


def check_pattern(found: dict[str, Found], golden: int) -> None:
    order = [found[p] for p, *_ in CERTIFICATE_LINES] + [
        found["give"],
        found["award"],
        found["recipient"],
        found["achievement"],
        found["decision"],
    ]
    assert [f.top for f in order] == sorted(f.top for f in order)
    assert [style(found[p]) for p, *_ in CERTIFICATE_LINES] == [
        tuple(rest) for _, *rest in CERTIFICATE_LINES
    ]
    assert (
        style(found["give"]),
        style(found["award"]),
        style(found["recipient"]),
        style(found["achievement"])[0],
        style(found["decision"]),
        style(found["place_date"]),
    ) == (
        ("black", "bold", "upright"),
        ("red", "bold", "upright"),
        ("black", "bold", "upright"),
        "black",
        ("black", "bold", "italic"),
        ("black", "bold", "italic"),
    )
    assert f"Số sổ vàng: {golden}" in found["lines"].text


def footer(pdf: bytes, certificate: Certificate) -> dict[str, tuple[str, str, str] | bool]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        decision = find(page, "Quyết định số 01/QĐ-UBND")
        golden = find(page, f"Số sổ vàng: {certificate.line.position}")
        lookup = find(page, f"Mã tra cứu: {certificate.public_serial}")
        place = find(page, "Chợ Lách, ngày 04 tháng 3 năm 2026")
        signer = [w for w in page.extract_words() if w["text"] == "CHỦ" and w["x0"] > place.x0]
    return {
        "golden": style(golden),
        "golden below decision": golden.top > decision.top,
        "golden at the decision's left": abs(golden.x0 - decision.x0) < 1,
        "lookup small": lookup.size < 9 and style(lookup)[1:] == ("regular", "upright"),
        "place at the right": place.x0 > page.width / 2,
        "signer under place": bool(signer) and signer[0]["top"] > place.top,
    }


def drawings(pdf: bytes) -> list[dict[str, object]]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        return [*page.curves, *page.rects, *page.lines, *page.images]


def red_fills_beside_emblem(pdf: bytes) -> tuple[int, int]:
    """Red-filled shapes in the emblem's band, left and right of the emblem."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        middle = page.width / 2
        band = [
            c
            for c in page.curves
            if c["bottom"] < 45 * MM and c.get("fill") and c["non_stroking_color"] is not None
        ]
        red = [
            c
            for c in band
            if len(c["non_stroking_color"]) == 3
            and c["non_stroking_color"][0] > 0.7
            and c["non_stroking_color"][1] < 0.15
        ]
        return (
            len([c for c in red if c["x1"] < middle - 10 * MM]),
            len([c for c in red if c["x0"] > middle + 10 * MM]),
        )


def issued_for(scene: Scene, award: AwardType, name: str) -> Certificate:
    decision = drafted(scene, [passed_person(scene, award, name=name)])
    services.issue_decision(decision, actor=scene.chair, today=ISSUE_DAY)
    return certificates_of(decision)[0]


@pytest.mark.parametrize("emblem", [True, False], ids=["emblem", "drawn-emblem"])
def test_a_giay_khen_reads_as_the_pattern(scene: Scene, tmp_path: Path, emblem: bool) -> None:
    if emblem:
        settings = stored_settings(scene.body)
        settings.emblem_key = storage.store_bytes(png("emblem", 10), "image/png").storage_key
    decision = the_decision(scene)
    certificate = certificates_of(decision)[4]  # Trần Văn Ánh, fifth in the annex

    pdf = saved(render_batch([certificate]), tmp_path, f"giay-khen-{emblem}")

    found = read_certificate(pdf, "TẶNG", "GIẤY KHEN", "Trần Văn Ánh")
    check_pattern(found, golden=5)
    assert "TẶNG DANH HIỆU" not in found["lines"].text
    assert footer(pdf, certificate) == {
        "golden": ("black", "bold", "italic"),
        "golden below decision": True,
        "golden at the decision's left": True,
        "lookup small": True,
        "place at the right": True,
        "signer under place": True,
    }
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        images = page.images
        golds = [
            c
            for c in page.curves
            if c["bottom"] < 45 * MM
            and c["non_stroking_color"] is not None
            and len(c["non_stroking_color"]) == 3
            and c["non_stroking_color"][0] > 0.8
            and 0.5 < c["non_stroking_color"][1] < 0.7
        ]
    # The uploaded emblem as an image, or the drawn one (gold star and ring on a red disc).
    assert (len(images) >= 1, len(golds) >= 2) == (emblem, not emblem)
    assert red_fills_beside_emblem(pdf) == (0, 0)


def test_a_cstdcs_certificate_gives_the_title_with_red_flags(scene: Scene, tmp_path: Path) -> None:
    cstdcs = title(
        scene,
        code="CSTDCS",
        name="Chiến sĩ thi đua cơ sở",
        certificate_title="CHIẾN SĨ THI ĐUA CƠ SỞ",
    )
    certificate = issued_for(scene, cstdcs, "Nguyễn Thị Bích Vân")

    pdf = saved(render_batch([certificate]), tmp_path, "cstdcs")

    found = read_certificate(pdf, "TẶNG DANH HIỆU", "CHIẾN SĨ THI ĐUA CƠ SỞ", "Nguyễn Thị Bích Vân")
    check_pattern(found, golden=1)
    left, right = red_fills_beside_emblem(pdf)
    assert (left >= 3, right >= 3, left == right) == (True, True, True)


@pytest.mark.parametrize("emblem", [True, False], ids=["emblem", "drawn-emblem"])
def test_nothing_is_drawn_outside_the_border(scene: Scene, emblem: bool) -> None:
    if emblem:
        settings = stored_settings(scene.body)
        settings.emblem_key = storage.store_bytes(png("emblem", 10), "image/png").storage_key
    certificate = certificates_of(the_decision(scene))[0]

    for pdf in (render_batch([certificate]), render_reference([certificate])):
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            width, height = document.pages[0].width, document.pages[0].height
        # The outer (gold, double) rule starts 9 mm inside the sheet's edge.
        edge = 9 * MM - 0.5
        outside = [
            (d.get("object_type"), round(float(d["x0"])), round(float(d["top"])))  # type: ignore[arg-type]
            for d in drawings(pdf)
            if float(d["x0"]) < edge  # type: ignore[arg-type]
            or float(d["top"]) < edge  # type: ignore[arg-type]
            or float(d["x1"]) > width - edge  # type: ignore[arg-type]
            or float(d["bottom"]) > height - edge  # type: ignore[arg-type]
        ]
        assert outside == []
