"""A short-lived cache of signature validations, held by each server process.

Validating a signed PDF with pyHanko costs some 45 ms of CPU (bench/signatures.py), and the
public verification page, open to anyone through a certificate's QR code, shows one on every
view. A validation's result depends only on the PDF's bytes, the trust roots, the revocation
lists and the time it is made at; the key is the digest of each of these files and the time
bucket, so a changed root or CRL file validates again at once, and an entry never outlives
RECOGNITION_SIGNATURE_CACHE_SECONDS (default 300; 0 turns the cache off), because a
certificate expires and a CRL is replaced with time.

Per process, on purpose: an entry is a small report any process can recompute, so several app
servers cost at most one validation per PDF, per process and per period, with no network round
trip and nothing deserialised from a shared store; the verification page's rate limit bounds
the rest.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from cachetools import TTLCache
from flask import current_app

T = TypeVar("T")

DEFAULT_SECONDS = 300
MAX_ENTRIES = 512
EXTENSION = "signature_validations"

_creating = threading.Lock()


def clock() -> float:
    """Seconds since the epoch: what the entries' age and the time buckets are read from."""
    return time.time()


def _now() -> float:
    return clock()  # looked up at each call, so that a test can set the clock


class ValidationCache:
    """Results kept for at most `seconds`, keyed by what they depend on and the time bucket."""

    def __init__(self, seconds: int, max_entries: int = MAX_ENTRIES) -> None:
        self.seconds = max(0, seconds)
        self._entries: TTLCache[Hashable, Any] = TTLCache(
            maxsize=max_entries, ttl=max(1, self.seconds), timer=_now
        )
        self._lock = threading.Lock()  # cachetools' caches are not thread-safe

    def get_or_make(self, depends_on: Hashable, make: Callable[[], T]) -> T:
        """The result kept for `depends_on` in this time bucket, else `make()`'s, then kept.
        Two requests that miss at once both make it (no lock is held while validating)."""
        if self.seconds == 0:
            return make()
        key = (depends_on, int(clock() // self.seconds))
        with self._lock:
            found = self._entries.get(key)
        if found is not None:
            return found
        result = make()
        with self._lock:
            self._entries[key] = result
        return result

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def validation_cache() -> ValidationCache:
    """The current app's cache, made at its first use from SIGNATURE_CACHE_SECONDS."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    cache = app.extensions.get(EXTENSION)
    if cache is None:
        with _creating:
            cache = app.extensions.get(EXTENSION)
            if cache is None:
                seconds = app.config.get("SIGNATURE_CACHE_SECONDS", DEFAULT_SECONDS)
                cache = app.extensions[EXTENSION] = ValidationCache(int(seconds))
    return cache
