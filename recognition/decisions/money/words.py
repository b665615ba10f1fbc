"""An amount in Vietnamese words, as a payment list states its total ("Bằng chữ: …"):
8.440.000 → "Tám triệu bốn trăm bốn mươi nghìn đồng"."""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# Groups of three digits, from the right; past a thousand billion the names repeat.
GROUPS = ("", "nghìn", "triệu", "tỷ")


def _group(value: int, *, leading: bool) -> list[str]:
    """Three digits as read: "không trăm linh năm" inside a number, "năm" at its head."""
    hundreds, tens, units = value // 100, value // 10 % 10, value % 10
    words = []
    if hundreds or not leading:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 5 and tens >= 1:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _read(value: int) -> list[str]:
    groups = []
    while value:
        groups.append(value % 1000)
        value //= 1000
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        if groups[index] == 0:
            if index and index % 3 == 0 and words:
                words.append("tỷ")  # a thousand billion: "một nghìn tỷ"
            continue
        words += _group(groups[index], leading=not words)
        name = GROUPS[index % 3 if index % 3 else (3 if index else 0)]
        if name:
            words.append(name)
    return words


def amount_in_words(amount: int) -> str:
    """`amount` đồng in words, capitalised."""
    words = _read(amount) if amount > 0 else ["không"]
    text = " ".join(words) + " đồng"
    return text[0].upper() + text[1:]
