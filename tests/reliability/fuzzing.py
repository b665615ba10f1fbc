"""Hypothesis strategies for hostile form input, and a watch on what reaches the database.

A form is described by its fields (`FieldSpec`): each has a strategy for values a person would
type (which may still carry decomposed Vietnamese, zero-width and direction marks: what pasting
from Word, a Mac or a PDF brings) and one for hostile values (empty, huge, NUL and control
characters, combining-mark floods, bad dates, huge numbers, unknown choices, junk files). An
example posts a field's value once, leaves it out, or sends it twice.
"""

from __future__ import annotations

import io
import json
import random
import struct
import unicodedata
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    Field,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.csrf.core import CSRFTokenField
from wtforms.validators import Length, NumberRange

# --- text ------------------------------------------------------------------------------------


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


VIETNAMESE = [
    "Nguyễn Thị Ánh Tuyết",
    "Huyện Chợ Lách",
    "Ấp Sơn Định",
    "Trường Tiểu học Vĩnh Thành",
    "Hoàn thành xuất sắc nhiệm vụ",
    "Đoàn Thanh niên",
    "ỦY BAN NHÂN DÂN",
]
# Pieces that survive a form's validation and must come out of the database in NFC: text
# pasted from a Mac (NFD), from Word (zero-width, direction marks), from a PDF (ligatures),
# with scripts whose NFC composes (Hangul jamo) or differs (Å, Ω).
PIECES = [
    *VIETNAMESE,
    *(nfd(text) for text in VIETNAMESE),
    "e\u0301\u0323",  # two tone marks on one letter
    "\u0301đầu",  # a mark with no base letter
    "a" + "\u0300" * 40,  # a short combining-mark flood
    "\u200b",
    "\u200c",
    "\u200d",
    "\ufeff",
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2069",
    "\u061c",
    "\u200e",
    "\u00a0",
    "\u3000",
    "\u2028",
    "\t",
    "\n",
    "\r\n",
    "\u212b",  # ANGSTROM SIGN: NFC makes it Å
    "\u2126",  # OHM SIGN: NFC makes it Ω
    "\u1100\u1161\u11a8",  # Hangul jamo: NFC composes them into one syllable
    "\ufb01",
    "ΐ ΰ",  # Greek letters whose capitals have no composed form: upper() leaves them NFD
    "①",
    "🇻🇳",
    "👨\u200d👩\u200d👧",
    "\U0001d54f",
    "\ue000",  # private use
    "\U000e0041",  # a tag character
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "%(name)s %s {0}",
    "'; DROP TABLE units; --",
    '=HYPERLINK("http://example.invalid")',
    "file:///etc/passwd",
    "../../etc/passwd",
]
CONTROL = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9f"]


class Huge(str):
    """A long string that shows itself briefly in a failing example."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Huge({str.__repr__(self[:12])} + {len(self) - 12} more)"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


HUGE = [
    Huge(text)
    for text in (
        "a" * 100_000,
        nfd("Nguyễn Thị Ánh Tuyết ") * 4_000,
        "e" + "\u0301" * 100_000,
        "\u200b" * 100_000,
        " " * 100_000,
        "\n" * 50_000,
        "\x00" * 10_000,
        "\u202e" + "x" * 99_999,
    )
]
# Any code point but surrogates (they cannot be encoded into a request).
random_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


def _random_word(rng: random.Random) -> str:
    """A few code points from anywhere in Unicode (no surrogates)."""
    points = (
        rng.choice([rng.randrange(0x20, 0x2FF), rng.randrange(0x300, 0x10FFFF)])
        for _ in range(rng.randrange(1, 8))
    )
    return "".join(chr(p) for p in points if not 0xD800 <= p <= 0xDFFF)


def _phrases(multiline: bool) -> list[str]:
    """Texts made of the pieces and random code points, drawn once with a fixed seed: a
    draw from this list costs Hypothesis one choice where building a text costs dozens (the
    fuzz runs tens of thousands of examples)."""
    rng = random.Random(f"phrases-{multiline}")
    pieces = [p for p in PIECES if multiline or "\n" not in p]
    phrases = []
    for _ in range(400):
        words = [
            rng.choice(pieces) if rng.random() < 0.7 else _random_word(rng)
            for _ in range(rng.randrange(1, 5))
        ]
        phrases.append(" ".join(words))
    for _ in range(200):
        phrases.append(_split_by_invisible(rng))
    return [phrase for phrase in phrases if phrase.strip()]


def _split_by_invisible(rng: random.Random) -> str:
    """Decomposed Vietnamese with an invisible or control character put somewhere inside,
    often between a letter and its mark (what a dropped character must not leave apart)."""
    text = nfd(rng.choice(VIETNAMESE))
    marks = [i for i, ch in enumerate(text) if unicodedata.combining(ch)]
    at = rng.choice(marks) if marks and rng.random() < 0.8 else rng.randrange(len(text) + 1)
    odd = rng.choice(["\u200b", "\u200c", "\u200d", "\ufeff", "\u202e", "\u2066", *CONTROL])
    return text[:at] + odd + text[at:]


PHRASES = {multiline: _phrases(multiline) for multiline in (False, True)}


def text_values(max_length: int | None, *, multiline: bool = False) -> SearchStrategy[str]:
    """Plausible text: words, decomposed Vietnamese, invisible characters, random code points,
    within the field's length (so that it passes validation and is stored). Mostly from the
    fixed phrases, sometimes built by Hypothesis."""
    pieces = [p for p in PIECES if multiline or "\n" not in p]
    words = st.lists(
        st.one_of(st.sampled_from(pieces), random_text.filter(lambda s: s.strip())),
        min_size=1,
        max_size=5,
    ).map(" ".join)
    phrases = st.sampled_from(PHRASES[multiline])
    limit = max_length or 500
    texts = st.one_of(phrases, phrases, phrases, words)
    return texts.map(lambda text: text[:limit]).filter(lambda text: text.strip() != "")


hostile_text: SearchStrategy[str] = st.one_of(
    st.just(""),
    st.sampled_from(HUGE),
    st.sampled_from(CONTROL),
    st.lists(st.sampled_from(CONTROL + PIECES), min_size=1, max_size=8).map("".join),
    random_text,
)

# --- numbers and dates -----------------------------------------------------------------------

HOSTILE_NUMBERS = [
    "-1",
    "0",
    "-0",
    "10" + "0" * 30,
    "-" + "9" * 40,
    "2147483648",
    "9223372036854775808",
    "NaN",
    "nan",
    "sNaN",
    "-NaN",
    "inf",
    "-inf",
    "Infinity",
    "1e309",
    "-1e309",
    "1e-400",
    "5e-324",
    "1E+999999999",
    "1e" + "9" * 30,
    "0x10",
    "1_000",
    "١٢",  # Arabic-Indic digits: int() takes them
    "²",
    "1,5",
    "1.5.5",
    " 7 ",
    "+5",
    "0." + "0" * 5000 + "1",
    "9" * 5000,
]
HOSTILE_DATES = [
    "2024-02-30",
    "2023-02-29",
    "2024-13-01",
    "2024-00-10",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "31/12/99999",
    "31/12/2024",
    "2024-1-1",
    "2024-01-01T00:00",
    "-2024-01-01",
    "today",
    "1e9",
    "２０２４-０１-０１",  # full-width digits
]


def dates_near(today: date) -> SearchStrategy[str]:
    return st.integers(-800, 800).map(lambda days: (today + timedelta(days=days)).isoformat())


def number_values(field: Field) -> SearchStrategy[str]:
    """Numbers within the field's range, written as a person would (a comma for decimals in a
    millimetre field)."""
    low, high = -1000.0, 1000.0
    for validator in field.validators:
        if isinstance(validator, NumberRange):
            low = float(validator.min) if validator.min is not None else low
            high = float(validator.max) if validator.max is not None else high
    if isinstance(field, IntegerField):
        return st.integers(int(low), int(high)).map(str)
    values = st.decimals(Decimal(str(low)), Decimal(str(high)), places=2).map(str)
    if isinstance(field, FloatField):
        return st.one_of(values, values.map(lambda text: text.replace(".", ",")))
    return values


# --- files -----------------------------------------------------------------------------------


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PNG = _png()
PDF = (  # one page: the upload check opens the PDF and refuses a document without pages
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
FILE_NAMES = [
    "bao-cao.pdf",
    nfd("Báo cáo thành tích.pdf"),
    "Báo cáo thành tích.pdf",
    nfd("Ảnh hoạt động.png"),
    "\u202egnp.exe.pdf",
    "\u200bminh\u200cchung.pdf",
    "../../etc/passwd.pdf",
    "a" * 1000 + ".pdf",
    nfd("ề") * 300 + ".pdf",
    "",
    ".pdf",
    "CON.pdf",
    "x\x01y.pdf",
]
JUNK_CONTENT = [
    b"",
    b"\x00" * 64,
    b"%PDF-1.4 no end",
    b"<html><script>alert(1)</script></html>",
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
    b"\xff\xd8\xff\xe0" + b"\x00" * 32,
    b"PK\x03\x04" + b"\x00" * 64,
    'Nguyễn,\x00;"'.encode("cp1258", errors="replace"),
]


@dataclass(frozen=True)
class Upload:
    """A file to post; made into a fresh stream for each request (an example may be run more
    than once while Hypothesis shrinks it)."""

    content: bytes
    filename: str

    def as_file(self) -> tuple[io.BytesIO, str]:
        return io.BytesIO(self.content), self.filename


good_files = st.builds(Upload, st.sampled_from([PDF, PNG]), st.sampled_from(FILE_NAMES))
junk_files = st.builds(
    Upload,
    st.one_of(st.sampled_from(JUNK_CONTENT), st.binary(max_size=64)),
    st.sampled_from(FILE_NAMES),
)


def csv_files(
    header: Sequence[str], valid_rows: SearchStrategy[list[str]]
) -> SearchStrategy[Upload]:
    """A CSV upload: the expected header (or a mangled one) and rows of plausible or hostile
    cells, in UTF-8 (with or without a BOM), or in the Vietnamese Windows code page."""
    cell = st.one_of(text_values(60), hostile_text.filter(lambda s: len(s) < 2_000))
    rows = st.lists(st.one_of(valid_rows, st.lists(cell, max_size=len(header) + 2)), max_size=4)
    heading = st.one_of(
        st.just(list(header)),
        st.just([nfd(h.upper()) for h in header]),
        st.lists(cell, max_size=4),
    )
    delimiter = st.sampled_from([",", ";", "\t"])
    encoding = st.sampled_from(["utf-8", "utf-8-sig", "cp1258"])

    def write(head: list[str], body: list[list[str]], sep: str, enc: str) -> bytes:
        lines = [sep.join(_quoted(c, sep) for c in row) for row in [head, *body]]
        return "\r\n".join(lines).encode(enc, errors="replace")

    content = st.builds(write, heading, rows, delimiter, encoding)
    return st.builds(Upload, content, st.sampled_from(["import.csv", nfd("danh sách.csv"), ""]))


def _quoted(value: str, sep: str) -> str:
    if any(ch in value for ch in (sep, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


# --- fields and forms ------------------------------------------------------------------------

Value = str | Upload


@dataclass(frozen=True)
class FieldSpec:
    """What to post for one field: `valid` values pass the form's own checks, `wild` ones are
    anything. Both give a list: empty for a missing field, two values for a duplicated one."""

    name: str
    valid: SearchStrategy[list[Value]]
    wild: SearchStrategy[list[Value]]


def _max_length(field: Field) -> int | None:
    lengths = [v.max for v in field.validators if isinstance(v, Length) and v.max >= 0]
    return min(lengths) if lengths else None


def _choices(field: Field) -> list[str]:
    found = []
    for choice in field.choices or []:
        value = choice[0] if isinstance(choice, tuple) else getattr(choice, "value", choice)
        if value not in (None, ""):
            found.append(str(value))
    return found


def _once(values: SearchStrategy[Any]) -> SearchStrategy[list[Any]]:
    return values.map(lambda value: [value])


def _presence(valid: SearchStrategy[Any], wild: SearchStrategy[Any]) -> SearchStrategy[list[Any]]:
    """Missing, once, or twice (a valid value with a wild one, in either order)."""
    return st.one_of(
        st.just([]),
        _once(wild),
        st.tuples(valid, wild).map(list),
        st.tuples(wild, valid).map(list),
    )


unknown_choice = st.one_of(
    st.sampled_from(["zzz", "None", "0", "-1", "999999999", "1" + "0" * 30, "1.5", " 1"]),
    hostile_text,
)


def spec_for(
    field: Field, today: date, hint: SearchStrategy[Any] | None = None
) -> FieldSpec | None:
    """The strategies for a WTForms field (None for the CSRF token, which the client sends).
    `hint` gives the valid values where the form cannot (choices filled in by the view, the
    content of an upload)."""
    name = field.name
    if isinstance(field, CSRFTokenField):
        return None
    if field.type in ("FileField", "MultipleFileField"):
        good = good_files if hint is None else hint
        files = st.one_of(st.just([]), st.lists(good, min_size=1, max_size=2))
        wild = st.lists(st.one_of(junk_files, good), min_size=1, max_size=3)
        return FieldSpec(name, files, st.one_of(wild, _once(hostile_text)))
    if isinstance(field, BooleanField):
        valid = st.sampled_from([[], ["y"]])
        wild_value = st.one_of(
            st.sampled_from(["false", "0", "", "off", "n", "None"]), hostile_text
        )
        return FieldSpec(name, valid, _presence(st.just("y"), wild_value))
    if isinstance(field, SelectMultipleField):
        options = _choices(field)
        valid_multi = st.lists(
            st.sampled_from(options) if hint is None else hint,
            max_size=len(options) or 3,
            unique=True,
        )
        # Choices the view fills in are given by the hint (the form's own may be empty).
        known = st.sampled_from(options) if options else (unknown_choice if hint is None else hint)
        wild_multi = st.lists(st.one_of(unknown_choice, known), min_size=1, max_size=4)
        return FieldSpec(name, valid_multi, wild_multi)
    if isinstance(field, DateField):
        valid_value = hint if hint is not None else dates_near(today)
        wild_value = st.one_of(st.sampled_from(HOSTILE_DATES), hostile_text)
    elif isinstance(field, IntegerField | DecimalField | FloatField):
        valid_value = hint if hint is not None else number_values(field)
        wild_value = st.one_of(st.sampled_from(HOSTILE_NUMBERS), hostile_text)
    elif isinstance(field, SelectField | RadioField):
        options = _choices(field)
        if hint is None and not options:
            raise AssertionError(f"the field {name!r} has no choices: give a hint")
        valid_value = hint if hint is not None else st.sampled_from(options)
        wild_value = st.one_of(unknown_choice, st.sampled_from(HOSTILE_NUMBERS))
    else:
        multiline = isinstance(field, TextAreaField)
        valid_value = (
            hint if hint is not None else text_values(_max_length(field), multiline=multiline)
        )
        wild_value = hostile_text
    return FieldSpec(name, _once(valid_value), _presence(valid_value, wild_value))


def raw_spec(name: str, valid: SearchStrategy[str]) -> FieldSpec:
    """A field the view reads from `request.form` itself (no form class describes it)."""
    wild = st.one_of(unknown_choice, st.sampled_from(HOSTILE_NUMBERS), hostile_text)
    return FieldSpec(name, st.one_of(st.just([]), _once(valid)), _presence(valid, wild))


def form_specs(
    form: FlaskForm, today: date, hints: dict[str, SearchStrategy[Any]]
) -> list[FieldSpec]:
    unknown = set(hints) - {field.name for field in form}
    assert not unknown, f"hints for fields the form does not have: {sorted(unknown)}"
    specs = [spec_for(field, today, hints.get(field.name)) for field in form]
    return [spec for spec in specs if spec is not None]


junk_names = st.one_of(
    st.sampled_from(["id", "user_id", "state", "is_admin", "version", "csrf", "next", "__proto__"]),
    random_text.filter(bool),
)


@st.composite
def form_data(draw: st.DrawFn, specs: Sequence[FieldSpec]) -> list[tuple[str, Value]]:
    """The posted fields. Most examples are valid but for a few fields (so that they reach
    the services and the database); some are wild throughout, with unknown fields added."""
    chaos = draw(st.sampled_from([0, 0, 1, 1, 2, 3]))
    share = {0: 0, 1: 1, 2: 5, 3: 10}[chaos]  # out of 10 fields, how many go wild
    pairs: list[tuple[str, Value]] = []
    for spec in specs:
        wild = share == 10 or (share > 0 and draw(st.integers(0, 9)) < share)
        pairs += [(spec.name, value) for value in draw(spec.wild if wild else spec.valid)]
    if chaos >= 2:
        pairs += draw(st.lists(st.tuples(junk_names, hostile_text), max_size=3))
    return pairs


def multidict(csrf_token: str | None, pairs: Sequence[tuple[str, Value]]) -> MultiDict[str, Any]:
    data: MultiDict[str, Any] = MultiDict()
    if csrf_token is not None:
        data.add("csrf_token", csrf_token)
    for name, value in pairs:
        data.add(name, value.as_file() if isinstance(value, Upload) else value)
    return data


# --- what reaches the database ---------------------------------------------------------------


def strings_in(value: Any) -> Iterator[str]:
    """Every string in a statement's parameters, JSON documents included (JSON columns are
    serialised with \\u escapes, which would hide decomposed text)."""
    if isinstance(value, str):
        yield value
        if value[:1] in ("{", "["):
            try:
                document = json.loads(value)
            except ValueError:
                return
            yield from strings_in(document)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_in(item)


class WriteWatch:
    """An engine listener that records every INSERT or UPDATE parameter that is not NFC, and
    counts the statements that change rows (`writes`)."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str]] = []
        self.writes = 0

    def __call__(
        self,
        connection: Any,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        verb = statement.lstrip()[:6].upper()
        if verb == "DELETE":
            self.writes += 1
        if verb not in ("INSERT", "UPDATE"):
            return
        self.writes += 1
        for text in strings_in(parameters):
            if not unicodedata.is_normalized("NFC", text):
                self.found.append((statement.split("(")[0][:60], text[:80]))

    def take(self) -> list[tuple[str, str]]:
        found, self.found = self.found, []
        return found
