"""Jinja's templates, with cheaper contexts and a cheaper `{% from … import … %}`.

The app's permission checks and helpers make about a hundred and ten template globals. Jinja
keeps a template's globals as a `ChainMap` over the environment's, and every render copies
them into the new context (and makes a set of their names) one Python-level lookup at a time:
a twentieth of a millisecond per template, and a page renders its layout, its own template and
the macros it imports. Here each template keeps a plain copy of its globals, made again when
the environment's globals change (`Globals` counts the changes), and a context is built from
that copy.

Importing a template's macros asks Jinja whether the importing template has globals the
imported one lacks: if not, the imported module, rendered once, is reused. Jinja answers by
subtracting a `ChainMap`'s keys from a set; the same question is asked here with set
operations on the maps themselves, with the same answer.
"""

from collections import ChainMap
from collections.abc import Mapping
from typing import Any

from flask import Flask
from jinja2 import Template
from jinja2.environment import TemplateModule
from jinja2.runtime import Context, new_context

from recognition.common.redirects import page_to_come_back_to


class Globals(dict[str, Any]):
    """The environment's globals, with a count of their changes."""

    version = 0

    def _changed(self) -> None:
        self.version += 1

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self._changed()

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._changed()

    def __ior__(self, other: Any) -> "Globals":  # type: ignore[override,misc]
        self.update(other)
        return self

    def update(self, *args: Any, **kwargs: Any) -> None:
        super().update(*args, **kwargs)
        self._changed()

    def setdefault(self, key: str, default: Any = None) -> Any:
        value = super().setdefault(key, default)
        self._changed()
        return value

    def pop(self, key: str, *default: Any) -> Any:
        value = super().pop(key, *default)
        self._changed()
        return value

    def popitem(self) -> tuple[str, Any]:
        item = super().popitem()
        self._changed()
        return item

    def clear(self) -> None:
        super().clear()
        self._changed()


class ImportingTemplate(Template):
    _flat: tuple[tuple[int, ...], dict[str, Any]] | None = None

    def _flat_globals(self) -> Mapping[str, Any]:
        """The template's globals as one plain dict, copied again after any change."""
        chain = self.globals
        if not isinstance(chain, ChainMap) or not isinstance(chain.maps[-1], Globals):
            return chain
        key = (chain.maps[-1].version, *(len(m) for m in chain.maps))
        flat = self._flat
        if flat is None or flat[0] != key:
            flat = self._flat = (key, dict(chain))
        return flat[1]

    def new_context(
        self,
        vars: dict[str, Any] | None = None,
        shared: bool = False,
        locals: Mapping[str, Any] | None = None,
    ) -> Context:
        return new_context(
            self.environment,
            self.name,
            self.blocks,
            vars,
            shared,
            self._flat_globals(),  # type: ignore[arg-type]  # read only, as Jinja reads it
            locals,
        )

    def _get_default_module(self, ctx: Context | None = None) -> TemplateModule:
        if ctx is not None and isinstance(self.globals, ChainMap):
            missing = ctx.globals_keys.difference(*self.globals.maps)
            if missing:
                return self.make_module({key: ctx.parent[key] for key in missing})
            return super()._get_default_module(None)
        return super()._get_default_module(ctx)


def init_templates(app: Flask) -> None:
    environment: Any = app.jinja_env
    environment.template_class = ImportingTemplate
    environment.globals = Globals(environment.globals)
    environment.globals["page_to_come_back_to"] = page_to_come_back_to
