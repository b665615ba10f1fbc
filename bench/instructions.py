"""Instructions per request, counted: a ballot's cast and a signed-in 404, in one process.

    .venv/bin/python bench/instructions.py [--requests 15] [--source PATH]

Timings on a shared machine drift from second to second; an instruction count does not.
valgrind's callgrind counts the instructions the Python process runs while it is inside one
call (`operator.call`, which nothing else in the app uses), wrapped around the measured loop
only: start-up, log-in and the ballot's earlier steps are not counted. Two counts, each in its
own process, side by side: the cast ("Cast my vote", with the receipt drawn) of `--requests`
members, and the same members asking for a page that does not exist (the frame alone: session,
user, the bell, the layout). Through Flask's test client, on its own PostgreSQL database
(`bench_instructions`: the demo and a council, as bench/voting.py builds them); PostgreSQL's own
work is not counted. The same code gives the same count on every run (within a few thousandths),
so two versions of the code are compared by running this from each checkout (`--source`).
Nothing is asserted: the figures are for reading. Needs valgrind (Debian's package).
"""

from __future__ import annotations

import argparse
import operator
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
DATABASE = "bench_instructions"


def _environment(work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "RECOGNITION_DATABASE_URL": f"{SERVER}/{DATABASE}",
        "RECOGNITION_SECRET_KEY": "bench-secret-key-bench-secret-key",
        "RECOGNITION_UPLOAD_DIR": str(work / "uploads"),
        "RECOGNITION_BALLOT_KEY_DIR": str(work / "ballot-keys"),
        "RECOGNITION_LOGIN_LIMIT_PER_IP": "100000 per hour",
    }


def _prepare(requests: int, work: Path) -> None:
    """The database: the demo and a council of `requests` members."""
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")  # type: ignore[arg-type]
        c.execute(f"CREATE DATABASE {DATABASE}")  # type: ignore[arg-type]
    os.environ.update(_environment(work))
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade

    from bench.voting import _build
    from recognition import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"{SERVER}/{DATABASE}", "OUTBOX_WORKER": False})
    with app.app_context():
        upgrade()
    _build(app, requests)


def _measured(what: str, requests: int, source: Path) -> None:
    """In the process valgrind runs: the members signed in, the ballot at its confirmation,
    then the measured loop inside `operator.call`."""
    sys.path.insert(0, str(source))
    from sqlalchemy import select

    import wsgi
    from bench.voting import _agree_code, _hidden, _open_session
    from recognition.auth.models import User
    from recognition.extensions import db

    app = wsgi.app
    names = [f"bench.hd{number:03d}" for number in range(1, requests + 1)]
    with app.app_context():
        accounts = db.session.execute(
            select(User.id, User.session_version).where(User.username.in_(names))
        ).all()
    clients = []
    now = time.time()
    for user_id, version in accounts:
        client = app.test_client()
        # Signed in as Flask-Login's log-in leaves the session (without the password's hash,
        # which would cost valgrind minutes a member).
        with client.session_transaction() as session:
            session.update(
                _user_id=f"{user_id}:{version}", _fresh=True, started_at=now, seen_at=now
            )
            session.permanent = True
        clients.append(client)
    path = _open_session(app, int(now * 1000) % 1_000_000_000)
    forms = []
    for client in clients:
        page = client.get(path).get_data(as_text=True)
        code = _agree_code(page)
        token = _hidden(page, "csrf_token")
        confirm = client.post(
            path, data={"csrf_token": token, "step": "confirm", "choice": code}
        ).get_data(as_text=True)
        forms.append({"csrf_token": _hidden(confirm, "csrf_token"), "step": "cast", "choice": code})
    for client in clients[:3]:  # the 404's page drawn once before
        client.get("/khong-co-trang-nay")

    def casts() -> None:
        for client, form in zip(clients, forms, strict=True):
            if b"data-receipt" not in client.post(path, data=form).data:
                raise SystemExit("a cast answered without a receipt")

    def frames() -> None:
        for client in clients:
            if client.get("/khong-co-trang-nay").status_code != 404:
                raise SystemExit("the page that does not exist answered")

    operator.call(casts if what == "cast" else frames)
    print(f"measured {len(clients)}")


def _count(what: str, requests: int, source: Path, work: Path) -> Any:
    output = work / f"callgrind.{what}"
    return subprocess.Popen(
        [
            "valgrind",
            "--tool=callgrind",
            "--collect-atstart=no",
            "--toggle-collect=_operator_call",
            f"--callgrind-out-file={output}",
            sys.executable,
            str(Path(__file__).resolve()),
            "--inner",
            what,
            "--requests",
            str(requests),
            "--source",
            str(source),
        ],
        cwd=source,
        env=_environment(work),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--source", type=Path, default=ROOT, help="the checkout whose code runs")
    parser.add_argument("--inner", choices=["cast", "frame"], help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.inner:
        _measured(arguments.inner, arguments.requests, arguments.source.resolve())
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    work = Path(tempfile.mkdtemp(prefix="bench-instructions-"))
    _prepare(arguments.requests, work)
    started = time.perf_counter()
    runs = {
        what: _count(what, arguments.requests, arguments.source.resolve(), work)
        for what in ("cast", "frame")
    }
    print(f"code of {arguments.source.resolve()}, {arguments.requests} requests each:")
    for what, run in runs.items():
        said, _ = run.communicate()
        measured = re.search(r"measured (\d+)", said or "")
        summary = re.search(r"^summary: (\d+)", (work / f"callgrind.{what}").read_text(), re.M)
        if run.returncode != 0 or measured is None or summary is None:
            raise SystemExit(f"the {what} run failed (exit {run.returncode}): {said!r}")
        per_request = int(summary.group(1)) / int(measured.group(1))
        label = "a cast (with its receipt)" if what == "cast" else "a signed-in 404"
        print(f"  {label:28s} {per_request / 1000:,.0f}k instructions")
    print(f"({time.perf_counter() - started:.0f} s under valgrind)")


if __name__ == "__main__":
    main()
