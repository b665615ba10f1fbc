"""Jinja's templates, with a cheaper `{% from … import … %}`.

Importing a template's macros asks Jinja whether the importing template has globals the
imported one lacks: if not, the imported module, rendered once, is reused. Jinja answers by
subtracting a `ChainMap`'s keys from a set, one Python-level lookup per global; with the two
hundred the app's permission checks and helpers add, that cost a tenth of a millisecond per
import, and a page imports its macros two or three times. The same question is asked here with
set operations on the maps themselves, with the same answer.
"""

from collections import ChainMap
from typing import Any

from flask import Flask
from jinja2 import Template
from jinja2.environment import TemplateModule
from jinja2.runtime import Context


class ImportingTemplate(Template):
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
