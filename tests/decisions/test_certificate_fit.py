"""A long name, position or achievement is set smaller rather than cut off or printed over
the next line: on the full certificate (the recipient's block as a whole) and on a blank
(each box its lines)."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest
from flask import Flask, render_template

from recognition.blanks.documents import (
    SAMPLE_ACHIEVEMENT,
    SAMPLE_DETAIL,
    SAMPLE_RECIPIENT,
    sample_view,
)
from recognition.certificates.rendering import (
    BOLD_EM,
    FIT_MIN,
    block_scale,
    fit,
    lines_needed,
)
from tests.workflow.helpers import Scene

LONG_NAME = "Bà Nguyễn Huỳnh Thị Ngọc Phượng Thủy Tiên Hoàng Đặng Bích Ngưng Khuê"
LONG_POSITION = (
    "Tổ trưởng Tổ công nghệ số cộng đồng kiêm Chi hội trưởng Chi hội Phụ nữ, Bí thư Chi đoàn "
    "thanh niên ấp Sơn Qui"
)
ACHIEVEMENT = (
    "Đã có thành tích xuất sắc trong phong trào thi đua “Vĩnh Long chung sức xây dựng nông thôn "
    "mới” năm 2026"
)


@pytest.mark.unit
def test_an_ordinary_certificate_keeps_its_sizes() -> None:
    assert block_scale(SAMPLE_RECIPIENT, SAMPLE_DETAIL, SAMPLE_ACHIEVEMENT) == 1.0
    assert block_scale("Ấp Sơn Qui", "", ACHIEVEMENT) == 1.0


@pytest.mark.unit
def test_a_long_name_and_position_shrink_the_block_within_bounds() -> None:
    scale = block_scale(LONG_NAME, LONG_POSITION, ACHIEVEMENT)

    assert FIT_MIN <= scale < 1.0
    # A longer text never gets a larger size.
    assert block_scale(LONG_NAME + " " + LONG_NAME, LONG_POSITION, ACHIEVEMENT) <= scale


@pytest.mark.unit
def test_a_blank_s_box_holds_its_lines() -> None:
    scale = fit(LONG_NAME, 180, 22, 1, BOLD_EM)

    assert FIT_MIN <= scale < 1.0
    assert lines_needed(LONG_NAME, 180, 22 * scale, BOLD_EM) == 1
    assert fit("Ấp Sơn Qui", 180, 22, 1, BOLD_EM) == 1.0


@pytest.mark.integration
def test_the_certificate_sets_a_long_block_smaller(app: Flask, scene: Scene) -> None:
    with app.test_request_context():
        view = sample_view(scene.body, today=date(2026, 12, 7))
        long = dataclasses.replace(
            view, recipient=LONG_NAME, detail=LONG_POSITION, achievement=ACHIEVEMENT
        )
        ordinary = render_template(
            "pdf/certificate.html", certificates=[view], paper="A4", layer="full"
        )
        shrunk = render_template(
            "pdf/certificate.html", certificates=[long], paper="A4", layer="full"
        )

    assert 'class="recipient" style' not in ordinary
    sizes = re.findall(
        r'class="(recipient|detail|achievement)" style="font-size: ([\d.]+)pt"', shrunk
    )
    assert [name for name, _ in sizes] == ["recipient", "detail", "achievement"]
    assert float(sizes[0][1]) == pytest.approx(27 * long.scale)
