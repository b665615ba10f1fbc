"""The crash test's two-server form (`python -m tests.reliability.crash_test --servers 2`).

Two gunicorn instances on the same PostgreSQL database keep their files in one S3 bucket (a local
moto server), each with an empty upload folder of its own; nginx (tests/support/nginx.py) sends
the drivers' requests to them in turn and passes a request that a server refuses to connect to
the other one. At random moments one server, the other, or (one time in four) both at once are
killed with SIGKILL and started again while the drivers keep working; a request cut off behind
nginx (its 502) is retried like a request cut off by a kill. The checks afterwards are the
single-server ones (crash_test.check), made through the bucket, and: both servers answered a
fair share of the requests, and neither wrote a file into its own folder.
"""

from __future__ import annotations

import argparse
import logging
import random
import threading
import time
from collections import Counter
from pathlib import Path

from tests.reliability.crash_test import (
    REQUEST_TIMEOUT,
    Driver,
    Figures,
    Killed,
    Plan,
    Report,
    Server,
    free_port,
    start_drivers,
)
from tests.support.nginx import nginx, served
from tests.support.object_store import ACCESS_KEY, REGION, SECRET_KEY, endpoint, new_bucket

BOTH_AT_ONCE = 0.25  # the share of kills that take both servers down together
# One worker each: the two servers run as many workers as the single-server form, and a killed
# server answers again sooner on a small machine.
WORKERS_EACH = 1


def shared_store() -> dict[str, str]:
    """The settings of a new bucket on the local S3-protocol server (started here, quiet)."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    return {
        "RECOGNITION_STORAGE_BACKEND": "s3",
        "RECOGNITION_S3_ENDPOINT_URL": endpoint(),
        "RECOGNITION_S3_BUCKET": new_bucket(),
        "RECOGNITION_S3_ACCESS_KEY_ID": ACCESS_KEY,
        "RECOGNITION_S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "RECOGNITION_S3_REGION": REGION,
    }


def _restart(server: Server, report: Report) -> None:
    server.start()
    if not server.wait_ready(60):
        report.fail(f"server on port {server.port} did not start again")


def kill_two_servers(
    args: argparse.Namespace,
    env: dict[str, str],
    work: Path,
    plan: Plan,
    figures: Figures,
    stop: threading.Event,
    rng: random.Random,
    report: Report,
) -> Killed:
    """Kill one server or both at random moments, `args.kills` SIGKILLs in all; a killed server
    is started again at once, in the background, while its peer serves."""
    ports = (free_port(), free_port())
    servers = [
        Server(
            port,
            {**env, "RECOGNITION_UPLOAD_DIR": str(work / f"uploads-{n}")},
            work / f"gunicorn-{n}.log",
            workers=WORKERS_EACH,
        )
        for n, port in enumerate(ports)
    ]
    for server in servers:
        server.start()
    for server in servers:
        if not server.wait_ready(60):
            report.fail(f"server on port {server.port} did not start")
    front = free_port()
    drivers: list[Driver] = []
    restarts: dict[int, threading.Thread] = {}
    victims_by_server: Counter[int] = Counter()
    both = 0
    kill_phase = time.monotonic()
    with nginx(work / "nginx", front, ports, fail_over=True) as log:
        try:
            drivers = start_drivers(
                front, env, plan, figures, stop, rng, args.threads, proxied=True
            )
            while sum(victims_by_server.values()) < args.kills:
                time.sleep(rng.uniform(args.min_gap, args.max_gap))
                if time.monotonic() - kill_phase > args.duration:
                    break
                up = [n for n in (0, 1) if n not in restarts or not restarts[n].is_alive()]
                if not up:
                    continue
                victims = up if len(up) == 2 and rng.random() < BOTH_AT_ONCE else [rng.choice(up)]
                both += len(victims) == 2
                for number in victims:
                    servers[number].kill()
                    victims_by_server[number] += 1
                for number in victims:
                    restarts[number] = threading.Thread(
                        target=_restart, args=(servers[number], report), daemon=True
                    )
                    restarts[number].start()
        finally:
            stop.set()
            for thread in restarts.values():
                thread.join(70)
            for driver in drivers:
                driver.join(REQUEST_TIMEOUT + 5)
            for server in servers:
                server.kill()
    answered = Counter(upstream for _, _, _, upstream in served(log))
    kill_seconds = time.monotonic() - kill_phase
    shares = [answered[str(port)] for port in ports]
    if min(shares) < sum(shares) / 4:
        report.fail(f"the servers answered {shares[0]} and {shares[1]} requests: not in turn")
    local = [p for n in (0, 1) for p in (work / f"uploads-{n}").rglob("*") if p.is_file()]
    if local:
        report.fail(f"{len(local)} files were written to a server's own folder: {local[:3]}")
    ready = [t for server in servers for t in server.start_times]
    summary = (
        f"kills: {sum(victims_by_server.values())} × SIGKILL to a server's master and its "
        f"{WORKERS_EACH} worker(s) in {kill_seconds:.1f} s: {victims_by_server[0]} to server 1, "
        f"{victims_by_server[1]} to server 2, {both} times both at once (a restart answered "
        f"after {sum(ready) / max(1, len(ready)):.1f} s on average); nginx passed on "
        f"{shares[0]} requests to server 1 and {shares[1]} to server 2, "
        f"{len(local)} files in the servers' own folders"
    )
    return Killed(drivers, sum(victims_by_server.values()), summary, [s.log for s in servers])
