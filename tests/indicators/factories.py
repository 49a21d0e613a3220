"""Builders for indicator tests: frameworks go through the services so paths and parents are
set the way production sets them."""

from __future__ import annotations

import datetime
from decimal import Decimal

from indicators.models import CriterionMethod, Framework, FrameworkPopulation
from indicators.services.frameworks import computed_bands_set, criterion_create, framework_create

M = CriterionMethod
# A sound 100-point tree: two areas, a computed criterion, a bonus and a penalty.
SMALL_TREE: list[tuple[str, str, str, str]] = [
    ("1", "Công tác chỉ đạo, điều hành", "40", M.SELF_APPRAISED),
    ("1.1", "Kế hoạch CCHC", "20", M.SELF_APPRAISED),
    ("1.1.1", "Ban hành kế hoạch đúng hạn", "10", M.SELF_APPRAISED),
    ("1.1.2", "Mức độ hoàn thành kế hoạch", "10", M.COMPUTED),
    ("1.2", "Báo cáo CCHC", "20", M.SELF_APPRAISED),
    ("2", "Tác động của CCHC", "60", M.SELF_APPRAISED),
    ("2.1", "Sự hài lòng của người dân", "60", M.SURVEY),
    ("3", "Điểm thưởng", "5", M.BONUS),
    ("4", "Điểm trừ", "10", M.PENALTY),
]
TEST_SOURCE = "test_rate"


def build_framework(
    *,
    tree=SMALL_TREE,
    year: int = 2025,
    population: str = FrameworkPopulation.DEPARTMENTS,
    name: str = "Bộ chỉ số CCHC các sở",
    deadline: datetime.date | None = datetime.date(2025, 12, 15),
) -> Framework:
    framework = framework_create(
        name=name,
        year=year,
        population=population,
        self_scoring_deadline=deadline,
        bands=[
            ("Tốt", Decimal("90")),
            ("Khá", Decimal("80")),
            ("Trung bình", Decimal("65")),
            ("Yếu", Decimal("0")),
        ],
    )
    for code, title, points, method in tree:
        node = criterion_create(
            framework=framework,
            code=code,
            name=title,
            max_points=Decimal(points),
            method=method,
            evidence_required=code == "1.1.1",
            source_key=TEST_SOURCE if method == M.COMPUTED else "",
        )
        if method == M.COMPUTED:
            computed_bands_set(
                criterion=node,
                rows=[
                    (Decimal("100"), node.max_points),
                    (Decimal("80"), node.max_points / 2),
                    (Decimal("50"), node.max_points / 4),
                ],
            )
    return framework
