"""Two app servers behind nginx: two gunicorn instances on one PostgreSQL database, one S3 bucket
for the stored files and another for the keys of open votes (a local moto server), each with an
empty upload folder and an empty ballot-key folder of its own, and nginx (Debian's package, run
with a configuration of its own, tests/support/nginx.py) sending requests to them in turn.

- A nominator creates a dossier, attaches a file and submits it; the file is downloaded through
  the server that did not receive it.
- The whole cycle in a browser (tests/e2e/cycle.py: nomination, appraisal, a council's secret
  ballot, decision, certificate PDF, public verification), every step answered by both servers.
- A backup taken with `flask backup` while both servers run restores into a new database and
  a new bucket: the dossiers, the files byte for byte and the audit chain are there.

The servers, the database and the buckets are set up once for the module; each test has an nginx
(and an access log) of its own.
"""

from __future__ import annotations

import hashlib
import http.client
import itertools
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import ON_POSTGRES, throwaway_postgres
from tests.reliability import crash_test
from tests.reliability.crash_test import Browser, Dossier, Driver, Figures, Plan, Server
from tests.support.nginx import NGINX, nginx, served
from tests.support.object_store import (
    ACCESS_KEY,
    REGION,
    SECRET_KEY,
    client,
    endpoint,
    new_bucket,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (make system-packages)"),
    pytest.mark.skipif(not ON_POSTGRES, reason="several servers share PostgreSQL"),
    pytest.mark.skipif(
        os.environ.get("RECOGNITION_SERVERS_TESTS") != "1",
        reason="runs beside the crash tests, with real servers (make crash-test)",
    ),
]


@dataclass
class Cluster:
    env: dict[str, str]
    front: int  # the port nginx listens on
    ports: tuple[int, int]
    folder: Path
    plan: Plan
    story: dict[str, int]

    @property
    def upstreams(self) -> set[str]:
        return {str(port) for port in self.ports}

    def local_files(self) -> list[Path]:
        """Whatever either server wrote to its own upload or ballot-key folder."""
        return [
            path
            for number in (0, 1)
            for name in ("uploads", "ballot-keys")
            for path in (self.folder / f"{name}-{number}").rglob("*")
        ]


def _s3_settings(prefix: str, bucket: str) -> dict[str, str]:
    return {
        f"RECOGNITION_{prefix}BUCKET": bucket,
        f"RECOGNITION_{prefix}ENDPOINT_URL": endpoint(),
        f"RECOGNITION_{prefix}ACCESS_KEY_ID": ACCESS_KEY,
        f"RECOGNITION_{prefix}SECRET_ACCESS_KEY": SECRET_KEY,
        f"RECOGNITION_{prefix}REGION": REGION,
    }


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A migrated database with the demo data, two running servers and the settings they
    share (the demo data is loaded by an app built here, from the same settings)."""
    folder = tmp_path_factory.mktemp("two-servers")
    front = crash_test.free_port()
    with (
        throwaway_postgres("servers") as url,
        pytest.MonkeyPatch.context() as patch,
    ):
        env = crash_test.environment(url, folder / "unused")
        env.update(
            {
                "RECOGNITION_STORAGE_BACKEND": "s3",
                **_s3_settings("S3_", new_bucket()),
                "RECOGNITION_BALLOT_KEY_BACKEND": "s3",
                **_s3_settings("BALLOT_KEY_S3_", new_bucket()),
                "RECOGNITION_CERT_KEYS": f"k1:{'ab' * 32}",
                "RECOGNITION_PROXY_COUNT": "1",
                "RECOGNITION_PDF_PROCESSES": "0",
                "RECOGNITION_PUBLIC_URL": f"http://127.0.0.1:{front}",
            }
        )
        crash_test.migrate(env)
        for name, value in env.items():
            if name.startswith("RECOGNITION_"):
                patch.setenv(name, value)
        patch.setattr(crash_test, "WORKERS", 1)
        plan = crash_test.prepare(1, random.Random(15))
        from tests.e2e.cycle import prepare_story

        with crash_test.app_context():
            story = prepare_story()
        ports = (crash_test.free_port(), crash_test.free_port())
        servers = [
            Server(
                port,
                {
                    **env,
                    "RECOGNITION_UPLOAD_DIR": str(folder / f"uploads-{number}"),
                    "RECOGNITION_BALLOT_KEY_DIR": str(folder / f"ballot-keys-{number}"),
                },
                folder / f"gunicorn-{number}.log",
            )
            for number, port in enumerate(ports)
        ]
        try:
            for server in servers:
                server.start()
            for server in servers:
                assert server.wait_ready(90), server.log.read_text()[-2000:]
            yield Cluster(env, front, ports, folder, plan, story)
        finally:
            for server in servers:
                server.kill()


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


def read_log(log: Path) -> list[tuple[str, str, int, str]]:
    """The access log, once nginx has written the line of the last answer."""
    time.sleep(0.2)
    return served(log)


def make_dossier(
    cluster: Cluster, browser: Browser, job: int, files: list[tuple[str, str, bytes]]
) -> Dossier:
    """A nominator's dossier with `files`, submitted, through nginx."""
    username, jobs = next(iter(cluster.plan.jobs.items()))
    driver = Driver(0, username, jobs, cluster.plan, browser, threading.Event(), 15)
    driver.log_in()
    dossier = Dossier(*jobs[job])
    dossier.dossier_id = driver.create(cluster.plan.campaign_id, dossier)
    driver.edit(dossier, files)
    driver.act(dossier, "submit")
    return dossier


def test_a_dossier_made_through_nginx_alternating_two_servers(
    cluster: Cluster, tmp_path: Path
) -> None:
    content = crash_test.make_pdf(random.Random(15))
    with nginx(tmp_path / "nginx", cluster.front, cluster.ports) as log:
        browser = Browser(cluster.front, cluster.env["RECOGNITION_SECRET_KEY"], Figures())
        dossier = make_dossier(
            cluster, browser, 0, [("Biên bản họp.pdf", "application/pdf", content)]
        )
        page = browser.request("GET", f"/nominations/{dossier.dossier_id}")
        links = re.findall(rf'href="(/nominations/{dossier.dossier_id}/files/\d+)"', page.body)
        # Two downloads in a row: one of them is served by each server.
        downloads = [fetch(browser, links[0]), fetch(browser, links[0])]
        requests = read_log(log)

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
    assert set(upstreams) == cluster.upstreams
    assert all(a != b for a, b in itertools.pairwise(upstreams))
    assert downloads == [(200, content), (200, content)]
    assert len(uploaded_on) == 1 and sorted(downloaded_on) == sorted(cluster.upstreams)
    # Neither server kept a file of its own: the file is in the bucket only.
    assert cluster.local_files() == []


def test_the_whole_cycle_through_nginx_alternating_two_servers(
    cluster: Cluster, chromium: Any, artifacts: Path, tmp_path: Path
) -> None:
    from tests.e2e.cycle import page_opener, walk_the_cycle

    base = f"http://127.0.0.1:{cluster.front}"
    steps: list[tuple[str, int]] = []
    with nginx(tmp_path / "nginx", cluster.front, cluster.ports) as log:

        def step_done(name: str) -> None:
            steps.append((name, len(read_log(log))))

        with page_opener(chromium) as open_page:
            walk_the_cycle(base, open_page, artifacts, tmp_path, cluster.story, step_done)
        requests = read_log(log)

    # Every step of two requests or more (the requests since the step before) was answered by
    # both servers. The browser keeps the static files (their links carry their digest), so a
    # step may be one request: the walk as a whole still reached both.
    bounds = [0] + [end for _, end in steps]
    answered_by = {
        name: [upstream for _, _, _, upstream in requests[start:end]]
        for (name, end), start in zip(steps, bounds, strict=False)
    }
    assert len(steps) == 15
    assert all(answered_by.values()), answered_by
    assert {name: set(by) for name, by in answered_by.items() if len(by) >= 2} == {
        name: cluster.upstreams for name, by in answered_by.items() if len(by) >= 2
    }
    assert {upstream for _, _, _, upstream in requests} == cluster.upstreams
    assert [r for r in requests if r[2] >= 500] == []
    # Seven members, each confirming then casting: fourteen ballot requests. Which server each
    # lands on follows nginx's rotation over every request, the browser's own included (a
    # cached script shifts it), so all fourteen may meet one server; the vote step as a whole
    # reached both (above), and neither server keeps anything of its own (below).
    ballots = [u for m, p, _, u in requests if m == "POST" and p.endswith("/vote")]
    assert len(ballots) == 14 and set(ballots) <= cluster.upstreams
    # The vote's key was kept in its bucket, not in either server's folder, and destroyed at the
    # close; no file was written on a server of its own.
    key_bucket = cluster.env["RECOGNITION_BALLOT_KEY_S3_BUCKET"]
    assert client().list_objects_v2(Bucket=key_bucket).get("Contents", []) == []
    assert cluster.local_files() == []


def _open_vote(title: str) -> tuple[int, int]:
    """A meeting of Xã Phú Phụng's council today on one accepted dossier, every member
    present and the vote open (its key made by this process, in the key bucket): the
    session's and the item's ids."""
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

    with crash_test.app_context():
        body = _unit("Xã Phú Phụng", active=True)
        campaign = open_campaign(body)
        _set_rules(campaign)
        nominator, secretariat = _user("ap.sonqui"), _user("thuky")
        dossier = _dossier(campaign, PERSON, title, nominator)
        _accept(dossier, nominator, secretariat)
        session = _session(body, [dossier], secretariat, title)
        ids = session.id, session.items[0].id
        db.session.commit()
        return ids


def _signed_in(port: int, secret_key: str, username: str) -> Browser:
    """A member's own connection to one server (no nginx between), signed in."""
    browser = Browser(port, secret_key, Figures())
    page = browser.request("GET", "/login")
    answer = browser.request(
        "POST",
        "/login",
        [
            ("csrf_token", crash_test.hidden(page.body, "csrf_token")),
            ("username", username),
            ("password", crash_test.PASSWORD),
        ],
    )
    assert answer.status == 302, answer.body[:500]
    return browser


def test_ballots_sealed_on_each_server_are_counted_by_the_other(cluster: Cluster) -> None:
    """Each server, asked directly, seals ballots with the vote's key from the key bucket; the
    other one closes the vote and opens every ballot. Which member meets which server is
    decided here, not by nginx's rotation."""
    from recognition.council.models import Ballot
    from recognition.extensions import db

    secret = cluster.env["RECOGNITION_SECRET_KEY"]
    session_id, item_id = _open_vote("Phiên biểu quyết trên hai máy chủ")
    path = f"/council/sessions/{session_id}/items/{item_id}/vote"
    receipts: dict[int, list[str]] = {port: [] for port in cluster.ports}
    for number in range(1, 8):
        port = cluster.ports[number % 2]
        member = _signed_in(port, secret, f"hoidong{number}")
        page = member.request("GET", path)
        code = re.search(r'id="choice-agree" value="([^"]+)"', page.body)
        assert page.status == 200 and code is not None, page.body[:500]
        fields = [("step", "confirm"), ("choice", code.group(1))]
        confirm = member.request(
            "POST", path, [("csrf_token", crash_test.hidden(page.body, "csrf_token")), *fields]
        )
        cast = member.request(
            "POST",
            path,
            [
                ("csrf_token", crash_test.hidden(confirm.body, "csrf_token")),
                ("step", "cast"),
                ("choice", code.group(1)),
            ],
        )
        tracker = re.search(r'data-receipt-tracker="([^"]+)"', cast.body)
        assert cast.status == 200 and tracker is not None, cast.body[:500]
        receipts[port].append(tracker.group(1).replace("-", ""))
    assert [len(r) for r in receipts.values()] == [3, 4]

    # The secretariat closes the vote on the first server, which sealed three of the ballots.
    secretariat = _signed_in(cluster.ports[0], secret, "thuky")
    page = secretariat.request("GET", f"/council/sessions/{session_id}")
    closed = secretariat.request(
        "POST",
        f"/council/sessions/{session_id}/close",
        [("csrf_token", crash_test.hidden(page.body, "csrf_token"))],
    )
    assert (closed.status, [c for c, _ in closed.flashes]) == (302, ["success"]), closed.body[:500]

    with crash_test.app_context():
        counted = db.session.execute(
            select(Ballot.tracker, Ballot.choice).where(Ballot.item_id == item_id)
        ).all()
    assert sorted(tracker for tracker, _ in counted) == sorted(
        receipts[cluster.ports[0]] + receipts[cluster.ports[1]]
    )
    assert {str(choice) for _, choice in counted} == {"agree"}
    key_bucket = cluster.env["RECOGNITION_BALLOT_KEY_S3_BUCKET"]
    assert client().list_objects_v2(Bucket=key_bucket).get("Contents", []) == []
    assert cluster.local_files() == []


def flask_command(env: dict[str, str], *arguments: str) -> str:
    """A `flask` command as an operator runs it on a server; its output."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "flask", *arguments],
        cwd=crash_test.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def inventory() -> dict[str, Any]:
    """What an installation holds: dossiers with their states, each stored file's bytes by its
    row, and the audit chain's length and problems (inside an app context)."""
    from recognition.common import storage
    from recognition.common.audit import verify_chain
    from recognition.extensions import db
    from recognition.nominations.models import Attachment, Nomination

    dossiers = {n.id: (n.state, n.reference) for n in db.session.scalars(select(Nomination))}
    files = {
        a.id: (a.sha256, storage.read_bytes(a.storage_key))
        for a in db.session.scalars(select(Attachment))
    }
    checked, problems = verify_chain()
    return {"dossiers": dossiers, "files": files, "audit": (checked, problems)}


def test_a_backup_taken_with_two_servers_restores(cluster: Cluster, tmp_path: Path) -> None:
    rng = random.Random(16)
    sent = [
        ("Báo cáo thành tích.pdf", "application/pdf", crash_test.make_pdf(rng)),
        ("Ảnh hoạt động.png", "image/png", crash_test.make_png(rng)),
    ]
    with nginx(tmp_path / "nginx", cluster.front, cluster.ports) as log:
        browser = Browser(cluster.front, cluster.env["RECOGNITION_SECRET_KEY"], Figures())
        dossier = make_dossier(cluster, browser, 1, sent)
        requests = read_log(log)
    assert {upstream for _, _, _, upstream in requests} == cluster.upstreams
    # The backup, taken on one server while both run.
    output = flask_command(cluster.env, "backup", "--output", str(tmp_path / "backups"))
    backup = Path(re.search(r"backup written to (\S+)", output).group(1))

    with throwaway_postgres("restored") as url:
        restored_env = {
            **cluster.env,
            "RECOGNITION_DATABASE_URL": url,
            "RECOGNITION_S3_BUCKET": new_bucket(),
        }
        restored = flask_command(restored_env, "restore", str(backup))
        with crash_test.app_context():
            before = inventory()
        with pytest.MonkeyPatch.context() as patch:
            for name in ("RECOGNITION_DATABASE_URL", "RECOGNITION_S3_BUCKET"):
                patch.setenv(name, restored_env[name])
            with crash_test.app_context():
                after = inventory()

    by_hash = {hashlib.sha256(content).hexdigest(): content for _, _, content in sent}
    mine = [f for f in after["files"].values() if f[0] in by_hash]
    assert f"restored {backup}" in restored and "row counts match the manifest" in restored
    assert after == before
    assert dossier.dossier_id in after["dossiers"]
    assert after["dossiers"][dossier.dossier_id][0] == "submitted"
    assert sorted(content for _, content in mine) == sorted(by_hash.values())
    assert after["audit"][0] > 0 and after["audit"][1] == []
