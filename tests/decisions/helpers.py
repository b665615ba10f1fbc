"""Scenery for the decision tests: passed dossiers, drafts, issued decisions and their stored
certificates; reading PDFs (pypdf and poppler's pdftotext); a canary HTTP server; a PostgreSQL
database of its own for the numbering race.

Built on tests.workflow.helpers' scene: a province above Huyện Chợ Lách (the awarding body), Xã
Sơn Định (its nominator) and Xã Vĩnh Bình (another unit's nominator), one user per role, and a
collective award "Tập thể tiêu biểu" without public posting.
"""

from __future__ import annotations

import html as html_module
import io
import re
import subprocess
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from flask import Flask
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from sqlalchemy import select

from recognition.campaigns.enums import NomineeKind
from recognition.campaigns.models import AwardType
from recognition.campaigns.services import offer_award
from recognition.certificates.models import Certificate
from recognition.certificates.rendering import store_certificates
from recognition.decisions import services
from recognition.decisions.models import Decision
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.services import Report, update_nomination
from recognition.units.models import Unit
from tests.conftest import Client, logged_in_client
from tests.support.advance import advance_to, answers_to
from tests.support.factories import AwardTypeFactory, NominationFactory
from tests.workflow.helpers import Scene, new_hamlet

# The day decisions are issued on in service tests (the clock is passed as `today=`).
ISSUE_DAY = date(2026, 3, 4)
ACHIEVEMENT = "Đã có thành tích xuất sắc trong phong trào thi đua “Đồng khởi mới” năm 2025"
NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


# --- awards and passed dossiers ----------------------------------------------------------------


def posting_award(
    scene: Scene, *, days: int = 7, code: str = "LDTT", name: str = "Lao động tiên tiến"
) -> AwardType:
    """A collective title of the scene's body that is posted publicly for `days` days."""
    award = AwardTypeFactory(
        awarding_body=scene.body,
        code=code,
        name=name,
        nominee_kind=NomineeKind.COLLECTIVE,
        public_posting_days=days,
        simplified_allowed=True,
    )
    offer_award(scene.campaign, award, quota=None)
    return award


def person_award(scene: Scene, *, code: str = "CSTDCS") -> AwardType:
    award = AwardTypeFactory(
        awarding_body=scene.body,
        code=code,
        name="Chiến sĩ thi đua cơ sở",
        nominee_kind=NomineeKind.INDIVIDUAL,
        simplified_allowed=True,
    )
    offer_award(scene.campaign, award, quota=None)
    return award


def passed(
    scene: Scene,
    *,
    name: str | None = None,
    award: AwardType | None = None,
    summary: str = ACHIEVEMENT,
) -> Nomination:
    """A collective dossier (a new hamlet of Xã Sơn Định) that the council passed."""
    nomination = NominationFactory(
        campaign=scene.campaign,
        award_type=award or scene.award,
        actor=scene.nominator,
        nominee_unit=new_hamlet(scene, name),
    )
    update_nomination(
        nomination,
        Report(summary=summary),
        answers_to(nomination.award_type),
        actor=scene.nominator,
    )
    return advance_to(nomination, NominationState.PASSED)


def passed_person(
    scene: Scene,
    award: AwardType,
    *,
    name: str,
    position: str = "Trưởng ấp",
    report: Report | None = None,
    unit: Unit | None = None,
    birth_year: int = 1980,
) -> Nomination:
    nomination = NominationFactory(
        campaign=scene.campaign,
        award_type=award,
        actor=scene.nominator,
        person_name=name,
        person_position=position,
        person_unit=unit or scene.hamlet_a,
        person_birth_year=birth_year,
    )
    update_nomination(
        nomination,
        report or Report(summary=ACHIEVEMENT),
        answers_to(nomination.award_type),
        actor=scene.nominator,
    )
    return advance_to(nomination, NominationState.PASSED)


def drafted(scene: Scene, nominations: list[Nomination]) -> Decision:
    return services.draft_decision(scene.body, nominations, actor=scene.secretariat)


def issued(
    scene: Scene,
    count: int = 2,
    *,
    today: date = ISSUE_DAY,
    names: list[str] | None = None,
) -> Decision:
    """A decision awarding `count` new passed dossiers, issued by the chair on `today`."""
    names = names or [f"Ấp Khen Thưởng {today.year}-{i}" for i in range(1, count + 1)]
    decision = drafted(scene, [passed(scene, name=name) for name in names])
    services.issue_decision(decision, actor=scene.chair, today=today)
    return decision


def certificates_of(decision: Decision) -> list[Certificate]:
    """The decision's certificates in annex order."""
    return [line.certificate for line in decision.lines if line.certificate is not None]


def stored(decision: Decision) -> list[Certificate]:
    """Render and store the decision's certificates (needs a request context for the QR URL)."""
    store_certificates(decision)
    db.session.flush()
    return certificates_of(decision)


def certificate_by_serial(public_serial: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.public_serial == public_serial))


# --- reading PDFs -----------------------------------------------------------------------------


def pdftotext(pdf: bytes, *, raw: bool = False) -> str:
    """The text poppler extracts (NFC); pages are separated by form feeds. `raw` keeps the
    content-stream order, which keeps rotated text (a watermark) in one piece."""
    assert pdf.startswith(b"%PDF-")
    command = ["pdftotext", "-enc", "UTF-8", *(["-raw"] if raw else []), "-", "-"]
    result = subprocess.run(  # noqa: S603 - a fixed command, the PDF on stdin
        command, input=pdf, capture_output=True, check=True, timeout=60
    )
    return unicodedata.normalize("NFC", result.stdout.decode("utf-8"))


def page_texts(pdf: bytes, *, raw: bool = False) -> list[str]:
    pages = pdftotext(pdf, raw=raw).split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def one_line(text: str) -> str:
    """White space (line breaks of the layout included) squeezed to single spaces."""
    return " ".join(text.split())


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    reader = PdfReader(io.BytesIO(pdf))
    return [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages]


def fonts(pdf: bytes) -> dict[str, bool]:
    """Every font in the pages' resources → whether its program is embedded (FontFile2)."""
    found: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources")
        font_map = resources.get_object().get("/Font") if resources else None
        for ref in (font_map.get_object() if font_map else {}).values():
            font = ref.get_object()
            descendant = font
            if font.get("/Subtype") == "/Type0":
                descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else DictionaryObject()
            found[str(font.get("/BaseFont"))] = "/FontFile2" in descriptor
    return found


# --- a server nobody should call ----------------------------------------------------------------


@dataclass
class Canary:
    port: int
    hits: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def canary_server() -> Iterator[Canary]:
    """A local HTTP server on 127.0.0.1 that records every connection and request made to it."""
    canary = Canary(port=0)

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            canary.hits.append(f"{self.command} {self.path}")
            body = b"body { color: red }"
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_HEAD = _answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def verify_request(self, request: Any, client_address: Any) -> bool:
            canary.hits.append(f"connection from {client_address[0]}")
            return True

    server = Server(("127.0.0.1", 0), Handler)
    canary.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield canary
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- HTTP -------------------------------------------------------------------------------------


def client_for(app: Flask, user: Any) -> Client:
    """A client of its own, logged in as `user`."""
    return logged_in_client(app, user)


# --- a database of its own, for the numbering race (PostgreSQL) ---------------------------------


@contextmanager
def numbering_database() -> Iterator[Flask]:
    """An app on a fresh PostgreSQL database (`throwaway_postgres`), dropped at the end of the run:
    each thread of the race needs its own connection and real commits."""
    from tests.conftest import app_on_throwaway_postgres

    with app_on_throwaway_postgres("recognition_numbering") as numbering_app:
        yield numbering_app


def page_text(html: str) -> str:
    """The visible text of a page (tags, scripts and styles removed, white space squeezed)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return one_line(html_module.unescape(body))


def in_english(client: Client) -> Client:
    """Switch the client's session to English (the page texts the tests read)."""
    response = client.post_form("/language/en")
    assert response.status_code == 302
    return client
