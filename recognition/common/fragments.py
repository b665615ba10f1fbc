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
"""

from collections.abc import Hashable
from threading import Lock

from cachetools import LRUCache
from flask import Flask, current_app, request
from markupsafe import Markup

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
        self._lock = Lock()

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


def draw_fragment(template: str, **values: Hashable) -> Markup:
    """The fragment `template` drawn with `values` (in a request: the key holds its locale and
    prefix)."""
    fragments: Fragments = current_app.extensions["recognition.fragments"]
    return fragments.draw(template, values)


def init_fragments(app: Flask) -> None:
    fragments = Fragments(app, remember=not (app.debug or app.config.get("TEMPLATES_AUTO_RELOAD")))
    app.extensions["recognition.fragments"] = fragments
    app.jinja_env.globals["fragment"] = draw_fragment
