"""Nothing a user typed is fetched or rendered as markup in a PDF (docs/reliability.md, "PDF
rendering"): URLs and HTML planted in every field that reaches the dossier, the decision, the
certificates and the minutes stay literal text, no local file is read and no server is called;
and the renderer's fetcher serves the app's static files and data: URLs only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale
from weasyprint import HTML

import recognition.common.pdf
from recognition.campaigns.enums import NomineeKind
from recognition.campaigns.services import offer_award
from recognition.certificates.rendering import render_batch, render_singles
from recognition.common.pdf import STATIC, StaticOnlyFetcher
from recognition.council import services as council
from recognition.council.enums import CouncilRole, SessionKind
from recognition.council.minutes import render_minutes
from recognition.decisions import services
from recognition.decisions.documents import render_decision
from recognition.nominations.pdf import render_dossier
from recognition.nominations.services import Report
from recognition.units.settings import stored_settings
from tests.decisions.helpers import (
    ISSUE_DAY,
    Canary,
    canary_server,
    certificates_of,
    drafted,
    passed_person,
    pdftotext,
)
from tests.support.factories import AwardTypeFactory
from tests.workflow.helpers import Scene, build_scene

PASSWD = "file:///etc/passwd"
IMG = '<img src="file:///etc/passwd">'
RAW = "<b>đậm</b><script>alert(1)</script>"


def link(canary: Canary) -> str:
    return f'<link rel=stylesheet href="{canary.base}/x.css">'


def css_url(canary: Canary) -> str:
    return f"url({canary.base}/a.png)"


def everything(canary: Canary) -> str:
    return f"{PASSWD} {IMG} {link(canary)} {css_url(canary)} {RAW}"


def squeezed(text: str) -> str:
    """Without any white space: the PDF's line breaks may fall anywhere in a long payload."""
    return "".join(text.split())


@pytest.fixture
def _in_request() -> None:
    """Each test opens the requests it needs itself."""


@pytest.fixture
def canary() -> Iterator[Canary]:
    with canary_server() as server:
        yield server


# --- every user field of every PDF ----------------------------------------------------------------


def plant(scene: Scene, canary: Canary) -> dict[str, object]:
    """A person's dossier, its decision and settings, with a payload in every text field."""
    full = everything(canary)
    scene.campaign.name = f"Phong trào {full}"
    award = AwardTypeFactory(
        awarding_body=scene.body,
        code="XSS",
        name=f"Danh hiệu {IMG} {css_url(canary)}",
        certificate_title=f"GIẤY KHEN {IMG}",
        nominee_kind=NomineeKind.INDIVIDUAL,
        simplified_allowed=True,
    )
    offer_award(scene.campaign, award, quota=None)
    nomination = passed_person(
        scene,
        award,
        name=f"{IMG}{link(canary)}",
        position=f"{PASSWD} {css_url(canary)} {RAW}",
        report=Report(
            summary=f"Đã có thành tích {full}",
            general=f"Chung {full}",
            achievements=f"Thành tích {full}",
            criteria=f"Tiêu chí {full}",
            commendations=f"Khen thưởng {full}",
        ),
    )
    settings = stored_settings(scene.body)
    settings.superior_name = f"{IMG} {css_url(canary)}"
    settings.issuer_name = f"{link(canary)} {RAW}"
    settings.signer_office = f"CHỦ TỊCH {IMG} {css_url(canary)}"
    settings.place_name = f"{PASSWD} <i>x</i>"
    settings.number_suffix = "<b>QĐ</b>"
    settings.legal_bases = f"Căn cứ {full}"
    settings.recipients = f"- {full}"
    decision = drafted(scene, [nomination])
    services.update_draft(
        decision,
        services.DecisionTexts(
            title=f"Về việc {full}",
            legal_bases=f"Căn cứ {full}\nCăn cứ {IMG}",
            articles=f"Điều 1. {full}\nĐiều 2. {link(canary)}",
            recipients=f"- {full}",
            signer_title=f"CHỦ TỊCH {IMG}",
            signer_name=f"{link(canary)}",
        ),
        actor=scene.secretariat,
    )
    return {"nomination": nomination, "decision": decision}


def minutes_with_payloads(scene: Scene, canary: Canary) -> bytes:
    scene.chair.full_name = f"Nguyễn {IMG} {link(canary)}"
    council.add_member(scene.body, scene.chair, role=CouncilRole.CHAIR, term_start=date(2021, 7, 1))
    session = council.create_session(
        scene.body,
        council.SessionData(
            title=f"Phiên họp {everything(canary)}",
            kind=SessionKind.MEETING,
            held_on=date(2025, 7, 10),
            place=f"{PASSWD} {css_url(canary)} {RAW}",
        ),
    )
    return render_minutes(session)


@pytest.mark.integration
def test_payloads_in_every_field_stay_literal_text(app: Flask, canary: Canary) -> None:
    with app.test_request_context(), force_locale("vi"):
        scene = build_scene()
        planted = plant(scene, canary)
        decision = planted["decision"]
        pdfs = {"dossier": render_dossier(planted["nomination"])}  # type: ignore[arg-type]
        pdfs["draft decision"] = render_decision(decision)  # type: ignore[arg-type]
        services.issue_decision(decision, actor=scene.chair, today=ISSUE_DAY)  # type: ignore[arg-type]
        pdfs["decision"] = render_decision(decision)  # type: ignore[arg-type]
        pdfs["certificates"] = render_batch(certificates_of(decision))  # type: ignore[arg-type]
        pdfs["stored certificate"] = render_singles(certificates_of(decision))[0]  # type: ignore[arg-type]
        pdfs["minutes"] = minutes_with_payloads(scene, canary)

    # Content-stream order: a long payload on a certificate runs into the footer, and the
    # reading order would interleave the two.
    texts = {name: squeezed(pdftotext(pdf, raw=True)) for name, pdf in pdfs.items()}
    # What each document shows literally (certificate titles are upper-cased by the catalogue).
    expected = {
        "dossier": [everything(canary), IMG + link(canary)],
        "draft decision": [everything(canary), f"Căn cứ {IMG}", link(canary), RAW],
        "decision": [everything(canary), IMG + link(canary), "1/<b>QĐ</b>", f"{PASSWD} <i>x</i>"],
        "certificates": [
            IMG + link(canary),
            f"Đã có thành tích {everything(canary)}",
            f"GIẤY KHEN {IMG.upper()}",
            f"{PASSWD} <i>x</i>",
            f"CHỦ TỊCH {IMG} {css_url(canary)}",
        ],
        "stored certificate": [IMG + link(canary), f"Đã có thành tích {everything(canary)}"],
        "minutes": [everything(canary), f"{PASSWD} {css_url(canary)} {RAW}", IMG + link(canary)],
    }
    missing = {
        name: [s for s in strings if squeezed(s) not in texts[name]]
        for name, strings in expected.items()
    }
    assert (
        canary.hits,
        [name for name, text in texts.items() if "root:x:0:0" in text],
        {name: found for name, found in missing.items() if found},
    ) == ([], [], {})


# --- the fetcher itself ---------------------------------------------------------------------------


@pytest.mark.unit
def test_the_canary_would_see_a_fetch(canary: Canary) -> None:
    # The control: WeasyPrint's own fetcher calls the canary; ours does not.
    page = f'<link rel=stylesheet href="{canary.base}/x.css"><img src="{canary.base}/a.png">x'
    HTML(string=page, url_fetcher=StaticOnlyFetcher()).write_pdf()
    ours = list(canary.hits)

    HTML(string=page).write_pdf()

    assert (ours, sorted(hit for hit in canary.hits if not hit.startswith("connection"))) == (
        [],
        ["GET /a.png", "GET /x.css"],
    )


@pytest.mark.unit
@pytest.mark.parametrize(
    "relative", ["fonts/fonts.css", "fonts/liberation/LiberationSerif-Regular.ttf"]
)
def test_static_files_are_served(relative: str) -> None:
    path = STATIC / relative

    response = StaticOnlyFetcher().fetch(path.as_uri())

    assert response.read() == path.read_bytes()


@pytest.mark.unit
def test_data_urls_are_served() -> None:
    response = StaticOnlyFetcher().fetch("data:text/plain;base64,eGluIGNow6Bv")

    assert (response.read(), response.content_type) == ("xin chào".encode(), "text/plain")


@pytest.mark.unit
def test_a_query_or_fragment_does_not_change_the_file() -> None:
    path = STATIC / "fonts" / "fonts.css"

    response = StaticOnlyFetcher().fetch(f"{path.as_uri()}?v=1#top")

    assert response.read() == path.read_bytes()


def refused_urls(canary: Canary) -> list[str]:
    return [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "FILE:///etc/passwd",
        f"file://{STATIC}/../pyproject.toml",
        f"file://{STATIC}/fonts/../../recognition/config.py",
        f"file://{STATIC}/%2e%2e/pyproject.toml",
        f"file://{STATIC}/fonts",  # a directory
        f"file://{STATIC}/fonts/missing.ttf",
        f"{canary.base}/x.css",
        f"http://localhost:{canary.port}/a.png",
        "https://127.0.0.1:1/x.css",
        "https://example.com/x.css",
        "ftp://127.0.0.1/x.css",
        "ftp://example.com/a.png",
        "gopher://127.0.0.1/x",
        "/etc/passwd",
        "../pyproject.toml",
    ]


@pytest.mark.unit
def test_everything_else_is_refused(canary: Canary) -> None:
    fetcher = StaticOnlyFetcher()
    outcomes = {}
    for url in refused_urls(canary):
        try:
            fetcher.fetch(url)
        except ValueError:
            outcomes[url] = "refused"
        else:
            outcomes[url] = "served"

    assert (outcomes, canary.hits) == (dict.fromkeys(refused_urls(canary), "refused"), [])


@pytest.mark.unit
def test_a_symlink_out_of_static_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (static / "inside.css").write_text("p { color: red }")
    (static / "outside.css").symlink_to("/etc/passwd")
    monkeypatch.setattr(recognition.common.pdf, "STATIC", static.resolve())
    fetcher = StaticOnlyFetcher()

    inside = fetcher.fetch((static / "inside.css").as_uri()).read()
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch((static / "outside.css").as_uri())

    assert inside == b"p { color: red }"
