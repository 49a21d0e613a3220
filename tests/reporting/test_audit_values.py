"""Structured values in the change history read as people read them, never as stored JSON."""

import re

from django.utils import translation

from indicators.models import ScoreLine
from indicators.sources import DOSSIER_ON_TIME
from reporting.audit import Names, _format

STORED = re.compile(r"\d{4}-\d{2}-\d{2}|\b[a-z]+_[a-z_]+\b|[{}]|\d\.\d+%")


def test_a_computed_score_lines_figures_read_as_its_sheet_words_them():
    # given the figures a computed line stores (as the demo's dossier source writes them)
    field = ScoreLine.history.model._meta.get_field("computed_figures")
    figures = {
        "source": DOSSIER_ON_TIME,
        "percent": "97.44",
        "band_from": "80.00",
        "received": 1380,
        "finished": 39,
        "finished_early": 30,
        "finished_on_time": 8,
        "finished_late": 1,
        "period_start": "2024-12-15",
        "period_end": "2025-12-14",
    }
    # when the change history shows them
    with translation.override("vi"):
        text = _format(field, figures, Names())
    # then they are worded, with Vietnamese numbers and dates, and no key or ISO date shows
    assert "97,44%" in text and "1.380" in text and "15/12/2024" in text
    assert not STORED.search(text), text


def test_figures_of_an_unknown_source_or_no_figures_say_so_in_words():
    field = ScoreLine.history.model._meta.get_field("computed_figures")
    with translation.override("vi"):
        assert _format(field, {"source": "no-such-source", "done": 1}, Names()) == (
            "không có số liệu"
        )
        assert _format(field, {}, Names()) == "—"
