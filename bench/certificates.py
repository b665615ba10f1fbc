"""Certificate rendering and download, measured side by side in one run on this machine.

    .venv/bin/python bench/certificates.py            # full sizes: 500, 1,000, 200 requests
    .venv/bin/python bench/certificates.py --n 20     # a quick run (every size shrunk)
    .venv/bin/python bench/certificates.py --profile  # also profile the batch path (cProfile)

It builds its own temporary SQLite instance (the migrations, then the demo data), creates the
passed dossiers and issues one decision through the services, then measures:

  (a) one WeasyPrint call per certificate, the whole template each time, in this process:
      render_reference([c]) for each of N certificates;
  (b) the batch path for the same N: the layered rendering (recognition.certificates.rendering)
      over the render workers, as one PDF for printing (render_batch) and as the single PDFs
      that are stored (render_singles); and the same on one worker, to show the share of the
      second core;
  (c) 1,000 certificates in one batch: wall seconds and peak memory (VmHWM, the peak resident
      set, of a fresh process that includes the interpreter, the app and the 1,000 loaded rows,
      plus the peaks of its render workers; ru_maxrss would carry the parent's peak over fork);
  (d) re-download of a stored certificate through the HTTP stack (Flask test client,
      GET /certificates/<id>.pdf, logged in as the dossier's nominator).

Figures are printed, never asserted. The targets of the issue are printed beside them.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
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
from recognition.campaigns.models import AwardType, Campaign
from recognition.certificates.models import Certificate
from recognition.certificates.rendering import (
    certificate_view,
    compose_singles,
    render_batch,
    render_reference,
    render_sheet,
    render_singles,
    store_certificates,
)
from recognition.common import render_pool
from recognition.database import utcnow
from recognition.decisions import services
from recognition.decisions.models import Decision
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.nominations.services import Nominee, create_nomination
from recognition.ops.demo import DEMO_PASSWORD, seed_demo
from recognition.units.models import Unit

ISSUE_DAY = date(2026, 3, 4)
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hữu", "Thị Kim", "Quốc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Đào", "Hà", "Hạnh", "Khánh", "Lan", "Phúc", "Tâm"]


def make_app(workdir: Path, processes: int = 2) -> Flask:
    return create_app(
        {
            "PDF_PROCESSES": processes,
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite'}",
            "UPLOAD_DIR": str(workdir / "uploads"),
            "CERT_KEYS": (workdir / "cert_keys").read_text().strip(),
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": None,
            "PUBLIC_URL": "https://khenthuong.cholach.example",
        }
    )


def person_name(i: int) -> str:
    return f"{SURNAMES[i % 10]} {MIDDLE[(i // 10) % 8]} {GIVEN[(i // 80) % 11]} {i:04d}"


def build(workdir: Path, count: int) -> dict[str, int]:
    """The demo data, `count` passed individual dossiers, and one decision awarding them all
    (plus a one-line decision whose certificate is stored, for the download)."""
    (workdir / "cert_keys").write_text(f"b1:{secrets.token_hex(32)}")
    app = make_app(workdir)
    # A request context: notifications queued by the workflow link to pages.
    with app.test_request_context():
        upgrade()
        seed_demo()
        district = db.session.scalar(select(Unit).where(Unit.code == "28879", Unit.is_active))
        hamlet = db.session.scalar(select(Unit).where(Unit.name == "Ấp Sơn Qui"))
        users = {u.username: u for u in db.session.scalars(select(User))}
        campaign = db.session.scalar(
            select(Campaign).where(Campaign.awarding_body_id == district.id)
        )
        award = db.session.scalar(
            select(AwardType).where(
                AwardType.awarding_body_id == district.id, AwardType.code == "GK-CN"
            )
        )
        nominator, secretariat, chair = users["ap.sonqui"], users["thuky"], users["chutich"]
        nominations = []
        for i in range(count + 1):
            nomination = create_nomination(
                campaign,
                award,
                Nominee(
                    person_name=person_name(i),
                    person_position="Trưởng ấp" if i % 3 else "Tổ trưởng Tổ công nghệ số cộng đồng",
                    person_unit=hamlet,
                    person_birth_year=1960 + i % 40,
                ),
                actor=nominator,
            )
            # Bench setup: submission, appraisal and the council's vote are not measured here.
            db.session.flush()
            nomination.state = NominationState.PASSED.value
            nomination.submitted_at = utcnow()
            nomination.reference = f"HS-B-{nomination.id:06d}"
            nomination.summary = (
                "Đã có thành tích xuất sắc trong Cao điểm thi đua “Đồng khởi mới” năm 2024 - 2025"
            )
            nominations.append(nomination)
        db.session.flush()
        big = services.draft_decision(district, nominations[:count], actor=secretariat)
        small = services.draft_decision(district, nominations[count:], actor=secretariat)
        services.issue_decision(big, actor=chair, today=ISSUE_DAY)
        services.issue_decision(small, actor=chair, today=ISSUE_DAY)
        store_certificates(small)
        db.session.commit()
        stored = small.lines[0].certificate
        return {"big": big.id, "stored": stored.id if stored else 0}


def certificates(decision_id: int, count: int) -> list[Certificate]:
    decision = db.session.get(Decision, decision_id)
    assert decision is not None
    found = [line.certificate for line in decision.lines if line.certificate is not None]
    return found[:count]


def vm_hwm_mib(pid: int | str = "self") -> float:
    """Peak resident memory of a process, MiB (VmHWM from /proc; 0 where there is none)."""
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return 0.0
    for line in status.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return 0.0


def worker_peaks_mib() -> list[float]:
    """The peak resident memory of each live render worker (the pool is render_pool's)."""
    pool = render_pool._pool
    processes = getattr(pool, "_pool", []) if pool is not None else []
    return [vm_hwm_mib(process.pid) for process in processes]


# --- the measurements -----------------------------------------------------------------------------


def one_call_each(app: Flask, decision_id: int, count: int) -> tuple[float, float]:
    """(wall, CPU) seconds for `count` certificates, one WeasyPrint call each."""
    with app.test_request_context():
        chosen = certificates(decision_id, count)
        render_reference(chosen[:1])  # warm-up: imports, font loading, template compilation
        start, cpu = time.perf_counter(), time.process_time()
        for certificate in chosen:
            render_reference([certificate])
        return time.perf_counter() - start, time.process_time() - cpu


def batch(app: Flask, decision_id: int, count: int) -> dict[str, float]:
    """Wall seconds of the batch path for `count` certificates: one PDF, and the singles."""
    with app.test_request_context():
        chosen = certificates(decision_id, count)
        render_batch(chosen[:40])  # warm-up: the workers start and load their fonts
        before = vm_hwm_mib()
        start = time.perf_counter()
        pages = len(PdfReader(io.BytesIO(render_batch(chosen))).pages)
        joined = time.perf_counter() - start
        start = time.perf_counter()
        singles = len(render_singles(chosen))
        split = time.perf_counter() - start
    return {
        "count": len(chosen),
        "pages": pages,
        "singles": singles,
        "batch": joined,
        "split": split,
        "rss_before_mib": before,
        "peak_mib": vm_hwm_mib(),
        "worker_peaks_mib": worker_peaks_mib(),  # type: ignore[dict-item]
    }


def downloads(app: Flask, certificate_id: int, requests: int) -> dict[str, float]:
    client = app.test_client()
    response = client.post("/login", data={"username": "ap.sonqui", "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.status_code
    first = client.get(f"/certificates/{certificate_id}.pdf")
    assert first.status_code == 200, first.status_code
    times = []
    identical = True
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(f"/certificates/{certificate_id}.pdf")
        body = response.data
        times.append((time.perf_counter() - start) * 1000)
        identical = identical and response.status_code == 200 and body == first.data
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "min": times[0],
        "max": times[-1],
        "identical": identical,
        "bytes": len(first.data),
    }


def profile_batch(app: Flask, decision_id: int, count: int) -> None:
    """Profile the work of one render job (in this process: the workers are not profiled)."""
    from flask import render_template

    with app.test_request_context():
        chosen = certificates(decision_id, count)
        views = [certificate_view(c) for c in chosen]
        template = "pdf/certificate.html"
        sheet, geometry = render_sheet(
            render_template(template, certificates=views[:1], paper="A4", layer="sheet")
        )

        def text(some: list[Any]) -> str:
            return render_template(
                template, certificates=some, paper="A4", layer="text", geometry=geometry
            )

        urls = [view.verify_url for view in views]
        slot = tuple(geometry[f"qr_{side}"] for side in ("left", "top", "right", "bottom"))
        compose_singles(sheet, text(views[:1]), urls[:1], slot)
        profiler = cProfile.Profile()
        profiler.enable()
        compose_singles(sheet, text(views), urls, slot)
        profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())  # type: ignore[attr-defined]
    by_area: dict[str, float] = defaultdict(float)
    for (filename, _, _), row in stats.stats.items():  # type: ignore[attr-defined]
        by_area[area_of(filename)] += row[2]  # own time (tottime)
    print(f"\nProfile of one render job, {len(chosen)} certificates (cProfile, own time):")
    for area, seconds in sorted(by_area.items(), key=lambda item: -item[1]):
        if seconds / total >= 0.01:
            print(f"  {area:<44} {seconds:7.2f} s  {seconds * 100 / total:5.1f} %")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    print("\nTop 25 by cumulative time:")
    print("\n".join(out.getvalue().splitlines()[6:40]))


AREAS = [
    ("weasyprint/layout", "WeasyPrint layout"),
    ("weasyprint/formatting_structure", "WeasyPrint box building"),
    ("weasyprint/css", "WeasyPrint CSS (cascade, computed values)"),
    ("weasyprint/text", "WeasyPrint text (Pango shaping, line breaks)"),
    ("weasyprint/draw", "WeasyPrint drawing"),
    ("weasyprint/pdf/fonts", "WeasyPrint font embedding"),
    ("weasyprint/pdf", "WeasyPrint PDF writing"),
    ("weasyprint/svg", "WeasyPrint SVG (ornaments, QR)"),
    ("weasyprint/images", "WeasyPrint images"),
    ("weasyprint", "WeasyPrint other"),
    ("fontTools/subset", "fontTools subsetting"),
    ("fontTools", "fontTools other"),
    ("pydyf", "pydyf (PDF objects)"),
    ("tinycss2", "tinycss2 (CSS parsing)"),
    ("cssselect2", "cssselect2 (selector matching)"),
    ("html5lib", "html5lib (HTML parsing)"),
    ("pypdf", "pypdf (splitting)"),
    ("segno", "segno (QR codes)"),
    ("jinja2", "Jinja"),
    ("sqlalchemy", "SQLAlchemy"),
    ("zlib", "zlib"),
]


def area_of(filename: str) -> str:
    if filename == "~":
        return "built-ins (C calls: Pango/HarfBuzz via cffi, zlib, re …)"
    for marker, name in AREAS:
        if marker in filename:
            return name
    return "other"


# --- the run --------------------------------------------------------------------------------------


def child(args: argparse.Namespace) -> None:
    """One measurement in a fresh process, so that its peak memory is its own."""
    workdir = Path(args.workdir)
    ids = json.loads((workdir / "ids.json").read_text())
    app = make_app(workdir, processes=args.processes)
    with app.app_context():
        result = batch(app, ids["big"], args.big)
    print(json.dumps(result))


def in_child(workdir: Path, count: int, processes: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", "--workdir", str(workdir), "--big", str(count)]
    output = subprocess.run(
        [*command, "--processes", str(processes)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="certificates for (a) and (b)")
    parser.add_argument("--big", type=int, default=None, help="the large batch (default 2 × n)")
    parser.add_argument("--requests", type=int, default=None, help="downloads (default 200)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of (a), (b)")
    parser.add_argument("--profile", action="store_true", help="profile one render job")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--processes", type=int, default=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    big = args.big or 2 * args.n
    if args.child:
        child(args)
        return
    requests = args.requests or (200 if args.n >= 500 else max(20, args.n))

    with tempfile.TemporaryDirectory(prefix="recognition-bench-") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        ids = build(workdir, max(args.n, big))
        (workdir / "ids.json").write_text(json.dumps(ids))
        print(
            f"Setup: SQLite + migrations + demo data, {max(args.n, big)} passed dossiers, decision "
            f"issued through the services: {time.perf_counter() - started:.1f} s"
        )
        print(f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")

        app = make_app(workdir, processes=0)
        with app.app_context():
            single_wall, single_cpu = one_call_each(app, ids["big"], args.n)
        single_ms, single_cpu_ms = single_wall * 1000 / args.n, single_cpu * 1000 / args.n
        print(f"\n(a) {args.n} certificates, one WeasyPrint call each (render_reference([c])):")
        print(
            f"    {single_wall:.2f} s wall, {single_ms:.1f} ms per certificate "
            f"(CPU {single_cpu_ms:.1f} ms)"
        )
        two = in_child(workdir, args.n, 2)
        one = in_child(workdir, args.n, 1)
        print(f"(b) the same {args.n} through the batch path (layered, chunks over the workers):")
        for label, result in (("2 render workers", two), ("1 render worker ", one)):
            print(
                f"    {label}: one PDF {result['batch']:.2f} s = "
                f"{result['batch'] * 1000 / args.n:.1f} ms per certificate "
                f"({result['pages']} pages); single PDFs {result['split']:.2f} s = "
                f"{result['split'] * 1000 / args.n:.1f} ms per certificate"
            )
        ratio = single_wall / two["batch"]
        print(
            f"    ratio (a)/(b), one PDF: {ratio:.1f}× per certificate on 2 workers, "
            f"{single_wall / one['batch']:.1f}× on 1; single PDFs: "
            f"{single_wall / two['split']:.1f}× on 2, {single_wall / one['split']:.1f}× on 1  "
            f"[target ≥ 15×: {'met' if ratio >= 15 else 'NOT met'}]"
        )

        # The same comparison in alternating rounds (A B A B …), so that a machine busy for a
        # while shows as spread between the rounds, not as a false ratio.
        size = max(20, args.n // args.rounds)
        ratios, one_call, batched = [], [], []
        for _ in range(args.rounds):
            with app.app_context():
                wall, _cpu = one_call_each(app, ids["big"], size)
            result = in_child(workdir, size, 2)
            one_call.append(wall * 1000 / size)
            batched.append(result["batch"] * 1000 / size)
            ratios.append(wall / result["batch"])
        print(
            f"    interleaved, {args.rounds} rounds of {size} (one call, then the batch, in turn): "
            f"ratio min/median/max {min(ratios):.1f}/{statistics.median(ratios):.1f}/"
            f"{max(ratios):.1f}×; one call {statistics.median(one_call):.1f} ms, batch "
            f"{statistics.median(batched):.1f} ms per certificate (medians)  "
            f"[target median ≥ 15×: "
            f"{'met' if statistics.median(ratios) >= 15 else 'NOT met'}]"
        )

        whole = in_child(workdir, big, 2)
        workers = whole["worker_peaks_mib"]
        peak = whole["peak_mib"] + sum(workers)
        print(f"\n(c) {big} certificates in one batch (a fresh process, 2 render workers):")
        print(
            f"    one PDF {whole['batch']:.2f} s wall "
            f"({whole['batch'] * 1000 / big:.1f} ms per certificate, {whole['pages']} pages); "
            f"single PDFs {whole['split']:.2f} s"
        )
        print(
            f"    peak memory: {whole['peak_mib']:.0f} MiB in the process (before rendering "
            f"{whole['rss_before_mib']:.0f} MiB) + workers "
            f"{', '.join(f'{w:.0f}' for w in workers)} MiB = {peak:.0f} MiB"
        )
        print(
            f"    [target {big} in ≤ 6 s: {'met' if whole['batch'] <= 6 else 'NOT met'}; "
            f"peak ≤ 1 GB: {'met' if peak <= 1024 else 'NOT met'}]"
        )

        with app.app_context():
            got = downloads(app, ids["stored"], requests)
        print(f"\n(d) re-download of a stored certificate, {requests} × GET /certificates/<id>.pdf")
        print(
            f"    (Flask test client, logged in): median {got['median']:.2f} ms, p95 "
            f"{got['p95']:.2f} ms, min {got['min']:.2f} ms, max {got['max']:.2f} ms; "
            f"{got['bytes']} bytes, byte-identical: {got['identical']}"
        )
        print(f"    [target median ≤ 20 ms: {'met' if got['median'] <= 20 else 'NOT met'}]")
        print(f"\nLoad average at the end: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")

        if args.profile:
            with app.app_context():
                profile_batch(app, ids["big"], min(args.n, 100))


if __name__ == "__main__":
    main()
