"""Parts of the page's frame drawn once per process for each set of the values they depend on.

The frame is drawn around every page. Its main menu alone is a few dozen translations,
addresses and "active" tests; the links to the stylesheets and scripts and the footer are more
of the same. None of them depends on anything but a few values: the locale, the address the
app is served under (`request.script_root`), and what the template is given (the page's
endpoint, which menu entries the user may see). `fragment("_frame/menu.html", endpoint=…,
council=True, …)` draws the template with those values the first time and returns the same
markup afterwards.

A fragment's template sees its values and the environment's globals that depend on nothing else
(`url_for` of a path, `_`). It must not read the request, the user, the session or a form's
token: what it reads that is not in its key would be served to the next user.

What differs on every request (a form's token, the user's name, this page's address) goes in
as a hole: `fragment("_frame/header.html", holes={"csrf": csrf_token(), …}, …)` draws the
template once with a marker in place of each hole, keeps the markup cut at the markers, and
fills the holes with their values, escaped, on every call. The markers hold a secret drawn when
the process starts, so no value drawn into the fragment can pass for one. A hole is printed as
it is, `{{ csrf }}`: a filter or a test on it would act on the marker, not on the value.
"""

import secrets
from collections.abc import Hashable, Mapping
from threading import Lock

from cachetools import LRUCache
from flask import Flask, current_app, request
from markupsafe import Markup, escape

from recognition.common.i18n import locale_name

# A key is a locale, a prefix and a page's endpoint with a handful of yes/no values: a few
# hundred endpoints times the roles' combinations of menu entries.
FRAGMENTS_KEPT = 4096


class Fragments:
    """The app's drawn fragments (kept when `remember`; redrawn on every call in debug mode,
    where the templates are being edited)."""

    def __init__(self, app: Flask, *, remember: bool) -> None:
        self.app = app
        self.remember = remember
        self._drawn: LRUCache[Hashable, Markup] = LRUCache(maxsize=FRAGMENTS_KEPT)
        self._cut: LRUCache[Hashable, tuple[str, ...]] = LRUCache(maxsize=FRAGMENTS_KEPT)
        self._lock = Lock()
        self._marker = f"\x00{secrets.token_hex(16)}:"

    def draw(self, template: str, values: dict[str, Hashable]) -> Markup:
        key = (template, locale_name(), request.script_root, tuple(sorted(values.items())))
        with self._lock:
            found = self._drawn.get(key)
        if found is None:
            # The template's output, escaped as it was drawn.
            found = Markup(self.app.jinja_env.get_template(template).render(values))  # noqa: S704  # nosec B704
            if self.remember:
                with self._lock:
                    self._drawn[key] = found
        return found

    def draw_with_holes(
        self, template: str, values: dict[str, Hashable], holes: Mapping[str, object]
    ) -> Markup:
        """`template` drawn once per key with a marker in each hole, then the holes filled with
        `holes`' values (escaped, unless markup already)."""
        key = (
            template,
            locale_name(),
            request.script_root,
            tuple(sorted(values.items())),
            tuple(sorted(holes)),
        )
        with self._lock:
            cut = self._cut.get(key)
        if cut is None:
            cut = self._cut_at_markers(template, values, holes)
            if self.remember:
                with self._lock:
                    self._cut[key] = cut
        # Even places hold the drawn markup, odd places the holes' names.
        return Markup(  # noqa: S704  # nosec B704
            "".join(part if i % 2 == 0 else escape(holes[part]) for i, part in enumerate(cut))
        )

    def _cut_at_markers(
        self, template: str, values: dict[str, Hashable], holes: Mapping[str, object]
    ) -> tuple[str, ...]:
        markers = {name: Markup(f"{self._marker}{name}\x00") for name in holes}  # noqa: S704  # nosec B704
        drawn = str(self.app.jinja_env.get_template(template).render({**values, **markers}))
        parts = drawn.split(self._marker)
        cut = [parts[0]]
        for part in parts[1:]:
            name, _, after = part.partition("\x00")
            cut += [name, after]
        return tuple(cut)


def draw_fragment(
    template: str, holes: Mapping[str, object] | None = None, **values: Hashable
) -> Markup:
    """The fragment `template` drawn with `values` (in a request: the key holds its locale and
    prefix), its `holes` filled on every call."""
    fragments: Fragments = current_app.extensions["recognition.fragments"]
    if holes:
        return fragments.draw_with_holes(template, values, holes)
    return fragments.draw(template, values)


def init_fragments(app: Flask) -> None:
    fragments = Fragments(app, remember=not (app.debug or app.config.get("TEMPLATES_AUTO_RELOAD")))
    app.extensions["recognition.fragments"] = fragments
    app.jinja_env.globals["fragment"] = draw_fragment
