"""The gettext catalogues are complete and consistent with the source code.

The source strings are extracted the way `make extract-messages` does it, into a temporary
file, so a string added to the code without a translation makes these tests fail. Then both
catalogues are checked: nothing fuzzy or empty, the placeholders of every translation equal
those of its source string, Vietnamese text in NFC, English catalogue equal to its source.
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import PYTHON_FORMAT, Catalog, Message
from babel.messages.pofile import read_po

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "recognition" / "translations"
LOCALES = ("vi", "en")
# The same options as the `extract-messages` target of the Makefile.
EXTRACT_ARGS = [
    "extract",
    "-F",
    "babel.cfg",
    "-k",
    "_l",
    "-k",
    "lazy_gettext",
    "--no-location",
    "--sort-output",
    "--omit-header",
]
SOURCES = ["recognition", "templates"]

Key = tuple[str | tuple[str, ...], str | None]


def _key(message: Message) -> Key:
    msgid = tuple(message.id) if isinstance(message.id, list | tuple) else message.id
    return msgid, message.context


def _messages(catalog: Catalog) -> Iterator[Message]:
    """Every entry except the header."""
    return (message for message in catalog if message.id)


def _strings(message: Message) -> tuple[str, ...]:
    if isinstance(message.string, list | tuple):
        return tuple(message.string)
    return (message.string or "",)


def _ids(message: Message) -> tuple[str, ...]:
    if isinstance(message.id, list | tuple):
        return tuple(message.id)
    return (message.id,)


def _placeholders(text: str) -> set[tuple[str | None, str]]:
    """Python %-format placeholders as (name, conversion); "%%" is a literal percent sign."""
    found = set()
    for match in PYTHON_FORMAT.finditer(text):
        name, _spec, conversion = match.groups()
        if conversion == "%" and name is None:
            continue
        found.add((name, conversion))
    return found


def _show(key: Key) -> str:
    msgid, context = key
    text = " | ".join(msgid) if isinstance(msgid, tuple) else msgid
    return f"{text!r}" + (f" (context {context!r})" if context else "")


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n  " + "\n  ".join(problems)


@pytest.fixture(scope="module")
def source_catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """What the current code and templates produce, extracted like the Makefile does."""
    output = tmp_path_factory.mktemp("i18n") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    command = (
        [str(pybabel)] if pybabel.exists() else [sys.executable, "-m", "babel.messages.frontend"]
    )
    result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [*command, "--quiet", *EXTRACT_ARGS, "-o", str(output), *SOURCES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"pybabel extract failed:\n{result.stdout}\n{result.stderr}"
    with output.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    assert len(list(_messages(catalog))) > 50, "the extraction found almost no strings"
    return catalog


@pytest.fixture(scope="module")
def catalogues() -> dict[str, Catalog]:
    loaded = {}
    for locale in LOCALES:
        path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            loaded[locale] = read_po(handle, locale=locale, abort_invalid=True)
    return loaded


@pytest.mark.parametrize("locale", LOCALES)
def test_every_source_string_is_in_the_catalogue(
    locale: str, source_catalog: Catalog, catalogues: dict[str, Catalog]
) -> None:
    present = {_key(message) for message in _messages(catalogues[locale])}
    missing = sorted(
        _show(_key(message))
        for message in _messages(source_catalog)
        if _key(message) not in present
    )
    assert missing == [], (
        f"{locale}: strings in the code but not in the catalogue; run `make extract-messages` "
        f"and translate them. " + _report(missing)
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_no_entry_is_fuzzy_or_untranslated(locale: str, catalogues: dict[str, Catalog]) -> None:
    catalog = catalogues[locale]
    problems = []
    for message in _messages(catalog):
        strings = _strings(message)
        if message.fuzzy:
            problems.append(f"fuzzy: {_show(_key(message))}")
        if not all(strings) or (message.pluralizable and len(strings) != catalog.num_plurals):
            problems.append(f"empty or wrong number of forms {strings!r}: {_show(_key(message))}")
    assert problems == [], f"{locale}: " + _report(problems)


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_of_each_translation_equal_those_of_its_source(
    locale: str, catalogues: dict[str, Catalog]
) -> None:
    catalog = catalogues[locale]
    problems = []
    for message in _messages(catalog):
        ids = _ids(message)
        for index, text in enumerate(_strings(message)):
            if not text:
                continue  # reported by the test above
            # With one plural form (Vietnamese) the only form stands for every number, like
            # the plural source; otherwise form 0 is the singular.
            source = ids[0] if index == 0 and catalog.num_plurals > 1 else ids[-1]
            expected, actual = _placeholders(source), _placeholders(text)
            if actual != expected:
                problems.append(
                    f"msgstr[{index}] has {sorted(actual, key=str)}, source has "
                    f"{sorted(expected, key=str)}: {_show(_key(message))}"
                )
                continue
            if expected and all(name is not None for name, _ in expected):
                values = {name: 1 for name, _ in expected}
                try:
                    text % values
                except (ValueError, TypeError, KeyError) as error:
                    problems.append(f"msgstr[{index}] cannot be formatted ({error}): {text!r}")
    assert problems == [], f"{locale}: " + _report(problems)


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_passes_babel_checks(locale: str, catalogues: dict[str, Catalog]) -> None:
    """What `pybabel compile` (make translations) would report as errors."""
    problems = [
        f"{error}: {_show(_key(message))}"
        for message, errors in catalogues[locale].check()
        for error in errors
    ]
    assert problems == [], f"{locale}: " + _report(problems)


def test_vietnamese_has_one_plural_form(catalogues: dict[str, Catalog]) -> None:
    assert catalogues["vi"].plural_forms == "nplurals=1; plural=0;"
    assert catalogues["en"].plural_forms == "nplurals=2; plural=(n != 1);"


def test_vietnamese_translations_are_nfc(catalogues: dict[str, Catalog]) -> None:
    not_nfc = [
        f"{text!a}: {_show(_key(message))}"
        for message in _messages(catalogues["vi"])
        for text in _strings(message)
        if text and unicodedata.normalize("NFC", text) != text
    ]
    assert not_nfc == [], "vi: translations not in NFC. " + _report(not_nfc)


def test_english_catalogue_repeats_the_source(catalogues: dict[str, Catalog]) -> None:
    differing = [
        f"{_strings(message)!r}: {_show(_key(message))}"
        for message in _messages(catalogues["en"])
        if _strings(message) != _ids(message)
    ]
    assert differing == [], "en: msgstr must equal msgid (and msgid_plural). " + _report(differing)
