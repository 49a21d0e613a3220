"""The drill-down contract (UX.md), on the demo province: every linked number of the leadership,
unit and dossier dashboards opens a list whose total equals the number, and every filter the
number used is shown on the list (an active filter tag) and kept by its filter form (a field of
that name holding that value).

The figures are read from the rendered dashboards: each linked number carries data-figure, the
count of the rows its link lists (for a rate, its numerator; the rate names its denominator in
the link's title). A count's visible text must equal its data-figure, so the test reads the
figure a person reads. Any link whose text is a number without data-figure fails the test, so a
new unhooked figure cannot slip past the contract.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from organizations.models import OrgUnit, UnitLevel
from tests.listpage import read_list_page

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"^[\d.]+(,\d+)?%?$")
# Query parameters that are not filters (none is sent by a dashboard today; kept for safety).
NOT_FILTERS = {"page", "after", "sort"}


# --- Reading the pages --------------------------------------------------------------------------


@dataclass
class Link:
    href: str
    attrs: dict
    text: str = ""


class _Links(HTMLParser):
    """The page's links with their text (the list side is read by tests.listpage)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self._link: Link | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self._link = Link(attrs["href"], attrs)
            self.links.append(self._link)

    def handle_endtag(self, tag):
        if tag == "a":
            self._link = None

    def handle_data(self, data):
        if self._link is not None:
            self._link.text += data


def read_links(html: str) -> list[Link]:
    reader = _Links()
    reader.feed(html)
    return reader.links


def vi_number(text: str) -> int:
    return int(text.strip().replace(".", ""))


def same_value(linked: str, shown: str) -> bool:
    """A link's value and the form's: equal, or the same day (ISO in links, dd/mm/yyyy shown)."""
    if linked == shown:
        return True
    try:
        day = datetime.date.fromisoformat(linked)
    except ValueError:
        return False
    return shown == f"{day:%d/%m/%Y}"


# --- The contract ------------------------------------------------------------------------------


def figure_links(html: str) -> list[Link]:
    """The dashboard's linked numbers; fails on a linked number without its data-figure hook."""
    links = read_links(html)
    unhooked = [
        (link.href, link.text.strip())
        for link in links
        if NUMBER.match(link.text.strip()) and "data-figure" not in link.attrs
    ]
    assert not unhooked, f"linked numbers without data-figure: {unhooked[:5]}"
    return [link for link in links if "data-figure" in link.attrs]


def check_contract(client, html: str) -> int:
    """GET every figure's link and check the list against it; returns how many were checked.

    Each link's total and active filter tags are checked. The filter form, which lies outside
    the part htmx refreshes, is checked for each filter value once: a link whose every value
    the form has already shown is fetched as htmx fetches it (the list's table with its total
    and tags, same view and queryset), which halves the cost of the hundreds of per-unit links.
    """
    problems: list[str] = []
    checked: dict[str, int] = {}
    shown_in_form: set[tuple[str, str]] = set()
    for link in figure_links(html):
        figure = int(link.attrs["data-figure"])
        text = link.text.strip()
        if link.attrs.get("data-kind") == "count" and vi_number(text) != figure:
            problems.append(f"{link.href}: shows {text} but data-figure={figure}")
        if link.attrs.get("data-kind") == "rate":
            # the title names numerator / denominator; the numerator includes the aggregate
            # report lines' part, which has no rows (then the title says so)
            numerator = vi_number(link.attrs["title"].split("/")[0])
            if numerator != figure and "(" not in link.attrs["title"]:
                problems.append(f"{link.href}: title {link.attrs['title']!r} vs {figure}")
        if link.href in checked:
            if checked[link.href] != figure:
                problems.append(f"{link.href}: two figures {checked[link.href]} and {figure}")
            continue
        pairs = {
            (name, value)
            for name, value in parse_qsl(urlsplit(link.href).query)
            if name not in NOT_FILTERS
        }
        whole_page = not pairs <= shown_in_form
        response = client.get(link.href, headers={} if whole_page else {"HX-Request": "true"})
        checked[link.href] = figure
        if response.status_code != 200:
            problems.append(f"{link.href}: {response.status_code}")
            continue
        page = read_list_page(response)
        tags = [tag["param"] for tag in page.tags]
        if page.total != figure:
            problems.append(f"{link.href}: the figure is {figure}, the list's total {page.total}")
        params: dict[str, list[str]] = {}
        for name, value in parse_qsl(urlsplit(link.href).query):
            params.setdefault(name, []).append(value)
        for name, values in params.items():
            if name in NOT_FILTERS:
                continue
            if name not in tags:
                problems.append(f"{link.href}: no active filter tag for {name}")
            if not whole_page:
                continue
            shown_in_form.update((name, value) for value in values)
            shown = page.fields.get(name)
            if shown is None:
                problems.append(f"{link.href}: the filter form has no field {name}")
                continue
            for value in values:
                if not any(same_value(value, item) for item in shown):
                    problems.append(f"{link.href}: the form's {name} is {shown}, not {value}")
    assert not problems, "\n".join(problems[:25]) + f"\n({len(problems)} problems)"
    return len(checked)


def _hooked(link: Link) -> str:
    """One figure's link alone, for a test about that figure."""
    return f'<a href="{link.href}" data-figure="{link.attrs["data-figure"]}">x</a>'


def _quarter_cutoff() -> dict:
    # The last finished quarter in the cut-off convention (15/06-14/09 for the third): its
    # statuses are read on its last day, so the links carry as_of.
    today = timezone.localdate()
    quarter = (today.month - 1) // 3  # the previous one
    year = today.year if quarter else today.year - 1
    return {"year": year, "quarter": quarter or 4}


# --- Leadership dashboard -------------------------------------------------------------------------

LEADERSHIP_FILTERS = {
    "default": lambda: {},
    "quarter_cutoff": lambda: {
        "year": _quarter_cutoff()["year"],
        "period": f"q{_quarter_cutoff()['quarter']}",
        "convention": "cutoff",
    },
    "communes": lambda: {"unit_level": UnitLevel.COMMUNE},
}


@pytest.mark.parametrize("filter_set", LEADERSHIP_FILTERS)
def test_every_leadership_figure_opens_its_rows_with_its_filters(persona_client, filter_set):
    # given the leader on the demo province, with the filter set
    client = persona_client("lanhdao")
    params = LEADERSHIP_FILTERS[filter_set]()
    # when they open the dashboard
    response = client.get(reverse("reporting:leadership_dashboard"), params)
    assert response.status_code == 200
    html = response.content.decode()
    # then every linked number opens a list of exactly its rows, with every filter it used
    checked = check_contract(client, html)
    assert checked >= 20  # tiles, units, directives, areas, overdue, dossiers


def test_the_no_area_figure_lists_only_the_tasks_without_an_area(persona_client):
    from tasks.models import Task

    # given two tasks of this year's plan without a CCHC area (the demo gives every task one)
    year = timezone.localdate().year
    without = Task.objects.filter(directive__year=year).order_by("pk")[:2]
    Task.objects.filter(pk__in=[task.pk for task in without]).update(area=None)
    # a bulk update goes around the workflow services: the analytics tables are refreshed for
    # those assignments as the catch-up job would (the services do it themselves on commit)
    from reporting.analytics import status
    from tasks.models import Assignment

    status.refresh(Assignment.objects.filter(task__in=without).values_list("pk", flat=True))
    client = persona_client("lanhdao")
    # when the leader opens the dashboard, then "Không gắn lĩnh vực CCHC" links its own rows only
    html = client.get(reverse("reporting:leadership_dashboard")).content.decode()
    no_area = [link for link in figure_links(html) if "area=null" in link.href]
    assert no_area
    assert check_contract(client, "".join(_hooked(link) for link in no_area)) >= 2
    done_or_total = [int(link.attrs["data-figure"]) for link in no_area]
    assert max(done_or_total) < Task.objects.filter(directive__year=year).count()


def test_a_union_figure_opens_a_list_filtered_by_each_of_its_values(persona_client):
    # given the dossier panel's "finished early or on time" rate
    client = persona_client("lanhdao")
    html = client.get(reverse("reporting:leadership_dashboard")).content.decode()
    union = [link for link in figure_links(html) if "timeliness=early" in link.href]
    assert union
    query = parse_qsl(urlsplit(union[0].href).query)
    # then its link names both values, and the list counts both
    assert ("timeliness", "early") in query and ("timeliness", "on_time") in query
    assert check_contract(client, _hooked(union[0])) == 1


@pytest.mark.parametrize("filter_set", ["quarter_cutoff", "communes"])
def test_panels_follow_the_filters_or_say_which_they_ignore(persona_client, filter_set):
    client = persona_client("lanhdao")
    params = LEADERSHIP_FILTERS[filter_set]()
    html = client.get(reverse("reporting:leadership_dashboard"), params).content.decode()
    # the trend and the PAR ranking have no series per period or level: their titles say so
    for heading in ("trend-heading", "par-heading"):
        title = re.search(rf'id="{heading}">(.*?)</h2>', html, re.S).group(1)
        assert "không theo bộ lọc" in title, (heading, title)
    # the dossier panel follows period and level: its title names no ignored filter
    dossiers = re.search(r'id="dossiers-heading">(.*?)</h2>', html, re.S).group(1)
    assert "không theo bộ lọc" not in dossiers


# --- Unit dashboard ---------------------------------------------------------------------------


def test_every_figure_of_a_unit_head_s_dashboard_opens_its_rows(persona_client):
    client = persona_client("truong.stp")
    response = client.get(reverse("reporting:unit_dashboard"))
    assert response.status_code == 200
    assert check_contract(client, response.content.decode()) >= 5


@pytest.mark.parametrize("level", [UnitLevel.PROVINCE, UnitLevel.COMMUNE])
def test_every_figure_of_a_unit_dashboard_opened_by_the_leader_opens_its_rows(
    persona_client, level
):
    client = persona_client("lanhdao")
    unit = OrgUnit.objects.filter(level=level, valid_to__isnull=True).order_by("code").first()
    response = client.get(reverse("reporting:unit_dashboard_of", args=[unit.pk]))
    assert response.status_code == 200
    assert check_contract(client, response.content.decode()) >= 5


# --- Dossier dashboard ---------------------------------------------------------------------------

DOSSIER_FILTERS = {
    "default": lambda: {},
    "quarter_cutoff": lambda: {**_quarter_cutoff(), "convention": "cutoff"},
    "communes": lambda: {"level": UnitLevel.COMMUNE},
}


@pytest.mark.parametrize("filter_set", DOSSIER_FILTERS)
@pytest.mark.parametrize("persona", ["lanhdao", "truong.stp"])
def test_every_dossier_dashboard_figure_opens_its_rows_with_its_filters(
    persona_client, persona, filter_set
):
    client = persona_client(persona)
    params = DOSSIER_FILTERS[filter_set]()
    response = client.get(reverse("dossiers:dashboard"), params)
    assert response.status_code == 200
    assert check_contract(client, response.content.decode()) >= 10
