"""The application's Flask class: static files kept by browsers, and addresses built once.

`url_for` costs a few dozen calls each time (the endpoint's rule, its defaults, the quoting
of its values); a page draws a few dozen links and a list page hundreds. Within a request,
the path of an endpoint with given values depends only on them and on the prefix the app is
served under, so it is built once per process and kept (the most recent `ADDRESSES_KEPT`).
Not kept: external addresses, anchors, methods, relative endpoints (".name"), values that
cannot be hashed (a list of query values), and anything in debug mode, where the static files'
digests change as they are edited. The app's `url_defaults` (the static files' digest) depend
on the values alone; one that read the request would have to be left out of this.
"""

from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any

from cachetools import LRUCache
from flask import Flask, has_request_context, request

from recognition.common.static_files import StaticDigests, max_age

ADDRESSES_KEPT = 8192
# The hooks, views and error handlers found synchronous: a few hundred.
SYNCHRONOUS_KEPT = 4096


class App(Flask):
    static_digests: StaticDigests

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._addresses: LRUCache[Hashable, str] = LRUCache(maxsize=ADDRESSES_KEPT)
        self._addresses_lock = Lock()
        self._synchronous: set[Callable[..., Any]] = set()

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Flask asks whether each hook and the view is a coroutine function, about fifteen
        times a request (`inspect.iscoroutinefunction`); a function's answer does not change."""
        if func in self._synchronous:
            return func
        found = super().ensure_sync(func)
        if found is func and len(self._synchronous) < SYNCHRONOUS_KEPT:
            self._synchronous.add(func)
        return found

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        if filename is None:
            return super().get_send_file_max_age(filename)
        return max_age(self.static_digests, filename)

    def url_for(
        self,
        /,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: Any,
    ) -> str:
        plain = (
            _anchor is None
            and _method is None
            and _scheme is None
            and not _external
            and endpoint[:1] != "."
            and not self.debug
            and has_request_context()
        )
        if not plain:
            return super().url_for(
                endpoint,
                _anchor=_anchor,
                _method=_method,
                _scheme=_scheme,
                _external=_external,
                **values,
            )
        try:
            # The type too: True and 1 are equal keys but different addresses.
            key = (
                request.script_root,
                endpoint,
                tuple((name, type(value), value) for name, value in sorted(values.items())),
            )
            hash(key)
        except TypeError:
            return super().url_for(endpoint, **values)
        with self._addresses_lock:
            found = self._addresses.get(key)
        if found is None:
            found = super().url_for(endpoint, **values)
            with self._addresses_lock:
                self._addresses[key] = found
        return found
