"""Amounts in Vietnamese words, as a payment list states its total."""

import pytest

from recognition.decisions.money.words import amount_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (5, "Năm đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (105, "Một trăm linh năm đồng"),
        (710_000, "Bảy trăm mười nghìn đồng"),
        (2_340_000, "Hai triệu ba trăm bốn mươi nghìn đồng"),
        (8_440_000, "Tám triệu bốn trăm bốn mươi nghìn đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (2_015_000, "Hai triệu không trăm mười lăm nghìn đồng"),
        (1_000_000_000, "Một tỷ đồng"),
        (1_000_001_000, "Một tỷ không trăm linh một nghìn đồng"),
        (1_500_000_000_000, "Một nghìn năm trăm tỷ đồng"),
    ],
)
def test_an_amount_in_words(amount: int, words: str) -> None:
    assert amount_in_words(amount) == words
