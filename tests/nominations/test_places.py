"""A person's position and unit as the documents write them: the unit once, and the commune
below the awarding body."""

import pytest

from recognition.nominations.places import with_unit


@pytest.mark.unit
@pytest.mark.parametrize(
    ("position", "unit", "expected"),
    [
        ("Trưởng ấp", "Ấp Phú Hữu", "Trưởng ấp Phú Hữu"),
        (
            "Chủ tịch Hội Nông dân xã",
            "Hội Nông dân xã Chợ Lách",
            "Chủ tịch Hội Nông dân xã Chợ Lách",
        ),
        (
            "Công chức Văn phòng HĐND và UBND xã",
            "Xã Chợ Lách",
            "Công chức Văn phòng HĐND và UBND xã Chợ Lách",
        ),
        (
            "Tổ viên tổ công nghệ số cộng đồng ấp Sơn Qui",
            "Ấp Sơn Qui",
            "Tổ viên tổ công nghệ số cộng đồng ấp Sơn Qui",
        ),
        ("Công chức văn hóa - xã hội", "Xã Sơn Định", "Công chức văn hóa - xã hội, xã Sơn Định"),
        ("Giáo viên", "Trường Tiểu học Phú Phụng", "Giáo viên, Trường Tiểu học Phú Phụng"),
        ("", "Ấp Phú Hữu", "Ấp Phú Hữu"),
        ("Nông dân", "", "Nông dân"),
    ],
)
def test_a_position_and_its_unit_read_as_one_line(position: str, unit: str, expected: str) -> None:
    assert with_unit(position, unit) == expected


@pytest.mark.unit
def test_a_unit_is_named_in_a_position_only_as_whole_words() -> None:
    assert with_unit("Trưởng ấp 10", "Ấp 1") == "Trưởng ấp 10, Ấp 1"
