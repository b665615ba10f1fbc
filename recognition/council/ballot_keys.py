"""Where the keys of open secret votes are kept: a folder or a bucket of their own.

A vote's key is the trustee of its secret (docs/secret-ballot.md): it lives outside the
database and outside every backup, and is destroyed when the vote closes. Every app server must
read the key its peer wrote when the vote opened, so it is kept in one of two places:

- "local" (the default): files in BALLOT_KEY_DIR, written to a temporary name, fsynced and
  renamed; destroyed by overwriting with zeros, fsyncing and unlinking. With several servers
  the folder must be one they all mount.
- "s3": objects in BALLOT_KEY_S3_BUCKET, a bucket that holds nothing else (never the bucket of
  the stored files, which `flask backup` copies), with versioning never enabled, so that a
  deleted key leaves no older version behind: a key is written by one PUT (visible whole or
  not at all, durable once acknowledged) and destroyed by overwriting it and deleting it. The
  connection settings are BALLOT_KEY_S3_ENDPOINT_URL, …_ACCESS_KEY_ID, …_SECRET_ACCESS_KEY and
  …_REGION (those of the file store when not set), so the keys can have credentials of their
  own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from flask import Flask, current_app

from recognition.common.storage_s3 import client_for

KEY_SIZE = 32


@dataclass(frozen=True)
class FolderKeys:
    folder: Path

    def put(self, name: str, key: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        final = self.folder / name
        temporary = final.with_suffix(".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(descriptor, key)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, final)
        folder_descriptor = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(folder_descriptor)
        finally:
            os.close(folder_descriptor)

    def get(self, name: str) -> bytes:
        try:
            return (self.folder / name).read_bytes()
        except FileNotFoundError:
            return b""

    def destroy(self, name: str) -> None:
        path = self.folder / name
        try:
            descriptor = os.open(path, os.O_WRONLY)
        except FileNotFoundError:
            return
        try:
            os.write(descriptor, bytes(KEY_SIZE))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        path.unlink(missing_ok=True)

    def names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(path.name for path in self.folder.glob("*.key"))


class KeyStoreError(RuntimeError):
    """The key store cannot be used as configured, or did not answer."""


@dataclass(frozen=True)
class BucketKeys:
    client: Any
    bucket: str
    prefix: str

    @classmethod
    def for_app(cls, app: Flask) -> BucketKeys:
        config = app.config
        bucket = config.get("BALLOT_KEY_S3_BUCKET")
        if not bucket:
            raise KeyStoreError("BALLOT_KEY_BACKEND is s3 but BALLOT_KEY_S3_BUCKET is not set.")
        if config.get("STORAGE_BACKEND") == "s3" and bucket == config.get("S3_BUCKET"):
            raise KeyStoreError(
                "BALLOT_KEY_S3_BUCKET must not be the bucket of the stored files, which "
                "backups copy: the keys of open votes are never in a backup."
            )
        return cls(
            client_for(app, "BALLOT_KEY_S3_"), str(bucket), config.get("BALLOT_KEY_S3_PREFIX") or ""
        )

    def _call(self, method: str, **arguments: Any) -> Any:
        try:
            return getattr(self.client, method)(Bucket=self.bucket, **arguments)
        except (BotoCoreError, ClientError) as error:
            raise KeyStoreError(f"ballot key store: {error}") from error

    def check_unversioned(self) -> None:
        """Refuse a bucket that keeps old versions: a destroyed key would survive in one."""
        status = self._call("get_bucket_versioning").get("Status")
        if status in ("Enabled", "Suspended"):
            raise KeyStoreError(
                f"The ballot key bucket {self.bucket} has versioning {status.lower()}: a "
                "closed vote's key would survive as an older version. Use a bucket that never "
                "had versioning."
            )

    def put(self, name: str, key: bytes) -> None:
        self.check_unversioned()
        self._call("put_object", Key=self.prefix + name, Body=key, ContentLength=len(key))

    def get(self, name: str) -> bytes:
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self.prefix + name)["Body"]
            return bytes(body.read())
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return b""
            raise KeyStoreError(f"ballot key store: {error}") from error
        except BotoCoreError as error:
            raise KeyStoreError(f"ballot key store: {error}") from error

    def destroy(self, name: str) -> None:
        self._call("put_object", Key=self.prefix + name, Body=bytes(KEY_SIZE))
        self._call("delete_object", Key=self.prefix + name)

    def names(self) -> list[str]:
        names = []
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
                for item in page.get("Contents", []):
                    name = item["Key"][len(self.prefix) :]
                    if "/" not in name and name.endswith(".key"):
                        names.append(name)
        except (BotoCoreError, ClientError) as error:
            raise KeyStoreError(f"ballot key store: {error}") from error
        return sorted(names)


def key_store() -> FolderKeys | BucketKeys:
    """The key store the settings choose."""
    if current_app.config.get("BALLOT_KEY_BACKEND", "local") == "s3":
        return BucketKeys.for_app(current_app)
    return FolderKeys(Path(current_app.config["BALLOT_KEY_DIR"]))
