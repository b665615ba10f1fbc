"""Locale selection and Vietnamese formatting helpers for templates."""

import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

from babel.support import NullTranslations
from flask import Flask, current_app, g, request, session
from flask_babel import (
    format_datetime,
    format_decimal,
    get_locale,
    get_translations,
    to_user_timezone,
)
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from recognition.common.text import unit_in_sentence
from recognition.extensions import babel


def select_locale() -> str:
    """Under /api/, Accept-Language. Elsewhere the session's choice, then the user's saved
    choice, then Vietnamese."""
    languages = current_app.config["LANGUAGES"]
    if request and request.path.startswith("/api/"):
        # The API keeps no session: the caller's Accept-Language, else Vietnamese.
        best = request.accept_languages.best_match(languages)
        return str(best or current_app.config["BABEL_DEFAULT_LOCALE"])
    chosen = session.get("lang") if request else None
    if chosen in languages:
        return str(chosen)
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def long_date(value: date | datetime | None) -> str:
    """ "ngày 04 tháng 3 năm 2024" in Vietnamese, "4 March 2024" in English."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if str(get_locale()) == "vi":
        return f"ngày {value.day:02d} tháng {value.month} năm {value.year}"
    return f"{value.day} {value.strftime('%B')} {value.year}"


def short_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy, the form Vietnamese documents use (a timestamp's local day)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_user_timezone(value)
    return value.strftime("%d/%m/%Y")


def local_day(value: datetime) -> date:
    """The day a timestamp falls on where the user is (a deadline is such a day)."""
    return to_user_timezone(value).date()


def short_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime(value, "dd/MM/yyyy HH:mm")


def number(value: object) -> str:
    """A number in the user's locale without needless decimals ("66,67", "70")."""
    if value is None:
        return ""
    return str(format_decimal(value, format="#,##0.##"))


def _current_locale(request_globals: object) -> Any:
    """Flask-Babel's locale of the request, read from where it keeps it once chosen (its own
    lookup goes through `g` and the request again), else chosen by it."""
    babel_context = getattr(request_globals, "_flask_babel", None)
    locale = getattr(babel_context, "babel_locale", None)
    return get_locale() if locale is None else locale


def current_translations() -> NullTranslations:
    """The catalogue of the current locale, looked up once per request and locale.

    Flask-Babel finds the catalogue again for every message (the locale's name, the cache of
    catalogues), through `g` five times; a page's template translates a few dozen. Here `g` is
    looked up once and the catalogue kept on it with its locale. A locale forced for a while
    (`force_locale`) is another Locale object, so it finds its own catalogue."""
    try:
        request_globals = g._get_current_object()
    except RuntimeError:  # outside an app context
        return get_translations()
    locale = _current_locale(request_globals)
    found = getattr(request_globals, "_translations", None)
    if found is not None and found[0] is locale:
        return found[1]
    translations = get_translations()
    request_globals._translations = (locale, translations)
    return translations


def locale_name() -> str:
    """The current locale's name ("vi", "en"), spelt out once per request and locale (the
    layout and each of its fragments ask for it)."""
    try:
        request_globals = g._get_current_object()
    except RuntimeError:  # outside an app context
        return str(get_locale())
    locale = _current_locale(request_globals)
    found = getattr(request_globals, "_locale_name", None)
    if found is not None and found[0] is locale:
        return found[1]
    name = str(locale)
    request_globals._locale_name = (locale, name)
    return name


# More than the templates hold (about 2,000 messages): a template that translated a variable
# would not grow the memory without end.
READY_MESSAGES_KEPT = 5000


@pass_context
def template_gettext(context: Context, string: str, /, **variables: object) -> str:
    """A template's `_("…")`: translated, trusted as markup when the template escapes, and
    always formatted with its variables (escaped), as Jinja's new-style gettext does. A message
    without variables in an escaping template is kept with its catalogue, ready to print."""
    translations = current_translations()
    if context.eval_ctx.autoescape and not variables:
        ready: dict[str, Markup] | None = getattr(translations, "_ready_markup", None)
        if ready is None:
            ready = translations._ready_markup = {}  # type: ignore[attr-defined]
        found = ready.get(string)
        if found is None:
            found = Markup(translations.ugettext(string)) % {}  # noqa: S704  # nosec B704
            if len(ready) < READY_MESSAGES_KEPT:  # the templates' messages, not a variable's
                ready[string] = found
        return found
    translated = translations.ugettext(string)
    if context.eval_ctx.autoescape:
        translated = Markup(translated)  # noqa: S704  # nosec B704 (trusted catalogues, as Jinja)
    return translated % variables


@pass_context
def template_ngettext(
    context: Context, singular: str, plural: str, number: int, /, **variables: object
) -> str:
    variables.setdefault("num", number)
    translated = current_translations().ungettext(singular, plural, number)
    if context.eval_ctx.autoescape:
        translated = Markup(translated)  # noqa: S704  # nosec B704 (trusted catalogues, as Jinja)
    return translated % variables


def compile_catalogues(app: Flask) -> None:
    """Compile each language's catalogue (messages.po → messages.mo) that is missing or older
    than its source, as `make translations` does: a checkout served without it would show
    every page in English, Vietnamese included, without a word. Written to a temporary file
    and moved into place, so that servers starting together never read half a file; a folder
    that cannot be written is logged, not fatal."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for source in sorted(Path(app.root_path, "translations").glob("*/LC_MESSAGES/messages.po")):
        target = source.with_suffix(".mo")
        try:
            if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
                continue
            with source.open("rb") as handle:
                catalogue = read_po(handle, locale=source.parent.parent.name)
            partial = target.with_name(f".messages.mo.{os.getpid()}")
            with partial.open("wb") as handle:
                write_mo(handle, catalogue, use_fuzzy=True)
            os.replace(partial, target)
        except OSError as error:
            app.logger.warning(
                "The %s catalogue could not be compiled (%s): its pages will be in English "
                "until `make translations` is run.",
                source.parent.parent.name,
                error,
            )


def init_i18n(app: Flask) -> None:
    compile_catalogues(app)
    babel.init_app(app, locale_selector=select_locale)
    # Templates translate through the request's catalogue, found once (see above).
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_translations().unpgettext(c, s, p, n),
    )
    # The two a page calls dozens of times, in one call each rather than three (`_` resolving
    # `gettext`, which calls the catalogue's function through the context), with the same
    # result as Jinja's new-style ones.
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext)
    app.jinja_env.globals["ngettext"] = template_ngettext
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["short_date"] = short_date
    app.jinja_env.filters["local_day"] = local_day
    app.jinja_env.filters["short_datetime"] = short_datetime
    app.jinja_env.filters["num"] = number
    app.jinja_env.globals["current_locale"] = locale_name


def name_in_sentence(name: str) -> str:
    """A unit's name inside a sentence of the current language: in Vietnamese the kind of an
    administrative unit is written in lower case ("của xã Phú Phụng"); English keeps the name
    as it is (a proper noun)."""
    return unit_in_sentence(name) if locale_name() == "vi" else name
