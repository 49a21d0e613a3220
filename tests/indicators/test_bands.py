"""One band scale per measure: a PAR band's colour follows its place among its framework's
bands (data), and the label and colour shown on PAR pages agree."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.bands import band_tone, band_tone_of
from indicators.models import Assessment, AssessmentStage, ScoreLine
from indicators.selectors import with_totals
from indicators.services import assessments as svc
from tests.factories import OrgUnitFactory


@pytest.mark.parametrize(
    ("count", "tones"),
    [
        (2, ["success", "danger"]),
        (3, ["success", "primary", "danger"]),
        (4, ["success", "primary", "warning", "danger"]),
        (5, ["success", "primary", "warning", "warning", "danger"]),
    ],
)
def test_the_top_band_is_green_the_lowest_red_those_between_blue_then_amber(count, tones):
    assert [band_tone(position, count) for position in range(count)] == tones


def test_no_band_is_grey():
    assert band_tone(None, 4) == "secondary"
    assert band_tone(0, 0) == "secondary"


def _scored(framework, home_affairs, province, totals):
    """One final assessment per total (of the 100-point base), spread over its lines."""
    units = [
        OrgUnitFactory(code=f"S{index}", name=f"Sở {index}", parent=province)
        for index in range(len(totals))
    ]
    opened = svc.assessments_open(actor=home_affairs, framework=framework, units=units)
    for assessment, total in zip(opened, totals, strict=True):
        left = Decimal(total)
        for code, field, cap in (("2.1", "survey_score", 60), ("1.2", "self_score", 20),
                                 ("1.1.1", "self_score", 10)):  # fmt: skip
            part = min(left, Decimal(cap))
            ScoreLine.objects.filter(assessment=assessment, criterion__code=code).update(
                **{field: part}
            )
            left -= part
    # appraised: a shortcut past the workflow, tested on its own
    Assessment.objects.filter(framework=framework).update(stage=AssessmentStage.FINAL)
    return opened


def test_each_assessment_carries_its_bands_place_among_the_frameworks_bands(
    framework, home_affairs, province
):
    # given the bands Tốt >= 90, Khá >= 80, Trung bình >= 65, Yếu >= 0 and one unit in each
    _scored(framework, home_affairs, province, [90, 85, 70, 10])
    rows = with_totals(Assessment.objects.filter(framework=framework)).order_by("unit__code")
    # then each row's band, its place among the four and the colour agree
    assert [(a.band, a.band_position, a.band_count, band_tone_of(a)) for a in rows] == [
        ("Tốt", 0, 4, "success"),
        ("Khá", 1, 4, "primary"),
        ("Trung bình", 2, 4, "warning"),
        ("Yếu", 3, 4, "danger"),
    ]


def test_the_ranking_page_colours_each_band_by_the_index_scale(
    client_for, home_affairs, framework, province
):
    _scored(framework, home_affairs, province, [90, 85, 70, 10])
    response = client_for(home_affairs).get(
        reverse("indicators:ranking") + f"?framework={framework.pk}"
    )
    body = response.content.decode()
    assert '<span class="badge text-bg-success">Tốt</span>' in body
    assert '<span class="badge text-bg-primary">Khá</span>' in body
    assert '<span class="badge text-bg-warning">Trung bình</span>' in body
    assert '<span class="badge text-bg-danger">Yếu</span>' in body
    assert "85%" in body and "70%" in body  # percentages read the Vietnamese way
