"""`{% figure_cells %}` prints a dossier figures line exactly as the per-cell template did (the
`{% figure %}` tag per linked count and rate, Django's number formats), in Vietnamese."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from dossiers.links import DossierLinks, figure_links
from dossiers.metrics import DossierFigures, Period
from dossiers.templatetags.dossier_figures import Numbers

# The line's cells as includes/figures_table.html wrote them before the tag (the reference).
REFERENCE = Template(
    """{% load figures %}{% if f %}<td class="text-end">{{ f.received }}</td>
{% if l %}<td class="text-end">{% figure l.received_online %}</td><td class="text-end">{% figure l.received_offline %}</td><td class="text-end">{% figure l.carried_over %}</td>
<td class="text-end">{% figure l.finished %}</td><td class="text-end">{% figure l.finished_early %}</td><td class="text-end">{% figure l.finished_on_time %}</td><td class="text-end">{% figure l.finished_late %}</td>
<td class="text-end">{% figure l.pending_within %}</td><td class="text-end">{% figure l.pending_overdue %}</td>
<td class="text-end">{% figure l.on_time_rate %}</td><td class="text-end" title="{{ l.progress_rate.title }}">{{ f.progress_rate|floatformat:2|default:"—" }}%</td><td class="text-end">{% figure l.online_rate %}</td>
{% else %}<td class="text-end">{{ f.received_online }}</td><td class="text-end">{{ f.received_offline }}</td><td class="text-end">{{ f.carried_over }}</td>
<td class="text-end">{{ f.finished }}</td><td class="text-end">{{ f.finished_early }}</td><td class="text-end">{{ f.finished_on_time }}</td><td class="text-end">{{ f.finished_late }}</td>
<td class="text-end">{{ f.pending_within }}</td><td class="text-end">{{ f.pending_overdue }}</td>
<td class="text-end">{{ f.on_time_rate|floatformat:2|default:"—" }}%</td><td class="text-end">{{ f.progress_rate|floatformat:2|default:"—" }}%</td><td class="text-end">{{ f.online_rate|floatformat:2|default:"—" }}%</td>{% endif %}
<td class="text-end">{% if f.balance_difference %}<span class="badge text-bg-warning">{{ f.balance_difference }}</span>{% else %}✓{% endif %}</td>
{% else %}<td colspan="14" class="text-muted">—</td>{% endif %}"""  # noqa: E501
)
TAG = Template("{% load dossier_figures %}{% figure_cells f l %}")
MARCH = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))

BIG = DossierFigures(
    received_online=1_234_567,
    received_offline=8_765,
    carried_over=12_000,
    finished_early=700_001,
    finished_on_time=2_002,
    finished_late=333,
    pending_within=4_500,
    pending_overdue=1_001,
    fee_required=90_000,
    paid_online=1_999,
)
# Unbalanced on purpose: received 10 + 3, finished 7, pending 2, so the balance says 4.
SMALL = DossierFigures(received_online=7, received_offline=3, carried_over=3, finished_early=1,
                       finished_on_time=2, finished_late=4, pending_within=2)  # fmt: skip
EMPTY = DossierFigures()
# A line whose balance is negative (more finished than received).
NEGATIVE = DossierFigures(received_online=1, finished_early=1_500, pending_within=3)


def cells(template: Template, figures, links) -> str:
    html = template.render(Context({"f": figures, "l": links}))
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize(
    "figures", [BIG, SMALL, EMPTY, NEGATIVE], ids=["big", "small", "empty", "neg"]
)
@pytest.mark.parametrize("aggregate", [None, SMALL], ids=["rows only", "with aggregate lines"])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_line_with_links_prints_as_the_per_cell_template_did(figures, aggregate, language):
    # Given a line's figures and its drill-down figures (links to the dossier list)
    links = figure_links(figures, aggregate, DossierLinks(MARCH, [("unit", 7)]))
    with translation.override(language):
        # when the tag prints it, then it is the reference markup to the character
        assert cells(TAG, figures, links) == cells(REFERENCE, figures, links)


@pytest.mark.parametrize("figures", [BIG, SMALL, EMPTY, NEGATIVE, None])
def test_a_line_without_links_or_figures_prints_as_the_per_cell_template_did(figures):
    with translation.override("vi"):
        assert cells(TAG, figures, None) == cells(REFERENCE, figures, None)


def test_vietnamese_numbers_group_by_dots_and_rates_keep_a_decimal_comma():
    with translation.override("vi"):
        numbers = Numbers()
        shown = cells(TAG, BIG, figure_links(BIG, None, DossierLinks(MARCH)))
        assert numbers.integer(1_243_332) == "1.243.332"
        assert numbers.integer(-1_500) == "-1.500"
        assert numbers.rate_text(70.5) == "70,50%"
        assert numbers.rate_text(None) == "—%"
    assert ">1.255.332<" in shown  # received, carried over included
    assert "99,95%" in shown  # on time: 702,003 of 702,336 finished


@pytest.mark.parametrize(
    "value", [0.0, 0.01, 0.1, 0.5, 1.005, 33.33, 66.67, 70.5, 99.99, 100.0, 2.675, 1e-7, 1234.5]
)
def test_rates_print_as_floatformat_2(value):
    from django.template.defaultfilters import floatformat

    with translation.override("vi"):
        assert Numbers().rate(value) == floatformat(value, 2)
        assert Numbers().rate(round(value, 2)) == floatformat(round(value, 2), 2)


@pytest.mark.parametrize("scope", [[], [("level", "commune")], [("level", None), ("unit", 7)]])
def test_links_are_the_list_url_of_window_scope_and_extra_in_that_order(scope):
    # The links are built from parts encoded once a page: the URL is list_url's, character
    # for character (the drill-down contract reads these parameters back from the list).
    from core.drilldown import list_url
    from dossiers.links import ROUTE
    from dossiers.models import Channel

    links = DossierLinks(MARCH, scope)
    clean = [(name, value) for name, value in scope if value is not None]
    window = [("received_from", MARCH.start), ("received_to", MARCH.end)]
    finished = [("finished_from", MARCH.start), ("finished_to", MARCH.end)]
    online = ("channel", Channel.ONLINE)
    expected = {
        links.received(): list_url(ROUTE, [*window, *clean, ("counted", "true")]),
        links.received(online): list_url(ROUTE, [*window, *clean, online, ("counted", "true")]),
        links.finished("early", "on_time"): list_url(
            ROUTE, [*finished, *clean, ("timeliness", "early"), ("timeliness", "on_time")]
        ),
        links.pending("pending_overdue"): list_url(
            ROUTE,
            [("received_to", MARCH.end), ("as_of", MARCH.end), *clean]
            + [("timeliness", "pending_overdue")],
        ),
        links.carried_over(): list_url(
            ROUTE,
            [("received_to", datetime.date(2026, 2, 28)), ("as_of", datetime.date(2026, 2, 28))]
            + [*clean, ("timeliness", "pending_within"), ("timeliness", "pending_overdue")],
        ),
        links.late_without_apology(): list_url(
            ROUTE,
            [("overdue_from", MARCH.start), ("overdue_to", MARCH.end), *clean]
            + [("late_without_apology", "true")],
        ),
    }
    for built, reference in expected.items():
        assert built == reference
