"""The validation of a signed decision's PDF, and the two pages that show it, measured in one run.

    .venv/bin/python bench/signatures.py              # 30 rounds
    .venv/bin/python bench/signatures.py --rounds 100

It builds its own temporary SQLite instance (the migrations, then the demo data, whose year-end
decision of Xã Phú Phụng is signed with the demo key; it is signed here if the demo left it
unsigned), trusts the demo root, and measures:

  (a) one validation of the stored, signed decision PDF (pyHanko, `validate_pdf`), in this
      process, against the demo root and no CRL;
  (b) the decision's page (GET /decisions/<id>, signed in as the chair) and a certificate's
      public verification page (GET /verify/<serial>?c=…), through the Flask test client,
      with the validation cache off (RECOGNITION_SIGNATURE_CACHE_SECONDS=0: every view
      validates, as before the cache) and on (the default), in alternating rounds (A B A B …);
      the first request of the "on" side fills the cache and is left out.

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RECOGNITION_SECRET_KEY", "bench-secret-key-not-for-production")

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select

from recognition import create_app
from recognition.auth.models import User
from recognition.certificates.codes import public_code
from recognition.certificates.models import Certificate
from recognition.certificates.rendering import store_certificates
from recognition.common import storage
from recognition.common.signature_checks import validate_pdf
from recognition.common.signing import load_trust_roots
from recognition.decisions.models import Decision, DecisionLine
from recognition.decisions.signing import sign_issued_decision
from recognition.extensions import db
from recognition.ops.demo import DEMO_PASSWORD, seed_demo
from recognition.ops.demo_decision_2026 import ISSUED_ON
from recognition.ops.demo_signing import DEMO_PASSPHRASE, DEMO_ROOT_FILE


def make_app(workdir: Path, cache_seconds: int | None) -> Flask:
    config: dict[str, object] = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite'}",
        "UPLOAD_DIR": str(workdir / "uploads"),
        "SIGNATURE_KEY_DIR": str(workdir / "keys"),
        "SIGNATURE_TRUST_ROOTS": [str(workdir / "keys" / DEMO_ROOT_FILE)],
        "CERT_KEYS": (workdir / "cert_keys").read_text().strip(),
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
    }
    if cache_seconds is not None:
        config["SIGNATURE_CACHE_SECONDS"] = cache_seconds
    return create_app(config)


def build(workdir: Path) -> tuple[int, str]:
    """The demo with its signed decision of 2026; the decision's id and one certificate's
    verification path."""
    (workdir / "cert_keys").write_text(f"b1:{secrets.token_hex(32)}")
    app = make_app(workdir, None)
    with app.test_request_context():
        upgrade()
        started = time.perf_counter()
        seed_demo()
        db.session.commit()
        print(f"seed-demo: {time.perf_counter() - started:.1f} s")
        decision = db.session.scalars(
            select(Decision).where(Decision.issued_on == ISSUED_ON).order_by(Decision.id)
        ).first()
        assert decision is not None, "the demo has no decision of 2026 (before its day?)"
        if decision.pdf_key is None:
            chair = db.session.scalar(select(User).where(User.username == "chutich"))
            assert chair is not None
            sign_issued_decision(decision, secret=DEMO_PASSPHRASE, actor=chair)
            store_certificates(decision)
            db.session.commit()
            print("(the demo left the decision unsigned: signed here)")
        certificate = db.session.scalars(
            select(Certificate)
            .join(DecisionLine, DecisionLine.id == Certificate.line_id)
            .where(DecisionLine.decision_id == decision.id)
            .order_by(Certificate.id)
        ).first()
        assert certificate is not None
        code = public_code(certificate.key_id, certificate.code)
        return decision.id, f"/verify/{certificate.public_serial}?c={code}"


def ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(values) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def validation(app: Flask, decision_id: int, rounds: int) -> None:
    with app.app_context():
        decision = db.session.get(Decision, decision_id)
        assert decision is not None and decision.pdf_key is not None
        pdf = storage.read_bytes(decision.pdf_key)
        roots = load_trust_roots(list(app.config["SIGNATURE_TRUST_ROOTS"]))
        report = validate_pdf(pdf, trust_roots=roots)
        assert report.valid, report
        times = [timed(lambda: validate_pdf(pdf, trust_roots=roots)) for _ in range(rounds)]
    print(f"(a) one validation of the signed decision ({len(pdf) / 1024:.0f} KB): {ms(times)}")


def pages(workdir: Path, decision_id: int, verify_path: str, rounds: int) -> None:
    sides = {"cache off": make_app(workdir, 0), "cache on": make_app(workdir, None)}
    clients = {}
    for name, app in sides.items():
        client = app.test_client()
        response = client.post("/login", data={"username": "chutich", "password": DEMO_PASSWORD})
        assert response.status_code == 302, response.status_code
        clients[name] = client
    paths = {"decision page": f"/decisions/{decision_id}", "verification page": verify_path}
    results: dict[tuple[str, str], list[float]] = {}
    for page, path in paths.items():
        for client in clients.values():  # the first request of each side, not counted
            response = client.get(path)
            assert response.status_code == 200, (page, response.status_code)
            assert 'data-signature="valid"' in response.get_data(as_text=True), page
        for _round in range(rounds):
            for name, client in clients.items():
                results.setdefault((page, name), []).append(
                    timed(lambda c=client, p=path: c.get(p))
                )
    print("(b) the pages, through the test client:")
    for page in paths:
        off, on = results[(page, "cache off")], results[(page, "cache on")]
        ratio = statistics.median(off) / statistics.median(on)
        print(f"    {page:<18} cache off: {ms(off)}")
        print(f"    {'':<18} cache on:  {ms(on)}   ({ratio:.1f}x faster at the median)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-signatures-") as folder:
        workdir = Path(folder)
        decision_id, verify_path = build(workdir)
        validation(make_app(workdir, None), decision_id, args.rounds)
        pages(workdir, decision_id, verify_path, args.rounds)


if __name__ == "__main__":
    main()
