"""Stored files in an S3-compatible bucket (MinIO, Ceph, AWS S3), shared by every app server.

An object is written by one PUT, which S3 makes visible whole or not at all: there is no
temporary name to rename. Objects are named `<S3_PREFIX><first two hex digits>/<key>`, the
layout of the local folder, so a backup holds the same paths from either store.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from flask import Flask

from recognition.common.storage_local import StoredObject

_MISSING = {"404", "NoSuchKey", "NotFound"}


def _failure(error: Exception, name: str) -> OSError:
    """The error as an OSError, a missing object as FileNotFoundError (as the folder says)."""
    if isinstance(error, ClientError) and error.response.get("Error", {}).get("Code") in _MISSING:
        return FileNotFoundError(f"no stored object {name}")
    return OSError(f"object store: {error}")


def client_for(app: Flask, settings: str) -> Any:
    """A boto3 client for the connection settings named `<settings>ENDPOINT_URL`,
    `…ACCESS_KEY_ID`, `…SECRET_ACCESS_KEY` and `…REGION`; made once per app and settings (a
    client is thread-safe and keeps its connection pool)."""
    config = app.config
    values = tuple(
        config.get(f"{settings}{name}")
        for name in ("ENDPOINT_URL", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "REGION")
    )
    clients = app.extensions.setdefault("recognition.s3", {})
    if values not in clients:
        endpoint, access_key, secret_key, region = values
        clients[values] = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            region_name=region,
            config=Config(
                retries={"max_attempts": 3, "mode": "standard"},
                s3={"addressing_style": "path"},
                max_pool_connections=20,
            ),
        )
    return clients[values]


@dataclass(frozen=True)
class S3Store:
    client: Any
    bucket: str
    prefix: str

    @classmethod
    def for_app(cls, app: Flask) -> "S3Store":
        """The store of the app's settings."""
        config = app.config
        if not config.get("S3_BUCKET"):
            raise RuntimeError("STORAGE_BACKEND is s3 but S3_BUCKET is not set.")
        return cls(client_for(app, "S3_"), str(config["S3_BUCKET"]), config.get("S3_PREFIX") or "")

    def name(self, key: str) -> str:
        return f"{self.prefix}{key[:2]}/{key}"

    def put(self, key: str, data: IO[bytes], size: int) -> None:
        try:
            self.client.put_object(
                Bucket=self.bucket, Key=self.name(key), Body=data, ContentLength=size
            )
        except (BotoCoreError, ClientError) as error:
            raise _failure(error, key) from error

    def stat(self, key: str) -> StoredObject:
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.name(key))
        except (BotoCoreError, ClientError) as error:
            raise _failure(error, key) from error
        return StoredObject(key, int(head["ContentLength"]), head["LastModified"].timestamp())

    def open(self, key: str, size: int | None = None) -> IO[bytes]:
        """A seekable reader of the object (of `size` bytes, asked for when not given): one
        ranged GET from wherever reading starts."""
        if size is None:
            size = self.stat(key).size
        return io.BufferedReader(_ObjectReader(self, key, size), buffer_size=1024 * 1024)

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self.name(key))
        except (BotoCoreError, ClientError) as error:
            raise _failure(error, key) from error

    def objects(self) -> Iterator[StoredObject]:
        """Every stored object under the prefix (keys of another layout are skipped)."""
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
                for item in page.get("Contents", []):
                    key = item["Key"][len(self.prefix) :].rpartition("/")[2]
                    if self.name(key) == item["Key"]:
                        yield StoredObject(key, int(item["Size"]), item["LastModified"].timestamp())
        except (BotoCoreError, ClientError) as error:
            raise _failure(error, self.prefix or self.bucket) from error


class _ObjectReader(io.RawIOBase):
    """An object read as a file: a seek drops the open body, the next read GETs from there."""

    def __init__(self, store: S3Store, key: str, size: int) -> None:
        super().__init__()
        self._store, self._key, self._size = store, key, size
        self._position = 0
        self._body: Any = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        position = max(0, base + offset)
        if position != self._position:
            self._drop_body()
            self._position = position
        return position

    def readinto(self, buffer: Any) -> int:
        if self._position >= self._size:
            return 0
        if self._body is None:
            try:
                self._body = self._store.client.get_object(
                    Bucket=self._store.bucket,
                    Key=self._store.name(self._key),
                    Range=f"bytes={self._position}-",
                )["Body"]
            except (BotoCoreError, ClientError) as error:
                raise _failure(error, self._key) from error
        view = memoryview(buffer).cast("B")
        chunk = self._body.read(len(view))
        view[: len(chunk)] = chunk
        self._position += len(chunk)
        return len(chunk)

    def _drop_body(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None

    def close(self) -> None:
        self._drop_body()
        super().close()
