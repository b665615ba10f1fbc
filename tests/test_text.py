"""Vietnamese text helpers: NFC cleaning, diacritic-free search keys, dictionary order."""

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recognition.common.text import (
    SEARCH_LENGTH,
    achievement_sentence,
    clean,
    clean_multiline,
    fold,
    search_text,
    signer_title_lines,
    sort_string,
    upper,
)

pytestmark = pytest.mark.unit

# The autouse isolation fixture is function-scoped; these tests never touch the database.
pure = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)

VIETNAMESE_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"
TONE_MARKS = "\u0300\u0309\u0303\u0301\u0323"


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


# --- clean ---------------------------------------------------------------------------------


def test_clean_composes_nfd_input() -> None:
    decomposed = nfd("Xã Sơn Định")
    assert decomposed != "Xã Sơn Định"

    assert clean(decomposed) == "Xã Sơn Định"
    assert unicodedata.is_normalized("NFC", clean(decomposed))


def test_clean_drops_zero_width_and_control_characters() -> None:
    dirty = "\ufeffXã\u200b Sơn\u200d Đ\x00ịnh\x07\u202e"

    assert clean(dirty) == "Xã Sơn Định"


@pytest.mark.parametrize("dropped", ["\u200b", "\ufeff", "\x1f", "\x00", "\u202e"])
def test_clean_composes_what_a_dropped_character_kept_apart(dropped: str) -> None:
    # A letter, an invisible or control character, then a tone mark: once the character is
    # gone, the letter and its mark must be composed.
    assert clean("Nguy\u00ea" + dropped + "\u0303n") == "Nguyễn"
    assert clean("A" + dropped + "\u0323") == "Ạ"


def test_clean_collapses_and_trims_white_space() -> None:
    assert clean("  Ấp \t Sơn\u00a0\u00a0Lân \n ") == "Ấp Sơn Lân"


@pytest.mark.parametrize("empty", [None, "", "   ", "\u200b\u200c"])
def test_clean_of_nothing_is_the_empty_string(empty: str | None) -> None:
    assert clean(empty) == ""


def test_clean_multiline_keeps_line_breaks_and_cleans_each_line() -> None:
    text = "  Dòng  một\u200b \r\n" + nfd("Dòng hai") + "\x07\n"

    assert clean_multiline(text) == "Dòng một\nDòng hai"


# --- fold ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Sơn Định", "son dinh"),
        ("ĐƯỜNG", "duong"),
        ("đường", "duong"),
        ("Xã  Hưng Khánh Trung B", "xa hung khanh trung b"),
        ("Nguyễn Thị Mỹ Duyên", "nguyen thi my duyen"),
        ("Ấp Thiềng Đức", "ap thieng duc"),
        # U+00D0 looks exactly like Đ (U+0110) and turns up in text pasted from old files.
        ("\u00d0ịnh", "dinh"),
        (None, ""),
    ],
)
def test_fold(text: str | None, key: str) -> None:
    assert fold(text) == key


def test_fold_ignores_normalisation_form() -> None:
    assert fold(nfd("Trương Văn Sang")) == fold(nfc("Trương Văn Sang")) == "truong van sang"


def test_fold_keeps_letters_that_nfd_splits_into_more_letters_whole() -> None:
    # NFD splits a Hangul syllable into jamo, which are letters, not marks: the stored key
    # must be the syllable again (stored text is NFC), the same for either input form.
    assert fold("각") == fold(nfd("각")) == "각"


# --- upper ---------------------------------------------------------------------------------


def test_upper_is_nfc_where_a_capital_has_no_composed_form() -> None:
    assert "ΐ".upper() == "\u0399\u0308\u0301"  # what str.upper gives: not NFC
    assert upper("ΐ ΰ đường") == "\u03aa\u0301 \u03ab\u0301 ĐƯỜNG"


# --- search_text ---------------------------------------------------------------------------


def test_search_text_is_clean_and_at_most_a_search_box_long() -> None:
    assert search_text("  Sơn\x00 " + nfd("Định") + "\u200b ") == "Sơn Định"
    assert search_text("a" * 100_000) == "a" * SEARCH_LENGTH
    assert search_text(None) == ""


# --- sort_string ---------------------------------------------------------------------------


def by_key(names: list[str]) -> list[str]:
    return sorted(names, key=sort_string)


def test_letters_with_marks_follow_their_base_letter() -> None:
    assert by_key(["b", "â", "ă", "a"]) == ["a", "ă", "â", "b"]
    assert by_key(["e", "đ", "d"]) == ["d", "đ", "e"]
    assert by_key(["p", "ơ", "ô", "o"]) == ["o", "ô", "ơ", "p"]
    assert by_key(["v", "ư", "u"]) == ["u", "ư", "v"]


def test_tones_only_break_ties() -> None:
    assert by_key(["ab", "á", "a"]) == ["a", "á", "ab"]
    # ngang < huyền < hỏi < ngã < sắc < nặng
    assert by_key(["mạ", "má", "mã", "mả", "mà", "ma"]) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_case_is_ignored() -> None:
    assert sort_string("ĐỊNH") == sort_string("định")
    assert by_key(["b", "A"]) == ["A", "b"]


def test_words_sort_before_longer_words() -> None:
    assert by_key(["Ấp Sơn Lân", "Ấp Sơn", "Ấp Sơnb"]) == ["Ấp Sơn", "Ấp Sơn Lân", "Ấp Sơnb"]


def test_vietnamese_names_in_dictionary_order() -> None:
    names = [
        "Xã Vĩnh Thành",
        "Thị trấn Chợ Lách",
        "Xã Đông Thành",
        "Xã Dương Hòa",
        "Xã Ân Thạnh",
        "Xã An Hiệp",
        "Xã Ăn Sâu",
        "Xã Bình Hòa",
        "Xã Sơn Định",
        "Xã Sơn Đình",
        "Xã Sơn Dinh",
    ]

    assert by_key(names) == [
        "Thị trấn Chợ Lách",
        "Xã An Hiệp",
        "Xã Ăn Sâu",
        "Xã Ân Thạnh",
        "Xã Bình Hòa",
        "Xã Dương Hòa",
        "Xã Đông Thành",
        "Xã Sơn Dinh",
        "Xã Sơn Đình",
        "Xã Sơn Định",
        "Xã Vĩnh Thành",
    ]


def test_letters_outside_the_vietnamese_alphabet_keep_latin_order() -> None:
    # Loan words and enterprise names use f, j, w and z; they must not all tie.
    assert by_key(["Công ty Zeta", "Công ty Wa", "Công ty Fanta", "Công ty Jada"]) == [
        "Công ty Fanta",
        "Công ty Jada",
        "Công ty Wa",
        "Công ty Zeta",
    ]
    assert by_key(["ex", "fa", "ey"]) == ["ex", "ey", "fa"]


def test_digits_sort_before_letters() -> None:
    assert by_key(["Khu phố A", "Khu phố 2", "Khu phố 1"]) == [
        "Khu phố 1",
        "Khu phố 2",
        "Khu phố A",
    ]


def test_sort_key_is_ascii_and_fits_the_column() -> None:
    key = sort_string("Ấ" * 200)

    assert key.isascii()
    assert len(key) == 401  # units.name_sort is String(410) for a 200-character name


# --- properties ----------------------------------------------------------------------------


@st.composite
def vietnamese_text(draw: st.DrawFn) -> str:
    """Vietnamese-looking text, each letter maybe carrying a tone mark."""
    letters = draw(st.lists(st.sampled_from(VIETNAMESE_LETTERS + " "), max_size=15))
    out = []
    for letter in letters:
        out.append(letter)
        if letter != " " and draw(st.booleans()):
            out.append(draw(st.sampled_from(TONE_MARKS)))
    return nfc("".join(out))


@pure
@given(st.lists(vietnamese_text(), max_size=12))
def test_order_does_not_depend_on_normalisation_form(names: list[str]) -> None:
    composed = sorted((nfc(name) for name in names), key=sort_string)
    decomposed = sorted((nfd(name) for name in names), key=sort_string)

    assert [nfc(name) for name in decomposed] == composed


@pure
@given(vietnamese_text())
def test_sort_key_is_the_same_for_nfc_and_nfd(name: str) -> None:
    assert sort_string(nfd(name)) == sort_string(nfc(name))


@pure
@given(st.text())
def test_fold_is_idempotent(value: str) -> None:
    assert fold(fold(value)) == fold(value)


@pure
@given(vietnamese_text())
def test_fold_of_vietnamese_text_is_plain_ascii(value: str) -> None:
    assert fold(value).isascii()


@pure
@given(st.text())
def test_fold_is_nfc(value: str) -> None:
    assert unicodedata.is_normalized("NFC", fold(value))


@pure
@given(st.text())
def test_clean_is_idempotent_and_nfc(value: str) -> None:
    once = clean(value)

    assert clean(once) == once
    assert unicodedata.is_normalized("NFC", once)


def test_sort_string_orders_numbers_by_value() -> None:
    names = ["Khu phố 10", "Khu phố 2", "Khu phố 1", "Khu phố 02a", "Tổ 100", "Tổ 9"]
    assert sorted(names, key=sort_string) == [
        "Khu phố 1",
        "Khu phố 2",
        "Khu phố 02a",
        "Khu phố 10",
        "Tổ 9",
        "Tổ 100",
    ]


@pytest.mark.parametrize(
    ("campaign", "title", "said"),
    [
        # A title is recognised to whoever met its standard that year, whatever the campaign.
        (
            "Bình xét danh hiệu thi đua và hình thức khen thưởng năm 2026",
            True,
            "đã đạt tiêu chuẩn danh hiệu năm 2026",
        ),
        (
            "Phong trào thi đua “Đồng khởi mới” năm 2026",
            True,
            "đã đạt tiêu chuẩn danh hiệu năm 2026",
        ),
        # A commendation names the movement, as a sentence says it.
        (
            "Phong trào thi đua “Đồng khởi mới” năm 2026",
            False,
            "đã có thành tích xuất sắc trong phong trào thi đua “Đồng khởi mới” năm 2026",
        ),
        (
            "Tổng kết phong trào thi đua 6 tháng cuối năm 2025",
            False,
            "đã có thành tích xuất sắc trong phong trào thi đua 6 tháng cuối năm 2025",
        ),
        (
            "Đợt thi đua cao điểm 90 ngày đêm",
            False,
            "đã có thành tích xuất sắc trong đợt thi đua cao điểm 90 ngày đêm",
        ),
        # Never the campaign's own name pasted in.
        (
            "Khen thưởng đột xuất Tổ công nghệ số cộng đồng năm 2026",
            False,
            "đã có thành tích xuất sắc đột xuất",
        ),
        (
            "Bình xét danh hiệu thi đua và hình thức khen thưởng năm 2026",
            False,
            "đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2026",
        ),
    ],
)
def test_the_achievement_a_document_states_follows_the_campaign(
    campaign: str, title: bool, said: str
) -> None:
    assert achievement_sentence(campaign, 2026, recognises_a_title=title) == said


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("CHỦ TỊCH", "CHỦ TỊCH"),
        ("  KT. CHỦ TỊCH\r\n\r\n  PHÓ  CHỦ TỊCH ", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"),
        ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"),
        ("KT. CHỦ TỊCH\nPHÓ\nCHỦ TỊCH", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"),
        ("", ""),
    ],
)
def test_a_signer_s_title_keeps_its_two_lines(typed: str, stored: str) -> None:
    # Decree 30/2020: who signs for another has two lines, "KT. CHỦ TỊCH" above "PHÓ CHỦ TỊCH".
    assert signer_title_lines(typed) == stored
