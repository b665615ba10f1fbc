"""Crash test: gunicorn on PostgreSQL is killed with SIGKILL while nominators submit dossiers.

    .venv/bin/python -m tests.reliability.crash_test [--kills 12] [--duration 150] [--servers 2]

Driver threads log in as the demo's nominators (of Xã Phú Phụng) and, over HTTP, create
dossiers, fill in the self-assessment, upload evidence files (PDF and PNG with random content)
and submit, and sometimes withdraw, them. A request counts as acknowledged only when the server
answered it with success; the driver records what must then be true. Meanwhile the whole
gunicorn process group (master and workers) is killed with SIGKILL at random moments and
started again; the driver retries what was cut off. Afterwards, with the server down:

- every acknowledged dossier, file (with the SHA-256 of the bytes sent), submission and
  withdrawal is in the database and on disk;
- no row of any table points at a missing stored file, and every evidence file's content
  matches its recorded size and SHA-256;
- no dossier is in an impossible state (state, timestamps, reference, events and snapshots
  agree);
- the audit chain verifies (`verify_chain()` and `flask audit verify`);
- orphan files (written, row never committed) are counted, and `sweep_orphans` removes them
  without touching a referenced file.

With `--servers 2` (tests/reliability/crash_servers.py), two gunicorn instances behind nginx
share the database and an S3 bucket on a local moto server; one, the other or both are killed,
and the same checks are made through the bucket.

The figures are printed; the exit status is 0 when everything holds, 1 with the violations
otherwise. The database (RECOGNITION_CRASH_DATABASE_URL, default `recognition_crash` on the local
PostgreSQL) is dropped and created afresh. This module defines no pytest tests: `make
crash-test` runs it.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/recognition_crash"
SESSION_COOKIE = "recognition_session"
# The commune's own proposer adds hamlets under Xã Phú Phụng; the farmers' association adds
# teams under itself (a hamlet belongs only to a commune).
NOMINATORS = ("vp.phuphung", "hnd.phuphung")
PASSWORD = "demo"
PHU_PHUNG_CODE = "28879"
REQUEST_TIMEOUT = 30.0
WORKERS = 2
MAX_RETRIES = 20


# ---------------------------------------------------------------------------------------------
# What the driver saw


# The refusal of a file already attached in the same place (English, as the test's users read
# the app, or Vietnamese).
ALREADY_ATTACHED = re.compile(r"is already attached here|đã được đính kèm ở đây")


@dataclass
class Dossier:
    """What the server acknowledged about one dossier the driver worked on."""

    unit_id: int
    award_type_id: int
    dossier_id: int | None = None
    files: list[tuple[str, str, int]] = field(default_factory=list)  # name, sha256, size
    submit_tried: bool = False
    submitted: bool = False
    withdraw_tried: bool = False
    withdrawn: bool = False


class Figures:
    """Counters shared by the driver threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.unexpected: list[str] = []

    def add(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self.counts[name] += amount

    def note(self, message: str) -> None:
        with self._lock:
            self.counts["unexpected answers"] += 1
            if len(self.unexpected) < 20:
                self.unexpected.append(message)


class ConnectionLost(Exception):
    """No complete answer: refused, reset or cut off (the server was killed)."""


class Stopped(Exception):
    """The run is over; the driver gives up what it was doing."""


class Gone(Exception):
    """The dossier cannot be worked on any more (an unexpected answer was recorded)."""


# ---------------------------------------------------------------------------------------------
# Files the app accepts by content


def make_pdf(rng: random.Random) -> bytes:
    """A small, well-formed one-page PDF with random content in its page stream."""
    text = rng.randbytes(rng.randint(2_000, 60_000)).hex()
    stream = f"BT /F1 8 Tf 20 800 Td ({text[:80]}) Tj ET\n% {text}\n".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def make_png(rng: random.Random) -> bytes:
    """A valid RGB PNG of random pixels."""
    width, height = rng.randint(16, 96), rng.randint(16, 96)
    rows = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# ---------------------------------------------------------------------------------------------
# A small browser over http.client: cookies, forms, multipart uploads, flashed messages


@dataclass
class Answer:
    status: int
    location: str
    body: str
    flashes: list[tuple[str, str]]  # the messages this answer flashed (category, text)


class Browser:
    """`proxied`: the port is nginx's, whose 502 says the server it chose was killed under the
    request or was down with its peer (the app itself never answers 502)."""

    def __init__(
        self, port: int, secret_key: str, figures: Figures, *, proxied: bool = False
    ) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.figures = figures
        self.serializer = _session_serializer(secret_key)
        self.proxied = proxied

    def _pending_flashes(self, value: str | None) -> list[tuple[str, str]]:
        if not value:
            return []
        try:
            data = self.serializer.loads(value)
        except Exception:  # a cookie the server will refuse too
            return []
        return [(str(c), str(m)) for c, m in data.get("_flashes", [])]

    def request(
        self,
        method: str,
        path: str,
        fields: list[tuple[str, str]] | None = None,
        files: list[tuple[str, str, str, bytes]] | None = None,
    ) -> Answer:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body: bytes | None = None
        if method == "POST":
            body, headers["Content-Type"] = encode_form(fields or [], files or [])
        before = self._pending_flashes(self.cookies.get(SESSION_COOKIE))
        self.figures.add("requests sent")
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except ConnectionRefusedError as error:
            self.figures.add("connections refused")
            raise ConnectionLost(f"{method} {path}: refused") from error
        except (OSError, http.client.HTTPException) as error:
            # Reset, closed without an answer or timed out: the request was cut off.
            self.figures.add("requests cut off")
            raise ConnectionLost(f"{method} {path}: {type(error).__name__}") from error
        finally:
            connection.close()
        if self.proxied and response.status == 502:
            self.figures.add("cut off behind nginx (502)")
            raise ConnectionLost(f"{method} {path}: 502 from nginx")
        self.figures.add("answers received")
        flashes: list[tuple[str, str]] = []
        for header in response.msg.get_all("Set-Cookie") or []:
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                    continue
                self.cookies[name] = morsel.value
                if name == SESSION_COOKIE:
                    after = self._pending_flashes(morsel.value)
                    flashes = after[len(before) :] if after[: len(before)] == before else after
        if response.status >= 500:
            self.figures.add("server errors (5xx)")
        return Answer(
            response.status,
            response.getheader("Location") or "",
            content.decode("utf-8", "replace"),
            flashes,
        )


def _session_serializer(secret_key: str) -> Any:
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    stub = Flask("crash-driver")
    stub.secret_key = secret_key
    return SecureCookieSessionInterface().get_signing_serializer(stub)


def encode_form(
    fields: list[tuple[str, str]], files: list[tuple[str, str, str, bytes]]
) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode("utf-8")
            + b"\r\n"
        )
    for name, filename, content_type, content in files:
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)
    return match.group(1) if match else ""


# ---------------------------------------------------------------------------------------------
# The driver


@dataclass
class Plan:
    campaign_id: int
    jobs: dict[str, list[tuple[int, int]]]  # nominator -> (unit id, award type id)


class Driver(threading.Thread):
    """One nominator's browser: dossier after dossier until the run stops."""

    def __init__(
        self,
        number: int,
        username: str,
        jobs: list[tuple[int, int]],
        plan: Plan,
        browser: Browser,
        stop: threading.Event,
        seed: int,
    ) -> None:
        super().__init__(name=f"driver-{number}", daemon=True)
        self.number = number
        self.username = username
        self.jobs = jobs
        self.plan = plan
        self.browser = browser
        self.stop = stop
        self.rng = random.Random(seed)
        self.figures = browser.figures
        self.dossiers: list[Dossier] = []

    # -- plumbing

    def pause(self, seconds: float) -> None:
        if self.stop.wait(seconds):
            raise Stopped

    def attempt(self, step: Callable[[], Any]) -> Any:
        """Run `step` until the server answers it for good; retry what a crash cut off (as
        often as needed) and answers that ask for another try (a bounded number of times)."""
        retries = 0
        while True:
            if self.stop.is_set():
                raise Stopped
            try:
                return step()
            except ConnectionLost:
                self.pause(0.2)
            except Retry as retry:
                retries += 1
                if retries > MAX_RETRIES:
                    self.figures.note(f"{self.username}: gave up after {retries} tries: {retry}")
                    raise Gone from retry
                self.pause(0.2)

    def get(self, path: str) -> Answer:
        answer = self.browser.request("GET", path)
        self.check_session(answer)
        if answer.status != 200:
            raise Retry(f"GET {path}: HTTP {answer.status} {answer.location}")
        return answer

    def post(self, path: str, fields: list[tuple[str, str]], files: Any = None) -> Answer:
        answer = self.browser.request("POST", path, fields, files)
        self.check_session(answer)
        return answer

    def check_session(self, answer: Answer) -> None:
        """A request answered by the login page (401, or a redirect to it): log in again."""
        if answer.status == 401 or "/login" in answer.location:
            self.figures.add("logins after a lost session")
            self.log_in()
            raise Retry("logged in again")
        if answer.status >= 500:
            raise Retry(f"HTTP {answer.status}")

    def log_in(self) -> None:
        def step() -> None:
            page = self.browser.request("GET", "/login")
            if page.status == 302:  # still logged in
                return
            if page.status != 200:
                raise Retry(f"login page: HTTP {page.status}")
            answer = self.browser.request(
                "POST",
                "/login",
                [
                    ("csrf_token", hidden(page.body, "csrf_token")),
                    ("username", self.username),
                    ("password", PASSWORD),
                ],
            )
            if answer.status != 302:
                raise Retry(f"log in: HTTP {answer.status}")
            self.figures.add("logins")
            # English messages, for the report.
            page = self.browser.request("GET", "/nominations/")
            self.browser.request(
                "POST", "/language/en", [("csrf_token", hidden(page.body, "csrf_token"))]
            )

        self.attempt(step)

    # -- the work

    def run(self) -> None:
        try:
            self.log_in()
            for number, (unit_id, award_type_id) in enumerate(self.jobs):
                dossier = Dossier(unit_id, award_type_id)
                self.dossiers.append(dossier)
                try:
                    self.work_on(dossier, number)
                except Gone:
                    continue
        except Stopped:
            return
        except Exception as error:  # a bug of the driver is reported, not hidden
            self.figures.note(f"driver {self.number} crashed: {error!r}")

    def work_on(self, dossier: Dossier, number: int) -> None:
        campaign = self.plan.campaign_id
        dossier.dossier_id = self.attempt(lambda: self.create(campaign, dossier))
        self.figures.add("acknowledged dossiers")
        rounds = 2 if self.rng.random() < 0.4 else 1
        for round_ in range(rounds):
            files = []
            for k in range(self.rng.randint(1, 2) if round_ == 0 else 1):
                stem = f"t{self.number}-d{number}-r{round_}-f{k}"
                if self.rng.random() < 0.5:
                    files.append((f"{stem}.pdf", "application/pdf", make_pdf(self.rng)))
                else:
                    files.append((f"{stem}.png", "image/png", make_png(self.rng)))
            self.attempt(partial(self.edit, dossier, files))
        if self.rng.random() < 0.9:
            dossier.submit_tried = True
            self.attempt(lambda: self.act(dossier, "submit"))
            dossier.submitted = True
            self.figures.add("acknowledged submissions")
            if self.rng.random() < 0.2:
                dossier.withdraw_tried = True
                self.attempt(lambda: self.act(dossier, "withdraw"))
                dossier.withdrawn = True
                self.figures.add("acknowledged withdrawals")

    def create(self, campaign_id: int, dossier: Dossier) -> int:
        page = self.get(f"/nominations/new/{campaign_id}")
        answer = self.post(
            f"/nominations/new/{campaign_id}",
            [
                ("csrf_token", hidden(page.body, "csrf_token")),
                ("award_type_id", str(dossier.award_type_id)),
                ("nominee_unit_id", str(dossier.unit_id)),
                ("person_name", ""),
                ("person_position", ""),
                ("person_unit_id", ""),
                ("person_birth_year", ""),
                ("person_gender", ""),
            ],
        )
        created = re.fullmatch(r"(?:https?://[^/]+)?/nominations/(\d+)/edit", answer.location)
        if answer.status == 302 and created and "success" in [c for c, _ in answer.flashes]:
            return int(created.group(1))
        # An earlier attempt committed but its answer was lost: the page names that dossier.
        existing = re.search(r'alert-warning[^>]*>\s*<a href="/nominations/(\d+)"', answer.body)
        if answer.status == 200 and existing:
            self.figures.add("answers lost after commit (create)")
            return int(existing.group(1))
        self.unexpected("create", answer)
        raise Gone

    def edit(self, dossier: Dossier, files: list[tuple[str, str, bytes]]) -> None:
        path = f"/nominations/{dossier.dossier_id}/edit"
        page = self.get(path)
        names = sorted(set(re.findall(r'name="(c\d+_(?:met|value|text|note|files))"', page.body)))
        fields = [
            ("csrf_token", hidden(page.body, "csrf_token")),
            ("version", hidden(page.body, "version")),
            ("summary", "Tập thể tiêu biểu trong phong trào thi đua."),
            ("report_general", "Thông tin chung về đơn vị."),
            ("report_achievements", "Thành tích đạt được, có số liệu kèm theo."),
            ("report_criteria", "Đạt đủ các tiêu chí."),
            ("report_commendations", "Năm 2023: Giấy khen của Chủ tịch UBND xã."),
            ("then", "submit"),
        ]
        for name in names:
            if name.endswith("_met"):
                fields.append((name, "yes"))
            elif name.endswith("_value"):
                # Within every criterion's range: a share in per cent stops at 100.
                fields.append((name, str(self.rng.randint(95, 100))))
            elif name.endswith("_text"):
                fields.append((name, "Có mô hình hay, được nhân rộng."))
            elif name.endswith("_note"):
                fields.append((name, "Báo cáo kèm theo."))
        file_fields = [n for n in names if n.endswith("_files")] + ["general_files"]
        uploads = [
            (self.rng.choice(file_fields), name, kind, content) for name, kind, content in files
        ]
        answer = self.post(path, fields, uploads)
        # A file sent again after an answer lost once the first upload was committed: the app
        # does not attach it twice in one place, and says so. It is there: acknowledged.
        already = [m for c, m in answer.flashes if c == "danger" and ALREADY_ATTACHED.search(m)]
        if already:
            self.figures.add("answers lost after commit (files already attached)", len(already))
        categories = [c for c, m in answer.flashes if not (c == "danger" and m in already)]
        if answer.status == 302 and "success" in categories and "danger" not in categories:
            for name, _kind, content in files:
                dossier.files.append((name, hashlib.sha256(content).hexdigest(), len(content)))
            self.figures.add("acknowledged files", len(files))
            self.figures.add("acknowledged bytes", sum(len(c) for _, _, c in files))
            return
        if answer.status == 302 and "warning" in categories:  # changed meanwhile: try again
            raise Retry(f"edit {dossier.dossier_id}: changed meanwhile")
        self.unexpected("edit", answer)
        raise Gone

    def act(self, dossier: Dossier, action: str) -> None:
        page = self.get(f"/nominations/{dossier.dossier_id}")
        answer = self.post(
            f"/nominations/{dossier.dossier_id}/do/{action}",
            [
                ("csrf_token", hidden(page.body, "csrf_token")),
                ("version", hidden(page.body, "version")),
                ("comment", ""),
            ],
        )
        categories = [c for c, _ in answer.flashes]
        if answer.status == 302 and "success" in categories:
            return
        if answer.status == 302 and "info" in categories:  # "this was already done"
            self.figures.add(f"answers lost after commit ({action})")
            return
        if answer.status == 302 and "warning" in categories:
            raise Retry(f"{action} {dossier.dossier_id}: changed meanwhile")
        self.unexpected(action, answer)
        raise Gone

    def unexpected(self, step: str, answer: Answer) -> None:
        messages = "; ".join(m for _, m in answer.flashes)[:300]
        errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>([^<]+)<', answer.body)[:3]
        self.figures.note(
            f"{self.username} {step} dossier: HTTP {answer.status} {answer.location} "
            f"{messages} {' | '.join(errors)}".strip()
        )


class Retry(Exception):
    """The answer asks for another attempt (a lost session, a conflict, a server error)."""


# ---------------------------------------------------------------------------------------------
# The server and the killer


class Server:
    def __init__(
        self, port: int, env: dict[str, str], log: Path, *, workers: int | None = None
    ) -> None:
        self.port = port
        self.env = env
        self.log = log
        self.workers = workers
        self.process: subprocess.Popen[bytes] | None = None
        self.start_times: list[float] = []

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(self.workers or WORKERS),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "60",
            *_no_control_socket(),
            "wsgi:app",
        ]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, timeout: float) -> bool:
        started = time.monotonic()
        while time.monotonic() < started + timeout:
            if self.process is None or self.process.poll() is not None:
                return False
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                connection.request("GET", "/login")
                if connection.getresponse().status == 200:
                    self.start_times.append(time.monotonic() - started)
                    return True
            except (OSError, http.client.HTTPException):
                pass
            finally:
                connection.close()
            time.sleep(0.1)
        return False

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once (the whole process group)."""
        if self.process is None:
            return
        group = self.process.pid
        with suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
        self.process.wait()
        deadline = time.monotonic() + 10
        while _group_alive(group) and time.monotonic() < deadline:
            time.sleep(0.02)
        self.process = None


def _no_control_socket() -> list[str]:
    """Recent gunicorn versions open a control socket in the home folder; a killed server
    would leave it behind, and other instances would share it."""
    from gunicorn.config import KNOWN_SETTINGS

    names = {setting.name for setting in KNOWN_SETTINGS}
    return ["--no-control-socket"] if "control_socket_disable" in names else []


def _group_alive(group: int) -> bool:
    """Whether a process of this group still runs (zombies do not count)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# ---------------------------------------------------------------------------------------------
# Setting up and checking, in this process


def environment(url: str, upload_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECOGNITION_")}
    env.update(
        {
            "RECOGNITION_DATABASE_URL": url,
            "RECOGNITION_UPLOAD_DIR": str(upload_dir),
            "RECOGNITION_SECRET_KEY": secrets.token_hex(32),
            "RECOGNITION_ENV": "development",
            "RECOGNITION_ARGON2_TIME_COST": "1",
            "RECOGNITION_ARGON2_MEMORY_COST": "8192",
            "RECOGNITION_LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute",
            "RECOGNITION_LOGIN_LIMIT_PER_IP": "100000 per minute",
            "RECOGNITION_SESSION_IDLE_MINUTES": "600",
            "FLASK_APP": "wsgi.py",
        }
    )
    return env


def reset_database(url: str) -> None:
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    target = make_url(url)
    maintenance = target.set(drivername="postgresql", database="postgres")
    with psycopg.connect(
        maintenance.render_as_string(hide_password=False), autocommit=True
    ) as connection:
        name = sql.Identifier(str(target.database))
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


@contextmanager
def app_context() -> Iterator[Any]:
    from recognition import create_app
    from recognition.extensions import db

    app = create_app({"OUTBOX_WORKER": False})
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def prepare(hamlets_per_commune: int, rng: random.Random) -> Plan:
    """Load the demo data and add units to nominate; returns what to drive."""
    from sqlalchemy import select

    from recognition.auth.models import User
    from recognition.campaigns.enums import CampaignStatus
    from recognition.campaigns.models import Campaign
    from recognition.extensions import db
    from recognition.ops.demo import seed_demo
    from recognition.units.enums import UnitKind
    from recognition.units.models import Unit
    from recognition.units.services import UnitData, create_unit, kind_fits

    with app_context():
        seed_demo()
        # Xã Phú Phụng's open campaign (the province has one of its own, for its clusters).
        campaign = db.session.scalars(
            select(Campaign)
            .join(Campaign.awarding_body)
            .where(
                Campaign.status == CampaignStatus.OPEN.value,
                Unit.code == PHU_PHUNG_CODE,
                Unit.is_active,
            )
        ).one()
        collective = [
            offer.award_type
            for offer in campaign.offers
            if offer.quota is None and offer.award_type.for_units
        ]
        jobs: dict[str, list[tuple[int, int]]] = {}
        for username in NOMINATORS:
            user = db.session.scalars(select(User).where(User.username == username)).one()
            # Units to nominate, under the unit the nominator holds the role for: hamlets where
            # a hamlet fits, teams elsewhere.
            home = next(g.unit for g in user.grants if g.role == "nominator")
            kind, label = (
                (UnitKind.HAMLET, "Ấp")
                if kind_fits(UnitKind.HAMLET, home.kind)
                else (UnitKind.TEAM, "Tổ")
            )
            # The collective awards without a quota that such a unit may hold: one of each.
            awards = [
                a
                for a in collective
                if not a.eligible_unit_kinds or kind.value in a.eligible_unit_kinds
            ]
            units = [
                create_unit(
                    UnitData(name=f"{label} thử nghiệm {number:03d}", kind=kind),
                    parent=home,
                )
                for number in range(1, hamlets_per_commune + 1)
            ]
            db.session.flush()
            jobs[username] = [(h.id, a.id) for h in units for a in awards]
            rng.shuffle(jobs[username])
        db.session.commit()
        return Plan(campaign.id, jobs)


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    lost: int = 0

    def fail(self, message: str, *, lost: bool = False) -> None:
        self.violations.append(message)
        if lost:
            self.lost += 1


STORAGE_KEY = re.compile(r"^[0-9a-f]{32}$")


def stored_references() -> dict[str, list[tuple[str, int, str]]]:
    """Every stored-file key in the database: column -> (table, row id, key).

    A column counts when its name ends in `_key` and it holds generated storage keys, so a
    table added later is checked too.
    """
    from sqlalchemy import String, select

    from recognition.extensions import db

    found: dict[str, list[tuple[str, int, str]]] = {}
    for table in db.metadata.sorted_tables:
        if "id" not in table.c:
            continue
        for column in table.c:
            if not column.name.endswith("_key") or not isinstance(column.type, String):
                continue
            rows = db.session.execute(select(table.c.id, column).where(column.is_not(None))).all()
            keys = [(table.name, row[0], row[1]) for row in rows]
            if keys and all(STORAGE_KEY.match(key) for _, _, key in keys):
                found[f"{table.name}.{column.name}"] = keys
    return found


def stored_digest(key: str) -> tuple[int, str] | None:
    """The size and SHA-256 of a stored file, from the folder or the bucket; None if missing."""
    from recognition.common import storage

    digest = hashlib.sha256()
    size = 0
    try:
        with storage.open_stream(key) as stream:
            while chunk := stream.read(1024 * 1024):
                digest.update(chunk)
                size += len(chunk)
    except FileNotFoundError:
        return None
    return size, digest.hexdigest()


def temporary_files() -> list[Path]:
    """The temporary files of unfinished writes in the upload folder (a bucket has none: a PUT
    is visible whole or not at all)."""
    from recognition.common import storage

    if not storage.uses_folder():
        return []
    return [p for p in storage.root().glob("??/.*") if p.is_file()]


def check(dossiers: list[Dossier], report: Report) -> None:
    """Everything acknowledged is there, nothing points at a missing file, states are sane."""
    from sqlalchemy import func, select

    from recognition.common import storage
    from recognition.common.audit import AuditEvent, verify_chain
    from recognition.extensions import db
    from recognition.nominations.enums import Action, NominationState
    from recognition.nominations.models import (
        Attachment,
        Nomination,
        NominationSnapshot,
    )

    with app_context():
        nominations = {n.id: n for n in db.session.scalars(select(Nomination))}
        attachments = list(db.session.scalars(select(Attachment)))
        by_dossier: dict[int, list[Attachment]] = {}
        for attachment in attachments:
            by_dossier.setdefault(attachment.nomination_id, []).append(attachment)
        events: dict[int, list[AuditEvent]] = {}
        for event in db.session.scalars(
            select(AuditEvent).where(AuditEvent.object_kind == "nomination").order_by(AuditEvent.id)
        ):
            events.setdefault(event.object_id, []).append(event)
        snapshots = Counter(db.session.scalars(select(NominationSnapshot.nomination_id)).all())

        # 1. Every acknowledged dossier, file and transition.
        found = Counter[str]()
        for dossier in dossiers:
            if dossier.dossier_id is None:
                continue
            nomination = nominations.get(dossier.dossier_id)
            if nomination is None:
                report.fail(f"acknowledged dossier {dossier.dossier_id} is missing", lost=True)
                continue
            if (nomination.nominee_unit_id, nomination.award_type_id) != (
                dossier.unit_id,
                dossier.award_type_id,
            ):
                report.fail(f"dossier {nomination.id} is not the one acknowledged", lost=True)
                continue
            found["dossiers"] += 1
            rows = by_dossier.get(nomination.id, [])
            for name, sha256, size in dossier.files:
                match = [
                    a
                    for a in rows
                    if a.original_name == name and a.sha256 == sha256 and a.removed_at is None
                ]
                if not match:
                    report.fail(
                        f"acknowledged file {name} of dossier {nomination.id} has no row",
                        lost=True,
                    )
                    continue
                # An upload whose answer was lost after the commit was sent again: either
                # row may be the acknowledged one (the other is checked with every row below).
                found["stored twice"] += len(match) - 1
                contents = [stored_digest(a.storage_key) for a in match]
                if (size, sha256) in contents:
                    found["files"] += 1
                elif contents == [None] * len(contents):
                    report.fail(
                        f"acknowledged file {name} of dossier {nomination.id} is missing "
                        f"from the store ({match[0].storage_key})",
                        lost=True,
                    )
                else:
                    report.fail(
                        f"acknowledged file {name} of dossier {nomination.id}: content differs "
                        f"from the bytes sent",
                        lost=True,
                    )
            if dossier.submitted:
                if nomination.submitted_at is None or nomination.reference is None:
                    report.fail(f"acknowledged submission of {nomination.id} is lost", lost=True)
                elif not any(
                    e.action == Action.SUBMIT.value for e in events.get(nomination.id, [])
                ):
                    report.fail(
                        f"acknowledged submission of {nomination.id} has no event", lost=True
                    )
                elif dossier.withdrawn:
                    pass
                elif nomination.state == NominationState.SUBMITTED.value or (
                    dossier.withdraw_tried and nomination.state == NominationState.WITHDRAWN.value
                ):
                    found["submissions"] += 1
                else:
                    report.fail(
                        f"acknowledged submission of {nomination.id}: state is {nomination.state}",
                        lost=True,
                    )
            if dossier.withdrawn:
                if nomination.state != NominationState.WITHDRAWN.value:
                    report.fail(
                        f"acknowledged withdrawal of {nomination.id}: state is {nomination.state}",
                        lost=True,
                    )
                else:
                    found["submissions"] += 1
                    found["withdrawals"] += 1
        report.lines.append(
            "found after the crashes: "
            f"{found['dossiers']} dossiers, {found['files']} files with the SHA-256 of the bytes "
            f"sent, {found['submissions']} submissions, {found['withdrawals']} withdrawals "
            f"({found['stored twice']} files stored twice: sent again after a lost answer)"
        )

        # 2. No row points at a missing file; every evidence file matches its row.
        references = stored_references()
        known = {key for keys in references.values() for _, _, key in keys}
        missing = 0
        for column, keys in references.items():
            for table, row_id, key in keys:
                if not storage.exists(key):
                    missing += 1
                    report.fail(f"{table} row {row_id} ({column}) points at a missing file {key}")
        mismatched = 0
        for attachment in attachments:
            digest = stored_digest(attachment.storage_key)
            if digest is not None and digest != (attachment.size_bytes, attachment.sha256):
                mismatched += 1
                report.fail(f"attachment {attachment.id}: the file does not match its SHA-256")
        report.lines.append(
            f"database: {len(nominations)} dossiers ("
            + ", ".join(
                f"{count} {state}"
                for state, count in sorted(Counter(n.state for n in nominations.values()).items())
            )
            + f"), {len(attachments)} file rows, {len(known)} stored-file references in "
            f"{len(references)} column(s): {missing} point at a missing file, {mismatched} "
            "differ from their SHA-256"
        )

        # 3. No dossier in an impossible state.
        states = {s.value for s in NominationState}
        transitions = {a.value for a in Action} - {Action.EDIT.value}
        impossible = 0
        for nomination in nominations.values():
            problems = []
            state = nomination.state
            chain = [e for e in events.get(nomination.id, []) if e.action in transitions]
            if state not in states:
                problems.append(f"unknown state {state!r}")
            if state == NominationState.DRAFT.value and (
                nomination.submitted_at is not None or nomination.reference is not None
            ):
                problems.append("a draft with a submission date or reference")
            if state not in (NominationState.DRAFT.value, NominationState.WITHDRAWN.value) and (
                nomination.submitted_at is None or nomination.reference is None
            ):
                problems.append(f"{state} without a submission date or reference")
            if state == NominationState.WITHDRAWN.value and nomination.withdrawn_at is None:
                problems.append("withdrawn without a withdrawal date")
            expected_from = NominationState.DRAFT.value
            for event in chain:
                if event.from_state != expected_from:
                    problems.append(f"event {event.id} starts from {event.from_state}")
                expected_from = event.to_state
            if expected_from != state:
                problems.append(f"state {state} but the events lead to {expected_from}")
            versions = [e.version for e in events.get(nomination.id, [])]
            if versions != sorted(set(versions)) or (
                versions and versions[-1] > nomination.version
            ):
                problems.append(f"event versions {versions} against version {nomination.version}")
            rounds = sum(e.action in (Action.SUBMIT.value, Action.RESUBMIT.value) for e in chain)
            if snapshots.get(nomination.id, 0) != rounds:
                problems.append(f"{snapshots.get(nomination.id, 0)} snapshots for {rounds} rounds")
            if problems:
                impossible += 1
                report.fail(f"dossier {nomination.id}: " + "; ".join(problems))
        report.lines.append(f"dossiers in an impossible state: {impossible}")

        # 4. The audit chain.
        count, chain_problems = verify_chain()
        for problem in chain_problems:
            report.fail(f"audit chain: event {problem.event_id}: {problem.message}")
        events_total = db.session.scalar(select(func.count(AuditEvent.id)))
        report.lines.append(
            f"audit chain: {count} of {events_total} events checked, {len(chain_problems)} problems"
        )

        # 5. Orphan files, and the sweeper.
        temporary = temporary_files()
        orphans = [o.key for o in storage.stored_objects() if o.key not in known]
        removed = storage.sweep_orphans(known, older_than_seconds=0)
        left = [o.key for o in storage.stored_objects() if o.key not in known]
        left += temporary_files()
        lost_by_sweep = [key for key in known if not storage.exists(key)]
        report.lines.append(
            f"orphan files (written, row never committed): {len(orphans)}, temporary files: "
            f"{len(temporary)}; sweep_orphans removed {removed}, left {len(left)} unreferenced, "
            f"removed {len(lost_by_sweep) - missing} referenced"
        )
        if removed != len(orphans) + len(temporary) or left:
            report.fail(f"sweep_orphans removed {removed} of {len(orphans) + len(temporary)}")
        if len(lost_by_sweep) > missing:
            report.fail("sweep_orphans removed a referenced file")


@dataclass
class Killed:
    """What a kill phase did: the drivers it ran, the SIGKILLs, what to print about them."""

    drivers: list[Driver]
    kills: int
    summary: str
    logs: list[Path]


def start_drivers(
    port: int,
    env: dict[str, str],
    plan: Plan,
    figures: Figures,
    stop: threading.Event,
    rng: random.Random,
    threads: int,
    *,
    proxied: bool = False,
) -> list[Driver]:
    """The nominators' browsers, `threads` of them shared between the demo's nominators."""
    drivers: list[Driver] = []
    per_account = max(1, threads // len(NOMINATORS))
    for username in NOMINATORS:
        jobs = plan.jobs[username]
        for share in range(per_account):
            browser = Browser(port, env["RECOGNITION_SECRET_KEY"], figures, proxied=proxied)
            driver = Driver(
                len(drivers),
                username,
                jobs[share::per_account],
                plan,
                browser,
                stop,
                rng.randrange(2**32),
            )
            drivers.append(driver)
            driver.start()
    return drivers


def kill_one_server(
    args: argparse.Namespace,
    env: dict[str, str],
    work: Path,
    plan: Plan,
    figures: Figures,
    stop: threading.Event,
    rng: random.Random,
    report: Report,
) -> Killed:
    """One gunicorn, started, killed at a random moment and started again, `args.kills` times."""
    port = free_port()
    server = Server(port, env, work / "gunicorn.log")
    drivers: list[Driver] = []
    kills = 0
    kill_phase = time.monotonic()
    try:
        for cycle in range(args.kills):
            server.start()
            if not server.wait_ready(60):
                report.fail(f"the server did not start after kill {kills}")
                break
            if cycle == 0:
                drivers = start_drivers(port, env, plan, figures, stop, rng, args.threads)
            time.sleep(rng.uniform(args.min_gap, args.max_gap))
            server.kill()
            kills += 1
            if time.monotonic() - kill_phase > args.duration:
                break
    finally:
        stop.set()
        server.kill()
        for driver in drivers:
            driver.join(REQUEST_TIMEOUT + 5)
    ready = server.start_times
    summary = (
        f"kills: {kills} × SIGKILL to gunicorn's master and {WORKERS} workers in "
        f"{time.monotonic() - kill_phase:.1f} s (a restart answered after "
        f"{sum(ready) / max(1, len(ready)):.1f} s on average)"
    )
    return Killed(drivers, kills, summary, [server.log])


def migrate(env: dict[str, str]) -> None:
    """`flask db upgrade`, as an operator runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"flask db upgrade failed:\n{result.stdout}{result.stderr}")


def audit_command(env: dict[str, str], report: Report) -> None:
    """`flask audit verify`, as an operator runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "flask", "audit", "verify"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = (result.stdout + result.stderr).strip().splitlines()
    report.lines.append(f"flask audit verify: exit {result.returncode}: {' '.join(output[-1:])}")
    if result.returncode != 0:
        report.fail("flask audit verify failed: " + " / ".join(output[-5:]))


# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=12, help="SIGKILLs to deliver (default 12)")
    parser.add_argument(
        "--duration", type=float, default=150, help="seconds for the kill phase at most"
    )
    parser.add_argument("--threads", type=int, default=6, help="driver threads")
    parser.add_argument("--min-gap", type=float, default=0.5, help="least seconds before a kill")
    parser.add_argument("--max-gap", type=float, default=3.0, help="most seconds before a kill")
    parser.add_argument("--hamlets", type=int, default=150, help="hamlets added per commune")
    parser.add_argument(
        "--servers",
        type=int,
        choices=(1, 2),
        default=1,
        help="2: two servers behind nginx, files in an S3 bucket (default 1)",
    )
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the upload folder and logs")
    args = parser.parse_args(argv)
    if str(ROOT) not in sys.path:  # run as a file: this checkout's code, as gunicorn runs it
        sys.path.insert(0, str(ROOT))
    seed = args.seed if args.seed is not None else secrets.randbelow(2**32)
    rng = random.Random(seed)
    started = time.monotonic()
    url = os.environ.get("RECOGNITION_CRASH_DATABASE_URL", DEFAULT_URL)
    work = Path(tempfile.mkdtemp(prefix="recognition-crash-"))
    env = environment(url, work / "uploads")
    if args.servers == 2:
        from tests.reliability.crash_servers import shared_store

        env.update(shared_store())
    os.environ.update(env)
    print(
        f"crash test: {args.servers} server(s), seed {seed}, database "
        f"{url.rsplit('/', 1)[-1]}, files in "
        + (f"bucket {env['RECOGNITION_S3_BUCKET']}" if args.servers == 2 else str(work))
    )

    reset_database(url)
    migrate(env)
    plan = prepare(args.hamlets, rng)
    print(f"set up in {time.monotonic() - started:.1f} s")

    figures = Figures()
    report = Report()
    stop = threading.Event()
    if args.servers == 2:
        from tests.reliability.crash_servers import kill_two_servers

        killed = kill_two_servers(args, env, work, plan, figures, stop, rng, report)
    else:
        killed = kill_one_server(args, env, work, plan, figures, stop, rng, report)
    drivers = killed.drivers
    kills = killed.kills
    if kills < 10:
        report.fail(f"only {kills} kills (at least 10 are needed)")

    dossiers = [d for driver in drivers for d in driver.dossiers]
    check(dossiers, report)
    audit_command(env, report)

    counts = figures.counts
    print(killed.summary)
    print(
        f"requests: {counts['requests sent']} sent, {counts['answers received']} answered, "
        f"{counts['requests cut off']} cut off by a kill"
        + (
            f" (and {counts['cut off behind nginx (502)']} behind nginx)"
            if counts["cut off behind nginx (502)"]
            else ""
        )
        + ", "
        f"{counts['connections refused']} refused while the server was down, "
        f"{counts['server errors (5xx)']} server errors (5xx), "
        f"{counts['unexpected answers']} unexpected answers, {counts['logins']} logins "
        f"({counts['logins after a lost session']} after a lost session)"
    )
    print(
        f"acknowledged: {counts['acknowledged dossiers']} dossiers, "
        f"{counts['acknowledged files']} files ({counts['acknowledged bytes'] / 1e6:.1f} MB), "
        f"{counts['acknowledged submissions']} submissions, "
        f"{counts['acknowledged withdrawals']} withdrawals; answers lost after the commit "
        "and found on retry: "
        + (
            ", ".join(
                f"{k.rsplit('(', 1)[1].rstrip(')')} {v}"
                for k, v in sorted(counts.items())
                if k.startswith("answers lost")
            )
            or "none"
        )
    )
    for line in report.lines:
        print(line)
    print(f"acknowledged lost: {report.lost}")
    for message in figures.unexpected:
        print(f"  unexpected: {message}")
    print(f"duration: {time.monotonic() - started:.1f} s")
    if counts["acknowledged submissions"] == 0 or counts["acknowledged files"] == 0:
        report.fail("the driver got nothing acknowledged: the run proves nothing")
    if counts["server errors (5xx)"]:
        report.fail(f"{counts['server errors (5xx)']} answers were server errors (5xx)")
    if counts["unexpected answers"]:
        report.fail(f"{counts['unexpected answers']} unexpected answers (listed above)")
    if report.violations:
        print(f"FAILED: {len(report.violations)} violations")
        for message in report.violations[:50]:
            print(f"  - {message}")
        for path in killed.logs:
            log = path.read_text(errors="replace").splitlines()
            print(f"{path.name} (last lines):", *log[-15:], sep="\n  ")
        print(f"files kept in {work}")
        return 1
    print("PASSED: every acknowledged request survived the crashes")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
