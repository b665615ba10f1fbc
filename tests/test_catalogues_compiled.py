"""A checkout served without `make translations` still speaks Vietnamese: the app compiles
a catalogue that is missing or older than its source when it starts."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from flask import Flask

from recognition.common.i18n import compile_catalogues

pytestmark = pytest.mark.no_database

SOURCE = Path(__file__).resolve().parent.parent / "recognition" / "translations"


def test_a_missing_or_stale_catalogue_is_compiled_and_a_fresh_one_left_alone(
    tmp_path: Path,
) -> None:
    root = tmp_path / "package"
    shutil.copytree(SOURCE, root / "translations", ignore=shutil.ignore_patterns("*.mo"))
    app = Flask("recognition_copy", root_path=str(root))
    vi = root / "translations" / "vi" / "LC_MESSAGES"

    compile_catalogues(app)
    compiled = (vi / "messages.mo").read_bytes()
    os.utime(vi / "messages.mo", (1, 1))  # older than its source: compiled again
    compile_catalogues(app)
    again = (vi / "messages.mo").stat().st_mtime
    compile_catalogues(app)  # fresh: left as it is

    assert (
        sorted(p.parent.parent.name for p in root.glob("translations/*/LC_MESSAGES/*.mo")),
        "Đăng nhập".encode() in compiled,
        again > 1,
        (vi / "messages.mo").stat().st_mtime == again,
        list(vi.glob(".messages.mo.*")),
    ) == (["en", "vi"], True, True, True, [])
