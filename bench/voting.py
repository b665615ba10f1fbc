"""A council of 100 voting on one item at the same moment, beside a burst of 100 hello-worlds.

    .venv/bin/python bench/voting.py [--members 100] [--rounds 5] [--workers 2] [--threads 1]

On its own PostgreSQL database (`bench_voting`): the demo, then a council of `--members` for
Xã Phú Phụng, and for each round a session with one accepted dossier on its agenda, everyone
present and the vote open (all through the services). Under gunicorn, every member logs in
first and opens the ballot up to its confirmation ("agree"); then all of them press "Cast my
vote" at the same moment, each in its own thread. Just before and just after it, the same
number of threads request a Flask hello-world at once, under the same server settings (the
machine's speed drifts from second to second; each cast is compared with the bursts around
it). It prints, per round, the p50/p95/max of the cast (the last request), the hello-world
bursts' p95 and the ratio; over the rounds, the ratios' min/median/max and the pooled figures;
and it checks the count: one participation and one ballot per member, no more. Two more
bursts by the same members show what the cast is made of: a signed-in page that does nothing
(a 404: session, user, bell and layout, what every page costs) and the ballot opened
without a vote.
Nothing is asserted: the figures are for reading (the target: p95 ≤ 5 × the burst's).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import HELLO, Client, _free_port, _gunicorn, _hello, _login, _stop, _wait

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
DATABASE = "bench_voting"


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)
    if found is None:
        raise SystemExit(f"no {name} on the page")
    return found.group(1)


def _agree_code(page: str) -> str:
    found = re.search(r'id="choice-agree" value="([^"]+)"', page)
    if found is None:
        raise SystemExit("no 'agree' choice on the ballot")
    return found.group(1)


def _confirm(client: Client, path: str) -> str:
    """A member opens the ballot, chooses "agree" and reaches the confirmation: returns the
    cast's form."""
    import urllib.parse

    page = client.get(path)[2].decode()
    code = _agree_code(page)
    form = {"csrf_token": _hidden(page, "csrf_token"), "step": "confirm", "choice": code}
    confirm = client.request("POST", path, urllib.parse.urlencode(form))[2].decode()
    return urllib.parse.urlencode(
        {"csrf_token": _hidden(confirm, "csrf_token"), "step": "cast", "choice": code}
    )


def _cast(client: Client, path: str, form: str) -> float:
    """The cast (the member presses "Cast my vote"); returns its seconds."""
    start = time.perf_counter()
    status, _headers, body = client.request("POST", path, form)
    elapsed = time.perf_counter() - start
    if status != 200 or b"data-receipt" not in body:
        raise SystemExit(f"the cast answered {status} without a receipt")
    return elapsed


def _at_once(work: list[Any]) -> list[Any]:
    """Run the callables in threads released together; their results in order (the first
    failure, such as a wrong answer's SystemExit, is raised here once all have ended)."""
    results: list[Any] = [None] * len(work)
    failures: list[BaseException] = []
    gate = threading.Barrier(len(work))

    def run(i: int) -> None:
        gate.wait()
        try:
            results[i] = work[i]()
        except BaseException as failure:  # a thread's SystemExit would be lost
            failures.append(failure)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results


def _processes() -> list[tuple[int, str, int, int]]:
    """Every process: its pid, name, parent's pid and CPU ticks (user and system), from
    /proc/<pid>/stat."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 1 :].split()
        found.append((int(entry.name), name, int(fields[1]), int(fields[11]) + int(fields[12])))
    return found


class CpuMeter:
    """CPU seconds spent during a burst by the app's workers, PostgreSQL and this process (the
    clients' threads), read from /proc: where a burst's time goes on a machine they share.

    Counted per process: one started during the burst counts from zero; one that ended during
    it takes its last CPU with it, so the server's are counted in `ended` and its figures are
    then marked as not read rather than taken for a cheap burst."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.spent: dict[str, float] = {"app": 0.0, "postgres": 0.0, "clients": 0.0}
        self.requests = 0
        self.ended = 0

    def _now(self) -> dict[str, dict[int, int]]:
        processes = _processes()
        return {
            "app": {
                pid: ticks
                for pid, _name, parent, ticks in processes
                if self.server_pid in (pid, parent)
            },
            "postgres": {pid: ticks for pid, name, _, ticks in processes if name == "postgres"},
        }

    def measure(self, work: Any, requests: int) -> Any:
        tick = os.sysconf("SC_CLK_TCK")
        before, clients = self._now(), os.times()
        result = work()
        after, clients_after = self._now(), os.times()
        for name in ("app", "postgres"):
            self.spent[name] += (
                sum(ticks - before[name].get(pid, 0) for pid, ticks in after[name].items()) / tick
            )
        self.ended += len(before["app"].keys() - after["app"].keys())
        self.spent["clients"] += (clients_after.user + clients_after.system) - (
            clients.user + clients.system
        )
        self.requests += requests
        return result

    def per_request(self) -> str:
        figures = ", ".join(
            f"{name} {seconds / max(self.requests, 1) * 1000:.2f} ms"
            for name, seconds in self.spent.items()
        )
        if self.ended or self.spent["app"] <= 0:
            figures += (
                f" (NOT READ: {self.ended} of the server's processes ended during its bursts, "
                f"{self.spent['app']:.2f} s counted)"
            )
        return figures


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _build(app: Any, members: int) -> list[str]:
    """The council's members (usernames), seated on Xã Phú Phụng's council."""
    from sqlalchemy import select

    from recognition.auth.enums import Role
    from recognition.auth.models import RoleGrant, User
    from recognition.auth.passwords import hash_password
    from recognition.common.text import fold, sort_string
    from recognition.council import services as council
    from recognition.council.enums import CouncilRole
    from recognition.extensions import db
    from recognition.ops.demo import DEMO_PASSWORD, seed_demo
    from recognition.units.models import Unit

    with app.app_context(), app.test_request_context():
        seed_demo()
        body = db.session.scalars(select(Unit).where(Unit.code == "28879", Unit.is_active)).one()
        password = hash_password(DEMO_PASSWORD)
        names = []
        for number in range(1, members + 1):
            name = f"Thành Viên Số {number}"
            user = User(
                username=f"bench.hd{number:03d}",
                full_name=name,
                full_name_folded=fold(name),
                full_name_sort=sort_string(name),
                password_hash=password,
                locale="vi",
            )
            db.session.add(user)
            db.session.flush()
            db.session.add(RoleGrant(user_id=user.id, unit_id=body.id, role=Role.COUNCIL_MEMBER))
            council.add_member(body, user, role=CouncilRole.MEMBER, term_start=body.valid_from)
            names.append(user.username)
        db.session.commit()
    return names


def _open_session(app: Any, round_number: int) -> str:
    """A meeting with one accepted dossier, everyone present, the vote open: its ballot's
    path."""
    from recognition.extensions import db
    from tests.e2e.world import (
        PERSON,
        _accept,
        _dossier,
        _session,
        _set_rules,
        _unit,
        _user,
        open_campaign,
    )

    with app.app_context(), app.test_request_context():
        body = _unit("Xã Phú Phụng", active=True)
        campaign = open_campaign(body)
        _set_rules(campaign)
        nominator, secretariat = _user("ap.sonqui"), _user("thuky")
        dossier = _dossier(campaign, PERSON, f"Người Được Đề Nghị {round_number}", nominator)
        _accept(dossier, nominator, secretariat)
        session = _session(body, [dossier], secretariat, f"Phiên biểu quyết {round_number}")
        path = f"/council/sessions/{session.id}/items/{session.items[0].id}/vote"
        db.session.commit()
        return path


def _counted(app: Any, path: str) -> tuple[int, int]:
    from sqlalchemy import func, select

    from recognition.council.models import Participation, SealedBallot
    from recognition.extensions import db

    item = int(path.rstrip("/").split("/")[-2])
    with app.app_context():
        participations = db.session.scalar(
            select(func.count(Participation.id)).where(Participation.item_id == item)
        )
        # Ballots stay sealed until the vote closes.
        ballots = db.session.scalar(
            select(func.count(SealedBallot.id)).where(SealedBallot.item_id == item)
        )
        return int(participations or 0), int(ballots or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (gthread), both servers"
    )
    arguments = parser.parse_args()

    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")  # type: ignore[arg-type]
        c.execute(f"CREATE DATABASE {DATABASE}")  # type: ignore[arg-type]
    url = f"{SERVER}/{DATABASE}"
    work = Path(tempfile.mkdtemp(prefix="bench-voting-"))
    env = {
        **os.environ,
        "RECOGNITION_DATABASE_URL": url,
        "RECOGNITION_SECRET_KEY": "bench-secret-key-bench-secret-key",
        "RECOGNITION_UPLOAD_DIR": str(work / "uploads"),
        "RECOGNITION_BALLOT_KEY_DIR": str(work / "ballot-keys"),
        "RECOGNITION_LOGIN_LIMIT_PER_IP": "100000 per hour",
    }
    os.environ.update(env)
    from flask_migrate import upgrade

    from recognition import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "OUTBOX_WORKER": False})
    with app.app_context():
        upgrade()
    members = _build(app, arguments.members)
    (work / "hello.py").write_text(HELLO)
    port, hello_port = _free_port(), _free_port()
    server = _gunicorn("wsgi:app", port, arguments.workers, env, ROOT, arguments.threads)
    hello = _gunicorn("hello:app", hello_port, arguments.workers, env, work, arguments.threads)
    base, hello_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{hello_port}"
    casts: list[float] = []
    bursts: list[float] = []
    ratios: list[float] = []
    reads: list[float] = []
    frames: list[float] = []
    try:
        _wait(base, "/login", server)
        _wait(hello_base, "/", hello)
        clients = [_login(base, username) for username in members]
        meters = {
            "hello": CpuMeter(hello.pid),
            "frame": CpuMeter(server.pid),
            "ballot opened": CpuMeter(server.pid),
            "cast": CpuMeter(server.pid),
        }
        # One burst before the rounds, not measured: the hello-world's first requests would
        # otherwise count its workers' start-up (the app's are warmed by the logins).
        _at_once([lambda c=c: c.get("/") for c in (Client(hello_base) for _ in members)])  # type: ignore[misc]
        for number in range(1, arguments.rounds + 1):
            path = _open_session(app, number)

            def hello_burst() -> list[float]:
                plain = [Client(hello_base) for _ in members]
                return meters["hello"].measure(  # type: ignore[no-any-return]
                    lambda: _at_once([lambda c=c: _hello(c) for c in plain]),  # type: ignore[misc]
                    len(plain),
                )

            # The same members ask at once for a page that does not exist: the app's frame alone
            # (session, user, the bell, the layout), what every signed-in page costs.
            framed = meters["frame"].measure(
                lambda: _at_once(
                    [lambda c=c: _timed(lambda: c.get("/khong-co-trang-nay")) for c in clients]  # type: ignore[misc]
                ),
                len(clients),
            )
            # The same members open the ballot at once: the app's frame (session, user, layout)
            # and the ballot's read, without the write.
            opened = meters["ballot opened"].measure(
                lambda path=path: _at_once(
                    [lambda c=c, p=path: _timed(lambda: c.get(p)) for c in clients]  # type: ignore[misc]
                ),
                len(clients),
            )
            # Every member has the ballot open at the confirmation; then all of them press
            # "Cast my vote" at the same moment, between two hello-world bursts (the machine's
            # speed drifts: the cast is compared with the bursts just before and after it).
            forms = _at_once(
                [lambda c=c, p=path: _confirm(c, p) for c in clients]  # type: ignore[misc]
            )
            before = hello_burst()
            cast = meters["cast"].measure(
                lambda path=path, forms=forms: _at_once(
                    [
                        lambda c=c, p=path, f=f: _cast(c, p, f)  # type: ignore[misc]
                        for c, f in zip(clients, forms, strict=True)
                    ]
                ),
                len(clients),
            )
            after = hello_burst()
            participations, ballots = _counted(app, path)
            burst = before + after
            hello_p95 = (_p(before, 0.95) + _p(after, 0.95)) / 2
            ratios.append(_p(cast, 0.95) / hello_p95)
            casts += cast
            bursts += burst
            reads += opened
            frames += framed
            print(
                f"round {number}: cast p50 {_p(cast, 0.5):.0f} ms, p95 {_p(cast, 0.95):.0f} ms, "
                f"max {max(cast) * 1000:.0f} ms | hello bursts before and after p95 "
                f"{_p(before, 0.95):.0f} and {_p(after, 0.95):.0f} ms: {ratios[-1]:.1f}× | "
                f"frame p95 {_p(framed, 0.95):.0f} ms | "
                f"ballot opened p95 {_p(opened, 0.95):.0f} ms | "
                f"counted {participations} participations, "
                f"{ballots} sealed ballots for {len(members)} members",
                flush=True,
            )
    finally:
        _stop(server)
        _stop(hello)
    ratio = _p(casts, 0.95) / _p(bursts, 0.95)
    median = statistics.median(casts) * 1000
    print(
        f"\nthe cast's p95 over the hello-world bursts' around it, by round: min "
        f"{min(ratios):.1f}×, median {statistics.median(ratios):.1f}×, max {max(ratios):.1f}× "
        f"[target ≤ 5×]"
    )
    print(
        f"all rounds pooled: cast p95 {_p(casts, 0.95):.0f} ms (median {median:.0f} ms), "
        f"hello bursts p95 {_p(bursts, 0.95):.0f} ms: {ratio:.1f}×"
    )
    print(
        f"a signed-in page that does nothing (a 404), by everyone at once: p95 "
        f"{_p(frames, 0.95):.0f} ms, {_p(frames, 0.95) / _p(bursts, 0.95):.1f}× the burst"
    )
    print(
        f"the ballot opened by everyone at once (no write): p95 {_p(reads, 0.95):.0f} ms, "
        f"{_p(reads, 0.95) / _p(bursts, 0.95):.1f}× the burst"
    )
    print("\nCPU per request during each burst (the server's workers, PostgreSQL, the clients):")
    for name, meter in meters.items():
        print(f"  {name:14s} {meter.per_request()}")


def _timed(call: Any) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
