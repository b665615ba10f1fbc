"""nginx (Debian's package) in front of several app servers, with a configuration of its own:
round robin over the upstreams, an access log naming the upstream that answered each request.
Used by tests/e2e/test_two_servers.py and by the crash test's two-server form."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

NGINX_CONF = """
{user}
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
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
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://recognition;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 60s;
            {next_upstream}
        }}
    }}
}}
"""


@contextmanager
def nginx(
    folder: Path, port: int, upstreams: tuple[int, ...], *, fail_over: bool = False
) -> Iterator[Path]:
    """nginx in the foreground on `port`, balancing round robin over the upstream ports; yields
    its access log (method, path, status and the upstream that answered, a line per request).

    Without `fail_over`, each request goes to its turn's server and nothing else (a test sees
    the strict alternation). With it, a request a server refuses to connect is passed to the
    next one, as nginx does by default, and a server that failed stays in the rotation
    (`max_fails=0`): a request already sent to a server that dies is not passed on (nginx never
    repeats a POST), and its client gets 502."""
    folder.mkdir()
    user = "user root root;" if os.geteuid() == 0 else ""  # workers keep the test's user
    servers = "\n".join(
        f"        server 127.0.0.1:{upstream}{' max_fails=0' if fail_over else ''};"
        for upstream in upstreams
    )
    conf = folder / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            user=user,
            folder=folder,
            port=port,
            servers=servers,
            next_upstream=(
                "proxy_next_upstream error;" if fail_over else "proxy_next_upstream off;"
            ),
        )
    )
    assert NGINX is not None, "nginx is not installed (make system-packages)"
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
    """(method, path, status, upstream port) of every request nginx passed on (for a request
    passed to a second server, the port of the one that answered)."""
    lines = log.read_text().splitlines() if log.exists() else []
    return [
        (method, path, int(status), upstream.rpartition(":")[2])
        for method, path, status, upstream in (line.split(" ", 3) for line in lines)
    ]
