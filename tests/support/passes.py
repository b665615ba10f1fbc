"""CI's generated inputs come in two passes, each from seeds of its own: `make test` runs the
quick pass, `.ci/run` then the deep pass (`make fuzz-deep`, RECOGNITION_FUZZ_PASS=deep)."""

import os

from tests.conftest import ON_POSTGRES

DEEP = os.environ.get("RECOGNITION_FUZZ_PASS") == "deep"


def examples(variable: str, *, quick: tuple[int, int], deep: tuple[int, int]) -> int:
    """How many examples this run and pass tries: `variable` when set, else the pass's
    (SQLite, PostgreSQL) figure for this run's database."""
    sqlite, postgres = deep if DEEP else quick
    return int(os.environ.get(variable, postgres if ON_POSTGRES else sqlite))
