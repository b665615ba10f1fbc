"""The XLSX imports at 5,000 rows: a list of candidates into draft dossiers of a campaign
(recognition/nominations/batch.py) and earlier awards into the history
(recognition/history/importing.py), each read, checked and written as one request would.

    .venv/bin/python bench/imports.py [--rows 5000] [--rounds 3]

Runs on a fresh SQLite file (the embedded default), then on PostgreSQL when
RECOGNITION_BENCH_DATABASE_URL names an empty database (it is upgraded and seeded; use a
database of its own). The demo data is seeded first (its nominator of Ấp Phú Hòa imports the
candidates, the secretariat of Xã Phú Phụng the awards). Each round is rolled back. It prints,
per import and database: the seconds of each round (reading the file apart), rows per second
and the SQL statements of the last round (inserts go by batches). Nothing is asserted: the
figures are for reading.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

FIRST = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hữu"]


def _name(number: int) -> str:
    return f"{FIRST[number % 8]} {MIDDLE[number // 8 % 6]} Thử {number:05d}"


def _book(header: list[str], rows: list[list[Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def candidates_file(count: int, unit: str, award: str) -> bytes:
    from recognition.nominations.importing import COLUMNS

    rows = [
        [n, _name(n), 1960 + n % 40, "Nữ" if n % 2 else "Nam", "Hội viên", unit, award, "Tốt."]
        for n in range(1, count + 1)
    ]
    return _book(COLUMNS, rows)


def awards_file(count: int, unit: str) -> bytes:
    from recognition.history.importing import COLUMNS

    rows = [
        [n, _name(n), "Hội viên", unit, "Giấy khen", f"{n}/QĐ-UBND", "15/12/2023"]
        for n in range(1, count + 1)
    ]
    return _book(COLUMNS, rows)


class Statements:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_: Any) -> None:
        self.count += 1


def _round(work: Callable[[], int], statements: Statements) -> tuple[float, int, int]:
    from recognition.extensions import db

    statements.count = 0
    started = time.perf_counter()
    made = work()
    db.session.flush()
    seconds = time.perf_counter() - started
    db.session.rollback()
    return seconds, made, statements.count


def run(url: str, label: str, rows: int, rounds: int) -> None:
    from flask_babel import force_locale
    from flask_migrate import upgrade

    from recognition import create_app
    from recognition.auth.models import User
    from recognition.campaigns.enums import CampaignStatus
    from recognition.campaigns.models import Campaign
    from recognition.extensions import db
    from recognition.history.importing import read_awards
    from recognition.history.services import import_awards
    from recognition.nominations.batch import import_candidates
    from recognition.nominations.importing import read_candidates
    from recognition.ops.demo import seed_demo

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "OUTBOX_WORKER": False})
    started = time.perf_counter()
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
    print(f"[{label}] demo seeded in {time.perf_counter() - started:.0f} s", flush=True)
    statements = Statements()
    event.listen(Engine, "before_cursor_execute", statements)
    try:
        with app.test_request_context(), force_locale("vi"):
            nominator = db.session.scalar(select(User).where(User.username == "ap.phuhoa"))
            secretariat = db.session.scalar(select(User).where(User.username == "thuky"))
            campaign = next(
                c
                for c in db.session.scalars(
                    select(Campaign).where(Campaign.status == CampaignStatus.OPEN)
                )
                if any(o.award_type.code == "GK-CN" for o in c.offers)
            )
            assert nominator is not None and secretariat is not None
            candidates = candidates_file(rows, "Ấp Phú Hòa", "GK-CN")
            awards = awards_file(rows, "Ấp Phú Hòa")

            def read_only() -> int:
                found, errors = read_candidates(candidates, campaign=campaign, actor=nominator)
                assert not errors, errors[:3]
                return len(found)

            def candidates_import() -> int:
                return len(
                    import_candidates(campaign, candidates, actor=nominator, file_name="b.xlsx")
                )

            def history_read() -> int:
                return len(read_awards(awards, actor=secretariat))

            def history_import() -> int:
                made = import_awards(
                    read_awards(awards, actor=secretariat),
                    body_name="UBND xã Phú Phụng",
                    actor=secretariat,
                    file_name="b.xlsx",
                )
                return len(made)

            for name, work in (
                ("candidates: read the file", read_only),
                ("candidates: read, check, create the dossiers", candidates_import),
                ("history: read the file", history_read),
                ("history: read, check, create the records", history_import),
            ):
                figures = [_round(work, statements) for _ in range(rounds)]
                seconds = [f[0] for f in figures]
                made, count = figures[-1][1], figures[-1][2]
                best = min(seconds)
                print(
                    f"[{label}] {name:48} {made:>6,} rows  "
                    + " ".join(f"{s:6.2f}" for s in seconds)
                    + f" s  best {best:5.2f} s  {made / best:8,.0f} rows/s  "
                    f"{count:6,} SQL statements",
                    flush=True,
                )
    finally:
        event.remove(Engine, "before_cursor_execute", statements)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-sqlite", action="store_true")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-imports-"))
    os.environ.setdefault("RECOGNITION_SECRET_KEY", "bench-secret-key-bench-secret-key")
    os.environ.setdefault("RECOGNITION_UPLOAD_DIR", str(work / "uploads"))
    if not arguments.no_sqlite:
        run(f"sqlite:///{work / 'bench.db'}", "sqlite", arguments.rows, arguments.rounds)
    url = os.environ.get("RECOGNITION_BENCH_DATABASE_URL")
    if url:
        run(url, "postgresql", arguments.rows, arguments.rounds)
    else:
        print("PostgreSQL skipped: set RECOGNITION_BENCH_DATABASE_URL to an empty database.")


if __name__ == "__main__":
    main()
