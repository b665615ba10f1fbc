"""Numbers as people type them into a form, and as a form shows them back.

Vietnamese write 1.250,5 (a dot between thousands, a comma before the decimals); English
1,250.5. The app shows numbers in the user's language, so a field reads them the same way:
"1.210" in Vietnamese is one thousand two hundred and ten, as the page printed it. What cannot
be meant that way is read the other way when only one reading is possible: "82.5" has no group
of three after its dot, so the dot is a decimal point; "1.000,5" and "1,000.5" say by their
last mark which one is the decimal point. Anything else ("1.2.3", "1e5", "NaN") is refused.
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import format_decimal

from recognition.common.i18n import locale_name

# (decimal mark, group mark) per language; Vietnamese for any other.
_MARKS = {"vi": (",", "."), "en": (".", ",")}
_SHAPE = re.compile(r"[0-9][0-9.,]*")
_MINUS = "-\u2212"  # a hyphen, or the minus sign a phone keyboard may give


def _language(given: str | None) -> str:
    """`given`, else the request's language (`locale_name`); Vietnamese when unknown."""
    found = given or locale_name()
    return found if found in _MARKS else "vi"


def parse_number(text: str, in_language: str | None = None) -> Decimal:
    """The number `text` says in `in_language` (the request's by default); ValueError when it
    is not one. Spaces (thousands as some type them) are ignored."""
    compact = "".join(text.split())
    negative = compact[:1] in _MINUS
    if compact[:1] in _MINUS + "+":
        compact = compact[1:]
    if not _SHAPE.fullmatch(compact) or compact[-1] in ".,":
        raise ValueError(text)
    decimal_mark = _MARKS[_language(in_language)][0]
    point = _decimal_point(compact, decimal_mark)
    whole, fraction = compact, ""
    if point is not None:
        whole, _, fraction = compact.rpartition(point)
        if point in whole:
            raise ValueError(text)
    if point is not None:
        separator: str | None = "," if point == "." else "."
    else:
        separator = next((mark for mark in ".," if mark in whole), None)
    if separator is not None and separator in whole:  # grouped: every group of three
        groups = whole.split(separator)
        if not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:]):
            raise ValueError(text)
        whole = "".join(groups)
    number = Decimal(f"{whole}.{fraction}" if fraction else whole)
    return -number if negative else number


def _decimal_point(compact: str, decimal_mark: str) -> str | None:
    """Which mark of `compact` is its decimal point, or None when it has none."""
    dots, commas = compact.count("."), compact.count(",")
    if dots and commas:  # the last one
        return "." if compact.rindex(".") > compact.rindex(",") else ","
    if dots + commas != 1:  # none, or one mark repeated: thousands
        return None
    mark = "." if dots else ","
    if mark == decimal_mark:
        return mark
    # The other mark (the language's group mark), once: thousands when three digits follow
    # it, else a point.
    return None if len(compact) - compact.index(mark) - 1 == 3 else mark


def format_number(value: Decimal | int | float, in_language: str | None = None) -> str:
    """`value` as a field shows it back, in the user's language: what `parse_number` reads."""
    return str(format_decimal(value, format="#,##0.##########", locale=_language(in_language)))
