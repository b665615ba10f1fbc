"""What changed between two submissions: fields, criterion answers and files (pure function)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from flask_babel import force_locale

from recognition.nominations.diff import DossierDiff, FieldChange, diff_snapshots

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with force_locale("en"):
        yield


def snapshot(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": 3,
        "fields": {
            "nominee_name": "Ấp Phú Hữu",
            "person_position": "",
            "person_birth_year": None,
            "summary": "Tóm tắt thành tích năm 2025",
            "report_general": "Ấp có 420 hộ.",
            "report_achievements": "",
            "report_criteria": "",
            "report_commendations": "",
        },
        "answers": {
            "TB1": {"met": True, "value": None, "text": "", "evidence_note": ""},
            "TB2": {"met": None, "value": None, "text": "Mô hình hay", "evidence_note": ""},
            "TB3": {"met": False, "value": None, "text": "", "evidence_note": ""},
            "TB4": {"met": None, "value": "72.00", "text": "", "evidence_note": ""},
        },
        "files": [
            {"id": 1, "name": "Biên bản họp.pdf", "sha256": "a" * 64, "criterion": "TB2"},
            {"id": 2, "name": "Ảnh mô hình.jpg", "sha256": "b" * 64, "criterion": None},
        ],
    }
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for part in parents:
            target = target[part]
        target[last] = value
    return data


def test_the_same_dossier_has_no_changes() -> None:
    before = snapshot()

    diff = diff_snapshots(before, copy.deepcopy(before))

    assert (diff, diff.empty) == (DossierDiff([], [], []), True)


def test_a_changed_text_shows_the_old_and_new_text() -> None:
    diff = diff_snapshots(
        snapshot(), snapshot(fields__summary="Tóm tắt thành tích năm 2025, đã bổ sung số liệu")
    )

    assert diff == DossierDiff(
        [
            FieldChange(
                "Summary of achievements",
                "Tóm tắt thành tích năm 2025",
                "Tóm tắt thành tích năm 2025, đã bổ sung số liệu",
            )
        ],
        [],
        [],
    )


def test_an_emptied_text_and_a_new_text() -> None:
    diff = diff_snapshots(
        snapshot(), snapshot(fields__report_general="", fields__report_achievements="Mới")
    )

    assert diff.fields == [
        FieldChange("I. General information", "Ấp có 420 hộ.", ""),
        FieldChange("II. Achievements", "", "Mới"),
    ]


def test_criterion_answers_met_value_text_and_evidence() -> None:
    after = snapshot(
        answers__TB1__met=False,
        answers__TB2__text="Mô hình “Ấp thông minh”",
        answers__TB2__evidence_note="Biên bản số 12",
        answers__TB4__value="80.00",
    )

    diff = diff_snapshots(snapshot(), after)

    assert diff.fields == [
        FieldChange("TB1 — self-assessment", "Met", "Not met"),
        FieldChange("TB2 — self-assessment", "Mô hình hay", "Mô hình “Ấp thông minh”"),
        FieldChange("TB2 — evidence", "—", "Biên bản số 12"),
        FieldChange("TB4 — value", "72.00", "80.00"),
    ]


def test_not_met_is_an_answer_and_unanswering_it_is_a_change() -> None:
    # "Not met" (False) and "no answer" (None) must not be confused by a falsy comparison.
    unanswered = snapshot(answers__TB3__met=None)

    forward = diff_snapshots(snapshot(), unanswered)
    backward = diff_snapshots(unanswered, snapshot())

    assert (forward.fields, backward.fields) == (
        [FieldChange("TB3 — self-assessment", "Not met", "—")],
        [FieldChange("TB3 — self-assessment", "—", "Not met")],
    )


def test_a_newly_answered_criterion() -> None:
    after = snapshot()
    after["answers"]["TB5"] = {"met": None, "value": None, "text": "Có", "evidence_note": "Ảnh"}

    diff = diff_snapshots(snapshot(), after)

    assert diff.fields == [
        FieldChange("TB5 — self-assessment", "—", "Có"),
        FieldChange("TB5 — evidence", "—", "Ảnh"),
    ]


def test_files_added_removed_and_replaced() -> None:
    after = snapshot()
    after["files"] = [
        # the same file again (a new row, same content and name): not a change
        {"id": 7, "name": "Biên bản họp.pdf", "sha256": "a" * 64, "criterion": "TB2"},
        # the photo replaced by a new version under the same name
        {"id": 8, "name": "Ảnh mô hình.jpg", "sha256": "c" * 64, "criterion": None},
        {"id": 9, "name": "Quyết định khen thưởng.pdf", "sha256": "d" * 64, "criterion": None},
    ]

    diff = diff_snapshots(snapshot(), after)

    assert diff == DossierDiff(
        [], ["Ảnh mô hình.jpg", "Quyết định khen thưởng.pdf"], ["Ảnh mô hình.jpg"]
    )
