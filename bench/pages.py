"""Page latency at a province's volume, beside a Flask hello-world under the same server.

    .venv/bin/python bench/pages.py [--sizes 1k,10k,100k] [--rounds 40] [--workers 2]

Builds a province on its own PostgreSQL database (bench/province.py: the demo through the
services, then the other communes, their people and catalogues, and dossiers in every state
with answers, snapshots, attachment rows, a verifying audit chain, notifications, decisions and
certificates), then at each size starts gunicorn on the app and on a hello-world with the same
settings, and requests every page and the hello-world in turn (A B A B …) for `--rounds`
rounds. It prints, per page and size: p50 and p95 in ms, the spread of the p50 over the
rounds' thirds (min/median/max), statements per request (the app's X-Query-Count header,
switched on for this run only), the page's size, the ratio of its p50 to the hello-world's,
and the growth of the p50 from the previous size. Nothing is asserted: the figures are for
reading, and a noisy machine shows as spread.

`--sqlite` runs the same pages on SQLite (the embedded default) instead.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.province import Province, analyse, sizes

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
DATABASE = "bench_pages"
HELLO = """
from flask import Flask
app = Flask(__name__)

@app.get("/")
def hello():
    return "Hello, World!"
"""


@dataclass(frozen=True)
class Page:
    name: str
    user: str
    path: str


@dataclass
class Figures:
    times: list[float] = field(default_factory=list)
    queries: int = 0
    size: int = 0
    status: int = 0


class Client:
    """A browser's part in the bench: one cookie jar, a fresh connection per request (gunicorn's
    sync workers close each one), redirects not followed."""

    def __init__(self, base: str) -> None:
        self.host, self.port = urllib.parse.urlsplit(base).netloc.split(":")
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: str | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(self.host, int(self.port), timeout=120)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, content

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path)


def _hello(client: Client) -> float:
    """One hello-world request; returns its seconds (an answer from another server, or none,
    stops the bench rather than be measured)."""
    start = time.perf_counter()
    status, _headers, body = client.get("/")
    elapsed = time.perf_counter() - start
    if status != 200 or body != b"Hello, World!":
        raise SystemExit(f"the hello-world answered {status}: {body[:80]!r}")
    return elapsed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(base: str, path: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit(f"the server at {base} stopped: exit {process.returncode}")
        try:
            Client(base).get(path)
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the server at {base} did not start")


def _gunicorn(
    app: str, port: int, workers: int, env: dict[str, str], cwd: Path, threads: int = 1
) -> Any:
    """gunicorn serving `app`: sync workers, or threaded ones when `threads` > 1 (a request
    waiting on the database lets another run)."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--threads",
        str(threads),
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, cwd=cwd, env=env)


def _stop(process: Any) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def _login(base: str, username: str) -> Client:
    client = Client(base)
    page = client.get("/login")[2].decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token is not None
    form = urllib.parse.urlencode(
        {"csrf_token": token.group(1), "username": username, "password": "demo"}
    )
    status = client.request("POST", "/login", form)[0]
    if status != 302:
        raise SystemExit(f"log-in of {username} failed: {status}")
    return client


def _pages(app: Any) -> list[Page]:
    """The pages measured, with ids from the built province."""
    from sqlalchemy import select

    from recognition.campaigns.models import Campaign
    from recognition.extensions import db
    from recognition.nominations.models import Nomination
    from recognition.units.models import Unit

    with app.app_context():
        province = db.session.scalars(select(Unit).where(Unit.code == "86")).one()
        commune = db.session.scalars(select(Unit).where(Unit.code == "28879", Unit.is_active)).one()
        dossier = db.session.scalar(
            select(Nomination.id)
            .join(Campaign, Campaign.id == Nomination.campaign_id)
            .where(Nomination.state == "in_review", Campaign.awarding_body_id == province.id)
            .order_by(Nomination.id.desc())
            .limit(1)
        )
    return [
        Page("dashboard (province secretariat)", "tinh.thuky", "/dashboard"),
        Page("dashboard (commune secretariat)", "thuky", "/dashboard"),
        Page("dashboard (nominator)", "ap.sonqui", "/dashboard"),
        Page("inbox /review/ (province)", "tinh.thuky", "/review/"),
        Page("inbox /review/ (commune)", "thuky", "/review/"),
        Page("dossiers, first page (admin)", "admin", "/nominations/"),
        Page("dossiers, last page (admin)", "admin", "/nominations/?page=1000000000"),
        Page("dossiers, search “son dinh”", "admin", "/nominations/?q=son+dinh"),
        Page("dossiers, search “sơn định”", "admin", "/nominations/?q=s%C6%A1n+%C4%91%E1%BB%8Bnh"),
        Page("dossier detail", "tinh.thuky", f"/review/{dossier}"),
        Page("decisions index (province)", "tinh.thuky", "/decisions/"),
        Page("golden book (province)", "tinh.thuky", f"/decisions/golden-book/{province.id}"),
        Page("golden book (commune)", "thuky", f"/decisions/golden-book/{commune.id}"),
        Page("audit log", "admin", "/admin/audit"),
        Page("audit log search", "admin", "/admin/audit?q=son"),
        Page("campaigns", "tinh.thuky", "/campaigns/"),
        Page("council", "tinh.thuky", "/council/"),
        Page("notifications", "tinh.thuky", "/notifications/"),
        Page("units", "admin", "/admin/units/"),
    ]


def _measure(
    base: str, hello: str, pages: list[Page], rounds: int
) -> tuple[dict[str, Figures], list[float]]:
    sessions = {user: _login(base, user) for user in {p.user for p in pages}}
    plain = Client(hello)
    results = {p.name: Figures() for p in pages}
    hello_times: list[float] = []
    for page in pages:  # warm up: caches, connections, compiled templates
        sessions[page.user].get(page.path)
    for _ in range(rounds):
        for page in pages:
            hello_times.append(_hello(plain))
            start = time.perf_counter()
            status, headers, content = sessions[page.user].get(page.path)
            elapsed = time.perf_counter() - start
            figures = results[page.name]
            figures.times.append(elapsed)
            figures.queries = int(headers.get("x-query-count", "0"))
            figures.size = len(content)
            figures.status = status
    return results, hello_times


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _thirds(values: list[float]) -> str:
    if len(values) < 3:
        return "-"  # too few rounds to split in three
    third = len(values) // 3
    medians = sorted(
        statistics.median(values[i : i + third]) * 1000 for i in range(0, third * 3, third)
    )
    return f"{medians[0]:.0f}/{medians[1]:.0f}/{medians[2]:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1k,10k,100k")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sqlite", action="store_true")
    arguments = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    if arguments.sqlite:
        url = f"sqlite:///{work / 'bench.sqlite'}"
    else:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")  # type: ignore[arg-type]
            c.execute(f"CREATE DATABASE {DATABASE}")  # type: ignore[arg-type]
        url = f"{SERVER}/{DATABASE}"
    env = {
        **os.environ,
        "RECOGNITION_DATABASE_URL": url,
        "RECOGNITION_QUERY_COUNT_HEADER": "1",
        "RECOGNITION_SECRET_KEY": "bench-secret-key-bench-secret-key",
        "RECOGNITION_UPLOAD_DIR": str(work / "uploads"),
        "RECOGNITION_LOGIN_LIMIT_PER_IP": "10000 per hour",
    }
    os.environ.update(env)
    from flask_migrate import upgrade

    from recognition import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "OUTBOX_WORKER": False})
    province = Province()
    started = time.perf_counter()
    with app.app_context():
        upgrade()
        province.build_base()
    print(f"base built in {time.perf_counter() - started:.0f} s", flush=True)
    (work / "hello.py").write_text(HELLO)
    table: dict[int, dict[str, Figures]] = {}
    hello_p50: dict[int, float] = {}
    for size in sizes(arguments.sizes):
        started = time.perf_counter()
        with app.app_context():
            province.grow_to(size)
            analyse()
        print(f"{size:,} dossiers built in {time.perf_counter() - started:.0f} s", flush=True)
        pages = _pages(app)  # the ids they name exist once the dossiers do
        port, hello_port = _free_port(), _free_port()
        server = _gunicorn("wsgi:app", port, arguments.workers, env, ROOT)
        hello = _gunicorn("hello:app", hello_port, arguments.workers, env, work)
        try:
            _wait(f"http://127.0.0.1:{port}", "/login", server)
            _wait(f"http://127.0.0.1:{hello_port}", "/", hello)
            results, hello_times = _measure(
                f"http://127.0.0.1:{port}",
                f"http://127.0.0.1:{hello_port}/",
                pages,
                arguments.rounds,
            )
        finally:
            _stop(server)
            _stop(hello)
        table[size] = results
        hello_p50[size] = _p(hello_times, 0.5)
        _report(size, results, hello_times, table)
    print("\nSummary: p95 ≤ 100 ms, growth of p50 ≤ 1.5× between the last two sizes, ≤ 300 KB")
    _summary(table)


def _report(
    size: int,
    results: dict[str, Figures],
    hello_times: list[float],
    table: dict[int, dict[str, Figures]],
) -> None:
    previous = [s for s in table if s < size]
    before = table[max(previous)] if previous else None
    hello50 = _p(hello_times, 0.5)
    hello95 = _p(hello_times, 0.95)
    print(f"\n== {size:,} dossiers; hello-world p50 {hello50:.1f} ms, p95 {hello95:.1f} ms")
    columns = ("p50", "p95", "p50 min/med/max", "SQL", "KB", "×hello", "growth")
    widths = (7, 7, 16, 4, 6, 7, 7)
    print(f"{'page':38} " + " ".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)))
    for name, figures in results.items():
        p50 = _p(figures.times, 0.5)
        growth = f"{p50 / _p(before[name].times, 0.5):.2f}" if before else ""
        status = "" if figures.status == 200 else f" [{figures.status}]"
        p95 = _p(figures.times, 0.95)
        print(
            f"{name[:38]:38} {p50:7.1f} {p95:7.1f} {_thirds(figures.times):>16} "
            f"{figures.queries:4d} {figures.size / 1024:6.0f} {p50 / hello50:7.0f} "
            f"{growth:>7}{status}",
            flush=True,
        )


def _summary(table: dict[int, dict[str, Figures]]) -> None:
    ordered = sorted(table)
    last = table[ordered[-1]]
    before = table[ordered[-2]] if len(ordered) > 1 else None
    for name, figures in last.items():
        p95 = _p(figures.times, 0.95)
        growth = _p(figures.times, 0.5) / _p(before[name].times, 0.5) if before else 1.0
        queries_constant = before is None or before[name].queries == figures.queries
        failing = [
            label
            for label, bad in (
                (f"p95 {p95:.0f} ms", p95 > 100),
                (f"growth {growth:.2f}×", growth > 1.5),
                (f"{figures.size / 1024:.0f} KB", figures.size > 300 * 1024),
                ("queries grow", not queries_constant),
            )
            if bad
        ]
        verdict = "MISS" if failing else "ok  "
        print(f"  {verdict} {name}: {', '.join(failing) or 'within the targets'}")


if __name__ == "__main__":
    main()
