"""COPY text format: the values the dossier import and the benchmark generator send."""

import datetime

import pytest

from core.pgcopy import copy_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "\\N"),
        (True, "t"),
        (False, "f"),
        (7, "7"),
        (datetime.date(2026, 3, 16), "2026-03-16"),
        (
            datetime.datetime(
                2026, 3, 16, 9, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
            ),
            "2026-03-16T09:05:00+07:00",
        ),
        ("HS-1", "HS-1"),
        ("a\tb\\c\nd\re", "a\\tb\\\\c\\nd\\re"),
    ],
)
def test_values_are_written_in_copy_text_format(value, expected):
    assert copy_text(value) == expected
