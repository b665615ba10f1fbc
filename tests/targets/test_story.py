"""The story's figures: the 27 targets of the mid-term assessment, loaded through the services
(reported by the responsible units, confirmed by the secretariat), give "3/27 chỉ tiêu đạt và
vượt, 3/27 chỉ tiêu xấp xỉ đạt, 6/27 chỉ tiêu đạt trên 70%, 13/27 chỉ tiêu đạt trên 50%, 2 chỉ
tiêu đánh giá cuối nhiệm kỳ"."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from recognition.ops.demo_targets import STORY_TARGETS, load_story_targets
from recognition.targets.queries import bands_of, summary_of, summary_sentence, target_rows_of
from tests.targets.conftest import Movement

pytestmark = pytest.mark.integration

STORY = (
    "3/27 chỉ tiêu đạt và vượt, 3/27 chỉ tiêu xấp xỉ đạt, 6/27 chỉ tiêu đạt trên 70%, "
    "13/27 chỉ tiêu đạt trên 50%, 2 chỉ tiêu đánh giá cuối nhiệm kỳ."
)


def test_the_story_s_27_targets_give_its_summary(movement: Movement) -> None:
    load_story_targets(
        movement.campaign,
        movement.units,
        {"farmers": movement.farmers_nominator, "hamlet": movement.hamlet_nominator},
        movement.secretariat,
        as_of=date(2024, 12, 31),
        today=date(2025, 1, 15),
    )
    bands = bands_of(movement.body)
    rows = target_rows_of(movement.campaign, bands)

    with force_locale("vi"):
        sentence = summary_sentence(summary_of(rows, bands))
    print(f"\n{movement.campaign.name}: {sentence}")

    assert sentence == STORY
    assert len(rows) == len(STORY_TARGETS) == 27
    with force_locale("vi"):
        classes = {row.target.code: row.classification.label for row in rows}
    assert classes == {spec.code: spec.expected for spec in STORY_TARGETS}


def test_the_summary_in_english(movement: Movement) -> None:
    load_story_targets(
        movement.campaign,
        movement.units,
        {},
        movement.secretariat,
        as_of=date(2024, 12, 31),
        today=date(2025, 1, 15),
    )
    bands = bands_of(movement.body)
    with force_locale("en"):
        sentence = summary_sentence(summary_of(target_rows_of(movement.campaign, bands), bands))
    assert sentence == (
        "3/27 targets đạt và vượt, 3/27 targets xấp xỉ đạt, 6/27 targets đạt trên 70%, "
        "13/27 targets đạt trên 50%, 2 targets assessed at the end of the term."
    )
