"""PDF fairness: another nominator's 2-page dossier and the chair's decision PDF while one nominator
fires five parallel heavy dossier renders, with the limits off ("before") and on ("after"),
side by side in one run on this machine.

    .venv/bin/python bench/pdf_fairness.py              # the finding's heavy dossier
    .venv/bin/python bench/pdf_fairness.py --scale 0.3  # a quicker run (the heavy one shrunk)

It builds its own temporary SQLite instance (the migrations, then the demo data) and serves the
requests through the whole HTTP stack (Flask test clients, logged in) from threads of one
process, as the threads of a web worker; the per-user lease is the one every process shares.

  - nominator A (ap.sonqui, Ấp Sơn Qui) sends GET …/dossier.pdf for a heavy dossier five
    times at once, from five browser tabs;
  - half a second later, nominator B (hnd.phuphung, Hội Nông dân xã Phú Phụng) asks for a
    2-page dossier and the chair (chutich) for the PDF of a decision.

Two heavy dossiers, both saved through the services (as any stored row, whatever the form):
"one char per line" is the finding's (every report field at its full length, one character
per line: about 1,300 pages); "longest legal" is the longest the form now accepts (every field
at its length and line limits, lines just too long for one printed line, every criterion's
self-assessment and evidence note at full length).

"before" turns the limits off: PDF_RENDERS_PER_USER = 0 (no per-user slot), PDF_LANES = False
(one first-come queue), PDF_MAX_PAGES = 0 (no page bound). One difference remains: waiting
for a worker no longer counts against PDF_TIMEOUT_SECONDS, so where the old code answered 503
after 120 s (the finding), "before" here waits on.

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import secrets
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RECOGNITION_SECRET_KEY", "bench-secret-key-not-for-production")

from flask import Flask
from flask_migrate import upgrade
from pypdf import PdfReader
from sqlalchemy import select

from recognition import create_app
from recognition.auth.models import User
from recognition.campaigns.enums import MeasureKind
from recognition.campaigns.models import AwardType, Campaign
from recognition.database import utcnow
from recognition.decisions import services
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.pdf import render_dossier
from recognition.nominations.services import (
    Answer,
    Nominee,
    Report,
    create_nomination,
    update_nomination,
)
from recognition.ops.demo import DEMO_PASSWORD, seed_demo
from recognition.units.models import Unit

# The report fields' limits of the form (nominations/forms.py): characters, lines.
LIMITS = {
    "summary": (3000, 30),
    "general": (20000, 300),
    "achievements": (50000, 1000),
    "criteria": (20000, 300),
    "commendations": (10000, 300),
}
# Words of a report, for text that wraps as Vietnamese prose does.
WORDS = "phong trào thi đua yêu nước xây dựng nông thôn mới đạt kết quả xuất sắc Đồng khởi"
BEFORE = {"PDF_RENDERS_PER_USER": 0, "PDF_LANES": False, "PDF_MAX_PAGES": 0}


def make_app(workdir: Path, **settings: Any) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite'}",
            "UPLOAD_DIR": str(workdir / "uploads"),
            "LEASE_DIR": str(workdir / "leases"),
            "REDIS_URL": None,
            "CERT_KEYS": (workdir / "cert_keys").read_text().strip(),
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 64,
            "SERVER_NAME": None,
            **settings,
        }
    )


def prose(length: int, rnd: random.Random) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < length + 20:
        words.append(rnd.choice(WORDS.split()))
    return " ".join(words)[:length].rstrip()


def one_char_per_line(scale: float) -> Report:
    fields = {
        name: "\n".join(["x"] * int(chars * scale / 2)) for name, (chars, _) in LIMITS.items()
    }
    return Report(**fields)


def longest_legal(rnd: random.Random, width: int = 90) -> Report:
    """Each field at its limits: lines of `width` characters (each prints on two lines at 13 pt)
    as many as the length allows, then empty lines up to the line limit."""
    fields = {}
    for name, (chars, lines) in LIMITS.items():
        full = min(lines, chars // (width + 1))
        rows = [prose(width, rnd) for _ in range(full)] + [""] * (lines - full)
        fields[name] = "\n".join(rows)[:chars]
    return Report(**fields)


@dataclass
class Ids:
    pathological: int
    legal: int
    small: int
    decision: int


def build(workdir: Path, scale: float) -> Ids:
    (workdir / "cert_keys").write_text(f"b1:{secrets.token_hex(32)}")
    app = make_app(workdir)
    rnd = random.Random(5)
    with app.test_request_context():
        upgrade()
        seed_demo()
        district = db.session.scalar(select(Unit).where(Unit.code == "28879", Unit.is_active))
        son_qui = db.session.scalar(select(Unit).where(Unit.name == "Ấp Sơn Qui"))
        farmers = db.session.scalar(select(Unit).where(Unit.name == "Hội Nông dân xã Phú Phụng"))
        users = {u.username: u for u in db.session.scalars(select(User))}
        campaign = db.session.scalar(
            select(Campaign).where(Campaign.awarding_body_id == district.id)
        )
        award = db.session.scalar(
            select(AwardType).where(
                AwardType.awarding_body_id == district.id, AwardType.code == "GK-CN"
            )
        )
        nominator_a, nominator_b = users["ap.sonqui"], users["hnd.phuphung"]

        def dossier(name: str, unit: Unit, actor: User, report: Report, full: bool) -> Nomination:
            nomination = create_nomination(
                campaign,
                award,
                Nominee(person_name=name, person_position="Trưởng ấp", person_unit=unit),
                actor=actor,
            )
            answers = {
                c.id: Answer(
                    text=prose(5000, rnd) if c.measure == MeasureKind.TEXT.value else "",
                    met=True if c.measure == MeasureKind.YES_NO.value else None,
                    evidence_note=prose(5000, rnd),
                )
                for c in award.criteria
                if full
            }
            update_nomination(nomination, report, answers, actor=actor)
            return nomination

        pathological = dossier(
            "Nguyễn Văn Dài", son_qui, nominator_a, one_char_per_line(scale), full=False
        )
        legal = dossier("Trần Thị Hết Cỡ", son_qui, nominator_a, longest_legal(rnd), full=True)
        small = dossier(
            "Lê Thị Gọn",
            farmers,
            nominator_b,
            Report(summary=prose(300, rnd), achievements=prose(2500, rnd)),
            full=False,
        )
        # The decision's dossiers: already passed (their way there is not measured here).
        passed = []
        for i in range(6):
            nomination = create_nomination(
                campaign,
                award,
                Nominee(person_name=f"Phạm Văn Khen {i}", person_unit=farmers),
                actor=nominator_b,
            )
            db.session.flush()
            nomination.state = NominationState.PASSED.value
            nomination.submitted_at = utcnow()
            nomination.reference = f"HS-F-{nomination.id:06d}"
            nomination.summary = "Đã có thành tích xuất sắc trong phong trào thi đua năm 2025"
            passed.append(nomination)
        db.session.flush()
        decision = services.draft_decision(district, passed, actor=users["thuky"])
        db.session.commit()
        return Ids(pathological.id, legal.id, small.id, decision.id)


def client(app: Flask, username: str) -> Any:
    browser = app.test_client()
    response = browser.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.status_code
    return browser


@dataclass
class Outcome:
    seconds: float
    status: int


def timed_get(browser: Any, url: str, into: list[Outcome], lock: threading.Lock) -> None:
    started = time.perf_counter()
    response = browser.get(url)
    response.get_data()
    with lock:
        into.append(Outcome(time.perf_counter() - started, response.status_code))


def scenario(app: Flask, ids: Ids, heavy: int) -> dict[str, Any]:
    """Five parallel heavy renders by A; B's small dossier and the chair's decision after."""
    tabs = [client(app, "ap.sonqui") for _ in range(5)]
    other, chair = client(app, "hnd.phuphung"), client(app, "chutich")
    lock = threading.Lock()
    a: list[Outcome] = []
    b: list[Outcome] = []
    c: list[Outcome] = []
    started = time.perf_counter()
    threads = [
        threading.Thread(target=timed_get, args=(tab, f"/nominations/{heavy}/dossier.pdf", a, lock))
        for tab in tabs
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    later = [
        threading.Thread(
            target=timed_get, args=(other, f"/nominations/{ids.small}/dossier.pdf", b, lock)
        ),
        threading.Thread(
            target=timed_get, args=(chair, f"/decisions/{ids.decision}/decision.pdf", c, lock)
        ),
    ]
    for thread in later:
        thread.start()
    for thread in threads + later:
        thread.join()
    return {
        "other": b[0],
        "chair": c[0],
        "nominator": Counter(o.status for o in a),
        "nominator_max": max(o.seconds for o in a),
        "wall": time.perf_counter() - started,
    }


def alone(app: Flask, nomination_id: int) -> tuple[int, float]:
    """Pages and seconds (the best of two) of one dossier rendered with nothing else running,
    on workers already started."""
    with app.test_request_context():
        nomination = db.session.get(Nomination, nomination_id)
        assert nomination is not None
        times = []
        for _ in range(2):
            started = time.perf_counter()
            pdf = render_dossier(nomination)
            times.append(time.perf_counter() - started)
        return len(PdfReader(io.BytesIO(pdf)).pages), min(times)


def show(label: str, result: dict[str, Any]) -> None:
    other, chair = result["other"], result["chair"]
    statuses = ", ".join(f"{n} × {s}" for s, n in sorted(result["nominator"].items()))
    print(
        f"  {label:<34} {other.seconds:7.1f} s ({other.status})  {chair.seconds:7.1f} s "
        f"({chair.status})   A: {statuses}, last after {result['nominator_max']:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="length of the one-char-per-line dossier"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="recognition-bench-") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        ids = build(workdir, args.scale)
        setup = time.perf_counter() - started
        print(f"Setup (SQLite, migrations, demo data, dossiers): {setup:.1f} s")
        print(f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
        before, after = make_app(workdir, **BEFORE), make_app(workdir)
        with after.app_context():
            pages, seconds = alone(after, ids.legal)
        print(
            f"\nThe longest dossier the form accepts, alone: {pages} pages in {seconds:.1f} s "
            f"(bound: {after.config['PDF_MAX_PAGES']} pages)"
        )
        print(
            f"\n  {'5 × A heavy, then B and the chair':<34} {'B 2-page dossier':>18}  "
            f"{'chair decision PDF':>18}"
        )
        for heavy, name in ((ids.pathological, "one char per line"), (ids.legal, "longest legal")):
            for label, app in (("before", before), ("after", after)):
                with app.app_context():
                    show(f"{label}, {name}", scenario(app, ids, heavy))
        print(f"\nLoad average at the end: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
