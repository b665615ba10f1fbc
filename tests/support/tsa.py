"""A local RFC 3161 time-stamping server for the tests (no TSA is reachable from here): HTTP
on 127.0.0.1, answering with pyHanko's test time-stamper and a certificate of the test CA."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from asn1crypto import keys, tsp, x509

with warnings.catch_warnings():  # pyHanko imports cryptography's DSA, deprecated there
    warnings.simplefilter("ignore")
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper


def time_stamper(ca: Any) -> DummyTimeStamper:
    """pyHanko's test time-stamper, signing with the test CA's TSA certificate."""
    return DummyTimeStamper(
        tsa_cert=x509.Certificate.load(ca.tsa_cert_der.read_bytes()),
        tsa_key=keys.PrivateKeyInfo.load(ca.tsa_key_der.read_bytes()),
        certs_to_embed=[x509.Certificate.load(ca.sub_ca_der.read_bytes())],
    )


@contextmanager
def serving_tsa(ca: Any) -> Iterator[tuple[str, list[bytes]]]:
    """A TSA at the yielded URL for as long as the block lasts; the list collects the
    requests it answered."""
    stamper = time_stamper(ca)
    answered: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            answered.append(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: pytest shows what a test prints

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", answered
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def unused_url() -> str:
    """The URL of a port on 127.0.0.1 that nothing listens on (bound, then closed)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"
