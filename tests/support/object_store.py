"""A local S3-protocol server (moto's server mode) for the tests of the S3 storage backend.

With RECOGNITION_TEST_STORAGE=s3 every app the tests build keeps its files in a bucket of that
server instead of a folder (`make test-s3` runs the modules that touch files that way).
"""

from __future__ import annotations

import atexit
import io
import os
import secrets
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import pytest
from flask import Flask

from recognition.common import storage

ON_S3 = os.environ.get("RECOGNITION_TEST_STORAGE") == "s3"
ACCESS_KEY = "testing-access-key"
SECRET_KEY = "testing-secret-key"
REGION = "us-east-1"

_endpoint: str | None = None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def endpoint() -> str:
    """The URL of the test S3 server, started on first use and stopped when the run ends."""
    global _endpoint
    if _endpoint is None:
        from moto.server import ThreadedMotoServer

        port = _free_port()
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        atexit.register(server.stop)
        _endpoint = f"http://127.0.0.1:{port}"
    return _endpoint


def client() -> Any:
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint(),
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )


def new_bucket() -> str:
    name = f"recognition-{secrets.token_hex(6)}"
    client().create_bucket(Bucket=name)
    return name


def s3_settings(bucket: str | None = None) -> dict[str, Any]:
    """App settings that keep the files in `bucket` (a new one by default) of the test server."""
    return {
        "STORAGE_BACKEND": "s3",
        "S3_ENDPOINT_URL": endpoint(),
        "S3_BUCKET": bucket or new_bucket(),
        "S3_PREFIX": "",
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "S3_REGION": REGION,
    }


def store_settings() -> dict[str, Any]:
    """The storage settings of an app the tests build: a new bucket on the S3 run."""
    return s3_settings() if ON_S3 else {}


def isolate_store(app: Flask, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Give the test an empty store of its own: the folder, and on the S3 run a new bucket."""
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(folder))
    if app.config.get("STORAGE_BACKEND") == "s3":
        monkeypatch.setitem(app.config, "S3_BUCKET", new_bucket())


@contextmanager
def store_of_its_own(app: Flask, folder: Path) -> Iterator[None]:
    """For a module-scoped world: the app keeps its files in `folder` (and on the S3 run in a
    new bucket) until the block ends."""
    saved = {name: app.config.get(name) for name in ("UPLOAD_DIR", "S3_BUCKET")}
    app.config["UPLOAD_DIR"] = str(folder)
    if app.config.get("STORAGE_BACKEND") == "s3":
        app.config["S3_BUCKET"] = new_bucket()
    try:
        yield
    finally:
        app.config.update(saved)


def put_back(files: Mapping[str, bytes]) -> None:
    """Write back those of `files` (content by key) that are missing from the app's store,
    such as a file a rolled-back request deleted. One listing on S3, a stat per file on the
    folder."""
    if storage.uses_folder():
        missing = [key for key in files if not storage.path_for(key).exists()]
    else:
        present = {item.key for item in storage.stored_objects()}
        missing = [key for key in files if key not in present]
    for key in missing:
        storage.put_file(key, io.BytesIO(files[key]), len(files[key]))


def stored_keys() -> list[str]:
    """The keys of every file in the app's store, sorted."""
    return sorted(item.key for item in storage.stored_objects())


def remove_stored(key: str) -> None:
    """Take a file away behind the app's back (a lost file)."""
    storage.backend().delete(key)
