"""Certificate rendering and download, measured side by side in one run on this machine.

    .venv/bin/python bench/certificates.py            # full sizes: 500, 1,000, 200 requests
    .venv/bin/python bench/certificates.py --n 20     # a quick run (every size shrunk)
    .venv/bin/python bench/certificates.py --profile  # also profile the batch path (cProfile)

It builds its own temporary SQLite instance (the migrations, then the demo data), creates the
passed dossiers and issues one decision through the services, then measures:

  (a) one WeasyPrint call per certificate: render_batch([c]) for each of N certificates;
  (b) the batch path for the same N: render_batch(all) + split_pages;
  (c) 1,000 certificates in one batch, and in chunks of 100 per WeasyPrint call: wall seconds
      and peak memory (VmHWM, the peak resident set of a fresh child process, which includes the
      interpreter, the app and the 1,000 loaded rows; its peak before rendering is printed
      beside it; ru_maxrss would carry the parent's peak over fork and exec);
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
import resource
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

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from recognition import create_app  # noqa: E402
from recognition.auth.models import User  # noqa: E402
from recognition.campaigns.models import AwardType, Campaign  # noqa: E402
from recognition.database import utcnow  # noqa: E402
from recognition.decisions import services  # noqa: E402
from recognition.decisions.certificates import (  # noqa: E402
    render_batch,
    split_pages,
    store_certificates,
)
from recognition.decisions.models import Certificate, Decision  # noqa: E402
from recognition.demo import DEMO_PASSWORD, seed_demo  # noqa: E402
from recognition.extensions import db  # noqa: E402
from recognition.nominations.enums import NominationState  # noqa: E402
from recognition.nominations.services import Nominee, create_nomination  # noqa: E402
from recognition.units.models import Unit  # noqa: E402

ISSUE_DAY = date(2026, 3, 4)
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hữu", "Thị Kim", "Quốc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Đào", "Hà", "Hạnh", "Khánh", "Lan", "Phúc", "Tâm"]


def make_app(workdir: Path) -> Flask:
    return create_app(
        {
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
        district = db.session.scalar(select(Unit).where(Unit.code == "832"))
        commune = db.session.scalar(select(Unit).where(Unit.code == "28816"))
        users = {u.username: u for u in db.session.scalars(select(User))}
        campaign = db.session.scalar(
            select(Campaign).where(Campaign.awarding_body_id == district.id)
        )
        award = db.session.scalar(select(AwardType).where(AwardType.code == "GK-CN"))
        nominator, secretariat, chair = users["xa.sondinh"], users["thuky"], users["chutich"]
        nominations = []
        for i in range(count + 1):
            nomination = create_nomination(
                campaign,
                award,
                Nominee(
                    person_name=person_name(i),
                    person_position="Trưởng ấp" if i % 3 else "Tổ trưởng Tổ công nghệ số cộng đồng",
                    person_unit=commune,
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


def peak_mib() -> float:
    """Peak resident memory of this process, MiB: VmHWM from /proc (Linux), else ru_maxrss.

    VmHWM belongs to the process's own address space; ru_maxrss would carry over the parent's
    peak through fork and exec, and the parent here has already rendered 2 × N certificates.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


# --- the measurements -----------------------------------------------------------------------------


def one_call_each(app: Flask, decision_id: int, count: int) -> tuple[float, float]:
    """(wall, CPU) seconds for `count` certificates, one WeasyPrint call each."""
    with app.test_request_context():
        chosen = certificates(decision_id, count)
        render_batch(chosen[:1])  # warm-up: imports, font loading, template compilation
        start, cpu = time.perf_counter(), time.process_time()
        for certificate in chosen:
            render_batch([certificate])
        return time.perf_counter() - start, time.process_time() - cpu


def batch(app: Flask, decision_id: int, count: int, chunk: int | None = None) -> dict[str, float]:
    with app.test_request_context():
        chosen = certificates(decision_id, count)
        render_batch(chosen[:1])
        before = peak_mib()
        size = chunk or len(chosen)
        start, cpu = time.perf_counter(), time.process_time()
        rendering = 0.0
        singles = 0
        for first in range(0, len(chosen), size):
            started = time.perf_counter()
            pdf = render_batch(chosen[first : first + size])
            rendering += time.perf_counter() - started
            singles += len(split_pages(pdf))
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "count": len(chosen),
        "singles": singles,
        "wall": wall,
        "cpu": cpu,
        "render": rendering,
        "split": wall - rendering,
        "rss_before_mib": before,
        "peak_mib": peak_mib(),
    }


def downloads(app: Flask, certificate_id: int, requests: int) -> dict[str, float]:
    client = app.test_client()
    response = client.post("/login", data={"username": "xa.sondinh", "password": DEMO_PASSWORD})
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
    with app.test_request_context():
        chosen = certificates(decision_id, count)
        render_batch(chosen[:1])
        profiler = cProfile.Profile()
        profiler.enable()
        split_pages(render_batch(chosen))
        profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())  # type: ignore[attr-defined]
    by_area: dict[str, float] = defaultdict(float)
    for (filename, _, _), row in stats.stats.items():  # type: ignore[attr-defined]
        by_area[area_of(filename)] += row[2]  # own time (tottime)
    print(f"\nProfile of the batch path, {len(chosen)} certificates (cProfile, own time):")
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
    app = make_app(workdir)
    with app.app_context():
        result = batch(app, ids["big"], args.big, chunk=args.chunk or None)
    print(json.dumps(result))


def in_child(workdir: Path, big: int, chunk: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", "--workdir", str(workdir), "--big", str(big)]
    output = subprocess.run(
        [*command, "--chunk", str(chunk)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="certificates for (a) and (b)")
    parser.add_argument("--big", type=int, default=None, help="the large batch (default 2 × n)")
    parser.add_argument("--chunk", type=int, default=100, help="certificates per call in (c)")
    parser.add_argument("--requests", type=int, default=None, help="downloads (default 200)")
    parser.add_argument("--profile", action="store_true", help="profile the batch path")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
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

        app = make_app(workdir)
        with app.app_context():
            single_wall, single_cpu = one_call_each(app, ids["big"], args.n)
            together = batch(app, ids["big"], args.n)
        single_ms, single_cpu_ms = single_wall * 1000 / args.n, single_cpu * 1000 / args.n
        batch_ms, batch_cpu_ms = together["wall"] * 1000 / args.n, together["cpu"] * 1000 / args.n
        print(f"\n(a) {args.n} certificates, one WeasyPrint call each (render_batch([c])):")
        print(
            f"    {single_wall:.2f} s wall, {single_ms:.1f} ms per certificate "
            f"(CPU {single_cpu_ms:.1f} ms)"
        )
        print(f"(b) the same {args.n} in one batch (render_batch(all) + split_pages):")
        print(
            f"    {together['wall']:.2f} s wall ({together['render']:.2f} s rendering, "
            f"{together['split']:.2f} s splitting), {batch_ms:.1f} ms per certificate "
            f"(CPU {batch_cpu_ms:.1f} ms)"
        )
        ratio = single_ms / batch_ms
        print(
            f"    ratio (a)/(b): {ratio:.2f}× per certificate (CPU: "
            f"{single_cpu_ms / batch_cpu_ms:.2f}×)  [target ≥ 15×: "
            f"{'met' if ratio >= 15 else 'NOT met'}]"
        )

        whole = in_child(workdir, big, 0)
        chunked = in_child(workdir, big, args.chunk)
        print(f"\n(c) {big} certificates (a fresh process each; peak = VmHWM, its peak RSS):")
        for label, result in ((f"one batch of {big}", whole), (f"chunks of {args.chunk}", chunked)):
            print(
                f"    {label:<18} {result['wall']:6.2f} s wall, CPU {result['cpu']:.2f} s "
                f"({result['render']:.2f} s rendering, {result['split']:.2f} s splitting), "
                f"{result['wall'] * 1000 / result['count']:.1f} ms per certificate; peak "
                f"{result['peak_mib']:.0f} MiB (process before rendering: "
                f"{result['rss_before_mib']:.0f} MiB)"
            )
        best = min(whole["wall"], chunked["wall"])
        peak = max(whole["peak_mib"], chunked["peak_mib"])
        print(
            f"    [target {big} in ≤ 10 s: {'met' if best <= 10 else 'NOT met'} "
            f"(best {best:.1f} s); peak ≤ 1 GB: {'met' if peak <= 1024 else 'NOT met'} "
            f"(highest {peak:.0f} MiB)]"
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
