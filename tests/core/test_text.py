import pytest

from core.text import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Sở Nội vụ", "so noi vu"),
        ("ĐẶC KHU Hòn Ngọc", "dac khu hon ngoc"),
        ("  Nghị   quyết 76/NQ-CP ", "nghi quyet 76/nq-cp"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_strips_marks_and_folds_d(text, folded):
    assert fold(text) == folded
