"""Fixtures of the honour board tests: the decision tests' scene (an awarding body, its
secretariat and chair, a campaign), each test inside a request with files stored in its own
folder, and an issued decision whose certificates can be published."""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale
from PIL import Image

from recognition.certificates.models import Certificate
from recognition.decisions.models import Decision
from recognition.extensions import db
from recognition.honours.services import PhotoUpload
from tests.decisions.helpers import certificates_of, issued
from tests.workflow.helpers import Scene, build_scene


@pytest.fixture(autouse=True)
def _in_request(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path))
    with app.test_request_context(base_url="http://localhost/"), force_locale("en"):
        yield


@pytest.fixture
def scene() -> Scene:
    return build_scene()


@pytest.fixture
def decision(scene: Scene) -> Decision:
    decision = issued(scene, 2, names=["Ấp Sơn Qui", "Ấp Phú Hữu Mới"])
    db.session.commit()
    return decision


@pytest.fixture
def certificates(decision: Decision) -> list[Certificate]:
    return certificates_of(decision)


def image(kind: str = "PNG", size: tuple[int, int] = (32, 18)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (179, 18, 29)).save(out, kind)
    return out.getvalue()


def photo(
    content: bytes | None = None, name: str = "ảnh ấp.png", caption: str = "Tổ công nghệ số"
) -> PhotoUpload:
    return PhotoUpload(BytesIO(image() if content is None else content), name, caption, "photo_1")
