"""The dashboard rows written in Python (reporting/templatetags/dashboard_rows.py) are the
markup the templates wrote before (kept here as the reference), figure for figure: the same
links, data-figure counts, rates, bands and escaping. One difference, a fix: the bars read the
rate's number (the templates read `row.rate`, the rate's Figure, and wrote its repr into the
bar's value and nothing into its label), here `row.rate.rate`."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core.drilldown import Figure

pytestmark = pytest.mark.django_db

UNIT_ROW = """{% load figures %}{% for row in rows %}<tr class="{{ row.band }}">
      <td>{{ row.position }}</td>
      <th scope="row" class="fw-normal"><a href="{{ row.total.url }}" class="unit-link">{{ row.label }}</a></th>
      <td class="text-end">{% figure row.done %}/{% figure row.total %}</td>
      <td class="text-end">{% if row.overdue.rows %}{% figure row.overdue css="link-danger" %}{% else %}{% figure row.overdue css="link-secondary" %}{% endif %}</td>
      <td class="w-50"><div class="d-flex align-items-center gap-2"><progress class="dash-bar {{ row.band }}" max="100" value="{{ row.rate.rate|default:0|stringformat:'s' }}" aria-label="{{ row.label }}: {{ row.rate.rate|floatformat:'-1' }}%"></progress><span class="badge text-bg-{{ row.colour }}">{% figure row.rate css="text-reset" %}</span></div></td>
    </tr>{% endfor %}"""  # noqa: E501

GROUP_ROW = """{% load figures %}{% for row in rows %}<li class="mb-2">
    <div class="d-flex justify-content-between small"><a href="{{ row.total.url }}">{{ row.label }}</a><span class="text-nowrap ms-2">{% figure row.done %}/{% figure row.total %} · {% figure row.rate %}</span></div>
    <progress class="dash-bar w-100 {{ row.band }}" max="100" value="{{ row.rate.rate|default:0|stringformat:'s' }}" aria-label="{{ row.label }}"></progress>
  </li>{% endfor %}"""  # noqa: E501


def _row(position: int, label: str, done: int, total: int, overdue: int, rate) -> dict:
    """A row as _GroupPanel makes it: "rate" is the rate's Figure (linking the done rows)."""
    url = f"/nhiem-vu/?year=2026&unit={position}&status=a&status=b"
    done_figure = Figure(rows=done, url=url + "&g=done")
    return {
        "position": position,
        "label": label,
        "band": "band-good" if rate and rate >= 90 else "band-poor",
        "colour": "success" if rate and rate >= 90 else "danger",
        "total": Figure(rows=total, url=url + "&g=total"),
        "done": done_figure,
        "overdue": Figure(rows=overdue, url=url + "&g=overdue"),
        "rate": Figure(
            rows=done,
            url=done_figure.url,
            rate=rate,
            denominator=total,
            denominator_label="nhiệm vụ",
        ),
    }


def _rows() -> list[dict]:
    return [
        _row(1, "Sở Tư pháp", 1234, 1300, 0, Decimal("94.9")),
        _row(2, 'UBND xã "A" & <B>', 3, 7, 2, Decimal("42.9")),
        _row(1000, "Không có nhiệm vụ", 0, 0, 0, None),
        _row(4, "Tròn trăm", 5, 5, 0, Decimal("100.0")),
    ]


def _normalised(html: str) -> str:
    return re.sub(r"\s+", " ", str(html)).strip()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_unit_rows_are_the_template_s_markup(language):
    from reporting.templatetags.dashboard_rows import group_rows, unit_rows

    rows = _rows()
    with translation.override(language):
        for template, tag in ((UNIT_ROW, unit_rows), (GROUP_ROW, group_rows)):
            reference = Template(template).render(Context({"rows": rows}))
            assert _normalised(tag(rows)) == _normalised(reference)
            assert 'data-figure="1234"' in reference and "&amp; &lt;B&gt;" in reference
            assert 'value="42.9"' in reference and "Figure(" not in reference
