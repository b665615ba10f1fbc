"""Two app servers behind nginx: two gunicorn instances on one PostgreSQL database and one S3
bucket (a local moto server), each with an empty upload folder of its own, and nginx (Debian's
package, run with a configuration of its own) sending requests to them in turn. A nominator logs
in, creates a dossier, attaches a file and submits it; the file is downloaded through the
server that did not receive it."""

from __future__ import annotations

import http.client
import itertools
import os
import random
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ON_POSTGRES, throwaway_postgres
from tests.reliability import crash_test
from tests.reliability.crash_test import Browser, Dossier, Driver, Figures, Server
from tests.support.object_store import ACCESS_KEY, REGION, SECRET_KEY, endpoint, new_bucket

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (make system-packages)"),
    pytest.mark.skipif(not ON_POSTGRES, reason="several servers share PostgreSQL"),
]

NGINX_CONF = """
{user}
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    log_format upstreams '$request_method $uri $status $upstream_addr';
    access_log {folder}/access.log upstreams;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    client_max_body_size 30m;
    upstream recognition {{
        server 127.0.0.1:{first};
        server 127.0.0.1:{second};
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://recognition;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_next_upstream off;
        }}
    }}
}}
"""


@contextmanager
def nginx(folder: Path, port: int, upstreams: tuple[int, int]) -> Iterator[Path]:
    """nginx in the foreground, balancing round robin over the two ports; yields its access
    log (method, path, status and the upstream that answered, a line per request)."""
    folder.mkdir()
    user = "user root root;" if os.geteuid() == 0 else ""  # workers keep the test's user
    conf = folder / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            user=user, folder=folder, port=port, first=upstreams[0], second=upstreams[1]
        )
    )
    assert NGINX is not None
    process = subprocess.Popen(  # noqa: S603
        [NGINX, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while not (folder / "nginx.pid").exists():
            assert process.poll() is None, (folder / "error.log").read_text()
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.05)
        yield folder / "access.log"
    finally:
        process.terminate()
        process.wait(timeout=20)


def served(log: Path) -> list[tuple[str, str, int, str]]:
    """(method, path, status, upstream port) of every request nginx passed on."""
    lines = log.read_text().splitlines() if log.exists() else []
    return [
        (method, path, int(status), upstream.rpartition(":")[2])
        for method, path, status, upstream in (line.split(" ") for line in lines)
    ]


@pytest.fixture
def installation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A migrated PostgreSQL database with the demo data, and the settings both servers share."""
    with throwaway_postgres(f"recognition_two_servers_{os.getpid()}") as url:
        env = crash_test.environment(url, tmp_path / "unused")
        env.update(
            {
                "RECOGNITION_STORAGE_BACKEND": "s3",
                "RECOGNITION_S3_ENDPOINT_URL": endpoint(),
                "RECOGNITION_S3_BUCKET": new_bucket(),
                "RECOGNITION_S3_ACCESS_KEY_ID": ACCESS_KEY,
                "RECOGNITION_S3_SECRET_ACCESS_KEY": SECRET_KEY,
                "RECOGNITION_S3_REGION": REGION,
                "RECOGNITION_BALLOT_KEY_DIR": str(tmp_path / "ballot-keys"),
                "RECOGNITION_CERT_KEYS": f"k1:{'ab' * 32}",
                "RECOGNITION_PROXY_COUNT": "1",
                "RECOGNITION_PDF_PROCESSES": "0",
            }
        )
        crash_test.migrate(env)
        for name, value in env.items():
            if name.startswith("RECOGNITION_"):
                monkeypatch.setenv(name, value)  # the demo data is loaded by an app built here
        yield env


def fetch(browser: Browser, path: str) -> tuple[int, bytes]:
    """A GET with the browser's cookies, its body as bytes (a stored file)."""
    connection = http.client.HTTPConnection("127.0.0.1", browser.port, timeout=30)
    try:
        cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
        connection.request(
            "GET", path, headers={"Host": f"127.0.0.1:{browser.port}", "Cookie": cookie}
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_a_dossier_made_through_nginx_alternating_two_servers(
    installation: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = crash_test.prepare(1, random.Random(15))
    username, jobs = next(iter(plan.jobs.items()))
    monkeypatch.setattr(crash_test, "WORKERS", 1)
    ports = (crash_test.free_port(), crash_test.free_port())
    servers = [
        Server(
            port,
            {**installation, "RECOGNITION_UPLOAD_DIR": str(tmp_path / f"uploads-{number}")},
            tmp_path / f"gunicorn-{number}.log",
        )
        for number, port in enumerate(ports)
    ]
    front = crash_test.free_port()
    content = crash_test.make_pdf(random.Random(15))
    try:
        for server in servers:
            server.start()
        for server in servers:
            assert server.wait_ready(90), server.log.read_text()[-2000:]
        with nginx(tmp_path / "nginx", front, ports) as log:
            browser = Browser(front, installation["RECOGNITION_SECRET_KEY"], Figures())
            driver = Driver(0, username, jobs[:1], plan, browser, threading.Event(), 15)
            driver.log_in()
            dossier = Dossier(*jobs[0])
            dossier.dossier_id = driver.create(plan.campaign_id, dossier)
            driver.edit(dossier, [("Biên bản họp.pdf", "application/pdf", content)])
            driver.act(dossier, "submit")
            page = browser.request("GET", f"/nominations/{dossier.dossier_id}")
            links = re.findall(rf'href="(/nominations/{dossier.dossier_id}/files/\d+)"', page.body)
            # Two downloads in a row: one of them is served by each server.
            downloads = [fetch(browser, links[0]), fetch(browser, links[0])]
        # nginx logs a request once it has answered it: read the log once nginx has stopped.
        requests = served(log)
    finally:
        for server in servers:
            server.kill()

    upstreams = [upstream for _, _, _, upstream in requests]
    uploaded_on = [
        upstream
        for method, path, status, upstream in requests
        if (method, path, status) == ("POST", f"/nominations/{dossier.dossier_id}/edit", 302)
    ]
    downloaded_on = [u for m, p, s, u in requests if m == "GET" and "/files/" in p]
    submitted = [
        s
        for m, p, s, _ in requests
        if (m, p) == ("POST", f"/nominations/{dossier.dossier_id}/do/submit")
    ]
    assert (len(links), submitted) == (1, [302])
    assert (browser.figures.counts["server errors (5xx)"], browser.figures.unexpected) == (0, [])
    # Round robin: each request went to the other server than the one before.
    assert set(upstreams) == {str(port) for port in ports}
    assert all(a != b for a, b in itertools.pairwise(upstreams))
    assert downloads == [(200, content), (200, content)]
    assert len(uploaded_on) == 1 and sorted(downloaded_on) == sorted(str(p) for p in ports)
    # Neither server kept a file of its own: the file is in the bucket only.
    assert [p for n in (0, 1) for p in (tmp_path / f"uploads-{n}").rglob("*")] == []
