"""`{% figure_cells figures links %}`: the cells of one line of the dossier figures table
(includes/figures_table.html) as one string.

A province's table has ~150 unit lines of fifteen cells, ten of them drill-down figures: as
template cells that was ~2,500 node renders, `{% figure %}` tags and number formats a page,
most of the page's Python. Here a line is one tag, its numbers formatted by `Numbers` (the
locale's separators read once per table). The markup is core's `{% figure %}` tag's to the
character (tests/dossiers/test_figure_cells.py renders both and compares)."""

from __future__ import annotations

# Django's escape() is html.escape behind a lazy-string wrapper; the strings here are plain,
# ~4,000 a page, so the five characters are replaced directly.
from html import escape

from django import template
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format, number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.drilldown import Figure
from dossiers.metrics import DossierFigures

register = template.Library()

# The counts of a line, in the table's column order, after "Received".
COUNTS = (
    "received_online",
    "received_offline",
    "carried_over",
    "finished",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "pending_within",
    "pending_overdue",
)


class Numbers:
    """Django's number formats of the active language (what `{{ n }}`, `number_format(n,
    force_grouping=True)` and `floatformat:2` print), with the common cases done by str.format:
    an int grouped by threes, a non-negative rate already rounded to two decimals."""

    def __init__(self):
        self.thousand = get_format("THOUSAND_SEPARATOR")
        self.decimal = get_format("DECIMAL_SEPARATOR")
        self.by_threes = get_format("NUMBER_GROUPING") == 3
        self.grouped = settings.USE_THOUSAND_SEPARATOR

    def integer(self, value, *, force_grouping: bool = False) -> str:
        if type(value) is int and self.by_threes and (self.grouped or force_grouping):
            return f"{value:,}".replace(",", self.thousand)
        return str(number_format(value, force_grouping=force_grouping))

    def rate(self, value, digits: int = 2) -> str:
        """floatformat(value, digits), "" for None."""
        if (
            digits == 2
            and type(value) is float
            and 0 <= value < 1000  # no thousands to group
            and round(value, 2) == value
        ):
            return f"{value:.2f}".replace(".", self.decimal)
        return floatformat(value, digits)

    def rate_text(self, value, digits: int = 2) -> str:
        return f"{self.rate(value, digits) or '—'}%"

    def title(self, fig: Figure) -> str:
        """Figure.title: the rate's numerator and denominator, the denominator named."""
        if not fig.is_rate:
            return ""
        numerator = self.integer(fig.rows + fig.aggregate, force_grouping=True)
        whole = self.integer(fig.denominator + fig.denominator_aggregate, force_grouping=True)
        text = f"{numerator} / {whole} {fig.denominator_label}"
        if fig.aggregate or fig.denominator_aggregate:
            text += " " + _("(including aggregate report lines, which have no rows to list)")
        return text.strip()

    def figure(self, fig: Figure) -> str:
        """core.templatetags.figures.figure(fig) without css or id, escaped."""
        text = self.rate_text(fig.rate, fig.digits) if fig.is_rate else self.integer(fig.rows)
        if fig.url:
            if fig.is_rate:
                kind = f'data-kind="rate" title="{escape(self.title(fig))}"'
            else:
                kind = 'data-kind="count"'
            html = (
                f'<a href="{escape(fig.url)}" data-figure="{int(fig.rows)}" {kind}>'
                f"{escape(text)}</a>"
            )
        else:
            html = escape(text)
        if fig.aggregate and not fig.is_rate:
            html += (
                ' <span class="small text-muted d-inline-block" title="{}">+ {} {}</span>'.format(
                    escape(_("Counted from aggregate report lines, which have no rows to list")),
                    escape(self.integer(fig.aggregate)),
                    escape(_("from aggregate reports")),
                )
            )
        return html


def _numbers(context) -> Numbers:
    # once per render of the page (the language cannot change within it)
    numbers = context.render_context.get(Numbers)
    if numbers is None:
        numbers = context.render_context[Numbers] = Numbers()
    return numbers


@register.simple_tag(takes_context=True)
def figure_cells(context, figures: DossierFigures | None, links: dict | None) -> str:
    """The fourteen cells after a line's name: received, the nine counts, the three rates and
    the balance; the counts and rates as drill-down figures when the line has `links`."""
    if not figures:
        return mark_safe('<td colspan="14" class="text-muted">—</td>')  # nosec B308 B703 - constant
    numbers = _numbers(context)
    cell = '<td class="text-end">{}</td>'.format
    cells = [cell(numbers.integer(figures.received))]
    progress = numbers.rate_text(figures.progress_rate)
    if links:
        cells += [cell(numbers.figure(links[name])) for name in COUNTS]
        progress_title = escape(numbers.title(links["progress_rate"]))
        cells += [
            cell(numbers.figure(links["on_time_rate"])),
            f'<td class="text-end" title="{progress_title}">{progress}</td>',
            cell(numbers.figure(links["online_rate"])),
        ]
    else:
        cells += [cell(numbers.integer(getattr(figures, name))) for name in COUNTS]
        cells += [
            cell(numbers.rate_text(figures.on_time_rate)),
            cell(progress),
            cell(numbers.rate_text(figures.online_rate)),
        ]
    balance = figures.balance_difference
    cells.append(
        cell(
            f'<span class="badge text-bg-warning">{numbers.integer(balance)}</span>'
            if balance
            else "✓"
        )
    )
    return mark_safe("".join(cells))  # nosec B308 B703 - every value above is escaped or a number
