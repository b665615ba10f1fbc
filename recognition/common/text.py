"""Vietnamese text: NFC storage, diacritic-free search keys and collation."""

import re
import unicodedata
from datetime import date

# What a search box takes (the search forms' limit): longer text finds nothing more, and SQLite
# refuses a LIKE pattern of more than 50,000 bytes.
SEARCH_LENGTH = 100
_SPACES = re.compile(r"\s+")
# Characters that NFD does not decompose into a base letter and a mark.
# U+00D0 "Ð" looks exactly like "Đ" and turns up in text pasted from Latin-1 files.
_SPECIAL_FOLDS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0xFEFF, 0]
)

# Vietnamese alphabetical order of base letters; tones sort after the base letter.
# f, j, w and z are not Vietnamese letters but appear in loan words and names; they take their
# Latin places instead of all tying after y.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def clean(value: str | None) -> str:
    """Drop invisible and control characters, NFC-normalise, collapse white space."""
    if not value:
        return ""
    value = value.translate(_INVISIBLE)
    value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    # Normalised after the removal: a dropped character may have kept a letter and its mark
    # apart ("A\u200b\u0323" is "Ạ" once the zero-width space is gone).
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def upper(value: str) -> str:
    """Upper case, still NFC: a few letters have no composed capital ("ΐ" gives "Ϊ́")."""
    return unicodedata.normalize("NFC", value.upper())


def search_text(value: str | None) -> str:
    """A search box's text as the queries match it: cleaned, at most SEARCH_LENGTH long."""
    return clean(value)[:SEARCH_LENGTH]


def clean_multiline(value: str | None) -> str:
    """Like `clean`, but keeps line breaks (for long texts)."""
    if not value:
        return ""
    lines = (clean(line) for line in value.replace("\r\n", "\n").split("\n"))
    return "\n".join(lines).strip()


def fold(value: str | None) -> str:
    """Search key: lower case, no diacritics, đ → d, single spaces ("Sơn Định" → "son dinh")."""
    if not value:
        return ""
    # Case-fold first: folding can itself produce letters with marks (e.g. "Ð" → "ð").
    decomposed = unicodedata.normalize("NFD", value.casefold().translate(_SPECIAL_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Recomposed, because NFD splits some letters into parts that are not marks (Hangul
    # syllables into jamo): the key is stored, and stored text is NFC.
    return _SPACES.sub(" ", unicodedata.normalize("NFC", stripped)).strip()


def _split_letter(ch: str) -> tuple[str, int]:
    """A character's base letter (with its letter marks: ă, â, ê, ô, ơ, ư, đ) and its tone."""
    if ch.lower() == "đ":
        return "đ", 0
    decomposed = unicodedata.normalize("NFD", ch.lower())
    tone = 0
    letter_marks = ""
    for mark in decomposed[1:]:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark in _LETTER_MARKS:
            letter_marks += mark
    return unicodedata.normalize("NFC", decomposed[0] + letter_marks), tone


def _primary_char(letter: str) -> str:
    if letter == " ":
        return "!"
    if letter.isdigit() and letter.isascii():
        return chr(0x22 + int(letter))
    position = _ALPHABET.find(letter)
    return chr(0x30 + position) if position >= 0 else "~"


_NUMBER_OR_CHAR = re.compile(r"[0-9]+|.", re.DOTALL)


def sort_string(value: str | None) -> str:
    """An ASCII key whose binary order is Vietnamese dictionary order.

    Letters first (a < ă < â < b … d < đ … y, case ignored), then tones as a tie-break
    (ngang < huyền < hỏi < ngã < sắc < nặng). Stored in a column and compared with a binary
    collation, so lists can be sorted and paginated by the database on SQLite and PostgreSQL.
    """
    letters = []
    tones = []
    for token in _NUMBER_OR_CHAR.findall(clean(value)):
        if token.isascii() and token.isdigit():
            # Numbers in numeric order ("Khu phố 2" < "Khu phố 10"): the count of digits
            # (without leading zeros) first, then the digits.
            digits = token.lstrip("0") or "0"
            letters.append(
                chr(0x22 + min(len(digits), 9)) + "".join(_primary_char(d) for d in digits)
            )
            tones.append("0" * (len(digits) + 1))
            continue
        letter, tone = _split_letter(token)
        letters.append(_primary_char(letter))
        tones.append(str(tone))
    return "".join(letters) + " " + "".join(tones)


# Words that open a campaign's name and are written in lower case inside a sentence.
_CAMPAIGN_WORDS = ("Phong trào ", "Đợt ", "Cao điểm ")


_KIND_WORDS = ("Tỉnh ", "Thành phố ", "Huyện ", "Quận ", "Thị xã ", "Xã ", "Phường ", "Thị trấn ")


def unit_in_sentence(name: str) -> str:
    """A unit's name inside a sentence: "Xã Chợ Lách" → "xã Chợ Lách" (the kind of an
    administrative unit is written in lower case before its proper name)."""
    for word in _KIND_WORDS:
        if name.startswith(word):
            return word.lower() + name[len(word) :]
    return name


def campaign_in_sentence(name: str) -> str:
    """A campaign's name inside a sentence: "Phong trào thi đua …" → "phong trào thi đua …"."""
    for word in _CAMPAIGN_WORDS:
        if name.startswith(word):
            return word.lower() + name[len(word) :]
    return name


def movement_in_sentence(name: str) -> str | None:
    """The emulation movement a campaign's name names, as a sentence says it ("phong trào thi
    đua “…” năm 2026", "đợt thi đua …"), or None when the name names none (the year's review,
    a sudden commendation): "Tổng kết phong trào thi đua 6 tháng cuối năm 2025" → "phong trào
    thi đua 6 tháng cuối năm 2025"."""
    for word in _CAMPAIGN_WORDS:
        if name.startswith(word):
            return campaign_in_sentence(name)
    at = name.lower().find("phong trào ")
    return name[at:][0].lower() + name[at + 1 :] if at >= 0 else None


def achievement_sentence(campaign_name: str, year: int, *, recognises_a_title: bool) -> str:
    """What a decision and a certificate say the recipient did, after "cho …" (NĐ 152/2025's
    decision forms): a title is recognised to whoever met its standard that year; a
    commendation is for outstanding achievement in the movement the campaign names, done
    suddenly, or in the year's tasks. Never the campaign's own name pasted in ("… trong Bình
    xét danh hiệu thi đua …")."""
    if recognises_a_title:
        return f"đã đạt tiêu chuẩn danh hiệu năm {year}"
    movement = movement_in_sentence(campaign_name)
    if movement:
        return f"đã có thành tích xuất sắc trong {movement}"
    if "đột xuất" in campaign_name.lower():
        return "đã có thành tích xuất sắc đột xuất"
    return f"đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm {year}"


def official_date(value: date) -> str:
    """ "ngày 04 tháng 3 năm 2024": decisions and certificates are Vietnamese documents, whatever
    the language of the person printing them (Decree 30/2020, the date line)."""
    return f"ngày {value.day:02d} tháng {value.month} năm {value.year}"


def listed(heading: str, items: list[str]) -> str:
    """A refusal of several reasons as one message: the heading, then one reason a line.

    Pages show it as the heading and a list (the `message` macro of `_macros.html`); plain
    text (mail, the API) reads it line by line. One reason is the reason alone."""
    if len(items) == 1:
        return items[0]
    return "\n".join([heading, *items])


def signer_title_lines(value: str | None) -> str:
    """A signer's title as Decree 30/2020 sets it: one line, or two where one signs for another
    ("KT. CHỦ TỊCH" above "PHÓ CHỦ TỊCH"); cleaned, empty lines gone, a third joined to the
    second."""
    lines = [line for line in clean_multiline(value).split("\n") if line]
    return "\n".join(lines[:2] if len(lines) <= 2 else [lines[0], " ".join(lines[1:])])
